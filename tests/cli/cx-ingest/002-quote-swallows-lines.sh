cp "$TESTDATA/bad/02-quote-swallows-lines.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 02-quote-swallows-lines.csv
rc=$?
ls
exit $rc
