cp "$TESTDATA/bad/05-space-after-quote.csv" .
cx-ingest -k accounts --as-of 2024-06-30  05-space-after-quote.csv
