# Contacts: Spanish vocabularies, timestamps with offsets, --tz-offset for
# naive ones, promise amounts need a currency.
cat > acc.csv <<'X'
account_id,source,balance,currency
A1,cards,10.00,COP
X
cat > c.csv <<'X'
cuenta,fecha_hora,canal,sentido,resultado,asesor,valor_promesa,fecha_promesa,moneda
A1,2024-05-02 10:00:00,llamada,saliente,Promesa de pago,AG1,"50,000",2024-05-10,COP
A1,2024-05-01T09:00:00-05:00,WhatsApp,entrante,pagado,,,,
A1,2024-05-03T09:00:00-05:00,sms,out,delivered,system,100,,
A1,2024-05-04T09:00:00-05:00,fax,out,delivered,system,,,
X
cx-ingest -k accounts -o accounts.tsv acc.csv || exit
cx-ingest -k contacts --accounts accounts.tsv c.csv
echo "== --tz-offset -05:00"
cx-ingest -k contacts --accounts accounts.tsv --tz-offset -05:00 c.csv
