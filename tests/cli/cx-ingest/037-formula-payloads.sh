cp "$TESTDATA/bad/ingest-37-formula.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-37-formula.csv
