#!/bin/sh
# Rebuild the cx-report test snapshots from testdata/canonical (run from the
# repo root; deterministic).  current.tsv = canonical accounts plus the
# columns cx-score and cx-segment would add (score, segment, experiment,
# arm); previous.tsv = the same portfolio 30 days earlier, made by a fixed
# transformation: some accounts one bucket better (so they roll forward),
# some delinquent (so they cure), some absent (new), one extra (closed),
# balances and scores moved.  costs.tsv = cost per outbound contact.
set -eu
in=testdata/canonical/accounts.tsv
out=testdata/report
awk -F '\t' -v OFS='\t' '
NR == 1 { print $0, "score", "segment", "experiment", "arm"; next }
{
	n = NR - 1
	h = 0
	for (i = 2; i <= length($1); i++) h = (h * 31 + index("0123456789abcdef", substr($1, i, 1))) % 1000003
	score = 420 + (h % 380)
	seg = ($19 > 0) ? (($19 > 90) ? "late" : "early") : "prevent"
	arm = (h % 3 == 0) ? "challenger" : "champion"
	print $0, score, seg, "E1", arm
}' "$in" >"$out/current.tsv"
awk -F '\t' -v OFS='\t' '
function bucket(d) {
	if (d <= 0) return "current"; if (d <= 30) return "1-30"; if (d <= 60) return "31-60"
	if (d <= 90) return "61-90"; if (d <= 120) return "91-120"; if (d <= 180) return "121-180"
	return "180+"
}
NR == 1 { print; hdr = $0; next }
{
	n = NR - 1
	if (n % 13 == 0) next                          # new since last month
	d = $19
	if (n % 5 == 0 && d <= 0) { d = 12; $15 = $16 } # was late, cured now
	else if (d > 30) d = d - 30                     # one bucket better a month ago
	else if (n % 3 == 0 && d > 0) d = 0
	$19 = d; $20 = bucket(d)
	if (d <= 0) $15 = (index($13, "CLP") ? "0" : "0.00")
	$28 = 400 + ($28 + n * 7) % 420
	print
	if (n == 7) { $2 = "CLOSED" $2; $14 = $16; $19 = 45; $20 = bucket(45); print }
}' "$out/current.tsv" >"$out/previous.tsv"
printf 'channel\tcurrency\tcost\n' >"$out/costs.tsv"
for c in COP:sms:45.00 COP:whatsapp:30.00 COP:email:5.00 COP:call:2500.00 COP:letter:3200.00 \
	MXN:sms:0.80 MXN:whatsapp:0.50 MXN:email:0.10 MXN:call:12.00 MXN:letter:18.00 \
	USD:sms:0.05 USD:whatsapp:0.03 USD:email:0.01 USD:call:0.90 USD:letter:1.20; do
	printf '%s\t%s\t%s\n' "$(echo "$c" | cut -d: -f2)" "$(echo "$c" | cut -d: -f1)" \
		"$(echo "$c" | cut -d: -f3)" >>"$out/costs.tsv"
done
