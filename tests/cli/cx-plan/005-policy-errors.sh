# policy and capacity file errors name file and line; exit 65
T=$TESTDATA/canonical
printf '[profile CO]\ncountries = CO\nhours.mon = 7-19\n' >bad.policy
cx-plan --as-of 2026-11-20 --policy bad.policy "$T/accounts.tsv"; echo "rc=$?"
printf '[profile CO]\ncountries = CO\ntimezone = Mars/Base\nhours.all = 08:00-09:00\n' >tz.policy
cx-plan --as-of 2026-11-20 --policy tz.policy "$T/accounts.tsv"; echo "rc=$?"
printf '[currency]\nreference = USD\n[channel fax]\n' >bad.cap
cx-plan --as-of 2026-11-20 --capacity bad.cap "$T/accounts.tsv"; echo "rc=$?"
cx-plan --as-of 2026-11-20 --policy missing.policy "$T/accounts.tsv"; echo "rc=$?"
