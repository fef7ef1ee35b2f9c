# data and input errors: one line each, documented exit codes
T=$TESTDATA/canonical
cx-score --model nonexistent.model --as-of 2026-11-20 "$T/accounts.tsv"; echo "exit $?"
printf 'cx-model\t1\nscaling\t600\t50\t20\nintercept\tx\nend\n' > bad.model
cx-score --model bad.model --as-of 2026-11-20 "$T/accounts.tsv"; echo "exit $?"
printf 'customer_key\tbalance\nc2\t1.00\nc1\t2.00\n' > unsorted.tsv
cx-score --as-of 2026-11-20 unsorted.tsv > /dev/null; echo "exit $?"
printf 'customer_key\tbalance\nc1\tabc\n' > notnum.tsv
cx-score --as-of 2026-11-20 notnum.tsv > /dev/null; echo "exit $?"
printf 'customer_key\tbalance\tbad\nc1\t1.00\t0\nc2\t2.00\t0\n' > onlygood.tsv
cx-score --train --target bad --as-of 2026-11-20 -o m.model onlygood.tsv; echo "exit $?"
cx-score --train --target nope --as-of 2026-11-20 -o m.model onlygood.tsv; echo "exit $?"
test -e m.model || echo "no model published"
