/* cx_identity — customer identity resolution for cx-ingest: accounts are
 * nodes of a union-find; accounts sharing a linking key (normalised national
 * id, and optionally e-mail or phone) are joined, transitively.  Each
 * resulting customer gets
 *     customer_key = "c" + 16 hex digits of cx_hash64(min "source\x1faccount_id")
 * over its accounts (byte order), so the key does not depend on input order
 * and is not derived from personal data.
 *
 * The index also detects repeated accounts: adding (source, account_id)
 * again reports whether its content hash equals the first one's (an
 * identical duplicate) or not (a conflicting duplicate).
 *
 * Memory while accounts are added, in memory: 18 bytes per account plus
 * its "source\x1faccount_id" bytes, a record of 6 to 9 bytes per distinct
 * linking value plus its bytes, and an open-addressing table of 8-byte
 * slots (32 hash bits and a reference; at most 3/4 full, doubled when
 * needed) over both;
 * strings are kept, not hashes, so there are no false matches.  With the
 * generated portfolios (keys of ~20 bytes, one national id per 2.5
 * accounts) and the slack of arrays that double, 60-110 bytes per account.
 * cx_identity_memory tells, counting the table three times over when it
 * is about to double (old and new are both held while rehashing).
 *
 * Spilling (cx_identity_set_spill): when the in-memory index passes the
 * limit, it is converted once and for all.  Each account's key, content
 * hash and ordinal go to a key log (a temporary file, unlinked at once);
 * the table keeps one 8-byte slot per account (32 hash bits and the log
 * offset / 8), and a slot whose hash bits match is verified by reading the
 * key back from the log (pread), so duplicates and conflicts are still
 * decided exactly and at once, in input order.  Linking values become
 * records (hash, ordinal, value) of an external sort (cx_sortspill); at
 * finish, runs of equal values (compared byte for byte) join their
 * accounts, and the log is read in order: a one-account customer takes
 * its key's hash directly, the others go through a second sort by (root,
 * key) whose first key per root is the minimum.  What stays in memory per
 * account: the table (8-byte slots, at most 3/4 full: 10.7-21 bytes) and
 * the union-find parent (4 bytes, 8 with the slack of doubling); at finish
 * the table makes way for the 8-byte customer keys.  The link and minimum
 * sorts get what is left of the limit (a link buffer at most a quarter of
 * it, at least 64 KiB), so the index stays within the limit as long as
 * those per-account arrays fit (10 million accounts: 192 MB); beyond, they
 * still grow.  Results are the same byte for byte as in memory.
 *
 * cx_identity_finish frees everything but the 8-byte customer key of each
 * account.
 *
 * Ownership: cx_identity_new returns an object owned by the caller,
 * released with cx_identity_free (accepts NULL).  Strings are copied.
 */
#ifndef CX_IDENTITY_H
#define CX_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"

struct cx_identity;

enum { CX_ID_NEW = 0, CX_ID_DUPLICATE = 1, CX_ID_CONFLICT = 2 };

/* Linking key types (bit flags for --link). */
enum { CX_LINK_ID = 1, CX_LINK_EMAIL = 2, CX_LINK_PHONE = 4 };

struct cx_identity *cx_identity_new(void);
/* Keep the index within about `limit` bytes (0: no limit, the default) by
 * spilling to temporary files in tmpdir (NULL: $TMPDIR, else /tmp); call
 * before the first add.  Negative on error (ENOMEM). */
int cx_identity_set_spill(struct cx_identity *id, size_t limit, const char *tmpdir,
                          struct cx_error *err);
/* Add an account.  On CX_ID_NEW *ordinal receives its number (0, 1, ...);
 * on a repeat *ordinal is the first occurrence's and the return value
 * tells whether the content hash matched.  Negative on error (ENOMEM, or
 * CX_ELIMIT: 2^31-1 accounts, 4 GiB of key bytes in memory or 32 GiB
 * spilled, or a key over 64 KiB; once spilling, CX_ECREAT or CX_EIO from
 * the temporary files, as for link and finish). */
int cx_identity_add(struct cx_identity *id, const char *source, size_t sn,
                    const char *account, size_t an, uint64_t content_hash,
                    uint32_t *ordinal, struct cx_error *err);
/* Join account `ordinal` with every account that had the same (type,
 * value).  Empty values are ignored. */
int cx_identity_link(struct cx_identity *id, uint32_t ordinal, int type,
                     const char *value, size_t n, struct cx_error *err);
/* A hint: start loading the table slot of an account (type 0, a = source,
 * b = account_id) or of a linking value (type CX_LINK_*, a = value), so
 * that the add or link a little later does not wait for memory. */
void cx_identity_prefetch(const struct cx_identity *id, int type, const char *a, size_t an,
                          const char *b, size_t bn);
/* The same with the key's slot hash computed beforehand (for example in
 * another thread): h is cx_identity_slot_hash of the same key, or 0 to
 * have it computed here. */
int cx_identity_add_h(struct cx_identity *id, const char *source, size_t sn,
                      const char *account, size_t an, uint32_t h, uint64_t content_hash,
                      uint32_t *ordinal, struct cx_error *err);
int cx_identity_link_h(struct cx_identity *id, uint32_t ordinal, int type,
                       const char *value, size_t n, uint32_t h, struct cx_error *err);
/* The slot hash of an account (type 0, a = source, b = account_id) or a
 * linking value (type CX_LINK_*, a = value): a pure function of the key,
 * never 0 (but 0 when out of memory for a key over 511 bytes), safe to
 * call from any thread. */
uint32_t cx_identity_slot_hash(int type, const char *a, size_t an, const char *b, size_t bn);
/* cx_identity_prefetch by slot hash (deep 0); deep 1 (a few rows later,
 * the slot loaded by then): the record of a linking value found at its
 * slot; deep 2 (later still): the union-find parent of its account. */
void cx_identity_prefetch_h(const struct cx_identity *id, int type, uint32_t h, int deep);
/* Compute the customer keys; call once after the last add/link. */
int cx_identity_finish(struct cx_identity *id, struct cx_error *err);
/* After finish: the customer key hash of an account, and its text form
 * ("c%016" PRIx64, buf of at least 18 bytes; returns 17). */
uint64_t cx_identity_key(const struct cx_identity *id, uint32_t ordinal);
size_t cx_identity_key_text(uint64_t key, char *buf);
size_t cx_identity_accounts(const struct cx_identity *id);
/* Bytes of memory the index holds now (for memory budgets). */
size_t cx_identity_memory(const struct cx_identity *id);
size_t cx_identity_customers(const struct cx_identity *id);   /* after finish */
void cx_identity_free(struct cx_identity *id);
/* A fast 64-bit hash for internal tables and content fingerprints (not part
 * of any data contract; customer keys always use cx_hash64). */
uint64_t cx_identity_hash(const void *p, size_t n);
/* The same for content fingerprints of whole lines (faster on long input;
 * also internal, its values may change). */
uint64_t cx_identity_content_hash(const void *p, size_t n);

#endif
