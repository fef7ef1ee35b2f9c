# testdata/canonical is exactly what its README command writes today.  If
# this fails, the generator changed: regenerate (command in the README) and
# tell the owners of tests that read testdata/canonical.
set -e
cx-gen --accounts 200 --seed 26 --as-of 2026-11-20 --hold-rate 0.12 --out o
for s in accounts payments contacts statements; do
	cmp o/$s.tsv "$TESTDATA/canonical/$s.tsv" && echo "$s reproduced"
done
