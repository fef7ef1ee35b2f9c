/* cx_report_plan — the --plan input of cx-report: reads cx-plan's output
 * (ranked, one row per customer), checks every row, and hands the rows back
 * sorted by customer_key so that they merge-join with the other streams.
 * Rows are sorted by cx_sortspill with a fixed memory budget (spilling to
 * TMPDIR beyond it), so memory does not grow with the plan.  See
 * cx_report_int.h and cx-report(1), PLAN. */
#include <stddef.h>
#include <string.h>

#include "cx_date.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_opt.h"
#include "cx_report_int.h"
#include "cx_schema.h"
#include "cx_sortspill.h"
#include "cx_tsv.h"

#define PLAN_SORT_MEM ((size_t)16 << 20)   /* then sorted runs in TMPDIR */

enum { PL_CUST, PL_ACCTS, PL_NACCT, PL_BAL, PL_PD, PL_ACTION, PL_CHAN, PL_WSTART, PL_OTYPE,
       PL_NINST, PL_INST, PL_SETTLE, PL_BLOCK, PL_SEG, PL_ARM, PL_QUEUE, PL_NCOLS };
static const char *const plan_names[PL_NCOLS] = { "customer_key", "accounts", "n_accounts",
	"balance", "past_due", "action", "channel", "window_start", "offer_type", "instalments",
	"instalment_amount", "settlement_amount", "blocked_by", "segment", "arm", "queue" };
#define PL_NREQ PL_SEG   /* the columns before PL_SEG are required */

/* strings of a record, in this order after the header */
enum { RS_KEY, RS_ACCT, RS_SEG, RS_ARM, RS_ACTION, RS_CHAN, RS_QUEUE, RS_BLOCK, RS_OTYPE,
       RS_WSTART, RS_NSTR };

struct prec {
	int64_t offer_amt, inst_amt, offer_bal, utc;
	long instalments, n_accounts, line;
	int32_t off, planned;
	char offer_cur[4], cur0[4];
	uint32_t len[RS_NSTR];
};

struct rp_plan {
	char *path;
	struct cx_sortspill *sort;
	char *buf;              /* aligned copy of the current record */
	size_t bufcap;
	char *prev_key;         /* key of the previous row, for duplicates */
	size_t prevcap;
	long prev_line;
	struct rp_plan_row row;
};

static const char *const actions[] = { "contact", "follow_up", "courtesy_reminder", "none",
	NULL };

static int cmp_prec(const void *a, size_t an, const void *b, size_t bn, void *ctx)
{
	long x, y;
	int r = strcmp((const char *)a + sizeof(struct prec), (const char *)b + sizeof(struct prec));
	(void)an;
	(void)bn;
	(void)ctx;
	if (r)
		return r;
	/* records may be unaligned */
	memcpy(&x, (const char *)a + offsetof(struct prec, line), sizeof x);
	memcpy(&y, (const char *)b + offsetof(struct prec, line), sizeof y);
	return x < y ? -1 : x > y;
}

/* Sort key prefix: the first 8 bytes of customer_key, big-endian, zero
 * padded, so that a smaller prefix means a smaller key in strcmp order. */
static uint64_t key_prec(const void *rec, size_t n, void *ctx)
{
	const unsigned char *k = (const unsigned char *)rec + sizeof(struct prec);
	uint64_t v = 0;
	(void)n;
	(void)ctx;
	for (int i = 0; i < 8; i++) {
		v <<= 8;
		if (*k)
			v |= *k++;
	}
	return v;
}

/* Find `cur` in a "CUR:amount,CUR:amount" list; *found tells whether it is
 * there.  The whole list is checked.  The first currency goes to first. */
static int cur_list(const char *s, size_t n, const char *cur, int64_t *amt, int *found,
                    char first[4], const char **why)
{
	size_t i = 0;
	*found = 0;
	first[0] = '\0';
	while (i < n) {
		size_t k = i;
		char c[4];
		int64_t v;
		while (k < n && s[k] != ',')
			k++;
		if (cx_money_parse_tagged(s + i, k - i, c, &v, why) < 0)
			return -1;
		if (!first[0])
			memcpy(first, c, 4);
		if (cur && !strcmp(c, cur)) {
			*amt = v;
			*found = 1;
		}
		i = k + 1;
	}
	return 0;
}

static int row_err(struct cx_error *err, const struct cx_tsv_reader *r, const char *what,
                   const char *col)
{
	return cx_error_set(err, CX_EDATA, cx_tsv_name(r), cx_tsv_line(r), "%s in column '%s'",
	                    what, col);
}

/* Check one row and build its record in *rec (grown as needed). */
static int pack_row(struct cx_tsv_reader *r, const int *col, char **rec, size_t *cap,
                    size_t *len, struct cx_error *err)
{
	const struct cx_field *f = cx_tsv_fields(r);
	struct prec h;
	const char *s[RS_NSTR];
	size_t sl[RS_NSTR], acct_n, total;
	const char *why = "bad value";
	int found;
	char first[4];
	int a;

	memset(&h, 0, sizeof h);
	h.line = cx_tsv_line(r);
	if (f[col[PL_CUST]].n == 0)
		return row_err(err, r, "empty value", "customer_key");
	for (a = 0; actions[a]; a++)
		if (!strcmp(f[col[PL_ACTION]].p, actions[a]))
			break;
	if (!actions[a])
		return row_err(err, r, "unknown action (contact, follow_up, courtesy_reminder, none)",
		               "action");
	h.planned = strcmp(actions[a], "none") != 0;
	if (cx_opt_long(f[col[PL_NACCT]].p, 1, 1000000, &h.n_accounts) < 0)
		return row_err(err, r, "bad count (an integer from 1 to 1000000)", "n_accounts");
	if (cur_list(f[col[PL_BAL]].p, f[col[PL_BAL]].n, NULL, NULL, &found, h.cur0, &why) < 0)
		return row_err(err, r, why, "balance");
	if (h.planned) {
		if (cx_vocab_find(cx_channel_names, f[col[PL_CHAN]].p, f[col[PL_CHAN]].n) < 0)
			return row_err(err, r, "unknown channel for a planned contact", "channel");
		if (cx_timestamp_parse(f[col[PL_WSTART]].p, f[col[PL_WSTART]].n, CX_NO_OFFSET, &h.utc,
		                       &h.off, &why) < 0)
			return row_err(err, r, why, "window_start");
	} else if (f[col[PL_BLOCK]].n == 0) {
		return row_err(err, r, "empty value for action none", "blocked_by");
	}
	if (!strcmp(f[col[PL_OTYPE]].p, "plan")) {
		int64_t lo, hi;
		if (cx_opt_long(f[col[PL_NINST]].p, 1, 1000000, &h.instalments) < 0)
			return row_err(err, r, "bad count (an integer from 1 to 1000000)", "instalments");
		if (cx_money_parse_tagged(f[col[PL_INST]].p, f[col[PL_INST]].n, h.offer_cur,
		                          &h.inst_amt, &why) < 0)
			return row_err(err, r, why, "instalment_amount");
		if (cur_list(f[col[PL_PD]].p, f[col[PL_PD]].n, h.offer_cur, &h.offer_amt, &found,
		             first, &why) < 0)
			return row_err(err, r, why, "past_due");
		if (!found)
			return row_err(err, r, "no amount in the offer's currency", "past_due");
		/* the instalments add up to the past due: all but the last equal
		 * instalment_amount, the last is more than zero and not more */
		if (cx_money_mul(h.inst_amt, h.instalments - 1, &lo) < 0 ||
		    cx_money_mul(h.inst_amt, h.instalments, &hi) < 0 || h.offer_amt <= lo ||
		    h.offer_amt > hi)
			return row_err(err, r, "instalments do not add up to the past due",
			               "instalment_amount");
	} else if (!strcmp(f[col[PL_OTYPE]].p, "settlement")) {
		if (cx_money_parse_tagged(f[col[PL_SETTLE]].p, f[col[PL_SETTLE]].n, h.offer_cur,
		                          &h.offer_amt, &why) < 0)
			return row_err(err, r, why, "settlement_amount");
		if (cur_list(f[col[PL_BAL]].p, f[col[PL_BAL]].n, h.offer_cur, &h.offer_bal, &found,
		             first, &why) < 0 || !found)
			return row_err(err, r, "no amount in the offer's currency", "balance");
	} else if (f[col[PL_OTYPE]].n) {
		return row_err(err, r, "unknown offer type (plan, settlement or empty)", "offer_type");
	}
	acct_n = strcspn(f[col[PL_ACCTS]].p, ",");
	s[RS_KEY] = f[col[PL_CUST]].p;
	s[RS_ACCT] = f[col[PL_ACCTS]].p;
	s[RS_SEG] = col[PL_SEG] >= 0 ? f[col[PL_SEG]].p : "";
	s[RS_ARM] = col[PL_ARM] >= 0 ? f[col[PL_ARM]].p : "";
	s[RS_ACTION] = actions[a];
	s[RS_CHAN] = h.planned ? f[col[PL_CHAN]].p : "";
	s[RS_QUEUE] = h.planned && col[PL_QUEUE] >= 0 ? f[col[PL_QUEUE]].p : "";
	s[RS_BLOCK] = h.planned ? "" : f[col[PL_BLOCK]].p;
	s[RS_OTYPE] = f[col[PL_OTYPE]].p;
	s[RS_WSTART] = h.planned ? f[col[PL_WSTART]].p : "";
	total = sizeof h;
	for (int i = 0; i < RS_NSTR; i++) {
		sl[i] = i == RS_ACCT ? acct_n : strlen(s[i]);
		h.len[i] = (uint32_t)sl[i];
		total += sl[i] + 1;
	}
	if (cx_grow((void **)rec, cap, total, 1) < 0)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	memcpy(*rec, &h, sizeof h);
	*len = sizeof h;
	for (int i = 0; i < RS_NSTR; i++) {
		memcpy(*rec + *len, s[i], sl[i]);
		(*rec)[*len + sl[i]] = '\0';
		*len += sl[i] + 1;
	}
	return 0;
}

void rp_plan_free(struct rp_plan *p)
{
	if (!p)
		return;
	cx_sortspill_free(p->sort);
	cx_free(p->buf);
	cx_free(p->prev_key);
	cx_free(p->path);
	cx_free(p);
}

int rp_plan_open(const char *path, unsigned k, unsigned nshards, struct rp_plan **out,
                 struct cx_error *err)
{
	struct rp_plan *p;
	struct cx_tsv_reader *r = NULL;
	int col[PL_NCOLS], rc;
	char *rec = NULL;
	size_t cap = 0, len = 0;
	*out = NULL;
	if (!(p = cx_calloc(1, sizeof *p)) || !(p->path = cx_strdup(path))) {
		cx_free(p);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	if (!(r = cx_tsv_open(path, NULL, err))) {
		rc = err->code;
		goto fail;
	}
	if ((rc = cx_tsv_require(r, plan_names, PL_NREQ, col, err)) < 0)
		goto fail;
	for (int i = PL_NREQ; i < PL_NCOLS; i++)
		col[i] = cx_tsv_col(r, plan_names[i]);
	cx_tsv_shard(r, col[PL_CUST], k, nshards);
	p->sort = cx_sortspill_new(PLAN_SORT_MEM, NULL, 0, cmp_prec, NULL, err);
	if (!p->sort) {
		rc = err->code;
		goto fail;
	}
	cx_sortspill_set_key(p->sort, key_prec);
	while ((rc = cx_tsv_next(r, err)) > 0)
		if ((rc = pack_row(r, col, &rec, &cap, &len, err)) < 0 ||
		    (rc = cx_sortspill_add(p->sort, rec, len, err)) < 0)
			goto fail;
	if (rc < 0 || (rc = cx_sortspill_finish(p->sort, err)) < 0)
		goto fail;
	cx_tsv_close(r);
	cx_free(rec);
	*out = p;
	return 0;
fail:
	cx_tsv_close(r);
	cx_free(rec);
	rp_plan_free(p);
	return rc;
}

int rp_plan_next(struct rp_plan *p, const struct rp_plan_row **row, struct cx_error *err)
{
	const void *rec;
	size_t n, at;
	struct prec h;
	const char *s[RS_NSTR];
	struct rp_plan_row *w = &p->row;
	int rc = cx_sortspill_next(p->sort, &rec, &n, err);
	if (rc <= 0) {
		*row = NULL;
		return rc;
	}
	if (cx_grow((void **)&p->buf, &p->bufcap, n, 1) < 0)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	memcpy(p->buf, rec, n);
	memcpy(&h, p->buf, sizeof h);
	at = sizeof h;
	for (int i = 0; i < RS_NSTR; i++) {
		s[i] = p->buf + at;
		at += h.len[i] + 1;
	}
	if (p->prev_key && !strcmp(p->prev_key, s[RS_KEY]))
		return cx_error_set(err, CX_EDATA, p->path, h.line,
		                    "customer_key already planned on line %ld (one row per customer)",
		                    p->prev_line);
	if (cx_grow((void **)&p->prev_key, &p->prevcap, h.len[RS_KEY] + 1, 1) < 0)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	memcpy(p->prev_key, s[RS_KEY], h.len[RS_KEY] + 1);
	p->prev_line = h.line;
	w->key = s[RS_KEY];
	w->account = s[RS_ACCT];
	w->segment = s[RS_SEG];
	w->arm = s[RS_ARM];
	w->action = s[RS_ACTION];
	w->channel = s[RS_CHAN];
	w->queue = s[RS_QUEUE];
	w->blocked_by = s[RS_BLOCK];
	w->offer_type = s[RS_OTYPE];
	w->window_start = s[RS_WSTART];
	memcpy(w->offer_cur, h.offer_cur, 4);
	memcpy(w->cur0, h.cur0, 4);
	w->offer_amt = h.offer_amt;
	w->inst_amt = h.inst_amt;
	w->offer_bal = h.offer_bal;
	w->instalments = h.instalments;
	w->n_accounts = h.n_accounts;
	w->utc = h.utc;
	w->off = h.off;
	w->planned = h.planned;
	w->line = h.line;
	*row = w;
	return 1;
}

const char *rp_block_family(const char *rule)
{
	static const char *const fam[] = { "hold", "promise", "opt_out", "ladder", "treatment",
		"policy", NULL };
	const char *colon = strchr(rule, ':');
	if (colon) {
		for (int i = 0; fam[i]; i++)
			if ((size_t)(colon - rule) == strlen(fam[i]) && !memcmp(rule, fam[i], strlen(fam[i])))
				return fam[i];
		return "contact_law";   /* <profile>:<rule> of the contact policy */
	}
	if (!strcmp(rule, "no_phone") || !strcmp(rule, "no_email"))
		return "no_address";
	return rule;   /* capacity, nothing_due, no_channel, ... */
}
