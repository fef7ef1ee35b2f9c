# ids longer than 256 bytes are rejected (sort records keep 16-bit lengths)
{ echo 'account_id,source,balance,currency'; printf 'A%0300d,s,1.00,USD\n' 1; echo 'B,s,2.00,USD'; } > long.csv
cx-ingest -k accounts long.csv | cut -f2,3,13,14
