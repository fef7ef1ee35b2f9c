# PII never appears in diagnostics or the ledger: run cx-ingest -v on the
# sample exports (with bad rows) and grep stderr and the ledger for every
# national id, email, phone and name it holds; none may appear.
S=$TESTDATA/sample
cx-ingest -v -k accounts --as-of 2026-11-20 --rejects rej.tsv --ledger led.tsv \
    -o acc.tsv "$S/loans.csv" "$S/cards.csv" 2>err
echo "rc=$?"
# the personal columns of the published stream, by name
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ print $c["national_id"]; print $c["email"]; print $c["phone"]; print $c["name"] }' acc.tsv |
	awk 'length($0) >= 6' | sort -u >pii
echo "pii values: $([ "$(wc -l <pii)" -gt 20 ] && echo many || echo few)"
echo "in stderr: $(grep -cFf pii err)"
echo "in ledger: $(grep -cFf pii led.tsv)"
