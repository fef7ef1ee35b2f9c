/* cx_report — accumulation side: streams, merge-join per customer, the
 * cell store, partial files and merging.  Rendering lives in
 * cx_report_render.c.  See cx_report.h and cx-report(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_ahead.h"
#include "cx_date.h"
#include "cx_hash.h"
#include "cx_holiday.h"
#include "cx_io.h"
#include "cx_mask.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_policy.h"
#include "cx_report.h"
#include "cx_report_int.h"
#include "cx_schema.h"
#include "cx_tsv.h"

void cx_report_opts_init(struct cx_report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->as_of = CX_DAY_NONE;
	o->period_days = 30;
	o->by = CX_BY_CURRENCY;
	o->format = CX_RF_TSV;
	o->grace_days = 3;
	o->tolerance_pct = 0;
	o->max_calls_7d = 7;
	o->max_detail = 100;
}

int cx_report_parse_by(const char *s, unsigned *out)
{
	unsigned by = CX_BY_CURRENCY;
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n == 7 && !memcmp(s, "segment", 7))
			by |= CX_BY_SEGMENT;
		else if (n == 7 && !memcmp(s, "product", 7))
			by |= CX_BY_PRODUCT;
		else if (n == 3 && !memcmp(s, "arm", 3))
			by |= CX_BY_ARM;
		else if (n == 8 && !memcmp(s, "currency", 8))
			by |= CX_BY_CURRENCY;
		else if (n != 0)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	*out = by;
	return 0;
}

int cx_report_parse_format(const char *s, enum cx_report_format *out)
{
	static const char *const names[] = { "tsv", "csv", "text", "html" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum cx_report_format)i;
			return 0;
		}
	return -1;
}

long cx_report_bucket_rank(const char *b)
{
	long v = 0;
	if (!strcmp(b, "new"))
		return -2;
	if (!strcmp(b, "current"))
		return 0;
	if (!strcmp(b, "closed"))
		return 1000000001L;
	if (*b < '0' || *b > '9')
		return 1000000000L;
	while (*b >= '0' && *b <= '9' && v < 100000000L)
		v = v * 10 + (*b++ - '0');
	return v;
}

/* Allowed local hours (minutes from midnight, [from, to)) per ISO weekday
 * 1..7; from == to means no contact that day. */
struct hours { int from[8], to[8]; int holidays; };

static const struct hours *hours_of(const char *country)
{
	/* Colombia, Ley 2300 de 2023 art. 3: Mon-Fri 07-19, Sat 08-15, never on
	 * Sundays or public holidays. */
	static const struct hours co = { { 0, 420, 420, 420, 420, 420, 480, 0 },
	                                 { 0, 1140, 1140, 1140, 1140, 1140, 900, 0 }, 1 };
	/* Mexico, CONDUSEF 2014: 07:00-22:00 in the debtor's time zone. */
	static const struct hours mx = { { 0, 420, 420, 420, 420, 420, 420, 420 },
	                                 { 0, 1320, 1320, 1320, 1320, 1320, 1320, 1320 }, 0 };
	/* United States, Reg F 12 CFR 1006.6(b)(1)(i): 08:00-21:00 local; also
	 * the default for any other country. */
	static const struct hours us = { { 0, 480, 480, 480, 480, 480, 480, 480 },
	                                 { 0, 1260, 1260, 1260, 1260, 1260, 1260, 1260 }, 0 };
	if (!strcmp(country, "CO"))
		return &co;
	if (!strcmp(country, "MX"))
		return &mx;
	return &us;
}

int cx_report_outside_hours(const char *country, int64_t local_sec)
{
	const struct hours *h = hours_of(country);
	int64_t day = local_sec >= 0 ? local_sec / 86400 : -((-local_sec + 86399) / 86400);
	int min = (int)((local_sec - day * 86400) / 60);
	int wd = cx_day_weekday((cx_day)day);
	if (h->from[wd] == h->to[wd])
		return 1;
	if (h->holidays && cx_holiday_name(country, (cx_day)day) != NULL)
		return 1;
	return min < h->from[wd] || min >= h->to[wd];
}

/* ---- cell store -------------------------------------------------------- */

void rs_free(struct rstore *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		cx_free(s->cells[i].key);
		cx_free(s->cells[i].note);
	}
	cx_free(s->cells);
	cx_free(s->kbuf);
	cx_strmap_free(s->map);
	memset(s, 0, sizeof *s);
}

/* Build the key (the RS_NF fields joined by RS_SEP) into s->kbuf; returns
 * its length or -1. */
static long rs_key(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
                   const char *d2)
{
	const char *f[RS_NF] = { measure, c->seg, c->prod, c->arm, c->cur, d1, d2 };
	size_t n[RS_NF], len = 0;
	char *p;
	for (int i = 0; i < RS_NF; i++)
		len += (n[i] = strlen(f[i])) + 1;
	if (cx_grow((void **)&s->kbuf, &s->kcap, len, 1) < 0) {
		s->oom = 1;
		return -1;
	}
	p = s->kbuf;
	for (int i = 0; i < RS_NF; i++) {
		memcpy(p, f[i], n[i]);
		p += n[i];
		*p++ = RS_SEP;
	}
	p[-1] = '\0';   /* no separator after the last field */
	return (long)(len - 1);
}

/* A key short enough for the memo, built into buf (RS_MEMO_KEY bytes,
 * zero-padded to whole words) with a byte loop instead of fourteen calls:
 * its length, or -1 when it is longer than the memo keeps. */
#define RS_MEMO_KEY 56
static long rs_key_short(char *buf, const char *const *f)
{
	size_t o = 0;
	for (int i = 0; i < RS_NF; i++) {
		for (const char *p = f[i]; *p; p++) {
			if (o == RS_MEMO_KEY)
				return -1;
			buf[o++] = *p;
		}
		if (o == RS_MEMO_KEY)
			return -1;
		buf[o++] = RS_SEP;
	}
	o--;   /* no separator after the last field */
	for (size_t z = o; z & 7; z++)   /* the last word read by rs_memo_slot */
		buf[z] = 0;
	return (long)o;
}

/* Slot of a short key in the memo: a multiply-add over its words. */
static size_t rs_memo_slot(const char *buf, size_t len)
{
	uint64_t h = len, w;
	for (size_t i = 0; i < len; i += 8) {
		memcpy(&w, buf + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	return (size_t)(h >> 40) & (RS_MEMO - 1);
}

int rs_add(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2, cx_i128 delta, const char *note)
{
	const char *f[RS_NF] = { measure, c->seg, c->prod, c->arm, c->cur, d1 ? d1 : "", d2 ? d2 : "" };
	char kb[RS_MEMO_KEY];
	long len = rs_key_short(kb, f);
	const char *key = kb;
	int inserted = 0;
	uint64_t *slot, cell;
	size_t h = 0;
	if (len > 0) {
		h = rs_memo_slot(kb, (size_t)len);
		if (s->memo[h].len == (uint64_t)len && memcmp(s->memo[h].key, kb, (size_t)len) == 0) {
			cell = s->memo[h].cell;
			slot = &cell;
			goto add;
		}
	} else if (len < 0) {
		len = rs_key(s, measure, c, f[5], f[6]);
		if (len < 0)
			return CX_ENOMEM;
		key = s->kbuf;
	}
	if (!s->map && !(s->map = cx_strmap_new(1024)))
		return CX_ENOMEM;
	slot = cx_strmap_get(s->map, key, (size_t)len, 1, s->n, &inserted);
	if (!slot)
		return CX_ENOMEM;
	if (inserted) {
		if (cx_grow((void **)&s->cells, &s->cap, s->n + 1, sizeof *s->cells) < 0)
			return CX_ENOMEM;
		s->cells[s->n].key = cx_strndup(key, (size_t)len);
		s->cells[s->n].v = 0;
		s->cells[s->n].note = NULL;
		if (!s->cells[s->n].key)
			return CX_ENOMEM;
		s->n++;
	}
	if (key == kb && len > 0 && *slot <= UINT32_MAX) {
		s->memo[h].len = (uint32_t)len;
		s->memo[h].cell = (uint32_t)*slot;
		memcpy(s->memo[h].key, kb, (size_t)len);
	}
add:
	s->cells[*slot].v += delta;
	if (note && !s->cells[*slot].note && !(s->cells[*slot].note = cx_strdup(note)))
		return CX_ENOMEM;
	return 0;
}

cx_i128 rs_get(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
               const char *d2)
{
	long len = rs_key(s, measure, c, d1 ? d1 : "", d2 ? d2 : "");
	uint64_t *slot;
	if (len < 0 || !s->map)
		return 0;
	slot = cx_strmap_get(s->map, s->kbuf, (size_t)len, 0, 0, NULL);
	return slot ? s->cells[*slot].v : 0;
}

int rs_has(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2)
{
	long len = rs_key(s, measure, c, d1 ? d1 : "", d2 ? d2 : "");
	if (len < 0 || !s->map)
		return 0;
	return cx_strmap_get(s->map, s->kbuf, (size_t)len, 0, 0, NULL) != NULL;
}

/* ---- input streams ----------------------------------------------------- */

struct ev_ahead;
struct run;
struct src;
static int ea_next(struct src *s, struct cx_error *err);
static int ea_start(struct src *s, const struct run *R, int payments, struct cx_error *err);

struct src {
	const char *path;
	struct cx_tsv_reader *r;
	struct cx_tsv_grouper *gr;
	const struct cx_tsv_group *g;   /* current group, NULL at end */
	int col[32];
	struct ev_ahead *ah;            /* statements: read ahead (g has only the key) */
};

static void ea_stop(struct src *s);

static void src_close(struct src *s)
{
	ea_stop(s);   /* its thread reads s */
	cx_tsv_grouper_free(s->gr);
	cx_tsv_close(s->r);
	s->gr = NULL;
	s->r = NULL;
}

static int src_next(struct src *s, struct cx_error *err)
{
	if (s->ah)
		return ea_next(s, err);
	int rc = cx_tsv_grouper_next(s->gr, &s->g, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		s->g = NULL;
	return 0;
}

/* Open and look up columns: names[i] with required[i]; optional columns
 * get -1 when absent.  With ahead (statements, or payments when payments is
 * set), the stream is then read ahead in a second thread. */
static int src_open(struct src *s, const char *path, const char *const *names,
                    const int *required, size_t n, const struct cx_report_opts *o,
                    const struct run *ahead, int payments, struct cx_error *err)
{
	s->path = path;
	s->r = cx_tsv_open(path, NULL, err);
	if (!s->r)
		return err->code;
	for (size_t i = 0; i < n; i++) {
		s->col[i] = cx_tsv_col(s->r, names[i]);
		if (s->col[i] < 0 && required[i]) {
			const char *req[32];
			int idx[32];
			size_t k = 0;
			for (size_t j = 0; j < n; j++)
				if (required[j])
					req[k++] = names[j];
			return cx_tsv_require(s->r, req, k, idx, err);
		}
	}
	cx_tsv_shard(s->r, s->col[0], o->shard_k, o->shard_n);
	s->gr = cx_tsv_grouper_new(s->r, s->col[0], 0, err);
	if (!s->gr)
		return err->code;
	int rc;
	if (ahead && (rc = ea_start(s, ahead, payments, err)) < 0)
		return rc;
	return src_next(s, err);
}

static const char *fld(const struct cx_field *row, int col)
{
	return col >= 0 ? row[col].p : "";
}

/* accounts columns */
enum { A_CUST, A_ID, A_SRC, A_PROD, A_CUR, A_BAL, A_PD, A_DPD, A_BUCKET, A_FLAGS,
       A_COUNTRY, A_SEG, A_ARM, A_EXP, A_SCORE, A_NAME, A_PHONE, A_CONSENTS, A_N };
static const char *const acc_names[A_N] = { "customer_key", "account_id", "source",
	"product", "currency", "balance", "past_due", "days_past_due", "bucket", "flags",
	"country", "segment", "arm", "experiment", "score", "name", "phone", "consents" };
static const int acc_req[A_N] = { 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

enum { P_CUST, P_ID, P_DATE, P_AMT, P_CUR, P_N };
static const char *const pay_names[P_N] = { "customer_key", "account_id", "date", "amount",
	"currency" };
static const int pay_req[P_N] = { 1, 1, 1, 1, 1 };

enum { C_CUST, C_ID, C_TS, C_CHAN, C_DIR, C_OUT, C_PAMT, C_PDATE, C_CUR, C_N };
static const char *const con_names[C_N] = { "customer_key", "account_id", "timestamp",
	"channel", "direction", "outcome", "promise_amount", "promise_date", "currency" };
static const int con_req[C_N] = { 1, 1, 1, 1, 1, 1, 0, 0, 0 };

enum { S_CUST, S_ID, S_DATE, S_BAL, S_PAID, S_CUR, S_N };
static const char *const stm_names[S_N] = { "customer_key", "account_id", "statement_date",
	"balance", "amount_paid", "currency" };
static const int stm_req[S_N] = { 1, 1, 1, 1, 1, 1 };

struct acc {
	const struct cx_field *row;
	struct cut cut;
	int64_t bal, pd;
	long dpd;
	int match;     /* prev: index in cur, or -1; cur: 1 when matched */
	int delinq;
};

struct pay {
	const char *id, *cur;
	cx_day day;
	int64_t amt;
};

struct run {
	const struct cx_report_opts *o;
	struct rstore *st;
	struct cx_error *err;
	cx_day start, end;
	struct acc *cur, *prev;
	size_t ccap, pcap;
	struct pay *pays;
	size_t paycap, npay;
	int64_t *ring;          /* call timestamps of the current account */
	size_t ringcap;
	long detail_n;
	int detail_closed;
	int have_prev;
	struct cx_policy *pol;   /* --policy, or NULL for the built-in rules */
	struct {                 /* policy rules: day types already asked for (the
	                            profile's holiday test builds a year's list) */
		const struct cx_profile *pr;
		cx_day day;
		int dt;
	} dtc[1024];             /* by profile and day: customers of several
	                            countries alternate */
	struct rp_plan *plan;    /* --plan, sorted by customer_key */
	const struct rp_plan_row *prow;   /* its current row, NULL at end */
	/* contact outcomes as bits of their cx_outcome_names index (every
	 * name tested is in that vocabulary, so a bit test is a strcmp) */
	unsigned ob_promise, ob_complaint, ob_opt_out, ob_rpc, ob_no_connect;
	struct cx_day_cache days;   /* payment and statement dates */
};

/* The outcome bit of a contact's outcome text (0 outside the vocabulary). */
static unsigned outcome_bit(const char *o)
{
	int i = cx_vocab_find(cx_outcome_names, o, strlen(o));
	return i >= 0 && i < 32 ? 1u << i : 0;   /* 14 names today */
}

/* cx_date_parse_iso through a day cache: millions of event dates, a few
 * hundred distinct ones. */
static int iso_day(struct cx_day_cache *days, const struct cx_field *f, cx_day *out,
                   const char **why)
{
	size_t slot;
	if (f->n != 10)
		return cx_date_parse_iso(f->p, f->n, out, why);
	if (cx_day_cache_get(days, f->p, &slot, out))
		return 0;
	if (cx_date_parse_iso(f->p, f->n, out, why) < 0)
		return -1;
	cx_day_cache_put(days, slot, f->p, *out);
	return 0;
}

static int data_err_to(struct cx_error *err, const char *file, long line, const char *what,
                       const char *col)
{
	return cx_error_set(err, CX_EDATA, file, line, "%s in column '%s'", what, col);
}

static int data_err(struct run *R, const char *file, long line, const char *what,
                    const char *col)
{
	return data_err_to(R->err, file, line, what, col);
}

/* Money of row ri of group g in its currency cur (0 when empty). */
static int money_field(struct cx_error *err, const char *path, const struct cx_tsv_group *g,
                       size_t ri, int col, const char *colname, const char *cur, int64_t *out)
{
	const struct cx_field *f = &g->rows[ri][col];
	const char *why = NULL;
	int e;
	if (f->n == 0) {
		*out = 0;
		return 0;
	}
	e = cx_currency_exponent(cur, strlen(cur));
	if (e < 0)
		return data_err_to(err, path, g->lines[ri], "unknown currency", "currency");
	if (cx_money_parse(f->p, f->n, e, out, &why) < 0)
		return data_err_to(err, path, g->lines[ri], why ? why : "bad amount", colname);
	return 0;
}

static int parse_money_field(struct run *R, const struct src *s, size_t ri, int col,
                             const char *colname, const char *cur, int64_t *out)
{
	return money_field(R->err, s->path, s->g, ri, col, colname, cur, out);
}

/* ---- event streams read ahead ------------------------------------------ */

/* The statements stream is the largest input and only one statement in
 * about nine counts (credit sales in the period); the payments stream is
 * the next largest.  A second thread (cx_ahead) per stream reads it, and
 * for each customer keeps what the loop over its group in process_customer
 * took from the rows (the sales of its statements; the date and amount of
 * each payment) and the first error met, exactly as that loop did; the loop
 * now works on the kept records, then raises the error.  Groups come in the
 * reader's order and a stream's end or error after them, so the report and
 * its errors are those of a direct reading. */
#define EA_SLOTS 4
#define EA_GROUPS 512   /* customers per batch */

struct ea_rec {
	size_t id, cur;     /* offsets in strs */
	cx_day day;         /* payments */
	int64_t amt;
};

struct ea_cust {
	size_t key, first, n;   /* key: offset in strs; records [first, first + n) */
	long err;               /* index in errs, or -1 */
};

struct ea_batch {
	char *strs;
	size_t nstrs, capstrs;
	struct ea_rec *recs;
	size_t nrecs, caprecs;
	struct ea_cust *g;
	size_t ng, capg;
	struct cx_error *errs;
	size_t nerrs, caperrs;
	int rc;                 /* after the groups: 1 more, 0 end, <0 error (err) */
	struct cx_error err;
};

struct ev_ahead {
	struct src *s;          /* its reader and grouper belong to the filler */
	/* the records of one customer's group into b, or its first error
	 * (in b->errs); -1 when out of memory */
	int (*group)(struct ev_ahead *a, struct ea_batch *b, const struct cx_tsv_group *g,
	             struct ea_cust *q);
	cx_day start, end;
	struct cx_day_cache days;
	struct ea_batch b[EA_SLOTS];
	struct cx_ahead *q;
	struct ea_batch *cur;   /* the batch in use, NULL before the first */
	size_t pos;             /* next group of cur */
	struct cx_tsv_group view;   /* s->g: the key of the current group */
};

static size_t ea_str(struct ea_batch *b, const char *p)
{
	size_t n = strlen(p) + 1, off = b->nstrs;
	if (cx_grow((void **)&b->strs, &b->capstrs, b->nstrs + n, 1) < 0)
		return SIZE_MAX;
	memcpy(b->strs + off, p, n);
	b->nstrs += n;
	return off;
}

/* The statements of one customer: its sales into b, or its first error. */
static int ea_err(struct ea_batch *b, struct ea_cust *q, const struct cx_error *e)
{
	if (cx_grow((void **)&b->errs, &b->caperrs, b->nerrs + 1, sizeof *b->errs) < 0)
		return -1;
	b->errs[b->nerrs] = *e;
	q->err = (long)b->nerrs++;
	return 0;
}

static struct ea_rec *ea_add(struct ea_batch *b, struct ea_cust *q, const char *id,
                             const char *cur)
{
	if (cx_grow((void **)&b->recs, &b->caprecs, b->nrecs + 1, sizeof *b->recs) < 0)
		return NULL;
	struct ea_rec *x = &b->recs[b->nrecs];
	if ((x->id = ea_str(b, id)) == SIZE_MAX || (x->cur = ea_str(b, cur)) == SIZE_MAX)
		return NULL;
	b->nrecs++;
	q->n++;
	return x;
}

/* The payments of one customer: date and amount of each (see the
 * payments loop in process_customer). */
static int ea_pay_group(struct ev_ahead *a, struct ea_batch *b, const struct cx_tsv_group *g,
                        struct ea_cust *q)
{
	const struct src *spay = a->s;
	struct cx_error e;
	for (size_t i = 0; i < g->nrows; i++) {
		const struct cx_field *row = g->rows[i];
		const char *why;
		cx_day day;
		int64_t amt;
		if (iso_day(&a->days, &row[spay->col[P_DATE]], &day, &why) < 0) {
			data_err_to(&e, spay->path, g->lines[i], why, "date");
			return ea_err(b, q, &e);
		}
		if (money_field(&e, spay->path, g, i, spay->col[P_AMT], "amount",
		                row[spay->col[P_CUR]].p, &amt) < 0)
			return ea_err(b, q, &e);
		struct ea_rec *x = ea_add(b, q, row[spay->col[P_ID]].p, row[spay->col[P_CUR]].p);
		if (!x)
			return -1;
		x->day = day;
		x->amt = amt;
	}
	return 0;
}

/* The statements of one customer: its sales (see the statements loop in
 * process_customer). */
static int ea_stm_group(struct ev_ahead *a, struct ea_batch *b, const struct cx_tsv_group *g,
                        struct ea_cust *q)
{
	const struct src *sst = a->s;
	struct cx_error e;
	for (size_t i = 0; i < g->nrows; i++) {
		const struct cx_field *row = g->rows[i];
		const char *id = row[sst->col[S_ID]].p, *pc = row[sst->col[S_CUR]].p;
		int64_t bal, paid, pbal;
		cx_day d;
		const char *why;
		if (i == 0 || strcmp(g->rows[i - 1][sst->col[S_ID]].p, id))
			continue;   /* first statement of the account: no base */
		if (iso_day(&a->days, &row[sst->col[S_DATE]], &d, &why) < 0) {
			data_err_to(&e, sst->path, g->lines[i], why, "statement_date");
			goto bad;
		}
		if (d < a->start || d > a->end)
			continue;
		if (money_field(&e, sst->path, g, i, sst->col[S_BAL], "balance", pc, &bal) < 0 ||
		    money_field(&e, sst->path, g, i, sst->col[S_PAID], "amount_paid", pc, &paid) < 0 ||
		    money_field(&e, sst->path, g, i - 1, sst->col[S_BAL], "balance", pc, &pbal) < 0)
			goto bad;
		if (bal - pbal + paid <= 0)
			continue;
		struct ea_rec *x = ea_add(b, q, id, pc);
		if (!x)
			return -1;
		x->amt = bal - pbal + paid;
	}
	return 0;
bad:
	return ea_err(b, q, &e);
}

/* Fill a batch with the next customers (cx_ahead_fill_fn). */
static int ea_fill(void *ctx, void *batch)
{
	struct ev_ahead *a = ctx;
	struct ea_batch *b = batch;
	const struct cx_tsv_group *g;
	b->nstrs = b->nrecs = b->ng = b->nerrs = 0;
	b->rc = 1;
	cx_error_clear(&b->err);
	while (b->ng < EA_GROUPS) {
		int rc = cx_tsv_grouper_next(a->s->gr, &g, &b->err);
		if (rc <= 0) {
			b->rc = rc;
			return 0;
		}
		if (cx_grow((void **)&b->g, &b->capg, b->ng + 1, sizeof *b->g) < 0)
			goto oom;
		struct ea_cust *q = &b->g[b->ng];
		if ((q->key = ea_str(b, g->key)) == SIZE_MAX)
			goto oom;
		q->first = b->nrecs;
		q->n = 0;
		q->err = -1;
		if (a->group(a, b, g, q) < 0)
			goto oom;
		b->ng++;
	}
	return 1;
oom:
	b->rc = cx_error_set(&b->err, CX_ENOMEM, NULL, 0, "out of memory");
	return 0;
}

/* src_next of the statements read ahead: s->g is a view with the key. */
static int ea_next(struct src *s, struct cx_error *err)
{
	struct ev_ahead *a = s->ah;
	for (;;) {
		struct ea_batch *b = a->cur;
		if (b && a->pos < b->ng) {
			a->view.key = b->strs + b->g[a->pos++].key;
			s->g = &a->view;
			return 0;
		}
		if (b && b->rc <= 0) {
			s->g = NULL;
			if (b->rc < 0) {
				*err = b->err;
				return b->rc;
			}
			return 0;
		}
		a->cur = cx_ahead_next(a->q);
		a->pos = 0;
		if (!a->cur)   /* cannot happen: the last batch has rc <= 0 */
			return cx_error_set(err, CX_EINTERNAL, NULL, 0, "statements read past their end");
	}
}

/* The current customer's group of the statements read ahead. */
static const struct ea_cust *ea_group(const struct src *s, const struct ea_batch **b)
{
	*b = s->ah->cur;
	return &(*b)->g[s->ah->pos - 1];
}

/* Read the opened statements stream s ahead from here on. */
static int ea_start(struct src *s, const struct run *R, int payments, struct cx_error *err)
{
	struct ev_ahead *a = cx_calloc(1, sizeof *a);
	void *bs[EA_SLOTS];
	if (!a)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	a->s = s;
	a->group = payments ? ea_pay_group : ea_stm_group;
	a->start = R->start;
	a->end = R->end;
	for (int k = 0; k < EA_SLOTS; k++)
		bs[k] = &a->b[k];
	s->ah = a;   /* freed by ea_stop whatever happens next */
	if (!(a->q = cx_ahead_new(ea_fill, a, bs, EA_SLOTS, err)))
		return err->code;
	return 0;
}

static void ea_stop(struct src *s)
{
	struct ev_ahead *a = s->ah;
	if (!a)
		return;
	cx_ahead_free(a->q);   /* stops the filler first */
	for (int k = 0; k < EA_SLOTS; k++) {
		cx_free(a->b[k].strs);
		cx_free(a->b[k].recs);
		cx_free(a->b[k].g);
		cx_free(a->b[k].errs);
	}
	cx_free(a);
	s->ah = NULL;
}

static int load_accounts(struct run *R, const struct src *s, struct acc **arr, size_t *cap,
                         size_t *n)
{
	const struct cx_report_opts *o = R->o;
	*n = 0;
	if (!s->g)
		return 0;
	if (cx_grow((void **)arr, cap, s->g->nrows, sizeof **arr) < 0)
		return cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < s->g->nrows; i++) {
		const struct cx_field *row = s->g->rows[i];
		struct acc *a = &(*arr)[i];
		char *end;
		memset(a, 0, sizeof *a);
		a->row = row;
		a->match = -1;
		a->cut.seg = (o->by & CX_BY_SEGMENT) ? fld(row, s->col[A_SEG]) : "";
		a->cut.prod = (o->by & CX_BY_PRODUCT) ? fld(row, s->col[A_PROD]) : "";
		a->cut.arm = (o->by & CX_BY_ARM) ? fld(row, s->col[A_ARM]) : "";
		a->cut.cur = fld(row, s->col[A_CUR]);
		if (parse_money_field(R, s, i, s->col[A_BAL], "balance", a->cut.cur, &a->bal) < 0 ||
		    parse_money_field(R, s, i, s->col[A_PD], "past_due", a->cut.cur, &a->pd) < 0)
			return R->err->code;
		a->dpd = strtol(row[s->col[A_DPD]].p, &end, 10);
		if (row[s->col[A_DPD]].n == 0 || *end != '\0')
			return data_err(R, s->path, s->g->lines[i], "bad integer", "days_past_due");
		a->delinq = a->dpd > 0;
		*n = i + 1;
	}
	return 0;
}

static const char *const hold_flags[] = { "dispute", "bankruptcy", "deceased", "cease" };

static int score_band(const char *s, char *buf, size_t bufsz)
{
	char *end;
	double v;
	long b;
	if (!*s)
		return -1;
	v = strtod(s, &end);
	if (*end)
		return -1;
	/* 50-point bands from 450 to 750, open at both ends */
	if (v < 450) {
		snprintf(buf, bufsz, "<450");
		return 0;
	}
	if (v >= 750) {
		snprintf(buf, bufsz, "750+");
		return 0;
	}
	b = (long)(v / 50) * 50;
	snprintf(buf, bufsz, "%ld-%ld", b, b + 49);
	return 0;
}

static int same_cut(const struct cut *a, const struct cut *b)
{
	return !strcmp(a->seg, b->seg) && !strcmp(a->prod, b->prod) && !strcmp(a->arm, b->arm) &&
	       !strcmp(a->cur, b->cur);
}

/* A --plan-only run keeps the plan's statistics only (pl_*): the others
 * are not even added. */
#define ADD(m, c, d1, d2, v) \
	do { \
		if ((!R->o->plan_only || !strncmp((m), "pl_", 3)) && \
		    rs_add(R->st, (m), (c), (d1), (d2), (v), NULL) < 0) \
			goto oom; \
	} while (0)

static const struct cut *acc_cut_by_id(struct run *R, size_t ncur, size_t nprev,
                                       int cur_id_col, int prev_id_col, const char *id,
                                       struct acc **which)
{
	*which = NULL;
	if (!*id)
		return NULL;
	/* the first byte inline: most ids tried are another account's */
	for (size_t i = 0; i < ncur; i++) {
		const char *a = fld(R->cur[i].row, cur_id_col);
		if (a[0] == id[0] && !strcmp(a, id)) {
			*which = &R->cur[i];
			return &R->cur[i].cut;
		}
	}
	for (size_t i = 0; i < nprev; i++) {
		const char *a = fld(R->prev[i].row, prev_id_col);
		if (a[0] == id[0] && !strcmp(a, id)) {
			*which = &R->prev[i];
			return &R->prev[i].cut;
		}
	}
	return NULL;
}

/* The right-party-contact outcomes, as outcome bits. */
static unsigned rpc_bits(void)
{
	static const char *const rpc[] = { "right_party", "promise", "refused", "dispute",
		"complaint", "opt_out", "paid" };
	unsigned m = 0;
	for (size_t i = 0; i < sizeof rpc / sizeof rpc[0]; i++)
		m |= outcome_bit(rpc[i]);
	return m;
}

/* Count a violation and list it (masked) while the detail list is open.
 * plan: a planned contact of --plan (its own measures), not the history. */
static int violation(struct run *R, const struct cut *c, const char *key, const char *id,
                     const char *ts, const char *rule, const char *chan,
                     const struct cx_field *crow, const struct src *csrc, int plan)
{
	char note[512], nm[128], ph[64], d2[256];
	const char *name = crow ? fld(crow, csrc->col[A_NAME]) : "";
	const char *phone = crow ? fld(crow, csrc->col[A_PHONE]) : "";
	/* --plan-only: the history's violations are the other partials'; the
	 * plan's detail list closes on its own count (the merge keeps the
	 * first --max-detail of all the lists, which hold them) */
	if (R->o->plan_only && !plan)
		return 0;
	if (rs_add(R->st, plan ? "pviol_n" : "viol_n", c, rule, "", 1, NULL) < 0)
		return CX_ENOMEM;
	if (R->detail_closed)
		return 0;
	if (R->o->unmask) {
		snprintf(nm, sizeof nm, "%s", name);
		snprintf(ph, sizeof ph, "%s", phone);
	} else {
		cx_mask_name(nm, sizeof nm, name, strlen(name));
		cx_mask_phone(ph, sizeof ph, phone, strlen(phone));
	}
	snprintf(note, sizeof note, "channel %s; name %s; phone %s", chan, *nm ? nm : "-",
	         *ph ? ph : "-");
	snprintf(d2, sizeof d2, "%s %s %s", id, ts, rule);
	if (rs_add(R->st, plan ? "pdetail" : "vdetail", c, key, d2, 1, note) < 0)
		return CX_ENOMEM;
	R->detail_n++;
	return 0;
}

struct ocon {
	int64_t utc;
	int off;
	cx_day day;
	int ch;
	size_t row;
};

static int cmp_ocon(const void *a, const void *b)
{
	const struct ocon *x = a, *y = b;
	if (x->utc != y->utc)
		return x->utc < y->utc ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* cx_profile_daytype, remembered per day (contacts cluster in the period) */
static int daytype(struct run *R, const struct cx_profile *pr, cx_day day)
{
	size_t h = ((size_t)(uint32_t)day * 31 + ((uintptr_t)pr >> 4)) & 1023;
	if (R->dtc[h].pr != pr || R->dtc[h].day != day) {
		R->dtc[h].pr = pr;
		R->dtc[h].day = day;
		R->dtc[h].dt = cx_profile_daytype(pr, day);
	}
	return R->dtc[h].dt;
}

/* Policy mode (--policy): the rules of the cx-plan policy file, profile
 * by the customer's country, checked on the customer's outbound contacts in
 * time order.  Rules: hours, channel, consent, per_day, per_week,
 * call_attempts, after_opt_out (every channel when the profile says
 * opt_out_all), hold.  g is the customer's contact history (or NULL); pl
 * a planned contact of --plan (or NULL), checked at its window_start after
 * every history contact up to that instant.  History contacts are checked
 * as if the plan did not exist, so --plan never changes their figures. */
static int policy_checks(struct run *R, const char *key, const struct src *scon,
                         const struct cx_tsv_group *g, const struct rp_plan_row *pl,
                         size_t ncur, size_t nprev, const struct src *sc, const struct src *sp,
                         const struct cut *prim, const struct cut *plprim,
                         const struct cx_field *crow, const struct src *csrc,
                         const char *country, int held)
{
	const struct cx_profile *pr = cx_policy_profile(R->pol, country, strlen(country));
	size_t nrows = g ? g->nrows : 0;   /* v[].row == nrows: the planned contact */
	struct ocon *v;
	size_t n = 0;
	int64_t optout_any = INT64_MAX, optout_ch[CX_CH_N];
	int rc = 0;
	for (int k = 0; k < CX_CH_N; k++)
		optout_ch[k] = INT64_MAX;
	if (!pr)
		return 0;
	v = cx_calloc(nrows + 1, sizeof *v);
	if (!v)
		return cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < nrows; i++) {
		const struct cx_field *row = g->rows[i];
		struct ocon *o = &v[n];
		const char *why;
		if (cx_timestamp_parse(row[scon->col[C_TS]].p, row[scon->col[C_TS]].n, CX_NO_OFFSET,
		                       &o->utc, &o->off, &why) < 0) {
			rc = data_err(R, scon->path, g->lines[i], why, "timestamp");
			goto done;
		}
		o->ch = cx_vocab_find(cx_channel_names, row[scon->col[C_CHAN]].p,
		                      row[scon->col[C_CHAN]].n);
		if (!strcmp(row[scon->col[C_OUT]].p, "opt_out")) {
			if (o->utc < optout_any)
				optout_any = o->utc;
			if (o->ch >= 0 && o->ch < CX_CH_N && o->utc < optout_ch[o->ch])
				optout_ch[o->ch] = o->utc;
		}
		if (strcmp(row[scon->col[C_DIR]].p, "out"))
			continue;
		o->day = cx_timestamp_day(o->utc, o->off);
		o->row = i;
		n++;
	}
	if (pl) {
		struct ocon *o = &v[n++];
		o->utc = pl->utc;
		o->off = pl->off;
		o->day = cx_timestamp_day(pl->utc, pl->off);
		o->ch = cx_vocab_find(cx_channel_names, pl->channel, strlen(pl->channel));
		o->row = nrows;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_ocon);
	for (size_t i = 0; i < n; i++) {
		const struct ocon *o = &v[i];
		int planned = o->row == nrows;
		const struct cx_field *row = planned ? NULL : g->rows[o->row];
		const char *id = planned ? pl->account : row[scon->col[C_ID]].p;
		const char *chan = planned ? pl->channel : row[scon->col[C_CHAN]].p;
		const char *ts = planned ? pl->window_start : row[scon->col[C_TS]].p;
		const char *rules[8];
		int nr = 0, perday = 0, perweek = 0, calls = 0;
		struct acc *which;
		const struct cut *c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID],
		                                     sp ? sp->col[A_ID] : -1, id, &which);
		const struct cut *c = c0 ? c0 : planned ? plprim : prim;
		unsigned bit = o->ch >= 0 && o->ch < CX_CH_N ? 1u << o->ch : 0;
		if (!planned && (o->day < R->start || o->day > R->end || R->o->plan_only))
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct ocon *q = &v[j];
			if (q->row == nrows)
				continue;   /* the plan is not part of the history */
			if (q->day == o->day)
				perday++;
			if (pr->week_calendar ? (q->day - (cx_day_weekday(q->day) - 1)) ==
			                        (o->day - (cx_day_weekday(o->day) - 1))
			                      : o->utc - q->utc < 7 * 86400)
				perweek++;
			if (o->ch == CX_CH_CALL && q->ch == CX_CH_CALL &&
			    !strcmp(g->rows[q->row][scon->col[C_ID]].p, id) &&
			    o->utc - q->utc < (int64_t)pr->call_attempts_window_days * 86400)
				calls++;
		}
		if (o->ch != CX_CH_LETTER) {
			int dt = daytype(R, pr, o->day);
			int64_t loc = o->utc + (int64_t)o->off * 60;
			int min = (int)((loc - (int64_t)o->day * 86400) / 60);
			const struct cx_window *w = &pr->hours[dt];
			if (w->start < 0 || min < w->start || min >= w->end)
				rules[nr++] = "hours";
		}
		if (bit && !(pr->channels & bit))
			rules[nr++] = "channel";
		if (bit && (pr->consent_required & bit)) {
			const struct cx_field *arow = which ? which->row : crow;
			const struct src *as = which && R->prev && which >= R->prev && which < R->prev + nprev
			                       ? sp : (which ? sc : csrc);
			int ccol = as ? as->col[A_CONSENTS] : -1;
			if (ccol < 0 || !arow || !cx_set_has(arow[ccol].p, arow[ccol].n, chan))
				rules[nr++] = "consent";
		}
		if (pr->max_per_day > 0 && perday >= pr->max_per_day)
			rules[nr++] = "per_day";
		if (pr->max_per_week > 0 && perweek >= pr->max_per_week)
			rules[nr++] = "per_week";
		if (pr->call_attempts_max > 0 && o->ch == CX_CH_CALL && calls >= pr->call_attempts_max)
			rules[nr++] = "call_attempts";
		if ((pr->opt_out_all && o->utc > optout_any) ||
		    (bit && o->utc > optout_ch[o->ch]))
			rules[nr++] = "after_opt_out";
		if (held)
			rules[nr++] = "hold";
		for (int k = 0; k < nr; k++)
			if (violation(R, c, key, id, ts, rules[k], chan, crow, csrc, planned) < 0) {
				rc = cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
				goto done;
			}
	}
done:
	cx_free(v);
	return rc;
}

/* The built-in rules (no --policy) for a planned contact of --plan, as the
 * history loop applies them: hours, hold, after_opt_out, and call_frequency
 * over the history's outbound calls on the same account in the 7 days up to
 * the planned instant. */
static int plan_builtin_checks(struct run *R, const char *key, const struct rp_plan_row *pl,
                               const struct src *scon, const struct cx_tsv_group *g,
                               const struct cut *c, const char *country, int held,
                               const int64_t *optout_ts, const struct cx_field *crow,
                               const struct src *csrc)
{
	const char *rules[4];
	int nr = 0, ch = cx_vocab_find(cx_channel_names, pl->channel, strlen(pl->channel));
	if (strcmp(pl->channel, "letter") &&
	    cx_report_outside_hours(country, pl->utc + (int64_t)pl->off * 60))
		rules[nr++] = "hours";
	if (held)
		rules[nr++] = "hold";
	if (ch >= 0 && ch < 16 && pl->utc > optout_ts[ch])
		rules[nr++] = "after_opt_out";
	if (g && !strcmp(pl->channel, "call")) {
		long calls = 0;
		for (size_t i = 0; i < g->nrows; i++) {
			const struct cx_field *row = g->rows[i];
			int64_t utc;
			int off;
			const char *why;
			if (strcmp(row[scon->col[C_DIR]].p, "out") ||
			    strcmp(row[scon->col[C_CHAN]].p, "call") ||
			    strcmp(row[scon->col[C_ID]].p, pl->account))
				continue;
			if (cx_timestamp_parse(row[scon->col[C_TS]].p, row[scon->col[C_TS]].n,
			                       CX_NO_OFFSET, &utc, &off, &why) < 0)
				return data_err(R, scon->path, g->lines[i], why, "timestamp");
			if (utc <= pl->utc && pl->utc - utc < 7 * 86400)
				calls++;
		}
		if (calls >= R->o->max_calls_7d)
			rules[nr++] = "call_frequency";
	}
	for (int k = 0; k < nr; k++)
		if (violation(R, c, key, pl->account, pl->window_start, rules[k], pl->channel, crow,
		              csrc, 1) < 0)
			return cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
	return 0;
}

/* Cut of a customer's plan row: the customer's (its first account), or, for
 * a customer in neither snapshot, the plan's own segment and arm and the
 * first currency of its balance column. */
static struct cut plan_cut(const struct run *R, const struct rp_plan_row *pl, size_t ncur,
                           size_t nprev, const struct cut *prim)
{
	struct cut pc = *prim;
	if (!ncur && !nprev) {
		pc.seg = (R->o->by & CX_BY_SEGMENT) ? pl->segment : "";
		pc.prod = "";
		pc.arm = (R->o->by & CX_BY_ARM) ? pl->arm : "";
		pc.cur = pl->cur0;
	}
	return pc;
}

/* The plan table's statistics of one plan row (cx-report(1), PLAN). */
static int plan_counts(struct run *R, const struct rp_plan_row *pl, size_t ncur, size_t nprev,
                       const struct cut *pcut)
{
	struct cut pc = *pcut;
	if (!ncur && !nprev)
		ADD("pl_unmatched", &pc, "", "", 1);
	ADD("pl_cust", &pc, "", "", 1);
	ADD("pl_action", &pc, pl->action, "", 1);
	if (pl->planned) {
		ADD("pl_contact", &pc, pl->channel, pl->queue, 1);
	} else {
		const char *fam = rp_block_family(pl->blocked_by);
		ADD("pl_block_cust", &pc, fam, pl->blocked_by, 1);
		ADD("pl_block_acct", &pc, fam, pl->blocked_by, pl->n_accounts);
	}
	/* offers made today: on planned contacts; the cut of the customer's
	 * first account in the offer's currency */
	if (pl->planned && pl->offer_cur[0]) {
		struct cut oc = pc;
		oc.cur = pl->offer_cur;
		for (size_t i = 0; i < ncur; i++)
			if (!strcmp(R->cur[i].cut.cur, pl->offer_cur)) {
				oc = R->cur[i].cut;
				break;
			}
		ADD("pl_offer_n", &oc, pl->offer_type, "", 1);
		ADD("pl_offer_amt", &oc, pl->offer_type, "", pl->offer_amt);
		if (!strcmp(pl->offer_type, "plan")) {
			ADD("pl_inst_amt", &oc, "plan", "", pl->inst_amt);
			ADD("pl_inst_n", &oc, "plan", "", pl->instalments);
		} else {
			ADD("pl_disc_amt", &oc, "settlement", "", (cx_i128)pl->offer_bal - pl->offer_amt);
		}
	}
	return 0;
oom:
	return cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
}

static int process_customer(struct run *R, const char *key, struct src *sc, struct src *sp,
                            struct src *spay, struct src *scon, struct src *sst,
                            const struct rp_plan_row *pl)
{
	const struct cx_report_opts *o = R->o;
	struct rstore *st = R->st;
	size_t ncur = 0, nprev = 0;
	struct cut prim = { "", "", "", "" };
	const struct cx_field *crow = NULL;   /* first row describing the customer */
	const struct src *csrc = NULL;
	int dq = 0, cured = 0, held = 0;
	int64_t out_contacts = 0, complaints = 0;
	int64_t recovered = 0;
	const char *country = "";
	char band[32];
	const struct cx_tsv_group *hist = scon && scon->g && !strcmp(scon->g->key, key)
	                                  ? scon->g : NULL;
	int64_t optout_ts[16];   /* built-in rules: earliest opt-out per channel */
	int rc2;
	struct cut pcut = prim;  /* cut of the customer's plan row */

	(void)st;
	if (sc->g && !strcmp(sc->g->key, key) &&
	    load_accounts(R, sc, &R->cur, &R->ccap, &ncur) < 0)
		return R->err->code;
	if (sp && sp->g && !strcmp(sp->g->key, key) &&
	    load_accounts(R, sp, &R->prev, &R->pcap, &nprev) < 0)
		return R->err->code;
	if (ncur) {
		prim = R->cur[0].cut;
		crow = R->cur[0].row;
		csrc = sc;
	} else if (nprev) {
		prim = R->prev[0].cut;
		crow = R->prev[0].row;
		csrc = sp;
	}
	if (crow) {
		country = fld(crow, csrc->col[A_COUNTRY]);
		for (size_t i = 0; i < (ncur ? ncur : 0); i++)
			for (size_t h = 0; h < 4; h++) {
				const struct cx_field *f = sc->col[A_FLAGS] >= 0
				                          ? &R->cur[i].row[sc->col[A_FLAGS]] : NULL;
				if (f && cx_set_has(f->p, f->n, hold_flags[h]))
					held = 1;
			}
	}

	/* current snapshot: aging, customers */
	for (size_t i = 0; i < ncur; i++) {
		struct acc *a = &R->cur[i];
		const char *b = fld(a->row, sc->col[A_BUCKET]);
		int seen = 0;
		ADD("acct_n", &a->cut, b, "", 1);
		ADD("acct_bal", &a->cut, b, "", a->bal);
		ADD("acct_pd", &a->cut, b, "", a->pd);
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_cut(&R->cur[j].cut, &a->cut);
		if (!seen)
			ADD("cust_n", &a->cut, "", "", 1);
	}
	/* previous snapshot, roll rates, recovery base */
	for (size_t i = 0; i < nprev; i++) {
		struct acc *p = &R->prev[i];
		const char *pid = fld(p->row, sp->col[A_ID]), *psrc = fld(p->row, sp->col[A_SRC]);
		const char *from = fld(p->row, sp->col[A_BUCKET]), *to = "closed";
		const struct cut *c = &p->cut;
		for (size_t j = 0; j < ncur; j++) {
			struct acc *a = &R->cur[j];
			if (a->match < 0 && !strcmp(fld(a->row, sc->col[A_ID]), pid) &&
			    !strcmp(fld(a->row, sc->col[A_SRC]), psrc)) {
				a->match = 1;
				p->match = (int)j;
				c = &a->cut;
				to = fld(a->row, sc->col[A_BUCKET]);
				break;
			}
		}
		p->cut = *c;   /* the account's cut is its current one when it exists */
		ADD("prev_n", c, from, "", 1);
		ADD("prev_bal", c, from, "", p->bal);
		ADD("roll_n", c, from, to, 1);
		ADD("roll_bal", c, from, to, p->bal);
		if (p->delinq) {
			dq = 1;
			ADD("placed_amt", c, "", "", p->pd);
			ADD("placed_n", c, "", "", 1);
		}
	}
	if (R->have_prev)
		for (size_t j = 0; j < ncur; j++)
			if (R->cur[j].match < 0) {
				ADD("roll_n", &R->cur[j].cut, "new", fld(R->cur[j].row, sc->col[A_BUCKET]), 1);
				ADD("roll_bal", &R->cur[j].cut, "new",
				    fld(R->cur[j].row, sc->col[A_BUCKET]), R->cur[j].bal);
			}
	if (dq && ncur) {
		cured = 1;
		for (size_t j = 0; j < ncur; j++)
			if (R->cur[j].delinq)
				cured = 0;
	}
	if (R->have_prev && dq) {
		ADD("dq_cust_n", &prim, "", "", 1);
		if (cured)
			ADD("cure_cust_n", &prim, "", "", 1);
	}

	/* payments */
	R->npay = 0;
	if (spay && spay->g && !strcmp(spay->g->key, key)) {
		/* read ahead (ea): the customer's payments already parsed */
		const struct cx_tsv_group *g = spay->g;
		const struct ea_batch *eb = NULL;
		const struct ea_cust *eq = spay->ah ? ea_group(spay, &eb) : NULL;
		size_t n = eq ? eq->n : g->nrows;
		for (size_t i = 0; i < n; i++) {
			const struct cx_field *row = eq ? NULL : g->rows[i];
			const struct ea_rec *x = eq ? &eb->recs[eq->first + i] : NULL;
			const char *id = x ? eb->strs + x->id : row[spay->col[P_ID]].p;
			const char *pc = x ? eb->strs + x->cur : row[spay->col[P_CUR]].p;
			struct acc *which;
			const struct cut *c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID],
			                                     sp ? sp->col[A_ID] : -1, id, &which);
			struct cut c = c0 ? *c0 : prim;
			struct pay *py;
			const char *why;
			c.cur = pc;
			if (cx_grow((void **)&R->pays, &R->paycap, R->npay + 1, sizeof *R->pays) < 0)
				goto oom;
			py = &R->pays[R->npay];
			py->id = id;
			py->cur = pc;
			if (x) {
				py->day = x->day;
				py->amt = x->amt;
			} else {
				if (iso_day(&R->days, &row[spay->col[P_DATE]], &py->day, &why) < 0)
					return data_err(R, spay->path, g->lines[i], why, "date");
				if (parse_money_field(R, spay, i, spay->col[P_AMT], "amount", pc, &py->amt) < 0)
					return R->err->code;
			}
			R->npay++;
			if (py->day < R->start || py->day > R->end)
				continue;
			ADD("pay_amt", &c, "", "", py->amt);
			ADD("pay_n", &c, "", "", 1);
			if (which && which >= R->prev && which < R->prev + nprev && which->delinq &&
			    !strcmp(which->cut.cur, pc))
				ADD("placed_paid", &c, "", "", py->amt);
			else if (which && which >= R->cur && which < R->cur + ncur) {
				/* the same account may be in prev too */
				for (size_t k = 0; k < nprev; k++)
					if (R->prev[k].match >= 0 && &R->cur[R->prev[k].match] == which &&
					    R->prev[k].delinq && !strcmp(which->cut.cur, pc))
						ADD("placed_paid", &c, "", "", py->amt);
			}
			if (!strcmp(pc, prim.cur))
				recovered += py->amt;
		}
		if (eq && eq->err >= 0) {
			*R->err = eb->errs[eq->err];
			return R->err->code;
		}
	}

	/* statements: credit sales = max(0, balance - previous balance + paid),
	 * computed ahead (st_ahead) */
	if (sst && sst->ah && sst->g && !strcmp(sst->g->key, key)) {
		const struct ea_batch *b;
		const struct ea_cust *q = ea_group(sst, &b);
		for (size_t i = q->first; i < q->first + q->n; i++) {
			const struct ea_rec *x = &b->recs[i];
			struct acc *which;
			const struct cut *c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID],
			                                     sp ? sp->col[A_ID] : -1, b->strs + x->id,
			                                     &which);
			struct cut c = c0 ? *c0 : prim;
			c.cur = b->strs + x->cur;
			ADD("sales_amt", &c, "", "", x->amt);
		}
		if (q->err >= 0) {
			*R->err = b->errs[q->err];
			return R->err->code;
		}
	} else if (sst && sst->g && !strcmp(sst->g->key, key)) {
		const struct cx_tsv_group *g = sst->g;
		for (size_t i = 0; i < g->nrows; i++) {
			const struct cx_field *row = g->rows[i];
			const char *id = row[sst->col[S_ID]].p, *pc = row[sst->col[S_CUR]].p;
			int64_t bal, paid, pbal;
			cx_day d;
			const char *why;
			struct acc *which;
			const struct cut *c0;
			struct cut c;
			if (i == 0 || strcmp(g->rows[i - 1][sst->col[S_ID]].p, id))
				continue;   /* first statement of the account: no base */
			if (iso_day(&R->days, &row[sst->col[S_DATE]], &d, &why) < 0)
				return data_err(R, sst->path, g->lines[i], why, "statement_date");
			if (d < R->start || d > R->end)
				continue;
			if (parse_money_field(R, sst, i, sst->col[S_BAL], "balance", pc, &bal) < 0 ||
			    parse_money_field(R, sst, i, sst->col[S_PAID], "amount_paid", pc, &paid) < 0 ||
			    parse_money_field(R, sst, i - 1, sst->col[S_BAL], "balance", pc, &pbal) < 0)
				return R->err->code;
			c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID], sp ? sp->col[A_ID] : -1, id,
			                   &which);
			c = c0 ? *c0 : prim;
			c.cur = pc;
			if (bal - pbal + paid > 0)
				ADD("sales_amt", &c, "", "", bal - pbal + paid);
		}
	}

	/* contacts */
	for (int k = 0; k < 16; k++)
		optout_ts[k] = INT64_MAX;
	if (hist) {
		const struct cx_tsv_group *g = hist;
		size_t nring = 0;
		const char *ring_acct = NULL;
		/* first pass: earliest opt-out per channel */
		for (size_t i = 0; i < g->nrows; i++) {
			const struct cx_field *row = g->rows[i];
			int64_t utc;
			int off, ch;
			const char *why;
			if (strcmp(row[scon->col[C_OUT]].p, "opt_out"))
				continue;
			if (cx_timestamp_parse(row[scon->col[C_TS]].p, row[scon->col[C_TS]].n,
			                       CX_NO_OFFSET, &utc, &off, &why) < 0)
				return data_err(R, scon->path, g->lines[i], why, "timestamp");
			ch = cx_vocab_find(cx_channel_names, row[scon->col[C_CHAN]].p,
			                   row[scon->col[C_CHAN]].n);
			if (ch >= 0 && ch < 16 && utc < optout_ts[ch])
				optout_ts[ch] = utc;
		}
		if (cx_grow((void **)&R->ring, &R->ringcap, (size_t)o->max_calls_7d + 1,
		            sizeof *R->ring) < 0)
			goto oom;
		/* (a --plan-only run needs the opt-outs above, not this loop) */
		for (size_t i = 0; i < (o->plan_only ? 0 : g->nrows); i++) {
			const struct cx_field *row = g->rows[i];
			const char *id = row[scon->col[C_ID]].p, *chan = row[scon->col[C_CHAN]].p;
			const char *outc = row[scon->col[C_OUT]].p;
			unsigned ob = outcome_bit(outc);
			int out = !strcmp(row[scon->col[C_DIR]].p, "out");
			int64_t utc;
			int off, inper, ch;
			cx_day day;
			const char *why;
			struct acc *which;
			const struct cut *c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID],
			                                     sp ? sp->col[A_ID] : -1, id, &which);
			const struct cut *c = c0 ? c0 : &prim;
			const char *rules[4];
			int nrules = 0;
			if (cx_timestamp_parse(row[scon->col[C_TS]].p, row[scon->col[C_TS]].n,
			                       CX_NO_OFFSET, &utc, &off, &why) < 0)
				return data_err(R, scon->path, g->lines[i], why, "timestamp");
			day = cx_timestamp_day(utc, off);
			inper = day >= R->start && day <= R->end;
			ch = cx_vocab_find(cx_channel_names, chan, strlen(chan));
			/* call-frequency window per account (all calls, any date) */
			if (!R->pol && out && !strcmp(chan, "call")) {
				if (!ring_acct || strcmp(ring_acct, id)) {
					ring_acct = id;
					nring = 0;
				}
				/* drop calls older than 7 days */
				size_t keep = 0;
				for (size_t k = 0; k < nring; k++)
					if (utc - R->ring[k] < 7 * 86400)
						R->ring[keep++] = R->ring[k];
				nring = keep;
				if (nring >= (size_t)o->max_calls_7d) {
					if (inper)
						rules[nrules++] = "call_frequency";
					memmove(R->ring, R->ring + 1, (nring - 1) * sizeof *R->ring);
					nring--;
				}
				R->ring[nring++] = utc;
			}
			/* promise kept */
			if ((ob & R->ob_promise) && scon->col[C_PDATE] >= 0 &&
			    row[scon->col[C_PDATE]].n > 0) {
				cx_day pd;
				int64_t pamt = 0, paid = 0;
				const char *pcur = scon->col[C_CUR] >= 0 && row[scon->col[C_CUR]].n
				                   ? row[scon->col[C_CUR]].p : c->cur;
				if (iso_day(&R->days, &row[scon->col[C_PDATE]], &pd, &why) < 0)
					return data_err(R, scon->path, g->lines[i], why, "promise_date");
				if (scon->col[C_PAMT] >= 0 && *pcur &&
				    parse_money_field(R, scon, i, scon->col[C_PAMT], "promise_amount", pcur,
				                      &pamt) < 0)
					return R->err->code;
				if (pd + o->grace_days >= R->start && pd + o->grace_days <= R->end) {
					struct cut pc = *c;
					pc.cur = pcur;
					for (size_t k = 0; k < R->npay; k++) {
						const struct pay *py = &R->pays[k];
						if ((*id && strcmp(py->id, id)) || strcmp(py->cur, pcur))
							continue;
						if (py->day >= day && py->day <= pd + o->grace_days)
							paid += py->amt;
					}
					ADD("prom_due_n", &pc, "", "", 1);
					if ((cx_i128)paid * 100 >= (cx_i128)pamt * (100 - o->tolerance_pct))
						ADD("prom_kept_n", &pc, "", "", 1);
				}
			}
			if (!inper)
				continue;
			if (ob & R->ob_complaint) {
				ADD("complaint_n", c, "", "", 1);
				complaints++;
			}
			if (ob & R->ob_opt_out)
				ADD("optout_n", c, "", "", 1);
			if (ob & R->ob_promise)
				ADD("ptp_n", c, "", "", 1);
			if (ob & R->ob_rpc)
				ADD("rpc_n", c, "", "", 1);
			if (!out)
				continue;
			out_contacts++;
			ADD("out_n", c, chan, "", 1);
			if (!(ob & R->ob_no_connect))
				ADD("connect_n", c, "", "", 1);
			if (ob & R->ob_rpc)
				ADD("rpc_out_n", c, "", "", 1);
			if (cured)
				ADD("cured_contacts_n", &prim, "", "", 1);
			if (R->pol)
				continue;   /* policy mode: checked in time order below */
			if (strcmp(chan, "letter") &&
			    cx_report_outside_hours(country, utc + (int64_t)off * 60))
				rules[nrules++] = "hours";
			if (held)
				rules[nrules++] = "hold";
			if (ch >= 0 && ch < 16 && utc > optout_ts[ch])
				rules[nrules++] = "after_opt_out";
			for (int k = 0; k < nrules; k++)
				if (violation(R, c, key, id, row[scon->col[C_TS]].p, rules[k], chan, crow,
				              csrc, 0) < 0)
					goto oom;
		}
	}
	/* today's plan */
	if (pl)
		pcut = plan_cut(R, pl, ncur, nprev, &prim);
	if (R->pol && (hist || (pl && pl->planned)) &&
	    (rc2 = policy_checks(R, key, scon, hist, pl && pl->planned ? pl : NULL, ncur, nprev, sc,
	                         sp, &prim, &pcut, crow, csrc, country, held)) < 0)
		return rc2;
	if (pl) {
		if ((rc2 = plan_counts(R, pl, ncur, nprev, &pcut)) < 0)
			return rc2;
		if (pl->planned && !R->pol) {
			struct acc *which;
			const struct cut *c0 = acc_cut_by_id(R, ncur, nprev, sc->col[A_ID],
			                                     sp ? sp->col[A_ID] : -1, pl->account, &which);
			if ((rc2 = plan_builtin_checks(R, key, pl, scon, hist, c0 ? c0 : &pcut, country,
			                               held, optout_ts, crow, csrc)) < 0)
				return rc2;
		}
	}
	if (R->detail_n >= o->max_detail)
		R->detail_closed = 1;

	/* score stability, customer level */
	if (ncur && sc->col[A_SCORE] >= 0 &&
	    score_band(fld(R->cur[0].row, sc->col[A_SCORE]), band, sizeof band) == 0)
		ADD("score_cur", &prim, band, "", 1);
	if (nprev && sp->col[A_SCORE] >= 0 &&
	    score_band(fld(R->prev[0].row, sp->col[A_SCORE]), band, sizeof band) == 0)
		ADD("score_prev", &prim, band, "", 1);

	/* champion/challenger, customer level */
	if (crow && csrc->col[A_EXP] >= 0 && *fld(crow, csrc->col[A_EXP])) {
		struct cut cc = { "", "", fld(crow, csrc->col[A_ARM]), "" };
		const char *exp = fld(crow, csrc->col[A_EXP]);
		struct cut cm = cc;
		cm.cur = prim.cur;
		ADD("cc_cust_n", &cc, exp, "", 1);
		ADD("cc_contacts_sum", &cc, exp, "", out_contacts);
		ADD("cc_contacts_sq", &cc, exp, "", (cx_i128)out_contacts * out_contacts);
		if (complaints)
			ADD("cc_complaint_n", &cc, exp, "", 1);
		if (R->have_prev && dq) {
			ADD("cc_dq_n", &cc, exp, "", 1);
			if (cured)
				ADD("cc_cured_n", &cc, exp, "", 1);
		}
		if (spay) {
			ADD("cc_rec_n", &cm, exp, "", 1);
			ADD("cc_rec_sum", &cm, exp, "", recovered);
			ADD("cc_rec_sq", &cm, exp, "", (cx_i128)recovered * recovered);
		}
	}
	return 0;
oom:
	return cx_error_set(R->err, CX_ENOMEM, NULL, 0, "out of memory");
}

static const char *min_key(const char *a, const char *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return strcmp(a, b) <= 0 ? a : b;
}

static const char *gkey(const struct src *s)
{
	return s && s->g ? s->g->key : NULL;
}

static int advance_if(struct src *s, const char *key, struct cx_error *err)
{
	if (s && s->g && !strcmp(s->g->key, key))
		return src_next(s, err);
	return 0;
}

int rp_accumulate(const struct cx_report_opts *o, struct rstore *st, struct cx_error *err)
{
	struct src sc = { 0 }, sp = { 0 }, spay = { 0 }, scon = { 0 }, sst = { 0 };
	struct run R = { 0 };
	char *key = NULL;
	size_t kcap = 0;
	int rc;
	R.o = o;
	R.st = st;
	R.err = err;
	R.end = o->as_of;
	R.start = o->as_of - o->period_days + 1;
	R.have_prev = o->previous != NULL;
	R.ob_promise = outcome_bit("promise");
	R.ob_complaint = outcome_bit("complaint");
	R.ob_opt_out = outcome_bit("opt_out");
	R.ob_rpc = rpc_bits();
	R.ob_no_connect = outcome_bit("failed") | outcome_bit("no_answer");
	if (o->policy && (rc = cx_policy_load(strcmp(o->policy, "default") ? o->policy : NULL,
	                                      &R.pol, err)) < 0)
		return rc;
	if ((rc = src_open(&sc, o->accounts, acc_names, acc_req, A_N, o, NULL, 0, err)) < 0)
		goto done;
	if (o->previous &&
	    (rc = src_open(&sp, o->previous, acc_names, acc_req, A_N, o, NULL, 0, err)) < 0)
		goto done;
	if (o->payments &&
	    (rc = src_open(&spay, o->payments, pay_names, pay_req, P_N, o, &R, 1, err)) < 0)
		goto done;
	if (o->contacts &&
	    (rc = src_open(&scon, o->contacts, con_names, con_req, C_N, o, NULL, 0, err)) < 0)
		goto done;
	if (o->statements &&
	    (rc = src_open(&sst, o->statements, stm_names, stm_req, S_N, o, &R, 0, err)) < 0)
		goto done;
	if (o->plan && ((rc = rp_plan_open(o->plan, o->shard_k, o->shard_n, &R.plan, err)) < 0 ||
	                (rc = rp_plan_next(R.plan, &R.prow, err)) < 0))
		goto done;
	for (;;) {
		const char *k = min_key(gkey(&sc), gkey(o->previous ? &sp : NULL));
		const struct rp_plan_row *pl;
		k = min_key(k, gkey(o->payments ? &spay : NULL));
		k = min_key(k, gkey(o->contacts ? &scon : NULL));
		k = min_key(k, gkey(o->statements ? &sst : NULL));
		k = min_key(k, R.prow ? R.prow->key : NULL);
		if (!k)
			break;
		/* copy: the group owning k is advanced below */
		if (cx_grow((void **)&key, &kcap, strlen(k) + 1, 1) < 0) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		strcpy(key, k);
		pl = R.prow && !strcmp(R.prow->key, key) ? R.prow : NULL;
		rc = process_customer(&R, key, &sc, o->previous ? &sp : NULL,
		                      o->payments ? &spay : NULL, o->contacts ? &scon : NULL,
		                      o->statements ? &sst : NULL, pl);
		if (rc < 0 || (pl && (rc = rp_plan_next(R.plan, &R.prow, err)) < 0))
			goto done;
		if (o->stats)
			o->stats->customers++;
		if ((rc = advance_if(&sc, key, err)) < 0 ||
		    (o->previous && (rc = advance_if(&sp, key, err)) < 0) ||
		    (o->payments && (rc = advance_if(&spay, key, err)) < 0) ||
		    (o->contacts && (rc = advance_if(&scon, key, err)) < 0) ||
		    (o->statements && (rc = advance_if(&sst, key, err)) < 0))
			goto done;
	}
	rc = 0;
	if (o->previous && rs_add(st, "meta_prev", &(struct cut){ "", "", "", "" }, "", "", 1,
	                          NULL) < 0)
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
done:
	src_close(&sc);
	src_close(&sp);
	src_close(&spay);
	src_close(&scon);
	src_close(&sst);
	cx_free(R.cur);
	cx_free(R.prev);
	cx_free(R.pays);
	cx_free(R.ring);
	cx_free(key);
	cx_policy_free(R.pol);
	rp_plan_free(R.plan);
	return rc;
}
