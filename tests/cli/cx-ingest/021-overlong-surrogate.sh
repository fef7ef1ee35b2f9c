cp "$TESTDATA/bad/21-overlong-surrogate.csv" .
cx-ingest -k accounts --as-of 2024-06-30  21-overlong-surrogate.csv
