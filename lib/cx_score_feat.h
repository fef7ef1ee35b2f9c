/* cx_score_feat — the per-customer collections features of cx-score.
 *
 * One customer's accounts, statements, payments and contacts are parsed into
 * the plain structs below (by cx_score.c from the canonical streams) and
 * turned into a fixed vector of CX_SF_COUNT features.  The exact definition
 * of every feature is in cx-score(1), FEATURES; the table below carries the
 * names, the sub-score each one feeds (capacity or willingness) and the
 * reason text used when it costs points.
 *
 * Amounts are converted to double in the currency's major units for these
 * statistics only (money itself is never computed in floating point); a
 * customer's amounts in several currencies are summed as numbers, which is
 * why most features are ratios.  A feature that cannot be computed (no
 * statements, no credit limit, ...) is NaN: the scorecard gives it the
 * points of its "missing" bin.
 *
 * Ownership: struct cx_sf_customer and its arrays are owned by the caller;
 * cx_sf_customer_reset keeps the arrays for reuse, cx_sf_customer_free
 * releases them.  The feature table is static.
 */
#ifndef CX_SCORE_FEAT_H
#define CX_SCORE_FEAT_H

#include <stddef.h>

#include "cx_date.h"

enum cx_sf_id {
	CX_SF_N_ACCOUNTS, CX_SF_N_PRODUCTS, CX_SF_BALANCE, CX_SF_PAST_DUE_RATIO,
	CX_SF_DPD_NOW, CX_SF_CREDIT_LIMIT, CX_SF_UTILISATION, CX_SF_MONTHS_ON_BOOK,
	CX_SF_DAYS_SINCE_PAYMENT,
	CX_SF_STMT_MONTHS, CX_SF_DPD_LAST, CX_SF_DPD_PREV, CX_SF_DPD_MAX_3M, CX_SF_DPD_MAX_6M,
	CX_SF_DPD_MAX_12M, CX_SF_LATE30_3M, CX_SF_LATE30_6M, CX_SF_LATE30_12M, CX_SF_LATE60_12M,
	CX_SF_LATE90_12M, CX_SF_DPD_TREND, CX_SF_PAY_RATIO_1M, CX_SF_PAY_RATIO_3M,
	CX_SF_PAY_RATIO_6M, CX_SF_FULL_PAY_6M, CX_SF_NO_PAY_6M, CX_SF_UTIL_LAST, CX_SF_UTIL_MAX_6M,
	CX_SF_UTIL_AVG_6M, CX_SF_UTIL_TREND, CX_SF_ZERO_BAL_6M, CX_SF_PAID_TO_LIMIT_6M,
	CX_SF_MONTHS_CLEAN, CX_SF_DELAY_PATTERN, CX_SF_DELAY_PATTERN_PREV, CX_SF_BAL_LAST, CX_SF_PAID_LAST, CX_SF_PAID_PREV,
	CX_SF_PAID_AVG_6M, CX_SF_PAID_MIN_6M, CX_SF_MONTHS_PAID_6M, CX_SF_DPD_SUM_6M, CX_SF_REVOLVING_6M,
	CX_SF_BAL_CHANGE_1M,
	CX_SF_PAY_COUNT_90D, CX_SF_PAY_RATIO_90D,
	CX_SF_PROMISES_180D, CX_SF_PROMISES_KEPT, CX_SF_PROMISES_BROKEN, CX_SF_PROMISE_KEEP_RATE,
	CX_SF_RPC_RATE, CX_SF_RESPONSE_RATE, CX_SF_INBOUND_180D, CX_SF_DISPUTES_180D,
	CX_SF_DIGITAL_180D,
	CX_SF_COUNT
};

struct cx_sf_info {
	const char *name;
	int dim;           /* enum cx_sc_dim (cx_score_model.h) */
	int categorical;   /* scored as categories of its integer value */
	const char *reason;
	const char *text;  /* reason text */
};

const struct cx_sf_info *cx_sf_info(int id);
int cx_sf_find(const char *name);   /* -1 when unknown */

struct cx_sf_account {
	double balance, past_due, min_due, limit;   /* NaN when empty */
	double dpd;                                 /* NaN when empty */
	cx_day open_date, last_pay_date;            /* CX_DAY_NONE when empty */
	unsigned product_hash;                      /* for counting products */
	int has_product;
	int dispute;                                /* flags has "dispute" */
};

struct cx_sf_stmt {
	cx_day date;
	double balance, min_due, paid, dpd;
};

struct cx_sf_pay {
	cx_day date;
	double amount;
};

enum { CX_SF_OUT = 0, CX_SF_IN = 1 };

struct cx_sf_contact {
	cx_day day;
	int channel;    /* index in cx_channel_names, -1 unknown */
	int direction;  /* CX_SF_OUT / CX_SF_IN */
	int outcome;    /* index in cx_outcome_names, -1 unknown */
	double promise_amount;
	cx_day promise_date;
};

struct cx_sf_customer {
	struct cx_sf_account *acc;
	size_t nacc, capacc;
	struct cx_sf_stmt *stmt;
	size_t nstmt, capstmt;
	struct cx_sf_pay *pay;
	size_t npay, cappay;
	struct cx_sf_contact *con;
	size_t ncon, capcon;
	/* month index (year * 12 + month - 1) of the day as_of - i, for the
	 * statement window; filled by cx_sf_compute when ym_as_of_set is 0
	 * or ym_as_of differs (a zeroed struct is ready) */
	int ym_as_of_set;
	cx_day ym_as_of;
	int ym[367];
};

void cx_sf_customer_reset(struct cx_sf_customer *c);
void cx_sf_customer_free(struct cx_sf_customer *c);
/* Append one zeroed element and return it (NULL when out of memory). */
struct cx_sf_account *cx_sf_add_account(struct cx_sf_customer *c);
struct cx_sf_stmt *cx_sf_add_stmt(struct cx_sf_customer *c);
struct cx_sf_pay *cx_sf_add_pay(struct cx_sf_customer *c);
struct cx_sf_contact *cx_sf_add_contact(struct cx_sf_customer *c);

/* Compute f[0..CX_SF_COUNT-1] as of the run date.  Events after as_of are
 * ignored.  Sorts c->stmt in place.  Returns 0. */
int cx_sf_compute(struct cx_sf_customer *c, cx_day as_of, double *f);

/* Grace days after a promise date before a promise counts as broken. */
#define CX_SF_PROMISE_GRACE 3

#endif
