# learn from our own history: label a snapshot as of T from payments after T
# (bad = paid less than the past due within --label-days), then evaluate
printf 'customer_key\taccount_id\tcurrency\tbalance\tpast_due\tdays_past_due\n' > acc.tsv
printf 'c01\tA1\tUSD\t100.00\t50.00\t20\n' >> acc.tsv
printf 'c02\tA2\tUSD\t200.00\t80.00\t45\n' >> acc.tsv
printf 'c03\tA3\tUSD\t300.00\t0.00\t0\n' >> acc.tsv
printf 'c04\tA4\tUSD\t400.00\t40.00\t95\n' >> acc.tsv
printf 'c04\tA5\tUSD\t10.00\t10.00\t5\n' >> acc.tsv
printf 'customer_key\taccount_id\tdate\tamount\tcurrency\n' > later.tsv
printf 'c01\tA1\t2026-03-05\t50.00\tUSD\n' >> later.tsv
printf 'c02\tA2\t2026-03-05\t30.00\tUSD\n' >> later.tsv
printf 'c02\tA2\t2026-04-20\t50.00\tUSD\n' >> later.tsv
printf 'c04\tA4\t2026-02-20\t45.00\tUSD\n' >> later.tsv
printf 'c04\tA5\t2026-03-31\t5.00\tUSD\n' >> later.tsv
# c01 good (paid 50 of 50 within 30 days), c02 bad (30 of 80; the April
# payment is too late), c03 has nothing past due (left out), c04 bad (owes
# 40 + 10; the February payment is before T, so only 5 of 50 count)
cx-score --eval --label-from-payments later.tsv --label-days 30 --as-of 2026-03-01 acc.tsv |
	cut -f1,4-6
