cp "$TESTDATA/bad/06-space-before-quote.csv" .
cx-ingest -k accounts --as-of 2024-06-30  06-space-before-quote.csv
