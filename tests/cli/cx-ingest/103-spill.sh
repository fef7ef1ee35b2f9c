# 20 000 accounts: --memory 1M (spilled runs, k-way merge) gives the same
# output as the in-memory sort.
awk 'BEGIN { print "account_id,source,national_id,name,balance,currency,due_date";
  for (i = 0; i < 20000; i++) printf "A%05d,s%d,%d,Name %d,%d.%02d,COP,2024-%02d-%02d\n",
    (i * 7919) % 20000, i % 3, 1000000 + (i * 31) % 7000, i, i * 13 % 100000, i % 100, 1 + i % 12, 1 + i % 28 }' > big.csv
mkdir tmp
cx-ingest -k accounts --as-of 2024-12-31 -o mem.tsv big.csv || exit
cx-ingest -k accounts --as-of 2024-12-31 --memory 1M --tmpdir tmp -o spill.tsv big.csv || exit
cmp mem.tsv spill.tsv && echo identical
wc -l < spill.tsv
cut -f1 spill.tsv | uniq | wc -l
ls tmp | wc -l
