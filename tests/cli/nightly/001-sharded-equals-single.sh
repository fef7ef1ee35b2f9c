# The nightly job split into shards under GNU parallel (cx-score and
# cx-report --shard K/N on the unsplit streams, the report's plan part
# after the plan, the rest beside it) gives the same segmented snapshot,
# the same plan, a byte-identical report and the same ledgers as one run:
# on the first night, and on the next one, whose report reads the first
# night's snapshot as the previous one.  With jobs = 4 the report's shards
# also run beside the plan (jobs = 2: one report process there).  The
# reference run has one core (jobs = 1: one report pass after the plan);
# "split" has one shard and two cores (the report's plan part apart).
cp "$TESTDATA"/sample/*.csv "$TESTDATA"/sample/*.txt .
sed 's|^output_root.*|output_root = one|' "$TESTDATA/sample/nightly.conf" >one.conf
printf 'jobs = 1\n' >>one.conf
sed 's|^output_root.*|output_root = split|' "$TESTDATA/sample/nightly.conf" >split.conf
printf 'shards = 1\njobs = 2\n' >>split.conf
sed 's|^output_root.*|output_root = three|' "$TESTDATA/sample/nightly.conf" >three.conf
printf 'shards = 3\njobs = 2\n' >>three.conf
sed 's|^output_root.*|output_root = two|' "$TESTDATA/sample/nightly.conf" >two.conf
printf 'shards = 2\njobs = 4\n' >>two.conf
for d in 2026-11-20 2026-11-21; do
	"$SRCDIR/scripts/cx-nightly" --date $d one.conf 2>log1; echo "$d single: $?"
	"$SRCDIR/scripts/cx-nightly" --date $d split.conf 2>logs; echo "$d split: $?"
	"$SRCDIR/scripts/cx-nightly" --date $d three.conf 2>log3; echo "$d 3 shards: $?"
	"$SRCDIR/scripts/cx-nightly" --date $d two.conf 2>log2; echo "$d 2 shards: $?"
	for f in accounts.tsv segmented.tsv plan.tsv report.tsv report.csv report.html \
	    ledgers/score.tsv ledgers/segment.tsv; do
		cmp -s one/$d/$f three/$d/$f && cmp -s one/$d/$f two/$d/$f && cmp -s one/$d/$f split/$d/$f &&
			echo "$f identical" || echo "$f DIFFERS"
	done
	grep -v -e '^run	shards' -e '^run	config' one/$d/manifest.tsv >m1
	grep -v -e '^run	shards' -e '^run	config' three/$d/manifest.tsv | cmp -s - m1 &&
		echo "manifest identical but for the config and shards"
done
grep -q '^kpi	roll_forward_rate' one/2026-11-21/report.tsv && echo "second night: roll rates from the previous snapshot"
grep -q '^report	' one/2026-11-21/timings.tsv && grep -q '^report.plan	' split/2026-11-21/timings.tsv &&
	echo "one core: one report pass; two: the plan's part apart"
grep -q 'report.plan x3' three/2026-11-21/timings.tsv && grep -q 'report.rest x2' two/2026-11-21/timings.tsv &&
	! grep -q 'shard\.' three/2026-11-21/timings.tsv && echo "sharded runs read the streams with --shard"
