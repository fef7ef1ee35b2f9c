/* cx_opt — helpers shared by the tools' option parsing: checked numbers and
 * sizes, the run date, --version text.
 *
 * Ownership: no allocation.  Functions return 0 or -1 and never print; the
 * caller reports with cx_diag_usage().
 */
#ifndef CX_OPT_H
#define CX_OPT_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"

/* Decimal integer in [min, max]. */
int cx_opt_long(const char *s, long min, long max, long *out);
/* Size with optional K, M, G suffix (powers of 1024). */
int cx_opt_size(const char *s, uint64_t *out);
/* --shard K/N: shard K (0..N-1) of N (1..max). */
int cx_opt_shard(const char *s, long max, unsigned *k, unsigned *n);
/* --as-of YYYY-MM-DD. */
int cx_opt_date(const char *s, cx_day *out);
/* Prints "prog (cx) VERSION" to stdout; returns the exit status. */
int cx_opt_version(const char *prog);

#endif
