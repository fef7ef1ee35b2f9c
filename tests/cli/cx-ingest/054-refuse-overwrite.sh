cp "$TESTDATA/bad/23-cr-only.csv" a.csv
echo keep > out.tsv
cx-ingest -k accounts -o out.tsv a.csv
rc=$?
cat out.tsv
exit $rc
