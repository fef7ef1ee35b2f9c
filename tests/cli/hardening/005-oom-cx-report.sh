# cx-report: every failed allocation gives exit 70, one line, nothing published
. "$SRCDIR/tests/cli/hardening/oom.inc"
head -n 41 "$TESTDATA/report/current.tsv" >cur.tsv
oom_loop out.txt cx-report --as-of 2026-11-20 -F text -o out.txt cur.tsv
