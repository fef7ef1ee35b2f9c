cp "$TESTDATA/bad/26-no-final-newline.csv" .
cx-ingest -k accounts --as-of 2024-06-30  26-no-final-newline.csv
