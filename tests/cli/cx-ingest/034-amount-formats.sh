cp "$TESTDATA/bad/ingest-34-amount-formats.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-34-amount-formats.csv
