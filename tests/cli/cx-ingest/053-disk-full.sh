cp "$TESTDATA/bad/23-cr-only.csv" a.csv
cx-ingest -k accounts a.csv > /dev/full
