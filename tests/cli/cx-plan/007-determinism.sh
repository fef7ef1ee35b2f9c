# byte-identical output whatever the machine's TZ and locale, from stdin or
# a file, and published atomically with -o
T=$TESTDATA/canonical
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" "$T/accounts.tsv" >a.tsv
TZ=Asia/Tokyo LC_ALL=C.UTF-8 cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" - <"$T/accounts.tsv" >b.tsv
gzip -c "$T/accounts.tsv" >acc.gz
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" -o c.tsv acc.gz
cmp a.tsv b.tsv && cmp a.tsv c.tsv && echo identical
cx-plan --as-of 2026-11-20 -o c.tsv "$T/accounts.tsv"; echo "rc=$?"
cx-plan --as-of 2026-11-20 -f -o c.tsv "$T/accounts.tsv"; echo "rc=$?"
ls -A
