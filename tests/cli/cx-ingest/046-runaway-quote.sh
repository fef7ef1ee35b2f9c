# a quote opened at line 2 of a 4 MB file: fatal, naming line 2
{ echo 'account_id,source,name,balance,currency'; echo 'A1,cards,"Runaway,1.00,COP'; awk 'BEGIN { for (i = 2; i < 100000; i++) printf "A%d,cards,Name %d,1.00,COP\n", i, i }'; } > runaway.csv
cx-ingest -k accounts -o out.tsv runaway.csv
rc=$?
ls
exit $rc
