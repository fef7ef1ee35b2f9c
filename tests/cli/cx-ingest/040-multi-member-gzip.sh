cp "$TESTDATA/bad/40-multi-member.csv.gz" .
cx-ingest -k accounts --as-of 2024-06-30  40-multi-member.csv.gz
