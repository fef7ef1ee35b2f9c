# three shards by customer: --partial per shard, then --merge, must give
# exactly the bytes of the unsharded run (for every format)
T=$TESTDATA/canonical R=$TESTDATA/report
split3() {
	awk -F '\t' -v pre="$2" 'NR == 1 { for (i = 0; i < 3; i++) print > (pre i ".tsv"); next }
	{ h = index("0123456789abcdef", substr($1, 17, 1)) % 3; print > (pre h ".tsv") }' "$1"
}
split3 "$R/current.tsv" cur; split3 "$R/previous.tsv" prev; split3 "$T/payments.tsv" pay
split3 "$T/contacts.tsv" con; split3 "$T/statements.tsv" stm
opts="--as-of 2026-11-20 --by segment,product,arm --max-detail 5"
for i in 0 1 2; do
	cx-report $opts --partial --costs "$R/costs.tsv" --previous prev$i.tsv --payments pay$i.tsv \
		--contacts con$i.tsv --statements stm$i.tsv -o part$i.tsv cur$i.tsv || exit 1
done
for f in tsv csv text html; do
	cx-report $opts -F $f --costs "$R/costs.tsv" --previous "$R/previous.tsv" \
		--payments "$T/payments.tsv" --contacts "$T/contacts.tsv" \
		--statements "$T/statements.tsv" "$R/current.tsv" >single.$f || exit 1
	cx-report --merge -F $f part2.tsv part0.tsv part1.tsv >merged.$f || exit 1
	cmp single.$f merged.$f && echo "$f: identical ($(wc -l <single.$f) lines)"
done
# partials made with other options are refused
cx-report --as-of 2026-11-21 --partial -o other.tsv cur0.tsv
cx-report --merge part0.tsv other.tsv
echo "exit $?"
