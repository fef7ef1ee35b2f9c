# generic table mode: German credit (CSV turned into TSV; no quotes in it),
# 70/30 stratified split; AUC on the 30 % must be within noise of 0.78
tr , '\t' < "$SRCDIR/../shared/data/german_credit.csv" > german.tsv
F=checking_status,duration_months,credit_history,purpose,credit_amount,savings_status
F=$F,employment_since,installment_rate_pct,personal_status_sex,other_debtors
F=$F,residence_since,property,age,other_installment_plans,housing,existing_credits,job
F=$F,num_dependents,telephone,foreign_worker
cx-score --train --target bad --features "$F" --holdout 0.3 -o german.model german.tsv || exit 1
grep -E '^meta	(rows_|auc_test|ks_test)' german.model
auc=$(awk -F'\t' '$1 == "meta" && $2 == "auc_test" { print $3 }' german.model)
awk -v a="$auc" 'BEGIN { if (a + 0 < 0.74) { print "german AUC too low: " a; exit 1 } }' || exit 1
# the model scores the table: score, p_pay, reasons appended
cx-score --model german.model german.tsv > scored.tsv || exit 1
head -n 4 scored.tsv | cut -f1,22-
# and evaluates it (all 1000 rows)
cx-score --eval --target bad --model german.model german.tsv | tail -n 1
