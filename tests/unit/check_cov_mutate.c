/* Mutation sweeps over the shipped text formats: the default rules, the
 * default scorecard model, capacity and templates.  Each line is deleted
 * in turn and each token is deleted or replaced by a hostile one; every
 * variant must parse or fail with a one-line CX_EDATA/CX_ELIMIT message
 * naming the file (never crash, leak or read out of bounds: valgrind and
 * ASan run this suite too).  Rule programs that still compile are
 * evaluated and explained over real scored customers, so the evaluator
 * meets operators, types and missing values in combinations the
 * hand-written tests do not list.  Deterministic; every 16th token and 4
 * customers under valgrind (CX_VALGRIND=1). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_capacity.h"
#include "cx_date.h"
#include "cx_mem.h"
#include "cx_msg.h"
#include "cx_rules.h"
#include "cx_score.h"
#include "cx_score_model.h"
#include "cx_test.h"
#include "cx_tsv.h"

typedef int (*parse_fn)(const char *text, size_t n, struct cx_error *err);

static const char *const hostile[] = {
	"(", ")", "0", "-1", "'x'", "and", "%", "99999999999999999999", "when", ",", "=",
	"rule", "not", "1.5", "''", "[", "x.y", "\t", "#", "2026-13-01",
};

static long variants, accepted;

static void
try_text(const char *what, parse_fn fn, const char *text, size_t n)
{
	struct cx_error err;
	int rc;

	cx_error_clear(&err);
	rc = fn(text, n, &err);
	variants++;
	if (rc == 0) {
		accepted++;
		return;
	}
	ck_assert_msg(rc == CX_EDATA || rc == CX_ELIMIT || rc == CX_EUSAGE,
	              "%s: status %d (%s)", what, rc, err.msg);
	ck_assert_msg(err.msg[0] && !strchr(err.msg, '\n'), "%s: message '%s'", what, err.msg);
}

/* Delete each line; delete and replace each whitespace-separated token. */
static void
sweep(const char *what, parse_fn fn, const char *src, size_t len)
{
	char *buf = cx_malloc(len + 64);
	size_t i, step = getenv("CX_VALGRIND") ? 16 : 1, tok = 0;

	ck_assert_ptr_nonnull(buf);
	/* lines */
	for (i = 0; i < len;) {
		const char *nl = memchr(src + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - src) + 1 : len;
		memcpy(buf, src, i);
		memcpy(buf + i, src + e, len - e);
		try_text(what, fn, buf, len - (e - i));
		i = e;
	}
	/* tokens */
	for (i = 0; i < len;) {
		size_t e;
		while (i < len && (src[i] == ' ' || src[i] == '\n' || src[i] == '\t'))
			i++;
		if (i >= len)
			break;
		for (e = i; e < len && src[e] != ' ' && src[e] != '\n' && src[e] != '\t'; e++)
			;
		if (tok++ % step == 0) {
			memcpy(buf, src, i);
			memcpy(buf + i, src + e, len - e);
			try_text(what, fn, buf, len - (e - i));
			for (size_t h = 0; h < sizeof hostile / sizeof *hostile; h++) {
				size_t hl = strlen(hostile[h]);
				memcpy(buf, src, i);
				memcpy(buf + i, hostile[h], hl);
				memcpy(buf + i + hl, src + e, len - e);
				try_text(what, fn, buf, len - (e - i) + hl);
			}
		}
		i = e;
	}
	/* cut at every 7th byte */
	for (i = 0; i < len; i += 7)
		try_text(what, fn, src, i);
	cx_free(buf);
}

/* ---- rules: compile, then evaluate and explain over real customers ------- */

enum { MAXCUST = 16, MAXROWS = 200 };
static struct cx_field *rowbuf[MAXROWS];
static char *custkey[MAXCUST];
static size_t cust_first[MAXCUST], cust_n[MAXCUST], ncust;
static const char **cols;
static size_t ncols;
static cx_day today;

static int
rules_fn(const char *text, size_t n, struct cx_error *err)
{
	struct cx_rules_opts o = { cols, ncols, today };
	struct cx_rules *r = cx_rules_compile("t.cx", text, n, &o, err);

	if (!r)
		return err->code;
	ck_assert_msg(strncmp(err->file, "t.cx", 4) == 0 || err->code == 0, "%s", err->file);
	for (size_t c = 0; c < (getenv("CX_VALGRIND") ? 4 : ncust); c++) {
		struct cx_rules_customer cu = { custkey[c], strlen(custkey[c]), cust_n[c],
		                                rowbuf + cust_first[c] };
		struct cx_rules_result res;
		struct cx_error e;
		int rc;
		if (c == 0 || c == ncust / 2) {
			char *text_out = NULL;
			rc = cx_rules_explain(r, &cu, &res, &text_out, &e);
			if (rc == 0)
				ck_assert_ptr_nonnull(text_out);
			cx_free(text_out);
		} else
			rc = cx_rules_eval(r, &cu, &res, &e);
		ck_assert_msg(rc == 0 || rc == CX_EDATA, "eval: %d %s", rc, e.msg);
		if (rc == 0)
			ck_assert(res.segment && res.treatment && res.rule_id);
	}
	cx_rules_free(r);
	return 0;
}

/* scored canonical customers from testdata (cx_score_run) */
static void
load_customers(void)
{
	struct cx_score_opts so;
	struct cx_error err;
	struct cx_tsv_reader *r;
	struct cx_tsv_grouper *g;
	const struct cx_tsv_group *grp;
	const char *in, *out;
	size_t nrows = 0;
	int rc;

	tmp_setup();
	in = P("acc.tsv");
	out = P("scored.tsv");
	sh("head -n 120 $SRC/testdata/canonical/accounts.tsv >acc.tsv");
	cx_score_opts_init(&so);
	so.input = in;
	so.output = out;
	so.force = 1;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &today), 0);
	so.as_of = today;
	so.has_as_of = 1;
	ck_assert_msg(cx_score_run(&so, &err) == 0, "%s", err.msg);
	r = cx_tsv_open(out, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ncols = cx_tsv_ncols(r);
	cols = cx_calloc(ncols, sizeof *cols);
	for (size_t i = 0; i < ncols; i++)
		cols[i] = cx_strdup(cx_tsv_colname(r, i));
	g = cx_tsv_grouper_new(r, cx_tsv_col(r, "customer_key"), 0, &err);
	ck_assert_ptr_nonnull(g);
	while (ncust < MAXCUST && (rc = cx_tsv_grouper_next(g, &grp, &err)) == 1) {
		if (nrows + grp->nrows > MAXROWS)
			break;
		custkey[ncust] = cx_strdup(grp->key);
		cust_first[ncust] = nrows;
		cust_n[ncust] = grp->nrows;
		for (size_t i = 0; i < grp->nrows; i++) {
			struct cx_field *f = cx_calloc(ncols, sizeof *f);
			for (size_t j = 0; j < ncols; j++) {
				/* every 5th customer loses some values: missing data */
				int blank = ncust % 5 == 4 && j % 3 == 0 && strcmp(cols[j], "customer_key");
				f[j].p = cx_strdup(blank ? "" : grp->rows[i][j].p);
				f[j].n = blank ? 0 : grp->rows[i][j].n;
			}
			rowbuf[nrows++] = f;
		}
		ncust++;
	}
	cx_tsv_grouper_free(g);
	cx_tsv_close(r);
	tmp_teardown();
	ck_assert_uint_gt(ncust, 8);
}

static void
free_customers(void)
{
	for (size_t i = 0; i < MAXROWS && rowbuf[i]; i++) {
		for (size_t j = 0; j < ncols; j++)
			cx_free((char *)rowbuf[i][j].p);
		cx_free(rowbuf[i]);
		rowbuf[i] = NULL;
	}
	for (size_t i = 0; i < ncust; i++)
		cx_free(custkey[i]);
	for (size_t i = 0; i < ncols; i++)
		cx_free((char *)cols[i]);
	cx_free(cols);
	ncust = 0;
}

START_TEST(mutate_rules)
{
	load_customers();
	variants = accepted = 0;
	sweep("rules", rules_fn, cx_rules_default_text, cx_rules_default_len);
	ck_assert_int_gt(accepted, 10);
	ck_assert_int_gt(variants - accepted, 100);
	free_customers();
}
END_TEST

/* extra rule texts: every aggregate, operator and function at least once,
 * evaluated over the same customers */
static const char *const extra_rules[] = {
	"rule a when total_balance > 1000.00 and worst_dpd between 1 and 90 segment s treatment none\n"
	"rule b when any(days_past_due > 30) or all(balance >= 0) segment s2 treatment firm\n"
	"rule c when count(past_due > 0) >= 2 and accounts > 1 segment s3 treatment none\n"
	"rule d when product in (CARD, LOAN) and not (country = 'US') segment s4 treatment none\n"
	"rule e when due_date < today - 30 or due_date + 10 > today segment s5 treatment none\n"
	"rule f when balance * 2 - past_due / 3 > 100 segment s6 treatment none\n"
	"rule g when flags has any (dispute, legal) or consents has all (sms) segment s7 treatment none\n"
	"rule h when score >= 500 and p_pay < 0.5 and capacity > 10 segment s8 treatment none\n"
	"rule z otherwise segment o treatment none\n",
	"rule a when days_past_due % 7 = 0 and -balance < 0 segment s treatment none\n"
	"rule b when balance / 0 > 1 segment s treatment none\n"
	"rule c when willingness between 20 and 80 or reasons = '' segment s treatment none\n"
	"rule z otherwise segment o treatment none\n",
};

START_TEST(extra_rule_texts)
{
	load_customers();
	variants = accepted = 0;
	for (size_t i = 0; i < sizeof extra_rules / sizeof *extra_rules; i++) {
		struct cx_error err;
		try_text("extra", rules_fn, extra_rules[i], strlen(extra_rules[i]));
		(void)err;
	}
	sweep("extra rules", rules_fn, extra_rules[0], strlen(extra_rules[0]));
	free_customers();
}
END_TEST

/* ---- the scorecard model, capacity, templates ----------------------------- */

static int
model_fn(const char *text, size_t n, struct cx_error *err)
{
	struct cx_sc_model *m = cx_sc_model_parse(text, n, "m.model", err);
	if (!m)
		return err->code;
	cx_sc_model_free(m);
	return 0;
}

START_TEST(mutate_model)
{
	variants = accepted = 0;
	sweep("model", model_fn, cx_score_default_model, cx_score_default_model_len);
	ck_assert_int_gt(variants - accepted, 100);
}
END_TEST

static int
capacity_fn(const char *text, size_t n, struct cx_error *err)
{
	struct cx_capacity *c = NULL;
	int rc = cx_capacity_parse(text, n, "c.conf", &c, err);
	cx_capacity_free(c);
	return rc;
}

static int
template_fn(const char *text, size_t n, struct cx_error *err)
{
	struct cx_msg_tpl *t = cx_msg_tpl_parse("PRE1.sms", text, n, 0, err);
	if (!t)
		return err->code ? err->code : CX_EDATA;
	cx_msg_tpl_free(t);
	return 0;
}

START_TEST(mutate_capacity_and_templates)
{
	static const char tpl[] =
		"Hola {first_name}, su cuota de {amount_due} vence el {due_date}. "
		"Pague en {pay_link} o llame al {phone_support}. Ref {account_last4}\n";
	char *text;
	size_t n;
	struct cx_error err;

	variants = accepted = 0;
	text = cx_read_file(CX_SRCDIR "/policy/capacity.default", 1 << 20, &n, &err);
	ck_assert_ptr_nonnull(text);
	sweep("capacity", capacity_fn, text, n);
	cx_free(text);
	sweep("template", template_fn, tpl, sizeof tpl - 1);
	ck_assert_int_gt(variants, 100);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_mutate");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, mutate_rules);
	tcase_add_test(tc, extra_rule_texts);
	tcase_add_test(tc, mutate_model);
	tcase_add_test(tc, mutate_capacity_and_templates);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
