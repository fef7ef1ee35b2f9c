/* cx_plan — the planner behind cx-plan(1): one row per customer with what
 * to do on the plan date, on which channel, in which local time window,
 * with which offer, and why (or which rule blocked it).
 *
 * Streams: the segmented accounts stream (rows of a customer contiguous,
 * sorted by customer_key), and optionally contacts and payments sorted by
 * customer_key, merge-joined in lockstep; each is read a few chunks of
 * customers ahead in a thread of its own (cx_plan_ev.h), so memory holds
 * those chunks, not the streams.  Ranking by expected value needs every
 * customer before scarce channels are given out, so pass 1 writes each
 * customer's row (less the channel-dependent cells) to an unlinked
 * temporary file and keeps a compact record (struct cx_plan_rec, 48
 * bytes) per customer in memory; after sorting the records and assigning
 * capacity, pass 2 reads the rows back in rank order (pread, by two
 * threads a few batches ahead) and writes the plan.
 *
 * Ownership: options and their strings belong to the caller; the run
 * allocates and frees everything else.  Nothing prints except through the
 * FILE handed in opts->explain_out (the tool passes stdout) and the ledger
 * returned for -v.
 */
#ifndef CX_PLAN_H
#define CX_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cx_date.h"
#include "cx_err.h"
#include "cx_ledger.h"

struct cx_plan_opts {
	const char *input;        /* accounts stream, "-" = stdin */
	const char *contacts;     /* NULL = no contact history */
	const char *payments;     /* NULL = no payment history */
	const char *policy;       /* NULL = built-in policy */
	const char *capacity;     /* NULL = built-in capacity */
	const char *output;       /* NULL or "-" = stdout */
	unsigned out_flags;       /* CX_OUT_* */
	cx_day as_of;
	const char *explain;      /* customer_key to explain, or NULL */
	FILE *explain_out;        /* where the explanation goes (stdout) */
	const char *tzdir;        /* NULL = /usr/share/zoneinfo */
	const char *tmpdir;       /* NULL = $TMPDIR or /tmp */
	const char *ledger;       /* control totals file, NULL = none: accounts_in,
	                             customers in/out/rejected, balance_in per
	                             currency (accounts) and balance_out (the
	                             plan's balance column); checked, then
	                             written atomically after the plan */
};

/* Run the whole plan.  Returns 0 or a negative CX_E* code with err set.
 * When ledger is not NULL it receives the run's counts (customers, planned
 * per channel, blocked per rule). */
int cx_plan_run(const struct cx_plan_opts *o, struct cx_ledger *ledger, struct cx_error *err);

/* Output columns, in order (cx-plan(1)). */
extern const char *const cx_plan_columns[];

/* ---- offer arithmetic (exposed for tests) ---------------------------- */

/* Size a payment plan for `amount` (> 0, minor units): n = ceil(amount /
 * affordable) clamped to [min_n, max_n], then lowered while an instalment
 * would be below min_inst (0 = no minimum) or the last instalment would
 * not be positive.  instalment = ceil(amount / n); the last instalment is
 * amount - (n - 1) * instalment, in (0, instalment].  Returns 0, or -1 when
 * amount <= 0. */
int cx_plan_size(int64_t amount, int64_t affordable, int min_n, int max_n, int64_t min_inst,
                 int *n, int64_t *instalment, int64_t *last);
/* Settlement: balance less floor(balance * bp / 10000). */
int64_t cx_plan_settlement(int64_t balance, int bp);

/* ---- ranking (exposed for tests) -------------------------------------- */

#define CX_PLAN_MAX_CAND 4

/* compact record per customer for ranking and capacity (48 bytes) */
struct cx_plan_rec {
	uint64_t off;        /* temp file offset of the customer's partial row */
	double ev;           /* expected value in the reference currency */
	uint32_t len;
	uint32_t seq;        /* input order = customer_key order (sorted input) */
	uint8_t prio;        /* 1 = broken-promise follow-up */
	uint8_t ncand;
	uint8_t cand[CX_PLAN_MAX_CAND];   /* channel candidates, best first */
	uint8_t step[CX_PLAN_MAX_CAND];   /* ladder step of each candidate (255 = special) */
	uint8_t ladder;
	uint8_t kind;        /* action kind, 0 = none */
	uint8_t assigned;    /* index into cand, 255 = none */
	uint8_t pad[5];
};

/* Rank order (qsort comparator): customers with an action first, then
 * priority, expected value (descending), seq. */
int cx_plan_rank_cmp(const void *a, const void *b);
/* Sort by cx_plan_rank_cmp: the same order as qsort (a total order with
 * seq unique; with a NaN expected value qsort itself is used). */
void cx_plan_rank_sort(struct cx_plan_rec *v, size_t n);
/* Its introsort: quicksort down to `depth` levels, then heap sort (depth
 * 0: heap sort at once), insertion sort for short runs. */
void cx_plan_rank_introsort(struct cx_plan_rec *v, size_t n, int depth);
/* After capacity: v was sorted with its first nact records having an
 * action, and some of those lost it (kind 0, prio 0).  Sorts v again as
 * cx_plan_rank_sort would, merging the few that lost it into the rest
 * instead of sorting everything. */
void cx_plan_rank_resort(struct cx_plan_rec *v, size_t n, size_t nact);

#endif
