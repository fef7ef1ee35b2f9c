cx-shard -k 1 in.tsv
echo "rc=$?"
cx-shard -n 2 -k 2 in.tsv
echo "rc=$?"
printf 'account_id\n1\n' >nokey.tsv
cx-shard -n 2 -k 0 nokey.tsv
echo "rc=$?"
