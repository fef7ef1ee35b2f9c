cp "$TESTDATA/bad/ingest-11-header-only.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-11-header-only.csv
