# Canonical streams: the schema's header, rows sorted by customer_key (then
# source and account_id; events by account_id then date), every customer
# contiguous, keys in the documented form, exactly --accounts accounts.
set -e
cx-gen --accounts 1001 --seed 3 --as-of 2026-11-20 --out o
cd o
for s in accounts payments contacts statements; do head -n 1 $s.tsv; done
tail -n +2 accounts.tsv | wc -l
# every row has as many fields as the header
for s in accounts payments contacts statements; do
	awk -F'\t' -v s=$s 'NR==1{n=NF} NF!=n{print s ": line " NR " has " NF " fields"; bad=1}
	    END{if(!bad) print s ": field counts ok"}' $s.tsv
done
# order
tail -n +2 accounts.tsv | LC_ALL=C sort -c -t "$(printf '\t')" -k1,1 -k3,3 -k2,2 && echo "accounts sorted"
for s in payments statements; do
	tail -n +2 $s.tsv | LC_ALL=C sort -c -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 && echo "$s sorted"
done
# contacts: by key and account; timestamps increase within an account (UTC)
tail -n +2 contacts.tsv | LC_ALL=C sort -c -s -t "$(printf '\t')" -k1,1 -k2,2 && echo "contacts sorted"
# customers contiguous and keys well formed
awk -F'\t' 'NR>1{ if ($1 != prev && ($1 in seen)) { print "customer " $1 " split"; bad=1 }
    seen[$1]=1; prev=$1 } END { if (!bad) print "customers contiguous" }' accounts.tsv
cut -f1 accounts.tsv | tail -n +2 | grep -Evx 'c[0-9a-f]{16}' || echo "keys well formed"
# a customer's accounts share national id, name, country; ids unique
awk -F'\t' 'NR>1{ k=$1; v=$5 "|" $6 "|" $9; if ((k in id) && id[k] != v) { print "mixed " k; bad=1 } id[k]=v;
    if ($2 in acc) { print "dup account " $2; bad=1 } acc[$2]=1 }
    END { if (!bad) print "identity consistent" }' accounts.tsv
# every event belongs to an account of the same customer
awk -F'\t' 'FNR==1{next} FILENAME=="accounts.tsv"{own[$2]=$1; next}
    !($2 in own) || own[$2] != $1 { print FILENAME ": orphan " $2; bad=1 }
    END { if (!bad) print "events joined" }' accounts.tsv payments.tsv contacts.tsv statements.tsv
# buckets agree with days past due; vocabularies
awk -F'\t' 'NR>1{ d=$19; b = d<=0 ? "current" : d<=30 ? "1-30" : d<=60 ? "31-60" : d<=90 ? "61-90" : d<=120 ? "91-120" : d<=180 ? "121-180" : "180+"; if (b != $20) { print "bucket " $2; bad=1 }
    if ($13 !~ /^(COP|MXN|USD)$/) { print "currency " $13; bad=1 }
    if ($14 !~ /^[0-9]+\.[0-9][0-9]$/) { print "money " $14; bad=1 } }
    END { if (!bad) print "buckets and money ok" }' accounts.tsv
tail -n +2 contacts.tsv | cut -f3 |
	grep -Evx '20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9][-+][01][0-9]:[0-5][0-9]' ||
	echo "timestamps well formed"
tail -n +2 contacts.tsv | cut -f3 | awk '$0 >= "2026-11-20" { print "contact on or after the run date: " $0 }'
# each customer's accounts: the key is the hash of the smallest source+id,
# which cx-ingest recomputes in 004; here: keys are unique per customer
cut -f1,5 accounts.tsv | sort -u | cut -f1 | uniq -d | sed 's/^/key with two national ids: /' 
