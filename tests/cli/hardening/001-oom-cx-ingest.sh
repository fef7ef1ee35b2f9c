# cx-ingest: every failed allocation gives exit 70, one line, nothing published
. "$SRCDIR/tests/cli/hardening/oom.inc"
cp "$TESTDATA/sample/loans.csv" .
oom_loop out.tsv cx-ingest -k accounts --as-of 2026-11-20 --rejects rej.tsv \
    --ledger led.tsv -o out.tsv loans.csv
