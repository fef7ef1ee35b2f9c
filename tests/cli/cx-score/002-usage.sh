# bad usage: one line, a hint, exit 64 (each case)
cx-score --bogus; echo "exit $?"
cx-score --train --target bad; echo "exit $?"
cx-score --holdout 0.3 x; echo "exit $?"
cx-score --as-of 2026-02-30 x; echo "exit $?"
cx-score "$TESTDATA/canonical/accounts.tsv"; echo "exit $?"
cx-score --eval "$TESTDATA/canonical/accounts.tsv"; echo "exit $?"
