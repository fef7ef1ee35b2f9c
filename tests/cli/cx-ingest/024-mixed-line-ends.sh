cp "$TESTDATA/bad/24-mixed-line-ends.csv" .
cx-ingest -k accounts --as-of 2024-06-30  24-mixed-line-ends.csv
