# The plan table in every format: the same rows in TSV, CSV and text, and
# in HTML the plan's charts per currency, its own table, the headline row and
# the KPI table rows of the plan's violations, with the (mutated) violating
# contact listed masked.
T=$TESTDATA/canonical
cx-score --as-of 2026-11-20 "$T/accounts.tsv" | cx-segment --as-of 2026-11-20 >seg.tsv || exit 1
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" \
	seg.tsv >plan.tsv || exit 1
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["action"] == "contact" && !moved {
	$c["window_start"] = substr($c["window_start"], 1, 11) "23:30:00" substr($c["window_start"], 20)
	moved = 1
}
{ print }' plan.tsv >mutated.tsv
opts="--as-of 2026-11-20 --policy default --contacts $T/contacts.tsv --plan mutated.tsv"
for f in tsv csv text html; do
	# shellcheck disable=SC2086
	cx-report $opts -F $f -o report.$f seg.tsv || exit 1
done
echo "tsv plan rows: $(grep -c '^plan	' report.tsv)"
echo "csv plan rows: $(grep -c '^"plan",' report.csv)"
echo "text plan rows: $(grep -c '^plan ' report.text)"
# HTML tables leave out the table column: count the rows of each section
section() { awk -v h="$1" 'index($0, h) { on = 1 } on && /<\/table>/ { exit } on' report.html; }
echo "html plan rows: $(section "<h2>Today&#39;s plan in detail</h2>" | grep -c '^<tr><td>')"
grep -o "<h2>Today&#39;s plan</h2>\|<h3>[A-Za-z ,]*, [A-Z]*</h3>" report.html
grep -o "<tr><td>Contact-policy violations in today&#39;s plan</td>[^/]*" report.html
echo "html kpi plan_violations rows: $(section '<h2>Key performance indicators</h2>' |
	grep -c '^<tr><td>plan_violations</td>')"
section "<h2>Contact-policy violations in today&#39;s plan (first rows)</h2>" |
	grep -o '<td>hours</td>\|name [A-Z. ]*; phone [*0-9]*'
