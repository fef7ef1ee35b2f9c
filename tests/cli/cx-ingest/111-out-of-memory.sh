# Fail the Nth allocation for every N of a small run: cx-ingest either
# finishes normally or exits 70 with one diagnostic, never crashes, and
# publishes nothing when it fails.
cp "$TESTDATA/bad/ingest-32-duplicate-key.csv" a.csv
cx-ingest -k accounts --as-of 2024-06-30 --rejects r.tsv --ledger l.tsv -o o.tsv a.csv 2>/dev/null
test $? -eq 1 || echo "baseline failed"
rm -f r.tsv l.tsv o.tsv
n=1 bad=0 failed=0
while [ $n -le 400 ]; do
  CX_FAIL_ALLOC=$n cx-ingest -k accounts --as-of 2024-06-30 --rejects r.tsv --ledger l.tsv -o o.tsv a.csv 2>err
  rc=$?
  case $rc in
    0|1) rm -f r.tsv l.tsv o.tsv ;;
    70) failed=$((failed + 1))
        if [ -e o.tsv ] || [ -e r.tsv ] || [ -e l.tsv ]; then echo "N=$n: published after exit 70"; bad=1; rm -f r.tsv l.tsv o.tsv; fi
        if [ "$(wc -l < err)" -ne 1 ]; then echo "N=$n: $(wc -l < err) lines on stderr"; bad=1; fi ;;
    *) echo "N=$n: exit $rc"; bad=1 ;;
  esac
  n=$((n + 1))
done
[ $failed -gt 10 ] || echo "too few injected failures: $failed"
[ $bad -eq 0 ] && echo ok
