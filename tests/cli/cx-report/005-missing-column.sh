# an accounts file without the aging columns is a data error naming them
printf 'customer_key\taccount_id\tcurrency\n c1\tA\tUSD\n' >bad.tsv
cx-report --as-of 2026-11-20 bad.tsv
