cp "$TESTDATA/bad/03-quote-in-unquoted.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 03-quote-in-unquoted.csv
rc=$?
cat out.tsv rej.tsv
exit $rc
