# generated portfolios with contact history, on a weekday, a Saturday, a
# Sunday, a Colombian and a Mexican holiday and a US DST change: the
# independent checker (tests/plan-check.sh) re-derives the shipped rules
for d in 2026-11-20 2026-11-21 2026-11-22 2026-12-08 2026-11-16 2026-03-09; do
	cx-gen --accounts 1500 --seed 11 --as-of $d --hold-rate 0.1 --out g --force || exit 1
	cx-plan --as-of $d --contacts g/contacts.tsv --payments g/payments.tsv g/accounts.tsv >plan.tsv || exit 1
	printf '%s: ' $d
	sh "$SRCDIR/tests/plan-check.sh" g/accounts.tsv g/contacts.tsv g/payments.tsv plan.tsv $d || exit 1
done
