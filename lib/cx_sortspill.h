/* cx_sortspill — an external sort of byte records with bounded memory.
 *
 * Records are collected in memory up to `mem_limit` bytes (record bytes
 * plus 16 bytes of index each).  Past that, the buffer is written to an
 * anonymous temporary file (created in `tmpdir` and unlinked at once, so
 * nothing is left behind even on a crash).  At the end, sorted runs are
 * merged with a binary heap (k-way merge), reading each run sequentially.
 *
 * "Deferred" mode is for keys that are only known after the last record
 * was added (cx-ingest's customer keys come from identity resolution over
 * all rows): spilled buffers are written unsorted, and cx_sortspill_finish
 * reads them back one memory-full at a time, sorts and rewrites them as runs.
 *
 * Records with equal keys come out in an unspecified order unless the
 * comparison breaks ties (cx-ingest compares whole records last).
 *
 * Key prefix (optional, cx_sortspill_set_key): a 64-bit key per record that
 * orders records before the comparison is asked (key(a) < key(b) must imply
 * cmp(a, b) < 0).  Keys are computed when a buffer is sorted (so in deferred
 * mode only during cx_sortspill_finish) and when a run's record is read
 * back; buffers are then sorted by an in-place MSD radix sort on the key
 * (no extra memory), the comparison only breaking ties between equal keys,
 * and the merge compares keys first: with a key set, the comparison is
 * only ever asked about two records of equal keys.  Each buffered record
 * costs 24 bytes of index on top of its bytes, counted against mem_limit.
 *
 * Ownership: the sorter is owned by the caller (cx_sortspill_free accepts
 * NULL and removes every temporary file).  Records are copied in; records
 * returned by cx_sortspill_next are borrowed until the next call.
 */
#ifndef CX_SORTSPILL_H
#define CX_SORTSPILL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cx_err.h"

typedef int (*cx_sort_cmp)(const void *a, size_t an, const void *b, size_t bn, void *ctx);

/* Byte order of two strings (a shorter one first when it is a prefix):
 * how record comparisons order their byte parts and break their ties. */
static inline int cx_sort_bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : an < bn ? -1 : an > bn;
}
typedef uint64_t (*cx_sort_key)(const void *rec, size_t n, void *ctx);

struct cx_sortspill;

/* tmpdir NULL: $TMPDIR, else /tmp.  mem_limit is clamped to at least 64 KiB. */
struct cx_sortspill *cx_sortspill_new(size_t mem_limit, const char *tmpdir, int deferred,
                                      cx_sort_cmp cmp, void *ctx, struct cx_error *err);
/* Change the memory limit (clamped as in _new), e.g. when other structures
 * of the caller share one budget; the next add spills if over it. */
void cx_sortspill_set_limit(struct cx_sortspill *s, size_t mem_limit);
/* About n records are coming: their index is allocated now, so it is not
 * copied (and its pages touched twice) as it grows.  Address space only
 * until used; a hint, ignored when it cannot be had.  Before the first add. */
void cx_sortspill_expect(struct cx_sortspill *s, size_t n);
/* Set the key prefix function (before the first add); ctx as for cmp. */
void cx_sortspill_set_key(struct cx_sortspill *s, cx_sort_key key);
int cx_sortspill_add(struct cx_sortspill *s, const void *rec, size_t n, struct cx_error *err);
/* Add a record of n bytes written by the caller into the returned room
 * (valid until the next call on s): saves a copy.  NULL with err filled. */
void *cx_sortspill_reserve(struct cx_sortspill *s, size_t n, struct cx_error *err);
/* The record reserved last is only its first n bytes (n <= the reserved
 * size): reserve an upper bound, write, then give the rest back.  Only
 * before the next reserve or add on s (cx_sortspill_set_limit is fine). */
void cx_sortspill_shrink(struct cx_sortspill *s, size_t n);
/* Drop the record reserved last (same condition as _shrink). */
void cx_sortspill_cancel(struct cx_sortspill *s);
/* No more adds; sorts (and for deferred mode, the comparison may now be
 * used).  Returns 0 or a negative CX_E* code. */
int cx_sortspill_finish(struct cx_sortspill *s, struct cx_error *err);
/* 1 = a record in *rec and *n, 0 = end, <0 = error. */
int cx_sortspill_next(struct cx_sortspill *s, const void **rec, size_t *n,
                      struct cx_error *err);
/* The key (cx_sortspill_set_key) of the record cx_sortspill_next returned
 * last: computed once already, saves the caller a second look-up. */
uint64_t cx_sortspill_key(const struct cx_sortspill *s);
/* The record k (>= 1) calls of cx_sortspill_next after the one it returned
 * last, when the records are still in memory (not merged from spilled
 * runs): 1 with *rec and *n (borrowed as cx_sortspill_next's), else 0.
 * For a caller that prefetches what records point to. */
int cx_sortspill_peek(const struct cx_sortspill *s, size_t k, const void **rec, size_t *n);
uint64_t cx_sortspill_count(const struct cx_sortspill *s);   /* records added */
size_t cx_sortspill_runs(const struct cx_sortspill *s);      /* temporary runs */
uint64_t cx_sortspill_spilled_bytes(const struct cx_sortspill *s);
void cx_sortspill_free(struct cx_sortspill *s);
/* A temporary file in tmpdir (NULL: $TMPDIR, else /tmp), already unlinked:
 * a file descriptor open for reading and writing, or a negative CX_E* code
 * with err filled.  For other spill files of the callers (cx_identity). */
int cx_sortspill_tmpfd(const char *tmpdir, struct cx_error *err);

#endif
