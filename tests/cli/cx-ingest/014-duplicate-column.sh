cp "$TESTDATA/bad/ingest-14-duplicate-column.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv ingest-14-duplicate-column.csv
rc=$?
ls
exit $rc
