cp "$TESTDATA/bad/ingest-35-bad-dates.csv" .
cx-ingest -k accounts --as-of 2024-06-30  ingest-35-bad-dates.csv
