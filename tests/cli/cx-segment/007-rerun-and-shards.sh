# segmenting segmented output replaces the columns in place (same bytes);
# each customer's decision and arm depend on its own rows only, so two
# shards segmented apart give the rows of one run; input not sorted by
# customer_key is refused (a customer split in two would get two decisions)
cx-score --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 scored.tsv >once.tsv
cx-segment --as-of 2026-11-20 once.tsv >twice.tsv
cmp once.tsv twice.tsv && echo "rerun identical"
# shard by the last hex digit of the key: even and odd
head -n 1 scored.tsv >even.tsv
head -n 1 scored.tsv >odd.tsv
tail -n +2 scored.tsv | awk -F '\t' '{ d = substr($1, 17, 1); if (index("02468ace", d)) print >> "even.tsv"; else print >> "odd.tsv" }'
cx-segment --as-of 2026-11-20 even.tsv >s1.tsv
cx-segment --as-of 2026-11-20 odd.tsv >s2.tsv
{ tail -n +2 s1.tsv; tail -n +2 s2.tsv; } | sort >shards.txt
tail -n +2 once.tsv | sort >single.txt
cmp shards.txt single.txt && echo "shards equal a single run"
wc -l <shards.txt
{ head -n 1 scored.tsv; tail -n +2 scored.tsv | sort -r; } >reversed.tsv
cx-segment --as-of 2026-11-20 reversed.tsv >/dev/null
echo "status $?"
