/* cx_pseudo — keyed pseudonyms (HMAC-SHA256) for personal data columns, so
 * that extracts handed to analysts carry no national id, email or phone but
 * still join: the same key and value always give the same pseudonym.
 *
 * Pseudonym of VALUE in column COLUMN:
 *     "p" + lowercase hex of the first 16 bytes of
 *     HMAC-SHA256(key, COLUMN || 0x1f || normalise(COLUMN, VALUE))
 * i.e. 33 characters.  The column name is part of the message, so an id and
 * a phone with the same digits get different pseudonyms.  normalise():
 * ASCII white space trimmed at both ends; "national_id": '.', '-', '/' and
 * spaces dropped and letters upper-cased (cx_norm_national_id; the trimmed
 * bytes when that refuses the value); "email": ASCII letters lower-cased;
 * anything else ("phone" is already E.164 in canonical streams): trimmed
 * bytes.  An empty value (no value) stays empty.
 *
 * The key is the whole content of a key file (raw bytes, a trailing newline
 * included), at least CX_PSEUDO_MIN_KEY bytes and at most CX_PSEUDO_MAX_KEY;
 * the file must be a regular file with no group or other permission bits
 * (chmod 600).  Keep it outside the repository and the data directories.
 * The primitive is OpenSSL's libcrypto (HMAC with EVP_sha256); we write no
 * crypto of our own.
 *
 * Ownership: cx_pseudo_open() returns a key holder owned by the caller and
 * released with cx_pseudo_free() (accepts NULL; wipes the key).  Nothing
 * here prints or exits; errors fill struct cx_error and return CX_E*.
 */
#ifndef CX_PSEUDO_H
#define CX_PSEUDO_H

#include <stddef.h>
#include "cx_err.h"
#include "cx_tsv.h"

#define CX_PSEUDO_MIN_KEY 32
#define CX_PSEUDO_MAX_KEY 4096
#define CX_PSEUDO_LEN 33            /* "p" + 32 hex digits */
#define CX_PSEUDO_BUFSZ (CX_PSEUDO_LEN + 1)
/* Columns pseudonymised when the caller names none. */
#define CX_PSEUDO_DEFAULT_COLUMNS "national_id,email,phone"

struct cx_pseudo;

/* Read the key file.  CX_ENOINPUT when it cannot be opened or read,
 * CX_EUSAGE when it is not a regular file, is group/world accessible or is
 * shorter than CX_PSEUDO_MIN_KEY (or longer than CX_PSEUDO_MAX_KEY) bytes,
 * CX_ENOMEM.  The message names the file, never the key. */
int cx_pseudo_open(struct cx_pseudo **out, const char *keyfile, struct cx_error *err);
/* Same from bytes in memory (tests, embedding); same length rules. */
int cx_pseudo_from_key(struct cx_pseudo **out, const void *key, size_t n,
                       struct cx_error *err);
void cx_pseudo_free(struct cx_pseudo *p);

/* The primitive: HMAC-SHA256(key, msg) into out[32].  0 or CX_EINTERNAL. */
int cx_pseudo_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                          unsigned char out[32]);

/* Pseudonym of value[0..n) in `column` into out (CX_PSEUDO_BUFSZ bytes,
 * NUL-terminated).  Returns its length (CX_PSEUDO_LEN, or 0 for an empty
 * value) or CX_EINTERNAL/CX_ENOMEM. */
int cx_pseudo_value(const struct cx_pseudo *p, const char *column,
                    const char *value, size_t n, char *out);

/* Map a comma-separated list of column names (NULL or "" means
 * CX_PSEUDO_DEFAULT_COLUMNS) to indexes in a header of `ncol` names.
 * Names absent from the header are skipped (an accounts stream has all
 * three; an event stream none).  idx must hold ncol entries; *nidx gets the
 * count.  CX_EUSAGE for an empty name in the list or one that is not a
 * known personal column (national_id, email, phone, name,
 * source_customer_id). */
int cx_pseudo_columns(const char *const *names, size_t ncol, const char *spec,
                      size_t *idx, size_t *nidx, struct cx_error *err);

/* Replace fields[idx[k]] for k < nidx by their pseudonyms, in place: the
 * field is pointed at bufs[k] (caller-owned, nidx entries of
 * CX_PSEUDO_BUFSZ bytes, valid as long as the row is used).  Returns 0 or
 * a negative CX_E* with err filled (no value in the message). */
int cx_pseudo_apply_columns(const struct cx_pseudo *p, const char *const *names,
                            struct cx_field *fields, size_t nfields,
                            const size_t *idx, size_t nidx,
                            char (*bufs)[CX_PSEUDO_BUFSZ], struct cx_error *err);

#endif
