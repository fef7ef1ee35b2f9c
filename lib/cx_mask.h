/* cx_mask — masking of personal data in human-facing reports, and the
 * spreadsheet formula-injection guard for CSV exports (engineering.md 3.1,
 * 3.2; documented in cx-report(1)).
 *
 * Masks (the default in cx-report; --unmask shows full values):
 *   national id  "******7890"   six stars, then the last 4 characters
 *   phone        "******4567"   six stars, then the last 4 digits
 *   email        "a***@dominio.com"  first character of the local part
 *   name         "J. P."        the initial of each word (UTF-8 aware)
 * Values of 4 characters or fewer mask to "****" (id, phone); an email
 * without '@' to "***".  The number of stars never reveals the length.
 *
 * Ownership: no allocation.  Every function writes into a caller buffer
 * `out` of `outsz` bytes, always NUL-terminates when outsz > 0, and
 * returns the length it needed (like snprintf): a result >= outsz means
 * the output was cut.
 */
#ifndef CX_MASK_H
#define CX_MASK_H

#include <stddef.h>

enum cx_mask_kind { CX_MASK_NONE, CX_MASK_ID, CX_MASK_PHONE, CX_MASK_EMAIL,
                    CX_MASK_NAME };

size_t cx_mask_id(char *out, size_t outsz, const char *s, size_t n);
size_t cx_mask_phone(char *out, size_t outsz, const char *s, size_t n);
size_t cx_mask_email(char *out, size_t outsz, const char *s, size_t n);
size_t cx_mask_name(char *out, size_t outsz, const char *s, size_t n);
/* Dispatch on kind; CX_MASK_NONE copies the value unchanged. */
size_t cx_mask(enum cx_mask_kind kind, char *out, size_t outsz, const char *s, size_t n);
/* Kind of a canonical column name: national_id, phone, email, name;
 * CX_MASK_NONE for anything else. */
enum cx_mask_kind cx_mask_kind_of(const char *column);

/* Formula-injection guard for one CSV cell of a TEXT column: when the cell
 * starts with '=', '+', '-', '@', TAB (0x09), CR (0x0D) or NUL, the output
 * is "'" followed by the cell; otherwise the cell unchanged.  Idempotent:
 * a neutralised cell starts with "'" and is never prefixed again.  Never
 * call it on numbers the report formatted itself ("-1500.00" stays as is).
 * Fullwidth U+FF1D is treated as text by spreadsheets and is left alone.
 * n counts bytes (the cell may hold NUL). */
size_t cx_cell_neutralise(char *out, size_t outsz, const char *s, size_t n);
/* True when the cell would be prefixed. */
int cx_cell_dangerous(const char *s, size_t n);

#endif
