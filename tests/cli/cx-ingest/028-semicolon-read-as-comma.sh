cp "$TESTDATA/bad/28-semicolon-decimal-comma.csv" .
cx-ingest -k accounts --as-of 2024-06-30 --delimiter ',' --rejects rej.tsv -o out.tsv 28-semicolon-decimal-comma.csv
rc=$?
ls
exit $rc
