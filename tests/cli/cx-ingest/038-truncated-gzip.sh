cp "$TESTDATA/bad/38-truncated.csv.gz" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 38-truncated.csv.gz
rc=$?
ls
exit $rc
