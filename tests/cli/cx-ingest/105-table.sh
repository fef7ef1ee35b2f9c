# --kind table: any CSV to canonical TSV, no schema (dialect and encoding only).
printf 'a;b;c\r\n1;"x;y";"tab\there"\r\n2;"multi\r\nline";\\back\r\n' > t.csv
cx-ingest -k table --ledger - t.csv
