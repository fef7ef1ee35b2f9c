cp "$TESTDATA/bad/28-semicolon-decimal-comma.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --decimal-comma --date-format dmy 28-semicolon-decimal-comma.csv
