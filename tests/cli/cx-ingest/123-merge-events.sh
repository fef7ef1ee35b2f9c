# --merge: event streams each source's run wrote (joined to --accounts,
# sorted by customer) merged into exactly the stream of one run over all
# the sources: same bytes, rows found in several sources counted once as
# duplicates in the merge's ledger, money in = out + duplicate.
cat > acc.csv <<'X'
account_id,source,national_id,balance,currency
A1,cards,1020304050,10.00,USD
L9,loans,1020304050,20.00,USD
B2,cards,79555444,5.00,USD
J7,cards,11223344,700,JPY
X
cat > pay1.csv <<'X'
account_id,date,amount,currency,method
L9,2024-05-03,5.00,USD,PSE
A1,2024-05-02,1.00,USD,cash
B2,2024-05-01,2.50,USD,card
ZZ,2024-05-01,9.00,USD,cash
J7,2024-05-02,300,JPY,bank-transfer
X
cat > pay2.csv <<'X'
account_id,date,amount,currency,method
A1,2024-05-02,1.00,USD,cash
A1,2024-05-02,1.00,USD,card
B2,2024-04-30,7.00,USD,
L9,2024-05-03,5.00,USD,pse
X
cat > con1.csv <<'X'
account_id,timestamp,channel,outcome,promise_amount,currency
A1,2024-05-02T10:00:00-05:00,call,promise,3.00,USD
B2,2024-05-02T09:00:00Z,sms,delivered,,
X
cat > con2.csv <<'X'
account_id,timestamp,channel,outcome,promise_amount,currency
A1,2024-05-02T14:30:00Z,call,no_answer,,
A1,2024-05-02T10:00:00-05:00,call,promise,3.00,USD
X
cx-ingest -k accounts -o accounts.tsv acc.csv || exit
for k in payments contacts; do
	s=$( [ $k = payments ] && echo pay || echo con )
	cx-ingest -k $k --as-of 2024-05-31 --accounts accounts.tsv -o all.$k.tsv ${s}1.csv ${s}2.csv 2>/dev/null
	for i in 1 2; do
		cx-ingest -k $k --as-of 2024-05-31 --accounts accounts.tsv -o $k.$i.tsv ${s}$i.csv 2>/dev/null
	done
	cx-ingest --merge -k $k --ledger $k.led -o merged.$k.tsv $k.2.tsv $k.1.tsv || exit
	cmp all.$k.tsv merged.$k.tsv && echo "$k: merge = one run over both sources"
	cat merged.$k.tsv $k.led
done
