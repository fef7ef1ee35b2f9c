#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_ahead.h"
#include "cx_hash.h"
#include "cx_io.h"
#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_schema.h"
#include "cx_score.h"
#include "cx_score_feat.h"
#include "cx_score_math.h"
#include "cx_score_model.h"
#include "cx_tsv.h"

#ifndef CX_SCORE_FINE
#define CX_SCORE_FINE 40   /* fine classes per numeric characteristic */
#endif

void
cx_score_opts_init(struct cx_score_opts *o)
{
	memset(o, 0, sizeof *o);
	o->label_days = 30;
	o->holdout = 0.0;
	o->seed = 20051001;
	o->min_bin = 0.05;
	o->l2 = 1.0;
	o->min_iv = 0.02;
}

/* ---- field parsing ------------------------------------------------------ */

/* Clinger's fast path for the plain decimals the canonical streams hold: up
 * to 15 digits and 22 decimals are exact doubles and one IEEE division
 * rounds their quotient correctly, so the result is strtod's to the bit.
 * Anything else (exponents, long mantissas, odd syntax) returns -1. */
static int
fast_decimal(const char *p, size_t n, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
	const unsigned char *s = (const unsigned char *)p + (p[0] == '-');
	const unsigned char *e = (const unsigned char *)p + n, *q = s, *frac;
	uint64_t m = 0;
	unsigned d;
	size_t digits, decimals = 0;

	/* integer digits, then optionally '.' and at least one decimal */
	while (q < e && (d = (unsigned)*q - '0') < 10) {
		m = m * 10 + d;
		q++;
	}
	digits = (size_t)(q - s);
	if (q < e) {
		if (*q != '.')
			return -1;
		frac = ++q;
		while (q < e && (d = (unsigned)*q - '0') < 10) {
			m = m * 10 + d;
			q++;
		}
		if (q != e || q == frac)
			return -1;
		decimals = (size_t)(q - frac);
		digits += decimals;
	}
	/* at most 15 digits: m is exact (no overflow) and decimals <= 15 */
	if (digits == 0 || digits > 15)
		return -1;
	double v = decimals > 0 ? (double)m / pow10[decimals] : (double)m;
	*out = p[0] == '-' ? -v : v;
	return 0;
}

static int
field_num(const struct cx_field *f, double *out)
{
	if (f->n == 0) {
		*out = NAN;
		return 0;
	}
	if (fast_decimal(f->p, f->n, out) == 0)
		return 0;
	char *end;
	errno = 0;
	double v = strtod(f->p, &end);
	if (end != f->p + f->n || errno == ERANGE || !isfinite(v) || f->p[0] == ' ')
		return -1;
	*out = v;
	return 0;
}

static int
field_day(const struct cx_field *f, cx_day *out)
{
	const char *why;
	if (f->n == 0) {
		*out = CX_DAY_NONE;
		return 0;
	}
	if (cx_date_parse_iso(f->p, f->n, out, &why) == 0)
		return 0;
	int64_t utc;
	int off;
	if (cx_timestamp_parse(f->p, f->n, CX_NO_OFFSET, &utc, &off, &why) == 0) {
		*out = cx_timestamp_day(utc, off);
		return 0;
	}
	return -1;
}

/* ---- collections input: accounts + merged event streams ------------------ */

enum { EV_PAY, EV_STMT, EV_CON, EV_LABEL, EV_COUNT };

struct evstream {
	const char *path;
	int kind;
	struct cx_tsv_reader *r;
	struct cx_tsv_grouper *gr;
	const struct cx_tsv_group *g;
	int eof;
	int col[8];
	long skipped;
};

static const char *const ev_cols[EV_COUNT][8] = {
	[EV_PAY] = { CX_COL_CUSTOMER, CX_COL_DATE, CX_COL_AMOUNT },
	[EV_STMT] = { CX_COL_CUSTOMER, CX_COL_STMT_DATE, CX_COL_BALANCE },
	[EV_CON] = { CX_COL_CUSTOMER, CX_COL_TIMESTAMP, CX_COL_CHANNEL, CX_COL_OUTCOME },
	[EV_LABEL] = { CX_COL_CUSTOMER, CX_COL_DATE, CX_COL_AMOUNT },
};
static const size_t ev_nreq[EV_COUNT] = { 3, 3, 4, 3 };

struct acc_cols {
	int key, balance, past_due, min_due, limit, dpd, open, last_pay, product, flags;
};

struct ahead;

struct coll {
	struct cx_tsv_reader *r;
	struct cx_tsv_grouper *gr;
	struct acc_cols ac;
	struct evstream ev[EV_COUNT];
	int stmt_min_due, stmt_paid, stmt_dpd, con_dir, con_pamt, con_pdate;
	struct cx_sf_customer cust;
	struct cx_day_cache days;
	struct ahead *ahead;   /* statements read in a second thread, or NULL */
	double label_paid;   /* label payments in (as_of, as_of + days] */
	cx_day as_of;
	long label_days;
};

/* field_day through a date cache for the plain YYYY-MM-DD form. */
static int
cached_day(struct cx_day_cache *days, const struct cx_field *f, cx_day *out)
{
	size_t slot;

	if (f->n != 10)
		return field_day(f, out);
	if (cx_day_cache_get(days, f->p, &slot, out))
		return 0;
	if (field_day(f, out) < 0)
		return -1;
	cx_day_cache_put(days, slot, f->p, *out);
	return 0;
}

static int
coll_day(struct coll *c, const struct cx_field *f, cx_day *out)
{
	return cached_day(&c->days, f, out);
}

/* One statement row into *s; NULL, or the column that is not valid. */
static const char *
stmt_row(struct cx_day_cache *days, const int *col, int min_due, int paid, int dpd,
         const struct cx_field *row, struct cx_sf_stmt *s)
{
	if (cached_day(days, &row[col[1]], &s->date) < 0)
		return CX_COL_STMT_DATE;
	if (field_num(&row[col[2]], &s->balance) < 0)
		return CX_COL_BALANCE;
	s->min_due = s->paid = s->dpd = NAN;
	if (min_due >= 0 && field_num(&row[min_due], &s->min_due) < 0)
		return CX_COL_MIN_DUE;
	if (paid >= 0 && field_num(&row[paid], &s->paid) < 0)
		return CX_COL_AMOUNT_PAID;
	if (dpd >= 0 && field_num(&row[dpd], &s->dpd) < 0)
		return CX_COL_DPD;
	return NULL;
}

static int
opt_col(const struct cx_tsv_reader *r, const char *name)
{
	return cx_tsv_col(r, name);
}

static int
ev_open(struct evstream *e, const char *path, int kind, struct cx_error *err)
{
	memset(e, 0, sizeof *e);
	e->path = path;
	e->kind = kind;
	if (!path)
		return 0;
	e->r = cx_tsv_open(path, NULL, err);
	if (!e->r)
		return err->code;
	int rc = cx_tsv_require(e->r, ev_cols[kind], ev_nreq[kind], e->col, err);
	if (rc < 0)
		return rc;
	e->gr = cx_tsv_grouper_new(e->r, e->col[0], 0, err);
	if (!e->gr)
		return err->code;
	cx_tsv_grouper_sorted(e->gr, 1);
	return 0;
}

static void
ev_close(struct evstream *e)
{
	cx_tsv_grouper_free(e->gr);
	cx_tsv_close(e->r);
	e->gr = NULL;
	e->r = NULL;
}

static int
bad_field(struct cx_error *err, const char *file, long line, const char *col)
{
	return cx_error_set(err, CX_EDATA, file, line, "column '%s': not a valid value", col);
}

static int
ev_parse(struct coll *c, struct evstream *e, struct cx_error *err)
{
	const struct cx_tsv_group *g = e->g;
	const char *fn = cx_tsv_name(e->r);
	for (size_t i = 0; i < g->nrows; i++) {
		const struct cx_field *row = g->rows[i];
		long ln = g->lines[i];
		if (e->kind == EV_PAY || e->kind == EV_LABEL) {
			cx_day d;
			double amt;
			if (coll_day(c, &row[e->col[1]], &d) < 0)
				return bad_field(err, fn, ln, CX_COL_DATE);
			if (field_num(&row[e->col[2]], &amt) < 0)
				return bad_field(err, fn, ln, CX_COL_AMOUNT);
			if (isnan(amt))
				amt = 0;
			if (e->kind == EV_LABEL) {
				if (d != CX_DAY_NONE && d > c->as_of && d <= c->as_of + c->label_days)
					c->label_paid += amt;
				continue;
			}
			struct cx_sf_pay *p = cx_sf_add_pay(&c->cust);
			if (!p)
				return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			p->date = d;
			p->amount = amt;
		} else if (e->kind == EV_STMT) {
			struct cx_sf_stmt *s = cx_sf_add_stmt(&c->cust);
			if (!s)
				return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			const char *bad = stmt_row(&c->days, e->col, c->stmt_min_due, c->stmt_paid,
			                           c->stmt_dpd, row, s);
			if (bad)
				return bad_field(err, fn, ln, bad);
		} else {
			struct cx_sf_contact *k = cx_sf_add_contact(&c->cust);
			if (!k)
				return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			if (coll_day(c, &row[e->col[1]], &k->day) < 0)
				return bad_field(err, fn, ln, CX_COL_TIMESTAMP);
			const struct cx_field *ch = &row[e->col[2]], *oc = &row[e->col[3]];
			k->channel = cx_vocab_find(cx_channel_names, ch->p, ch->n);
			k->outcome = cx_vocab_find(cx_outcome_names, oc->p, oc->n);
			k->direction = CX_SF_OUT;
			if (c->con_dir >= 0 && row[c->con_dir].n == 2 && memcmp(row[c->con_dir].p, "in", 2) == 0)
				k->direction = CX_SF_IN;
			k->promise_amount = NAN;
			k->promise_date = CX_DAY_NONE;
			if (c->con_pamt >= 0 && field_num(&row[c->con_pamt], &k->promise_amount) < 0)
				return bad_field(err, fn, ln, CX_COL_PROMISE_AMT);
			if (c->con_pdate >= 0 && coll_day(c, &row[c->con_pdate], &k->promise_date) < 0)
				return bad_field(err, fn, ln, CX_COL_PROMISE_DATE);
		}
	}
	return 0;
}

/* Advance stream e to customer `key` and parse its rows into c->cust. */
static int
ev_sync(struct coll *c, struct evstream *e, const char *key, struct cx_error *err)
{
	if (!e->gr || e->eof)
		return 0;
	int rc = cx_tsv_grouper_seek(e->gr, &e->g, key, &e->skipped, err);
	if (rc <= 0) {
		e->eof = rc == 0;
		return rc;
	}
	if (strcmp(e->g->key, key) != 0)
		return 0;
	rc = ev_parse(c, e, err);
	e->g = NULL;
	return rc;
}

/* ---- statements read ahead -------------------------------------------- */

/* The statements stream is the largest input (about half of the bytes):
 * a second thread (cx_ahead) reads, splits and parses it into batches of customers'
 * statements while the caller works on accounts, payments and contacts.
 * The thread hands out exactly what cx_tsv_grouper_next returned, in order
 * (groups, then the end or the error that stopped it), and a row's parse
 * error is kept with its group and raised only when the caller takes that
 * group, so results and errors are those of the single-threaded reader. */
#define AH_SLOTS 4
#define AH_GROUPS 256   /* customers per batch */

struct ah_group {
	size_t key, first, n;   /* key: offset in keys; statements [first, first + n) */
	long bad_line;          /* a row that does not parse, or 0 */
	const char *bad_col;
};

struct ah_batch {
	char *keys;
	size_t nkeys, capkeys;
	struct cx_sf_stmt *st;
	size_t nst, capst;
	struct ah_group *g;
	size_t ng, capg;
	int rc;                 /* after the groups: 1 more, 0 end, <0 error (err) */
	struct cx_error err;
};

struct ahead {
	struct evstream *e;     /* its reader and grouper belong to the filler */
	int min_due, paid, dpd;
	struct cx_day_cache days;
	struct ah_batch b[AH_SLOTS];
	struct cx_ahead *q;
	struct ah_batch *cur;   /* the batch in use, NULL before the first */
	size_t pos;             /* next group of cur */
};

static int
ah_grow(void **pp, size_t *cap, size_t need, size_t size, struct ah_batch *b)
{
	if (cx_grow(pp, cap, need, size) < 0) {
		b->rc = cx_error_set(&b->err, CX_ENOMEM, NULL, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* Fill a batch with the next groups (cx_ahead_fill_fn); b->rc says what
 * follows them. */
static int
ah_fill(void *ctx, void *batch)
{
	struct ahead *a = ctx;
	struct ah_batch *b = batch;
	const struct cx_tsv_group *g;
	b->nkeys = b->nst = b->ng = 0;
	b->rc = 1;
	cx_error_clear(&b->err);
	while (b->ng < AH_GROUPS) {
		int rc = cx_tsv_grouper_next(a->e->gr, &g, &b->err);
		if (rc <= 0) {
			b->rc = rc;
			return 0;
		}
		size_t kl = strlen(g->key) + 1;
		if (ah_grow((void **)&b->g, &b->capg, b->ng + 1, sizeof *b->g, b) < 0 ||
		    ah_grow((void **)&b->keys, &b->capkeys, b->nkeys + kl, 1, b) < 0 ||
		    ah_grow((void **)&b->st, &b->capst, b->nst + g->nrows, sizeof *b->st, b) < 0)
			return 0;
		struct ah_group *q = &b->g[b->ng++];
		memcpy(b->keys + b->nkeys, g->key, kl);
		q->key = b->nkeys;
		b->nkeys += kl;
		q->first = b->nst;
		q->n = g->nrows;
		q->bad_line = 0;
		q->bad_col = NULL;
		for (size_t i = 0; i < g->nrows; i++) {
			q->bad_col = stmt_row(&a->days, a->e->col, a->min_due, a->paid, a->dpd,
			                      g->rows[i], &b->st[b->nst + i]);
			if (q->bad_col) {
				q->bad_line = g->lines[i];
				break;
			}
		}
		b->nst += g->nrows;
	}
	return 1;
}

/* Read c's statements ahead from here on. */
static int
ah_start(struct coll *c, struct cx_error *err)
{
	struct ahead *a = cx_calloc(1, sizeof *a);
	void *bs[AH_SLOTS];
	if (!a)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	a->e = &c->ev[EV_STMT];
	a->min_due = c->stmt_min_due;
	a->paid = c->stmt_paid;
	a->dpd = c->stmt_dpd;
	for (int k = 0; k < AH_SLOTS; k++)
		bs[k] = &a->b[k];
	c->ahead = a;   /* freed by ah_stop whatever happens next */
	if (!(a->q = cx_ahead_new(ah_fill, a, bs, AH_SLOTS, err)))
		return err->code;
	return 0;
}

static void
ah_stop(struct coll *c)
{
	struct ahead *a = c->ahead;
	if (!a)
		return;
	cx_ahead_free(a->q);   /* stops the filler first */
	for (int k = 0; k < AH_SLOTS; k++) {
		cx_free(a->b[k].keys);
		cx_free(a->b[k].st);
		cx_free(a->b[k].g);
	}
	cx_free(a);
	c->ahead = NULL;
}

/* The next group (as cx_tsv_grouper_next): 1 = *q in *bp, 0 = end, <0 =
 * error.  The last batch, with the stream's end or error, is kept. */
static int
ah_next(struct ahead *a, struct ah_batch **bp, const struct ah_group **q, struct cx_error *err)
{
	for (;;) {
		struct ah_batch *b = a->cur;
		if (b && a->pos < b->ng) {
			*bp = b;
			*q = &b->g[a->pos++];
			return 1;
		}
		if (b && b->rc <= 0) {
			if (b->rc < 0)
				*err = b->err;
			return b->rc;
		}
		a->cur = cx_ahead_next(a->q);
		a->pos = 0;
		if (!a->cur)   /* cannot happen: the last batch has rc <= 0 */
			return cx_error_set(err, CX_EINTERNAL, NULL, 0, "statements read past their end");
	}
}

/* ev_sync for the statements read ahead: the group held back (a greater
 * key) is a->pos - 1 of b[head], marked by e->g. */
static int
ah_sync(struct coll *c, struct evstream *e, const char *key, struct cx_error *err)
{
	struct ahead *a = c->ahead;
	struct ah_batch *b = a->cur;
	const struct ah_group *q = e->g ? &b->g[a->pos - 1] : NULL;
	if (e->eof)
		return 0;
	for (;;) {
		if (!q) {
			int rc = ah_next(a, &b, &q, err);
			if (rc <= 0) {
				e->eof = rc == 0;
				return rc;
			}
		}
		int cmp = strcmp(b->keys + q->key, key);
		if (cmp > 0) {
			e->g = (const struct cx_tsv_group *)q;   /* only a mark: held back */
			return 0;
		}
		e->g = NULL;
		if (cmp == 0)
			break;
		e->skipped++;
		q = NULL;
	}
	if (q->bad_col)
		return bad_field(err, cx_tsv_name(e->r), q->bad_line, q->bad_col);
	for (size_t i = 0; i < q->n; i++) {
		struct cx_sf_stmt *s = cx_sf_add_stmt(&c->cust);
		if (!s)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		*s = b->st[q->first + i];
	}
	return 0;
}

static int
coll_open(struct coll *c, const struct cx_score_opts *o, struct cx_error *err)
{
	memset(c, 0, sizeof *c);
	c->as_of = o->as_of;
	c->label_days = o->label_days;
	c->r = cx_tsv_open(o->input, NULL, err);
	if (!c->r)
		return err->code;
	const char *req[] = { CX_COL_CUSTOMER };
	int rc = cx_tsv_require(c->r, req, 1, &c->ac.key, err);
	if (rc < 0)
		return rc;
	c->ac.balance = opt_col(c->r, CX_COL_BALANCE);
	c->ac.past_due = opt_col(c->r, CX_COL_PAST_DUE);
	c->ac.min_due = opt_col(c->r, CX_COL_MIN_DUE);
	c->ac.limit = opt_col(c->r, CX_COL_LIMIT);
	c->ac.dpd = opt_col(c->r, CX_COL_DPD);
	c->ac.open = opt_col(c->r, CX_COL_OPEN_DATE);
	c->ac.last_pay = opt_col(c->r, CX_COL_LAST_PAY_DATE);
	c->ac.product = opt_col(c->r, CX_COL_PRODUCT);
	c->ac.flags = opt_col(c->r, CX_COL_FLAGS);
	c->gr = cx_tsv_grouper_new(c->r, c->ac.key, 0, err);
	if (!c->gr)
		return err->code;
	cx_tsv_grouper_sorted(c->gr, 1);
	if ((rc = ev_open(&c->ev[EV_PAY], o->payments, EV_PAY, err)) < 0 ||
	    (rc = ev_open(&c->ev[EV_STMT], o->statements, EV_STMT, err)) < 0 ||
	    (rc = ev_open(&c->ev[EV_CON], o->contacts, EV_CON, err)) < 0 ||
	    (rc = ev_open(&c->ev[EV_LABEL], o->label_payments, EV_LABEL, err)) < 0)
		return rc;
	/* one shard: the same customers in every stream (before any row is read) */
	cx_tsv_shard(c->r, c->ac.key, o->shard_k, o->shard_n);
	for (int i = 0; i < EV_COUNT; i++)
		if (c->ev[i].r)
			cx_tsv_shard(c->ev[i].r, c->ev[i].col[0], o->shard_k, o->shard_n);
	c->stmt_min_due = c->stmt_paid = c->stmt_dpd = -1;
	c->con_dir = c->con_pamt = c->con_pdate = -1;
	if (c->ev[EV_STMT].r) {
		c->stmt_min_due = opt_col(c->ev[EV_STMT].r, CX_COL_MIN_DUE);
		c->stmt_paid = opt_col(c->ev[EV_STMT].r, CX_COL_AMOUNT_PAID);
		c->stmt_dpd = opt_col(c->ev[EV_STMT].r, CX_COL_DPD);
	}
	if (c->ev[EV_CON].r) {
		c->con_dir = opt_col(c->ev[EV_CON].r, CX_COL_DIRECTION);
		c->con_pamt = opt_col(c->ev[EV_CON].r, CX_COL_PROMISE_AMT);
		c->con_pdate = opt_col(c->ev[EV_CON].r, CX_COL_PROMISE_DATE);
	}
	if (c->ev[EV_STMT].gr)
		return ah_start(c, err);
	return 0;
}

static void
coll_close(struct coll *c)
{
	ah_stop(c);
	for (int i = 0; i < EV_COUNT; i++)
		ev_close(&c->ev[i]);
	cx_tsv_grouper_free(c->gr);
	cx_tsv_close(c->r);
	cx_sf_customer_free(&c->cust);
}

/* Parse one customer group and compute its features. */
static int
coll_customer(struct coll *c, const struct cx_tsv_group *g, double *f, struct cx_error *err)
{
	const char *fn = cx_tsv_name(c->r);
	cx_sf_customer_reset(&c->cust);
	c->label_paid = 0;
	for (size_t i = 0; i < g->nrows; i++) {
		const struct cx_field *row = g->rows[i];
		long ln = g->lines[i];
		struct cx_sf_account *a = cx_sf_add_account(&c->cust);
		if (!a)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		a->balance = a->past_due = a->min_due = a->limit = a->dpd = NAN;
		a->open_date = a->last_pay_date = CX_DAY_NONE;
		if (c->ac.balance >= 0 && field_num(&row[c->ac.balance], &a->balance) < 0)
			return bad_field(err, fn, ln, CX_COL_BALANCE);
		if (c->ac.past_due >= 0 && field_num(&row[c->ac.past_due], &a->past_due) < 0)
			return bad_field(err, fn, ln, CX_COL_PAST_DUE);
		if (c->ac.min_due >= 0 && field_num(&row[c->ac.min_due], &a->min_due) < 0)
			return bad_field(err, fn, ln, CX_COL_MIN_DUE);
		if (c->ac.limit >= 0 && field_num(&row[c->ac.limit], &a->limit) < 0)
			return bad_field(err, fn, ln, CX_COL_LIMIT);
		if (c->ac.dpd >= 0 && field_num(&row[c->ac.dpd], &a->dpd) < 0)
			return bad_field(err, fn, ln, CX_COL_DPD);
		if (c->ac.open >= 0 && coll_day(c, &row[c->ac.open], &a->open_date) < 0)
			return bad_field(err, fn, ln, CX_COL_OPEN_DATE);
		if (c->ac.last_pay >= 0 && coll_day(c, &row[c->ac.last_pay], &a->last_pay_date) < 0)
			return bad_field(err, fn, ln, CX_COL_LAST_PAY_DATE);
		if (c->ac.product >= 0 && row[c->ac.product].n) {
			a->has_product = 1;
			a->product_hash = (unsigned)cx_hash64(row[c->ac.product].p, row[c->ac.product].n, 0);
		}
		if (c->ac.flags >= 0)
			a->dispute = cx_set_has(row[c->ac.flags].p, row[c->ac.flags].n, "dispute");
	}
	for (int k = 0; k < EV_COUNT; k++) {
		int rc = k == EV_STMT && c->ahead ? ah_sync(c, &c->ev[k], g->key, err)
		                                  : ev_sync(c, &c->ev[k], g->key, err);
		if (rc < 0)
			return rc;
	}
	return cx_sf_compute(&c->cust, c->as_of, f);
}

/* Label of a customer: from the target column (bad when any row has the
 * bad value), or from later payments.  Returns 1 bad, 0 good, -1 none. */
static int
coll_label(const struct coll *c, const struct cx_tsv_group *g, int tcol, const char *badv)
{
	if (c->ev[EV_LABEL].r) {
		double need = 0;
		for (size_t i = 0; i < c->cust.nacc; i++) {
			double pd = c->cust.acc[i].past_due;
			if (!isnan(pd) && pd > 0)
				need += pd;
		}
		if (need <= 0)
			return -1;
		return c->label_paid + 1e-9 >= need ? 0 : 1;
	}
	int any = 0;
	for (size_t i = 0; i < g->nrows; i++) {
		const struct cx_field *t = &g->rows[i][tcol];
		if (t->n == 0)
			continue;
		if (strcmp(t->p, badv) == 0)
			return 1;
		any = 1;
	}
	return any ? 0 : -1;
}

/* ---- datasets for training and evaluation -------------------------------- */

struct dcol {
	char *name;
	int cat;          /* categorical (strings) */
	int forced_cat;   /* collections feature scored as categories */
	int dim;
	const char *reason, *text;
	double *x;        /* numeric value, NaN = missing or not a number */
	char **s;         /* string value (table and categorical), NULL = empty */
	int nonnum;       /* some non-empty value did not parse as a number */
};

struct dataset {
	size_t n, cap;
	size_t p;
	struct dcol *cols;
	unsigned char *bad;
	uint64_t *hash;    /* split hash of the case key */
	struct cx_arena *arena;
	long skipped;      /* cases without a label */
};

static void
ds_free(struct dataset *d)
{
	for (size_t j = 0; j < d->p; j++) {
		cx_free(d->cols[j].name);
		cx_free(d->cols[j].x);
		cx_free(d->cols[j].s);
	}
	cx_free(d->cols);
	cx_free(d->bad);
	cx_free(d->hash);
	cx_arena_free(d->arena);
	memset(d, 0, sizeof *d);
}

static int
ds_init(struct dataset *d, size_t p, struct cx_error *err)
{
	memset(d, 0, sizeof *d);
	d->cols = cx_calloc(p ? p : 1, sizeof *d->cols);
	d->arena = cx_arena_new(1 << 16);
	if (!d->cols || !d->arena)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	d->p = p;
	return 0;
}

static int
ds_grow(struct dataset *d, struct cx_error *err)
{
	if (d->n < d->cap)
		return 0;
	size_t nc = d->cap ? d->cap * 2 : 4096;
	void *b = cx_realloc(d->bad, nc), *h = cx_realloc(d->hash, nc * sizeof *d->hash);
	if (b)
		d->bad = b;
	if (h)
		d->hash = h;
	if (!b || !h)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	for (size_t j = 0; j < d->p; j++) {
		void *x = cx_realloc(d->cols[j].x, nc * sizeof(double));
		if (!x)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		d->cols[j].x = x;
		if (d->cols[j].cat || d->cols[j].forced_cat || !d->cols[j].reason) {
			void *s = cx_realloc(d->cols[j].s, nc * sizeof(char *));
			if (!s)
				return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			d->cols[j].s = s;
		}
	}
	d->cap = nc;
	return 0;
}

static int
ds_set_str(struct dataset *d, size_t j, const char *p, size_t n, struct cx_error *err)
{
	struct dcol *c = &d->cols[j];
	if (!c->s)
		return 0;
	if (n == 0) {
		c->s[d->n] = NULL;
		return 0;
	}
	char *s = cx_arena_strndup(d->arena, p, n);
	if (!s)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	c->s[d->n] = s;
	return 0;
}

/* Values of case i for the model's characteristics (cols[] maps char k to
 * dataset column). */
static void
ds_values(const struct dataset *d, const size_t *cols, size_t k, size_t i,
          struct cx_sc_value *v, const struct cx_sc_model *m)
{
	for (size_t q = 0; q < k; q++) {
		const struct dcol *c = &d->cols[cols[q]];
		v[q].x = c->x[i];
		v[q].s = c->s ? c->s[i] : NULL;
		v[q].n = v[q].s ? strlen(v[q].s) : 0;
		(void)m;
	}
}

/* printf("%.0f", x) into buf (sz >= 24 for the integer path), without
 * printf for the whole numbers of magnitude below 2^53 that scores,
 * amounts and categories are: those print as their integer.  Returns the
 * length. */
static size_t
fmt_whole(char *buf, size_t sz, double x)
{
	if (sz >= 24 && x == floor(x) && fabs(x) < 9007199254740992.0 && !(x == 0 && signbit(x))) {
		char tmp[24], *e = tmp + sizeof tmp, *q = e;
		int64_t v = (int64_t)x;
		uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		do
			*--q = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			*--q = '-';
		memcpy(buf, q, (size_t)(e - q));
		buf[e - q] = '\0';
		return (size_t)(e - q);
	}
	int k = snprintf(buf, sz, "%.0f", x);
	return k < 0 ? 0 : (size_t)k < sz ? (size_t)k : sz - 1;
}

static void
fmt_cat(char *buf, size_t sz, double x)
{
	fmt_whole(buf, sz, x);
}

/* Read the collections input into a dataset of all features. */
static int
load_collections(const struct cx_score_opts *o, struct dataset *d, struct cx_error *err)
{
	struct coll c;
	int rc = coll_open(&c, o, err);
	int tcol = -1;
	const char *badv = o->bad_value ? o->bad_value : "1";
	if (rc < 0)
		goto out;
	if (!o->label_payments) {
		const char *req[] = { o->target };
		if ((rc = cx_tsv_require(c.r, req, 1, &tcol, err)) < 0)
			goto out;
	}
	if ((rc = ds_init(d, CX_SF_COUNT, err)) < 0)
		goto out;
	for (int j = 0; j < CX_SF_COUNT; j++) {
		const struct cx_sf_info *in = cx_sf_info(j);
		d->cols[j].name = cx_strdup(in->name);
		if (!d->cols[j].name) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto out;
		}
		d->cols[j].dim = in->dim;
		d->cols[j].reason = in->reason;
		d->cols[j].text = in->text;
		d->cols[j].forced_cat = in->categorical;
		d->cols[j].cat = in->categorical;
	}
	const struct cx_tsv_group *g;
	double f[CX_SF_COUNT];
	while ((rc = cx_tsv_grouper_next(c.gr, &g, err)) > 0) {
		if ((rc = coll_customer(&c, g, f, err)) < 0)
			goto out;
		int lab = coll_label(&c, g, tcol, badv);
		if (lab < 0) {
			d->skipped++;
			continue;
		}
		if ((rc = ds_grow(d, err)) < 0)
			goto out;
		for (int j = 0; j < CX_SF_COUNT; j++) {
			d->cols[j].x[d->n] = f[j];
			if (d->cols[j].s) {
				char buf[32];
				if (isnan(f[j])) {
					d->cols[j].s[d->n] = NULL;
				} else {
					fmt_cat(buf, sizeof buf, f[j]);
					if ((rc = ds_set_str(d, (size_t)j, buf, strlen(buf), err)) < 0)
						goto out;
				}
			}
		}
		d->bad[d->n] = (unsigned char)lab;
		d->hash[d->n] = cx_hash64(g->key, strlen(g->key), o->seed);
		d->n++;
	}
out:
	coll_close(&c);
	return rc < 0 ? rc : 0;
}

/* Split a comma list into names (copied). */
static int
split_list(const char *list, char ***out, size_t *n, struct cx_error *err)
{
	*out = NULL;
	*n = 0;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0)
			return cx_error_set(err, CX_EUSAGE, NULL, 0, "empty name in '--features'");
		char **nn = cx_realloc(*out, (*n + 1) * sizeof *nn);
		if (!nn)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		*out = nn;
		if (!((*out)[*n] = cx_strndup(p, len)))
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		(*n)++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void
free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cx_free(l[i]);
	cx_free(l);
}

/* Read a generic table: the named columns and the target. */
static int
load_table(const struct cx_score_opts *o, char **names, size_t k, struct dataset *d,
           struct cx_error *err)
{
	const char *badv = o->bad_value ? o->bad_value : "1";
	int rc;
	int *idx = cx_calloc(k + 1, sizeof *idx);
	const char **req = cx_calloc(k + 1, sizeof *req);
	struct cx_tsv_reader *r = NULL;
	if (!idx || !req) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	r = cx_tsv_open(o->input, NULL, err);
	if (!r) {
		rc = err->code;
		goto out;
	}
	for (size_t j = 0; j < k; j++)
		req[j] = names[j];
	req[k] = o->target;
	if ((rc = cx_tsv_require(r, req, k + 1, idx, err)) < 0)
		goto out;
	if ((rc = ds_init(d, k, err)) < 0)
		goto out;
	for (size_t j = 0; j < k; j++) {
		d->cols[j].name = cx_strdup(names[j]);
		if (!d->cols[j].name) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto out;
		}
	}
	long row = 0;
	while ((rc = cx_tsv_next(r, err)) > 0) {
		const struct cx_field *fl = cx_tsv_fields(r);
		row++;
		const struct cx_field *t = &fl[idx[k]];
		if (t->n == 0) {
			d->skipped++;
			continue;
		}
		if ((rc = ds_grow(d, err)) < 0)
			goto out;
		for (size_t j = 0; j < k; j++) {
			double v;
			if (field_num(&fl[idx[j]], &v) < 0) {
				v = NAN;
				d->cols[j].nonnum = 1;
			}
			d->cols[j].x[d->n] = v;
			if ((rc = ds_set_str(d, j, fl[idx[j]].p, fl[idx[j]].n, err)) < 0)
				goto out;
		}
		d->bad[d->n] = strcmp(t->p, badv) == 0;
		char key[32];
		int kl = snprintf(key, sizeof key, "%ld", row);
		d->hash[d->n] = cx_hash64(key, (size_t)kl, o->seed);
		d->n++;
	}
	if (rc < 0)
		goto out;
	for (size_t j = 0; j < k; j++)
		d->cols[j].cat = d->cols[j].nonnum;
	rc = 0;
out:
	cx_tsv_close(r);
	cx_free(idx);
	cx_free(req);
	return rc;
}

/* ---- training ----------------------------------------------------------- */

/* True when name is an item of the comma-separated list (NULL = none). */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, name, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

struct hidx {
	uint64_t h;
	size_t i;
};

static int
cmp_hidx(const void *a, const void *b)
{
	const struct hidx *p = a, *q = b;
	if (p->h != q->h)
		return p->h < q->h ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

/* test[i] = 1 for the held-out cases: per class, the round(h * n_class)
 * cases with the smallest split hash. */
static int
split(const struct dataset *d, double h, unsigned char *test, struct cx_error *err)
{
	memset(test, 0, d->n);
	if (h <= 0)
		return 0;
	struct hidx *v = cx_malloc((d->n ? d->n : 1) * sizeof *v);
	if (!v)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	for (int cls = 0; cls <= 1; cls++) {
		size_t m = 0;
		for (size_t i = 0; i < d->n; i++)
			if (d->bad[i] == cls) {
				v[m].h = d->hash[i];
				v[m].i = i;
				m++;
			}
		qsort(v, m, sizeof *v, cmp_hidx);
		size_t t = (size_t)floor(h * (double)m + 0.5);
		for (size_t q = 0; q < t; q++)
			test[v[q].i] = 1;
	}
	cx_free(v);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bin column j on the training cases into a model characteristic. */
static int
bin_column(const struct dataset *d, size_t j, const unsigned char *test, size_t min_bin,
           double tg, double tb, struct cx_sc_char *ch, struct cx_error *err)
{
	const struct dcol *c = &d->cols[j];
	int rc = 0;
	memset(ch, 0, sizeof *ch);
	ch->name = cx_strdup(c->name);
	if (!ch->name)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	ch->dim = c->dim;
	double mg = 0, mb = 0;
	if (!c->cat) {
		ch->type = CX_SC_NUM;
		double *x = cx_malloc((d->n ? d->n : 1) * sizeof *x);
		unsigned char *y = cx_malloc(d->n ? d->n : 1);
		struct cx_score_binopts bo = { CX_SCORE_FINE, min_bin, 0 };
		struct cx_score_nbin nb[CX_SCORE_FINE + 1];
		size_t nbins = 0, m = 0;
		int dir;
		if (!x || !y) {
			cx_free(x);
			cx_free(y);
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		}
		for (size_t i = 0; i < d->n; i++) {
			if (test[i])
				continue;
			if (isnan(c->x[i])) {
				if (d->bad[i])
					mb++;
				else
					mg++;
				continue;
			}
			x[m] = c->x[i];
			y[m++] = d->bad[i];
		}
		rc = cx_score_bin_numeric(x, y, m, &bo, nb, &nbins, &dir, err);
		cx_free(x);
		cx_free(y);
		if (rc < 0)
			return rc;
		ch->bins = cx_calloc(nbins + 1, sizeof *ch->bins);
		if (!ch->bins)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		double lo = -INFINITY;
		for (size_t b = 0; b < nbins; b++) {
			struct cx_sc_bin *bn = &ch->bins[ch->nbins++];
			bn->kind = CX_SC_RANGE;
			bn->lo = lo;
			bn->hi = nb[b].hi;
			lo = nb[b].hi;
			bn->good = nb[b].good;
			bn->bad = nb[b].bad;
		}
		struct cx_sc_bin *bn = &ch->bins[ch->nbins++];
		bn->kind = CX_SC_MISSING;
		bn->good = mg;
		bn->bad = mb;
	} else {
		/* categories: collect distinct strings of training cases */
		ch->type = CX_SC_CAT;
		struct cx_strmap *map = cx_strmap_new(64);
		double *cg = NULL, *cb = NULL;
		size_t ncat = 0, capc = 0;
		if (!map)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		for (size_t i = 0; i < d->n; i++) {
			if (test[i])
				continue;
			const char *s = c->s[i];
			if (!s) {
				if (d->bad[i])
					mb++;
				else
					mg++;
				continue;
			}
			int ins;
			uint64_t *slot = cx_strmap_get(map, s, strlen(s), 1, ncat, &ins);
			if (!slot) {
				rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
				goto catout;
			}
			if (ins) {
				void *p1 = cg, *p2 = cb;
				size_t c1 = capc, c2 = capc;
				if (cx_grow(&p1, &c1, ncat + 1, sizeof(double)) < 0 ||
				    (cg = p1, cx_grow(&p2, &c2, ncat + 1, sizeof(double)) < 0)) {
					rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
					goto catout;
				}
				cg = p1;
				cb = p2;
				capc = c1 < c2 ? c1 : c2;
				cg[ncat] = cb[ncat] = 0;
				ncat++;
			}
			if (d->bad[i])
				cb[*slot]++;
			else
				cg[*slot]++;
		}
		size_t *grp = cx_malloc((ncat ? ncat : 1) * sizeof *grp), ng = 0;
		if (!grp) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto catout;
		}
		if ((rc = cx_score_bin_categorical(cg, cb, ncat, min_bin, grp, &ng, err)) < 0) {
			cx_free(grp);
			goto catout;
		}
		ch->bins = cx_calloc(ng + 2, sizeof *ch->bins);
		if (!ch->bins) {
			cx_free(grp);
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto catout;
		}
		for (size_t gi = 0; gi < ng; gi++) {
			struct cx_sc_bin *bn = &ch->bins[ch->nbins++];
			bn->kind = CX_SC_CATS;
			for (size_t q = 0; q < ncat; q++)
				if (grp[q] == gi) {
					bn->good += cg[q];
					bn->bad += cb[q];
					size_t kl;
					const char *key = cx_strmap_key(map, q, &kl);
					char **nc = cx_realloc(bn->cats, (bn->ncats + 1) * sizeof *nc);
					if (!nc || !(nc[bn->ncats] = cx_strndup(key, kl))) {
						if (nc)
							bn->cats = nc;
						cx_free(grp);
						rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
						goto catout;
					}
					bn->cats = nc;
					bn->ncats++;
				}
			qsort(bn->cats, bn->ncats, sizeof *bn->cats, cmp_str);
		}
		cx_free(grp);
		struct cx_sc_bin *bn = &ch->bins[ch->nbins++];
		bn->kind = CX_SC_MISSING;
		bn->good = mg;
		bn->bad = mb;
		bn = &ch->bins[ch->nbins++];
		bn->kind = CX_SC_ELSE;
	catout:
		cx_free(cg);
		cx_free(cb);
		cx_strmap_free(map);
		if (rc < 0)
			return rc;
	}
	/* WoE of each bin; a missing bin with few cases gets WoE 0 (neutral) */
	double g[64], b[64];
	size_t k = 0;
	for (size_t q = 0; q < ch->nbins; q++) {
		struct cx_sc_bin *bn = &ch->bins[q];
		double cnt = bn->good + bn->bad;
		if ((bn->kind == CX_SC_MISSING && cnt < (double)(min_bin > 50 ? 50 : min_bin)) ||
		    bn->kind == CX_SC_ELSE || cnt == 0) {
			bn->woe = 0;
		} else {
			bn->woe = cx_score_woe(bn->good, bn->bad, tg, tb);
		}
		if (k < 64 && cnt > 0) {
			g[k] = bn->good;
			b[k] = bn->bad;
			k++;
		}
	}
	ch->iv = cx_score_iv(g, b, k);
	return 0;
}

static double
rnd(double v, double scale)
{
	double r = round(v * scale) / scale;
	return r == 0 ? 0.0 : r;
}

static int
metric_meta(struct cx_sc_model *m, const char *key, double v)
{
	char buf[64];
	if (isnan(v))
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%.4f", v);
	return cx_sc_model_set_meta(m, key, buf);
}

static int
int_meta(struct cx_sc_model *m, const char *key, long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	return cx_sc_model_set_meta(m, key, buf);
}

/* Score every case with the model (chars mapped to dataset columns). */
static int
score_cases(const struct cx_sc_model *m, const struct dataset *d, const size_t *cols,
            double *score, struct cx_error *err)
{
	struct cx_sc_value *v = cx_calloc(m->nchars ? m->nchars : 1, sizeof *v);
	if (!v)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < d->n; i++) {
		struct cx_sc_result r;
		ds_values(d, cols, m->nchars, i, v, m);
		cx_sc_model_apply(m, v, &r);
		score[i] = r.score;
	}
	cx_free(v);
	return 0;
}

static int
subset_metrics(const double *score, const unsigned char *bad, const unsigned char *test,
               size_t n, int want_test, double *auc, double *ks, size_t *rows, size_t *bads,
               struct cx_error *err)
{
	double *s = cx_malloc((n ? n : 1) * sizeof *s);
	unsigned char *y = cx_malloc(n ? n : 1);
	if (!s || !y) {
		cx_free(s);
		cx_free(y);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	size_t m = 0, nb = 0;
	for (size_t i = 0; i < n; i++)
		if (test[i] == want_test) {
			s[m] = score[i];
			y[m++] = bad[i];
			nb += bad[i];
		}
	*auc = cx_score_auc(s, y, m);
	*ks = cx_score_ks(s, y, m);
	*rows = m;
	*bads = nb;
	cx_free(s);
	cx_free(y);
	return 0;
}

static int
train(const struct cx_score_opts *o, struct dataset *d, int collections, struct cx_sc_model **out,
      struct cx_error *err)
{
	int rc = 0;
	struct cx_sc_model *m = NULL;
	unsigned char *test = cx_malloc(d->n ? d->n : 1);
	struct cx_sc_char *all = cx_calloc(d->p ? d->p : 1, sizeof *all);
	size_t *sel = cx_calloc(d->p ? d->p : 1, sizeof *sel);
	double *X = NULL, *score = NULL, *beta = NULL;
	unsigned char *ytr = NULL;
	size_t *cols = NULL;
	if (!test || !all || !sel) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	if ((rc = split(d, o->holdout, test, err)) < 0)
		goto out;
	double tg = 0, tb = 0;
	size_t ntr = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!test[i]) {
			ntr++;
			if (d->bad[i])
				tb++;
			else
				tg++;
		}
	if (tg < 1 || tb < 1) {
		rc = cx_error_set(err, CX_EDATA, o->input && strcmp(o->input, "-") ? o->input : "<stdin>", 0,
		                  "training needs both good and bad cases (%.0f good, %.0f bad)", tg, tb);
		goto out;
	}
	size_t min_bin = (size_t)ceil(o->min_bin * (double)ntr);
	if (min_bin < 1)
		min_bin = 1;
	/* bin every column, keep those with IV >= min_iv */
	size_t k = 0;
	for (size_t j = 0; j < d->p; j++) {
		if ((rc = bin_column(d, j, test, min_bin, tg, tb, &all[j], err)) < 0)
			goto out;
		size_t nonmiss = 0;
		for (size_t q = 0; q < all[j].nbins; q++)
			if (all[j].bins[q].kind == CX_SC_RANGE || all[j].bins[q].kind == CX_SC_CATS)
				nonmiss++;
		if (all[j].iv >= o->min_iv && (nonmiss > 1 || all[j].bins[nonmiss].woe != 0) &&
		    !in_list(o->exclude, d->cols[j].name))
			sel[k++] = j;
	}
	if (k == 0) {
		rc = cx_error_set(err, CX_EDATA, NULL, 0,
		                  "no characteristic reaches the minimum information value %.3f",
		                  o->min_iv);
		goto out;
	}
	/* WoE-coded training matrix; refit without negative coefficients */
	X = cx_malloc((ntr ? ntr : 1) * k * sizeof *X);
	ytr = cx_malloc(ntr ? ntr : 1);
	beta = cx_malloc((k + 1) * sizeof *beta);
	if (!X || !ytr || !beta) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	for (;;) {
		size_t r = 0;
		for (size_t i = 0; i < d->n; i++) {
			if (test[i])
				continue;
			for (size_t q = 0; q < k; q++) {
				const struct dcol *c = &d->cols[sel[q]];
				struct cx_sc_value v = { c->x[i], c->s ? c->s[i] : NULL, 0 };
				v.n = v.s ? strlen(v.s) : 0;
				const struct cx_sc_char *ch = &all[sel[q]];
				X[r * k + q] = ch->bins[cx_sc_char_bin(ch, &v)].woe;
			}
			ytr[r++] = d->bad[i];
		}
		/* a characteristic coded exactly like an earlier one adds nothing */
		size_t dup = SIZE_MAX;
		for (size_t q = 1; q < k && dup == SIZE_MAX; q++)
			for (size_t q0 = 0; q0 < q && dup == SIZE_MAX; q0++) {
				size_t i;
				for (i = 0; i < ntr; i++)
					if (X[i * k + q] != X[i * k + q0])
						break;
				if (i == ntr)
					dup = q;
			}
		if (dup != SIZE_MAX) {
			memmove(sel + dup, sel + dup + 1, (k - dup - 1) * sizeof *sel);
			k--;
			continue;
		}
		rc = cx_score_irls(X, ytr, NULL, ntr, k, o->l2, 50, 1e-9, beta, err);
		if (rc < 0)
			goto out;
		size_t worst = SIZE_MAX;
		for (size_t q = 0; q < k; q++)
			if (beta[q + 1] <= 0 && (worst == SIZE_MAX || beta[q + 1] < beta[worst + 1]))
				worst = q;
		if (worst == SIZE_MAX || k == 1)
			break;
		memmove(sel + worst, sel + worst + 1, (k - worst - 1) * sizeof *sel);
		k--;
	}
	rc = 0;
	m = cx_sc_model_new();
	if (!m) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	m->chars = cx_calloc(k, sizeof *m->chars);
	if (!m->chars) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	m->intercept = rnd(beta[0], 1e8);
	for (size_t q = 0; q < k; q++) {
		struct cx_sc_char *ch = &m->chars[m->nchars++];
		*ch = all[sel[q]];
		memset(&all[sel[q]], 0, sizeof all[sel[q]]);
		ch->beta = rnd(beta[q + 1], 1e8);
		ch->iv = rnd(ch->iv, 1e4);
		for (size_t b = 0; b < ch->nbins; b++)
			ch->bins[b].woe = rnd(ch->bins[b].woe, 1e6);
		const struct dcol *c = &d->cols[sel[q]];
		char code[32];
		snprintf(code, sizeof code, "R%02zu", q + 1);
		ch->reason = cx_strdup(c->reason ? c->reason : code);
		if (c->text)
			ch->reason_text = cx_strdup(c->text);
		else {
			size_t l = strlen(c->name) + 16;
			ch->reason_text = cx_malloc(l);
			if (ch->reason_text)
				snprintf(ch->reason_text, l, "value of %s", c->name);
		}
		if (!ch->reason || !ch->reason_text) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto out;
		}
	}
	cx_sc_model_scale(m);
	/* figures */
	cols = cx_malloc(k * sizeof *cols);
	score = cx_malloc((d->n ? d->n : 1) * sizeof *score);
	if (!cols || !score) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	for (size_t q = 0; q < k; q++)
		cols[q] = sel[q];
	if ((rc = score_cases(m, d, cols, score, err)) < 0)
		goto out;
	double auc_tr, ks_tr, auc_te = NAN, ks_te = NAN;
	size_t rows_tr, bads_tr, rows_te = 0, bads_te = 0;
	if ((rc = subset_metrics(score, d->bad, test, d->n, 0, &auc_tr, &ks_tr, &rows_tr, &bads_tr, err)) < 0)
		goto out;
	if (o->holdout > 0 &&
	    (rc = subset_metrics(score, d->bad, test, d->n, 1, &auc_te, &ks_te, &rows_te, &bads_te, err)) < 0)
		goto out;
	/* training score distribution: deciles */
	{
		double *s = cx_malloc(rows_tr * sizeof *s);
		if (!s) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto out;
		}
		size_t q = 0;
		for (size_t i = 0; i < d->n; i++)
			if (!test[i])
				s[q++] = score[i];
		cx_score_sort_doubles(s, q);
		m->ndist = 0;
		for (int dec = 1; dec < 10; dec++) {
			double e = rnd(s[(size_t)((double)q * dec / 10.0)], 100);
			if (m->ndist == 0 || e > m->dist_hi[m->ndist - 1])
				m->dist_hi[m->ndist++] = e;
		}
		m->dist_hi[m->ndist++] = INFINITY;
		for (size_t b = 0; b < m->ndist; b++) {
			double lo = b ? m->dist_hi[b - 1] : -INFINITY, cnt = 0;
			for (size_t i = 0; i < q; i++)
				if (s[i] > lo && s[i] <= m->dist_hi[b])
					cnt++;
			m->dist_share[b] = rnd(cnt / (double)q, 1e4);
		}
		cx_free(s);
	}
	char buf[256];
	if ((rc = cx_sc_model_set_meta(m, "features", collections ? "collections" : "table")) < 0)
		goto nomem;
	if (o->label_payments) {
		snprintf(buf, sizeof buf,
		         "bad = paid less than the past due within %ld days after as_of", o->label_days);
		if ((rc = cx_sc_model_set_meta(m, "target", buf)) < 0)
			goto nomem;
	} else {
		if ((rc = cx_sc_model_set_meta(m, "target", o->target)) < 0 ||
		    (rc = cx_sc_model_set_meta(m, "bad_value", o->bad_value ? o->bad_value : "1")) < 0)
			goto nomem;
	}
	if (o->has_as_of) {
		cx_date_format(buf, o->as_of);
		if ((rc = cx_sc_model_set_meta(m, "as_of", buf)) < 0)
			goto nomem;
	}
	snprintf(buf, sizeof buf, "stratified holdout %.2f, seed %llu, by cx_hash64 of the case key",
	         o->holdout, (unsigned long long)o->seed);
	if ((rc = cx_sc_model_set_meta(m, "split", buf)) < 0)
		goto nomem;
	snprintf(buf, sizeof buf, "min_bin %.3f, l2 %g, min_iv %.3f", o->min_bin, o->l2, o->min_iv);
	if ((rc = cx_sc_model_set_meta(m, "training", buf)) < 0 ||
	    (rc = int_meta(m, "rows_train", (long)rows_tr)) < 0 ||
	    (rc = metric_meta(m, "bad_rate_train", (double)bads_tr / (double)rows_tr)) < 0 ||
	    (rc = metric_meta(m, "auc_train", auc_tr)) < 0 ||
	    (rc = metric_meta(m, "ks_train", ks_tr)) < 0)
		goto nomem;
	if (o->holdout > 0 &&
	    ((rc = int_meta(m, "rows_test", (long)rows_te)) < 0 ||
	     (rc = metric_meta(m, "bad_rate_test", rows_te ? (double)bads_te / (double)rows_te : NAN)) < 0 ||
	     (rc = metric_meta(m, "auc_test", auc_te)) < 0 ||
	     (rc = metric_meta(m, "ks_test", ks_te)) < 0 ||
	     (rc = metric_meta(m, "gini_test", 2 * auc_te - 1)) < 0))
		goto nomem;
	if (o->note && (rc = cx_sc_model_set_meta(m, "note", o->note)) < 0)
		goto nomem;
	*out = m;
	m = NULL;
	rc = 0;
	goto out;
nomem:
	rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
out:
	if (all)
		for (size_t j = 0; j < d->p; j++) {
			struct cx_sc_char *c = &all[j];
			for (size_t b = 0; b < c->nbins; b++) {
				for (size_t q = 0; q < c->bins[b].ncats; q++)
					cx_free(c->bins[b].cats[q]);
				cx_free(c->bins[b].cats);
			}
			cx_free(c->bins);
			cx_free(c->name);
		}
	cx_free(all);
	cx_free(sel);
	cx_free(test);
	cx_free(X);
	cx_free(ytr);
	cx_free(beta);
	cx_free(cols);
	cx_free(score);
	cx_sc_model_free(m);
	return rc;
}

/* ---- model loading and mapping ----------------------------------------- */

static struct cx_sc_model *
load_model(const struct cx_score_opts *o, struct cx_error *err)
{
	if (o->model)
		return cx_sc_model_load(o->model, err);
	return cx_sc_model_parse(cx_score_default_model, cx_score_default_model_len,
	                         "<default model>", err);
}

static int
model_is_table(const struct cx_sc_model *m)
{
	const char *f = cx_sc_model_meta(m, "features");
	return f && strcmp(f, "table") == 0;
}

/* Map the model's characteristics to collections feature ids. */
static int
map_features(const struct cx_sc_model *m, const char *name, int *fid, struct cx_error *err)
{
	for (size_t q = 0; q < m->nchars; q++) {
		fid[q] = cx_sf_find(m->chars[q].name);
		if (fid[q] < 0)
			return cx_error_set(err, CX_EDATA, name, 0,
			                    "model characteristic '%s' is not a collections feature "
			                    "(see cx-score(1), FEATURES)", m->chars[q].name);
	}
	return 0;
}

/* ---- scoring ------------------------------------------------------------ */

static const char *const out_cols_coll[] = { CX_COL_SCORE, CX_COL_P_PAY, CX_COL_CAPACITY,
                                             CX_COL_WILLINGNESS, CX_COL_REASONS };
static const char *const out_cols_table[] = { CX_COL_SCORE, CX_COL_P_PAY, CX_COL_REASONS };

struct outcols {
	size_t n;
	const char *const *names;
	int at[5];          /* input column replaced, or -1 when appended */
	int any_replaced;
	char val[5][64];
	size_t len[5];
};

static int
write_header(struct cx_tsv_writer *w, const struct cx_tsv_reader *r, struct outcols *oc)
{
	size_t nc = cx_tsv_ncols(r);
	oc->any_replaced = 0;
	for (size_t k = 0; k < oc->n; k++) {
		oc->at[k] = cx_tsv_col(r, oc->names[k]);
		if (oc->at[k] >= 0)
			oc->any_replaced = 1;
	}
	for (size_t j = 0; j < nc; j++)
		cx_tsv_puts(w, cx_tsv_colname(r, j));
	for (size_t k = 0; k < oc->n; k++)
		if (oc->at[k] < 0)
			cx_tsv_puts(w, oc->names[k]);
	return cx_tsv_end_row(w);
}

static void
format_result(const struct cx_sc_model *m, const struct cx_sc_result *res, struct outcols *oc,
              int coll)
{
	size_t k = 0;
	double s = floor(res->score + 0.5);
	oc->len[k] = fmt_whole(oc->val[k], 64, s == 0 ? 0.0 : s);
	k++;
	oc->len[k] = (size_t)snprintf(oc->val[k], 64, "%.4f", res->p_pay);
	k++;
	if (coll) {
		oc->len[k] = isnan(res->capacity) ? 0 : fmt_whole(oc->val[k], 64, floor(res->capacity + 0.5));
		k++;
		oc->len[k] = isnan(res->willingness) ? 0 : fmt_whole(oc->val[k], 64, floor(res->willingness + 0.5));
		k++;
	}
	size_t l = 0;
	for (size_t q = 0; q < res->nreasons; q++) {
		const char *code = m->chars[res->reasons[q]].reason;
		size_t cl = strlen(code);
		if (l + cl + 2 >= 64)
			break;
		if (q)
			oc->val[k][l++] = ',';
		memcpy(oc->val[k] + l, code, cl);
		l += cl;
	}
	oc->val[k][l] = 0;
	oc->len[k] = l;
}

static int
write_row(struct cx_tsv_writer *w, const struct cx_field *raw, const struct cx_field *fields,
          size_t nc, struct outcols *oc)
{
	if (!oc->any_replaced) {
		cx_tsv_put_raw(w, raw->p, raw->n);
	} else {
		for (size_t j = 0; j < nc; j++) {
			size_t k;
			for (k = 0; k < oc->n; k++)
				if (oc->at[k] == (int)j)
					break;
			if (k < oc->n)
				cx_tsv_put(w, oc->val[k], oc->len[k]);
			else
				cx_tsv_put(w, fields[j].p, fields[j].n);
		}
	}
	for (size_t k = 0; k < oc->n; k++)
		if (oc->at[k] < 0)
			cx_tsv_put(w, oc->val[k], oc->len[k]);
	return cx_tsv_end_row(w);
}

static int
apply_collections(const struct cx_score_opts *o, const struct cx_sc_model *m,
                  struct cx_tsv_writer *w, struct cx_ledger *led, struct cx_error *err)
{
	struct cx_ledger_sum gsum = { 0 };
	struct coll c;
	int rc = coll_open(&c, o, err);
	int fid[256];
	struct cx_sc_value v[256];
	struct outcols oc = { 5, out_cols_coll, { 0 }, 0, { { 0 } }, { 0 } };
	if (rc < 0)
		goto out;
	if (m->nchars > 256) {
		rc = cx_error_set(err, CX_EDATA, NULL, 0, "model has too many characteristics");
		goto out;
	}
	if ((rc = map_features(m, o->model, fid, err)) < 0)
		goto out;
	write_header(w, c.r, &oc);
	const struct cx_tsv_group *g;
	double f[CX_SF_COUNT];
	long customers = 0;
	int ccur = opt_col(c.r, CX_COL_CURRENCY);
	size_t bad = 0;
	while ((rc = cx_tsv_grouper_next(c.gr, &g, err)) > 0) {
		if (led && ((rc = cx_ledger_sum_group(&gsum, g, ccur, c.ac.balance, &bad)) < 0 ||
		            (rc = cx_ledger_add_sum(led, "in", &gsum)) < 0))
			goto bad_money;
		if ((rc = coll_customer(&c, g, f, err)) < 0)
			goto out;
		char cats[256][24];
		for (size_t q = 0; q < m->nchars; q++) {
			v[q].x = f[fid[q]];
			v[q].s = NULL;
			v[q].n = 0;
			if (m->chars[q].type == CX_SC_CAT && !isnan(v[q].x)) {
				fmt_cat(cats[q], sizeof cats[q], v[q].x);
				v[q].s = cats[q];
				v[q].n = strlen(cats[q]);
			}
		}
		struct cx_sc_result res;
		cx_sc_model_apply(m, v, &res);
		format_result(m, &res, &oc, 1);
		for (size_t i = 0; i < g->nrows; i++)
			write_row(w, &g->raw[i], g->rows[i], g->ncols, &oc);
		if (led && (rc = cx_ledger_add_sum(led, "out", &gsum)) < 0)
			goto bad_money;
		customers++;
		if ((rc = cx_tsv_writer_error(w, err)) < 0)
			goto out;
	}
	(void)customers;
	goto out;
bad_money:
	if (rc == CX_EDATA)
		rc = cx_error_set(err, CX_EDATA, cx_tsv_name(c.r), g->lines[bad],
		                  "bad 'currency' or 'balance' for the ledger");
	else
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
out:
	cx_ledger_sum_free(&gsum);
	coll_close(&c);
	return rc;
}

static int
apply_table(const struct cx_score_opts *o, const struct cx_sc_model *m, struct cx_tsv_writer *w,
            struct cx_error *err)
{
	struct cx_tsv_reader *r = cx_tsv_open(o->input, NULL, err);
	struct outcols oc = { 3, out_cols_table, { 0 }, 0, { { 0 } }, { 0 } };
	int *idx = NULL;
	const char **names = NULL;
	struct cx_sc_value *v = NULL;
	int rc;
	if (!r)
		return err->code;
	idx = cx_calloc(m->nchars, sizeof *idx);
	names = cx_calloc(m->nchars, sizeof *names);
	v = cx_calloc(m->nchars, sizeof *v);
	if (!idx || !names || !v) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	for (size_t q = 0; q < m->nchars; q++)
		names[q] = m->chars[q].name;
	if ((rc = cx_tsv_require(r, names, m->nchars, idx, err)) < 0)
		goto out;
	write_header(w, r, &oc);
	while ((rc = cx_tsv_next(r, err)) > 0) {
		const struct cx_field *fl = cx_tsv_fields(r);
		for (size_t q = 0; q < m->nchars; q++) {
			const struct cx_field *fq = &fl[idx[q]];
			if (field_num(fq, &v[q].x) < 0)
				v[q].x = NAN;
			v[q].s = fq->p;
			v[q].n = fq->n;
			if (m->chars[q].type == CX_SC_NUM && isnan(v[q].x) && fq->n) {
				rc = cx_error_set(err, CX_EDATA, cx_tsv_name(r), cx_tsv_line(r),
				                  "column '%s': not a number", names[q]);
				goto out;
			}
		}
		struct cx_sc_result res;
		cx_sc_model_apply(m, v, &res);
		format_result(m, &res, &oc, 0);
		struct cx_field raw = cx_tsv_raw(r);
		write_row(w, &raw, fl, cx_tsv_ncols(r), &oc);
		if ((rc = cx_tsv_writer_error(w, err)) < 0)
			goto out;
	}
out:
	cx_free(idx);
	cx_free(names);
	cx_free(v);
	cx_tsv_close(r);
	return rc;
}

/* ---- evaluation --------------------------------------------------------- */

static int
evaluate(const struct cx_score_opts *o, const struct cx_sc_model *m, struct cx_tsv_writer *w,
         struct cx_error *err)
{
	struct dataset d;
	int rc;
	size_t *cols = cx_calloc(m->nchars, sizeof *cols);
	double *score = NULL;
	memset(&d, 0, sizeof d);
	if (!cols)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (model_is_table(m)) {
		char **names = cx_calloc(m->nchars, sizeof *names);
		if (!names) {
			cx_free(cols);
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		}
		for (size_t q = 0; q < m->nchars; q++) {
			names[q] = m->chars[q].name;
			cols[q] = q;
		}
		rc = load_table(o, names, m->nchars, &d, err);
		cx_free(names);
		if (rc < 0)
			goto out;
		for (size_t q = 0; q < m->nchars; q++)
			if (m->chars[q].type == CX_SC_NUM && d.cols[q].nonnum) {
				rc = cx_error_set(err, CX_EDATA, o->input, 0, "column '%s': not a number",
				                  m->chars[q].name);
				goto out;
			}
	} else {
		int fid[256];
		if (m->nchars > 256) {
			rc = cx_error_set(err, CX_EDATA, NULL, 0, "model has too many characteristics");
			goto out;
		}
		if ((rc = map_features(m, o->model, fid, err)) < 0)
			goto out;
		if ((rc = load_collections(o, &d, err)) < 0)
			goto out;
		for (size_t q = 0; q < m->nchars; q++)
			cols[q] = (size_t)fid[q];
	}
	score = cx_malloc((d.n ? d.n : 1) * sizeof *score);
	if (!score) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto out;
	}
	if ((rc = score_cases(m, &d, cols, score, err)) < 0)
		goto out;
	double auc = cx_score_auc(score, d.bad, d.n), ks = cx_score_ks(score, d.bad, d.n);
	/* bands: the model's training distribution, or deciles of this sample */
	size_t nb = m->ndist;
	double hi[CX_SC_DIST_MAX], exp_share[CX_SC_DIST_MAX];
	if (nb) {
		memcpy(hi, m->dist_hi, nb * sizeof *hi);
		memcpy(exp_share, m->dist_share, nb * sizeof *hi);
	} else {
		hi[0] = INFINITY;
		exp_share[0] = 1;
		nb = 1;
	}
	double rows[CX_SC_DIST_MAX] = { 0 }, bads[CX_SC_DIST_MAX] = { 0 }, pred[CX_SC_DIST_MAX] = { 0 };
	double tot_pred = 0, tot_bad = 0;
	for (size_t i = 0; i < d.n; i++) {
		size_t b = 0;
		while (b + 1 < nb && score[i] > hi[b])
			b++;
		rows[b]++;
		bads[b] += d.bad[i];
		double pb = 1.0 - cx_sc_model_p_pay(m, score[i]);
		pred[b] += pb;
		tot_pred += pb;
		tot_bad += d.bad[i];
	}
	double act_share[CX_SC_DIST_MAX];
	for (size_t b = 0; b < nb; b++)
		act_share[b] = d.n ? rows[b] / (double)d.n : 0;
	double psi = cx_score_psi(exp_share, act_share, nb);
	const char *hdr[] = { "band", "score_lo", "score_hi", "rows", "bads", "bad_rate",
	                      "predicted_bad_rate", "train_share", "share", "psi", "auc", "ks",
	                      "gini" };
	cx_tsv_put_row(w, hdr, 13);
	char buf[64];
#define PUTF(fmt, v) do { snprintf(buf, sizeof buf, fmt, v); cx_tsv_puts(w, buf); } while (0)
#define PUTR(v) do { if (isnan(v)) cx_tsv_puts(w, ""); else PUTF("%.4f", (v) == 0 ? 0.0 : (v)); } while (0)
	for (size_t b = 0; b < nb; b++) {
		double lo = b ? hi[b - 1] : -INFINITY;
		PUTF("%zu", b + 1);
		if (isinf(lo))
			cx_tsv_puts(w, "-inf");
		else
			PUTF("%.2f", lo);
		if (isinf(hi[b]))
			cx_tsv_puts(w, "inf");
		else
			PUTF("%.2f", hi[b]);
		PUTF("%.0f", rows[b]);
		PUTF("%.0f", bads[b]);
		PUTR(rows[b] ? bads[b] / rows[b] : NAN);
		PUTR(rows[b] ? pred[b] / rows[b] : NAN);
		PUTR(exp_share[b]);
		PUTR(act_share[b]);
		double e = exp_share[b] < 1e-4 ? 1e-4 : exp_share[b];
		double a = act_share[b] < 1e-4 ? 1e-4 : act_share[b];
		PUTR((a - e) * log(a / e));
		cx_tsv_puts(w, "");
		cx_tsv_puts(w, "");
		cx_tsv_puts(w, "");
		cx_tsv_end_row(w);
	}
	cx_tsv_puts(w, "all");
	cx_tsv_puts(w, "-inf");
	cx_tsv_puts(w, "inf");
	PUTF("%zu", d.n);
	PUTF("%.0f", tot_bad);
	PUTR(d.n ? tot_bad / (double)d.n : NAN);
	PUTR(d.n ? tot_pred / (double)d.n : NAN);
	PUTR(1.0);
	PUTR(d.n ? 1.0 : 0.0);
	PUTR(psi);
	PUTR(auc);
	PUTR(ks);
	PUTR(2 * auc - 1);
	cx_tsv_end_row(w);
#undef PUTF
#undef PUTR
	rc = cx_tsv_writer_error(w, err);
out:
	cx_free(cols);
	cx_free(score);
	ds_free(&d);
	return rc;
}

/* ---- entry -------------------------------------------------------------- */

int
cx_score_run(const struct cx_score_opts *o, struct cx_error *err)
{
	int rc;
	struct cx_sc_model *m = NULL;
	struct cx_output *out = NULL, *lo = NULL;
	struct cx_ledger *led = NULL;
	struct cx_tsv_writer *w = NULL;
	struct dataset d;
	memset(&d, 0, sizeof d);
	int table = o->features != NULL;

	if (o->mode != CX_SCORE_TRAIN) {
		m = load_model(o, err);
		if (!m)
			return err->code;
		table = model_is_table(m);
	}
	if (!table && !o->has_as_of)
		return cx_sc_model_free(m),
		       cx_error_set(err, CX_EUSAGE, NULL, 0, "'--as-of' is required for collections features");
	if (o->mode != CX_SCORE_APPLY && !o->target && !o->label_payments) {
		cx_sc_model_free(m);
		return cx_error_set(err, CX_EUSAGE, NULL, 0, "'--target' or '--label-from-payments' is required");
	}
	if (table && o->label_payments) {
		cx_sc_model_free(m);
		return cx_error_set(err, CX_EUSAGE, NULL, 0,
		                    "'--label-from-payments' works on the accounts stream, not a table");
	}
	if (o->ledger && (o->mode != CX_SCORE_APPLY || table)) {
		cx_sc_model_free(m);
		return cx_error_set(err, CX_EUSAGE, NULL, 0,
		                    "'--ledger' goes with scoring the accounts stream");
	}
	if (o->shard_n > 1 && (o->mode != CX_SCORE_APPLY || table)) {
		cx_sc_model_free(m);
		return cx_error_set(err, CX_EUSAGE, NULL, 0,
		                    "'--shard' goes with scoring the accounts stream");
	}
	if (o->mode == CX_SCORE_TRAIN) {
		if (table) {
			char **names;
			size_t k;
			if ((rc = split_list(o->features, &names, &k, err)) < 0) {
				free_list(names, k);
				return rc;
			}
			rc = load_table(o, names, k, &d, err);
			free_list(names, k);
		} else {
			rc = load_collections(o, &d, err);
		}
		if (rc < 0)
			goto done;
		if ((rc = train(o, &d, !table, &m, err)) < 0)
			goto done;
	}
	out = cx_output_open(o->output, o->force ? CX_OUT_FORCE : 0, err);
	if (!out) {
		rc = err->code;
		goto done;
	}
	if (o->ledger && (rc = cx_ledger_open_stage(o->ledger, o->force, &led, &lo, err)) < 0)
		goto done;
	if (o->mode == CX_SCORE_TRAIN) {
		rc = cx_sc_model_write(m, out, err);
	} else {
		w = cx_tsv_writer_new(out, err);
		if (!w) {
			rc = err->code;
			goto done;
		}
		if (o->mode == CX_SCORE_EVAL)
			rc = evaluate(o, m, w, err);
		else if (table)
			rc = apply_table(o, m, w, err);
		else
			rc = apply_collections(o, m, w, led, err);
		if (rc >= 0)
			rc = cx_tsv_writer_error(w, err);
		cx_tsv_writer_free(w);
		w = NULL;
	}
	if (rc < 0)
		goto done;
	{
		static const char *const check[] = { "rows", "customers", "balance", NULL };
		rc = cx_ledger_publish(led, check, &out, &lo, err);
	}
done:
	cx_output_abort(out);
	cx_output_abort(lo);
	cx_ledger_free(led);
	ds_free(&d);
	cx_sc_model_free(m);
	return rc < 0 ? rc : 0;
}
