# The plan cross-check sharded: segmented snapshot and the history with
# today's planned contacts, split in 3 by cx-shard; --partial per shard and
# --merge give exactly the bytes of the single run, with the same
# (zero) policy violations.
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["action"] == "contact" {
	split($c["accounts"], a, ",")
	print $c["customer_key"], a[1], $c["window_start"], $c["channel"], "out", "delivered", "PLAN", "", "", ""
}' plan.tsv >planned.tsv
{
	head -n 1 "$T/contacts.tsv"
	{ tail -n +2 "$T/contacts.tsv"; cat planned.tsv; } | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3
} >history.tsv
cx-shard -n 3 -o seg seg.tsv || exit 1
cx-shard -n 3 -o hist history.tsv || exit 1
opts="--as-of 2026-11-20 --period-days 1 --policy default --by segment,arm"
for i in 0 1 2; do
	cx-report $opts --partial --contacts hist.$i.tsv -o part$i.tsv seg.$i.tsv || exit 1
done
cx-report $opts --contacts history.tsv seg.tsv >single.tsv || exit 1
cx-report --merge part1.tsv part2.tsv part0.tsv >merged.tsv || exit 1
cmp single.tsv merged.tsv && echo "identical ($(wc -l <single.tsv | tr -d ' ') lines)"
awk -F '\t' '$1 == "kpi" && $2 == "policy_violations" && $7 == "" { n += $10 }
	END { print "violations:", n + 0 }' merged.tsv
