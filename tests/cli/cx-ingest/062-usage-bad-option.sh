cx-ingest --kind accounts --as-of 2024-13-01 a.csv
