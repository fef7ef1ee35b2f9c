cp "$TESTDATA/bad/01-unterminated-quote.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 01-unterminated-quote.csv
rc=$?
ls
exit $rc
