# --ledger: rows, customers and balance per currency in and out, written
# after the output, which is the same as without a ledger; refused with
# --train; an existing ledger file is kept without -f
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" "$T/accounts.tsv" >plain.tsv
cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" --ledger led.tsv -o out.tsv "$T/accounts.tsv"
echo "status: $?"
cat led.tsv
cmp -s plain.tsv out.tsv && echo "output unchanged"
cx-score --as-of 2026-11-20 --ledger led.tsv -o out2.tsv "$T/accounts.tsv"
echo "existing ledger: $?"
[ -e out2.tsv ] || echo "no output published"
cx-score --as-of 2026-11-20 -f --ledger led.tsv -o out.tsv "$T/accounts.tsv"
echo "forced: $?"
cx-score --train -t bad --ledger l.tsv -o m.model "$T/accounts.tsv" 2>/dev/null
echo "train: $?"
