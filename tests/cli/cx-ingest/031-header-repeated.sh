cp "$TESTDATA/bad/ingest-31-header-repeated.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-31-header-repeated.csv
