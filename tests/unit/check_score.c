/* Unit tests of cx-score's model file, scoring, features and the embedded
 * default model. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_io.h"
#include "cx_mem.h"
#include "cx_schema.h"
#include "cx_score.h"
#include "cx_score_feat.h"
#include "cx_score_model.h"
#include "cx_test.h"

static const char hand_model[] =
	"cx-model\t1\n"
	"# a hand-made model\n"
	"meta\tfeatures\ttable\n"
	"scaling\t600\t50\t20\n"
	"intercept\t0\n"
	"char\ta\tnum\tcapacity\t1\t0.1\tA1\tvalue of a\n"
	"bin\ta\trange\t-inf\t10\t-1\t10\t5\t5\n"
	"bin\ta\trange\t10\tinf\t1\t30\t5\t5\n"
	"bin\ta\tmissing\t-\t-\t0\t20\t0\t0\n"
	"char\tb\tcat\twillingness\t1\t0.1\tB1\tvalue of b\n"
	"bin\tb\tcats\tX\t-\t-1\t5\t5\t5\n"
	"bin\tb\tcats\tY,Z\\,W\t-\t1\t25\t5\t5\n"
	"bin\tb\tmissing\t-\t-\t0\t15\t0\t0\n"
	"bin\tb\telse\t-\t-\t0\t15\t0\t0\n"
	"dist\t20\t0.5\n"
	"dist\tinf\t0.5\n"
	"end\n";

START_TEST(test_apply_hand)
{
	struct cx_error err = { 0 };
	struct cx_sc_model *m = cx_sc_model_parse(hand_model, strlen(hand_model), "hand", &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	ck_assert_uint_eq(m->nchars, 2);
	struct cx_sc_value v[2] = { { 5, NULL, 0 }, { NAN, "X", 1 } };
	struct cx_sc_result r;
	cx_sc_model_apply(m, v, &r);
	ck_assert_double_eq_tol(r.score, 15, 1e-9);
	/* both lose 20 points: ties keep the model's order */
	ck_assert_uint_eq(r.nreasons, 2);
	ck_assert_uint_eq(r.reasons[0], 0);
	ck_assert_uint_eq(r.reasons[1], 1);
	ck_assert_double_eq_tol(r.capacity, 0, 1e-9);
	ck_assert_double_eq_tol(r.willingness, 0, 1e-9);
	double factor = 20 / log(2), offset = 600 - factor * log(50);
	ck_assert_double_eq_tol(r.p_pay, 1 / (1 + exp(-(15 - offset) / factor)), 1e-12);
	/* missing numeric and an unseen category: missing and else bins */
	v[0].x = NAN;
	v[1].s = "Q";
	cx_sc_model_apply(m, v, &r);
	ck_assert_double_eq_tol(r.score, 35, 1e-9);
	ck_assert_double_eq_tol(r.capacity, 50, 1e-9);
	ck_assert_double_eq_tol(r.willingness, 50, 1e-9);
	/* best bins: no reasons; escaped comma inside a category */
	v[0].x = 11;
	v[1].s = "Z,W";
	v[1].n = 3;
	cx_sc_model_apply(m, v, &r);
	ck_assert_double_eq_tol(r.score, 55, 1e-9);
	ck_assert_uint_eq(r.nreasons, 0);
	ck_assert_double_eq_tol(r.capacity, 100, 1e-9);
	/* 600 points at 50:1 odds */
	ck_assert_double_eq_tol(cx_sc_model_p_pay(m, 600), 50.0 / 51.0, 1e-12);
	/* 20 more points double the odds */
	double p = cx_sc_model_p_pay(m, 620);
	ck_assert_double_eq_tol(p / (1 - p), 100, 1e-9);
	cx_sc_model_free(m);
}
END_TEST

static const char *const bad_models[] = {
	"",
	"cx-model\t2\nend\n",
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\n",        /* no chars, no end */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\ta\tnum\tnone\t1\t0\tA\tt\n"
	"bin\ta\trange\t-inf\t1\t0\t0\t0\t0\nbin\ta\trange\t2\tinf\t0\t0\t0\t0\n"
	"bin\ta\tmissing\t-\t-\t0\t0\t0\t0\nend\n",                  /* gap in ranges */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\ta\tnum\tnone\t1\t0\tA\tt\n"
	"bin\ta\trange\t-inf\tinf\t0\t0\t0\t0\nend\n",               /* no missing bin */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\tx\nend\n",    /* bad number */
	"cx-model\t1\nscaling\t600\t0\t20\nintercept\t0\nend\n",     /* odds 0 */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\n"
	"bin\ta\trange\t-inf\tinf\t0\t0\t0\t0\nend\n",               /* bin before char */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\tb\tcat\tnone\t1\t0\tB\tt\n"
	"bin\tb\tcats\tX\t-\t0\t0\t0\t0\nbin\tb\tcats\tX\t-\t0\t0\t0\t0\n"
	"bin\tb\telse\t-\t-\t0\t0\t0\t0\nend\n",                     /* category twice */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nwhat\n",   /* unknown line */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\tb\tcat\tnone\t1\t0\tB\tt\n"
	"bin\tb\tcats\tX\\\t-\t0\t0\t0\t0\nbin\tb\telse\t-\t-\t0\t0\t0\t0\nend\n", /* lone \\ */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\ta\tnum\tnone\t1\t0\tA\tt\n"
	"bin\ta\trange\t-inf\tinf\t0\t0\t0\t0\nbin\ta\tmissing\t-\t-\t0\t0\t0\t0\n"
	"char\ta\tnum\tnone\t1\t0\tA\tt\n",                          /* char twice */
	"cx-model\t1\nscaling\t600\t50\t20\nintercept\t0\nchar\ta\tnum\tnone\t1\t0\tA\tt\n"
	"bin\ta\trange\t-inf\tinf\t0\t0\t0\t0\nbin\ta\tmissing\t-\t-\t0\t0\t0\t0\n"
	"dist\t5\t0.5\nend\n",                                       /* dist not ending at inf */
};

START_TEST(test_parse_errors)
{
	struct cx_error err = { 0 };
	const char *t = bad_models[_i];
	struct cx_sc_model *m = cx_sc_model_parse(t, strlen(t), "bad.model", &err);
	ck_assert_msg(m == NULL, "case %d parsed", _i);
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_str_eq(err.file, "bad.model");
}
END_TEST

START_TEST(test_default_embedded_equals_file)
{
	size_t n;
	char *t = slurp(CX_SRCDIR "/models/default.model", &n);
	ck_assert_uint_eq(n, cx_score_default_model_len);
	ck_assert(memcmp(t, cx_score_default_model, n) == 0);
	free(t);
}
END_TEST

START_TEST(test_model_roundtrip)
{
	size_t n, n2;
	struct cx_error err = { 0 };
	char *t = slurp(CX_SRCDIR "/models/default.model", &n);
	struct cx_sc_model *m = cx_sc_model_parse(t, n, "default.model", &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	ck_assert_str_eq(cx_sc_model_meta(m, "features"), "collections");
	/* the shipped model meets the quality bar on its holdout */
	ck_assert(atof(cx_sc_model_meta(m, "auc_test")) >= 0.775);
	char path[] = "/tmp/check_score.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct cx_output *out = cx_output_open(path, CX_OUT_FORCE, &err);
	ck_assert(out != NULL);
	ck_assert_int_eq(cx_sc_model_write(m, out, &err), 0);
	ck_assert_int_eq(cx_output_commit(out, &err), 0);
	char *t2 = slurp(path, &n2);
	ck_assert_uint_eq(n, n2);
	ck_assert(memcmp(t, t2, n) == 0);
	/* points are the scaled WoE: recomputing them changes nothing */
	struct cx_sc_model *m2 = cx_sc_model_parse(t2, n2, "copy", &err);
	cx_sc_model_scale(m2);
	for (size_t i = 0; i < m->nchars; i++)
		for (size_t b = 0; b < m->chars[i].nbins; b++)
			ck_assert_double_eq_tol(m->chars[i].bins[b].points, m2->chars[i].bins[b].points,
			                        0.0051);
	unlink(path);
	free(t);
	free(t2);
	cx_sc_model_free(m);
	cx_sc_model_free(m2);
}
END_TEST

static cx_day
D(int y, int mo, int d)
{
	cx_day x;
	cx_day_from_ymd(y, mo, d, &x);
	return x;
}

START_TEST(test_features)
{
	struct cx_sf_customer c;
	memset(&c, 0, sizeof c);
	cx_day asof = D(2026, 4, 1);
	struct cx_sf_account *a = cx_sf_add_account(&c);
	a->balance = 600;
	a->past_due = 150;
	a->min_due = 50;
	a->limit = 1000;
	a->dpd = 20;
	a->open_date = D(2024, 4, 1);
	a->last_pay_date = CX_DAY_NONE;
	a->has_product = 1;
	a->product_hash = 7;
	a = cx_sf_add_account(&c);
	a->balance = 400;
	a->past_due = NAN;
	a->min_due = NAN;
	a->limit = 1000;
	a->dpd = 45;
	a->open_date = D(2025, 1, 1);
	a->last_pay_date = D(2026, 3, 1);
	a->has_product = 1;
	a->product_hash = 7;
	/* statements Jan, Feb, Mar 2026 (two accounts in March) */
	struct { int m; double bal, paid, dpd; } st[] = {
		{ 1, 800, 0, 0 }, { 2, 900, 400, 30 }, { 3, 600, 450, 0 }, { 3, 400, 0, 45 },
	};
	for (size_t i = 0; i < 4; i++) {
		struct cx_sf_stmt *s = cx_sf_add_stmt(&c);
		s->date = D(2026, st[i].m, 28);
		s->balance = st[i].bal;
		s->paid = st[i].paid;
		s->dpd = st[i].dpd;
		s->min_due = NAN;
	}
	struct cx_sf_pay *p = cx_sf_add_pay(&c);
	p->date = D(2026, 3, 10);
	p->amount = 450;
	p = cx_sf_add_pay(&c);
	p->date = D(2026, 4, 5);  /* after the run date: ignored */
	p->amount = 999;
	/* a kept and a broken promise, an inbound whatsapp, an unanswered call */
	struct cx_sf_contact *k = cx_sf_add_contact(&c);
	k->day = D(2026, 3, 5);
	k->channel = cx_vocab_find(cx_channel_names, "call", 4);
	k->direction = CX_SF_OUT;
	k->outcome = cx_vocab_find(cx_outcome_names, "promise", 7);
	k->promise_amount = 400;
	k->promise_date = D(2026, 3, 12);
	k = cx_sf_add_contact(&c);
	k->day = D(2026, 2, 1);
	k->channel = cx_vocab_find(cx_channel_names, "call", 4);
	k->direction = CX_SF_OUT;
	k->outcome = cx_vocab_find(cx_outcome_names, "promise", 7);
	k->promise_amount = 100;
	k->promise_date = D(2026, 2, 10);
	k = cx_sf_add_contact(&c);
	k->day = D(2026, 3, 20);
	k->channel = cx_vocab_find(cx_channel_names, "whatsapp", 8);
	k->direction = CX_SF_IN;
	k->outcome = cx_vocab_find(cx_outcome_names, "delivered", 9);
	k->promise_date = CX_DAY_NONE;
	k->promise_amount = NAN;
	k = cx_sf_add_contact(&c);
	k->day = D(2026, 3, 21);
	k->channel = cx_vocab_find(cx_channel_names, "call", 4);
	k->direction = CX_SF_OUT;
	k->outcome = cx_vocab_find(cx_outcome_names, "no_answer", 9);
	k->promise_date = CX_DAY_NONE;
	k->promise_amount = NAN;

	double f[CX_SF_COUNT];
	cx_sf_compute(&c, asof, f);
	ck_assert_double_eq(f[CX_SF_N_ACCOUNTS], 2);
	ck_assert_double_eq(f[CX_SF_N_PRODUCTS], 1);
	ck_assert_double_eq(f[CX_SF_BALANCE], 1000);
	ck_assert_double_eq_tol(f[CX_SF_PAST_DUE_RATIO], 0.15, 1e-12);
	ck_assert_double_eq(f[CX_SF_DPD_NOW], 45);
	ck_assert_double_eq(f[CX_SF_CREDIT_LIMIT], 2000);
	ck_assert_double_eq_tol(f[CX_SF_UTILISATION], 0.5, 1e-12);
	ck_assert_double_eq(f[CX_SF_MONTHS_ON_BOOK], 23);   /* 730 days / 30.4375 */
	ck_assert_double_eq(f[CX_SF_DAYS_SINCE_PAYMENT], 22);
	ck_assert_double_eq(f[CX_SF_STMT_MONTHS], 3);
	ck_assert_double_eq(f[CX_SF_DPD_LAST], 45);
	ck_assert_double_eq(f[CX_SF_DPD_PREV], 30);
	ck_assert_double_eq(f[CX_SF_LATE30_3M], 2);
	ck_assert_double_eq(f[CX_SF_LATE60_12M], 0);
	ck_assert_double_eq(f[CX_SF_DPD_MAX_6M], 45);
	/* 45 - mean(30, 0) */
	ck_assert_double_eq_tol(f[CX_SF_DPD_TREND], 30, 1e-12);
	/* March paid 450 of February's 900; February paid 400 of January's 800 */
	ck_assert_double_eq_tol(f[CX_SF_PAY_RATIO_1M], 0.5, 1e-12);
	ck_assert_double_eq_tol(f[CX_SF_PAY_RATIO_3M], 850.0 / 1700.0, 1e-12);
	ck_assert_double_eq(f[CX_SF_FULL_PAY_6M], 0);
	ck_assert_double_eq(f[CX_SF_NO_PAY_6M], 0);
	ck_assert_double_eq_tol(f[CX_SF_UTIL_LAST], 0.5, 1e-12);
	ck_assert_double_eq_tol(f[CX_SF_UTIL_MAX_6M], 0.5, 1e-12);
	ck_assert_double_eq_tol(f[CX_SF_UTIL_TREND], 0.1, 1e-12);   /* (1000 - 800) / 2000 */
	ck_assert_double_eq(f[CX_SF_MONTHS_CLEAN], 0);
	/* March 2 months late, February 1 month late */
	ck_assert_double_eq(f[CX_SF_DELAY_PATTERN], 21);
	ck_assert_double_eq(f[CX_SF_PAID_LAST], 450);
	ck_assert_double_eq(f[CX_SF_PAY_COUNT_90D], 1);
	ck_assert_double_eq(f[CX_SF_PROMISES_180D], 2);
	ck_assert_double_eq(f[CX_SF_PROMISES_KEPT], 1);
	ck_assert_double_eq(f[CX_SF_PROMISES_BROKEN], 1);
	ck_assert_double_eq_tol(f[CX_SF_PROMISE_KEEP_RATE], 0.5, 1e-12);
	/* 3 outbound calls, 2 reached the right party (promises) */
	ck_assert_double_eq_tol(f[CX_SF_RPC_RATE], 2.0 / 3.0, 1e-12);
	ck_assert_double_eq(f[CX_SF_INBOUND_180D], 1);
	ck_assert_double_eq(f[CX_SF_DIGITAL_180D], 1);
	ck_assert(isnan(f[CX_SF_RESPONSE_RATE]));
	/* no statements: statement features missing */
	c.nstmt = 0;
	cx_sf_compute(&c, asof, f);
	ck_assert(isnan(f[CX_SF_DPD_LAST]));
	ck_assert(isnan(f[CX_SF_PAY_RATIO_3M]));
	cx_sf_customer_free(&c);
}
END_TEST

START_TEST(test_feature_table)
{
	for (int i = 0; i < CX_SF_COUNT; i++) {
		const struct cx_sf_info *in = cx_sf_info(i);
		ck_assert_msg(in->name != NULL, "feature %d has no name", i);
		ck_assert_int_eq(cx_sf_find(in->name), i);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(cx_sf_info(j)->reason, in->reason);
	}
	ck_assert_int_eq(cx_sf_find("nope"), -1);
}
END_TEST

/* Statements are read ahead in a second thread, in batches of customers:
 * groups of customers without accounts are skipped unparsed (a bad value
 * there is no error), a bad value of a customer scored is the error of its
 * row, and the stream past the last customer is not read (as with one
 * thread).  700 customers: several batches. */
static char *
stmts_text(int bad_cust, int skipped_bad, int tail_broken)
{
	size_t cap = 1 << 20, len = 0;
	char *t = malloc(cap);
	ck_assert_ptr_nonnull(t);
	len += (size_t)snprintf(t + len, cap - len, "customer_key\tstatement_date\tbalance\n");
	for (int i = 0; i < 700; i++) {
		len += (size_t)snprintf(t + len, cap - len, "c%05d\t2026-09-05\t%d.50\n", i, 100 + i);
		len += (size_t)snprintf(t + len, cap - len, "c%05d\t2026-10-05\t%s\n", i,
		                        i == bad_cust ? "x1" : "90.00");
		if (skipped_bad && i % 97 == 0)
			len += (size_t)snprintf(t + len, cap - len, "c%05dz\t2026-10-05\tnot-a-number\n", i);
	}
	len += (size_t)snprintf(t + len, cap - len, "c99998\t2026-10-05\t1.00\n");
	if (tail_broken)
		len += (size_t)snprintf(t + len, cap - len, "c99999\t2026-10-05\n");
	return t;
}

START_TEST(test_statements_ahead)
{
	struct cx_error err = { 0 };
	struct cx_score_opts o;
	size_t cap = 1 << 16, len = 0;
	char *acc = malloc(cap), *t;
	ck_assert_ptr_nonnull(acc);
	tmp_setup();
	len += (size_t)snprintf(acc + len, cap - len, "customer_key\tbalance\tdays_past_due\n");
	for (int i = 0; i < 700; i++)
		len += (size_t)snprintf(acc + len, cap - len, "c%05d\t%d.00\t%d\n", i, 50 + i, i % 40);
	cx_score_opts_init(&o);
	o.input = put("acc.tsv", acc);
	o.as_of = 20779;   /* 2026-11-22 */
	o.has_as_of = 1;
	o.force = 1;

	o.output = P("plain.tsv");
	ck_assert_int_eq(cx_score_run(&o, &err), 0);
	put("good.tsv", t = stmts_text(-1, 0, 0));
	free(t);
	o.statements = P("good.tsv");
	o.output = P("good.out");
	ck_assert_int_eq(cx_score_run(&o, &err), 0);
	put("skip.tsv", t = stmts_text(-1, 1, 1));
	free(t);
	o.statements = P("skip.tsv");
	o.output = P("skip.out");
	ck_assert_msg(cx_score_run(&o, &err) == 0, "%s", err.msg);
	char *a = slurp(P("plain.tsv"), NULL), *b = slurp(P("good.out"), NULL),
	     *c = slurp(P("skip.out"), NULL);
	ck_assert_str_ne(a, b);   /* the statements were used */
	ck_assert_str_eq(b, c);
	free(a);
	free(b);
	free(c);

	put("bad.tsv", t = stmts_text(600, 1, 0));
	free(t);
	o.statements = P("bad.tsv");
	o.output = P("bad.out");
	ck_assert_int_eq(cx_score_run(&o, &err), CX_EDATA);
	ck_assert_int_eq(err.line, 2 + 600 * 2 + 7 + 1);   /* header, rows, 7 skipped */
	ck_assert_ptr_nonnull(strstr(err.msg, "'balance'"));
	ck_assert_int_ne(access(P("bad.out"), F_OK), 0);
	free(acc);
	tmp_teardown();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("score");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_apply_hand);
	tcase_add_loop_test(tc, test_parse_errors, 0, (int)(sizeof bad_models / sizeof *bad_models));
	tcase_add_test(tc, test_default_embedded_equals_file);
	tcase_add_test(tc, test_model_roundtrip);
	tcase_add_test(tc, test_features);
	tcase_add_test(tc, test_feature_table);
	tcase_add_test(tc, test_statements_ahead);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
