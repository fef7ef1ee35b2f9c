cp "$TESTDATA/bad/07-short-row.csv" a.csv
cx-ingest -k accounts -f -o a.csv a.csv
rc=$?
cmp -s a.csv "$TESTDATA/bad/07-short-row.csv" && echo untouched
exit $rc
