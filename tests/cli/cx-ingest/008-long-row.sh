cp "$TESTDATA/bad/08-long-row.csv" .
cx-ingest -k accounts --as-of 2024-06-30  08-long-row.csv
