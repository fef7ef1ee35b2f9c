/* cx_capacity — the channel capacity and cost file of cx-plan (format in
 * cx-policy(5)): daily slots and cost per contact for each channel, and
 * the exchange rates used to rank customers of several currencies by
 * expected value on one scale.
 *
 * Ownership: cx_capacity_parse/cx_capacity_load return an object owned by
 * the caller, released with cx_capacity_free (accepts NULL).  Nothing
 * prints.  Rates and costs are doubles: they only rank, never move money.
 */
#ifndef CX_CAPACITY_H
#define CX_CAPACITY_H

#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_policy.h"

#define CX_CAPACITY_UNLIMITED INT64_MAX
#define CX_CAPACITY_MAX_RATES 64

struct cx_capacity {
	char reference[4];                 /* reference currency */
	int64_t slots[CX_CH_N];            /* per day; CX_CAPACITY_UNLIMITED or >= 0 */
	double cost[CX_CH_N];              /* per contact, reference currency */
	int configured[CX_CH_N];           /* channel has a section */
	struct { char code[4]; double rate; } rates[CX_CAPACITY_MAX_RATES];
	int nrates;
};

/* A channel without a section has 0 slots (never used).  Returns 0 or a
 * negative CX_E* code with err "file:line: message". */
int cx_capacity_parse(const char *text, size_t n, const char *fname,
                      struct cx_capacity **out, struct cx_error *err);
/* NULL path = the embedded default (cx_capacity_default_text). */
int cx_capacity_load(const char *path, struct cx_capacity **out, struct cx_error *err);
/* Value of one unit of `code` in the reference currency; -1 when unknown. */
double cx_capacity_rate(const struct cx_capacity *c, const char *code);
void cx_capacity_free(struct cx_capacity *c);

#endif
