# cx-segment: every failed allocation gives exit 70, one line, nothing published
. "$SRCDIR/tests/cli/hardening/oom.inc"
head -n 31 "$TESTDATA/canonical/accounts.tsv" >acc.tsv
cx-score --as-of 2026-11-20 -o scored.tsv acc.tsv || exit 1
oom_loop out.tsv cx-segment --as-of 2026-11-20 -o out.tsv scored.tsv
