cp "$TESTDATA/bad/39-bad-crc.csv.gz" .
cx-ingest -k accounts --as-of 2024-06-30  --rejects rej.tsv -o out.tsv 39-bad-crc.csv.gz
rc=$?
ls
exit $rc
