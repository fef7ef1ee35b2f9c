cp "$TESTDATA/bad/17-feff-in-id.csv" .
cx-ingest -k accounts --as-of 2024-06-30  17-feff-in-id.csv
