#!/bin/sh
# train-default-model.sh — retrain cx-score's shipped default model from the
# UCI Taiwan credit-card data, through the same collections features that
# score real portfolios, and regenerate its embedded copy.
#
# Usage: scripts/train-default-model.sh CX-SCORE-BINARY [UCI.csv] [OUT.model]
# Defaults: ../shared/data/uci_credit_card_default.csv, models/default.model.
# Steps: scripts/uci-to-streams.sh maps the CSV to accounts, statements and
# payments streams (as of 2005-10-01); cx-score --train holds out 30 % of
# each class (seed 20051001) and records the holdout AUC/KS in the model;
# scripts/embed-bytes.sh embeds the model as lib/cx_score_default_model.c
# (only when OUT is models/default.model).  Deterministic: the same data
# gives a byte-identical model.
set -eu
bin=${1:?usage: train-default-model.sh CX-SCORE [UCI.csv] [OUT.model]}
here=$(cd "$(dirname "$0")/.." && pwd)
uci=${2:-$here/../shared/data/uci_credit_card_default.csv}
out=${3:-$here/models/default.model}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$here/scripts/uci-to-streams.sh" "$uci" "$tmp"
"$bin" --train --target bad --as-of 2005-10-01 \
	--statements "$tmp/statements.tsv" --payments "$tmp/payments.tsv" \
	--holdout 0.3 --seed 20051001 --min-bin 0.02 --l2 1 --min-iv 0.02 \
	--note "UCI default of credit card clients (Taiwan 2005, Yeh and Lien 2009, CC BY 4.0) mapped by scripts/uci-to-streams.sh; trained on 70 percent, figures on the 30 percent holdout" \
	-f -o "$out" "$tmp/accounts.tsv"
if [ "$out" = "$here/models/default.model" ]; then
	(cd "$here" && sh scripts/embed-bytes.sh models/default.model cx_score_default_model cx_score_default_model_len cx_score.h) > "$here/lib/cx_score_default_model.c.tmp"
	mv "$here/lib/cx_score_default_model.c.tmp" "$here/lib/cx_score_default_model.c"
fi
