# domain.md (b): beginning AR 6,200; credit sales 10,890 over 3 months;
# ending total AR 6,340; ending current AR 3,590 -> CEI 55.9 %
cx-report --as-of 2026-11-20 --previous "$TESTDATA/report/cei-previous.tsv" \
	--credit-sales USD=10890.00 --months 3 --period-days 90 \
	"$TESTDATA/report/cei-current.tsv" | grep -E '^kpi	(cei|balance|balance_begin|current_balance|credit_sales)	'
