# Card system (English, ',') and loan system (Spanish, ';', cp1252, decimal
# commas, dd/mm/yyyy): each normalised on its own, then merged; the person
# with cedula 1.020.304.050 in both systems becomes one customer.
cat > cards.csv <<'X'
Account Number,Customer ID,Full Name,National ID,Email,Mobile Phone,Country,Product,Currency,Balance,Past Due Amount,Payment Due Date,Status Flags,Consents
0001,C1,Ana Perez,1020304050,Ana@Example.com,300 123 4567,CO,card,COP,"1,234,567.00",100000,2024-05-01,,SMS;Email
0002,C2,Luis Gomez,79555444,,3109876543,CO,card,COP,500000,0,2024-06-20,disputa,
0003,C3,Bob Stone,123-45-6789,bob@x.us,(415) 555-0100,US,card,USD,$1200.50,200,2024-03-15,,email
X
printf 'C\351dula;Nombre;Obligaci\363n;Saldo;Moneda;Fecha de Vencimiento;Celular;Correo;Pa\355s\r\n1.020.304.050;ANA P\311REZ;L-9;2.500.000,00;COP;01/04/2024;3001234567;ana@example.com;Colombia\r\n88.888.888;Pedro Paz;L-10;100,50;COP;15/07/2024;;;CO\r\n' > loans.csv
cx-ingest -k accounts --source cards -o cards.tsv cards.csv || exit
cx-ingest -k accounts --source loans --encoding cp1252 --decimal-comma --date-format dmy -o loans.tsv loans.csv || exit
cx-ingest -k accounts --as-of 2024-06-01 --ledger ledger.tsv cards.tsv loans.tsv
cat ledger.tsv
