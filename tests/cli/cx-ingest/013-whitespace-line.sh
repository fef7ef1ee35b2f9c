cp "$TESTDATA/bad/13-whitespace-line.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 13-whitespace-line.csv
rc=$?
cat out.tsv rej.tsv
exit $rc
