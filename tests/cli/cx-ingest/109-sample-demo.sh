# The sample exports of make demo: every stream ingests, the rejects are
# exactly the rows listed in bad_rows.tsv, and the ledgers balance.
S=$TESTDATA/sample
for f in cards.csv billing.txt loans.csv cards_payments.csv billing_payments.txt loans_payments.csv contacts.csv cards_statements.csv billing_statements.txt loans_statements.csv; do cp "$S/$f" .; done
ES="--encoding cp1252 --decimal-comma --date-format dmy"
A="--as-of 2026-11-20"
cx-ingest -k accounts $A --rejects r1.tsv --ledger l1.tsv -o a1.tsv cards.csv billing.txt 2>/dev/null
cx-ingest -k accounts $A $ES --rejects r2.tsv --ledger l2.tsv -o a2.tsv loans.csv 2>/dev/null
cx-ingest -k accounts $A --ledger l3.tsv -o accounts.tsv a1.tsv a2.tsv || exit
cx-ingest -k payments $A --accounts accounts.tsv --rejects r4.tsv --ledger l4.tsv -o p1.tsv cards_payments.csv billing_payments.txt 2>/dev/null
cx-ingest -k payments $A $ES --accounts accounts.tsv --rejects r5.tsv --ledger l5.tsv -o p2.tsv loans_payments.csv 2>/dev/null
cx-ingest -k contacts $A --accounts accounts.tsv --rejects r6.tsv --ledger l6.tsv -o contacts.tsv contacts.csv 2>/dev/null
cx-ingest -k statements $A --accounts accounts.tsv --rejects r7.tsv --ledger l7.tsv -o s1.tsv cards_statements.csv billing_statements.txt 2>/dev/null
cx-ingest -k statements $A $ES --accounts accounts.tsv --rejects r8.tsv --ledger l8.tsv -o s2.tsv loans_statements.csv 2>/dev/null
echo "== rejects (file:line) vs bad_rows.tsv"
cat r1.tsv r2.tsv r4.tsv r5.tsv r6.tsv r7.tsv r8.tsv | awk -F'\t' '$1 != "file" { print $1 ":" $2 }' | sort > got
awk -F'\t' 'NR > 1 && $4 == "reject" { print $1 ":" $2 }' "$S/bad_rows.tsv" | sort > want
diff want got && echo same
echo "== ledgers"
for l in l1 l2 l3 l4 l5 l6 l7 l8; do
  awk -v name=$l -f "$SRCDIR/tests/cli/cx-ingest/ledger-check.awk" $l.tsv
done
