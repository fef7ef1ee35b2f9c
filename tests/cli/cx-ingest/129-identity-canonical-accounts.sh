# The identity pass over canonical accounts streams (outputs of cx-ingest
# given back to it): rows already canonical are taken as they are, others
# (here a lower-case currency, a name with a leading space, an escaped tab
# in a name, a stale days_past_due) are normalised or rejected as for any
# input; a repeated row is a duplicate, a changed one a conflict.  A reader
# closing the output pipe early ends cx-ingest by SIGPIPE (141), as it did
# before output was written by a second thread.
cat > cards.csv <<'X'
account_id,national_id,name,email,phone,country,balance,currency,due_date,open_date
A1,1020304050,Ana Gómez,ana@example.com,3001234567,CO,100.00,COP,2026-11-01,2020-01-01
A2,79555444,Luis Ruiz,,3011112233,CO,50.50,COP,2026-12-01,2021-05-05
X
cat > loans.csv <<'X'
account_id,national_id,name,email,country,balance,currency,due_date,open_date
L1,1020304050,Ana Gomez,ana@example.com,US,7.25,USD,2026-10-01,2019-03-03
L2,5550001,Kim Lee,,US,1.00,USD,2026-11-30,2018-02-02
X
cx-ingest -k accounts --as-of 2026-11-22 -o a.cards.tsv cards.csv || exit
cx-ingest -k accounts --as-of 2026-11-22 -o a.loans.tsv loans.csv || exit
# edited rows: currency in lower case, a leading space, an escaped tab, a
# stale days_past_due, the first row again, the second with a new balance
awk -F'\t' 'BEGIN { OFS = "\t" }
NR == 1 { print; next }
NR == 2 { d = $0; $2 = $2 "x"; $13 = "cop"; print }
NR == 3 { c = $0; $2 = $2 "x"; $6 = " " $6; print
          $2 = $2 "y"; $6 = "Tab\\there"; print
          $2 = $2 "z"; $6 = "Luis Ruiz"; $19 = "3"; print }
END { print d; $0 = c; $14 = "1.00"; print }' a.cards.tsv > edited.tsv
cx-ingest -k accounts --as-of 2026-11-22 -o - --rejects rej.tsv --ledger led.tsv a.cards.tsv a.loans.tsv edited.tsv
echo "rc=$?"
cut -f2- rej.tsv
cat led.tsv
# many rows, the pipe closed after a few bytes
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { print; next } NR == 2 { for (i = 0; i < 20000; i++) { $2 = sprintf("N%06d", i); print } }' a.cards.tsv > many.tsv
{ cx-ingest -k accounts --as-of 2026-11-22 -o - many.tsv; echo "piped rc=$?" > piped; } | head -c 10 > /dev/null
cat piped
