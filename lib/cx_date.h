/* cx_date — calendar dates as day numbers and timestamps with offsets.
 * Pure proleptic Gregorian arithmetic: nothing here reads the clock, the
 * locale or TZ, so output never depends on the machine.
 *
 * A cx_day is the number of days since 1970-01-01 (may be negative).
 * Ownership: no allocation; callers own every buffer.
 */
#ifndef CX_DATE_H
#define CX_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef int32_t cx_day;

#define CX_DAY_NONE INT32_MIN   /* "no date" (empty field) */

/* Valid for years 1..9999; returns 0 or -1 when the date does not exist. */
int cx_day_from_ymd(int y, int m, int d, cx_day *out);
void cx_day_to_ymd(cx_day day, int *y, int *m, int *d);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int cx_day_weekday(cx_day day);
/* Add months, clamping the day to the end of the month (Jan 31 + 1 = Feb 28/29). */
cx_day cx_day_add_months(cx_day day, int months);
int cx_is_leap(int y);
int cx_days_in_month(int y, int m);

enum cx_date_order { CX_DATE_ISO, CX_DATE_DMY, CX_DATE_MDY };

/* Strict ISO "YYYY-MM-DD".  Returns 0 or -1 (*why set). */
int cx_date_parse_iso(const char *s, size_t n, cx_day *out, const char **why);
/* Raw export dates: ISO always accepted; DMY/MDY accept d/m/yyyy, dd-mm-yyyy,
 * dd.mm.yyyy (one or two digit day and month, four digit year).  An ISO
 * timestamp "YYYY-MM-DDTHH:MM..." or "YYYY-MM-DD HH:MM:SS" gives its date
 * (the date as written, whatever the offset).  Surrounding spaces are
 * trimmed, and a spreadsheet time after a DMY/MDY date ("15/06/2024 0:00",
 * "6/15/2024 12:00:00 AM") is checked and ignored.  Rejected with a reason:
 * dates that do not exist, two-digit years, bare numbers (spreadsheet
 * serial dates), and under CX_DATE_ISO any d/m/y form ("see
 * --date-format"). */
int cx_date_parse(const char *s, size_t n, enum cx_date_order order, cx_day *out,
                  const char **why);
/* Tests only: cx_date_parse and cx_date_parse_iso without their fast path
 * for the usual ten-byte dates (same results and reasons, slower). */
int cx_date_parse_nofast(const char *s, size_t n, enum cx_date_order order, cx_day *out,
                         const char **why);
int cx_date_parse_iso_nofast(const char *s, size_t n, cx_day *out, const char **why);
/* "YYYY-MM-DD"; buf needs 11 bytes.  Returns 10. */
size_t cx_date_format(char *buf, cx_day day);

/* Timestamps: seconds since 1970-01-01T00:00:00Z plus the UTC offset in
 * minutes that the text carried.  Accepted: "YYYY-MM-DDTHH:MM[:SS][.fff]"
 * followed by "Z", "+HH:MM", "-HH:MM", "+HHMM" or "+HH"; a space may replace
 * the T.  Without an offset the parse fails unless default_offset_min is not
 * CX_NO_OFFSET, which is then used. */
#define CX_NO_OFFSET INT32_MIN
int cx_timestamp_parse(const char *s, size_t n, int default_offset_min,
                       int64_t *utc, int *offset_min, const char **why);
/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (or "Z" when offset is 0); buf needs 32 bytes. */
size_t cx_timestamp_format(char *buf, int64_t utc, int offset_min);

/* Local calendar day of a timestamp at an offset. */
cx_day cx_timestamp_day(int64_t utc, int offset_min);

/* Dates repeat (a few hundred distinct days in a night's streams): a
 * direct-mapped memo of ten-byte "YYYY-MM-DD" texts and their day, for
 * readers that parse millions of them.  Only successful parses are put;
 * lo == 0 marks an empty slot (a date's first eight bytes are never all
 * NUL).  Zero-initialise before use; ~56 KiB. */
#define CX_DAY_CACHE 4096
struct cx_day_cache {
	uint64_t lo[CX_DAY_CACHE];
	uint16_t hi[CX_DAY_CACHE];
	cx_day day[CX_DAY_CACHE];
};

/* Slot of the ten bytes at p; 1 and *out when they were put there. */
static inline int
cx_day_cache_get(const struct cx_day_cache *c, const char *p, size_t *slot, cx_day *out)
{
	uint64_t lo;
	uint16_t hi;
	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 2);
	*slot = (size_t)(((lo ^ hi) * 0x9e3779b97f4a7c15ULL) >> 52);   /* 12 bits */
	if (c->lo[*slot] == lo && c->hi[*slot] == hi) {
		*out = c->day[*slot];
		return 1;
	}
	return 0;
}

/* Remember that the ten bytes at p parsed to day (slot from _get). */
static inline void
cx_day_cache_put(struct cx_day_cache *c, size_t slot, const char *p, cx_day day)
{
	memcpy(&c->lo[slot], p, 8);
	memcpy(&c->hi[slot], p + 8, 2);
	c->day[slot] = day;
}

#endif
