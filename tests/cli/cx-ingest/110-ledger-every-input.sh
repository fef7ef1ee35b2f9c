# The ledger balances on every test input that cx-ingest finishes on
# (fatal inputs publish no ledger at all).
for f in "$TESTDATA"/bad/*; do
  b=$(basename "$f")
  opts=
  case $b in 29-*) opts=--tsv ;; 28-*) opts=--decimal-comma ;; 20-*) opts="--encoding cp1252" ;; esac
  cx-ingest -k accounts --as-of 2024-06-30 $opts --ledger "$b.ledger" --rejects "$b.rej" -o "$b.out" "$f" 2>/dev/null
  rc=$?
  if [ $rc -ge 64 ]; then
    if [ -e "$b.ledger" ] || [ -e "$b.out" ] || [ -e "$b.rej" ]; then echo "$b: published after exit $rc"; fi
    echo "$b exit=$rc (nothing published)"
  else
    awk -v name="$b exit=$rc" -f "$SRCDIR/tests/cli/cx-ingest/ledger-check.awk" "$b.ledger"
  fi
done
