# violation rows name the customer masked by default, in full with --unmask
R=$TESTDATA/report
cx-report --as-of 2026-11-20 --contacts "$R/hostile-contacts.tsv" \
	--payments "$R/hostile-payments.tsv" "$R/hostile-current.tsv" | grep -E '^(violation|kpi	(policy|promise))'
cx-report --as-of 2026-11-20 --unmask --contacts "$R/hostile-contacts.tsv" \
	"$R/hostile-current.tsv" | grep -E '^violation' | cut -f 16
