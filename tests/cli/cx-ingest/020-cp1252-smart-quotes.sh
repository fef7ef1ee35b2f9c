cp "$TESTDATA/bad/20-cp1252-smart-quotes.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --encoding cp1252 20-cp1252-smart-quotes.csv
