# The identity pass over plain canonical accounts files keeps their
# canonical rows in the files' mappings and writes them from there; from
# standard input or gzip they are copied as before: the output, rejects
# and ledger are the same bytes either way, with rows that are not
# canonical (lower-case currency, leading space, stale days_past_due), a
# duplicate and a conflict (rejected) among canonical ones.
cat > cards.csv <<'X'
account_id,national_id,name,email,phone,country,balance,currency,due_date,open_date
A1,1020304050,Ana Gómez,ana@example.com,3001234567,CO,100.00,COP,2026-11-01,2020-01-01
A2,79555444,Luis Ruiz,,3011112233,CO,50.50,COP,2026-12-01,2021-05-05
A3,79555445,Eva Díaz,eva@example.com,3011112234,CO,9.00,COP,2026-10-15,2022-01-01
X
cat > loans.csv <<'X'
account_id,national_id,name,email,country,balance,currency,due_date,open_date
L1,1020304050,Ana Gomez,ana@example.com,US,7.25,USD,2026-10-01,2019-03-03
L2,5550001,Kim Lee,,US,1.00,USD,2026-11-30,2018-02-02
X
cx-ingest -k accounts --as-of 2026-11-22 -o a.cards.tsv cards.csv || exit
cx-ingest -k accounts --as-of 2026-11-22 -o a.loans.tsv loans.csv || exit
awk -F'\t' 'BEGIN { OFS = "\t" }
NR == 1 { print; next }
{ print; d = $0; $2 = $2 "x"; $13 = tolower($13); print
  $2 = $2 "y"; $13 = toupper($13); $6 = " " $6; print
  $2 = $2 "z"; $6 = substr($6, 2); $19 = "3"; print; print d
  $0 = d; $14 = "1.00"; print }' a.cards.tsv > mixed.tsv
gzip -c a.loans.tsv > a.loans.tsv.gz
cx-ingest -k accounts --as-of 2026-11-22 -o plain.tsv --rejects plain.rej --ledger plain.led \
	mixed.tsv a.loans.tsv
echo "plain rc=$?"
cx-ingest -k accounts --as-of 2026-11-22 -o copied.tsv --rejects copied.rej --ledger copied.led \
	- a.loans.tsv.gz < mixed.tsv
echo "copied rc=$?"
cmp plain.tsv copied.tsv && cmp plain.led copied.led && echo "output and ledger: same bytes"
cut -f2- plain.rej > a
cut -f2- copied.rej > b
cmp a b && echo "rejects: same lines, reasons and records"
cat plain.tsv
cut -f2- plain.rej
