cp "$TESTDATA/bad/ingest-32-duplicate-key.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --ledger - ingest-32-duplicate-key.csv
