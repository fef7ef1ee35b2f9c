# --merge trusts the order of its inputs and checks it: a row that sorts
# before the previous one of its input (customer_key, account_id, date,
# then the line) stops the merge with the file and line, status 65, and
# nothing is written.  Bad keys, dates and amounts are refused the same way.
t=$(printf '\t')
h="customer_key${t}account_id${t}date${t}amount${t}currency${t}method"
k1=c0000000000000001 k2=c00000000000000a0
printf '%s\n' "$h" "$k1${t}A1${t}2024-05-01${t}1.00${t}USD${t}cash" \
  "$k2${t}B2${t}2024-05-01${t}1.00${t}USD${t}cash" > good.tsv
printf '%s\n' "$h" "$k1${t}A1${t}2024-05-02${t}1.00${t}USD${t}cash" \
  "$k2${t}B2${t}2024-05-02${t}1.00${t}USD${t}cash" "$k1${t}A1${t}2024-05-03${t}1.00${t}USD${t}cash" > keys.tsv
cx-ingest --merge -k payments -o out.tsv good.tsv keys.tsv
echo "key order: $?"
printf '%s\n' "$h" "$k1${t}A1${t}2024-05-02${t}1.00${t}USD${t}cash" \
  "$k1${t}A1${t}2024-05-01${t}1.00${t}USD${t}cash" > dates.tsv
cx-ingest --merge -k payments -o out.tsv dates.tsv good.tsv
echo "date order: $?"
printf '%s\n' "$h" "$k1${t}A1${t}2024-05-02${t}2.00${t}USD${t}cash" \
  "$k1${t}A1${t}2024-05-02${t}1.00${t}USD${t}cash" > rest.tsv
cx-ingest --merge -k payments -o out.tsv rest.tsv
echo "rest of the line: $?"
printf '%s\n' "$h" "C0000000000000001${t}A1${t}2024-05-02${t}1.00${t}USD${t}cash" > key.tsv
cx-ingest --merge -k payments -o out.tsv key.tsv
echo "bad key: $?"
printf '%s\n' "$h" "$k1${t}A1${t}02/05/2024${t}1.00${t}USD${t}cash" > date.tsv
cx-ingest --merge -k payments -o out.tsv date.tsv
echo "bad date: $?"
printf '%s\n' "$h" "$k1${t}A1${t}2024-05-02${t}1,00${t}USD${t}cash" > amount.tsv
cx-ingest --merge -k payments -o out.tsv amount.tsv
echo "bad amount: $?"
[ -e out.tsv ] || echo "nothing written"
