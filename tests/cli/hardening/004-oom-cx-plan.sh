# cx-plan: every failed allocation gives exit 70, one line, nothing published
. "$SRCDIR/tests/cli/hardening/oom.inc"
C=$TESTDATA/canonical
head -n 31 "$C/accounts.tsv" >acc.tsv
cx-score --as-of 2026-11-20 acc.tsv | cx-segment --as-of 2026-11-20 -o seg.tsv || exit 1
oom_loop out.tsv cx-plan --as-of 2026-11-20 --contacts "$C/contacts.tsv" -o out.tsv seg.tsv
