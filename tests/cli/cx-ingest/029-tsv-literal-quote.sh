cp "$TESTDATA/bad/29-tsv-literal-quote.tsv" .
cx-ingest -k accounts --as-of 2024-06-30 --tsv 29-tsv-literal-quote.tsv
