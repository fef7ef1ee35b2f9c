# the whole report of the test portfolio, every input, cut by segment
T=$TESTDATA/canonical R=$TESTDATA/report
cx-report --as-of 2026-11-20 --by segment --previous "$R/previous.tsv" \
	--payments "$T/payments.tsv" --contacts "$T/contacts.tsv" \
	--statements "$T/statements.tsv" --costs "$R/costs.tsv" "$R/current.tsv"
