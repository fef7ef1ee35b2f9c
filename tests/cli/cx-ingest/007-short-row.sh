cp "$TESTDATA/bad/07-short-row.csv" .
cx-ingest -k accounts --as-of 2024-06-30  07-short-row.csv
