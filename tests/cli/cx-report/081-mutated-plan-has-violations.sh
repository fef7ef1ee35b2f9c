# The cross-check of 080 must be able to fail: move the first planned
# contact's window_start to 23:30 local time (outside every profile's
# hours) and the same policy finds at least one violation (rule "hours").
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["action"] == "contact" {
	split($c["accounts"], a, ",")
	ts = $c["window_start"]
	if (!moved) { ts = substr(ts, 1, 11) "23:30:00" substr(ts, 20); moved = 1 }
	print $c["customer_key"], a[1], ts, $c["channel"], "out", "delivered", "PLAN", "", "", ""
}' plan.tsv >planned.tsv
{
	head -n 1 "$T/contacts.tsv"
	{ tail -n +2 "$T/contacts.tsv"; cat planned.tsv; } | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3
} >history.tsv
cx-report --as-of 2026-11-20 --period-days 1 --policy default --contacts history.tsv seg.tsv |
	awk -F '\t' '$1 == "kpi" && $2 == "policy_violations" && $7 == "" { n += $10 }
	END { print (n > 0 ? "violations found" : "no violations: the check cannot fail") }'
