cp "$TESTDATA/bad/12-blank-lines.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --ledger - 12-blank-lines.csv
