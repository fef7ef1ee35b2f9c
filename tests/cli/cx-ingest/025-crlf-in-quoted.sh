cp "$TESTDATA/bad/25-crlf-in-quoted.csv" .
cx-ingest -k accounts --as-of 2024-06-30  25-crlf-in-quoted.csv
