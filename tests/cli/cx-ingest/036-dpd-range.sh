cp "$TESTDATA/bad/ingest-36-dpd-range.csv" .
cx-ingest -k accounts   ingest-36-dpd-range.csv
