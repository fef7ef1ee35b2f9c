# Control totals that do not reconcile stop the run: a cx-plan wrapped
# (bin_dir first on PATH) to lose one customer's row makes the job exit 65
# with the reason, and nothing is published.
cp "$TESTDATA"/sample/*.csv "$TESTDATA"/sample/*.txt .
mkdir wrap
cat >wrap/cx-plan <<'WRAP'
#!/bin/sh
out=""
prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
PATH=${PATH#*:} cx-plan "$@" || exit $?
sed '$d' "$out" >"$out.m" && mv "$out.m" "$out"
WRAP
chmod +x wrap/cx-plan
sed 's|^output_root.*|output_root = out|' "$TESTDATA/sample/nightly.conf" >n.conf
echo "bin_dir = wrap" >>n.conf
"$SRCDIR/scripts/cx-nightly" n.conf 2>err; echo "status: $?"
sed 's/^[0-9TZ:-]* cx-nightly: //' err | grep -v '^run date\|some records rejected\|^cx-ingest: '
ls -A out | grep -v '^\.cx-nightly\.lock$' || echo "nothing published"
