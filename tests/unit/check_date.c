/* cx_date: civil-date arithmetic, validation (catalogue case 35), parsing
 * in ISO/DMY/MDY, timestamps with offsets; identity properties over years
 * 1..9999. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_date.h"

START_TEST(known_days)
{
	static const struct { int y, m, d; cx_day day; int wd; } t[] = {
		{1970, 1, 1, 0, 4}, {1969, 12, 31, -1, 3}, {2000, 1, 1, 10957, 6},
		{2000, 2, 29, 11016, 2}, {2000, 3, 1, 11017, 3}, {2024, 2, 29, 19782, 4},
		{2024, 6, 15, 19889, 6}, {2038, 1, 19, 24855, 2}, {1, 1, 1, -719162, 1},
		{9999, 12, 31, 2932896, 5}, {1900, 3, 1, -25508, 4}, {1600, 2, 29, -135081, 2},
		{2026, 11, 22, 20779, 7},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_day d;
		int y, m, dd;
		ck_assert_int_eq(cx_day_from_ymd(t[i].y, t[i].m, t[i].d, &d), 0);
		ck_assert_msg(d == t[i].day, "%04d-%02d-%02d -> %d", t[i].y, t[i].m, t[i].d, d);
		cx_day_to_ymd(d, &y, &m, &dd);
		ck_assert(y == t[i].y && m == t[i].m && dd == t[i].d);
		ck_assert_msg(cx_day_weekday(d) == t[i].wd, "weekday of %d", d);
	}
}
END_TEST

START_TEST(validation)
{
	static const struct { int y, m, d, ok; } t[] = {
		{2024, 2, 30, 0}, {2023, 2, 29, 0}, {2024, 2, 29, 1}, {1900, 2, 29, 0},
		{2000, 2, 29, 1}, {2100, 2, 29, 0}, {2024, 4, 31, 0}, {2024, 4, 30, 1},
		{2024, 13, 1, 0}, {2024, 0, 1, 0}, {2024, 1, 0, 0}, {2024, 1, 32, 0},
		{0, 1, 1, 0}, {10000, 1, 1, 0}, {-5, 1, 1, 0}, {1, 1, 1, 1}, {9999, 12, 31, 1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_day d;
		ck_assert_msg((cx_day_from_ymd(t[i].y, t[i].m, t[i].d, &d) == 0) == t[i].ok,
		              "%d-%d-%d", t[i].y, t[i].m, t[i].d);
	}
	ck_assert_int_eq(cx_is_leap(2024), 1);
	ck_assert_int_eq(cx_is_leap(1900), 0);
	ck_assert_int_eq(cx_is_leap(2000), 1);
	ck_assert_int_eq(cx_days_in_month(2023, 2), 28);
	ck_assert_int_eq(cx_days_in_month(2024, 2), 29);
	ck_assert_int_eq(cx_days_in_month(2024, 9), 30);
	ck_assert_int_eq(cx_days_in_month(2024, 0), 0);
	ck_assert_int_eq(cx_days_in_month(2024, 13), 0);
}
END_TEST

/* Years 1..9999: the first and last day of every year are consecutive
 * across years; every single day of a sample of years (each 13th year, and
 * all of 1890..2110) round-trips through to_ymd and has the next weekday. */
START_TEST(identity_all_days)
{
	cx_day prev, d, last;
	int y, m, dd;

	ck_assert_int_eq(cx_day_from_ymd(1, 1, 1, &prev), 0);
	prev--;
	for (int yy = 1; yy <= 9999; yy++) {
		cx_day first;
		ck_assert_int_eq(cx_day_from_ymd(yy, 1, 1, &first), 0);
		ck_assert_int_eq(first, prev + 1);
		ck_assert_int_eq(cx_day_from_ymd(yy, 12, 31, &last), 0);
		ck_assert_int_eq(last - first + 1, cx_is_leap(yy) ? 366 : 365);
		cx_day_to_ymd(first, &y, &m, &dd);
		ck_assert(y == yy && m == 1 && dd == 1);
		cx_day_to_ymd(last, &y, &m, &dd);
		ck_assert(y == yy && m == 12 && dd == 31);
		if (yy % 13 == 0 || (yy >= 1890 && yy <= 2110)) {
			cx_day p = first - 1;
			int wd = cx_day_weekday(p);
			for (int mm = 1; mm <= 12; mm++) {
				int dim = cx_days_in_month(yy, mm);
				for (int di = 1; di <= dim; di++) {
					if (cx_day_from_ymd(yy, mm, di, &d) != 0 || d != p + 1)
						ck_abort_msg("from_ymd %d-%d-%d", yy, mm, di);
					cx_day_to_ymd(d, &y, &m, &dd);
					if (y != yy || m != mm || dd != di)
						ck_abort_msg("to_ymd %d", d);
					wd = wd % 7 + 1;
					if (cx_day_weekday(d) != wd)
						ck_abort_msg("weekday %d", d);
					p = d;
				}
			}
		}
		prev = last;
	}
	/* dates outside 1..9999 still map without overflow */
	cx_day_to_ymd(INT32_MIN + 1, &y, &m, &dd);
	ck_assert(m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
	cx_day_to_ymd(INT32_MAX, &y, &m, &dd);
	ck_assert(m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
	ck_assert(cx_day_weekday(INT32_MIN) >= 1 && cx_day_weekday(INT32_MIN) <= 7);
}
END_TEST

static cx_day D(int y, int m, int d)
{
	cx_day r;
	ck_assert_int_eq(cx_day_from_ymd(y, m, d, &r), 0);
	return r;
}

START_TEST(add_months)
{
	static const struct { int y, m, d, k, ry, rm, rd; } t[] = {
		{2024, 1, 31, 1, 2024, 2, 29}, {2023, 1, 31, 1, 2023, 2, 28},
		{2024, 3, 31, 1, 2024, 4, 30}, {2024, 1, 15, 12, 2025, 1, 15},
		{2024, 3, 31, -1, 2024, 2, 29}, {2024, 1, 31, -2, 2023, 11, 30},
		{2024, 5, 10, 0, 2024, 5, 10}, {2024, 12, 31, 2, 2025, 2, 28},
		{2024, 1, 1, -13, 2022, 12, 1}, {2000, 2, 29, 12, 2001, 2, 28},
		{2000, 2, 29, 48, 2004, 2, 29}, {1, 1, 31, 1, 1, 2, 28},
		{2024, 8, 31, -6, 2024, 2, 29}, {2024, 10, 31, 120, 2034, 10, 31},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_day r = cx_day_add_months(D(t[i].y, t[i].m, t[i].d), t[i].k);
		ck_assert_msg(r == D(t[i].ry, t[i].rm, t[i].rd), "case %zu", i);
	}
}
END_TEST

struct pcase {
	const char *s;
	enum cx_date_order order;
	int ok;
	int y, m, d;
	const char *why;
};

START_TEST(parse)
{
	static const struct pcase t[] = {
		{"2024-06-15", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15", CX_DATE_DMY, 1, 2024, 6, 15, NULL},
		{"2024-06-15", CX_DATE_MDY, 1, 2024, 6, 15, NULL},
		/* catalogue 35 */
		{"2024-02-30", CX_DATE_ISO, 0, 0, 0, 0, "does not exist"},
		{"15/06/2024", CX_DATE_ISO, 0, 0, 0, 0, "YYYY-MM-DD"},
		{"15/06/2024", CX_DATE_DMY, 1, 2024, 6, 15, NULL},
		{"15/06/2024", CX_DATE_MDY, 0, 0, 0, 0, "month"},
		{"06/15/2024", CX_DATE_MDY, 1, 2024, 6, 15, NULL},
		{"6/5/2024", CX_DATE_DMY, 1, 2024, 5, 6, NULL},
		{"6/5/2024", CX_DATE_MDY, 1, 2024, 6, 5, NULL},
		{"05-06-2024", CX_DATE_DMY, 1, 2024, 6, 5, NULL},
		{"05.06.2024", CX_DATE_DMY, 1, 2024, 6, 5, NULL},
		{"05.06-2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"31/04/2024", CX_DATE_DMY, 0, 0, 0, 0, "does not exist"},
		{"29/02/2023", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"29/02/2024", CX_DATE_DMY, 1, 2024, 2, 29, NULL},
		{"15/06/24", CX_DATE_DMY, 0, 0, 0, 0, "two-digit year"},
		{"115/06/2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"15/006/2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"15/06/20245", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"15/06/2024 00:00:00", CX_DATE_DMY, 1, 2024, 6, 15, NULL},
		{"15/06/2024 0:00", CX_DATE_DMY, 1, 2024, 6, 15, NULL},
		{"6/15/2024 12:00:00 AM", CX_DATE_MDY, 1, 2024, 6, 15, NULL},
		{"15/06/2024 noon", CX_DATE_DMY, 0, 0, 0, 0, "time"},
		{"15/06/2024 24:00", CX_DATE_DMY, 0, 0, 0, 0, "time"},
		{"15/06/2024 23:60", CX_DATE_DMY, 0, 0, 0, 0, "time"},
		{"15/06/2024 13:00 PM", CX_DATE_DMY, 0, 0, 0, 0, "time"},
		{"15/06/2024 12:59:59 pm", CX_DATE_DMY, 1, 2024, 6, 15, NULL},
		{"2024-06-15T25:00", CX_DATE_ISO, 0, 0, 0, 0, "time"},
		{"2024-06-15 10:30", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15 9:30:00", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15T10:30:00Z", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15 10:30:00", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15T23:30:00-05:00", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"2024-06-15 junk", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"2024-06-15x", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"  2024-06-15 ", CX_DATE_ISO, 1, 2024, 6, 15, NULL},
		{"45458", CX_DATE_DMY, 0, 0, 0, 0, "serial"},
		{"", CX_DATE_ISO, 0, 0, 0, 0, "empty"},
		{"2024-6-15", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"2024/06/15", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"20240615", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"0000-01-01", CX_DATE_ISO, 0, 0, 0, 0, "year"},
		{"2024-00-10", CX_DATE_ISO, 0, 0, 0, 0, "month"},
		{"2024-1a-10", CX_DATE_ISO, 0, 0, 0, 0, NULL},
		{"June 15, 2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"/06/2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
		{"15//2024", CX_DATE_DMY, 0, 0, 0, 0, NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_day d = 12345;
		const char *why = NULL;
		int r = cx_date_parse(t[i].s, strlen(t[i].s), t[i].order, &d, &why);
		ck_assert_msg((r == 0) == t[i].ok, "#%zu \"%s\": r=%d why=%s", i, t[i].s, r,
		              why ? why : "");
		if (t[i].ok) {
			ck_assert_msg(d == D(t[i].y, t[i].m, t[i].d), "#%zu \"%s\"", i, t[i].s);
		} else {
			ck_assert(why && why[0]);
			if (t[i].why)
				ck_assert_msg(strstr(why, t[i].why), "#%zu \"%s\": %s", i, t[i].s, why);
		}
	}
}
END_TEST

START_TEST(parse_iso_strict)
{
	static const struct { const char *s; int ok; } t[] = {
		{"2024-06-15", 1}, {"2024-02-29", 1}, {"2024-02-30", 0}, {"2023-02-29", 0},
		{" 2024-06-15", 0}, {"2024-06-15 ", 0}, {"2024-06-15T00:00", 0}, {"15/06/2024", 0},
		{"2024-06-1", 0}, {"2024-6-15", 0}, {"+024-06-15", 0}, {"", 0}, {"9999-12-31", 1},
		{"0001-01-01", 1}, {"2024-04-31", 0}, {"2024_06_15", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_day d;
		const char *why = NULL;
		int r = cx_date_parse_iso(t[i].s, strlen(t[i].s), &d, &why);
		ck_assert_msg((r == 0) == t[i].ok, "\"%s\"", t[i].s);
		if (!t[i].ok)
			ck_assert(why && why[0]);
	}
	cx_day d;
	ck_assert_int_eq(cx_date_parse_iso(NULL, 0, &d, NULL), -1);
	/* only n bytes are read */
	ck_assert_int_eq(cx_date_parse_iso("2024-06-15XYZ", 10, &d, NULL), 0);
}
END_TEST

START_TEST(format_all)
{
	char buf[11];
	ck_assert_uint_eq(cx_date_format(buf, 0), 10);
	ck_assert_str_eq(buf, "1970-01-01");
	cx_date_format(buf, D(2024, 2, 29));
	ck_assert_str_eq(buf, "2024-02-29");
	cx_date_format(buf, D(1, 1, 1));
	ck_assert_str_eq(buf, "0001-01-01");
	/* out of range never overflows */
	ck_assert_uint_eq(cx_date_format(buf, INT32_MAX), 10);
	ck_assert_uint_eq(strlen(buf), 10);
	ck_assert_uint_eq(cx_date_format(buf, INT32_MIN + 1), 10);
	/* parse∘format over a sample of days */
	for (cx_day d = D(1, 1, 1); d <= D(9999, 12, 31); d += 997) {
		cx_day back;
		cx_date_format(buf, d);
		ck_assert_int_eq(cx_date_parse_iso(buf, 10, &back, NULL), 0);
		ck_assert_int_eq(back, d);
	}
}
END_TEST

struct tcase_ts {
	const char *s;
	int def;
	int ok;
	int64_t utc;
	int off;
	const char *fmt;   /* canonical text when ok */
};

START_TEST(timestamps)
{
	static const struct tcase_ts t[] = {
		{"1970-01-01T00:00:00Z", CX_NO_OFFSET, 1, 0, 0, "1970-01-01T00:00:00Z"},
		{"2024-06-15T08:30:00-05:00", CX_NO_OFFSET, 1, 1718458200, -300,
		 "2024-06-15T08:30:00-05:00"},
		{"2024-06-15T08:30-05:00", CX_NO_OFFSET, 1, 1718458200, -300,
		 "2024-06-15T08:30:00-05:00"},
		{"2024-06-15 08:30:00-0500", CX_NO_OFFSET, 1, 1718458200, -300,
		 "2024-06-15T08:30:00-05:00"},
		{"2024-06-15T08:30:00-05", CX_NO_OFFSET, 1, 1718458200, -300,
		 "2024-06-15T08:30:00-05:00"},
		{"2024-06-15T13:30:00.123456Z", CX_NO_OFFSET, 1, 1718458200, 0,
		 "2024-06-15T13:30:00Z"},
		{"2024-06-15T19:00:00+05:30", CX_NO_OFFSET, 1, 1718458200, 330,
		 "2024-06-15T19:00:00+05:30"},
		{"2024-06-15t13:30:00z", CX_NO_OFFSET, 1, 1718458200, 0, "2024-06-15T13:30:00Z"},
		{"2024-06-15T08:30:00", -300, 1, 1718458200, -300, "2024-06-15T08:30:00-05:00"},
		{"2024-06-15T08:30:00", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"1969-12-31T23:59:59Z", CX_NO_OFFSET, 1, -1, 0, "1969-12-31T23:59:59Z"},
		{"2024-06-15T24:00:00Z", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T23:60:00Z", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T23:59:60Z", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-02-30T10:00:00Z", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00+19:00", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00+05:60", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00+5", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00Zjunk", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00 -05:00", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"2024-06-15T10:00:00.Z", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"", CX_NO_OFFSET, 0, 0, 0, NULL},
		{"0001-01-01T00:00:00+14:00", CX_NO_OFFSET, 1, -62135596800LL - 14 * 3600, 840,
		 "0001-01-01T00:00:00+14:00"},
		{"9999-12-31T23:59:59-12:00", CX_NO_OFFSET, 1, 253402300799LL + 12 * 3600, -720,
		 "9999-12-31T23:59:59-12:00"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t utc = 7;
		int off = 7;
		const char *why = NULL;
		int r = cx_timestamp_parse(t[i].s, strlen(t[i].s), t[i].def, &utc, &off, &why);
		ck_assert_msg((r == 0) == t[i].ok, "#%zu \"%s\" %s", i, t[i].s, why ? why : "");
		if (!t[i].ok) {
			ck_assert(why && why[0]);
			continue;
		}
		ck_assert_msg(utc == t[i].utc, "#%zu utc %lld", i, (long long)utc);
		ck_assert_int_eq(off, t[i].off);
		char buf[32];
		size_t n = cx_timestamp_format(buf, utc, off);
		ck_assert_str_eq(buf, t[i].fmt);
		ck_assert_uint_eq(n, strlen(buf));
	}
}
END_TEST

START_TEST(timestamp_day)
{
	int64_t utc;
	int off;
	/* 03:00Z on the 16th is still the 15th in Bogota */
	ck_assert_int_eq(cx_timestamp_parse("2024-06-16T03:00:00Z", 20, CX_NO_OFFSET, &utc, &off,
	                                    NULL), 0);
	ck_assert_int_eq(cx_timestamp_day(utc, -300), D(2024, 6, 15));
	ck_assert_int_eq(cx_timestamp_day(utc, 0), D(2024, 6, 16));
	ck_assert_int_eq(cx_timestamp_day(-1, 0), -1);
	ck_assert_int_eq(cx_timestamp_day(-86400, 0), -1);
	ck_assert_int_eq(cx_timestamp_day(-86401, 0), -2);
	ck_assert_int_eq(cx_timestamp_day(0, 60), 0);
	ck_assert_int_eq(cx_timestamp_day(0, -60), -1);
	/* format∘parse identity on a sample of instants and offsets */
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t u = (int64_t)(x % 253402300799ULL) - 62135596800LL / 2;
		int o = (int)((x >> 40) % (2 * 14 * 60 + 1)) - 14 * 60;
		char buf[32];
		int64_t u2;
		int o2;
		size_t n = cx_timestamp_format(buf, u, o);
		ck_assert_msg(cx_timestamp_parse(buf, n, CX_NO_OFFSET, &u2, &o2, NULL) == 0, "%s", buf);
		ck_assert(u2 == u && o2 == o);
		ck_assert_int_eq(cx_timestamp_day(u, o), cx_timestamp_day(u2 + o2 * 60, 0));
		cx_day d;
		ck_assert_int_eq(cx_date_parse(buf, n, CX_DATE_ISO, &d, NULL), 0);
		ck_assert_int_eq(d, cx_timestamp_day(u, o));
	}
}
END_TEST

/* cx_day_to_ymd (32-bit path from year 0 on) agrees with the 64-bit steps
 * behind cx_day_weekday/cx_day_add_months and round-trips through
 * cx_day_from_ymd, day by day from 0001-01-01 to 9999-12-31, and is
 * consecutive across the switch at year 0 and at the extremes. */
START_TEST(to_ymd_every_day)
{
	cx_day d, first, last;
	int y, m, dd, py = 0, pm = 0, pd = 0;

	ck_assert_int_eq(cx_day_from_ymd(1, 1, 1, &first), 0);
	ck_assert_int_eq(cx_day_from_ymd(9999, 12, 31, &last), 0);
	for (d = first; d <= last; d++) {
		cx_day back = 0;
		cx_day_to_ymd(d, &y, &m, &dd);
		/* one check per day is too slow through ck_assert: fail once */
		if (cx_day_from_ymd(y, m, dd, &back) != 0 || back != d ||
		    (d > first && !(dd == pd + 1 || (dd == 1 && (m == pm + 1 || (m == 1 && y == py + 1))))))
			ck_abort_msg("day %ld: %04d-%02d-%02d", (long)d, y, m, dd);
		py = y;
		pm = m;
		pd = dd;
	}
	/* around year 0 (-719528 is 0000-01-01; -719468 is 0000-03-01) */
	cx_day_to_ymd(-719469, &y, &m, &dd);
	ck_assert(y == 0 && m == 2 && dd == 29);
	cx_day_to_ymd(-719468, &y, &m, &dd);
	ck_assert(y == 0 && m == 3 && dd == 1);
	cx_day_to_ymd(-719529, &y, &m, &dd);
	ck_assert(y == -1 && m == 12 && dd == 31);
	cx_day_to_ymd(INT32_MAX, &y, &m, &dd);
	ck_assert(y == 5881580 && m == 7 && dd == 11);
	cx_day_to_ymd(INT32_MIN + 1, &y, &m, &dd);
	ck_assert(y == -5877641 && m == 6 && dd == 24);
}
END_TEST

/* One input through cx_date_parse and its general path alone
 * (cx_date_parse_nofast) in every order, and through cx_date_parse_iso and
 * cx_date_parse_iso_nofast: same result, day and reason. */
static void same_as_general(const char *text, size_t n)
{
	/* exactly n bytes on the heap: a read past them is an ASan error */
	char *s = text ? malloc(n + !n) : NULL;

	if (text) {
		ck_assert_ptr_nonnull(s);
		memcpy(s, text, n);
	}
	for (int order = CX_DATE_ISO; order <= CX_DATE_MDY; order++) {
		cx_day d1 = -7, d2 = -7;
		const char *w1 = NULL, *w2 = NULL;
		int r1 = cx_date_parse(s, n, (enum cx_date_order)order, &d1, &w1);
		int r2 = cx_date_parse_nofast(s, n, (enum cx_date_order)order, &d2, &w2);
		if (r1 != r2 || d1 != d2 || (w1 != w2 && (!w1 || !w2 || strcmp(w1, w2) != 0)))
			ck_abort_msg("'%.*s' order %d: %d %d %s / %d %d %s", (int)n, s, order, r1,
			    (int)d1, w1 ? w1 : "-", r2, (int)d2, w2 ? w2 : "-");
	}
	{
		/* the canonical reader too */
		cx_day d1 = -7, d2 = -7;
		const char *w1 = NULL, *w2 = NULL;
		int r1 = cx_date_parse_iso(s, n, &d1, &w1);
		int r2 = cx_date_parse_iso_nofast(s, n, &d2, &w2);
		if (r1 != r2 || d1 != d2 || (w1 != w2 && (!w1 || !w2 || strcmp(w1, w2) != 0)))
			ck_abort_msg("iso '%.*s': %d %d %s / %d %d %s", (int)n, s, r1, (int)d1,
			    w1 ? w1 : "-", r2, (int)d2, w2 ? w2 : "-");
	}
	free(s);
}

/* The fast path for ten-byte dates gives what the general parser gives:
 * every year 0000..9999 on the edges of months (0, 1, 28..32) and every
 * month 00..13 and day 00..39 of a few years (leap or not, century), in
 * ISO and the three d/m/y separators, then random bytes (digits,
 * separators, spaces, letters, high bytes) in and around date shapes. */
START_TEST(fast_equals_general)
{
	static const int years[] = {0, 1, 4, 99, 100, 400, 1582, 1900, 1970, 2000, 2023, 2024,
	    2100, 2400, 9996, 9999};
	static const char seps[] = "/-.";
	static const char bytes[] = "0123456789/-.: T\t+Zx\x80\xff";
	char s[16];
	unsigned long seed = 5;

	for (int y = 0; y <= 9999; y++) {
		static const int md[][2] = {{1, 1}, {1, 31}, {1, 32}, {2, 28}, {2, 29}, {2, 30},
		    {3, 0}, {4, 30}, {4, 31}, {12, 31}, {13, 1}, {0, 5}};
		for (size_t k = 0; k < sizeof md / sizeof md[0]; k++) {
			snprintf(s, sizeof s, "%04d-%02d-%02d", y, md[k][0], md[k][1]);
			same_as_general(s, 10);
			snprintf(s, sizeof s, "%02d/%02d/%04d", md[k][1], md[k][0], y);
			same_as_general(s, 10);
		}
	}
	for (size_t k = 0; k < sizeof years / sizeof years[0]; k++)
		for (int m = 0; m <= 13; m++)
			for (int d = 0; d <= 39; d++) {
				snprintf(s, sizeof s, "%04d-%02d-%02d", years[k], m, d);
				same_as_general(s, 10);
				for (int j = 0; j < 3; j++) {
					snprintf(s, sizeof s, "%02d%c%02d%c%04d", d, seps[j], m, seps[j],
					    years[k]);
					same_as_general(s, 10);
				}
			}
	for (int iter = 0; iter < 300000; iter++) {
		size_t n;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		if (seed >> 62 & 1)
			snprintf(s, sizeof s, "%04d-%02d-%02d", (int)(seed >> 20) % 10000,
			    (int)(seed >> 34) % 14, (int)(seed >> 40) % 33);
		else
			snprintf(s, sizeof s, "%02d%c%02d%c%04d", (int)(seed >> 40) % 33,
			    seps[(seed >> 10) % 3], (int)(seed >> 34) % 14,
			    seps[(seed >> (seed >> 61 & 1 ? 10 : 12)) % 3], (int)(seed >> 20) % 10000);
		n = 10;
		/* now and then a byte changed, dropped or added */
		for (int k = 0; k < (int)(seed >> 50 & 3); k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			size_t at = (size_t)(seed >> 33) % 10;
			char c = bytes[(seed >> 45) % (sizeof bytes - 1)];
			switch (seed >> 60 & 3) {
			case 0:
				n = at;
				break;
			case 1:
				if (n < 12)
					s[n++] = c;
				break;
			default:
				s[at] = c;
				break;
			}
		}
		same_as_general(s, n);
	}
	same_as_general(NULL, 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, known_days);
	tcase_add_test(tc, validation);
	tcase_add_test(tc, identity_all_days);
	tcase_add_test(tc, add_months);
	tcase_add_test(tc, parse);
	tcase_add_test(tc, parse_iso_strict);
	tcase_add_test(tc, format_all);
	tcase_add_test(tc, timestamps);
	tcase_add_test(tc, timestamp_day);
	tcase_add_test(tc, to_ymd_every_day);
	tcase_add_test(tc, fast_equals_general);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
