/* cx_ahead — batches of work filled in a second thread, a few ahead of the
 * caller that uses them.
 *
 * cx-score and cx-report read their largest event stream (statements) beside
 * the accounts: a fill function reads, splits and parses the next batch of
 * customers into a caller-defined struct while the caller works on the batch
 * before.  Batches come back in the order they were filled, so a stream's
 * groups, values and errors reach the caller as a direct reading gives them.
 * When no thread can be made the caller's own cx_ahead_next fills each batch
 * (same results, no parallelism).
 *
 * Ownership: the caller owns the batches (n of them, at least 2) and ctx;
 * the fill function alone touches ctx and the batch it fills until
 * cx_ahead_free (which accepts NULL) has stopped the thread.  A batch handed
 * out is the caller's until its next cx_ahead_next.
 */
#ifndef CX_AHEAD_H
#define CX_AHEAD_H

#include <stddef.h>

#include "cx_err.h"

/* Fill batch with the next piece of work: 1 when more follow, 0 when this
 * batch is the last (an end or an error is recorded in it). */
typedef int (*cx_ahead_fill_fn)(void *ctx, void *batch);

struct cx_ahead;

/* NULL only when out of memory (err filled). */
struct cx_ahead *cx_ahead_new(cx_ahead_fill_fn fill, void *ctx, void *const *batches, size_t n,
                              struct cx_error *err);
/* The next batch in order (the one handed out before is given back), or NULL
 * after the last. */
void *cx_ahead_next(struct cx_ahead *a);
void cx_ahead_free(struct cx_ahead *a);

#endif
