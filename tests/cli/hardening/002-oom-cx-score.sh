# cx-score: every failed allocation gives exit 70, one line, nothing published
. "$SRCDIR/tests/cli/hardening/oom.inc"
C=$TESTDATA/canonical
head -n 31 "$C/accounts.tsv" >acc.tsv
oom_loop out.tsv cx-score --as-of 2026-11-20 --payments "$C/payments.tsv" \
    --contacts "$C/contacts.tsv" -o out.tsv acc.tsv
