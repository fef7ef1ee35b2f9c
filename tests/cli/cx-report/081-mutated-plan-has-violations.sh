# The cross-check of 080 must be able to fail: move the first planned
# contact's window_start to 23:30 local time (outside every profile's
# hours) and --plan finds the violation (rule "hours"), with the policy file
# and with the built-in rules, and lists it masked.
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["action"] == "contact" && !moved {
	$c["window_start"] = substr($c["window_start"], 1, 11) "23:30:00" substr($c["window_start"], 20)
	moved = 1
}
{ print }' plan.tsv >mutated.tsv
for p in "--policy default" ""; do
	# shellcheck disable=SC2086
	cx-report --as-of 2026-11-20 $p --contacts "$T/contacts.tsv" --plan mutated.tsv seg.tsv |
		awk -F '\t' '$1 == "kpi" && $2 == "plan_violations" && $7 == "" { n += $10 }
		$1 == "kpi" && $2 == "plan_violations" && $7 != "" && $10 > 0 { print "rule", $7, $10 }
		$1 == "plan_violation" { print "listed", $2, $8, $16 }
		END { print (n > 0 ? "violations found" : "no violations: the check cannot fail") }'
done
