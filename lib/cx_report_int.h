/* cx_report_int — internal interface between the accumulation
 * (cx_report.c) and rendering (cx_report_render.c) halves of cx_report.
 * Not for use outside cx_report*.c.
 *
 * Ownership: a struct rstore owns its cells, keys and notes (rs_free).
 * A struct cut only borrows its strings.
 */
#ifndef CX_REPORT_INT_H
#define CX_REPORT_INT_H

#include "cx_report.h"
#include "cx_report_math.h"

#define RS_SEP '\x1f'
#define RS_NF 7    /* measure, segment, product, arm, currency, dim1, dim2 */
#define RS_MEMO 1024   /* rs_add's memo slots (a power of two) */

struct cut {
	const char *seg, *prod, *arm, *cur;
};

struct rcell {
	char *key;    /* the RS_NF fields joined by RS_SEP */
	cx_i128 v;
	char *note;   /* violation detail text, or NULL */
};

struct rstore {
	struct cx_strmap *map;  /* key -> index in cells */
	struct rcell *cells;
	size_t n, cap;
	char *kbuf;
	size_t kcap;
	int oom;                /* a lookup could not build its key */
	/* rs_add's recent keys, direct-mapped by a cheap hash of the key's
	 * words: a report has a few thousand cells that repeat across rows and
	 * customers, and one memcmp is cheaper than the map's hash and probe */
	struct {
		uint32_t len, cell;   /* len 0 = empty */
		char key[56];
	} memo[RS_MEMO];
};

int rs_add(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2, cx_i128 delta, const char *note);
cx_i128 rs_get(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
               const char *d2);
int rs_has(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2);
void rs_free(struct rstore *s);

/* ---- the --plan input (cx_report_plan.c) ---- */

/* One row of cx-plan's output, checked.  Strings are borrowed until the
 * next rp_plan_next. */
struct rp_plan_row {
	const char *key, *account;   /* account: the first of the accounts column */
	const char *segment, *arm;   /* "" when the plan has no such column */
	const char *action, *channel, *queue, *blocked_by, *offer_type, *window_start;
	char offer_cur[4];           /* currency of the offer, "" without one */
	char cur0[4];                /* first currency of the balance column */
	int64_t offer_amt;           /* plan: past due of offer_cur (what the
	                                instalments add up to); settlement:
	                                settlement_amount */
	int64_t inst_amt;            /* plan: instalment_amount */
	int64_t offer_bal;           /* settlement: balance of offer_cur */
	long instalments, n_accounts;
	int64_t utc;                 /* planned contact: window_start */
	int off;                     /* its UTC offset, minutes */
	int planned;                 /* action other than none */
	long line;                   /* line in the plan file */
};

struct rp_plan;
/* Read and check the whole plan (errors name file:line and column; missing
 * columns are listed), sorted by customer_key with bounded memory; only
 * the rows of shard k of nshards (cx_tsv_shard; nshards <= 1 = all). */
int rp_plan_open(const char *path, unsigned k, unsigned nshards, struct rp_plan **out,
                 struct cx_error *err);
/* 1 = next row in *row (customer_key order), 0 = end, <0 = error (a
 * customer planned twice is CX_EDATA). */
int rp_plan_next(struct rp_plan *p, const struct rp_plan_row **row, struct cx_error *err);
void rp_plan_free(struct rp_plan *p);
/* Family of a blocked_by rule id: hold, promise, opt_out, ladder, treatment,
 * policy, contact_law (<profile>:<rule>), no_address (no_phone, no_email),
 * else the id itself (capacity, nothing_due, no_channel). */
const char *rp_block_family(const char *rule);

int rp_accumulate(const struct cx_report_opts *o, struct rstore *st, struct cx_error *err);

#endif
