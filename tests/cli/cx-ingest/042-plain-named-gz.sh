cp "$TESTDATA/bad/42-plain-named.csv.gz" .
cx-ingest -k accounts --as-of 2024-06-30  42-plain-named.csv.gz
