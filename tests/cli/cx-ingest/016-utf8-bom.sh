cp "$TESTDATA/bad/16-utf8-bom.csv" .
cx-ingest -k accounts --as-of 2024-06-30  16-utf8-bom.csv
