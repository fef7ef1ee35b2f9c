awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d%s", i, (i < 100000 ? "," : "\n") }' > wide.csv
cx-ingest -k accounts -o out.tsv wide.csv
rc=$?
ls
exit $rc
