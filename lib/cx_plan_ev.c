/* cx_plan_ev — the event streams of cx-plan, read ahead in a second
 * thread; see cx_plan_ev.h. */
#include <string.h>

#include "cx_ahead.h"
#include "cx_date.h"
#include "cx_err.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_plan_ev.h"
#include "cx_policy.h"
#include "cx_schema.h"
#include "cx_tsv.h"

#define MAX_ROWS_PER_CUSTOMER 100000
#define NCHUNK 4                /* chunks per stream: the read-ahead */
#define CHUNK_GROUPS 1024       /* a chunk ends after this many customers */
#define CHUNK_ROWS 8192         /* ... or this many rows */

struct grp {
	uint32_t koff;    /* key in text */
	uint32_t first;   /* first row */
	uint32_t n;
	int bad;          /* index in errs, -1 none */
};

/* Whole customers of one stream.  Filled by the producer, then owned by the
 * consumer until it moves past the last group. */
struct chunk {
	struct grp *g;
	size_t ng, gcap;
	char *text;
	size_t nt, tcap;
	struct cx_pev_contact *con;
	struct cx_pev_payment *pay;
	size_t nrow, rcap;
	struct cx_field *fields;   /* accounts: nsel per row, p = offset in text until filled */
	long *lines;               /* accounts: input line of each row */
	size_t fcap, lcap;
	struct cx_error *errs;
	size_t nerr, ecap;
	int status;             /* 0 = more chunks follow, 1 = end, <0 = error (err) */
	struct cx_error err;
};

struct stream {
	int kind;
	struct cx_tsv_reader *r;        /* NULL: no such stream */
	struct cx_tsv_grouper *gr;
	int c_key, c_ts, c_ch, c_dir, c_out, c_acct, c_pamt, c_pdate, c_cur, c_date, c_amt;
	int promise;                    /* outcome index of "promise" */
	int sel[CX_PEV_MAX_COLS];       /* accounts: the columns kept */
	size_t nsel;
	struct chunk ck[NCHUNK];
	/* one read-ahead thread per stream: the OS balances them on the cores */
	struct cx_ahead *ahead;
	struct chunk *cur;              /* consumer: the chunk handed out, NULL before */
	size_t pos;                     /* consumer: next group of cur */
	int taken;                      /* consumer: cur->g[pos] was handed out */
	struct cx_pev_group view;
};

struct cx_plan_ev {
	struct stream s[CX_PEV_N];
};

/* ---- producer ------------------------------------------------------------ */

static const char *
fld(const struct cx_tsv_group *g, size_t i, int col, size_t *n)
{
	if (col < 0) {
		*n = 0;
		return "";
	}
	*n = g->rows[i][col].n;
	return g->rows[i][col].p;
}

/* Copy s[0..n) NUL-terminated into the chunk's text; its offset, or -1. */
static long
put_text(struct chunk *k, const char *s, size_t n)
{
	size_t off = k->nt;
	if (k->nt + n + 1 > UINT32_MAX ||
	    cx_grow((void **)&k->text, &k->tcap, k->nt + n + 1, 1) < 0)
		return -1;
	memcpy(k->text + off, s, n);
	k->text[off + n] = '\0';
	k->nt += n + 1;
	return (long)off;
}

/* The group's first bad row: the error the planner reports if it uses the
 * group (reading in its own thread, it would have stopped there). */
static struct cx_error *
bad_row(struct chunk *k, struct grp *gp)
{
	if (cx_grow((void **)&k->errs, &k->ecap, k->nerr + 1, sizeof *k->errs) < 0)
		return NULL;
	gp->bad = (int)k->nerr;
	return &k->errs[k->nerr++];
}

/* Parse row i of g into the chunk; 0, 1 = bad row (error recorded), or
 * CX_ENOMEM. */
static int
parse_contact(struct stream *S, struct chunk *k, struct grp *gp, const struct cx_tsv_group *g,
              size_t i)
{
	struct cx_pev_contact *e = &k->con[k->nrow];
	const char *s, *why = NULL;
	size_t n;
	int off;
	long t;
	memset(e, 0, sizeof *e);
	e->p_amt = -1;
	e->p_date = CX_DAY_NONE;
	s = fld(g, i, S->c_ts, &n);
	if (cx_timestamp_parse(s, n, CX_NO_OFFSET, &e->utc, &off, &why) < 0) {
		struct cx_error *er = bad_row(k, gp);
		if (!er)
			return CX_ENOMEM;
		cx_error_set(er, CX_EDATA, cx_tsv_name(S->r), g->lines[i], "bad 'timestamp': %s",
		             why ? why : "invalid");
		return 1;
	}
	s = fld(g, i, S->c_ch, &n);
	e->ch = (int8_t)cx_channel_index(s, n);
	s = fld(g, i, S->c_dir, &n);
	e->in = n == 2 && !memcmp(s, "in", 2);
	s = fld(g, i, S->c_out, &n);
	e->outcome = (int8_t)(n ? cx_vocab_find(cx_outcome_names, s, n) : -1);
	s = fld(g, i, S->c_acct, &n);
	if ((t = put_text(k, s, n)) < 0)
		return CX_ENOMEM;
	e->acct_off = (uint32_t)t;
	e->acct_len = (uint32_t)n;
	if (e->outcome >= 0 && e->outcome == S->promise) {
		size_t n2, n3;
		const char *a = fld(g, i, S->c_pamt, &n2);
		const char *d = fld(g, i, S->c_pdate, &n3);
		const char *cu = fld(g, i, S->c_cur, &n);
		int ex = n == 3 ? cx_currency_exponent(cu, 3) : -1;
		if (n == 3 && ex >= 0 && n2 && n3 && cx_money_parse(a, n2, ex, &e->p_amt, &why) == 0 &&
		    cx_date_parse_iso(d, n3, &e->p_date, &why) == 0)
			memcpy(e->p_cur, cu, 3);
		else
			e->p_amt = -1;   /* a promise without terms: not tracked */
	}
	return 0;
}

static int
parse_payment(struct stream *S, struct chunk *k, struct grp *gp, const struct cx_tsv_group *g,
              size_t i)
{
	struct cx_pev_payment *p = &k->pay[k->nrow];
	struct cx_error *er;
	const char *s, *why = NULL;
	size_t n;
	int ex;
	memset(p, 0, sizeof *p);
	s = fld(g, i, S->c_cur, &n);
	ex = n == 3 ? cx_currency_exponent(s, 3) : -1;
	if (ex < 0) {
		if (!(er = bad_row(k, gp)))
			return CX_ENOMEM;
		cx_error_set(er, CX_EDATA, cx_tsv_name(S->r), g->lines[i], "bad 'currency'");
		return 1;
	}
	memcpy(p->cur, s, 3);
	s = fld(g, i, S->c_date, &n);
	if (cx_date_parse_iso(s, n, &p->day, &why) < 0) {
		if (!(er = bad_row(k, gp)))
			return CX_ENOMEM;
		cx_error_set(er, CX_EDATA, cx_tsv_name(S->r), g->lines[i], "bad 'date': %s",
		             why ? why : "invalid");
		return 1;
	}
	s = fld(g, i, S->c_amt, &n);
	if (cx_money_parse(s, n, ex, &p->amt, &why) < 0) {
		if (!(er = bad_row(k, gp)))
			return CX_ENOMEM;
		cx_error_set(er, CX_EDATA, cx_tsv_name(S->r), g->lines[i], "bad 'amount': %s",
		             why ? why : "invalid");
		return 1;
	}
	return 0;
}

/* An accounts group: its rows' kept fields, copied (offsets into the
 * text until the chunk is filled). */
static int
copy_accounts(struct stream *S, struct chunk *k, struct grp *gp, const struct cx_tsv_group *g)
{
	size_t i, j, nf = k->nrow * S->nsel;
	if (cx_grow((void **)&k->fields, &k->fcap, nf + g->nrows * S->nsel, sizeof *k->fields) < 0 ||
	    cx_grow((void **)&k->lines, &k->lcap, k->nrow + g->nrows, sizeof *k->lines) < 0)
		return CX_ENOMEM;
	for (i = 0; i < g->nrows; i++) {
		const struct cx_field *row = g->rows[i];
		size_t need = k->nt;
		for (j = 0; j < S->nsel; j++)
			need += row[S->sel[j]].n + 1;
		if (need > UINT32_MAX || cx_grow((void **)&k->text, &k->tcap, need, 1) < 0)
			return CX_ENOMEM;
		for (j = 0; j < S->nsel; j++) {
			const struct cx_field *f = &row[S->sel[j]];
			memcpy(k->text + k->nt, f->p, f->n + 1);   /* with its NUL */
			k->fields[nf].p = (const char *)(uintptr_t)k->nt;
			k->fields[nf++].n = f->n;
			k->nt += f->n + 1;
		}
		k->lines[k->nrow++] = g->lines[i];
		gp->n++;
	}
	return 0;
}

/* Read whole customers into k until it is full, the stream ends or an
 * error (which then ends the chunk: status). */
static void
fill(struct stream *S, struct chunk *k)
{
	const struct cx_tsv_group *g;
	struct grp *gp = NULL;
	size_t i;
	int rc;
	k->ng = k->nt = k->nrow = k->nerr = 0;
	k->status = 0;
	cx_error_clear(&k->err);
	while (k->ng < CHUNK_GROUPS && k->nrow < CHUNK_ROWS) {
		long t;
		gp = NULL;
		if ((rc = cx_tsv_grouper_next(S->gr, &g, &k->err)) <= 0) {
			k->status = rc < 0 ? rc : 1;
			break;
		}
		if (cx_grow((void **)&k->g, &k->gcap, k->ng + 1, sizeof *k->g) < 0 ||
		    (t = put_text(k, g->key, strlen(g->key))) < 0)
			goto oom;
		gp = &k->g[k->ng++];
		gp->koff = (uint32_t)t;
		gp->first = (uint32_t)k->nrow;
		gp->n = 0;
		gp->bad = -1;
		if (S->kind == CX_PEV_ACCOUNTS) {
			if (copy_accounts(S, k, gp, g) < 0)
				goto oom;
			continue;
		}
		if (cx_grow(S->kind == CX_PEV_CONTACTS ? (void **)&k->con : (void **)&k->pay, &k->rcap,
		            k->nrow + g->nrows,
		            S->kind == CX_PEV_CONTACTS ? sizeof *k->con : sizeof *k->pay) < 0)
			goto oom;
		for (i = 0; i < g->nrows; i++) {
			rc = S->kind == CX_PEV_CONTACTS ? parse_contact(S, k, gp, g, i)
			                                : parse_payment(S, k, gp, g, i);
			if (rc < 0)
				goto oom;
			if (rc > 0)
				break;   /* the rows after a bad one are never looked at */
			k->nrow++;
			gp->n++;
		}
	}
	if (0) {
oom:
		/* the customer being read is not handed out half */
		if (gp) {
			k->ng--;
			k->nrow = gp->first;
		}
		k->status = cx_error_set(&k->err, CX_ENOMEM, "", 0, "out of memory");
	}
	if (S->kind == CX_PEV_ACCOUNTS)   /* the text moves no more */
		for (i = 0; i < k->nrow * S->nsel; i++)
			k->fields[i].p = k->text + (uintptr_t)k->fields[i].p;
}

/* cx_ahead's fill: 1 while more chunks follow */
static int
fill_next(void *ctx, void *chunk)
{
	struct chunk *k = chunk;
	fill(ctx, k);
	return k->status == 0;
}

/* ---- consumer ------------------------------------------------------------ */

/* The chunk being read by the consumer, waiting for the next one (or,
 * without a thread, reading it) when there is none. */
static struct chunk *
head_chunk(struct stream *S)
{
	if (!S->cur)
		S->cur = cx_ahead_next(S->ahead);
	return S->cur;
}

/* The next group of S: 1 (*gp, *kp), 0 = end, <0 = error. */
static int
peek(struct stream *S, struct grp **gp, struct chunk **kp, struct cx_error *err)
{
	for (;;) {
		struct chunk *k = head_chunk(S);
		if (S->pos < k->ng) {
			*gp = &k->g[S->pos];
			*kp = k;
			return 1;
		}
		if (k->status > 0)
			return 0;
		if (k->status < 0) {
			*err = k->err;
			return k->status;
		}
		S->cur = NULL;   /* given back at the next cx_ahead_next */
		S->pos = 0;
	}
}

static const struct cx_pev_group *
view(struct stream *S, const struct chunk *k, const struct grp *gp)
{
	S->view.key = k->text + gp->koff;
	S->view.n = gp->n;
	S->view.contacts = S->kind == CX_PEV_CONTACTS ? k->con + gp->first : NULL;
	S->view.payments = S->kind == CX_PEV_PAYMENTS ? k->pay + gp->first : NULL;
	S->view.fields = S->kind == CX_PEV_ACCOUNTS ? k->fields + gp->first * S->nsel : NULL;
	S->view.lines = S->kind == CX_PEV_ACCOUNTS ? k->lines + gp->first : NULL;
	S->view.ncols = S->nsel;
	S->view.text = k->text;
	S->view.bad = gp->bad >= 0 ? &k->errs[gp->bad] : NULL;
	return &S->view;
}

int
cx_plan_ev_find(struct cx_plan_ev *e, int s, const char *key, const struct cx_pev_group **g,
                long *skipped, struct cx_error *err)
{
	struct stream *S = &e->s[s];
	struct grp *gp;
	struct chunk *k;
	int rc, cmp;
	if (!S->r)
		return 0;
	for (;;) {
		if ((rc = peek(S, &gp, &k, err)) <= 0)
			return rc;
		if ((cmp = strcmp(k->text + gp->koff, key)) >= 0)
			break;
		(*skipped)++;
		S->pos++;
	}
	if (cmp > 0)
		return 0;
	*g = view(S, k, gp);
	return 1;
}

int
cx_plan_ev_next(struct cx_plan_ev *e, int s, struct cx_error *err)
{
	struct stream *S = &e->s[s];
	struct grp *gp;
	struct chunk *k;
	int rc;
	S->pos++;
	rc = peek(S, &gp, &k, err);
	return rc < 0 ? rc : 0;
}

int
cx_plan_ev_group(struct cx_plan_ev *e, const struct cx_pev_group **g, struct cx_error *err)
{
	struct stream *S = &e->s[CX_PEV_ACCOUNTS];
	struct grp *gp;
	struct chunk *k;
	int rc;
	if (S->taken)
		S->pos++;
	S->taken = 0;
	if ((rc = peek(S, &gp, &k, err)) <= 0)
		return rc;
	S->taken = 1;
	*g = view(S, k, gp);
	return 1;
}

/* ---- open and close ------------------------------------------------------ */

static void
stream_init(struct stream *S, int kind)
{
	S->kind = kind;
}

/* Reading ahead starts as soon as a stream is open (without a thread,
 * cx_ahead reads each chunk on demand). */
static int
start_ahead(struct stream *S, struct cx_error *err)
{
	void *ck[NCHUNK];
	int j;
	for (j = 0; j < NCHUNK; j++)
		ck[j] = &S->ck[j];
	S->ahead = cx_ahead_new(fill_next, S, ck, NCHUNK, err);
	return S->ahead ? 0 : err->code;
}

static int
open_stream(struct stream *S, int kind, const char *path, struct cx_error *err)
{
	static const char *const creq[] = { "customer_key", "timestamp", "channel", "direction",
	                                    "outcome" };
	static const char *const preq[] = { "customer_key", "date", "amount", "currency" };
	struct grp *gp;
	struct chunk *k;
	int idx[5], rc;
	if (!(S->r = cx_tsv_open(path, NULL, err)))
		return err->code;
	if (kind == CX_PEV_CONTACTS) {
		if ((rc = cx_tsv_require(S->r, creq, 5, idx, err)) < 0)
			return rc;
		S->c_key = idx[0];
		S->c_ts = idx[1];
		S->c_ch = idx[2];
		S->c_dir = idx[3];
		S->c_out = idx[4];
		S->c_acct = cx_tsv_col(S->r, "account_id");
		S->c_pamt = cx_tsv_col(S->r, "promise_amount");
		S->c_pdate = cx_tsv_col(S->r, "promise_date");
		S->c_cur = cx_tsv_col(S->r, "currency");
		S->promise = cx_vocab_find(cx_outcome_names, "promise", 7);
	} else {
		if ((rc = cx_tsv_require(S->r, preq, 4, idx, err)) < 0)
			return rc;
		S->c_key = idx[0];
		S->c_date = idx[1];
		S->c_amt = idx[2];
		S->c_cur = idx[3];
	}
	if (!(S->gr = cx_tsv_grouper_new(S->r, S->c_key, MAX_ROWS_PER_CUSTOMER, err)))
		return err->code;
	cx_tsv_grouper_sorted(S->gr, 1);
	if ((rc = start_ahead(S, err)) < 0)
		return rc;
	/* the first chunk now: an error in the first group stops the run here */
	rc = peek(S, &gp, &k, err);
	return rc < 0 ? rc : 0;
}

struct cx_plan_ev *
cx_plan_ev_open(const char *contacts, const char *payments, struct cx_error *err)
{
	struct cx_plan_ev *e = cx_calloc(1, sizeof *e);
	int i;
	if (!e) {
		cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		return NULL;
	}
	for (i = 0; i < CX_PEV_N; i++)
		stream_init(&e->s[i], i);
	if ((contacts && open_stream(&e->s[CX_PEV_CONTACTS], CX_PEV_CONTACTS, contacts, err) < 0) ||
	    (payments && open_stream(&e->s[CX_PEV_PAYMENTS], CX_PEV_PAYMENTS, payments, err) < 0)) {
		cx_plan_ev_close(e);
		return NULL;
	}
	return e;
}

int
cx_plan_ev_accounts(struct cx_plan_ev *e, struct cx_tsv_reader *r, int key_col, const int *cols,
                    size_t ncols, struct cx_error *err)
{
	struct stream *S = &e->s[CX_PEV_ACCOUNTS];
	if (ncols > CX_PEV_MAX_COLS) {
		cx_tsv_close(r);
		return cx_error_set(err, CX_EINTERNAL, "", 0, "too many columns kept");
	}
	S->r = r;
	memcpy(S->sel, cols, ncols * sizeof *cols);
	S->nsel = ncols;
	if (!(S->gr = cx_tsv_grouper_new(r, key_col, MAX_ROWS_PER_CUSTOMER, err)))
		return err->code;
	cx_tsv_grouper_sorted(S->gr, 1);
	return start_ahead(S, err);
}

void
cx_plan_ev_close(struct cx_plan_ev *e)
{
	int i, j;
	if (!e)
		return;
	for (i = 0; i < CX_PEV_N; i++) {
		struct stream *S = &e->s[i];
		cx_ahead_free(S->ahead);
		for (j = 0; j < NCHUNK; j++) {
			struct chunk *k = &S->ck[j];
			cx_free(k->g);
			cx_free(k->text);
			cx_free(k->con);
			cx_free(k->pay);
			cx_free(k->fields);
			cx_free(k->lines);
			cx_free(k->errs);
		}
		cx_tsv_grouper_free(S->gr);
		cx_tsv_close(S->r);
	}
	cx_free(e);
}
