/* Unit tests of the rule language (cx_rules): every parser and checker
 * message, evaluator semantics (operators, missing values, money and date
 * arithmetic, aggregates, quantifiers), experiment arms (uniformity over
 * 100,000 keys, independence of input order), the embedded default rules. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_date.h"
#include "cx_hash.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_rules.h"

static const char *const cols[] = { "customer_key", "account_id", "product", "currency",
	"balance", "past_due", "days_past_due", "due_date", "flags", "consents", "score",
	"capacity", "willingness", "p_pay" };
#define NCOLS (sizeof cols / sizeof cols[0])

static cx_day
today(void)
{
	cx_day d;
	cx_day_from_ymd(2026, 11, 20, &d);
	return d;
}

/* ---- parser and checker messages --------------------------------------- */

static const struct { const char *src, *msg; } errs[] = {
	{ "rule r when balanse > 0 segment s treatment none",
	  "t.cx:1:13: unknown column 'balanse' (did you mean 'balance'?)" },
	{ "rule r when maxx(1, 2) > 0 segment s treatment none",
	  "t.cx:1:13: unknown function 'maxx' (did you mean 'max'?)" },
	{ "rule r when balance > date('2026-01-01') segment s treatment none",
	  "t.cx:1:21: cannot compare money with date" },
	{ "rule r when product > 5 segment s treatment none",
	  "t.cx:1:21: cannot compare text with number" },
	{ "rule r when score and true segment s treatment none",
	  "t.cx:1:13: 'and' expects conditions on both sides, got number on the left" },
	{ "rule r when not score segment s treatment none",
	  "t.cx:1:17: 'not' expects a condition, got number" },
	{ "rule r when flags = 'dispute' segment s treatment none",
	  "t.cx:1:19: cannot compare a set with '='; use 'in', 'has any' or 'has all'" },
	{ "rule r when flags in ('dispute') segment s treatment none",
	  "t.cx:1:13: 'flags' is a set; use 'has any (...)' to test it against a list" },
	{ "rule r when 'disput' in flags segment s treatment none",
	  "t.cx:1:13: unknown flag 'disput' (did you mean 'dispute'?)" },
	{ "rule r when consents has any (sms, fax) segment s treatment none",
	  "t.cx:1:36: unknown channel 'fax'" },
	{ "rule r when product has any (CARD) segment s treatment none",
	  "t.cx:1:21: 'has' expects a set such as flags, consents or products, got text" },
	{ "rule r when due_date < date('2026-02-30') segment s treatment none",
	  "t.cx:1:29: invalid date '2026-02-30' (expected YYYY-MM-DD)" },
	{ "rule r when score > 1 + segment s treatment none",
	  "t.cx:1:25: expected a value, a column name or '(', found 'segment'" },
	{ "rule r when (score > 1 segment s treatment none",
	  "t.cx:1:24: expected ')', found 'segment'" },
	{ "rule r when product = 'CARD segment s treatment none",
	  "t.cx:1:23: unterminated string (a quote is missing before the end of the line)" },
	{ "rule r when score > $5 segment s treatment none",
	  "t.cx:1:21: unexpected character '$'" },
	{ "rule r when score > 5 treatment none",
	  "t.cx:1:23: expected 'segment' (or an operator), found 'treatment'" },
	{ "rule r when score > 5 segment s treatment firmm",
	  "t.cx:1:43: unknown treatment 'firmm' (did you mean 'firm'?)" },
	{ "rule r when score > 5 segment s treatment none",
	  "t.cx:1:1: no catch-all rule: the last rule must match every customer ('otherwise' or 'when true')" },
	{ "rule a otherwise segment s treatment none\nrule b when score > 5 segment s treatment none",
	  "t.cx:2:1: rule 'b' is unreachable: rule 'a' at line 1 matches every customer" },
	{ "rule a when score > 5 segment s treatment none\nrule a otherwise segment s treatment none",
	  "t.cx:2:6: duplicate rule name 'a' (first at line 1)" },
	{ "# only a comment",
	  "t.cx:1:17: no rules (a rule file needs at least one rule, ending with a catch-all 'otherwise')" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 50% arm b 40%",
	  "t.cx:3:1: the arms of experiment 'e' add up to 90.00%, not 100%" },
	{ "rule a when score > 5 segment early treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (eraly) arm a 50% arm b 50%",
	  "t.cx:3:33: unknown segment 'eraly' (did you mean 'early'?)" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 100%",
	  "t.cx:3:46: experiment 'e' needs at least two arms ('arm NAME PERCENT% [treatment NAME]')" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 0% arm b 100%",
	  "t.cx:3:42: an arm's share must be a percentage above 0 and at most 100 with at most two decimals" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt '' segments (s) arm a 50% arm b 50%",
	  "t.cx:3:19: the salt must not be empty" },
	{ "rule r when any(any(score > 1)) segment s treatment none",
	  "t.cx:1:17: any() cannot be nested inside another any(), all() or count()" },
	{ "rule r when abs('x') > 1 segment s treatment none",
	  "t.cx:1:17: abs() expects a number or money, got text" },
	{ "rule r when min(1) > 1 segment s treatment none",
	  "t.cx:1:13: min() takes two or more arguments, got 1" },
	{ "rule r when score segment s treatment none",
	  "t.cx:1:13: the condition of rule 'r' is number, not true/false" },
	{ "rule r when score between 1 2 segment s treatment none",
	  "t.cx:1:29: expected 'and' in 'between ... and ...', found '2'" },
	{ "rule r when balance > 1.234 USD segment s treatment none",
	  "t.cx:1:23: amount '1.234' has more decimals than USD allows (2)" },
	{ "rule r when score is big segment s treatment none",
	  "t.cx:1:22: expected 'missing' or 'present' after 'is', found 'big'" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 50% arm a 50%",
	  "t.cx:3:50: duplicate arm name 'a'" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 50% arm b 50%\nexperiment f salt 'y' rules (a) arm a 50% arm b 50%",
	  "t.cx:4:30: rule 'a' is already in experiment 'e'; a customer can be in one experiment only" },
	{ "rule a when score > 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' segments (s) arm a 50% arm b 50%\nexperiment e salt 'y' rules (a) arm a 50% arm b 50%",
	  "t.cx:4:12: duplicate experiment name 'e'" },
	{ "foo",
	  "t.cx:1:1: expected 'rule' or 'experiment', found 'foo'" },
	{ "rule r when due_date - balance > 1 segment s treatment none",
	  "t.cx:1:22: cannot apply '-' to date and money" },
	{ "rule r when score > 5 segment s treatment none otherwise",
	  "t.cx:1:48: expected 'rule', 'experiment' or an operator, found 'otherwise'" },
	{ "rule r when score = 5 or product segment s treatment none",
	  "t.cx:1:26: 'or' expects conditions on both sides, got text on the right" },
	{ "rule when score > 5 segment s treatment none",
	  "t.cx:1:6: expected a rule name after 'rule', found 'when'" },
	{ "rule r when true = 1 segment s treatment none",
	  "t.cx:1:18: cannot compare condition with number" },
	{ "rule r when score < 5 segment s treatment none\nrule z otherwise segment o treatment none\nexperiment e salt 'x' arm a 50% arm b 50%",
	  "t.cx:3:23: expected 'segments (...)' or 'rules (...)', found 'arm'" },
	{ "rule r when score ! 5 segment s treatment none",
	  "t.cx:1:19: unexpected character '!'" },
};

START_TEST(test_errors)
{
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	char got[1024];
	struct cx_rules *r = cx_rules_compile("t.cx", errs[_i].src, strlen(errs[_i].src), &o, &e);
	ck_assert_msg(r == NULL, "compiled: %s", errs[_i].src);
	ck_assert_int_eq(e.code, CX_EDATA);
	ck_assert_int_eq(e.line, 0);
	snprintf(got, sizeof got, "%s: %s", e.file, e.msg);
	ck_assert_str_eq(got, errs[_i].msg);
}
END_TEST

START_TEST(test_missing_input_columns)
{
	static const char *const nocols[] = { "customer_key", "product", "currency" };
	struct cx_rules_opts o = { nocols, 3, today() };
	struct cx_error e = { 0 };
	char got[1024];
	static const struct { const char *src, *msg; } t[] = {
		{ "rule r when score < 5 segment s treatment none rule z otherwise segment s treatment none",
		  "t.cx:1:13: column 'score' is not in the input (run cx-score before cx-segment)" },
		{ "rule r when total_balance > 5 segment s treatment none rule z otherwise segment s treatment none",
		  "t.cx:1:13: column 'balance', needed by 'total_balance', is not in the input" },
		{ "rule r when balance > 5 segment s treatment none rule z otherwise segment s treatment none",
		  "t.cx:1:13: column 'balance' is not in the input" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cx_rules *r = cx_rules_compile("t.cx", t[i].src, strlen(t[i].src), &o, &e);
		ck_assert(r == NULL);
		snprintf(got, sizeof got, "%s: %s", e.file, e.msg);
		ck_assert_str_eq(got, t[i].msg);
	}
	/* a byte order mark is skipped; columns count from after it */
	const char *bom = "\xef\xbb\xbfrule z otherwise segment s treatment none";
	struct cx_rules *ok = cx_rules_compile("t.cx", bom, strlen(bom), &o, &e);
	ck_assert_msg(ok != NULL, "%s", e.msg);
	cx_rules_free(ok);
	bom = "\xef\xbb\xbfrule z otherwise segment s treatment nnone";
	ck_assert(cx_rules_compile("t.cx", bom, strlen(bom), &o, &e) == NULL);
	snprintf(got, sizeof got, "%s: %s", e.file, e.msg);
	ck_assert_str_eq(got, "t.cx:1:38: unknown treatment 'nnone' (did you mean 'none'?)");
	/* a NUL byte */
	struct cx_rules *r = cx_rules_compile("t.cx", "rule\0", 5, &o, &e);
	ck_assert(r == NULL);
	ck_assert_str_eq(e.msg, "rule file contains a NUL byte (not a text file)");
}
END_TEST

/* ---- evaluator ------------------------------------------------------------ */

/* Customers as rows of tab-separated text in `cols` order. */
static const char *const cust_a[] = {   /* two USD accounts, one 45 days late */
	"cA\t1\tCARD\tUSD\t1000.00\t200.00\t45\t2026-10-06\tdispute\tsms,email\t610\t40\t70\t0.9000",
	"cA\t2\tLOAN\tUSD\t5000.00\t0.00\t-3\t2026-11-23\t\tsms\t610\t40\t70\t0.9000",
};
static const char *const cust_b[] = {   /* no score, no flags */
	"cB\t1\tCARD\tUSD\t10.00\t0.00\t-1\t2026-11-21\t\t\t\t\t\t",
};
static const char *const cust_c[] = {   /* two currencies; the USD account is the driver */
	"cC\t1\tCARD\tUSD\t100.00\t100.00\t10\t2026-11-10\t\temail\t500\t60\t30\t0.5",
	"cC\t2\tLOAN\tCOP\t500000.00\t0.00\t-5\t2026-11-25\thardship\tsms\t500\t60\t30\t0.5",
};

struct cust {
	struct cx_field *rows[8];
	struct cx_field fields[8][NCOLS];
	char buf[8][512];
	size_t n;
};

static void
make_cust(struct cust *c, const char *const *rows, size_t n)
{
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(c->buf[i], sizeof c->buf[i], "%s", rows[i]);
		char *p = c->buf[i];
		for (size_t j = 0; j < NCOLS; j++) {
			char *t = strchr(p, '\t');
			if (t)
				*t = 0;
			c->fields[i][j].p = p;
			c->fields[i][j].n = strlen(p);
			p = t ? t + 1 : p + strlen(p);
		}
		c->rows[i] = c->fields[i];
	}
}

/* 1 when the condition is true for the customer, 0 otherwise. */
static int
cond_true(const char *const *rows, size_t n, const char *cond)
{
	char src[2048];
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	struct cust c;
	struct cx_rules_result res;
	snprintf(src, sizeof src, "rule t when %s\n segment s treatment none\nrule z otherwise segment o treatment none\n", cond);
	struct cx_rules *r = cx_rules_compile("t.cx", src, strlen(src), &o, &e);
	ck_assert_msg(r != NULL, "%s: %s: %s", cond, e.file, e.msg);
	make_cust(&c, rows, n);
	struct cx_rules_customer cu = { c.rows[0][0].p, c.rows[0][0].n, c.n, c.rows };
	int rc = cx_rules_eval(r, &cu, &res, &e);
	ck_assert_msg(rc == 0, "%s: %s", cond, e.msg);
	cx_rules_free(r);
	return res.rule == 0;
}

static const struct { char cust; const char *cond; int want; } evals[] = {
	/* aggregates */
	{ 'A', "accounts = 2", 1 },
	{ 'A', "total_balance = 6000.00 USD", 1 },
	{ 'A', "total_balance = 6000", 1 },
	{ 'A', "total_balance > 5999.99", 1 },
	{ 'A', "total_balance > 6000", 0 },
	{ 'A', "total_past_due = 200", 1 },
	{ 'A', "worst_dpd = 45 and best_dpd = -3", 1 },
	{ 'A', "earliest_due = date('2026-10-06')", 1 },
	{ 'A', "'LOAN' in products and n_products = 2", 1 },
	{ 'A', "products has all (CARD, LOAN)", 1 },
	{ 'A', "currencies has USD and n_currencies = 1", 1 },
	/* bare columns read the driver account (worst days past due) */
	{ 'A', "days_past_due = 45 and product = 'CARD'", 1 },
	{ 'A', "product = 'LOAN'", 0 },
	/* flags and consents: union over the accounts */
	{ 'A', "'dispute' in flags", 1 },
	{ 'A', "'legal' in flags", 0 },
	{ 'A', "'legal' not in flags", 1 },
	{ 'A', "flags has any (legal, dispute)", 1 },
	{ 'A', "flags has all (legal, dispute)", 0 },
	{ 'A', "flags has none (legal, fraud)", 1 },
	{ 'A', "flags has dispute", 1 },
	{ 'A', "consents has all (sms, email)", 1 },
	/* quantifiers read each account */
	{ 'A', "any(product = 'LOAN' and days_past_due < 0)", 1 },
	{ 'A', "all(days_past_due > 0)", 0 },
	{ 'A', "all(balance >= 1000)", 1 },
	{ 'A', "count(past_due > 0) = 1", 1 },
	{ 'A', "any(flags has dispute) and not all(flags has dispute)", 1 },
	{ 'A', "count(consents has email) = 1", 1 },
	/* dates relative to the run date */
	{ 'A', "due_date = today - 45", 1 },
	{ 'A', "days(due_date) = -45", 1 },
	{ 'A', "earliest_due between today - 50 and today", 1 },
	{ 'A', "today - due_date = 45", 1 },
	{ 'A', "today = date('2026-11-20')", 1 },
	{ 'A', "5 + today > today", 1 },
	/* money arithmetic: exact minor units; bare numbers are major units */
	{ 'A', "balance * 2 = 2000", 1 },
	{ 'A', "2 * balance = 2000.00 USD", 1 },
	{ 'A', "balance / 4 = 250.00 USD", 1 },
	{ 'A', "balance / 3 = 333.33", 1 },
	{ 'A', "balance * 0.333335 = 333.34", 1 },
	{ 'A', "past_due / balance = 0.2", 1 },
	{ 'A', "balance - past_due = 800", 1 },
	{ 'A', "balance + 0.01 = 1000.01 USD", 1 },
	{ 'A', "-balance < 0", 1 },
	{ 'A', "abs(0 - balance) = 1000", 1 },
	{ 'A', "min(balance, 500) = 500", 1 },
	{ 'A', "max(balance, 500) = 1000.00 USD", 1 },
	{ 'A', "balance between 999.99 and 1000.00", 1 },
	/* money in another currency never compares: unknown, so no match */
	{ 'A', "balance = 1000 COP", 0 },
	{ 'A', "not (balance = 1000 COP)", 0 },
	{ 'A', "balance != 1000 COP", 0 },
	{ 'A', "balance + 1 COP > 0", 0 },
	/* numbers */
	{ 'A', "1 + 2 * 3 = 7", 1 },
	{ 'A', "(1 + 2) * 3 = 9", 1 },
	{ 'A', "10 / 4 = 2.5", 1 },
	{ 'A', "7 - 2 - 1 = 4", 1 },
	{ 'A', "-score < 0", 1 },
	{ 'A', "abs(best_dpd) = 3", 1 },
	{ 'A', "max(score, 700, 650) = 700 and min(score, 700) = 610", 1 },
	{ 'A', "score between 600 and 620", 1 },
	{ 'A', "score not between 600 and 620", 0 },
	{ 'A', "score <> 610", 0 },
	{ 'A', "score == 610 and score >= 610 and score <= 610 and not score < 610", 1 },
	{ 'A', "p_pay > 0.8999 and p_pay < 0.9001", 1 },
	/* text */
	{ 'A', "product in ('LOAN', 'AUTO')", 0 },
	{ 'A', "product in ('CARD', 'AUTO')", 1 },
	{ 'A', "product not in ('LOAN')", 1 },
	{ 'A', "product < 'DEBIT' and product > 'AUTO'", 1 },
	{ 'A', "currency = \"USD\"", 1 },
	/* logic */
	{ 'A', "true and not false", 1 },
	{ 'A', "false or true", 1 },
	{ 'A', "(score > 600) = true", 1 },
	{ 'A', "not (score > 600 and false)", 1 },
	/* missing values: three-valued logic */
	{ 'B', "score < 600", 0 },
	{ 'B', "not (score < 600)", 0 },
	{ 'B', "score >= 600", 0 },
	{ 'B', "score is missing", 1 },
	{ 'B', "score is present", 0 },
	{ 'B', "score is not missing", 0 },
	{ 'B', "score < 600 or true", 1 },
	{ 'B', "true or score < 600", 1 },
	{ 'B', "score < 600 and false", 0 },
	{ 'B', "not (score < 600 and false)", 1 },
	{ 'B', "not (score < 600 or false)", 0 },
	{ 'B', "score in (1, 2)", 0 },
	{ 'B', "score not in (1, 2)", 0 },
	{ 'B', "score between 1 and 2", 0 },
	{ 'B', "score not between 1 and 2", 0 },
	{ 'B', "min(score, 5) = 5", 1 },
	{ 'B', "score + 1 is missing", 1 },
	{ 'B', "1 / 0 is missing", 1 },
	{ 'B', "balance / 0 is missing", 1 },
	{ 'B', "flags is missing", 1 },
	{ 'B', "'dispute' in flags", 0 },
	{ 'B', "'dispute' not in flags", 1 },
	{ 'B', "flags has none (dispute)", 1 },
	{ 'B', "any(score > 1)", 0 },
	{ 'B', "not any(score > 1)", 0 },
	{ 'B', "count(score > 1) = 0", 1 },
	/* two currencies: totals in the driver account's currency */
	{ 'C', "total_balance = 100", 1 },
	{ 'C', "total_balance = 100.00 USD", 1 },
	{ 'C', "n_currencies = 2 and currencies has all (USD, COP)", 1 },
	{ 'C', "'hardship' in flags and consents has all (sms, email)", 1 },
	{ 'C', "any(currency = 'COP' and balance > 499999.99)", 1 },
	{ 'C', "any(balance > 1000)", 1 },
	{ 'C', "capacity >= 50 and willingness < 50", 1 },
};

START_TEST(test_eval)
{
	const char *const *rows = evals[_i].cust == 'A' ? cust_a : evals[_i].cust == 'B' ? cust_b : cust_c;
	size_t n = evals[_i].cust == 'B' ? 1 : 2;
	ck_assert_msg(cond_true(rows, n, evals[_i].cond) == evals[_i].want, "%c: %s",
	              evals[_i].cust, evals[_i].cond);
}
END_TEST

START_TEST(test_bad_value)
{
	static const char *const bad[] = {
		"cD\t1\tCARD\tUSD\t10.00\t0.00\t-1\t2026-11-21\t\t\t\t\t\t",
		"cD\t2\tCARD\tUSD\t1,000.00\t0.00\t-1\t2026-11-21\t\t\t\t\t\t",
	};
	const char *src = "rule t when total_balance > 5 segment s treatment none rule z otherwise segment o treatment none";
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	struct cust c;
	struct cx_rules_result res;
	struct cx_rules *r = cx_rules_compile("t.cx", src, strlen(src), &o, &e);
	ck_assert(r != NULL);
	make_cust(&c, bad, 2);
	struct cx_rules_customer cu = { "cD", 2, 2, c.rows };
	ck_assert_int_eq(cx_rules_eval(r, &cu, &res, &e), CX_EDATA);
	ck_assert_uint_eq(res.bad_row, 1);
	ck_assert_msg(strstr(e.msg, "column 'balance' is not a canonical amount") == e.msg, "%s", e.msg);
	cx_rules_free(r);
}
END_TEST

START_TEST(test_explain)
{
	const char *src = "rule hi when score < 600 and p_pay < 0.5 segment s treatment none\n"
	                  "rule z otherwise segment o treatment digital_standard\n";
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	struct cust c;
	struct cx_rules_result res;
	char *text;
	struct cx_rules *r = cx_rules_compile("t.cx", src, strlen(src), &o, &e);
	ck_assert(r != NULL);
	make_cust(&c, cust_b, 1);
	struct cx_rules_customer cu = { "cB", 2, 1, c.rows };
	ck_assert_int_eq(cx_rules_explain(r, &cu, &res, &text, &e), 0);
	ck_assert_str_eq(text,
		"customer cB: 1 account, driver account is row 1 of the group\n"
		"rule hi (t.cx:1): no match (unknown: a value is missing)\n"
		"  score < 600 and p_pay < 0.5 -> unknown (missing value)\n"
		"    score < 600 -> unknown (missing value)\n"
		"        score = (missing)\n"
		"    p_pay < 0.5 -> unknown (missing value)\n"
		"        p_pay = (missing)\n"
		"rule z (t.cx:2): MATCH\n"
		"result: segment o, treatment digital_standard\n");
	ck_assert_str_eq(res.rule_id, "z");
	cx_free(text);
	cx_rules_free(r);
}
END_TEST

/* ---- experiment arms --------------------------------------------------- */

static void
key_of(unsigned i, char *buf)
{
	/* keys shaped like real customer keys: 'c' + 16 hex digits */
	snprintf(buf, 18, "c%016llx", (unsigned long long)(i * 0x9e3779b97f4a7c15ULL));
}

START_TEST(test_arm_uniform)
{
	enum { N = 100000, K = 10 };
	static unsigned cnt[K];
	char key[18];
	memset(cnt, 0, sizeof cnt);
	for (unsigned i = 0; i < N; i++) {
		key_of(i, key);
		int b = cx_rules_bucket(key, 17, "salt-1", 6);
		ck_assert(b >= 0 && b < CX_ARM_BUCKETS);
		cnt[b / (CX_ARM_BUCKETS / K)]++;
	}
	/* chi-square with 9 degrees of freedom: 27.88 is the 0.1 % point */
	double chi = 0, exp = (double)N / K;
	for (int k = 0; k < K; k++)
		chi += (cnt[k] - exp) * (cnt[k] - exp) / exp;
	ck_assert_msg(chi < 27.88, "chi-square %.2f", chi);
}
END_TEST

static const char exp_src[] =
	"rule a when score > 0 segment s treatment reminder_soft\n"
	"rule z otherwise segment o treatment none\n"
	"experiment e salt 'e-1' segments (s)\n"
	"  arm champion 90%\n"
	"  arm challenger 10% treatment digital_standard\n";

static void
arm_of(struct cx_rules *r, const char *key, struct cx_rules_result *res)
{
	char row[200];
	const char *rows[1] = { row };
	struct cust c;
	struct cx_error e = { 0 };
	snprintf(row, sizeof row, "%s\t1\tCARD\tUSD\t1.00\t0.00\t0\t2026-11-20\t\t\t600\t50\t50\t0.5", key);
	make_cust(&c, rows, 1);
	struct cx_rules_customer cu = { key, strlen(key), 1, c.rows };
	ck_assert_int_eq(cx_rules_eval(r, &cu, res, &e), 0);
}

START_TEST(test_arm_split_and_shuffle)
{
	enum { N = 100000 };
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	struct cx_rules *r = cx_rules_compile("t.cx", exp_src, strlen(exp_src), &o, &e);
	ck_assert_msg(r != NULL, "%s", e.msg);
	static unsigned char arm[N];
	static unsigned perm[N];
	char key[18];
	unsigned chal = 0;
	struct cx_rules_result res;
	for (unsigned i = 0; i < N; i++) {
		key_of(i, key);
		arm_of(r, key, &res);
		ck_assert_str_eq(res.experiment, "e");
		arm[i] = strcmp(res.arm, "champion") == 0 ? 1 : 2;   /* champion / challenger */
		if (arm[i] == 2) {
			chal++;
			ck_assert_str_eq(res.treatment, "digital_standard");
			ck_assert_int_ge(res.bucket, 9000);
		} else {
			ck_assert_str_eq(res.treatment, "reminder_soft");
			ck_assert_int_lt(res.bucket, 9000);
		}
	}
	/* binomial(100000, 0.1): sd = 94.9; 4 sd = 380 */
	ck_assert_msg(fabs((double)chal - 10000.0) < 380, "challenger %u of %d", chal, N);
	/* shuffled order, through a fresh program: the same arm for every key */
	cx_rules_free(r);
	r = cx_rules_compile("t.cx", exp_src, strlen(exp_src), &o, &e);
	for (unsigned i = 0; i < N; i++)
		perm[i] = i;
	uint64_t s = 12345;
	for (unsigned i = N - 1; i > 0; i--) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned j = (unsigned)((s >> 33) % (i + 1));
		unsigned t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (unsigned i = 0; i < N; i++) {
		key_of(perm[i], key);
		arm_of(r, key, &res);
		ck_assert_int_eq(strcmp(res.arm, "champion") == 0 ? 1 : 2, arm[perm[i]]);
	}
	/* customers outside the experiment get no arm */
	static const char *const rows0[] = {
		"cX\t1\tCARD\tUSD\t1.00\t0.00\t0\t2026-11-20\t\t\t\t\t\t" };
	struct cust c;
	make_cust(&c, rows0, 1);
	struct cx_rules_customer cu = { "cX", 2, 1, c.rows };
	ck_assert_int_eq(cx_rules_eval(r, &cu, &res, &e), 0);
	ck_assert_str_eq(res.experiment, "");
	ck_assert_str_eq(res.arm, "");
	ck_assert_int_eq(res.bucket, -1);
	cx_rules_free(r);
}
END_TEST

START_TEST(test_bucket_documented)
{
	/* the documented function: cx_hash64(key 0x1f salt, seed 0) % 10000 */
	char buf[64];
	memcpy(buf, "c0123456789abcdef", 17);
	buf[17] = 0x1f;
	memcpy(buf + 18, "s", 1);
	ck_assert_int_eq(cx_rules_bucket("c0123456789abcdef", 17, "s", 1),
	                 (int)(cx_hash64(buf, 19, 0) % 10000));
	/* a different salt re-draws */
	int same = 0;
	char key[18];
	for (unsigned i = 0; i < 1000; i++) {
		key_of(i, key);
		same += cx_rules_bucket(key, 17, "a", 1) / 1000 == cx_rules_bucket(key, 17, "b", 1) / 1000;
	}
	ck_assert_int_lt(same, 200);
}
END_TEST

/* ---- the shipped default rules ---------------------------------------- */

START_TEST(test_default_embedded)
{
	struct cx_error e = { 0 };
	size_t len;
	char *file = cx_read_file(CX_SRCDIR "/rules/default.cx", 1 << 20, &len, &e);
	ck_assert_msg(file != NULL, "%s", e.msg);
	ck_assert_uint_eq(len, cx_rules_default_len);
	ck_assert_msg(memcmp(file, cx_rules_default_text, len) == 0,
	              "lib/cx_rules_default.c is stale: run scripts/embed-bytes.sh (see its usage)");
	cx_free(file);
	/* compiles against the canonical columns */
	struct cx_rules_opts o = { NULL, 0, today() };
	struct cx_rules *r = cx_rules_compile("default.cx", cx_rules_default_text,
	                                      cx_rules_default_len, &o, &e);
	ck_assert_msg(r != NULL, "%s: %s", e.file, e.msg);
	ck_assert_uint_eq(cx_rules_experiments(r), 1);
	/* every treatment is one cx-plan knows */
	for (size_t i = 0; i < cx_rules_count(r); i++) {
		int ok = 0;
		for (int k = 0; cx_treatment_names[k]; k++)
			ok |= !strcmp(cx_treatment_names[k], cx_rules_treatment(r, i));
		ck_assert(ok);
	}
	cx_rules_free(r);
}
END_TEST

static const struct { const char *row; const char *rule, *treatment; } dflt[] = {
	/* holds before everything, whatever the stage */
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t40\t2026-10-11\tdispute,hardship\t\t500\t20\t20\t0.3",
	  "hold_dispute", "none" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t40\t2026-10-11\tdeceased\t\t500\t20\t20\t0.3",
	  "hold_deceased", "none" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t40\t2026-10-11\thardship\t\t500\t20\t20\t0.3",
	  "hardship", "hardship_care" },
	/* pre-due at risk, and not at risk */
	{ "cH\t1\tCARD\tUSD\t10.00\t0.00\t-3\t2026-11-23\t\t\t500\t60\t60\t0.6",
	  "predue_at_risk", "reminder_predue" },
	{ "cH\t1\tCARD\tUSD\t10.00\t0.00\t-3\t2026-11-23\t\t\t700\t60\t60\t0.95",
	  "current", "none" },
	{ "cH\t1\tCARD\tUSD\t10.00\t0.00\t-20\t2026-12-10\t\t\t500\t60\t60\t0.6",
	  "current", "none" },
	/* the quadrant by stage */
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t10\t2026-11-10\t\t\t600\t40\t70\t0.6",
	  "early_cannot_pay", "payment_plan" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t60\t2026-09-21\t\t\t600\t70\t30\t0.6",
	  "mid_will_not_pay", "firm" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t60\t2026-09-21\t\t\t600\t30\t30\t0.6",
	  "mid_cannot_will_not", "settlement" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t200\t2026-05-04\t\t\t600\t30\t30\t0.6",
	  "late_cannot_will_not", "agency" },
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t200\t2026-05-04\t\t\t600\t30\t70\t0.6",
	  "late_cannot_pay", "settlement" },
	/* no sub-scores: the stage's unscored rule */
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t45\t2026-10-06\t\t\t\t\t\t",
	  "mid_unscored", "firm" },
	/* no days past due at all: the catch-all */
	{ "cH\t1\tCARD\tUSD\t10.00\t5.00\t\t\t\t\t600\t50\t50\t0.5",
	  "unclassified", "digital_standard" },
};

START_TEST(test_default_rules)
{
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	struct cx_rules *r = cx_rules_compile("default.cx", cx_rules_default_text,
	                                      cx_rules_default_len, &o, &e);
	ck_assert_msg(r != NULL, "%s: %s", e.file, e.msg);
	struct cust c;
	struct cx_rules_result res;
	const char *rows[1] = { dflt[_i].row };
	make_cust(&c, rows, 1);
	struct cx_rules_customer cu = { "cH", 2, 1, c.rows };
	ck_assert_int_eq(cx_rules_eval(r, &cu, &res, &e), 0);
	ck_assert_str_eq(res.rule_id, dflt[_i].rule);
	ck_assert_str_eq(res.treatment, dflt[_i].treatment);
	cx_rules_free(r);
}
END_TEST

START_TEST(test_man_page_has_default_rules)
{
	/* cx-rules(5) prints the default rules as its worked example */
	struct cx_error e = { 0 };
	size_t len;
	char *man = cx_read_file(CX_SRCDIR "/man/cx-rules.5", 1 << 20, &len, &e);
	ck_assert_msg(man != NULL, "%s", e.msg);
	const char *p = cx_rules_default_text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, p, n);
		line[n] = 0;
		ck_assert_msg(n == 0 || strstr(man, line) != NULL,
		              "man/cx-rules.5 lacks the default rules line '%s'", line);
		p = nl ? nl + 1 : p + n;
	}
	cx_free(man);
}
END_TEST

START_TEST(test_nesting_limits)
{
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	char *src = malloc(40000);
	char got[1024];
	int k = sprintf(src, "rule a when ");
	for (int i = 0; i < 100; i++)
		src[k++] = '(';
	k += sprintf(src + k, "1");
	for (int i = 0; i < 100; i++)
		src[k++] = ')';
	k += sprintf(src + k, " > 0 segment s treatment none rule z otherwise segment z treatment none");
	struct cx_rules *r = cx_rules_compile("t.cx", src, (size_t)k, &o, &e);
	ck_assert(r == NULL);
	snprintf(got, sizeof got, "%s: %s", e.file, e.msg);
	ck_assert_str_eq(got, "t.cx:1:77: expression nested too deeply (more than 64 levels)");
	k = sprintf(src, "rule a when score > 1");
	for (int i = 0; i < 300; i++)
		k += sprintf(src + k, " and score > 1");
	k += sprintf(src + k, " segment s treatment none rule z otherwise segment z treatment none");
	r = cx_rules_compile("t.cx", src, (size_t)k, &o, &e);
	ck_assert(r == NULL);
	snprintf(got, sizeof got, "%s: %s", e.file, e.msg);
	ck_assert_str_eq(got, "t.cx:1:13: condition too deeply nested (more than 256 levels); split it into several rules");
	free(src);
}
END_TEST

/* ---- out of memory ------------------------------------------------------- */

START_TEST(test_oom)
{
	struct cx_rules_opts o = { cols, NCOLS, today() };
	struct cx_error e = { 0 };
	long n;
	for (n = 1; n < 5000; n++) {
		cx_mem_fail_after(n);
		struct cx_rules *r = cx_rules_compile("default.cx", cx_rules_default_text,
		                                      cx_rules_default_len, &o, &e);
		cx_mem_fail_after(0);
		if (r) {
			cx_rules_free(r);
			break;
		}
		ck_assert_int_eq(e.code, CX_ENOMEM);
	}
	ck_assert_int_lt(n, 5000);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_errors, 0, (int)(sizeof errs / sizeof errs[0]));
	tcase_add_test(tc, test_missing_input_columns);
	tcase_add_loop_test(tc, test_eval, 0, (int)(sizeof evals / sizeof evals[0]));
	tcase_add_test(tc, test_bad_value);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_arm_uniform);
	tcase_add_test(tc, test_arm_split_and_shuffle);
	tcase_add_test(tc, test_bucket_documented);
	tcase_add_test(tc, test_default_embedded);
	tcase_add_loop_test(tc, test_default_rules, 0, (int)(sizeof dflt / sizeof dflt[0]));
	tcase_add_test(tc, test_oom);
	tcase_add_test(tc, test_man_page_has_default_rules);
	tcase_add_test(tc, test_nesting_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rules_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
