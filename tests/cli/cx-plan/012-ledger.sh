# --ledger: accounts in, customers in and out (one plan row each), balance
# per currency of the accounts and of the plan's balance column; the plan is
# the same as without a ledger; refused with --explain
T=$TESTDATA/canonical
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	"$T/accounts.tsv" >plain.tsv
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	--ledger led.tsv -o plan.tsv "$T/accounts.tsv"
echo "status: $?"
cat led.tsv
cmp -s plain.tsv plan.tsv && echo "plan unchanged"
echo "plan rows: $(($(wc -l <plan.tsv) - 1))"
cx-plan --as-of 2026-11-20 --explain x --ledger l.tsv "$T/accounts.tsv" 2>/dev/null
echo "explain: $?"
