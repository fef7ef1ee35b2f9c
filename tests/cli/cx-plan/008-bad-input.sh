# structural faults stop the run and publish nothing
T=$TESTDATA/canonical
{ head -1 "$T/accounts.tsv"; sed 1d "$T/accounts.tsv" | sort -r; } >unsorted.tsv
cx-plan --as-of 2026-11-20 -o out.tsv unsorted.tsv; echo "rc=$?"
cut -f2- "$T/accounts.tsv" >nokey.tsv
cx-plan --as-of 2026-11-20 nokey.tsv; echo "rc=$?"
{ head -1 "$T/contacts.tsv"; sed 1d "$T/contacts.tsv" | sort -r; } >c.tsv
cx-plan --as-of 2026-11-20 --contacts c.tsv "$T/accounts.tsv" >/dev/null; echo "rc=$?"
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 3 { $14 = "12,50" } { print }' "$T/accounts.tsv" >money.tsv
cx-plan --as-of 2026-11-20 money.tsv >/dev/null; echo "rc=$?"
cx-plan --as-of 2026-11-20 no-such-file.tsv; echo "rc=$?"
ls -A
: >empty.tsv
cx-plan --as-of 2026-11-20 empty.tsv; echo "rc=$?"
head -1 "$T/accounts.tsv" >header-only.tsv
cx-plan --as-of 2026-11-20 header-only.tsv | wc -l
