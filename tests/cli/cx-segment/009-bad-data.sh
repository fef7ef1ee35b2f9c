# a field the rules need that is not canonical stops the run with file:line
printf 'customer_key\tcurrency\tbalance\tdays_past_due\nc1\tUSD\t10.00\t5\nc2\tUSD\t1,000.00\t7\n' >bad.tsv
printf 'rule a when total_balance > 5 segment s treatment firm\nrule b otherwise segment o treatment none\n' >r.cx
cx-segment --as-of 2026-11-20 --rules r.cx bad.tsv
echo "status $?"
