cp "$TESTDATA/bad/23-cr-only.csv" .
cx-ingest -k accounts --as-of 2024-06-30  23-cr-only.csv
