/* cx_tz — IANA time zones read from the system tz database (TZif files,
 * RFC 8536, version 2 and later; the 64-bit block and the POSIX TZ footer
 * for instants after the last transition).  Nothing here reads the TZ
 * environment variable or calls localtime(): the zone is always named.
 *
 * Ownership: cx_tz_load returns a zone owned by the caller (cx_tz_free,
 * accepts NULL).  A cx_tz_cache owns every zone it loaded; pointers it
 * returns are borrowed until cx_tz_cache_free.  No function prints.
 */
#ifndef CX_TZ_H
#define CX_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"

#define CX_TZ_DEFAULT_DIR "/usr/share/zoneinfo"

struct cx_tz;

/* Load zone `name` (e.g. "America/Bogota") from directory `dir` (NULL =
 * CX_TZ_DEFAULT_DIR).  Names with "..", a leading '/', or bytes outside
 * [A-Za-z0-9/_+-] are refused (CX_EUSAGE); a missing zone is CX_ENOINPUT;
 * a malformed file CX_EDATA. */
struct cx_tz *cx_tz_load(const char *dir, const char *name, struct cx_error *err);
/* Parse a TZif image from memory (for tests and fuzzing). */
struct cx_tz *cx_tz_parse(const unsigned char *p, size_t n, const char *name,
                          struct cx_error *err);
const char *cx_tz_name(const struct cx_tz *tz);
/* UTC offset in seconds (east positive) in force at instant `utc`. */
int32_t cx_tz_offset(const struct cx_tz *tz, int64_t utc);
/* The instant at which the local wall clock of `tz` reads `local` seconds
 * since 1970-01-01T00:00 (local).  In a gap (spring forward) the wall time
 * is read with the offset before the gap (so 02:30 becomes 03:30 DST); in
 * an overlap the earlier instant is chosen.  *offset receives the offset
 * in force at the returned instant. */
int64_t cx_tz_from_local(const struct cx_tz *tz, int64_t local, int32_t *offset);
void cx_tz_free(struct cx_tz *tz);

/* Parse a POSIX TZ rule string ("EST5EDT,M3.2.0,M11.1.0", "<-05>5"); used
 * for TZif footers.  Returns 0 or -1.  Exposed for tests. */
struct cx_tz_rule {
	int32_t std_off, dst_off;   /* UTC offsets in seconds (east positive) */
	int has_dst;
	struct { char kind; int m, w, d, n; int32_t secs; } start, end;
};
int cx_tz_rule_parse(const char *s, struct cx_tz_rule *r);
int32_t cx_tz_rule_offset(const struct cx_tz_rule *r, int64_t utc);

/* A name -> zone cache (a customer stream names few zones). */
struct cx_tz_cache;
struct cx_tz_cache *cx_tz_cache_new(const char *dir);
/* Borrowed zone, or NULL with err filled (failures are cached too). */
const struct cx_tz *cx_tz_cache_get(struct cx_tz_cache *c, const char *name, size_t n,
                                    struct cx_error *err);
void cx_tz_cache_free(struct cx_tz_cache *c);

#endif
