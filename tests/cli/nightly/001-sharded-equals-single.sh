# The nightly job split into 3 shards under GNU parallel gives the same
# segmented snapshot, the same plan and a byte-identical report as one run.
cp "$TESTDATA"/sample/*.csv "$TESTDATA"/sample/*.txt .
sed 's|^output_root.*|output_root = one|' "$TESTDATA/sample/nightly.conf" >one.conf
sed 's|^output_root.*|output_root = three|' "$TESTDATA/sample/nightly.conf" >three.conf
echo 'shards = 3' >>three.conf
"$SRCDIR/scripts/cx-nightly" one.conf 2>log1; echo "single: $?"
"$SRCDIR/scripts/cx-nightly" three.conf 2>log3; echo "sharded: $?"
for f in accounts.tsv segmented.tsv plan.tsv report.tsv report.csv report.html; do
	cmp -s one/2026-11-20/$f three/2026-11-20/$f && echo "$f identical" || echo "$f DIFFERS"
done
grep -c 'shard' log3 >/dev/null && echo "sharded run used shards"
