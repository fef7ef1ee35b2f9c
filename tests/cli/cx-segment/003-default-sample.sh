# the default rules on the sample portfolio, scored by cx-score: one
# decision per customer, summary with -v
cx-score --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 -v scored.tsv >seg.tsv
cut -f 1,2,19,24,30,31,33- seg.tsv
