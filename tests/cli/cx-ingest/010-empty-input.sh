cp "$TESTDATA/bad/10-empty.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 10-empty.csv
rc=$?
ls
exit $rc
