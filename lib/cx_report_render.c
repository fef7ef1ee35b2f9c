/* cx_report_render — from the cell store to the long-format KPI table
 * (TSV, CSV, text, HTML), partial files and merging.  See cx_report.h and
 * cx-report(1) for every KPI's formula. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_date.h"
#include "cx_hash.h"
#include "cx_io.h"
#include "cx_mask.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_report.h"
#include "cx_report_int.h"
#include "cx_tsv.h"

#define PARTIAL_MAGIC "cx-report-partial-1"

enum { F_TABLE, F_KPI, F_SEG, F_PROD, F_ARM, F_CUR, F_D1, F_D2, F_UNIT, F_VALUE, F_NUM,
       F_DEN, F_CIL, F_CIH, F_P, F_NOTE, F_N };
static const char *const out_cols[F_N] = { "table", "kpi", "segment", "product", "arm",
	"currency", "dim1", "dim2", "unit", "value", "numerator", "denominator", "ci_low",
	"ci_high", "p_value", "note" };
/* columns our own formatter writes numbers into (never neutralised) */
static const int numeric_col[F_N] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0 };

struct orow {
	char *f[F_N];
};

struct ctx {
	const struct cx_report_opts *o;
	struct rstore *st;
	struct cx_error *err;
	struct orow *rows;
	size_t n, cap;
	int nomem;
	/* meta */
	cx_day as_of;
	int days, months, max_detail;
	unsigned by;
	unsigned inputs;   /* 1 prev, 2 payments, 4 contacts, 8 statements */
	/* merge: inputs of the plan-only partials (--plan-only), and which
	 * kinds of partial were read */
	unsigned plan_inputs;
	int have_whole, have_plan_part;
	/* costs */
	struct { char ch[16], cur[8]; int64_t cost; } costs[64];
	size_t ncosts;
	/* lists */
	char **cuts;       /* "seg\x1fprod\x1farm\x1fcur" */
	size_t ncuts;
	char **buckets;
	size_t nbuckets;
	char **chans;
	size_t nchans;
	char **plan;       /* "measure\x1fdim1\x1fdim2" of the pl_* cells, sorted */
	size_t nplan;
};

enum { IN_PREV = 1, IN_PAY = 2, IN_CON = 4, IN_STM = 8, IN_POL = 16, IN_COST = 32,
       IN_PLAN = 64 };

/* ---- small helpers ------------------------------------------------------ */

static int split(char *key, char **f, int max)
{
	int n = 0;
	f[n++] = key;
	for (char *p = key; *p && n < max; p++)
		if (*p == RS_SEP) {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static int add_unique(char ***list, size_t *n, const char *s)
{
	size_t cap = *n;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s))
			return 0;
	if (cx_grow((void **)list, &cap, *n + 1, sizeof **list) < 0)
		return -1;
	if (!((*list)[*n] = cx_strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cx_free(l[i]);
	cx_free(l);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_bucket(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	long rx = cx_report_bucket_rank(x), ry = cx_report_bucket_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x, y);
}

static int money_exp(const char *cur)
{
	int e = cx_currency_exponent(cur, strlen(cur));
	return e < 0 ? 2 : e;
}

static void fmt_i128(char *buf, cx_i128 v)
{
	cx_i128_format(buf, v);
}

static void fmt_money(char *buf, cx_i128 v, const char *cur)
{
	if (v > INT64_MAX || v < INT64_MIN) {
		/* beyond int64 (not reachable from int64 inputs in practice):
		 * the integer in minor units */
		cx_i128_format(buf, v);
		return;
	}
	cx_money_format(buf, (int64_t)v, money_exp(cur));
}

/* a double with dec decimals, no "-0.00" */
static void fmt_double(char *buf, size_t sz, double x, int dec)
{
	double r = pow(10, dec);
	if (isnan(x) || isinf(x)) {
		buf[0] = '\0';
		return;
	}
	x = round(x * r) / r;
	if (x == 0)
		x = 0;
	snprintf(buf, sz, "%.*f", dec, x);
}

static int emit(struct ctx *C, const char *table, const char *kpi, const struct cut *c,
                const char *d1, const char *d2, const char *unit, const char *value,
                const char *num, const char *den, const char *cil, const char *cih,
                const char *p, const char *note)
{
	const char *v[F_N] = { table, kpi, c->seg, c->prod, c->arm, c->cur, d1, d2, unit,
		value, num, den, cil, cih, p, note };
	struct orow *r;
	if (cx_grow((void **)&C->rows, &C->cap, C->n + 1, sizeof *C->rows) < 0) {
		C->nomem = 1;
		return -1;
	}
	r = &C->rows[C->n++];
	for (int i = 0; i < F_N; i++)
		if (!(r->f[i] = cx_strdup(v[i] ? v[i] : "")))
			C->nomem = 1;
	return C->nomem ? -1 : 0;
}

/* ratio row: value = num * mult / den with dec decimals */
static void emit_ratio(struct ctx *C, const char *table, const char *kpi, const struct cut *c,
                       const char *d1, const char *d2, const char *unit, cx_i128 num,
                       cx_i128 den, int64_t mult, int dec, int money_parts)
{
	char v[64], n[64], d[64];
	if (cx_ratio_format(v, num, den, mult, dec) < 0)
		v[0] = '\0';
	if (money_parts) {
		fmt_money(n, num, c->cur);
		fmt_money(d, den, c->cur);
	} else {
		fmt_i128(n, num);
		fmt_i128(d, den);
	}
	emit(C, table, kpi, c, d1, d2, unit, v, n, d, "", "", "", "");
}

#define NO_DEN ((cx_i128)1 << 126)   /* "no denominator" marker */

static void emit_count(struct ctx *C, const char *table, const char *kpi, const struct cut *c,
                       const char *d1, const char *d2, cx_i128 v, cx_i128 den)
{
	char a[64], b[64];
	fmt_i128(a, v);
	fmt_i128(b, den);
	emit(C, table, kpi, c, d1, d2, "count", a, a, den == NO_DEN ? "" : b, "", "", "", "");
}

static void emit_money(struct ctx *C, const char *table, const char *kpi, const struct cut *c,
                       const char *d1, const char *d2, cx_i128 v, cx_i128 den)
{
	char a[64], b[64];
	fmt_money(a, v, c->cur);
	fmt_money(b, den, c->cur);
	emit(C, table, kpi, c, d1, d2, "money", a, a, den == NO_DEN ? "" : b, "", "", "", "");
}

/* ---- lists from the store ---------------------------------------------- */

static int build_lists(struct ctx *C)
{
	char *f[RS_NF];
	char buf[4096];
	for (size_t i = 0; i < C->st->n; i++) {
		const char *key = C->st->cells[i].key;
		size_t kl = strlen(key);
		if (kl >= sizeof buf)
			continue;
		memcpy(buf, key, kl + 1);
		if (split(buf, f, RS_NF) != RS_NF)
			continue;
		if (!strncmp(f[0], "cc_", 3) || !strcmp(f[0], "vdetail") ||
		    !strcmp(f[0], "pdetail") || !strncmp(f[0], "meta", 4))
			continue;
		{
			char cb[4096];
			snprintf(cb, sizeof cb, "%s%c%s%c%s%c%s", f[1], RS_SEP, f[2], RS_SEP, f[3], RS_SEP,
			         f[4]);
			if (add_unique(&C->cuts, &C->ncuts, cb) < 0)
				return -1;
		}
		if (!strcmp(f[0], "acct_n") || !strcmp(f[0], "prev_n"))
			if (add_unique(&C->buckets, &C->nbuckets, f[5]) < 0)
				return -1;
		if (!strcmp(f[0], "roll_n"))
			if (add_unique(&C->buckets, &C->nbuckets, f[5]) < 0 ||
			    add_unique(&C->buckets, &C->nbuckets, f[6]) < 0)
				return -1;
		if (!strcmp(f[0], "out_n") && add_unique(&C->chans, &C->nchans, f[5]) < 0)
			return -1;
		if (!strncmp(f[0], "pl_", 3)) {
			char pb[4096];
			snprintf(pb, sizeof pb, "%s%c%s%c%s", f[0], RS_SEP, f[5], RS_SEP, f[6]);
			if (add_unique(&C->plan, &C->nplan, pb) < 0)
				return -1;
		}
	}
	if (C->nplan > 1)
		qsort(C->plan, C->nplan, sizeof *C->plan, cmp_str);
	if (C->ncuts > 1)
		qsort(C->cuts, C->ncuts, sizeof *C->cuts, cmp_str);
	if (C->nbuckets > 1)
		qsort(C->buckets, C->nbuckets, sizeof *C->buckets, cmp_bucket);
	if (C->nchans > 1)
		qsort(C->chans, C->nchans, sizeof *C->chans, cmp_str);
	return 0;
}

static struct cut cut_of(char *buf, const char *s)
{
	char *f[4];
	struct cut c = { "", "", "", "" };
	strcpy(buf, s);
	if (split(buf, f, 4) == 4) {
		c.seg = f[0];
		c.prod = f[1];
		c.arm = f[2];
		c.cur = f[3];
	}
	return c;
}

static int is_bucket_real(const char *b)
{
	return strcmp(b, "new") && strcmp(b, "closed");
}

/* ---- tables -------------------------------------------------------------- */

static void table_aging(struct ctx *C, const struct cut *c)
{
	cx_i128 tn = 0, tb = 0;
	for (size_t i = 0; i < C->nbuckets; i++) {
		tn += rs_get(C->st, "acct_n", c, C->buckets[i], "");
		tb += rs_get(C->st, "acct_bal", c, C->buckets[i], "");
	}
	if (tn == 0)
		return;
	for (size_t i = 0; i < C->nbuckets; i++) {
		const char *b = C->buckets[i];
		if (!is_bucket_real(b))
			continue;
		emit_count(C, "aging", "accounts", c, b, "", rs_get(C->st, "acct_n", c, b, ""), tn);
		emit_money(C, "aging", "balance", c, b, "", rs_get(C->st, "acct_bal", c, b, ""), tb);
	}
}

static void table_roll(struct ctx *C, const struct cut *c)
{
	static const char *const ms[2][2] = { { "roll_n", "accounts" }, { "roll_bal", "balance" } };
	for (int m = 0; m < 2; m++)
		for (size_t i = 0; i < C->nbuckets; i++) {
			const char *from = C->buckets[i];
			cx_i128 den = 0;
			if (!strcmp(from, "closed"))
				continue;
			for (size_t j = 0; j < C->nbuckets; j++)
				den += rs_get(C->st, ms[m][0], c, from, C->buckets[j]);
			if (den == 0)
				continue;
			for (size_t j = 0; j < C->nbuckets; j++) {
				const char *to = C->buckets[j];
				if (!strcmp(to, "new") || !rs_has(C->st, ms[m][0], c, from, to))
					continue;
				emit_ratio(C, "roll", ms[m][1], c, from, to, "pct",
				           rs_get(C->st, ms[m][0], c, from, to), den, 100, 2, m == 1);
			}
		}
}

static int64_t cost_of(struct ctx *C, const char *ch, const char *cur, int *found)
{
	for (size_t i = 0; i < C->ncosts; i++)
		if (!strcmp(C->costs[i].ch, ch) && !strcmp(C->costs[i].cur, cur)) {
			*found = 1;
			return C->costs[i].cost;
		}
	return 0;
}

/* Contact costs become a statistic of their own (cost_amt per cut), so
 * partials carry them and --merge needs no cost file. */
static int apply_costs(struct ctx *C)
{
	char cb[4096];
	for (size_t i = 0; i < C->ncuts; i++) {
		struct cut c = cut_of(cb, C->cuts[i]);
		cx_i128 cost = 0;
		for (size_t k = 0; k < C->nchans; k++) {
			int found = 0;
			int64_t unit = cost_of(C, C->chans[k], c.cur, &found);
			cost += rs_get(C->st, "out_n", &c, C->chans[k], "") * unit;
		}
		if (cost && rs_add(C->st, "cost_amt", &c, "", "", cost, NULL) < 0)
			return -1;
	}
	return 0;
}

static int credit_sales_opt(struct ctx *C, const char *cur, int64_t *out)
{
	const char *s = C->o->credit_sales;
	size_t cl = strlen(cur);
	if (!s)
		return 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *eq = memchr(s, '=', n);
		if (eq && (size_t)(eq - s) == cl && !memcmp(s, cur, cl)) {
			const char *why;
			if (cx_money_parse(eq + 1, n - (size_t)(eq + 1 - s), money_exp(cur), out, &why) == 0)
				return 1;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* value = ar / sales x days; numerator and denominator are the money */
static void emit_dso(struct ctx *C, const char *kpi, const struct cut *c, cx_i128 ar,
                     int64_t sales)
{
	char v[64], n[64], d[64];
	cx_i128 num, den;
	cx_kpi_dso((int64_t)ar, sales, C->days, &num, &den);
	if (cx_ratio_format(v, num, den, 1, 1) < 0)
		v[0] = '\0';
	fmt_money(n, ar, c->cur);
	fmt_money(d, sales, c->cur);
	emit(C, "kpi", kpi, c, "", "", "days", v, n, d, "", "", "", "");
}

/* violations in total and per rule of the rule set in force */
static void emit_violations(struct ctx *C, const struct cut *c, const char *kpi,
                            const char *measure)
{
	static const char *const basic[] = { "hours", "call_frequency", "hold", "after_opt_out" };
	static const char *const policy[] = { "hours", "channel", "consent", "per_day", "per_week",
		"call_attempts", "after_opt_out", "hold" };
	const char *const *rules = (C->inputs & IN_POL) ? policy : basic;
	int nrules = (C->inputs & IN_POL) ? 8 : 4;
	cx_i128 tot = 0;
	for (int k = 0; k < nrules; k++)
		tot += rs_get(C->st, measure, c, rules[k], "");
	emit_count(C, "kpi", kpi, c, "", "", tot, NO_DEN);
	for (int k = 0; k < nrules; k++)
		emit_count(C, "kpi", kpi, c, rules[k], "", rs_get(C->st, measure, c, rules[k], ""),
		           NO_DEN);
}

static void table_kpi(struct ctx *C, const struct cut *c)
{
	struct rstore *st = C->st;
	cx_i128 accounts = 0, bal = 0, cur_bal = 0, pd = 0, delinq_bal = 0;
	cx_i128 beg = 0, fwd = 0, bwd = 0, rolled = 0, cure_n = 0, cure_b = 0, dq_n = 0, dq_b = 0;
	cx_i128 attempts = 0, num, den;
	cx_i128 cust = rs_get(st, "cust_n", c, "", "");
	char a[64];
	int64_t sales = 0;
	int have_sales = 0;
	const char *T = "kpi";

	for (size_t i = 0; i < C->nbuckets; i++) {
		const char *b = C->buckets[i];
		cx_i128 v = rs_get(st, "acct_bal", c, b, "");
		accounts += rs_get(st, "acct_n", c, b, "");
		bal += v;
		pd += rs_get(st, "acct_pd", c, b, "");
		if (!strcmp(b, "current"))
			cur_bal += v;
		else
			delinq_bal += v;
		beg += rs_get(st, "prev_bal", c, b, "");
	}
	emit_count(C, T, "customers", c, "", "", cust, NO_DEN);
	emit_count(C, T, "accounts", c, "", "", accounts, NO_DEN);
	emit_money(C, T, "balance", c, "", "", bal, NO_DEN);
	emit_money(C, T, "current_balance", c, "", "", cur_bal, NO_DEN);
	emit_money(C, T, "past_due", c, "", "", pd, NO_DEN);
	emit_ratio(C, T, "delinquency_rate", c, "", "", "pct", delinq_bal, bal, 100, 2, 1);

	if (C->inputs & IN_PREV) {
		for (size_t i = 0; i < C->nbuckets; i++) {
			const char *f = C->buckets[i];
			long rf = cx_report_bucket_rank(f);
			if (!is_bucket_real(f))
				continue;
			for (size_t j = 0; j < C->nbuckets; j++) {
				const char *t = C->buckets[j];
				long rt = cx_report_bucket_rank(t);
				cx_i128 n = rs_get(st, "roll_n", c, f, t);
				cx_i128 b = rs_get(st, "roll_bal", c, f, t);
				rolled += n;
				if (is_bucket_real(t) && rt > rf)
					fwd += n;
				if (is_bucket_real(t) && rt < rf)
					bwd += n;
				if (strcmp(f, "current")) {
					dq_n += n;
					dq_b += b;
					if (!strcmp(t, "current")) {
						cure_n += n;
						cure_b += b;
					}
				}
			}
		}
		emit_money(C, T, "balance_begin", c, "", "", beg, NO_DEN);
		emit_ratio(C, T, "roll_forward_rate", c, "", "", "pct", fwd, rolled, 100, 2, 0);
		emit_ratio(C, T, "roll_backward_rate", c, "", "", "pct", bwd, rolled, 100, 2, 0);
		emit_ratio(C, T, "cure_rate_accounts", c, "", "", "pct", cure_n, dq_n, 100, 2, 0);
		emit_ratio(C, T, "cure_rate_balance", c, "", "", "pct", cure_b, dq_b, 100, 2, 1);
		emit_ratio(C, T, "cure_rate_customers", c, "", "", "pct",
		           rs_get(st, "cure_cust_n", c, "", ""), rs_get(st, "dq_cust_n", c, "", ""),
		           100, 2, 0);
	}
	/* credit sales: the option (per currency) or statements */
	if (C->o->credit_sales)
		have_sales = credit_sales_opt(C, c->cur, &sales);
	else if (C->inputs & IN_STM) {
		cx_i128 s = rs_get(st, "sales_amt", c, "", "");
		have_sales = 1;
		sales = s > INT64_MAX ? INT64_MAX : (int64_t)s;
	}
	if (have_sales) {
		emit_money(C, T, "credit_sales", c, "", "", sales, NO_DEN);
		if (C->inputs & IN_PREV) {
			int64_t b64 = (int64_t)beg, e64 = (int64_t)bal, c64 = (int64_t)cur_bal;
			if (cx_kpi_cei(b64, sales, C->months, e64, c64, &num, &den) == 0)
			{
				/* numerator and denominator are minor units times N: not
				 * printed; the inputs are rows of their own */
				char v[64];
				if (cx_ratio_format(v, num, den, 100, 2) < 0)
					v[0] = '\0';
				emit(C, T, "cei", c, "", "", "pct", v, "", "", "", "", "", "");
			}
		}
		emit_dso(C, "dso", c, bal, sales);
		emit_dso(C, "best_possible_dso", c, cur_bal, sales);
		emit_dso(C, "average_days_delinquent", c, bal - cur_bal, sales);
	}
	if (C->inputs & IN_PAY) {
		cx_i128 paid = rs_get(st, "pay_amt", c, "", "");
		fmt_money(a, paid, c->cur);
		emit_money(C, T, "collected", c, "", "", paid, NO_DEN);
		if (C->inputs & IN_PREV)
			emit_ratio(C, T, "recovery_rate", c, "", "", "pct",
			           rs_get(st, "placed_paid", c, "", ""), rs_get(st, "placed_amt", c, "", ""),
			           100, 2, 1);
	}
	if (C->inputs & IN_CON) {
		for (size_t i = 0; i < C->nchans; i++)
			attempts += rs_get(st, "out_n", c, C->chans[i], "");
		emit_count(C, T, "contact_attempts", c, "", "", attempts, NO_DEN);
		emit_ratio(C, T, "contact_rate", c, "", "", "pct", rs_get(st, "connect_n", c, "", ""),
		           attempts, 100, 2, 0);
		emit_ratio(C, T, "rpc_rate", c, "", "", "pct", rs_get(st, "rpc_out_n", c, "", ""),
		           attempts, 100, 2, 0);
		emit_ratio(C, T, "promise_to_pay_rate", c, "", "", "pct", rs_get(st, "ptp_n", c, "", ""),
		           rs_get(st, "rpc_n", c, "", ""), 100, 2, 0);
		if (C->inputs & IN_PAY)
			emit_ratio(C, T, "promise_kept_rate", c, "", "", "pct",
			           rs_get(st, "prom_kept_n", c, "", ""), rs_get(st, "prom_due_n", c, "", ""),
			           100, 2, 0);
		emit_ratio(C, T, "contacts_per_customer", c, "", "", "ratio", attempts, cust, 1, 2, 0);
		if (C->inputs & IN_PREV)
			emit_ratio(C, T, "contacts_per_cured_customer", c, "", "", "ratio",
			           rs_get(st, "cured_contacts_n", c, "", ""),
			           rs_get(st, "cure_cust_n", c, "", ""), 1, 2, 0);
		emit_ratio(C, T, "opt_outs_per_1000_accounts", c, "", "", "per_1000",
		           rs_get(st, "optout_n", c, "", ""), accounts, 1000, 2, 0);
		emit_ratio(C, T, "complaints_per_1000_accounts", c, "", "", "per_1000",
		           rs_get(st, "complaint_n", c, "", ""), accounts, 1000, 2, 0);
		if (C->inputs & IN_COST) {
			cx_i128 cost = rs_get(st, "cost_amt", c, "", "");
			emit_money(C, T, "collection_cost", c, "", "", cost, NO_DEN);
			if (C->inputs & IN_PAY)
				emit_ratio(C, T, "cost_to_collect", c, "", "", "pct", cost,
				           rs_get(st, "pay_amt", c, "", ""), 100, 2, 1);
		}
		emit_violations(C, c, "policy_violations", "viol_n");
	}
	if (C->inputs & IN_PLAN)
		emit_violations(C, c, "plan_violations", "pviol_n");
	/* score PSI over the fixed 50-point bands */
	{
		static const char *const bands[] = { "<450", "450-499", "500-549", "550-599",
			"600-649", "650-699", "700-749", "750+" };
		int64_t e[8], ac[8];
		int64_t te = 0, ta = 0;
		for (int k = 0; k < 8; k++) {
			e[k] = (int64_t)rs_get(st, "score_prev", c, bands[k], "");
			ac[k] = (int64_t)rs_get(st, "score_cur", c, bands[k], "");
			te += e[k];
			ta += ac[k];
		}
		if (te > 0 && ta > 0) {
			char v[64], n1[32], n2[32];
			fmt_double(v, sizeof v, cx_kpi_psi(e, ac, 8), 4);
			snprintf(n1, sizeof n1, "%lld", (long long)ta);
			snprintf(n2, sizeof n2, "%lld", (long long)te);
			emit(C, T, "score_psi", c, "", "", "index", v, n1, n2, "", "", "", "");
		}
	}
}

/* ---- today's plan (--plan) ---- */

/* entry i of C->plan split into measure, dim1, dim2 (in buf) */
static void plan_entry(struct ctx *C, size_t i, char *buf, size_t bufsz, char **f)
{
	snprintf(buf, bufsz, "%s", C->plan[i]);
	if (split(buf, f, 3) != 3)
		f[1] = f[2] = buf + strlen(buf);
}

/* Rows of one pl_* measure for one cut: the total (with_total), then each
 * dim1 with its sum, each followed by its non-empty dim2 values. */
static void plan_rows(struct ctx *C, const struct cut *c, const char *measure, const char *kpi,
                      int with_total, int money, cx_i128 den)
{
	char b[4096], b2[4096];
	char *f[3], *g[3];
	cx_i128 tot = 0;
	for (size_t i = 0; i < C->nplan; i++) {
		plan_entry(C, i, b, sizeof b, f);
		if (!strcmp(f[0], measure))
			tot += rs_get(C->st, measure, c, f[1], f[2]);
	}
	if (with_total)
		(money ? emit_money : emit_count)(C, "plan", kpi, c, "", "", tot, den);
	for (size_t i = 0; i < C->nplan;) {
		cx_i128 sum = 0;
		int has = 0;
		size_t j;
		plan_entry(C, i, b, sizeof b, f);
		if (strcmp(f[0], measure)) {
			i++;
			continue;
		}
		/* the entries of one dim1 are adjacent (sorted) */
		for (j = i; j < C->nplan; j++) {
			plan_entry(C, j, b2, sizeof b2, g);
			if (strcmp(g[0], measure) || strcmp(g[1], f[1]))
				break;
			if (rs_has(C->st, measure, c, g[1], g[2])) {
				has = 1;
				sum += rs_get(C->st, measure, c, g[1], g[2]);
			}
		}
		if (has)
			(money ? emit_money : emit_count)(C, "plan", kpi, c, f[1], "", sum, den);
		for (size_t k = i; has && k < j; k++) {
			plan_entry(C, k, b2, sizeof b2, g);
			if (*g[2] && strcmp(g[2], g[1]) && rs_has(C->st, measure, c, g[1], g[2]))
				(money ? emit_money : emit_count)(C, "plan", kpi, c, g[1], g[2],
				                                  rs_get(C->st, measure, c, g[1], g[2]), den);
		}
		i = j;
	}
}

static void table_plan(struct ctx *C, const struct cut *c)
{
	char b[4096];
	char *f[3];
	int any = 0;
	cx_i128 cust = rs_get(C->st, "pl_cust", c, "", "");
	for (size_t i = 0; i < C->nplan && !any; i++) {
		plan_entry(C, i, b, sizeof b, f);
		any = rs_has(C->st, f[0], c, f[1], f[2]);
	}
	if (!any)
		return;
	emit_count(C, "plan", "customers", c, "", "", cust, NO_DEN);
	emit_count(C, "plan", "customers_not_in_accounts", c, "", "",
	           rs_get(C->st, "pl_unmatched", c, "", ""), NO_DEN);
	plan_rows(C, c, "pl_action", "actions", 0, 0, cust);
	plan_rows(C, c, "pl_contact", "planned_contacts", 1, 0, cust);
	plan_rows(C, c, "pl_block_cust", "blocked_customers", 1, 0, cust);
	plan_rows(C, c, "pl_block_acct", "blocked_accounts", 1, 0, NO_DEN);
	plan_rows(C, c, "pl_offer_n", "offers", 0, 0, NO_DEN);
	plan_rows(C, c, "pl_offer_amt", "offer_amount", 0, 1, NO_DEN);
	plan_rows(C, c, "pl_inst_n", "instalments", 0, 0, NO_DEN);
	plan_rows(C, c, "pl_inst_amt", "instalment_amount", 0, 1, NO_DEN);
	plan_rows(C, c, "pl_disc_amt", "settlement_discount", 0, 1, NO_DEN);
}

/* champion/challenger */
struct arm_stats {
	const char *arm;
	int64_t n, dq, cured, complaints;
	cx_i128 csum, csq;
};

static const char *verdict(char *buf, size_t sz, const char *what, const struct cx_test_result *r,
                           int64_t n1, int64_t n2)
{
	if (r->small)
		snprintf(buf, sz, "sample too small to tell (n = %lld vs %lld)", (long long)n1,
		         (long long)n2);
	else if (r->p_value < 0.05)
		snprintf(buf, sz, "%s %s than the champion (significant at 5%%)", what,
		         r->diff > 0 ? "higher" : "lower");
	else
		snprintf(buf, sz, "no significant difference in %s at 5%%", what);
	return buf;
}

static void emit_test(struct ctx *C, const char *kpi, const struct cut *c, const char *exp,
                      const char *unit, double scale, int dec, const struct cx_test_result *r,
                      const char *what, int64_t n1, int64_t n2)
{
	char v[64], lo[64], hi[64], p[64], note[256];
	fmt_double(v, sizeof v, r->diff * scale, dec);
	fmt_double(lo, sizeof lo, r->ci_low * scale, dec);
	fmt_double(hi, sizeof hi, r->ci_high * scale, dec);
	fmt_double(p, sizeof p, r->p_value, 4);
	emit(C, "cc", kpi, c, exp, "vs_champion", unit, v, "", "", lo, hi, p,
	     verdict(note, sizeof note, what, r, n1, n2));
}

static void table_cc(struct ctx *C)
{
	struct rstore *st = C->st;
	char **exps = NULL, **arms = NULL, **curs = NULL;
	size_t nexp = 0, narms = 0, ncurs = 0;
	char buf[4096];
	char *f[RS_NF];
	const struct cut none = { "", "", "", "" };
	for (size_t i = 0; i < st->n; i++) {
		size_t kl = strlen(st->cells[i].key);
		if (kl >= sizeof buf)
			continue;
		memcpy(buf, st->cells[i].key, kl + 1);
		if (split(buf, f, RS_NF) != RS_NF)
			continue;
		if (!strcmp(f[0], "cc_cust_n") && add_unique(&exps, &nexp, f[5]) < 0)
			C->nomem = 1;
		if (!strcmp(f[0], "cc_rec_n") && add_unique(&curs, &ncurs, f[4]) < 0)
			C->nomem = 1;
	}
	if (nexp > 1)
		qsort(exps, nexp, sizeof *exps, cmp_str);
	if (ncurs > 1)
		qsort(curs, ncurs, sizeof *curs, cmp_str);
	for (size_t e = 0; e < nexp; e++) {
		const char *exp = exps[e];
		size_t champ = 0;
		narms = 0;
		for (size_t i = 0; i < st->n; i++) {
			size_t kl = strlen(st->cells[i].key);
			if (kl >= sizeof buf)
				continue;
			memcpy(buf, st->cells[i].key, kl + 1);
			if (split(buf, f, RS_NF) == RS_NF && !strcmp(f[0], "cc_cust_n") &&
			    !strcmp(f[5], exp) && add_unique(&arms, &narms, f[3]) < 0)
				C->nomem = 1;
		}
		if (narms > 1)
			qsort(arms, narms, sizeof *arms, cmp_str);
		{
			const char *want[3] = { C->o->champion, "champion", "control" };
			int found = 0;
			for (int w = 0; w < 3 && !found; w++)
				for (size_t i = 0; w < 3 && want[w] && i < narms; i++)
					if (!strcmp(arms[i], want[w])) {
						champ = i;
						found = 1;
						break;
					}
		}
		/* champion first, then the others in name order */
		if (champ) {
			char *t = arms[champ];
			memmove(arms + 1, arms, champ * sizeof *arms);
			arms[0] = t;
		}
		struct arm_stats s0 = { 0 };
		for (size_t i = 0; i < narms; i++) {
			struct cut c = { "", "", arms[i], "" };
			struct arm_stats s;
			struct cx_test_result r;
			s.arm = arms[i];
			s.n = (int64_t)rs_get(st, "cc_cust_n", &c, exp, "");
			s.dq = (int64_t)rs_get(st, "cc_dq_n", &c, exp, "");
			s.cured = (int64_t)rs_get(st, "cc_cured_n", &c, exp, "");
			s.complaints = (int64_t)rs_get(st, "cc_complaint_n", &c, exp, "");
			s.csum = rs_get(st, "cc_contacts_sum", &c, exp, "");
			s.csq = rs_get(st, "cc_contacts_sq", &c, exp, "");
			if (i == 0)
				s0 = s;
			emit_count(C, "cc", "customers", &c, exp, i == 0 ? "champion" : "challenger", s.n,
			           -1);
			if (C->inputs & IN_PREV) {
				emit_ratio(C, "cc", "cure_rate", &c, exp, "", "pct", s.cured, s.dq, 100, 2, 0);
				if (i > 0 && cx_test_two_prop(s0.cured, s0.dq, s.cured, s.dq, &r) == 0)
					emit_test(C, "cure_rate_diff", &c, exp, "pct_points", 100, 2, &r,
					          "cure rate", s0.dq, s.dq);
			}
			if (C->inputs & IN_CON) {
				emit_ratio(C, "cc", "contacts_per_customer", &c, exp, "", "ratio", s.csum, s.n,
				           1, 2, 0);
				if (i > 0 && cx_test_welch(s0.n, s0.csum, s0.csq, s.n, s.csum, s.csq, &r) == 0)
					emit_test(C, "contacts_per_customer_diff", &c, exp, "ratio", 1, 2, &r,
					          "contacts per customer", s0.n, s.n);
				emit_ratio(C, "cc", "complaint_rate", &c, exp, "", "pct", s.complaints, s.n,
				           100, 2, 0);
				if (i > 0 && cx_test_two_prop(s0.complaints, s0.n, s.complaints, s.n, &r) == 0)
					emit_test(C, "complaint_rate_diff", &c, exp, "pct_points", 100, 2, &r,
					          "complaint rate", s0.n, s.n);
			}
			if (C->inputs & IN_PAY)
				for (size_t k = 0; k < ncurs; k++) {
					struct cut cm = c, cm0 = { "", "", arms[0], curs[k] };
					cm.cur = curs[k];
					int64_t n = (int64_t)rs_get(st, "cc_rec_n", &cm, exp, "");
					cx_i128 sum = rs_get(st, "cc_rec_sum", &cm, exp, "");
					cx_i128 sq = rs_get(st, "cc_rec_sq", &cm, exp, "");
					char v[64], nn[64], dd[64];
					int ex = money_exp(curs[k]);
					if (n == 0)
						continue;
					/* mean in minor units, rounded half away from zero */
					cx_ratio_format(v, sum, n, 1, 0);
					{
						cx_i128 m;
						cx_i128_parse(v, strlen(v), &m);
						fmt_money(v, m, curs[k]);
					}
					fmt_money(nn, sum, curs[k]);
					fmt_i128(dd, n);
					emit(C, "cc", "recovery_per_customer", &cm, exp, "", "money", v, nn, dd, "",
					     "", "", "");
					if (i > 0) {
						int64_t n0 = (int64_t)rs_get(st, "cc_rec_n", &cm0, exp, "");
						cx_i128 s0s = rs_get(st, "cc_rec_sum", &cm0, exp, "");
						cx_i128 s0q = rs_get(st, "cc_rec_sq", &cm0, exp, "");
						if (cx_test_welch(n0, s0s, s0q, n, sum, sq, &r) == 0)
							emit_test(C, "recovery_per_customer_diff", &cm, exp, "money",
							          1.0 / pow(10, ex), ex, &r, "recovery per customer", n0,
							          n);
					}
				}
		}
		(void)none;
		free_list(arms, narms);
		arms = NULL;
	}
	free_list(exps, nexp);
	free_list(curs, ncurs);
}

static int cmp_detail(const void *a, const void *b)
{
	const struct rcell *x = *(const struct rcell *const *)a, *y = *(const struct rcell *const *)b;
	/* by customer (dim1), then dim2, then the whole key */
	const char *kx = x->key, *ky = y->key;
	char bx[4096], by[4096];
	char *fx[RS_NF], *fy[RS_NF];
	int r;
	snprintf(bx, sizeof bx, "%s", kx);
	snprintf(by, sizeof by, "%s", ky);
	split(bx, fx, RS_NF);
	split(by, fy, RS_NF);
	if ((r = strcmp(fx[5], fy[5])) != 0)
		return r;
	if ((r = strcmp(fx[6], fy[6])) != 0)
		return r;
	return strcmp(kx, ky);
}

static void table_violations(struct ctx *C)
{
	struct rcell **d = NULL;
	size_t nd = 0, cap = 0;
	for (size_t i = 0; i < C->st->n; i++)
		if (!strncmp(C->st->cells[i].key, "vdetail\x1f", 8) ||
		    !strncmp(C->st->cells[i].key, "pdetail\x1f", 8)) {
			if (cx_grow((void **)&d, &cap, nd + 1, sizeof *d) < 0) {
				C->nomem = 1;
				cx_free(d);
				return;
			}
			d[nd++] = &C->st->cells[i];
		}
	if (nd > 1)
		qsort(d, nd, sizeof *d, cmp_detail);
	for (size_t i = 0; i < nd && (long)i < C->max_detail; i++) {
		char b[4096];
		char *f[RS_NF];
		snprintf(b, sizeof b, "%s", d[i]->key);
		if (split(b, f, RS_NF) != RS_NF)
			continue;
		struct cut c = { f[1], f[2], f[3], f[4] };
		/* dim2 is "account timestamp rule": the rule is the kpi */
		char *rule = strrchr(f[6], ' ');
		char d2[4096];
		snprintf(d2, sizeof d2, "%.*s", rule ? (int)(rule - f[6]) : (int)strlen(f[6]), f[6]);
		emit(C, f[0][0] == 'p' ? "plan_violation" : "violation", rule ? rule + 1 : "", &c, f[5],
		     d2, "count", "1", "", "", "", "", "", d[i]->note ? d[i]->note : "");
	}
	cx_free(d);
}

/* ---- output formats ------------------------------------------------------ */

static int write_all(struct cx_output *out, const char *s, size_t n, struct cx_error *err)
{
	return cx_output_write(out, s, n, err);
}

static int put_csv_cell(struct ctx *C, struct cx_output *out, const char *s, int numeric,
                        struct cx_error *err)
{
	size_t n = strlen(s);
	if (numeric) {
		/* our own numbers: never neutralised, decimal comma on request */
		for (size_t i = 0; i < n; i++) {
			char ch = (C->o->decimal_comma && s[i] == '.') ? ',' : s[i];
			if (cx_output_putc(out, ch, err) < 0)
				return err->code;
		}
		return 0;
	}
	{
		/* text: neutralised, always quoted, quotes doubled */
		char *tmp = cx_malloc(n + 2);
		size_t tn;
		int rc = 0;
		if (!tmp)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		tn = cx_cell_neutralise(tmp, n + 2, s, n);
		rc = cx_output_putc(out, '"', err);
		for (size_t i = 0; rc == 0 && i < tn; i++) {
			if (tmp[i] == '"')
				rc = cx_output_putc(out, '"', err);
			if (rc == 0)
				rc = cx_output_putc(out, tmp[i], err);
		}
		if (rc == 0)
			rc = cx_output_putc(out, '"', err);
		cx_free(tmp);
		return rc;
	}
}

static int out_csv(struct ctx *C, struct cx_output *out, struct cx_error *err)
{
	char sep = C->o->decimal_comma ? ';' : ',';
	if (C->o->bom && write_all(out, "\xEF\xBB\xBF", 3, err) < 0)
		return err->code;
	for (int i = 0; i < F_N; i++) {
		if (i && cx_output_putc(out, sep, err) < 0)
			return err->code;
		if (put_csv_cell(C, out, out_cols[i], 0, err) < 0)
			return err->code;
	}
	if (write_all(out, "\r\n", 2, err) < 0)
		return err->code;
	for (size_t r = 0; r < C->n; r++) {
		for (int i = 0; i < F_N; i++) {
			if (i && cx_output_putc(out, sep, err) < 0)
				return err->code;
			if (put_csv_cell(C, out, C->rows[r].f[i], numeric_col[i], err) < 0)
				return err->code;
		}
		if (write_all(out, "\r\n", 2, err) < 0)
			return err->code;
	}
	return 0;
}

static int out_tsv(struct ctx *C, struct cx_output *out, struct cx_error *err)
{
	struct cx_tsv_writer *w = cx_tsv_writer_new(out, err);
	int rc;
	if (!w)
		return err->code;
	cx_tsv_put_row(w, out_cols, F_N);
	for (size_t r = 0; r < C->n; r++)
		cx_tsv_put_row(w, (const char *const *)C->rows[r].f, F_N);
	rc = cx_tsv_writer_error(w, err);
	cx_tsv_writer_free(w);
	return rc;
}

/* display width in code points (UTF-8) */
static size_t u8width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static int used_col(struct ctx *C, int i)
{
	for (size_t r = 0; r < C->n; r++)
		if (C->rows[r].f[i][0])
			return 1;
	return i <= F_KPI || i == F_VALUE;
}

static int out_text(struct ctx *C, struct cx_output *out, struct cx_error *err)
{
	size_t w[F_N];
	int use[F_N];
	for (int i = 0; i < F_N; i++) {
		use[i] = used_col(C, i) && i != F_NOTE;
		w[i] = u8width(out_cols[i]);
		for (size_t r = 0; r < C->n; r++) {
			size_t x = u8width(C->rows[r].f[i]);
			if (x > w[i])
				w[i] = x;
		}
	}
	use[F_NOTE] = used_col(C, F_NOTE);
	for (size_t r = 0; r <= C->n; r++) {
		int first = 1;
		for (int i = 0; i < F_N; i++) {
			const char *s = r == 0 ? out_cols[i] : C->rows[r - 1].f[i];
			size_t pad;
			if (!use[i])
				continue;
			/* control bytes never reach the terminal */
			char esc[1024];
			cx_diag_escape(esc, sizeof esc, s, strlen(s), 400);
			pad = w[i] > u8width(esc) ? w[i] - u8width(esc) : 0;
			if (!first && cx_output_puts(out, "  ", err) < 0)
				return err->code;
			first = 0;
			if (numeric_col[i] && r > 0)
				for (size_t k = 0; k < pad; k++)
					cx_output_putc(out, ' ', err);
			if (cx_output_puts(out, esc, err) < 0)
				return err->code;
			if ((!numeric_col[i] || r == 0) && i != F_NOTE) {
				int last = 1;
				for (int j = i + 1; j < F_N; j++)
					if (use[j])
						last = 0;
				if (!last)
					for (size_t k = 0; k < pad; k++)
						cx_output_putc(out, ' ', err);
			}
		}
		if (cx_output_putc(out, '\n', err) < 0)
			return err->code;
	}
	return 0;
}

int rp_html(struct ctx *C, struct cx_output *out, struct cx_error *err);
#include "cx_report_html.inc"

/* ---- partial files ------------------------------------------------------- */

static int cmp_cell(const void *a, const void *b)
{
	return strcmp((*(const struct rcell *const *)a)->key, (*(const struct rcell *const *)b)->key);
}

static const char *const partial_cols[] = { "measure", "segment", "product", "arm", "currency",
	"dim1", "dim2", "value", "note" };

/* The plan's own statistics (cx_report.c: plan_counts, and the violations
 * of planned contacts): what a --plan-only partial keeps. */
static int plan_measure(const char *key)
{
	return !strncmp(key, "pl_", 3) || !strncmp(key, "pviol_n\x1f", 8) ||
	       !strncmp(key, "pdetail\x1f", 8);
}

static int write_partial(struct ctx *C, struct cx_output *out, struct cx_error *err)
{
	struct cx_tsv_writer *w = cx_tsv_writer_new(out, err);
	struct rcell **v = NULL;
	char b[64], d[16];
	int rc;
	if (!w)
		return err->code;
	if (C->st->n && !(v = cx_calloc(C->st->n, sizeof *v))) {
		cx_tsv_writer_free(w);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	size_t nv = 0;
	for (size_t i = 0; i < C->st->n; i++)
		if (!C->o->plan_only || plan_measure(C->st->cells[i].key))
			v[nv++] = &C->st->cells[i];
	if (nv > 1)
		qsort(v, nv, sizeof *v, cmp_cell);
	cx_tsv_put_row(w, partial_cols, 9);
	{
		char by[64];
		cx_date_format(d, C->as_of);
		snprintf(by, sizeof by, "%u", C->by);
		const char *m[][2] = { { "magic", PARTIAL_MAGIC }, { "as_of", d }, { "by", by } };
		for (size_t i = 0; i < 3; i++) {
			const char *row[9] = { "meta", "", "", "", "", m[i][0], m[i][1], "0", "" };
			cx_tsv_put_row(w, row, 9);
		}
		const char *names[] = { "period_days", "months", "max_detail", "inputs" };
		long vals[] = { C->days, C->months, C->max_detail, (long)C->inputs };
		for (size_t i = 0; i < 4; i++) {
			char vb[32];
			snprintf(vb, sizeof vb, "%ld", vals[i]);
			const char *row[9] = { "meta", "", "", "", "", names[i], vb, "0", "" };
			cx_tsv_put_row(w, row, 9);
		}
		if (C->o->plan_only) {
			const char *row[9] = { "meta", "", "", "", "", "part", "plan", "0", "" };
			cx_tsv_put_row(w, row, 9);
		}
	}
	for (size_t i = 0; i < nv; i++) {
		char kb[4096];
		char *f[RS_NF];
		snprintf(kb, sizeof kb, "%s", v[i]->key);
		if (split(kb, f, RS_NF) != RS_NF)
			continue;
		for (int k = 0; k < RS_NF; k++)
			cx_tsv_puts(w, f[k]);
		cx_i128_format(b, v[i]->v);
		cx_tsv_puts(w, b);
		cx_tsv_puts(w, v[i]->note ? v[i]->note : "");
		cx_tsv_end_row(w);
	}
	cx_free(v);
	rc = cx_tsv_writer_error(w, err);
	cx_tsv_writer_free(w);
	return rc;
}

static int read_partial(struct ctx *C, const char *path, int first, struct cx_error *err)
{
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, err);
	int idx[9], rc;
	int saw_magic = 0, plan_part = 0;
	unsigned inputs = 0;
	if (!r)
		return err->code;
	if ((rc = cx_tsv_require(r, partial_cols, 9, idx, err)) < 0)
		goto done;
	while ((rc = cx_tsv_next(r, err)) > 0) {
		const struct cx_field *f = cx_tsv_fields(r);
		cx_i128 v;
		if (!strcmp(f[idx[0]].p, "meta")) {
			const char *name = f[idx[5]].p, *val = f[idx[6]].p;
			long lv = strtol(val, NULL, 10);
			if (!strcmp(name, "magic")) {
				saw_magic = !strcmp(val, PARTIAL_MAGIC);
				continue;
			}
			if (!strcmp(name, "as_of")) {
				cx_day d;
				const char *why;
				if (cx_date_parse_iso(val, strlen(val), &d, &why) < 0) {
					rc = cx_error_set(err, CX_EDATA, path, cx_tsv_line(r), "bad as_of date");
					goto done;
				}
				if (!first && d != C->as_of)
					goto mismatch;
				C->as_of = d;
			} else {
				long *slot = NULL;
				long tmp = 0;
				if (!strcmp(name, "by")) {
					if (!first && (unsigned)lv != C->by)
						goto mismatch;
					C->by = (unsigned)lv;
					continue;
				}
				if (!strcmp(name, "inputs")) {
					inputs = (unsigned)lv;
					continue;
				}
				if (!strcmp(name, "part")) {
					if (strcmp(val, "plan")) {
						rc = cx_error_set(err, CX_EDATA, path, cx_tsv_line(r),
						                  "unknown part of a partial (only 'plan' is)");
						goto done;
					}
					plan_part = 1;
					continue;
				}
				if (!strcmp(name, "period_days")) {
					tmp = C->days;
					slot = &tmp;
					if (!first && lv != tmp)
						goto mismatch;
					C->days = (int)lv;
				} else if (!strcmp(name, "months")) {
					if (!first && lv != C->months)
						goto mismatch;
					C->months = (int)lv;
				} else if (!strcmp(name, "max_detail")) {
					if (!first && lv != C->max_detail)
						goto mismatch;
					C->max_detail = (int)lv;
				}
				(void)slot;
			}
			continue;
		}
		if (!saw_magic) {
			rc = cx_error_set(err, CX_EDATA, path, cx_tsv_line(r),
			                  "not a cx-report partial file (no magic line)");
			goto done;
		}
		if (cx_i128_parse(f[idx[7]].p, f[idx[7]].n, &v) < 0) {
			rc = cx_error_set(err, CX_EDATA, path, cx_tsv_line(r), "bad value in column 'value'");
			goto done;
		}
		{
			struct cut c = { f[idx[1]].p, f[idx[2]].p, f[idx[3]].p, f[idx[4]].p };
			if (rs_add(C->st, f[idx[0]].p, &c, f[idx[5]].p, f[idx[6]].p, v,
			           f[idx[8]].n ? f[idx[8]].p : NULL) < 0) {
				rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
				goto done;
			}
		}
	}
	if (rc == 0 && !saw_magic)
		rc = cx_error_set(err, CX_EDATA, path, 0, "not a cx-report partial file (no magic line)");
	/* the inputs agree among the partials of each kind */
	if (rc == 0 && plan_part) {
		if (C->have_plan_part && inputs != C->plan_inputs)
			goto mismatch;
		C->plan_inputs = inputs;
		C->have_plan_part = 1;
	} else if (rc == 0) {
		if (C->have_whole && inputs != C->inputs)
			goto mismatch;
		C->inputs = inputs;
		C->have_whole = 1;
	}
done:
	cx_tsv_close(r);
	return rc;
mismatch:
	rc = cx_error_set(err, CX_EUSAGE, path, cx_tsv_line(r),
	                  "partial made with different options than the first one");
	goto done;
}

/* ---- the run --------------------------------------------------------- */

static int load_costs(struct ctx *C, const char *path, struct cx_error *err)
{
	static const char *const names[] = { "channel", "currency", "cost" };
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, err);
	int idx[3], rc;
	if (!r)
		return err->code;
	if ((rc = cx_tsv_require(r, names, 3, idx, err)) < 0)
		goto done;
	while ((rc = cx_tsv_next(r, err)) > 0) {
		const struct cx_field *f = cx_tsv_fields(r);
		const char *why = "unknown currency";
		int e = cx_currency_exponent(f[idx[1]].p, f[idx[1]].n);
		if (C->ncosts >= 64) {
			rc = cx_error_set(err, CX_ELIMIT, path, cx_tsv_line(r), "more than 64 cost rows");
			goto done;
		}
		if (f[idx[0]].n >= 16 || f[idx[1]].n >= 8 || e < 0 ||
		    cx_money_parse(f[idx[2]].p, f[idx[2]].n, e, &C->costs[C->ncosts].cost, &why) < 0) {
			rc = cx_error_set(err, CX_EDATA, path, cx_tsv_line(r), "%s in column 'cost'", why);
			goto done;
		}
		memcpy(C->costs[C->ncosts].ch, f[idx[0]].p, f[idx[0]].n + 1);
		memcpy(C->costs[C->ncosts].cur, f[idx[1]].p, f[idx[1]].n + 1);
		C->ncosts++;
	}
done:
	cx_tsv_close(r);
	return rc;
}

int cx_report_run(const struct cx_report_opts *o, struct cx_error *err)
{
	struct rstore st = { 0 };
	struct ctx C;
	struct cx_output *out = NULL;
	int rc = 0;
	memset(&C, 0, sizeof C);
	cx_error_clear(err);
	C.o = o;
	C.st = &st;
	C.err = err;
	C.as_of = o->as_of;
	C.days = o->period_days;
	C.months = o->months > 0 ? o->months : (o->period_days + 15) / 30;
	if (C.months < 1)
		C.months = 1;
	C.max_detail = o->max_detail;
	C.by = o->by;
	C.inputs = (o->previous ? IN_PREV : 0) | (o->payments ? IN_PAY : 0) |
	           (o->contacts ? IN_CON : 0) | (o->statements ? IN_STM : 0) |
	           (o->policy ? IN_POL : 0) | (o->costs ? IN_COST : 0) | (o->plan ? IN_PLAN : 0);
	if (o->costs && (rc = load_costs(&C, o->costs, err)) < 0)
		goto done;
	if (o->n_merge) {
		for (size_t i = 0; i < o->n_merge; i++)
			if ((rc = read_partial(&C, o->merge[i], i == 0, err)) < 0)
				goto done;
		/* plan-only partials add the plan to partials made without it, from
		 * the same previous snapshot, contacts and policy (the plan's
		 * figures depend on them) */
		if (C.have_plan_part) {
			const unsigned same = IN_PREV | IN_CON | IN_POL;
			if (!C.have_whole) {
				rc = cx_error_set(err, CX_EUSAGE, o->merge[0], 0,
				                  "plan-only partials need the partials of the other inputs");
				goto done;
			}
			if ((C.inputs & IN_PLAN) || (C.inputs & same) != (C.plan_inputs & same)) {
				rc = cx_error_set(err, CX_EUSAGE, o->merge[0], 0,
				                  "plan-only partials need partials without --plan, with the "
				                  "same --previous, --contacts and --policy");
				goto done;
			}
			C.inputs |= IN_PLAN;
		}
	} else {
		if ((rc = rp_accumulate(o, &st, err)) < 0)
			goto done;
		if (C.ncosts && (build_lists(&C) < 0 || apply_costs(&C) < 0)) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		/* the lists are built again from the final store below */
		free_list(C.cuts, C.ncuts);
		free_list(C.buckets, C.nbuckets);
		free_list(C.chans, C.nchans);
		free_list(C.plan, C.nplan);
		C.cuts = C.buckets = C.chans = C.plan = NULL;
		C.ncuts = C.nbuckets = C.nchans = C.nplan = 0;
	}
	out = cx_output_open(o->output, o->out_flags, err);
	if (!out) {
		rc = err->code;
		goto done;
	}
	if (o->partial) {
		rc = write_partial(&C, out, err);
	} else {
		char cb[4096];
		if (build_lists(&C) < 0) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < C.ncuts; i++) {
			struct cut c = cut_of(cb, C.cuts[i]);
			table_aging(&C, &c);
		}
		if (C.inputs & IN_PREV)
			for (size_t i = 0; i < C.ncuts; i++) {
				struct cut c = cut_of(cb, C.cuts[i]);
				table_roll(&C, &c);
			}
		for (size_t i = 0; i < C.ncuts; i++) {
			struct cut c = cut_of(cb, C.cuts[i]);
			table_kpi(&C, &c);
		}
		if (C.inputs & IN_PLAN)
			for (size_t i = 0; i < C.ncuts; i++) {
				struct cut c = cut_of(cb, C.cuts[i]);
				table_plan(&C, &c);
			}
		table_cc(&C);
		table_violations(&C);
		if (C.nomem || st.oom) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		switch (o->format) {
		case CX_RF_TSV: rc = out_tsv(&C, out, err); break;
		case CX_RF_CSV: rc = out_csv(&C, out, err); break;
		case CX_RF_TEXT: rc = out_text(&C, out, err); break;
		case CX_RF_HTML: rc = rp_html(&C, out, err); break;
		}
	}
	if (rc == 0 && (C.nomem || st.oom))
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (rc < 0)
		goto done;
	if (o->stats) {
		o->stats->cells = (long)st.n;
		o->stats->rows = (long)C.n;
	}
	rc = cx_output_commit(out, err);
	out = NULL;
done:
	cx_output_abort(out);
	for (size_t r = 0; r < C.n; r++)
		for (int i = 0; i < F_N; i++)
			cx_free(C.rows[r].f[i]);
	cx_free(C.rows);
	free_list(C.cuts, C.ncuts);
	free_list(C.buckets, C.nbuckets);
	free_list(C.chans, C.nchans);
	free_list(C.plan, C.nplan);
	rs_free(&st);
	return rc < 0 ? rc : 0;
}
