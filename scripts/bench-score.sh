#!/bin/sh
# bench-score.sh — cx-score's figures for `make bench`: training time on the
# UCI data (30,000 customers, 180,000 statements) and scoring throughput
# with every stream on a generated portfolio.
# Usage: scripts/bench-score.sh BINDIR [ACCOUNTS]   (default 1000000 accounts)
# Prints TSV: stage, input_mb, wall_s, cpu_s, mb_per_cpu_s, max_rss_kb.
# CPU seconds are user + system of cx-score alone (the machine may be busy).
set -eu
bin=${1:?usage: bench-score.sh BINDIR [ACCOUNTS]}
n=${2:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {   # stage input_bytes command...
	stage=$1 bytes=$2
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" > /dev/null
	read -r wall user sys rss < "$tmp/time"
	awk -v s="$stage" -v b="$bytes" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss" 'BEGIN {
		c = u + y; printf "%s\t%.1f\t%.2f\t%.2f\t%.1f\t%d\n", s, b / 1e6, w, c, (c > 0 ? b / 1e6 / c : 0), r }'
}
printf 'stage\tinput_mb\twall_s\tcpu_s\tmb_per_cpu_s\tmax_rss_kb\n'
uci=$here/../shared/data/uci_credit_card_default.csv
if [ -r "$uci" ]; then
	sh "$here/scripts/uci-to-streams.sh" "$uci" "$tmp/uci"
	b=$(cat "$tmp/uci/accounts.tsv" "$tmp/uci/statements.tsv" "$tmp/uci/payments.tsv" | wc -c)
	run train-uci-30k "$b" "$bin/cx-score" --train --target bad --as-of 2005-10-01 \
		--statements "$tmp/uci/statements.tsv" --payments "$tmp/uci/payments.tsv" \
		--holdout 0.3 --min-bin 0.02 -o "$tmp/m.model" "$tmp/uci/accounts.tsv"
fi
"$bin/cx-gen" --accounts "$n" --seed 7 --as-of 2026-11-20 --out "$tmp/p" --force
d=$tmp/p
b=$(wc -c < "$d/accounts.tsv")
run "score-accounts-$n" "$b" "$bin/cx-score" --as-of 2026-11-20 "$d/accounts.tsv"
b=$(cat "$d/accounts.tsv" "$d/payments.tsv" "$d/statements.tsv" "$d/contacts.tsv" | wc -c)
run "score-all-streams-$n" "$b" "$bin/cx-score" --as-of 2026-11-20 --payments "$d/payments.tsv" \
	--statements "$d/statements.tsv" --contacts "$d/contacts.tsv" "$d/accounts.tsv"
