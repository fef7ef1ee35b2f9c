cp "$TESTDATA/bad/30-control-bytes.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 30-control-bytes.csv
rc=$?
cat out.tsv rej.tsv
exit $rc
