# CSV for spreadsheets: text cells starting with = + - @ are prefixed with
# a quote, our own negative numbers are not; then the Spanish-locale form
R=$TESTDATA/report
cx-report --as-of 2026-11-20 --by segment -F csv "$R/hostile-current.tsv" | grep -E '^"(table|aging)"'
cx-report --as-of 2026-11-20 --by segment -F csv --bom --decimal-comma "$R/hostile-current.tsv" |
	head -n 3 | od -c | head -n 2
