# Every row lands in exactly one shard; -k selects the same rows as the split;
# the union of the shards is the input (as a multiset of rows).
printf 'customer_key\tbalance\nc01\t1.00\nc02\t2.00\nc02\t3.00\nc03\tx\\ty\nc04\t4\nc05\t5\n' >in.tsv
cx-shard -n 3 -o part in.tsv
for k in 0 1 2; do cx-shard -n 3 -k $k in.tsv | cmp - part.$k.tsv || echo "shard $k differs"; done
tail -q -n +2 part.*.tsv | sort >union
tail -n +2 in.tsv | sort | cmp - union && echo union ok
# one customer's rows are never split
for k in 0 1 2; do grep -c '^c02' part.$k.tsv; done | sort -n | tail -n 1
