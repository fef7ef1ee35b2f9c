cp "$TESTDATA/bad/19-latin1-no-option.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --encoding cp1252 19-latin1-no-option.csv
