# 64 MiB of rows in a small gzip: stopped at --max-input-bytes (decompressed)
{ echo 'account_id,source,name,balance,currency'; yes 'A1,cards,Name,1.00,COP' | head -c 67108864; } | gzip -1 > bomb.csv.gz
cx-ingest -k accounts --max-input-bytes 16M -o out.tsv bomb.csv.gz
rc=$?
ls
exit $rc
