cp "$TESTDATA/bad/22-nul-byte.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 22-nul-byte.csv
rc=$?
cat out.tsv rej.tsv
exit $rc
