# Payments get the customer key of their account from --accounts and are
# sorted by customer_key, account_id, date; unknown accounts are rejected;
# identical duplicate rows are dropped and counted.
cat > acc.csv <<'X'
account_id,source,national_id,balance,currency
A1,cards,1020304050,10.00,USD
L9,loans,1020304050,20.00,USD
B2,cards,79555444,5.00,USD
X
cat > pay.csv <<'X'
obligacion,fecha_pago,valor,moneda,medio_pago
L9,2024-05-03,5.00,USD,PSE
A1,2024-05-02,1.00,usd,Cash
B2,2024-05-01,2.50,USD,card
A1,2024-05-01,1.00,USD,cash
ZZ,2024-05-01,9.00,USD,cash
A1,2024-05-02,1.00,USD,cash
X
cx-ingest -k accounts -o accounts.tsv acc.csv || exit
cx-ingest -k payments --as-of 2024-05-31 --accounts accounts.tsv --ledger - pay.csv
