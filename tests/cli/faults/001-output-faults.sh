# Failing write, fsync, close or rename of the output, or disk full: the
# documented status (74), nothing published, no temporary file left, an
# existing file untouched.
printf 'customer_key\tv\nc1\t1\nc2\t2\n' >in.tsv
echo old >out.tsv
for call in write fsync close rename; do
	CX_FAULT=$call CX_FAULT_MATCH=out.tsv LD_PRELOAD=$CX_FAULTS_SO \
	    cx-shard -f -n 1 -k 0 -o out.tsv in.tsv 2>err
	echo "$call: rc=$? $(sed 's/^cx-shard: //' err) | $(cat out.tsv) | $(ls -A | grep -c '^\.out')"
done
cx-shard -n 1 -k 0 -o /dev/full in.tsv
echo "full: rc=$?"
