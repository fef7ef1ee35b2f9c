# the same data gives a byte-identical model, whatever the row order of a table
tr , '\t' < "$SRCDIR/../shared/data/german_credit.csv" > g.tsv
(head -n 1 g.tsv; tail -n +2 g.tsv | sort -r) > g2.tsv
F=checking_status,duration_months,credit_history,credit_amount,savings_status,age
cx-score --train --target bad --features "$F" -o a.model g.tsv || exit 1
cx-score --train --target bad --features "$F" -o b.model g.tsv || exit 1
cmp a.model b.model && echo "same data: identical"
cx-score --train --target bad --features "$F" -o c.model g2.tsv || exit 1
cmp a.model c.model && echo "shuffled rows: identical"
