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
/* Add delta to (measure, currency); currency "" for row counts.  Entries
 * are written in first-use order of measures, currencies sorted within a
 * measure.  Returns 0 or CX_ENOMEM. */
int cx_ledger_add(struct cx_ledger *l, const char *measure, const char *currency,
                  int64_t delta);
int64_t cx_ledger_get(const struct cx_ledger *l, const char *measure, const char *currency);
/* Money values are written with the currency's exponent (cx_money). */
int cx_ledger_write(const struct cx_ledger *l, struct cx_output *out, struct cx_error *err);
/* Human summary on a FILE (stderr for -v). */
void cx_ledger_print(const struct cx_ledger *l, void *stdio_file);
void cx_ledger_free(struct cx_ledger *l);

#endif
