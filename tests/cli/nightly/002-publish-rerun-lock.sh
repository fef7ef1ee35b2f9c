# Atomic publish, byte-identical re-run, refusal to overwrite, the lock, and
# a failed run that publishes nothing and leaves the previous day in place.
cp "$TESTDATA"/sample/*.csv "$TESTDATA"/sample/*.txt .
sed 's|^output_root.*|output_root = out|' "$TESTDATA/sample/nightly.conf" >n.conf
N="$SRCDIR/scripts/cx-nightly"
$N n.conf 2>/dev/null; echo "first: $?"
cp -r out/2026-11-20 first
$N n.conf 2>err; echo "again without --force: $?"; sed "s/^[0-9TZ:-]* //; s|$PWD/||" err
$N --force n.conf 2>/dev/null; echo "rerun: $?"
diff -r -x timings.tsv first out/2026-11-20 && echo "rerun byte-identical"
ls out | sort | tr '\n' ' '; echo
# a run date whose inputs are broken: nothing published, latest unchanged
printf 'account_number,currency\n"unterminated,USD\n' >cards.csv
$N --date 2026-11-21 n.conf 2>err; echo "broken: $?"
grep -c 'nothing published' err
ls out | sort | tr '\n' ' '; echo
readlink out/latest
# the lock
exec 9>out/.cx-nightly.lock
flock -n 9
$N --force n.conf 2>err; echo "locked: $?"; sed "s/^[0-9TZ:-]* //; s|$PWD/||" err
