/* cx_ledger — the row and money ledger of a run ("nothing lost"): rows and
 * money in = out + rejected (+ duplicates and blank lines for rows), per
 * currency.  Written as TSV with columns measure, currency, value (cx(7)).
 *
 * Ownership: cx_ledger_new returns an object owned by the caller, released
 * with cx_ledger_free (accepts NULL).  Measure names are copied.
 */
#ifndef CX_LEDGER_H
#define CX_LEDGER_H

#include <stdint.h>

#include "cx_err.h"
#include "cx_io.h"

struct cx_ledger;
struct cx_ledger *cx_ledger_new(void);
/* A ledger that starts with the row counts measures[0..n-1] at zero, so
 * they are written in that order whatever is counted first; NULL when out
 * of memory. */
struct cx_ledger *cx_ledger_new_counts(const char *const *measures, size_t n);
/* The ledger of a stage that passes account rows through, grouped by
 * customer (cx-score, cx-segment): rows_in, rows_out, rows_rejected,
 * customers_in, customers_out in that order, and its file opened with
 * cx_output_open.  Returns 0, or an error with *led and/or *lo set to
 * what the caller must free or abort. */
int cx_ledger_open_stage(const char *path, int force, struct cx_ledger **led,
                         struct cx_output **lo, struct cx_error *err);
/* Add delta to (measure, currency); currency "" for row counts.  Entries
 * are written in first-use order of measures, currencies sorted within a
 * measure.  Returns 0 or CX_ENOMEM. */
int cx_ledger_add(struct cx_ledger *l, const char *measure, const char *currency,
                  int64_t delta);
int64_t cx_ledger_get(const struct cx_ledger *l, const char *measure, const char *currency);
/* Money values are written with the currency's exponent (cx_money). */
int cx_ledger_write(const struct cx_ledger *l, struct cx_output *out, struct cx_error *err);
/* Add minor units v to (measure, cur) with an overflow check (cx_money_add).
 * Returns 0, CX_ENOMEM or CX_EDATA (int64 overflow). */
int cx_ledger_add_money(struct cx_ledger *l, const char *measure, const char *cur, int64_t v);
/* Add a canonical amount text (cx_money_parse in the currency's exponent)
 * to (measure, currency); an empty amount adds 0 so the currency still
 * appears.  Returns 0, CX_ENOMEM, or CX_EDATA for an unknown currency, a
 * malformed amount or an int64 overflow (the caller names file and line). */
int cx_ledger_add_amount(struct cx_ledger *l, const char *measure, const char *cur,
                         size_t curlen, const char *amt, size_t amtlen);
/* Check PREFIX_in == PREFIX_out + PREFIX_rejected for every currency
 * (and "") either side names.  Returns 0 or CX_EINTERNAL with err set. */
int cx_ledger_check(const struct cx_ledger *l, const char *prefix, struct cx_error *err);
struct cx_tsv_group;
/* One customer's group of a stage that passes account rows through
 * (cx-score, cx-segment): its rows and balance per currency, summed once
 * (cur and bal are column indexes, -1 = no money) and added to the ledger
 * as read ("in") and again once written ("out").  Zero-initialise; free
 * with cx_ledger_sum_free. */
struct cx_ledger_sum {
	size_t rows;
	size_t n, cap;
	struct cx_ledger_cur { char cur[4]; int64_t v; } *e;
};
/* Returns 0, CX_ENOMEM or CX_EDATA with *bad_row = the row whose currency
 * or balance is not canonical (or whose sum overflows). */
int cx_ledger_sum_group(struct cx_ledger_sum *s, const struct cx_tsv_group *g, int cur, int bal,
                        size_t *bad_row);
/* rows_DIR += rows, customers_DIR += 1, balance_DIR per currency; dir is
 * "in" or "out".  Returns 0, CX_ENOMEM or CX_EDATA (overflow). */
int cx_ledger_add_sum(struct cx_ledger *l, const char *dir, const struct cx_ledger_sum *s);
void cx_ledger_sum_free(struct cx_ledger_sum *s);
/* Publish a stage's output with its ledger: check every PREFIX of the
 * NULL-terminated list (cx_ledger_check), write the ledger to *lo, commit
 * *out, then *lo (lo may point to NULL: no ledger file; l may be NULL:
 * no ledger, *out is committed alone).  Each output is
 * set to NULL once committed or handed back, so the caller aborts only
 * what is left; nothing is published when a check fails. */
int cx_ledger_publish(const struct cx_ledger *l, const char *const *prefixes,
                      struct cx_output **out, struct cx_output **lo, struct cx_error *err);
/* Human summary on a FILE (stderr for -v). */
void cx_ledger_print(const struct cx_ledger *l, void *stdio_file);
void cx_ledger_free(struct cx_ledger *l);

#endif
