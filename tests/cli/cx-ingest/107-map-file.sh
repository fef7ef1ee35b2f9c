cat > map.txt <<'X'
# canonical=raw
account_id=ref
balance=amt
X
printf 'ref,amt,curr\nR1,10,USD\n' > a.csv
cx-ingest -k accounts --map-file map.txt --map currency=curr a.csv
