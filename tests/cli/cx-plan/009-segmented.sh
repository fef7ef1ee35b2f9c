# with the score and segment columns of cx-score and cx-segment: the
# treatment picks the ladder, p_pay and capacity drive EV and plan size
T=$TESTDATA/canonical
awk -F'\t' 'BEGIN { OFS = "\t"; split("none reminder_predue reminder_soft digital_standard payment_plan firm settlement agency hardship_care", tr, " ") }
NR == 1 { print $0, "score", "p_pay", "capacity", "segment", "treatment", "arm"; next }
{ h = 0; for (i = 1; i <= length($1); i++) h = (h * 31 + index("0123456789abcdef", substr($1, i, 1))) % 9973
  print $0, 500 + h % 200, sprintf("%.4f", (h % 100) / 100), h % 101, "S" (h % 7), tr[1 + h % 9], (h % 10 == 0) ? "challenger" : "champion" }' "$T/accounts.tsv" >seg.tsv
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" seg.tsv >plan.tsv || exit 1
cut -f1,2,10-14,18-25 plan.tsv
sh "$SRCDIR/tests/plan-check.sh" seg.tsv "$T/contacts.tsv" "$T/payments.tsv" plan.tsv 2026-11-20
