# --ledger: rows, customers and balance per currency in and out, written
# after the output, which is the same as without a ledger; a balance that
# is not canonical stops the run with nothing published
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 scored.tsv >plain.tsv
cx-segment --as-of 2026-11-20 --ledger led.tsv -o out.tsv scored.tsv
echo "status: $?"
cat led.tsv
cmp -s plain.tsv out.tsv && echo "output unchanged"
awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "balance") b = i }
	NR == 5 { $b = "12,5" } { print }' scored.tsv >bad.tsv
cx-segment --as-of 2026-11-20 --ledger bad.led -o bad.out bad.tsv
echo "bad balance: $?"
ls bad.led bad.out 2>/dev/null || echo "nothing published"
cx-segment --check --ledger l.tsv scored.tsv 2>/dev/null
echo "check: $?"
