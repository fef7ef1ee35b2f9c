#!/bin/sh
# make demo: the nightly job on the bundled sample exports with the shipped
# defaults, then where the results are and a few headline figures.
set -eu
bin=$(cd "${1:-build/bin}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$bin:$top/scripts:$PATH
export PATH
conf=$top/testdata/sample/nightly.conf
out=$top/build/demo/out
rc=0
cx-nightly --force "$conf" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	echo "demo: cx-nightly failed with status $rc" >&2
	exit "$rc"
fi
day=$out/latest
plan=$day/plan.tsv
echo
echo "Published: $(readlink -f "$day")"
echo "  plan:     $plan"
echo "  reports:  $day/report.html (open in a browser), $day/report.tsv, $day/report.csv"
echo "  rejects:  $day/rejects/   manifest: $day/manifest.tsv"
echo
awk -F'\t' '
	FILENAME ~ /manifest/ && $1 ~ /^ledger\.ingest\./ {
		split($2, k, ":")
		if (k[1] == "rows_in") rows_in += $3
		if (k[1] == "rows_rejected") rej += $3
		next
	}
	FILENAME ~ /manifest/ { next }
	FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{
		n++
		act[$c["action"] " " ($c["channel"] == "" ? "-" : $c["channel"])]++
		if ($c["offer_type"] != "") offers[$c["offer_type"]]++
	}
	END {
		printf "Raw rows read: %d, rejected with a reason: %d\n", rows_in, rej
		printf "Customers planned (one row each): %d\n", n
		for (a in act) printf "  action: %-26s %d\n", a, act[a] | "sort"
		close("sort")
		for (o in offers) printf "  offer:  %-26s %d\n", o, offers[o] | "sort"
	}' "$day/manifest.tsv" "$plan"
if [ -d "$day/messages" ]; then
	echo "Messages ready for each channel's dispatch system ($day/messages/):"
	for f in "$day"/messages/*.tsv; do
		printf '  %-12s %d\n' "$(basename "$f" .tsv)" $(($(wc -l <"$f") - 1))
	done
fi
echo
echo "Top of the plan (rank, customer, action, channel, window):"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	NR <= 6 { printf "  %s  %s  %-10s %-9s %s .. %s\n", $c["rank"], $c["customer_key"],
		$c["action"], $c["channel"], $c["window_start"], $c["window_end"] }' "$plan"
if [ "$rc" -eq 1 ]; then
	echo
	echo "Status 1 from cx-nightly: published, with rejects. The sample exports hold bad"
	echo "rows on purpose (testdata/sample/README lists them); each is in rejects/ with"
	echo "its file, line and reason."
fi
exit 0
