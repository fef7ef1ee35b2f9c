/* cx_report — the KPI report of cx-report(1): streams the canonical
 * accounts snapshot (and optionally the previous snapshot, payments,
 * contacts and statements), all sorted by customer_key, merge-joined one
 * customer at a time; accumulates exact integer sufficient statistics per
 * report cell; and renders the long-format KPI table as TSV, CSV, aligned
 * text or a self-contained HTML page.  Memory is bounded by the number of
 * report cells (cut values x KPIs), never by the number of rows.
 *
 * A run can stop after accumulation (--partial: the statistics of one
 * shard as TSV) and a later run can add partials (--merge) and render
 * exactly the text an unsharded run renders, byte for byte.  The plan's
 * statistics never change the others', so they can come from a partial of
 * their own (--plan-only), made once the plan exists, while the rest was
 * accumulated before.
 *
 * Ownership: struct cx_report_opts and the strings it points to belong to
 * the caller; cx_report_run allocates and frees everything else.
 */
#ifndef CX_REPORT_H
#define CX_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"

enum cx_report_format { CX_RF_TSV, CX_RF_CSV, CX_RF_TEXT, CX_RF_HTML };

enum {
	CX_BY_SEGMENT = 1,
	CX_BY_PRODUCT = 2,
	CX_BY_ARM = 4,
	CX_BY_CURRENCY = 8   /* always on: money never adds across currencies */
};

struct cx_report_opts {
	const char *accounts;    /* current snapshot ("-" = stdin) */
	const char *previous;    /* previous snapshot or NULL */
	const char *payments, *contacts, *statements;
	const char *costs;       /* channel costs TSV: channel, currency, cost */
	const char *plan;        /* today's plan (cx-plan output) or NULL */
	const char *policy;      /* cx-policy(5) file, "default" = embedded; NULL =
	                            the minimal built-in rules */
	const char *credit_sales;/* "USD=1000.00,COP=..." or NULL */
	const char *const *merge;/* partial files to merge (merge mode) */
	size_t n_merge;
	int partial;             /* write sufficient statistics, not the report */
	int plan_only;           /* with partial and plan: only the plan's
	                            statistics, to merge with partials made
	                            without the plan */
	unsigned shard_k, shard_n;  /* only the customers of shard k of n in
	                            every stream (cx_tsv_shard); n <= 1 = all */
	cx_day as_of;            /* end of the period (required) */
	int period_days;         /* period = [as_of - days + 1, as_of]; default 30 */
	int months;              /* N of the CEI formula; 0 = round(days / 30), min 1 */
	unsigned by;             /* CX_BY_* */
	enum cx_report_format format;
	int bom, decimal_comma, unmask;
	int grace_days;          /* promise kept: paid by promise_date + grace */
	int tolerance_pct;       /* promise kept: paid >= amount x (100 - tol) / 100 */
	int max_calls_7d;        /* policy: calls per account in 7 days (7) */
	int max_detail;          /* violation rows listed (100) */
	const char *champion;    /* champion arm name, NULL = "champion" / first */
	const char *title;       /* HTML title, NULL = "cx collections report" */
	const char *output;      /* NULL or "-" = stdout */
	unsigned out_flags;      /* CX_OUT_* */
	int verbose;
	struct cx_report_stats *stats;  /* filled when not NULL */
};

struct cx_report_stats {
	long customers;   /* customer groups read (0 in merge mode) */
	long cells;       /* statistics cells */
	long rows;        /* report rows written (0 with --partial) */
};

void cx_report_opts_init(struct cx_report_opts *o);
/* Parse "segment,product,currency,arm" into CX_BY_* bits; -1 on error. */
int cx_report_parse_by(const char *s, unsigned *out);
int cx_report_parse_format(const char *s, enum cx_report_format *out);

/* Run the report.  Returns 0 or a negative CX_E* code with err filled. */
int cx_report_run(const struct cx_report_opts *o, struct cx_error *err);

/* ---- exposed for tests ------------------------------------------------ */

/* Rank of an aging bucket label: "current" 0, otherwise its leading number
 * ("1-30" 1, "180+" 180); unknown text sorts last. */
long cx_report_bucket_rank(const char *b);
/* Contact-policy rule of the minimal built-in set (cx-report(1), POLICY
 * CHECKS): 1 when a contact at local time `local_sec` (seconds since
 * 1970-01-01 local) in `country` falls outside the allowed hours. */
int cx_report_outside_hours(const char *country, int64_t local_sec);

#endif
