# the default rules on the sample portfolio, scored by cx-score with its
# history: one decision per customer, customers per rule and arm with -v
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" --contacts "$T/contacts.tsv" \
    --statements "$T/statements.tsv" "$T/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 -v scored.tsv >seg.tsv
cut -f 1,2,19,24,30,31,33- seg.tsv
# one decision per customer
tail -n +2 seg.tsv | cut -f 1,33- | sort -u | cut -f 1 | uniq -d
