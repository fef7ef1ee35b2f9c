# Identity index over --memory: 3 x 8000 accounts linked by national_id and
# e-mail across files, with identical repeats (dropped) and conflicting ones
# (rejected) far from their first occurrence.  --memory 64K spills the index
# from the start, 3M part way; output, rejects and ledger stay byte for byte
# those of the in-memory index, and no temporary file is left.
for f in 0 1 2; do
  awk -v f=$f 'BEGIN { print "account_id,source,national_id,email,name,balance,currency,due_date";
    for (i = 0; i < 8000; i++) {
      id = (f == 1) ? 2000000 + (i * 13) % 5000 : 1000000 + (i * 7) % 6000 + f;
      em = (i % 4 == 0) ? sprintf("u%d@x.co", (i + 1000 * f) % 7000) : "";
      printf "A%05d,s%d,%d,%s,Name %d,%d.%02d,COP,2024-%02d-%02d\n",
        (i * 7919) % 8000, f, id, em, i, i * 13 % 100000, i % 100, 1 + i % 12, 1 + i % 28 }
    if (f == 2) for (i = 0; i < 400; i++) {
      # repeats of file 0: even i identical, odd i with another balance
      j = i * 19; b = (i % 2) ? 1 : 0
      printf "A%05d,s0,%d,%s,Name %d,%d.%02d,COP,2024-%02d-%02d\n",
        (j * 7919) % 8000, 1000000 + (j * 7) % 6000, (j % 4 == 0) ? sprintf("u%d@x.co", j % 7000) : "",
        j, j * 13 % 100000 + b, j % 100, 1 + j % 12, 1 + j % 28 } }' > s$f.csv
done
mkdir tmp
for m in 512M 64K 3M; do
  cx-ingest -k accounts --as-of 2024-12-31 --link id,email --memory $m --tmpdir tmp \
    --rejects rej.$m --ledger led.$m -o out.$m s0.csv s1.csv s2.csv 2>/dev/null
  echo "$m exit $?"
done
for m in 64K 3M; do
  cmp out.512M out.$m && cmp rej.512M rej.$m && cmp led.512M led.$m && echo "$m identical"
done
wc -l < out.512M
cut -f1 out.512M | uniq | wc -l
grep -E '^(rows_|customers)' led.512M
cut -f3 rej.512M | sort | uniq -c
ls tmp | wc -l
