# domain.md (b): AR 15,000, current 4,000, credit sales 10,000 in 30 days
# -> DSO 45, best possible DSO 12, average days delinquent 33
cx-report --as-of 2026-11-20 --credit-sales USD=10000.00 -F text \
	"$TESTDATA/report/dso-current.tsv" | grep -E '^(table|kpi +(dso|best_possible_dso|average_days_delinquent)) '
