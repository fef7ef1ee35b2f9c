# The raw exports, ingested with each system's dialect options, give back
# exactly the canonical streams of the same seed (customer keys included).
set -e
cx-gen --accounts 400 --seed 5 --as-of 2026-11-20 --out c
cx-gen --accounts 400 --seed 5 --as-of 2026-11-20 --format raw --gzip --out r
cd r
ES="--encoding cp1252 --decimal-comma --date-format dmy"
A="--as-of 2026-11-20"
cx-ingest -k accounts $A -o a1.tsv cards.csv.gz billing.txt.gz
cx-ingest -k accounts $A $ES -o a2.tsv loans.csv.gz
cx-ingest -k accounts $A -o accounts.tsv a1.tsv a2.tsv
cmp accounts.tsv ../c/accounts.tsv && echo "accounts identical"
for k in payments statements; do
	cx-ingest -k $k $A --accounts accounts.tsv -f -o e1.tsv cards_$k.csv.gz billing_$k.txt.gz
	cx-ingest -k $k $A --accounts accounts.tsv $ES -f -o e2.tsv loans_$k.csv.gz
	cx-ingest -k $k $A --accounts accounts.tsv -f -o $k.tsv e1.tsv e2.tsv
	cmp $k.tsv ../c/$k.tsv && echo "$k identical"
done
cx-ingest -k contacts $A --accounts accounts.tsv -o contacts.tsv contacts.csv.gz
cmp contacts.tsv ../c/contacts.tsv && echo "contacts identical"
