# the default rules need the cx-score columns: a clear error at load
cx-segment --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv"
echo "status $?"
# rules that use only account columns run on unscored input
cat >stage.cx <<'RULES'
# stage only, no scores
rule hold when flags has any (deceased, bankruptcy, dispute, cease, legal, fraud)
  segment hold treatment none
rule late when worst_dpd > 90 or any(product = 'MORTGAGE' and days_past_due > 60)
  segment late treatment firm
rule big when total_past_due >= 1000000 segment big treatment payment_plan
rule rest otherwise segment rest treatment digital_standard
RULES
cx-segment --as-of 2026-11-20 --rules stage.cx -v "$TESTDATA/canonical/accounts.tsv" | cut -f 28,29,32 | sort | uniq -c
