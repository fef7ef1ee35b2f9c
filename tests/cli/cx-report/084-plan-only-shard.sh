# The report in parts, as the sharded nightly job makes it: --shard K/N on
# the unsplit streams picks each shard's customers, partials without the
# plan (made while cx-plan runs) and --plan-only partials (made once the
# plan exists) merge into exactly the bytes of the single run, for every
# format, with the policy file and the built-in rules.  Several planned
# contacts are moved outside the allowed hours and --max-detail is small,
# so the violation list is cut where history and plan violations mix.
T=$TESTDATA/canonical R=$TESTDATA/report
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["action"] == "contact" && NR % 3 == 0 {
	$c["window_start"] = substr($c["window_start"], 1, 11) "23:30:00" substr($c["window_start"], 20)
}
{ print }' plan.tsv >mutated.tsv
ev="--previous $R/previous.tsv --contacts $T/contacts.tsv"
for pol in "--policy default" ""; do
	opts="--as-of 2026-11-20 --by segment,arm --max-detail 7 $pol"
	# shellcheck disable=SC2086
	for k in 0 1 2; do
		cx-report $opts -f --partial --shard $k/3 $ev --payments "$T/payments.tsv" \
			--statements "$T/statements.tsv" --costs "$R/costs.tsv" -o rest$k.tsv seg.tsv || exit 1
		cx-report $opts -f --partial --plan-only --shard $k/3 $ev --plan mutated.tsv \
			-o plan$k.tsv seg.tsv || exit 1
	done
	# one shard, in two parts
	# shellcheck disable=SC2086
	cx-report $opts -f --partial $ev --payments "$T/payments.tsv" --statements "$T/statements.tsv" \
		--costs "$R/costs.tsv" -o rest.tsv seg.tsv || exit 1
	# shellcheck disable=SC2086
	cx-report $opts -f --partial --plan-only $ev --plan mutated.tsv -o plan.part seg.tsv || exit 1
	for f in tsv csv text html; do
		# shellcheck disable=SC2086
		cx-report $opts -F $f $ev --payments "$T/payments.tsv" --statements "$T/statements.tsv" \
			--costs "$R/costs.tsv" --plan mutated.tsv seg.tsv >single.$f || exit 1
		cx-report --merge -F $f plan2.tsv rest0.tsv plan0.tsv rest2.tsv rest1.tsv plan1.tsv \
			>sharded.$f || exit 1
		cx-report --merge -F $f plan.part rest.tsv >parts.$f || exit 1
		cmp -s single.$f sharded.$f && cmp -s single.$f parts.$f &&
			echo "${pol:-built-in}: $f identical"
	done
	awk -F '\t' '$1 == "kpi" && $2 == "plan_violations" && $7 == "" { n += $10 }
		$1 == "plan_violation" { p++ } $1 == "violation" { v++ }
		END { print "plan violations", n + 0, "listed", p + 0, "history listed", v + 0 }' single.tsv
done
# a plan-only partial holds the plan's statistics only
grep -v -c -e '^pl_' -e '^pviol_n' -e '^pdetail' -e '^meta' -e '^measure' plan.part
# the shard filter keeps the rows cx-shard keeps
for k in 0 1 2; do
	cx-score --as-of 2026-11-20 --shard $k/3 --payments "$T/payments.tsv" "$T/accounts.tsv" >s$k.tsv
	cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" "$T/accounts.tsv" |
		cx-shard -n 3 -k $k | cmp -s - s$k.tsv && echo "shard $k: same rows as cx-shard"
done
# refused: plan-only without the other partials, or with a whole one that
# has the plan, or made with other contacts; a plan-only partial needs --plan
# shellcheck disable=SC2086
cx-report --merge plan0.tsv plan1.tsv >/dev/null; echo "exit $?"
# shellcheck disable=SC2086
cx-report $opts --partial $ev --plan mutated.tsv -o whole.tsv seg.tsv
cx-report --merge whole.tsv plan.part >/dev/null; echo "exit $?"
cx-report --as-of 2026-11-20 --by segment,arm --max-detail 7 --partial --plan-only \
	--previous "$R/previous.tsv" --plan mutated.tsv -o nocon.part seg.tsv
cx-report --merge rest.tsv nocon.part >/dev/null; echo "exit $?"
cx-report --as-of 2026-11-20 --partial --plan-only seg.tsv; echo "exit $?"
cx-report --as-of 2026-11-20 --shard 3/3 seg.tsv; echo "exit $?"
cx-report --merge --shard 0/2 rest.tsv; echo "exit $?"
