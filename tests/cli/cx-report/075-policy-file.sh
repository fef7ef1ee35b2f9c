# --policy checks the contact history against the rules of a cx-plan policy
# file (here the embedded default): a Sunday call, an evening SMS, no
# recorded consent (the file has no consents column), a customer in dispute
R=$TESTDATA/report
cx-report --as-of 2026-11-20 --policy default --contacts "$R/hostile-contacts.tsv" \
	"$R/hostile-current.tsv" | grep -E '^(violation|kpi	policy)'
