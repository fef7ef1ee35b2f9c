# --pseudonymise KEYFILE: national_id, email and phone replaced by keyed
# HMAC-SHA256 pseudonyms; customer keys identical to a run without it
# (linking uses the real values); same key -> same output, another key ->
# other pseudonyms; rejects keep file, line and reason but not the record;
# --kind table pseudonymises the columns of those names.
cat > acc.csv <<'X'
account_id,source,national_id,email,phone,country,balance,currency
A1,cards,1.020.304.050,Ana@Example.com,3001234567,CO,10.00,USD
L9,loans,1020304050,,+57 300 123 4567,CO,20.00,USD
B2,cards,79555444,b@x.org,,CO,5.00,USD
B3,cards,79555444,b@x.org,,CO,-x,USD
X
printf '0123456789abcdef0123456789abcdef\n' > k1
printf 'another key, also thirty-two bytes long\n' > k2
chmod 600 k1 k2
cx-ingest -k accounts -o plain.tsv acc.csv 2>/dev/null
cx-ingest -k accounts --pseudonymise k1 --rejects rej1.tsv -o p1.tsv acc.csv
echo "exit $?"
cx-ingest -k accounts --pseudonymise k1 -o p1b.tsv acc.csv 2>/dev/null
cx-ingest -k accounts --pseudonymise k2 -o p2.tsv acc.csv 2>/dev/null
cat p1.tsv rej1.tsv
cut -f1,2 plain.tsv > keys.plain
cut -f1,2 p1.tsv > keys.p1
cmp keys.plain keys.p1 && echo "customer keys unchanged"
cmp -s p1.tsv p1b.tsv && echo "same key: same output"
cmp -s p1.tsv p2.tsv || echo "other key: other output"
cut -f5 p1.tsv | sort -u | wc -l
cut -f5 p2.tsv | sort -u | wc -l
grep -c -e 1020304050 -e 79555444 -e example.com -e 573001234567 p1.tsv p2.tsv rej1.tsv
echo "table:"
cx-ingest -k table --pseudonymise k1 plain.tsv | cmp - p1.tsv && echo "table: same pseudonyms"
