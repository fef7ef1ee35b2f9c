# score the canonical sample portfolio with every stream; the score columns
# are appended to every account row, the same for all rows of a customer
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" --statements "$T/statements.tsv" \
	--contacts "$T/contacts.tsv" -o scored.tsv "$T/accounts.tsv" || exit 1
# every input row is out, in order, with the input columns unchanged
cut -f1-27 scored.tsv | cmp - "$T/accounts.tsv" || exit 1
cut -f1,2,28- scored.tsv
# -o refuses to replace without -f
cx-score --as-of 2026-11-20 -o scored.tsv "$T/accounts.tsv"; echo "exit $?"
# rescoring a scored stream replaces the columns in place
cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" --statements "$T/statements.tsv" \
	--contacts "$T/contacts.tsv" scored.tsv | cmp - scored.tsv && echo "rescore: same"
