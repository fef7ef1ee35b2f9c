#!/bin/sh
# The example report of the sample data linked from the README: the nightly
# job (cx-nightly) on the bundled sample exports of testdata/sample, then
# cx-report on what it published with the default policy and today's plan,
# as cx-nightly does, but cut by arm only (so the page keeps its headline
# table), as one HTML page.
# Usage: scripts/example-report.sh BINDIR [OUTPUT] (default examples/sample-report.html)
set -eu
bin=$(cd "${1:?usage: example-report.sh BINDIR [OUTPUT]}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$top/examples/sample-report.html}
PATH=$bin:$top/scripts:$PATH
export PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cx-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# the sample's config, with its exports named from here and a scratch output root
sed -e "s|^output_root = .*|output_root = $tmp/out|" \
	-e "s|-- \\([^ ]*\\)\$|-- $top/testdata/sample/\\1|" "$top/testdata/sample/nightly.conf" >"$tmp/nightly.conf"
rc=0
cx-nightly --force "$tmp/nightly.conf" >"$tmp/log" 2>&1 || rc=$?
# 1: published, with rejected rows (the sample has bad rows on purpose)
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	cat "$tmp/log" >&2
	exit "$rc"
fi
d=$tmp/out/latest
cx-report --as-of "$(sed -n 's/^run_date = //p' "$tmp/nightly.conf")" --by arm \
	--policy default --payments "$d/payments.tsv" --contacts "$d/contacts.tsv" \
	--statements "$d/statements.tsv" --plan "$d/plan.tsv" \
	--title "cx collections report (sample data, testdata/sample)" -F html -f -o "$out" \
	"$d/segmented.tsv"
echo "wrote $out"
