cp "$TESTDATA/bad/04-junk-after-quote.csv" .
cx-ingest -k accounts --as-of 2024-06-30  04-junk-after-quote.csv
