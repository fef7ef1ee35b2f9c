#!/bin/sh
# make bench: generate portfolios, time every stage and the whole job, and
# the tools a user would otherwise reach for on the same file for the same
# core step (group accounts by customer: count, sum of balance, worst days
# past due).  Prints a table; writes it to build/bench/results.md too.
#   BENCH_SIZES   accounts per portfolio (default "1000000 10000000")
#   BENCH_DIR     work folder (default build/bench); generated data is kept
#                 there between runs and reused
#   BENCH_PEERS   0 to skip the peer tools
set -eu
bin=$(cd "${1:-build/bin}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$bin:$top/scripts:$PATH
export PATH LC_ALL=C
sizes=${BENCH_SIZES:-1000000 10000000}
dir=${BENCH_DIR:-$top/build/bench}
asof=2026-11-22
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
results=$dir/results.md
TIME=/usr/bin/time

: >"$results"
say() { printf '%s\n' "$*" | tee -a "$results"; }

say "# cx benchmark, $(date -u +%Y-%m-%d)"
say ""
say "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)."
say ""

# measure NAME ROWS BYTES CMD...: one timed run; peak RSS of the largest
# process (GNU time reports the command; pipelines run under sh -c).
measure() {
	name=$1 rows=$2 bytes=$3
	shift 3
	st=0
	$TIME -f '%e %U %S %M' -o "$dir/.time" "$@" >"$dir/.out" 2>"$dir/.err" || st=$?
	if [ "$st" -ne 0 ] && [ "$st" -ne 1 ] && [ "$st" -ne 2 ]; then
		say "| $name | failed (status $st): $(grep -v '^Command exited' "$dir/.err" | head -c 200 | tr '\n|' '  ') | | | | | | |"
		return 0
	fi
	read -r wall usr sys rss <"$dir/.time"
	awk -v n="$name" -v r="$rows" -v b="$bytes" -v w="$wall" -v u="$usr" -v s="$sys" -v m="$rss" 'BEGIN {
		if (w <= 0) w = 0.01
		printf "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.0f | %.1f |\n", n, r, b / 1e6, w, u + s,
		    r / w / 1e6, b / w / 1e6, m / 1024 }' | tee -a "$results"
}
header() {
	say ""
	say "### $1"
	say ""
	say "| step | rows | MB in | wall s | cpu s | M rows/s | MB/s | peak RSS MiB |"
	say "|---|---:|---:|---:|---:|---:|---:|---:|"
}
rows_of() { echo $(($(wc -l <"$1") - 1)); }
bytes_of() { stat -c %s "$1"; }

duck=""
duck_load=""
duck_sql=""
if [ "${BENCH_PEERS:-1}" = 1 ] && command -v node >/dev/null; then
	if [ ! -d "$dir/duckdb/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$dir/duckdb"
		(cd "$dir/duckdb" && timeout 300 npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
	fi
	if [ -d "$dir/duckdb/node_modules/@duckdb/node-api" ]; then
		cat >"$dir/duckdb/gb.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const [file, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (SELECT customer_key, count(*) AS n, sum(balance) AS balance,
  max(days_past_due) AS worst FROM read_csv('${file}', delim='\t', header=true,
  types={'balance': 'DECIMAL(18,2)', 'days_past_due': 'INTEGER'}, all_varchar=false)
  GROUP BY customer_key) TO '${out}' (DELIMITER '\t', HEADER)`);
JS
		# What the whole job's first step costs a database: load every raw
		# export (text columns, no normalising, no grouping, nothing written).
		cat >"$dir/duckdb/load.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
let i = 0;
for (const f of process.argv.slice(2)) {
  const opt = f.includes('loans') ? ", delim=';', encoding='latin-1'" : '';
  await con.run(`CREATE TABLE t${i++} AS SELECT * FROM read_csv('${f}', all_varchar=true${opt})`);
}
JS
		printf '%s\n' "import { DuckDBInstance } from '@duckdb/node-api';" \
			"const con = await (await DuckDBInstance.create(':memory:')).connect();" \
			"await con.run(process.argv[2]);" >"$dir/duckdb/sql.mjs"
		duck="node $dir/duckdb/gb.mjs"
		duck_load="node $dir/duckdb/load.mjs"
		duck_sql="node $dir/duckdb/sql.mjs"
	fi
fi

uci=$top/../shared/data/uci_credit_card_default.csv
if [ -r "$uci" ]; then
	header "Training a scorecard (cx-score --train, UCI Taiwan, 30,000 customers, 180,000 statements)"
	sh "$top/scripts/uci-to-streams.sh" "$uci" "$dir/uci" >/dev/null
	measure "cx-score --train (binning, WoE, IRLS, 70/30 split)" 30000 \
		"$(cat "$dir/uci/accounts.tsv" "$dir/uci/statements.tsv" "$dir/uci/payments.tsv" | wc -c)" \
		cx-score --train --target bad --as-of 2005-10-01 --statements "$dir/uci/statements.tsv" \
		--payments "$dir/uci/payments.tsv" --holdout 0.3 --min-bin 0.02 -f -o "$dir/uci/m.model" \
		"$dir/uci/accounts.tsv"
fi

for n in $sizes; do
	d=$dir/n$n
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d"
		mkdir -p "$d"
		cx-gen -n "$n" -s 7 -a $asof -o "$d/canon" -v 2>"$d/gen.log"
		cx-gen -n "$n" -s 7 -a $asof -o "$d/raw" -F raw 2>>"$d/gen.log"
		# the core-step input: canonical accounts in account order (unsorted by customer)
		{ head -n 1 "$d/canon/accounts.tsv"; tail -n +2 "$d/canon/accounts.tsv" | sort -t "$(printf '\t')" -k2,2; } \
			>"$d/shuffled.tsv"
		gzip -1 -c "$d/raw/cards.csv" >"$d/raw/cards.csv.gz"
		touch "$d/.done"
	fi
	acc=$d/canon/accounts.tsv
	nacc=$(rows_of "$acc")
	say ""
	say "## $n accounts ($(rows_of "$d/canon/payments.tsv") payments, $(rows_of "$d/canon/contacts.tsv") contacts, $(rows_of "$d/canon/statements.tsv") statements)"
	header "Stages"
	w=$d/work
	rm -rf "$w"
	mkdir -p "$w"
	f=$d/raw/cards.csv
	measure "cx-ingest raw CSV (cards, ',')" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k accounts --source cards --as-of $asof -o "$w/a.cards.tsv" "$f"
	measure "zcat (gzip decompression alone, for reference)" "$(rows_of "$f")" "$(bytes_of "$f")" \
		sh -c "zcat '$f.gz' > /dev/null"
	measure "cx-ingest raw CSV.gz (cards)" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k accounts --source cards --as-of $asof -o "$w/a.cardsz.tsv" "$f.gz"
	if [ "${BENCH_PEERS:-1}" = 1 ]; then
		# Peers on the same raw file, each doing less than cx-ingest (no
		# validation, normalising, ledger or cross-id linking): rows grouped
		# by national id, as TSV where the tool can write it.
		if [ -n "$duck" ]; then
			measure "peer: DuckDB, CSV → TSV grouped by national_id" "$(rows_of "$f")" "$(bytes_of "$f")" \
				$duck_sql "COPY (SELECT * FROM read_csv('$f', all_varchar=true) ORDER BY national_id)
				TO '$w/duck.cards.tsv' (DELIMITER '	', HEADER)"
		fi
		if command -v mlr >/dev/null; then
			measure "peer: Miller, CSV → TSV grouped by national_id" "$(rows_of "$f")" "$(bytes_of "$f")" \
				sh -c "mlr --icsv --otsv sort -f national_id '$f' > '$w/mlr.cards.tsv'"
		fi
		if command -v datamash >/dev/null; then
			# plain sort cannot read quoted CSV: only the leading unquoted
			# columns are usable, so this counts accounts per national id
			measure "peer: sort + datamash, accounts per national_id" "$(rows_of "$f")" "$(bytes_of "$f")" \
				sh -c "tail -n +2 '$f' | sort -t, -k3,3 -S 1G | datamash -t, -g 3 count 3 > '$w/dm.cards.csv'"
		fi
	fi
	f=$d/raw/loans.csv
	measure "cx-ingest raw CSV (loans, ';' cp1252 1.234,56)" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k accounts --source loans -d ';' --encoding cp1252 --decimal-comma --date-format dmy \
		--as-of $asof -o "$w/a.loans.tsv" "$f"
	f=$d/raw/billing.txt
	measure "cx-ingest raw (billing, '|')" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k accounts --source billing -d '|' --as-of $asof -o "$w/a.billing.tsv" "$f"
	measure "cx-ingest identity across sources" "$nacc" "$(($(bytes_of "$w/a.cards.tsv") + $(bytes_of "$w/a.loans.tsv") + $(bytes_of "$w/a.billing.tsv")))" \
		cx-ingest -k accounts --as-of $asof -o "$w/accounts.tsv" "$w/a.cards.tsv" "$w/a.loans.tsv" "$w/a.billing.tsv"
	# Events: one raw statements export alone (sorted by account, then
	# date) and joined to the customers of the identity pass (by customer)
	f=$d/raw/cards_statements.csv
	measure "cx-ingest raw events alone (cards statements, by account)" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k statements -d , --as-of $asof -o "$w/s.cards.tsv" "$f"
	measure "cx-ingest raw events joined (same, --accounts: by customer)" "$(rows_of "$f")" "$(bytes_of "$f")" \
		cx-ingest -k statements -d , --accounts "$w/accounts.tsv" --as-of $asof -o "$w/sj.cards.tsv" "$f"
	if [ "${BENCH_PEERS:-1}" = 1 ]; then
		# the same order without reading the CSV (no quotes in the first
		# two columns), validating or normalising anything
		measure "peer: GNU sort, the same export by account and date" "$(rows_of "$f")" "$(bytes_of "$f")" \
			sh -c "tail -n +2 '$f' | sort -t, -k1,1 -k2,2 -S 1G > '$w/sort.cards_stm.csv'"
		if [ -n "$duck" ]; then
			measure "peer: DuckDB, the same export → TSV by account and date" "$(rows_of "$f")" "$(bytes_of "$f")" \
				$duck_sql "COPY (SELECT * FROM read_csv('$f', all_varchar=true) ORDER BY
				account_number, statement_date) TO '$w/duck.cards_stm.tsv' (DELIMITER '	', HEADER)"
		fi
	fi
	ev_bytes=$(($(bytes_of "$d/canon/payments.tsv") + $(bytes_of "$d/canon/contacts.tsv")))
	measure "cx-score (+payments, contacts, statements)" "$nacc" \
		"$(($(bytes_of "$acc") + ev_bytes + $(bytes_of "$d/canon/statements.tsv")))" \
		cx-score --as-of $asof --payments "$d/canon/payments.tsv" --contacts "$d/canon/contacts.tsv" \
		--statements "$d/canon/statements.tsv" -o "$w/scored.tsv" "$acc"
	measure "cx-segment (default rules)" "$nacc" "$(bytes_of "$w/scored.tsv")" \
		cx-segment --as-of $asof -o "$w/segmented.tsv" "$w/scored.tsv"
	measure "cx-plan (+contacts, payments)" "$nacc" "$(($(bytes_of "$w/segmented.tsv") + ev_bytes))" \
		cx-plan --as-of $asof --contacts "$d/canon/contacts.tsv" --payments "$d/canon/payments.tsv" \
		-o "$w/plan.tsv" "$w/segmented.tsv"
	measure "cx-report (+payments, contacts)" "$nacc" "$(($(bytes_of "$w/segmented.tsv") + ev_bytes))" \
		cx-report --as-of $asof --payments "$d/canon/payments.tsv" --contacts "$d/canon/contacts.tsv" \
		-o "$w/report.tsv" "$w/segmented.tsv"
	measure "pipeline score → segment → plan (2 cores)" "$nacc" "$(bytes_of "$acc")" sh -c "
		cx-score --as-of $asof --payments '$d/canon/payments.tsv' --contacts '$d/canon/contacts.tsv' \
		  --statements '$d/canon/statements.tsv' '$acc' |
		cx-segment --as-of $asof | cx-plan --as-of $asof --contacts '$d/canon/contacts.tsv' \
		  --payments '$d/canon/payments.tsv' > '$w/plan2.tsv'"
	r=$d/raw
	ES="--delimiter ; --encoding cp1252 --decimal-comma --date-format dmy"
	cat >"$w/nightly.conf" <<CONF
run_date = $asof
output_root = $w/out
source.cards = accounts --delimiter , -- $r/cards.csv
source.loans = accounts $ES -- $r/loans.csv
source.billing = accounts --delimiter | -- $r/billing.txt
source.cards_pay = payments --delimiter , -- $r/cards_payments.csv
source.loans_pay = payments $ES -- $r/loans_payments.csv
source.billing_pay = payments --delimiter | -- $r/billing_payments.txt
source.cards_stm = statements --delimiter , -- $r/cards_statements.csv
source.loans_stm = statements $ES -- $r/loans_statements.csv
source.billing_stm = statements --delimiter | -- $r/billing_statements.txt
source.crm = contacts -- $r/contacts.csv
report_formats = tsv
memory = 2G
CONF
	raw_bytes=$(cat "$r"/*.csv "$r"/*.txt | wc -c)
	measure "whole nightly job with history (cx-nightly, all raw exports)" "$nacc" "$raw_bytes" cx-nightly "$w/nightly.conf"
	if [ -n "$duck_load" ] && [ "$n" -le 2000000 ]; then
		measure "DuckDB loading the same raw exports only (peer, for scale)" "$nacc" "$raw_bytes" \
			$duck_load "$r"/*.csv "$r"/*.txt
	elif [ -n "$duck_load" ]; then
		say "| DuckDB loading the raw exports | skipped above 2M accounts (holds them in memory: 2.3 GB per 1M accounts) | | | | | | |"
	fi
	ls "$w/out/latest/timings.tsv" >/dev/null 2>&1 && { say ""; say "Stage timings of that run (wall s):"; say ""; sed 's/^/    /' "$w/out/latest/timings.tsv" | tee -a "$results"; }

	header "Core step: group accounts by customer (count, sum balance, worst days past due), same unsorted TSV"
	s=$d/shuffled.tsv
	sb=$(bytes_of "$s")
	measure "cx-ingest (identity + customer grouping, full rows out)" "$nacc" "$sb" \
		cx-ingest -k accounts --as-of $asof -o "$w/grouped.tsv" "$s"
	if [ "${BENCH_PEERS:-1}" = 1 ]; then
		if command -v datamash >/dev/null; then
			measure "sort + datamash" "$nacc" "$sb" sh -c "tail -n +2 '$s' | sort -t '	' -k1,1 -S 1G |
				datamash -g 1 count 1 sum 14 max 19 > '$w/datamash.tsv'"
		fi
		if command -v sqlite3 >/dev/null; then
			measure "sqlite3" "$nacc" "$sb" sh -c "sqlite3 :memory: -cmd '.mode tabs' -cmd \".import '$s' t\" \
				'select customer_key, count(*), sum(balance), max(cast(days_past_due as integer)) from t group by 1' > '$w/sqlite.tsv'"
		fi
		if [ -n "$duck" ]; then
			measure "DuckDB (node-api, 2 threads)" "$nacc" "$sb" $duck "$s" "$w/duck.tsv"
		else
			say "| DuckDB | skipped: @duckdb/node-api could not be installed | | | | | | |"
		fi
		if command -v mlr >/dev/null; then
			if [ "$n" -le 2000000 ]; then
				measure "Miller (mlr stats1)" "$nacc" "$sb" sh -c "mlr --tsv stats1 -a count,sum,max \
					-f balance,days_past_due -g customer_key '$s' > '$w/mlr.tsv'"
			else
				say "| Miller (mlr stats1) | skipped above 2M rows (runs out of memory / minutes; see performance.md) | | | | | | |"
			fi
		fi
		# The same output as cx-ingest's step: every row, grouped by customer
		# (the peers above write one aggregate row per customer instead).
		measure "same output: GNU sort, every row by customer_key" "$nacc" "$sb" sh -c "
			tail -n +2 '$s' | sort -t '	' -k1,1 -S 1G > '$w/sorted.tsv'"
		if [ -n "$duck" ]; then
			measure "same output: DuckDB, every row ordered by customer_key" "$nacc" "$sb" \
				$duck_sql "COPY (SELECT * FROM read_csv('$s', delim='	', header=true, all_varchar=true)
				ORDER BY customer_key) TO '$w/duck.sorted.tsv' (DELIMITER '	', HEADER)"
		fi
	fi
	rm -rf "$w"
done
say ""
say "Commands: see scripts/bench.sh.  Peak RSS is GNU time's maximum resident set of the measured command."
