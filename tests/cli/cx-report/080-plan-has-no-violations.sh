# Cross-check of cx-plan by cx-report: today's planned contacts (each at the
# start of its window), added to the contact history, break no rule of the
# same policy file.  The period is the plan day only.
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
echo "planned contacts: $(wc -l <planned.tsv | tr -d ' ')"
cx-report --as-of 2026-11-20 --period-days 1 --policy default --contacts history.tsv seg.tsv |
	awk -F '\t' '$1 == "kpi" && $2 == "policy_violations" && $7 == "" { n += $10 } END { print "violations:", n + 0 }'
