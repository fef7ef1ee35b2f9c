#!/bin/sh
# uci-to-streams.sh — map the UCI "default of credit card clients" data
# (Taiwan, 2005; ../shared/data/uci_credit_card_default.csv) to cx's
# canonical streams, so that cx-score trains its default model through the
# same feature code that scores real portfolios.
#
# Usage: scripts/uci-to-streams.sh UCI.csv OUTDIR
# Writes OUTDIR/accounts.tsv, OUTDIR/statements.tsv, OUTDIR/payments.tsv.
# The run date (--as-of) for these streams is 2005-10-01.
#
# Mapping (one customer = one card account):
#   customer_key  "c" + the UCI ID as 16 lower-case hex digits (sorts like ID)
#   account_id    ID;  source "uci";  product "CARD";  currency "TWD"
#   credit_limit  LIMIT_BAL
#   balance       BILL_AMT1 (September 2005 statement)
#   days_past_due 30 x PAY_0 when PAY_0 >= 1, else 0; bucket from it
#   last_payment_date / _amount   2005-09-15 and PAY_AMT1 when PAY_AMT1 > 0
#   bad           default.payment.next.month (1 = defaulted in October 2005)
#   statements    six rows, statement_date the last day of Apr..Sep 2005:
#                 balance BILL_AMTk, amount_paid PAY_AMTk, days_past_due
#                 30 x PAY_k when PAY_k >= 1 else 0 (k = 1 is September,
#                 using PAY_0 for September as UCI names it)
#   payments      one row per PAY_AMTk > 0, dated the 15th of that month
# SEX, EDUCATION, MARRIAGE and AGE are not used: the default model is a
# behaviour score on collections features only.
set -eu
in=${1:?usage: uci-to-streams.sh UCI.csv OUTDIR}
out=${2:?usage: uci-to-streams.sh UCI.csv OUTDIR}
mkdir -p "$out"
LC_ALL=C awk -F, -v out="$out" '
function money(v) { return sprintf("%d.00", v) }
function dpd(s) { return s >= 1 ? 30 * s : 0 }
function bucket(d) {
	if (d <= 0) return "current"; if (d <= 30) return "1-30"; if (d <= 60) return "31-60";
	if (d <= 90) return "61-90"; if (d <= 120) return "91-120"; if (d <= 180) return "121-180";
	return "180+"
}
BEGIN {
	A = out "/accounts.tsv"; S = out "/statements.tsv"; P = out "/payments.tsv"
	print "customer_key\taccount_id\tsource\tsource_customer_id\tnational_id\tname\temail\tphone\tcountry\ttimezone\tlanguage\tproduct\tcurrency\tbalance\tpast_due\tminimum_due\tcredit_limit\tdue_date\tdays_past_due\tbucket\topen_date\tlast_payment_date\tlast_payment_amount\tflags\tconsents\tpreferred_channel\tpreferred_hours\tbad" > A
	print "customer_key\taccount_id\tstatement_date\tbalance\tminimum_due\tamount_paid\tdays_past_due\tcurrency" > S
	print "customer_key\taccount_id\tdate\tamount\tcurrency\tmethod" > P
	# month k = 1 (Sep) .. 6 (Apr)
	sd[1] = "2005-09-30"; sd[2] = "2005-08-31"; sd[3] = "2005-07-31"
	sd[4] = "2005-06-30"; sd[5] = "2005-05-31"; sd[6] = "2005-04-30"
	pd[1] = "2005-09-15"; pd[2] = "2005-08-15"; pd[3] = "2005-07-15"
	pd[4] = "2005-06-15"; pd[5] = "2005-05-15"; pd[6] = "2005-04-15"
}
NR == 1 { next }
{
	id = $1; key = sprintf("c%016x", id)
	# PAY_0, PAY_2..PAY_6 are fields 7..12; BILL_AMT1..6 13..18; PAY_AMT1..6 19..24
	d0 = dpd($7)
	lpd = ""; lpa = ""
	if ($19 > 0) { lpd = pd[1]; lpa = money($19) }
	printf "%s\t%s\tuci\t%s\t\t\t\t\tTW\tAsia/Taipei\t\tCARD\tTWD\t%s\t\t\t%s\t\t%d\t%s\t\t%s\t%s\t\t\t\t\t%d\n", \
		key, id, id, money($13), money($2), d0, bucket(d0), lpd, lpa, $25 > A
	for (k = 6; k >= 1; k--)
		printf "%s\t%s\t%s\t%s\t\t%s\t%d\tTWD\n", key, id, sd[k], money($(12 + k)), money($(18 + k)), dpd($(6 + k)) > S
	for (k = 6; k >= 1; k--)
		if ($(18 + k) > 0)
			printf "%s\t%s\t%s\t%s\tTWD\t\n", key, id, pd[k], money($(18 + k)) > P
}' "$in"
