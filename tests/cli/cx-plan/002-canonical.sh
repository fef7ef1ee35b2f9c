# the plan of the canonical test portfolio on its run date (a Friday)
T=$TESTDATA/canonical
cx-plan --as-of 2026-11-20 --contacts "$T/contacts.tsv" --payments "$T/payments.tsv" "$T/accounts.tsv"
