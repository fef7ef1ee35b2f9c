cp "$TESTDATA/bad/ingest-33-leading-zeros-sci.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-33-leading-zeros-sci.csv
