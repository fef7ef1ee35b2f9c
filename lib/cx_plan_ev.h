/* cx_plan_ev — cx-plan's readers of its input streams (accounts, contacts
 * and payments, each sorted by customer_key).  One thread per stream reads
 * and splits it ahead of the planner, in chunks of whole customers; the
 * events are parsed there too.  Reading is two thirds of a plan's work:
 * this way it runs beside the planning, on the other core.
 *
 * The planner sees the groups in stream order, the events with the
 * semantics of cx_tsv_grouper_seek, and every error surfaces where reading
 * in the planner's thread would have found it: a stream error (a malformed
 * or unsorted row) when the group read that hit it is needed, a bad value
 * in an event row only when that customer's group is used.  A stream whose
 * thread cannot be started is read on demand in the caller's thread.
 *
 * Ownership: the reader owns its streams (also the accounts reader handed
 * to cx_plan_ev_accounts), threads and chunks (cx_plan_ev_close, accepts
 * NULL; it stops the threads).  A group returned by cx_plan_ev_find is
 * borrowed until cx_plan_ev_next on that stream, one returned by
 * cx_plan_ev_group until the next cx_plan_ev_group.
 */
#ifndef CX_PLAN_EV_H
#define CX_PLAN_EV_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"
#include "cx_tsv.h"

enum { CX_PEV_CONTACTS, CX_PEV_PAYMENTS, CX_PEV_ACCOUNTS, CX_PEV_N };

#define CX_PEV_MAX_COLS 64   /* accounts columns kept */

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
	const struct cx_field *fields;           /* CX_PEV_ACCOUNTS: row i's kept column j
	                                            is fields[i * ncols + j] */
	size_t ncols;
	const long *lines;                       /* CX_PEV_ACCOUNTS: input line of each row */
	const char *text;                        /* account ids of the contacts */
	const struct cx_error *bad;              /* first bad row's error, or NULL */
};

struct cx_plan_ev;

/* Open the event streams (either path may be NULL: that stream is empty), check
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
/* Hand the accounts reader over (header read): its groups by key_col,
 * keeping columns cols[0..ncols) (at most CX_PEV_MAX_COLS), in that order.
 * The reader is the cx_plan_ev's from here on, also on error. */
int cx_plan_ev_accounts(struct cx_plan_ev *e, struct cx_tsv_reader *r, int key_col,
                        const int *cols, size_t ncols, struct cx_error *err);
/* The next customer of the accounts stream: 1 = *g, 0 = end, <0 = error
 * (as cx_tsv_grouper_next, sorted). */
int cx_plan_ev_group(struct cx_plan_ev *e, const struct cx_pev_group **g, struct cx_error *err);
void cx_plan_ev_close(struct cx_plan_ev *e);

#endif
