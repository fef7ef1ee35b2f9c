#include <stdio.h>
#include <string.h>

#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_money.h"

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
