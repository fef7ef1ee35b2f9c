cx-ingest a.csv
