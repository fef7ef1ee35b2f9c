# The plan cross-check sharded: segmented snapshot, contact history and
# plan, split in 3 by cx-shard; --partial per shard and --merge give exactly
# the bytes of the single run (plan table included), with the same (zero)
# plan violations.
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
cx-shard -n 3 -o seg seg.tsv || exit 1
cx-shard -n 3 -o hist "$T/contacts.tsv" || exit 1
cx-shard -n 3 -o plan plan.tsv || exit 1
opts="--as-of 2026-11-20 --period-days 1 --policy default --by segment,arm"
for i in 0 1 2; do
	# shellcheck disable=SC2086
	cx-report $opts --partial --contacts hist.$i.tsv --plan plan.$i.tsv -o part$i.tsv seg.$i.tsv ||
		exit 1
done
# shellcheck disable=SC2086
cx-report $opts --contacts "$T/contacts.tsv" --plan plan.tsv seg.tsv >single.tsv || exit 1
cx-report --merge part1.tsv part2.tsv part0.tsv >merged.tsv || exit 1
cmp single.tsv merged.tsv && echo "identical ($(wc -l <single.tsv | tr -d ' ') lines)"
echo "plan rows: $(grep -c '^plan	' merged.tsv)"
awk -F '\t' '$1 == "kpi" && $2 == "plan_violations" && $7 == "" { n += $10 }
	END { print "violations:", n + 0 }' merged.tsv
