cx-report "$TESTDATA/report/cei-current.tsv"
