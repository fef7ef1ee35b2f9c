# A plan that breaks the contact policy is never published: a cx-plan
# wrapped (bin_dir first on PATH) to move one planned contact to 23:30 local
# time makes the run stop with status 65, and nothing is published.
cp "$TESTDATA"/sample/*.csv "$TESTDATA"/sample/*.txt .
mkdir wrap
cat >wrap/cx-plan <<'WRAP'
#!/bin/sh
# the real cx-plan, then the first contact's window moved out of hours
out=""
prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
PATH=${PATH#*:} cx-plan "$@" || exit $?
awk -F '\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["action"] == "contact" && !moved {
	$c["window_start"] = substr($c["window_start"], 1, 11) "23:30:00" substr($c["window_start"], 20)
	moved = 1
}
{ print }' "$out" >"$out.m" && mv "$out.m" "$out"
WRAP
chmod +x wrap/cx-plan
sed 's|^output_root.*|output_root = out|' "$TESTDATA/sample/nightly.conf" >n.conf
echo "bin_dir = wrap" >>n.conf
"$SRCDIR/scripts/cx-nightly" n.conf 2>err; echo "status: $?"
grep -o "error: .*" err
ls -A out | grep -v '^\.cx-nightly\.lock$' || echo "nothing published"
