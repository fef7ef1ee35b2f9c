cp "$TESTDATA/bad/ingest-09-trailing-delimiter.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --allow-trailing-delimiter ingest-09-trailing-delimiter.csv
