# The key file must exist, be a regular file of at least 32 bytes and be
# readable by its owner only (chmod 600); the message names the file, never
# the key, and nothing is written.
printf 'account_id,balance,currency\nA1,1.00,USD\n' > acc.csv
printf 'short key\n' > short.key
printf '0123456789abcdef0123456789abcdef\n' > open.key
chmod 600 short.key
chmod 644 open.key
mkdir dir.key
cx-ingest -k accounts --pseudonymise missing.key -o out.tsv acc.csv; echo "exit $?"
cx-ingest -k accounts --pseudonymise short.key -o out.tsv acc.csv; echo "exit $?"
cx-ingest -k accounts --pseudonymise open.key -o out.tsv acc.csv; echo "exit $?"
cx-ingest -k accounts --pseudonymise dir.key -o out.tsv acc.csv; echo "exit $?"
chmod 600 open.key
cx-ingest -k accounts --pseudonymise open.key -o out.tsv acc.csv; echo "exit $?"
ls
