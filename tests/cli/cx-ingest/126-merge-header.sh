# --merge takes only streams with the canonical header of --kind: another
# kind's stream, or columns in another order, stop it (file:1, status 65).
t=$(printf '\t')
printf '%s\n' "customer_key${t}account_id${t}date${t}amount${t}currency${t}method" > pay.tsv
printf '%s\n' "customer_key${t}account_id${t}amount${t}date${t}currency${t}method" > swapped.tsv
cx-ingest --merge -k payments -o out.tsv pay.tsv swapped.tsv
echo "columns in another order: $?"
cx-ingest --merge -k statements -o out.tsv pay.tsv
echo "another kind: $?"
printf 'account_id,date,amount,currency\nA1,2024-05-01,1.00,USD\n' > raw.csv
cx-ingest --merge -k payments -o out.tsv raw.csv
echo "a raw export: $?"
[ -e out.tsv ] || echo "nothing written"
