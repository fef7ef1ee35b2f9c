/* cx_segment — the streaming run of cx-segment: reads the scored accounts
 * stream one customer at a time (cx_tsv_grouper on customer_key), runs the
 * compiled rules (cx_rules.h) and writes every row with the columns
 * segment, treatment, experiment, arm and rule appended (replaced in place
 * when the input already has them).  Memory is one customer.
 *
 * With opts->ledger, the run counts rows, customers and balance per
 * currency in and out (cx_ledger_sum_group), checks they balance and
 * publishes the ledger after the output (cx_ledger_publish).
 *
 * Ownership: opts and its strings stay the caller's.  The summary text
 * returned in *summary (for -v) is owned by the caller (cx_free).
 */
#ifndef CX_SEGMENT_H
#define CX_SEGMENT_H

#include "cx_date.h"
#include "cx_err.h"

struct cx_segment_opts {
	const char *input;      /* "-" or NULL = stdin */
	const char *output;     /* "-" or NULL = stdout */
	int force;
	const char *rules;      /* rule file; NULL = the built-in default rules */
	cx_day as_of;
	const char *explain;    /* customer_key: write the trace instead of rows */
	int check;              /* only compile the rules (against the canonical
	                           columns when input is NULL) */
	const char *ledger;     /* control totals file (cx_ledger), written
	                           atomically after the output; NULL = none */
};

/* Returns 0 or a negative CX_E* code with err filled.  When summary is not
 * NULL it receives a TSV text "rule segment treatment experiment arm
 * customers" with one line per rule/arm that matched (for -v). */
int cx_segment_run(const struct cx_segment_opts *o, char **summary, struct cx_error *err);

#endif
