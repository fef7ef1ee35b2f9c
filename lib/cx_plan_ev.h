/* cx_plan_ev — cx-plan's reader of the event streams (contacts and
 * payments, sorted by customer_key).  A second thread reads, splits and
 * parses both streams ahead of the planner, in chunks of whole customers,
 * so that this work (about half of a plan's) runs beside the planning.
 *
 * The planner sees the groups in stream order with the semantics of
 * cx_tsv_grouper_seek, and every error surfaces where reading in the
 * planner's thread would have found it: a stream error (a malformed or
 * unsorted row) when the group read that hit it is needed, a bad value in
 * a row only when that customer's group is used.  When no thread can be
 * started the chunks are read on demand in the caller's thread.
 *
 * Ownership: the reader owns its streams, thread and chunks
 * (cx_plan_ev_close, accepts NULL; it stops the thread).  A group returned
 * by cx_plan_ev_find is borrowed until cx_plan_ev_next on that stream.
 */
#ifndef CX_PLAN_EV_H
#define CX_PLAN_EV_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"

enum { CX_PEV_CONTACTS, CX_PEV_PAYMENTS, CX_PEV_N };

/* One contact, parsed as far as it can be without the customer's accounts
 * and time zone. */
struct cx_pev_contact {
	int64_t utc;
	int64_t p_amt;       /* promise amount (minor), -1 none */
	cx_day p_date;
	uint32_t acct_off;   /* account_id: group->text + acct_off, acct_len bytes */
	uint32_t acct_len;
	int8_t ch;           /* channel index or -1 */
	int8_t in;           /* direction in */
	int8_t outcome;      /* index in cx_outcome_names or -1 */
	char p_cur[4];
};

struct cx_pev_payment {
	cx_day day;
	int64_t amt;
	char cur[4];
};

struct cx_pev_group {
	const char *key;
	size_t n;                                /* rows */
	const struct cx_pev_contact *contacts;   /* CX_PEV_CONTACTS */
	const struct cx_pev_payment *payments;   /* CX_PEV_PAYMENTS */
	const char *text;                        /* account ids of the contacts */
	const struct cx_error *bad;              /* first bad row's error, or NULL */
};

struct cx_plan_ev;

/* Open the streams (either path may be NULL: that stream is empty), check
 * their columns and read the first group of each, as opening a grouper
 * does.  NULL with err set on error. */
struct cx_plan_ev *cx_plan_ev_open(const char *contacts, const char *payments,
                                   struct cx_error *err);
/* The group of `key` in stream s: groups with a lower key are passed over
 * and counted in *skipped.  1 = *g is that group, 0 = none, <0 = error. */
int cx_plan_ev_find(struct cx_plan_ev *e, int s, const char *key, const struct cx_pev_group **g,
                    long *skipped, struct cx_error *err);
/* Done with the group found: move on to the next one (reading it, so that
 * its error surfaces now).  0 or <0. */
int cx_plan_ev_next(struct cx_plan_ev *e, int s, struct cx_error *err);
void cx_plan_ev_close(struct cx_plan_ev *e);

#endif
