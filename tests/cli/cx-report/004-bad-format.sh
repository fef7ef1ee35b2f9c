cx-report --as-of 2026-11-20 --format xlsx "$TESTDATA/report/cei-current.tsv"
