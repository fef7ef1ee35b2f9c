# --bad-rate inserts corrupted copies after real rows and lists each one in
# bad_rows.tsv; cx-ingest rejects exactly the rows predicted "reject"
# ("reject-or-duplicate": catalogue 36, a days-past-due cell out of range;
# cx-ingest derives days past due from the due date, so it may see the copy
# as an identical duplicate).
set -e
cx-gen --accounts 3000 --seed 9 --as-of 2026-11-20 --format raw --bad-rate 0.004 --out r
cd r
head -n 1 bad_rows.tsv
test "$(tail -n +2 bad_rows.tsv | wc -l)" -gt 100 && echo "more than 100 bad rows"
ES="--encoding cp1252 --decimal-comma --date-format dmy"
for f in cards.csv billing.txt loans.csv cards_payments.csv billing_payments.txt \
         loans_payments.csv cards_statements.csv billing_statements.txt \
         loans_statements.csv contacts.csv; do
	case $f in loans*) o=$ES;; *) o=;; esac
	case $f in *payments*) k=payments;; *statements*) k=statements;; contacts*) k=contacts;; *) k=accounts;; esac
	rc=0
	cx-ingest -k $k --as-of 2026-11-20 $o --rejects rej.tsv --ledger led.tsv -o out.tsv -f $f 2>/dev/null || rc=$?
	test $rc -le 1
	tail -n +2 rej.tsv | cut -f1,2 | sort >>actual
	awk -F'\t' -v f=$f '$1==f && $4=="reject" {print $1 "\t" $2}' bad_rows.tsv >>pred
	awk -F'\t' -v f=$f '$1==f && ($4=="reject-or-blank" || $4=="reject-or-duplicate") {print $1 "\t" $2}' bad_rows.tsv >>either
	dmin=$(awk -F'\t' -v f=$f '$1==f && $4=="duplicate" {n++} END{print n+0}' bad_rows.tsv)
	dmax=$(awk -F'\t' -v f=$f '$1==f && ($4=="duplicate" || $4=="reject-or-duplicate") {n++} END{print n+0}' bad_rows.tsv)
	dgot=$(awk -F'\t' '$1=="rows_duplicate"{print $3}' led.tsv)
	[ "$dgot" -ge "$dmin" ] && [ "$dgot" -le "$dmax" ] || echo "$f: $dgot duplicates, want $dmin to $dmax"
done
sort pred >p; sort actual >a; sort either >e
# every predicted reject is rejected; every other reject was a whitespace line
comm -23 p a | sed 's/^/not rejected: /'
comm -13 p a | comm -23 - e | sed 's/^/unexpected reject: /'
echo "compared $(wc -l <p) predicted rejects"
