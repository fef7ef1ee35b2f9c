# --explain prints the decision path of one customer
T=$TESTDATA/canonical
for k in $(cut -f1 "$T/accounts.tsv" | sed 1d | uniq | head -4); do
	cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" --explain "$k" "$T/accounts.tsv"
done
cx-plan --as-of 2026-11-20 --explain c0000000000000000 "$T/accounts.tsv"; echo "rc=$?"
