# --merge of one stream copies it; a stream with a header and no rows adds
# nothing; no FILE reads standard input; an input without even a header is
# an error (status 65) and nothing is written.
cat > acc.csv <<'X'
account_id,source,balance,currency
A1,cards,10.00,USD
B2,cards,5.00,USD
X
cat > stm.csv <<'X'
account_id,statement_date,balance,currency
B2,2024-04-30,5.00,USD
A1,2024-04-30,10.00,USD
A1,2024-03-31,-2.00,USD
X
cx-ingest -k accounts -o accounts.tsv acc.csv || exit
cx-ingest -k statements --accounts accounts.tsv -o s.tsv stm.csv || exit
head -n 1 s.tsv > none.tsv
cx-ingest --merge -k statements -o one.tsv s.tsv && cmp s.tsv one.tsv && echo "one input: copied"
cx-ingest --merge -k statements -o two.tsv none.tsv s.tsv none.tsv && cmp s.tsv two.tsv && echo "header-only inputs: nothing added"
cx-ingest --merge -k statements --ledger - none.tsv
cx-ingest --merge -k statements < s.tsv | cmp - s.tsv && echo "stdin: copied"
: > empty.tsv
cx-ingest --merge -k statements -o out.tsv s.tsv empty.tsv
echo "empty input: $?"
[ -e out.tsv ] || echo "nothing written"
