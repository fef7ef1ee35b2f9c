# cx-ingest with the identity index spilled (--memory 64K): every failed
# allocation gives exit 70, one line, nothing published, no temporary file
# left in --tmpdir
. "$SRCDIR/tests/cli/hardening/oom.inc"
cp "$TESTDATA/sample/loans.csv" "$TESTDATA/sample/cards.csv" .
oom_loop out.tsv cx-ingest -k accounts --as-of 2026-11-20 --memory 64K --tmpdir . \
    --rejects rej.tsv --ledger led.tsv -o out.tsv loans.csv cards.csv
