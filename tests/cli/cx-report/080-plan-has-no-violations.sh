# Cross-check of cx-plan by cx-report --plan: today's planned contacts (each
# at the start of its window), checked together with the contact history,
# break no rule of the same policy file, nor of the built-in rules.  Also
# the plan table as cx-report renders it.
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
viol() { awk -F '\t' '$1 == "kpi" && $2 == "plan_violations" && $7 == "" { n += $10 } END { print n + 0 }'; }
cx-report --as-of 2026-11-20 --policy default --contacts "$T/contacts.tsv" --plan plan.tsv \
	seg.tsv >report.tsv || exit 1
echo "violations, policy file: $(viol <report.tsv)"
echo "violations, built-in rules: $(cx-report --as-of 2026-11-20 --contacts "$T/contacts.tsv" \
	--plan plan.tsv seg.tsv | viol)"
awk -F '\t' '$1 == "plan"' report.tsv | cut -f 2,6-11
