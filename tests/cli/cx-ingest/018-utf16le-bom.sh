cp "$TESTDATA/bad/18-utf16le-bom.csv" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 18-utf16le-bom.csv
rc=$?
ls
exit $rc
