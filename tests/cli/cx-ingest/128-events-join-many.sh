# The event join over a few thousand accounts (the account table grows
# past its first size and is filled in batches): every joined payment has
# the customer key its account has in the accounts stream; an id in two
# sources with different customers is ambiguous without --source and
# found with it; an id in two sources of one customer is found.
awk 'BEGIN {
	print "account_id,source,national_id,balance,currency"
	for (i = 1; i <= 3000; i++)
		printf "A%05d,%s,%d,1.00,USD\n", i, i % 3 ? "cards" : "loans", 10000000 + i
	print "X1,cards,20000001,1.00,USD"
	print "X1,loans,20000002,1.00,USD"
	print "Y1,cards,20000003,1.00,USD"
	print "Y1,loans,20000003,1.00,USD"
}' > acc.csv
awk 'BEGIN {
	print "account_id,date,amount,currency,method"
	for (i = 3100; i >= 1; i -= 7)
		printf "A%05d,2024-05-%02d,%d.00,USD,cash\n", i, i % 28 + 1, i % 50 + 1
	print "X1,2024-05-01,1.00,USD,cash"
	print "Y1,2024-05-01,1.00,USD,cash"
}' > pay.csv
cx-ingest -k accounts -o accounts.tsv acc.csv || exit
cx-ingest -k payments --as-of 2024-05-31 --accounts accounts.tsv -o pay.tsv \
  --rejects rej.tsv pay.csv 2>/dev/null
echo "exit $?"
cut -f3 rej.tsv | sort | uniq -c
awk -F'\t' 'NR == FNR { if (FNR > 1) key[$2] = $1; next }
	FNR > 1 { n++; if (key[$2] != $1) bad++ }
	END { print n + 0, "joined,", bad + 0, "with another key" }' accounts.tsv pay.tsv
cx-ingest -k payments --as-of 2024-05-31 --accounts accounts.tsv --source loans \
  -o - pay.csv 2>/dev/null | awk -F'\t' '$2 == "X1" || $2 == "Y1" { print $2 }'
