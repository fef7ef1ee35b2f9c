cp "$TESTDATA/bad/41-trailing-garbage.csv.gz" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 41-trailing-garbage.csv.gz
rc=$?
ls
exit $rc
