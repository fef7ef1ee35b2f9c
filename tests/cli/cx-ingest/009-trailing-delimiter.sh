cp "$TESTDATA/bad/ingest-09-trailing-delimiter.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv ingest-09-trailing-delimiter.csv
rc=$?
ls
exit $rc
