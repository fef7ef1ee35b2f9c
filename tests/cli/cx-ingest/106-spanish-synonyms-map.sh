# Accent- and case-insensitive Spanish headers, plus --map for a column no
# synonym covers, and --buckets.
cat > a.csv <<'X'
NÚMERO DE OBLIGACIÓN,Cédula,Nombre Completo,Saldo Total,Moneda,Días Mora,Cod Interno,Marcas,Autorizaciones,Horario Preferido
L1,52.345.678,Ana,"1,000.00",cop,45,ANA-77,Disputa,SMS;correo;llamada,8-12
L2,79.111.222,Bea,"2,000.00",COP,0,BEA-88,,whatsapp,
X
cx-ingest -k accounts --source loans --map source_customer_id="cod interno" --buckets 30,60 a.csv
