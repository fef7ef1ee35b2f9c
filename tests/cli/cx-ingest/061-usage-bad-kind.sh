cx-ingest --kind loans a.csv
