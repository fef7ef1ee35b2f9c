#include <stdio.h>
#include <string.h>

#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_tsv.h"

struct ledger_entry {
	char measure[40];
	char currency[8];
	int64_t value;
};

struct cx_ledger {
	struct ledger_entry *e;
	size_t n, cap;
};

struct cx_ledger *
cx_ledger_new(void)
{
	return cx_calloc(1, sizeof(struct cx_ledger));
}

struct cx_ledger *
cx_ledger_new_counts(const char *const *measures, size_t n)
{
	struct cx_ledger *l = cx_ledger_new();

	for (size_t i = 0; l && i < n; i++)
		if (cx_ledger_add(l, measures[i], "", 0) < 0) {
			cx_ledger_free(l);
			l = NULL;
		}
	return l;
}

int
cx_ledger_open_stage(const char *path, int force, struct cx_ledger **led, struct cx_output **lo,
                     struct cx_error *err)
{
	/* fixed order of the counts; these stages reject nothing */
	static const char *const first[] = { "rows_in", "rows_out", "rows_rejected",
	                                     "customers_in", "customers_out" };

	if (!(*led = cx_ledger_new_counts(first, 5)))
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (!(*lo = cx_output_open(path, force ? CX_OUT_FORCE : 0, err)))
		return err->code;
	return 0;
}

static struct ledger_entry *
find(const struct cx_ledger *l, const char *measure, const char *currency)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->e[i].measure, measure) == 0 && strcmp(l->e[i].currency, currency) == 0)
			return &l->e[i];
	return NULL;
}

int
cx_ledger_add(struct cx_ledger *l, const char *measure, const char *currency, int64_t delta)
{
	struct ledger_entry *e;

	if (currency == NULL)
		currency = "";
	e = find(l, measure, currency);
	if (e == NULL) {
		if (cx_grow((void **)&l->e, &l->cap, l->n + 1, sizeof *l->e) < 0)
			return CX_ENOMEM;
		e = &l->e[l->n++];
		snprintf(e->measure, sizeof e->measure, "%s", measure);
		snprintf(e->currency, sizeof e->currency, "%s", currency);
		e->value = 0;
	}
	e->value += delta;
	return 0;
}

int64_t
cx_ledger_get(const struct cx_ledger *l, const char *measure, const char *currency)
{
	const struct ledger_entry *e = find(l, measure, currency ? currency : "");

	return e ? e->value : 0;
}

int
cx_ledger_add_money(struct cx_ledger *l, const char *measure, const char *cur, int64_t v)
{
	struct ledger_entry *e = find(l, measure, cur ? cur : "");

	if (e == NULL) {
		if (cx_ledger_add(l, measure, cur, 0) < 0)
			return CX_ENOMEM;
		e = &l->e[l->n - 1];
	}
	return cx_money_add(&e->value, v) < 0 ? CX_EDATA : 0;
}

/* A canonical amount of a known currency in minor units (empty = 0). */
static int
parse_amount(const char *cur, size_t curlen, const char *amt, size_t amtlen, int64_t *v)
{
	int exp = curlen == 3 ? cx_currency_exponent(cur, 3) : -1;

	*v = 0;
	if (exp < 0 || (amtlen && cx_money_parse(amt, amtlen, exp, v, NULL) < 0))
		return CX_EDATA;
	return 0;
}

int
cx_ledger_add_amount(struct cx_ledger *l, const char *measure, const char *cur, size_t curlen,
                     const char *amt, size_t amtlen)
{
	char code[4];
	int64_t v;

	if (parse_amount(cur, curlen, amt, amtlen, &v) < 0)
		return CX_EDATA;
	memcpy(code, cur, 3);
	code[3] = 0;
	return cx_ledger_add_money(l, measure, code, v);
}

int
cx_ledger_check(const struct cx_ledger *l, const char *prefix, struct cx_error *err)
{
	char m[3][64];
	size_t i;

	snprintf(m[0], sizeof m[0], "%s_in", prefix);
	snprintf(m[1], sizeof m[1], "%s_out", prefix);
	snprintf(m[2], sizeof m[2], "%s_rejected", prefix);
	for (i = 0; i < l->n; i++) {
		const char *c = l->e[i].currency;
		int64_t s;
		if (strcmp(l->e[i].measure, m[0]) != 0 && strcmp(l->e[i].measure, m[1]) != 0)
			continue;
		s = cx_ledger_get(l, m[1], c);
		if (cx_money_add(&s, cx_ledger_get(l, m[2], c)) < 0 || s != cx_ledger_get(l, m[0], c))
			return cx_error_set(err, CX_EINTERNAL, NULL, 0,
			                    "internal error: ledger does not balance: %s%s%s != %s + %s",
			                    m[0], *c ? " in " : "", c, m[1], m[2]);
	}
	return 0;
}

int
cx_ledger_sum_group(struct cx_ledger_sum *s, const struct cx_tsv_group *g, int cur, int bal,
                    size_t *bad_row)
{
	size_t i, k;

	s->rows = g->nrows;
	s->n = 0;
	if (cur < 0 || bal < 0)
		return 0;
	for (i = 0; i < g->nrows; i++) {
		const struct cx_field *c = &g->rows[i][cur], *a = &g->rows[i][bal];
		int64_t v;
		if (parse_amount(c->p, c->n, a->p, a->n, &v) < 0) {
			*bad_row = i;
			return CX_EDATA;
		}
		for (k = 0; k < s->n && memcmp(s->e[k].cur, c->p, 3) != 0; k++)
			;
		if (k == s->n) {
			if (cx_grow((void **)&s->e, &s->cap, s->n + 1, sizeof *s->e) < 0)
				return CX_ENOMEM;
			memcpy(s->e[k].cur, c->p, 3);
			s->e[k].cur[3] = '\0';
			s->e[k].v = 0;
			s->n++;
		}
		if (cx_money_add(&s->e[k].v, v) < 0) {
			*bad_row = i;
			return CX_EDATA;
		}
	}
	return 0;
}

int
cx_ledger_add_sum(struct cx_ledger *l, const char *dir, const struct cx_ledger_sum *s)
{
	/* constant names: this runs once per customer */
	int out = strcmp(dir, "out") == 0, rc;
	size_t k;

	if (cx_ledger_add(l, out ? "rows_out" : "rows_in", "", (int64_t)s->rows) < 0 ||
	    cx_ledger_add(l, out ? "customers_out" : "customers_in", "", 1) < 0)
		return CX_ENOMEM;
	for (k = 0; k < s->n; k++)
		if ((rc = cx_ledger_add_money(l, out ? "balance_out" : "balance_in", s->e[k].cur,
		                              s->e[k].v)) < 0)
			return rc;
	return 0;
}

void
cx_ledger_sum_free(struct cx_ledger_sum *s)
{
	cx_free(s->e);
	s->e = NULL;
	s->n = s->cap = 0;
}

int
cx_ledger_publish(const struct cx_ledger *l, const char *const *prefixes, struct cx_output **out,
                  struct cx_output **lo, struct cx_error *err)
{
	int rc;

	for (; l && *prefixes; prefixes++)
		if ((rc = cx_ledger_check(l, *prefixes, err)) < 0)
			return rc;
	if (l && *lo && (rc = cx_ledger_write(l, *lo, err)) < 0)
		return rc;
	rc = cx_output_commit(*out, err);
	*out = NULL;
	if (rc < 0 || !*lo)
		return rc;
	rc = cx_output_commit(*lo, err);
	*lo = NULL;
	return rc;
}

/* Order: measures in first-use order, currencies sorted within a measure. */
static size_t
sorted_order(const struct cx_ledger *l, size_t *idx)
{
	size_t i, j, n = 0;

	for (i = 0; i < l->n; i++) {
		/* first occurrence of this measure? */
		for (j = 0; j < i; j++)
			if (strcmp(l->e[j].measure, l->e[i].measure) == 0)
				break;
		if (j < i)
			continue;
		{
			size_t start = n, a, b;
			for (j = i; j < l->n; j++)
				if (strcmp(l->e[j].measure, l->e[i].measure) == 0)
					idx[n++] = j;
			for (a = start + 1; a < n; a++)   /* insertion sort by currency */
				for (b = a; b > start &&
				     strcmp(l->e[idx[b - 1]].currency, l->e[idx[b]].currency) > 0; b--) {
					size_t t = idx[b];
					idx[b] = idx[b - 1];
					idx[b - 1] = t;
				}
		}
	}
	return n;
}

static size_t
format_value(const struct ledger_entry *e, char *buf)
{
	int exp = e->currency[0] ? cx_currency_exponent(e->currency, strlen(e->currency)) : 0;

	if (exp < 0)
		exp = 0;
	return cx_money_format(buf, e->value, exp);
}

int
cx_ledger_write(const struct cx_ledger *l, struct cx_output *out, struct cx_error *err)
{
	size_t *idx, i, n;
	char buf[CX_MONEY_BUFSZ];
	int rc = 0;

	idx = cx_calloc(l->n ? l->n : 1, sizeof *idx);
	if (idx == NULL)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	n = sorted_order(l, idx);
	rc = cx_output_puts(out, "measure\tcurrency\tvalue\n", err);
	for (i = 0; i < n && rc == 0; i++) {
		const struct ledger_entry *e = &l->e[idx[i]];
		format_value(e, buf);
		rc = cx_output_printf(out, err, "%s\t%s\t%s\n", e->measure, e->currency, buf);
	}
	cx_free(idx);
	return rc;
}

void
cx_ledger_print(const struct cx_ledger *l, void *stdio_file)
{
	FILE *fp = stdio_file;
	size_t *idx, i, n;
	char buf[CX_MONEY_BUFSZ];

	idx = cx_calloc(l->n ? l->n : 1, sizeof *idx);
	if (idx == NULL)
		return;
	n = sorted_order(l, idx);
	for (i = 0; i < n; i++) {
		const struct ledger_entry *e = &l->e[idx[i]];
		format_value(e, buf);
		fprintf(fp, "%-18s %-3s %20s\n", e->measure, e->currency, buf);
	}
	cx_free(idx);
}

void
cx_ledger_free(struct cx_ledger *l)
{
	if (l == NULL)
		return;
	cx_free(l->e);
	cx_free(l);
}
