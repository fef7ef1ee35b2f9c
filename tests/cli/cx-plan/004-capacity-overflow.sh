# one agent call and one letter a day: the best customers by expected value get
# them, the rest overflow to their next allowed channel; never over capacity
T=$TESTDATA/canonical
cx-plan --print-capacity | sed 's/^slots = 2000$/slots = 1/; s/^slots = 5000$/slots = 1/' >cap
cx-plan --as-of 2026-11-20 --capacity cap --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" "$T/accounts.tsv" >plan.tsv || exit 1
echo "planned per channel:"
awk -F'\t' 'NR > 1 && $14 != "" { n[$14]++ } END { for (c in n) print c, n[c] }' plan.tsv | sort
echo "overflowed: $(grep -c 'capacity overflow' plan.tsv)"
echo "blocked by capacity: $(awk -F'\t' '$25 == "capacity"' plan.tsv | wc -l)"
sh "$SRCDIR/tests/plan-check.sh" "$T/accounts.tsv" "$T/contacts.tsv" "$T/payments.tsv" plan.tsv 2026-11-20 call=1,letter=1
# the checker catches a plan over capacity
sh "$SRCDIR/tests/plan-check.sh" "$T/accounts.tsv" "$T/contacts.tsv" "$T/payments.tsv" plan.tsv 2026-11-20 call=0,letter=1 | tail -2
