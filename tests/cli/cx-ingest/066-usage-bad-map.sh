cx-ingest --kind accounts --map balance a.csv
