# one 2 MiB field, over the default 1 MiB --max-field-bytes
{ echo 'account_id,source,name,balance,currency'; printf 'A1,cards,'; head -c 2097152 /dev/zero | tr '\0' x; echo ',1.00,COP'; } > big.csv
cx-ingest -k accounts -o out.tsv big.csv
rc=$?
ls
exit $rc
