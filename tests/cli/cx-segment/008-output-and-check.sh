# -o publishes a file and refuses to overwrite without -f; --check and
# --print-default-rules
cx-score --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 -o out.tsv scored.tsv
echo "status $?"
cx-segment --as-of 2026-11-20 -o out.tsv scored.tsv
echo "status $?"
cx-segment --as-of 2026-11-20 -f -o out.tsv scored.tsv
echo "status $?"
cx-segment --check && echo "default rules ok"
cx-segment --check scored.tsv && echo "default rules ok on scored.tsv"
cx-segment --print-default-rules | cmp - "$SRCDIR/rules/default.cx" && echo "printed rules are rules/default.cx"
