# the shipped default model is reproduced byte for byte from the UCI data by
# scripts/train-default-model.sh, and meets the AUC bar on its 30 % holdout
sh "$SRCDIR/scripts/train-default-model.sh" "$(command -v cx-score)" \
	"$SRCDIR/../shared/data/uci_credit_card_default.csv" "$PWD/default.model" || exit 1
cmp default.model "$SRCDIR/models/default.model" && echo "default model reproduced"
grep -E '^meta	(rows_|bad_rate_test|auc_test|ks_test|gini_test)' default.model
auc=$(awk -F'\t' '$1 == "meta" && $2 == "auc_test" { print $3 }' default.model)
awk -v a="$auc" 'BEGIN { if (a + 0 < 0.775) { print "UCI AUC below 0.775: " a; exit 1 } }'
