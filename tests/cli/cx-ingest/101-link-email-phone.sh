# --link id,email,phone joins accounts transitively: A (id 1) ~ B (id 1,
# email x) ~ C (email x, phone p) ~ D (phone p).  E stays alone.
cat > a.csv <<'X'
account_id,source,national_id,email,phone,country,balance,currency
A,s1,10203040,,,CO,1.00,COP
B,s2,10203040,x@example.com,,CO,1.00,COP
C,s3,,X@Example.com,3001234567,CO,1.00,COP
D,s1,,,+57 300 123 4567,CO,1.00,COP
E,s1,99999998,y@example.com,3109999999,CO,1.00,COP
X
echo "== id"
cx-ingest -k accounts a.csv | cut -f1-3
echo "== id,email,phone"
cx-ingest -k accounts --link id,email,phone a.csv | cut -f1-3
