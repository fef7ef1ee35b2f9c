/* Check suite for cx_report: bucket order, the built-in contact-policy
 * hours, option parsing, the --plan reader (rows in customer order, every
 * bad plan file refused with file:line and the column), and the HTML page
 * rendered by headless Chromium (skipped with a note when chromium is not
 * installed). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_date.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_report.h"
#include "cx_report_int.h"
#include "cx_test.h"

START_TEST(test_bucket_rank)
{
	ck_assert_int_eq(cx_report_bucket_rank("current"), 0);
	ck_assert_int_eq(cx_report_bucket_rank("1-30"), 1);
	ck_assert_int_eq(cx_report_bucket_rank("91-120"), 91);
	ck_assert_int_eq(cx_report_bucket_rank("180+"), 180);
	ck_assert_int_lt(cx_report_bucket_rank("new"), 0);
	ck_assert_int_gt(cx_report_bucket_rank("closed"), cx_report_bucket_rank("weird"));
	ck_assert_int_gt(cx_report_bucket_rank("weird"), cx_report_bucket_rank("360+"));
}
END_TEST

struct hcase {
	const char *country;
	const char *local;   /* YYYY-MM-DDTHH:MM local wall time */
	int outside;
};

static const struct hcase hcases[] = {
	/* Colombia, Ley 2300: Mon-Fri 07-19, Sat 08-15, never Sunday/holiday */
	{ "CO", "2026-11-20T07:00", 0 },   /* Friday */
	{ "CO", "2026-11-20T06:59", 1 },
	{ "CO", "2026-11-20T18:59", 0 },
	{ "CO", "2026-11-20T19:00", 1 },
	{ "CO", "2026-11-21T08:00", 0 },   /* Saturday */
	{ "CO", "2026-11-21T07:30", 1 },
	{ "CO", "2026-11-21T15:00", 1 },
	{ "CO", "2026-11-22T10:00", 1 },   /* Sunday */
	{ "CO", "2026-11-16T10:00", 1 },   /* Independencia de Cartagena, moved to Monday */
	{ "CO", "2026-11-17T10:00", 0 },
	/* Mexico, CONDUSEF: 07-22 */
	{ "MX", "2026-11-22T21:59", 0 },
	{ "MX", "2026-11-22T22:00", 1 },
	{ "MX", "2026-11-22T06:59", 1 },
	/* United States, Reg F: 08-21 (also the default) */
	{ "US", "2026-11-22T08:00", 0 },
	{ "US", "2026-11-22T21:00", 1 },
	{ "", "2026-11-22T07:59", 1 },
};

START_TEST(test_outside_hours)
{
	const struct hcase *c = &hcases[_i];
	cx_day d;
	const char *why;
	int hh = atoi(c->local + 11), mm = atoi(c->local + 14);
	ck_assert_int_eq(cx_date_parse_iso(c->local, 10, &d, &why), 0);
	ck_assert_int_eq(cx_report_outside_hours(c->country, (int64_t)d * 86400 + hh * 3600 + mm * 60),
	                 c->outside);
}
END_TEST

START_TEST(test_parse_by)
{
	unsigned by;
	enum cx_report_format f;
	ck_assert_int_eq(cx_report_parse_by("segment,arm", &by), 0);
	ck_assert_uint_eq(by, CX_BY_SEGMENT | CX_BY_ARM | CX_BY_CURRENCY);
	ck_assert_int_eq(cx_report_parse_by("currency", &by), 0);
	ck_assert_uint_eq(by, CX_BY_CURRENCY);
	ck_assert_int_eq(cx_report_parse_by("segment,colour", &by), -1);
	ck_assert_int_eq(cx_report_parse_format("html", &f), 0);
	ck_assert_int_eq(f, CX_RF_HTML);
	ck_assert_int_eq(cx_report_parse_format("xlsx", &f), -1);
}
END_TEST

/* ---- the --plan reader ---- */

#define PLAN_HDR "customer_key\taccounts\tn_accounts\tbalance\tpast_due\taction\tchannel\t" \
	"window_start\toffer_type\tinstalments\tinstalment_amount\tsettlement_amount\tblocked_by\n"
/* a good row of each kind, in rank order (not customer order) */
#define ROW_PLAN "c2\tA1,A2\t2\tUSD:900.00\tUSD:100.01\tcontact\tcall\t" \
	"2026-11-20T08:00:00-05:00\tplan\t3\tUSD:33.34\t\t\n"
#define ROW_SETTLE "c3\tB1\t1\tCOP:1000.00,USD:5.00\t\tfollow_up\tsms\t" \
	"2026-11-20T07:00:00-05:00\tsettlement\t\t\tUSD:4.00\t\n"
#define ROW_NONE "c1\tC1\t1\tMXN:5.00\tMXN:5.00\tnone\t\t\t\t\t\t\tMX:holiday\n"

/* a plan file with text in a fresh scratch directory; its path */
static const char *plan_file(const char *text)
{
	tmp_setup();
	return put("plan.tsv", text);
}

START_TEST(test_plan_read)
{
	const char *path;
	struct rp_plan *p = NULL;
	const struct rp_plan_row *r;
	struct cx_error err;
	cx_error_clear(&err);
	path = plan_file(PLAN_HDR ROW_PLAN ROW_SETTLE ROW_NONE);
	ck_assert_int_eq(rp_plan_open(path, 0, 0, &p, &err), 0);
	/* customer order */
	ck_assert_int_eq(rp_plan_next(p, &r, &err), 1);
	ck_assert_str_eq(r->key, "c1");
	ck_assert_int_eq(r->planned, 0);
	ck_assert_str_eq(r->blocked_by, "MX:holiday");
	ck_assert_str_eq(rp_block_family(r->blocked_by), "contact_law");
	ck_assert_str_eq(r->cur0, "MXN");
	ck_assert_str_eq(r->offer_cur, "");
	ck_assert_int_eq(r->line, 4);
	ck_assert_int_eq(rp_plan_next(p, &r, &err), 1);
	ck_assert_str_eq(r->key, "c2");
	ck_assert_str_eq(r->account, "A1");   /* the first of the accounts */
	ck_assert_int_eq(r->n_accounts, 2);
	ck_assert_int_eq(r->planned, 1);
	ck_assert_str_eq(r->channel, "call");
	ck_assert_str_eq(r->window_start, "2026-11-20T08:00:00-05:00");
	ck_assert_int_eq(r->off, -300);
	ck_assert_str_eq(r->offer_cur, "USD");
	ck_assert_int_eq(r->offer_amt, 10001);   /* the past due the instalments add up to */
	ck_assert_int_eq(r->inst_amt, 3334);
	ck_assert_int_eq(r->instalments, 3);
	ck_assert_int_eq(rp_plan_next(p, &r, &err), 1);
	ck_assert_str_eq(r->key, "c3");
	ck_assert_str_eq(r->action, "follow_up");
	ck_assert_str_eq(r->cur0, "COP");
	ck_assert_int_eq(r->offer_amt, 400);
	ck_assert_int_eq(r->offer_bal, 500);
	ck_assert_int_eq(rp_plan_next(p, &r, &err), 0);
	rp_plan_free(p);
	tmp_teardown();
}
END_TEST

START_TEST(test_plan_family)
{
	ck_assert_str_eq(rp_block_family("hold:deceased"), "hold");
	ck_assert_str_eq(rp_block_family("opt_out:sms"), "opt_out");
	ck_assert_str_eq(rp_block_family("promise:open"), "promise");
	ck_assert_str_eq(rp_block_family("policy:no_profile"), "policy");
	ck_assert_str_eq(rp_block_family("CO:max_contacts_per_week"), "contact_law");
	ck_assert_str_eq(rp_block_family("no_phone"), "no_address");
	ck_assert_str_eq(rp_block_family("capacity"), "capacity");
}
END_TEST

struct pcase {
	const char *text;
	long line;
	const char *msg;   /* a part of the message */
};

static const struct pcase pcases[] = {
	{ "customer_key\taccounts\tn_accounts\tbalance\tpast_due\tchannel\toffer_type\t"
	  "instalments\tinstalment_amount\tsettlement_amount\tblocked_by\n", 1,
	  "missing required columns 'action', 'window_start'" },
	{ PLAN_HDR ROW_NONE "c4\tD1\t1\tUSD:1.00\t\tcall_now\tcall\t2026-11-20T08:00:00Z\t\t\t\t\t\n",
	  3, "unknown action (contact, follow_up, courtesy_reminder, none) in column 'action'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:1.00\t\tcontact\tcall\t2026-11-20T08:00:00\t\t\t\t\t\n", 2,
	  "in column 'window_start'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:1.00\t\tcontact\tpigeon\t2026-11-20T08:00:00Z\t\t\t\t\t\n",
	  2, "unknown channel for a planned contact in column 'channel'" },
	{ PLAN_HDR "c4\tD1\tzero\tUSD:1.00\t\tnone\t\t\t\t\t\t\tcapacity\n", 2,
	  "bad count (an integer from 1 to 1000000) in column 'n_accounts'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD 1.00\t\tnone\t\t\t\t\t\t\tcapacity\n", 2,
	  "expected CUR:amount in column 'balance'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:1.00\t\tnone\t\t\t\t\t\t\t\n", 2,
	  "empty value for action none in column 'blocked_by'" },
	{ PLAN_HDR "\tD1\t1\tUSD:1.00\t\tnone\t\t\t\t\t\t\tcapacity\n", 2,
	  "empty value in column 'customer_key'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:900.00\tUSD:100.00\tcontact\tcall\t2026-11-20T08:00:00Z\t"
	  "plan\t3\tUSD:30.00\t\t\n", 2,
	  "instalments do not add up to the past due in column 'instalment_amount'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:900.00\tUSD:100.00\tcontact\tcall\t2026-11-20T08:00:00Z\t"
	  "plan\t3\tMXN:40.00\t\t\n", 2, "no amount in the offer's currency in column 'past_due'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:900.00\t\tcontact\tsms\t2026-11-20T08:00:00Z\t"
	  "settlement\t\t\tCOP:40.00\t\n", 2, "no amount in the offer's currency in column 'balance'" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:900.00\t\tcontact\tsms\t2026-11-20T08:00:00Z\t"
	  "discount\t\t\t\t\n", 2, "unknown offer type (plan, settlement or empty) in column 'offer_type'" },
	/* a customer planned twice: found after sorting, named by its later line */
	{ PLAN_HDR ROW_NONE ROW_PLAN ROW_NONE, 4, "customer_key already planned on line 2" },
	{ PLAN_HDR "c4\tD1\t1\tUSD:1.00\n", 2, "" },   /* short row: the TSV reader's error */
};

START_TEST(test_plan_bad)
{
	const struct pcase *c = &pcases[_i];
	const char *path;
	struct rp_plan *p = NULL;
	const struct rp_plan_row *r;
	struct cx_error err;
	int rc;
	cx_error_clear(&err);
	path = plan_file(c->text);
	rc = rp_plan_open(path, 0, 0, &p, &err);
	if (rc == 0)
		while ((rc = rp_plan_next(p, &r, &err)) > 0)
			;
	ck_assert_int_eq(rc, CX_EDATA);
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, c->line);
	ck_assert_msg(strstr(err.msg, c->msg) != NULL, "message '%s' lacks '%s'", err.msg, c->msg);
	rp_plan_free(p);
	tmp_teardown();
}
END_TEST

static size_t count(const char *hay, const char *needle)
{
	size_t k = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		k++;
	return k;
}

/* The HTML report of the test portfolio: self-contained (no script, no
 * external reference), and headless Chromium renders it into a DOM with the
 * charts and tables, and prints it to a PDF of several pages. */
START_TEST(test_html_chromium)
{
	char html[sizeof tmpdir + 32], cmd[2048], dom[sizeof tmpdir + 32], pdf[sizeof tmpdir + 32];
	struct cx_report_opts o;
	struct cx_error err;
	char *src, *d;
	size_t n;
	tmp_setup();
	snprintf(html, sizeof html, "%s/report.html", tmpdir);
	cx_report_opts_init(&o);
	o.accounts = CX_SRCDIR "/testdata/report/current.tsv";
	o.previous = CX_SRCDIR "/testdata/report/previous.tsv";
	o.payments = CX_SRCDIR "/testdata/canonical/payments.tsv";
	o.contacts = CX_SRCDIR "/testdata/canonical/contacts.tsv";
	o.statements = CX_SRCDIR "/testdata/canonical/statements.tsv";
	o.costs = CX_SRCDIR "/testdata/report/costs.tsv";
	cx_date_parse_iso("2026-11-20", 10, &o.as_of, &(const char *){ NULL });
	o.format = CX_RF_HTML;
	o.output = html;
	cx_error_clear(&err);
	ck_assert_int_eq(cx_report_run(&o, &err), 0);
	src = slurp(html, &n);
	ck_assert_ptr_nonnull(src);
	/* self-contained: nothing fetched, nothing run */
	ck_assert_ptr_null(strstr(src, "<script"));
	ck_assert_ptr_null(strstr(src, "src="));
	ck_assert_ptr_null(strstr(src, "href="));
	ck_assert_ptr_null(strstr(src, "url("));
	ck_assert_ptr_null(strstr(src, "@import"));
	ck_assert_uint_ge(count(src, "<svg"), 7);   /* 3 aging, 3 roll, 1 arm chart */
	free(src);
	if (system("command -v chromium >/dev/null 2>&1") != 0) {
		printf("note: chromium not installed; HTML rendering check skipped\n");
		tmp_teardown();
		return;
	}
	snprintf(dom, sizeof dom, "%s/dom.html", tmpdir);
	snprintf(pdf, sizeof pdf, "%s/print.pdf", tmpdir);
#define CHROME "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic " \
	"--no-first-run --disable-background-networking --disable-component-update " \
	"--disable-sync --user-data-dir=%s/profile "
	snprintf(cmd, sizeof cmd, CHROME "--dump-dom file://%s >%s 2>/dev/null", tmpdir, html, dom);
	ck_assert_int_eq(system(cmd), 0);
	d = slurp(dom, &n);
	ck_assert_ptr_nonnull(d);
	/* the parsed DOM holds the charts, the bars and the tables */
	ck_assert_uint_ge(count(d, "<svg"), 7);
	ck_assert_uint_ge(count(d, "<rect"), 21);
	ck_assert_ptr_nonnull(strstr(d, "Headline"));
	ck_assert_ptr_nonnull(strstr(d, "Roll rates (share of accounts), COP"));
	ck_assert_ptr_nonnull(strstr(d, "Experiment E1: cure rate by arm"));
	ck_assert_ptr_nonnull(strstr(d, "<td>cure_rate_diff</td>"));
	ck_assert_ptr_nonnull(strstr(d, "personal data masked"));
	free(d);
	snprintf(cmd, sizeof cmd, CHROME "--no-pdf-header-footer --print-to-pdf=%s file://%s "
	         ">/dev/null 2>&1", tmpdir, pdf, html);
	ck_assert_int_eq(system(cmd), 0);
	d = slurp(pdf, &n);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(memcmp(d, "%PDF", 4), 0);
	/* printable: several pages (the page tree's /Count) */
	ck_assert_uint_gt(n, 20000);
	{
		const char *pc = memmem(d, n, "/Count ", 7);
		ck_assert_ptr_nonnull(pc);
		ck_assert_int_ge(atoi(pc + 7), 2);
	}
	free(d);
	tmp_teardown();
}
END_TEST

/* Statements are read ahead in a second thread, in batches of customers,
 * keeping each customer's credit sales and first error: over several
 * batches the report is that of the sales, a bad value the report never
 * reads (the date of an account's first statement, the payment of one
 * outside the period) is no error, and one it reads is the error of its
 * row.  Payments, read ahead the same way, likewise. */
static char *stm_text(int bad_cust, int lazy_bad)
{
	size_t cap = 1 << 20, len = 0;
	char *t = malloc(cap);
	ck_assert_ptr_nonnull(t);
	len += (size_t)snprintf(t + len, cap - len, "customer_key\taccount_id\tstatement_date\t"
	                        "balance\tamount_paid\tcurrency\n");
	for (int i = 0; i < 700; i++) {
		/* first statement (no base), one outside the period, one inside */
		len += (size_t)snprintf(t + len, cap - len, "c%05d\ta%05d\t%s\t100.00\t0.00\tCOP\n", i,
		                        i, lazy_bad ? "2026-13-45" : "2026-08-05");
		len += (size_t)snprintf(t + len, cap - len, "c%05d\ta%05d\t2026-09-05\t150.00\t%s\tCOP\n",
		                        i, i, lazy_bad ? "x" : "0.00");
		len += (size_t)snprintf(t + len, cap - len, "c%05d\ta%05d\t2026-11-05\t%s\t10.00\tCOP\n",
		                        i, i, i == bad_cust ? "1.2.3" : "170.00");
	}
	return t;
}

START_TEST(test_statements_ahead)
{
	struct cx_report_opts o;
	struct cx_error err;
	size_t cap = 1 << 17, len = 0;
	char *acc = malloc(cap), *t, *a, *b;
	ck_assert_ptr_nonnull(acc);
	tmp_setup();
	len += (size_t)snprintf(acc + len, cap - len, "customer_key\taccount_id\tproduct\tcurrency\t"
	                        "balance\tpast_due\tdays_past_due\tbucket\n");
	for (int i = 0; i < 700; i++)
		len += (size_t)snprintf(acc + len, cap - len,
		                        "c%05d\ta%05d\tCARD\tCOP\t170.00\t0.00\t0\tcurrent\n", i, i);
	cx_report_opts_init(&o);
	o.accounts = put("acc.tsv", acc);
	cx_date_parse_iso("2026-11-20", 10, &o.as_of, &(const char *){ NULL });
	o.format = CX_RF_TSV;
	put("good.tsv", t = stm_text(-1, 0));
	free(t);
	put("lazy.tsv", t = stm_text(-1, 1));
	free(t);
	put("bad.tsv", t = stm_text(600, 1));
	free(t);
	o.statements = P("good.tsv");
	o.output = P("good.out");
	cx_error_clear(&err);
	ck_assert_msg(cx_report_run(&o, &err) == 0, "%s", err.msg);
	o.statements = P("lazy.tsv");
	o.output = P("lazy.out");
	ck_assert_msg(cx_report_run(&o, &err) == 0, "%s", err.msg);
	a = slurp(P("good.out"), NULL);
	b = slurp(P("lazy.out"), NULL);
	/* 700 customers x 30.00 of sales (170 - 150 + 10) */
	ck_assert_ptr_nonnull(strstr(a, "21000.00"));
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	o.statements = P("bad.tsv");
	o.output = P("bad.out");
	ck_assert_int_eq(cx_report_run(&o, &err), CX_EDATA);
	ck_assert_int_eq(err.line, 1 + 600 * 3 + 3);
	ck_assert_ptr_nonnull(strstr(err.msg, "'balance'"));

	/* payments, read ahead too: 700 x 2 x 5.00 in the period, then a bad
	 * date at customer 650 */
	len = 0;
	len += (size_t)snprintf(acc + len, cap - len,
	                        "customer_key\taccount_id\tdate\tamount\tcurrency\n");
	for (int i = 0; i < 700; i++)
		for (int k = 0; k < 2; k++)
			len += (size_t)snprintf(acc + len, cap - len, "c%05d\ta%05d\t2026-11-1%d\t5.00\tCOP\n",
			                        i, i, k);
	o.statements = P("good.tsv");
	o.payments = put("pay.tsv", acc);
	o.output = P("pay.out");
	ck_assert_msg(cx_report_run(&o, &err) == 0, "%s", err.msg);
	a = slurp(P("pay.out"), NULL);
	ck_assert_ptr_nonnull(strstr(a, "7000.00"));
	free(a);
	char *bd = strstr(acc, "c00650\ta00650\t2026-11-11");
	ck_assert_ptr_nonnull(bd);
	memcpy(bd + 14, "2026-11-31", 10);
	o.payments = put("paybad.tsv", acc);
	o.output = P("paybad.out");
	ck_assert_int_eq(cx_report_run(&o, &err), CX_EDATA);
	ck_assert_int_eq(err.line, 1 + 650 * 2 + 2);
	ck_assert_ptr_nonnull(strstr(err.msg, "'date'"));
	free(acc);
	tmp_teardown();
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");
	TCase *th = tcase_create("html");
	tcase_add_test(tc, test_bucket_rank);
	tcase_add_loop_test(tc, test_outside_hours, 0, (int)(sizeof hcases / sizeof hcases[0]));
	tcase_add_test(tc, test_parse_by);
	tcase_add_test(tc, test_plan_read);
	tcase_add_test(tc, test_plan_family);
	tcase_add_test(tc, test_statements_ahead);
	tcase_add_loop_test(tc, test_plan_bad, 0, (int)(sizeof pcases / sizeof pcases[0]));
	tcase_add_test(th, test_html_chromium);
	tcase_set_timeout(th, 300);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, th);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
