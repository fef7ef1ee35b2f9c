#!/bin/sh
# Throughput of cx-report: the whole KPI report over a generated portfolio
# (accounts, payments, contacts), also with today's plan (--plan, made by
# cx-plan beforehand, not timed) and the default policy, with peak memory.  Usage: scripts/bench-report.sh BINDIR [ACCOUNTS]
# (default 1000000).  Called by `make bench` or by hand.
set -eu
bin=${1:?usage: bench-report.sh BINDIR [ACCOUNTS]}
n=${2:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cx-bench-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bin/cx-gen" -n "$n" -s 7 --as-of 2026-11-20 -o "$tmp" --streams accounts,payments,contacts -f
mb=$(du -cm "$tmp"/accounts.tsv "$tmp"/payments.tsv "$tmp"/contacts.tsv | tail -n 1 | cut -f 1)
timeit() { # label command...
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null
		read -r secs kb <"$tmp/t"
	else
		s0=$(date +%s)
		"$@" >/dev/null
		secs=$(($(date +%s) - s0)) kb=0
	fi
	printf 'cx-report %-28s %9d accounts %6d MB in %6.2f s  %7.1f MB/s  peak %6d KB\n' \
		"$label" "$n" "$mb" "$secs" "$(echo "$mb $secs" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')" "$kb"
}
"$bin/cx-plan" --as-of 2026-11-20 --payments "$tmp/payments.tsv" --contacts "$tmp/contacts.tsv" \
	-o "$tmp/plan.tsv" "$tmp/accounts.tsv"
set -- --as-of 2026-11-20 --payments "$tmp/payments.tsv" --contacts "$tmp/contacts.tsv"
timeit "accounts only" "$bin/cx-report" --as-of 2026-11-20 "$tmp/accounts.tsv"
timeit "all streams" "$bin/cx-report" "$@" "$tmp/accounts.tsv"
timeit "all streams, by segment,product" "$bin/cx-report" "$@" --by segment,product "$tmp/accounts.tsv"
timeit "all streams, --plan" "$bin/cx-report" "$@" --plan "$tmp/plan.tsv" "$tmp/accounts.tsv"
timeit "all streams, --plan, --policy" "$bin/cx-report" "$@" --plan "$tmp/plan.tsv" --policy default \
	"$tmp/accounts.tsv"
