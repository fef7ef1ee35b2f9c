# usage errors: one line and a hint, exit 64
cx-segment x.tsv
echo "status $?"
cx-segment --as-of 2026-11-20 --bogus
echo "status $?"
cx-segment --as-of 2026-13-01
echo "status $?"
cx-segment --as-of 2026-11-20 a.tsv b.tsv
echo "status $?"
cx-segment --as-of 2026-11-20 --check --explain c1
echo "status $?"
