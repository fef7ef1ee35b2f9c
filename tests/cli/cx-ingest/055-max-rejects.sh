cp "$TESTDATA/bad/21-overlong-surrogate.csv" a.csv
cx-ingest -k accounts --max-rejects 1 --rejects rej.tsv -o out.tsv a.csv
rc=$?
cat out.tsv
exit $rc
