cp "$TESTDATA/bad/27-cut-mid-field.csv" .
cx-ingest -k accounts --as-of 2024-06-30  27-cut-mid-field.csv
