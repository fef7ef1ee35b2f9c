# every allocation failing in turn (CX_FAIL_ALLOC=n): training a table model
# and scoring the sample portfolio end cleanly with exit 70 and publish
# nothing, until n is past the last allocation and the run succeeds (for
# scoring, every 11th allocation, to keep the test fast)
head -n 60 "$SRCDIR/../shared/data/german_credit.csv" | tr , '\t' > g.tsv
T=$TESTDATA/canonical
check() {   # name step command...
	name=$1 step=$2
	shift 2
	n=1
	while [ $n -lt 5000 ]; do
		rm -f out
		CX_FAIL_ALLOC=$n "$@" -o out > /dev/null 2> err
		rc=$?
		[ $rc -eq 0 ] && { echo "$name: clean"; return 0; }
		if [ $rc -ne 70 ] || [ -e out ]; then
			echo "$name: allocation $n: exit $rc"; cat err; return 1
		fi
		n=$((n + step))
	done
	echo "$name: never succeeded"
	return 1
}
check train 1 cx-score --train --target bad --features checking_status,duration_months,age \
	--holdout 0.3 g.tsv
head -n 12 "$T/accounts.tsv" > acc.tsv
check score 11 cx-score --as-of 2026-11-20 --payments "$T/payments.tsv" \
	--statements "$T/statements.tsv" --contacts "$T/contacts.tsv" acc.tsv
