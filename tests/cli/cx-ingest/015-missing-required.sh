cp "$TESTDATA/bad/ingest-15-missing-required.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv ingest-15-missing-required.csv
rc=$?
ls
exit $rc
