# --explain prints every rule tried for one customer and why
cx-score --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv" >scored.tsv
key=$(awk -F '\t' 'NR > 1 && $19 > 90 { print $1; exit }' scored.tsv)
cx-segment --as-of 2026-11-20 --explain "$key" scored.tsv
echo "status $?"
cx-segment --as-of 2026-11-20 --explain cffffffffffffffff scored.tsv
echo "status $?"
# a customer in the challenger arm of the example experiment
key=$(cx-segment --as-of 2026-11-20 scored.tsv | awk -F '\t' '$36 == "standard" { print $1; exit }')
cx-segment --as-of 2026-11-20 --explain "$key" scored.tsv | tail -n 2
