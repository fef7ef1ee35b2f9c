/* cx_date — see cx_date.h.  Proleptic Gregorian arithmetic after Howard
 * Hinnant's days_from_civil / civil_from_days (eras of 400 years = 146097
 * days), written here with 64-bit intermediates so that any cx_day maps to
 * a date without overflow. */
#include "cx_date.h"

#include <stdio.h>
#include <string.h>

int cx_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cx_days_in_month(int y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && cx_is_leap(y) ? 29 : dim[m - 1];
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                   /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                     /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                   /* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int cx_day_from_ymd(int y, int m, int d, cx_day *out)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > cx_days_in_month(y, m))
		return -1;
	*out = (cx_day)days_from_civil(y, m, d);
	return 0;
}

void cx_day_to_ymd(cx_day day, int *y, int *m, int *d)
{
	int64_t yy;

	if (day >= -719468) {
		/* year 0 on (every real date): the same steps in unsigned 32-bit
		 * arithmetic, where division by a constant is cheapest */
		uint32_t z = (uint32_t)((int64_t)day + 719468);
		uint32_t era = z / 146097, doe = z - era * 146097;
		uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		uint32_t mp = (5 * doy + 2) / 153;
		*d = (int)(doy - (153 * mp + 2) / 5 + 1);
		*m = (int)(mp < 10 ? mp + 3 : mp - 9);
		*y = (int)(yoe + era * 400 + (*m <= 2));
		return;
	}
	civil_from_days(day, &yy, m, d);
	*y = (int)yy;
}

int cx_day_weekday(cx_day day)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = ((int64_t)day + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

cx_day cx_day_add_months(cx_day day, int months)
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	int64_t t = y * 12 + (m - 1) + months;
	int64_t ny = t >= 0 ? t / 12 : -((-t + 11) / 12);
	int nm = (int)(t - ny * 12) + 1;
	int dim = cx_days_in_month((int)(ny % 400 + 400), nm);   /* leapness repeats every 400 years */
	if (d > dim)
		d = dim;
	return (cx_day)days_from_civil(ny, nm, d);
}

/* ---- parsing ---------------------------------------------------------- */

static int digit(const char *s, size_t i)
{
	return s[i] >= '0' && s[i] <= '9';
}

/* n digits at s[i..] as a number, or -1. */
static int num(const char *s, size_t i, size_t n)
{
	int v = 0;

	for (size_t k = 0; k < n; k++) {
		if (!digit(s, i + k))
			return -1;
		v = v * 10 + (s[i + k] - '0');
	}
	return v;
}

static int ymd_checked(int y, int m, int d, cx_day *out, const char **why)
{
	if (y < 1) {
		*why = "year out of range";
		return -1;
	}
	if (m < 1 || m > 12) {
		*why = "month out of range";
		return -1;
	}
	if (d < 1 || d > cx_days_in_month(y, m)) {
		*why = "day does not exist in that month";
		return -1;
	}
	return cx_day_from_ymd(y, m, d, out);
}

/* "YYYY-MM-DD" at s (n >= 10 bytes available). */
static int iso10(const char *s, cx_day *out, const char **why)
{
	int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);

	if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-') {
		*why = "date not in YYYY-MM-DD form";
		return -1;
	}
	return ymd_checked(y, m, d, out, why);
}

/* cx_date_parse_iso's general path (every form, every reason). */
static int date_parse_iso(const char *s, size_t n, cx_day *out, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	if (s == NULL || n == 0) {
		*why = "empty date";
		return -1;
	}
	if (n != 10) {
		*why = "date not in YYYY-MM-DD form";
		return -1;
	}
	return iso10(s, out, why);
}

/* Optional time of day after a date: "HH:MM[:SS[.fff]]" (one or two digit
 * hour), nothing else. */
static int time_tail_ok(const char *s, size_t n)
{
	size_t i = 0, k;
	int hh = 0, mm, ss = 0;

	for (k = 0; k < 2 && i < n && digit(s, i); k++)
		hh = hh * 10 + (s[i++] - '0');
	if (k == 0 || i >= n || s[i] != ':')
		return 0;
	i++;
	if (n - i < 2 || (mm = num(s, i, 2)) < 0)
		return 0;
	i += 2;
	if (i < n && s[i] == ':') {
		i++;
		if (n - i < 2 || (ss = num(s, i, 2)) < 0)
			return 0;
		i += 2;
		if (i < n && s[i] == '.') {
			i++;
			if (i >= n)
				return 0;
			while (i < n && digit(s, i))
				i++;
		}
	}
	/* optional AM/PM (spreadsheets) */
	if (i < n && s[i] == ' ')
		i++;
	int ampm = 0;
	if (n - i == 2 && (s[i] == 'A' || s[i] == 'P' || s[i] == 'a' || s[i] == 'p') &&
	    (s[i + 1] == 'M' || s[i + 1] == 'm')) {
		i += 2;
		ampm = 1;
	}
	if (ampm ? (hh < 1 || hh > 12) : hh > 23)
		return 0;
	return i == n && mm <= 59 && ss <= 59;
}

/* ---- fast path for the usual ten-byte dates --------------------------- */

/* The words below are read in little-endian byte order (byte k of the
 * input is bits 8k..8k+7); elsewhere every date takes the general path. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CX_DATE_FAST 1

/* days_from_civil for a date known to exist in years 1..9999, in unsigned
 * 32-bit arithmetic (division by a constant is cheapest there) with the
 * days before each month of a year that begins in March from a table. */
static cx_day days_from_valid(unsigned y, unsigned m, unsigned d)
{
	static const uint16_t before[13] = {
		0, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275
	};
	unsigned era, yoe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	return (cx_day)(era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + before[m] + d - 1) -
	       719468;
}

/* 1 and *out when y/m/d (y 0..9999, m and d 0..99) exists, else 0 (the
 * caller's general path then gives the reason). */
static inline __attribute__((always_inline))
int ymd_fast(unsigned y, unsigned m, unsigned d, cx_day *out)
{
	static const unsigned char dim[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y == 0 || m - 1 > 11 || d == 0)
		return 0;
	if (d > dim[m] && !(m == 2 && d == 29 && cx_is_leap((int)y)))
		return 0;
	*out = days_from_valid(y, m, d);
	return 1;
}

/* Nonzero when a byte of x (digits ^ '0' are 0..9) is not 0..9. */
static uint64_t not_digits(uint64_t x)
{
	return (((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL;
}

/* "YYYY-MM-DD", "DD/MM/YYYY" ("/", "-" or "." twice; DMY and MDY
 * orders) of exactly ten bytes, all digits where digits go: 1 and *out
 * when the date exists, or 0 for the general path (every other form,
 * every error and its reason). */
static int date10_fast(const char *s, enum cx_date_order order, cx_day *out)
{
	uint64_t a, t;
	uint16_t b;
	unsigned y, m, d;

	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 2);
	b ^= 0x3030;
	if ((((b & 0x7F7F) + 0x7676) | b) & 0x8080)
		return 0;
	if (s[4] == '-') {
		/* ISO in every order: "YYYY-MM-DD" */
		a ^= 0x2D30302D30303030ULL;            /* "0000-00-" */
		if (not_digits(a) || (a & 0xFF0000FF00000000ULL))
			return 0;
		t = a * 10 + (a >> 8);                  /* byte k: 10 * digit k + digit k+1 */
		y = (unsigned)(t & 0xFF) * 100 + (unsigned)(t >> 16 & 0xFF);
		m = (unsigned)(t >> 40 & 0xFF);
		d = (unsigned)(b & 0xFF) * 10 + (unsigned)(b >> 8);
		return ymd_fast(y, m, d, out);
	}
	if (order == CX_DATE_ISO || s[2] != s[5] || (s[2] != '/' && s[2] != '-' && s[2] != '.'))
		return 0;
	/* "DD/MM/YYYY": the separators masked out of the digit check */
	a = (a ^ 0x3030003030003030ULL) & 0xFFFF00FFFF00FFFFULL;
	if (not_digits(a))
		return 0;
	t = a * 10 + (a >> 8);
	y = (unsigned)(t >> 48 & 0xFF) * 100 + (unsigned)(b & 0xFF) * 10 + (unsigned)(b >> 8);
	a = t & 0xFF;                                   /* first pair */
	t = t >> 24 & 0xFF;                             /* second pair */
	if (order == CX_DATE_DMY)
		return ymd_fast(y, (unsigned)t, (unsigned)a, out);
	return ymd_fast(y, (unsigned)a, (unsigned)t, out);
}

#endif

/* The general parser (out of line: the fast path saves no registers). */
__attribute__((noinline))
static int date_parse(const char *s, size_t n, enum cx_date_order order, cx_day *out,
                      const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	if (s == NULL) {
		*why = "empty date";
		return -1;
	}
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0) {
		*why = "empty date";
		return -1;
	}
	/* ISO, alone or as the start of a timestamp */
	if (n >= 10 && digit(s, 0) && digit(s, 1) && digit(s, 2) && digit(s, 3) && s[4] == '-') {
		if (n > 10) {
			if (!(s[10] == 'T' || s[10] == 't' || s[10] == ' ')) {
				*why = "date not in YYYY-MM-DD form";
				return -1;
			}
			int64_t utc;
			int off;
			if (cx_timestamp_parse(s, n, 0, &utc, &off, why) < 0 &&
			    !time_tail_ok(s + 11, n - 11)) {
				*why = "bad time after the date";
				return -1;
			}
		}
		return iso10(s, out, why);
	}
	/* d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy */
	size_t i = 0, a_len = 0, b_len = 0;
	int a = 0, b = 0, y;
	char sep;
	while (i < n && digit(s, i) && a_len < 3) {
		a = a * 10 + (s[i++] - '0');
		a_len++;
	}
	if (a_len == 0 || a_len > 2 || i >= n || (s[i] != '/' && s[i] != '-' && s[i] != '.')) {
		size_t k = 0;
		while (k < n && digit(s, k))
			k++;
		if (k == n && n <= 6)
			*why = "date is a number (spreadsheet serial date?)";
		else
			*why = order == CX_DATE_ISO ? "date not in YYYY-MM-DD form"
			                            : "unrecognised date";
		return -1;
	}
	sep = s[i++];
	while (i < n && digit(s, i) && b_len < 3) {
		b = b * 10 + (s[i++] - '0');
		b_len++;
	}
	if (b_len == 0 || b_len > 2 || i >= n || s[i] != sep) {
		*why = "unrecognised date";
		return -1;
	}
	i++;
	if (n - i < 4 || (y = num(s, i, 4)) < 0 || (n - i > 4 && digit(s, i + 4))) {
		*why = n - i == 2 ? "two-digit year in date" : "unrecognised date";
		return -1;
	}
	i += 4;
	if (i < n) {
		if (s[i] != ' ' && s[i] != 'T') {
			*why = "unrecognised date";
			return -1;
		}
		if (!time_tail_ok(s + i + 1, n - i - 1)) {
			*why = "bad time after the date";
			return -1;
		}
	}
	if (order == CX_DATE_ISO) {
		*why = "date not in YYYY-MM-DD form (see --date-format)";
		return -1;
	}
	if (order == CX_DATE_DMY)
		return ymd_checked(y, b, a, out, why);
	return ymd_checked(y, a, b, out, why);
}

int cx_date_parse(const char *s, size_t n, enum cx_date_order order, cx_day *out,
                  const char **why)
{
#ifdef CX_DATE_FAST
	if (n == 10 && s && date10_fast(s, order, out))
		return 0;
#endif
	return date_parse(s, n, order, out, why);
}

int cx_date_parse_nofast(const char *s, size_t n, enum cx_date_order order, cx_day *out,
                         const char **why)
{
	return date_parse(s, n, order, out, why);
}

int cx_date_parse_iso(const char *s, size_t n, cx_day *out, const char **why)
{
#ifdef CX_DATE_FAST
	if (n == 10 && s && date10_fast(s, CX_DATE_ISO, out))
		return 0;
#endif
	return date_parse_iso(s, n, out, why);
}

int cx_date_parse_iso_nofast(const char *s, size_t n, cx_day *out, const char **why)
{
	return date_parse_iso(s, n, out, why);
}

size_t cx_date_format(char *buf, cx_day day)
{
	int y, m, d;

	cx_day_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* outside the documented range: never overflow the buffer */
		memcpy(buf, "0000-00-00", 11);
		return 10;
	}
	/* m is 1..12 and d 1..31 here (no printf: a compiler cannot see that) */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return 10;
}

/* ---- timestamps ------------------------------------------------------- */

#define MAX_OFFSET_MIN (18 * 60)

int cx_timestamp_parse(const char *s, size_t n, int default_offset_min,
                       int64_t *utc, int *offset_min, const char **why)
{
	const char *dummy;
	cx_day day;
	size_t i;
	int hh, mi, ss = 0, off;

	if (why == NULL)
		why = &dummy;
	if (s == NULL || n == 0) {
		*why = "empty timestamp";
		return -1;
	}
	if (n < 16 || !(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || s[13] != ':') {
		*why = "timestamp not in YYYY-MM-DDTHH:MM form";
		return -1;
	}
	if (iso10(s, &day, why) < 0)
		return -1;
	hh = num(s, 11, 2);
	mi = num(s, 14, 2);
	if (hh < 0 || mi < 0) {
		*why = "timestamp not in YYYY-MM-DDTHH:MM form";
		return -1;
	}
	i = 16;
	if (i < n && s[i] == ':') {
		if (n - i < 3 || (ss = num(s, i + 1, 2)) < 0) {
			*why = "bad seconds in timestamp";
			return -1;
		}
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			size_t k = 0;
			for (i++; i < n && digit(s, i); i++)
				k++;
			if (k == 0 || k > 9) {
				*why = "bad fraction of a second in timestamp";
				return -1;
			}
		}
	}
	if (hh > 23 || mi > 59 || ss > 59) {
		*why = "time of day out of range";
		return -1;
	}
	if (i == n) {
		if (default_offset_min == CX_NO_OFFSET) {
			*why = "timestamp without UTC offset";
			return -1;
		}
		off = default_offset_min;
	} else if (s[i] == 'Z' || s[i] == 'z') {
		if (i + 1 != n) {
			*why = "junk after timestamp";
			return -1;
		}
		off = 0;
	} else if (s[i] == '+' || s[i] == '-') {
		int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
		size_t r = n - i - 1;
		const char *o = s + i + 1;
		if (r == 2) {
			oh = num(o, 0, 2);
		} else if (r == 4) {
			oh = num(o, 0, 2);
			om = num(o, 2, 2);
		} else if (r == 5 && o[2] == ':') {
			oh = num(o, 0, 2);
			om = num(o, 3, 2);
		} else {
			*why = "bad UTC offset in timestamp";
			return -1;
		}
		if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > MAX_OFFSET_MIN) {
			*why = "bad UTC offset in timestamp";
			return -1;
		}
		off = sign * (oh * 60 + om);
	} else {
		*why = "junk after timestamp";
		return -1;
	}
	if (off > MAX_OFFSET_MIN || off < -MAX_OFFSET_MIN) {
		*why = "bad UTC offset in timestamp";
		return -1;
	}
	*utc = (int64_t)day * 86400 + hh * 3600 + mi * 60 + ss - (int64_t)off * 60;
	*offset_min = off;
	return 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

cx_day cx_timestamp_day(int64_t utc, int offset_min)
{
	return (cx_day)floordiv(utc + (int64_t)offset_min * 60, 86400);
}

size_t cx_timestamp_format(char *buf, int64_t utc, int offset_min)
{
	int64_t local = utc + (int64_t)offset_min * 60;
	int64_t day = floordiv(local, 86400);
	int64_t sod = local - day * 86400;
	char date[11];
	int len;

	cx_date_format(date, (cx_day)day);
	if (offset_min == 0) {
		len = snprintf(buf, 32, "%sT%02d:%02d:%02dZ", date, (int)(sod / 3600),
		               (int)(sod / 60 % 60), (int)(sod % 60));
	} else {
		int a = offset_min < 0 ? -offset_min : offset_min;
		len = snprintf(buf, 32, "%sT%02d:%02d:%02d%c%02d:%02d", date, (int)(sod / 3600),
		               (int)(sod / 60 % 60), (int)(sod % 60), offset_min < 0 ? '-' : '+',
		               (a / 60) % 100, a % 60);
	}
	return len < 0 ? 0 : (size_t)len;
}
