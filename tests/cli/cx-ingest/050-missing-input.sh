cx-ingest -k accounts nonexistent.csv
