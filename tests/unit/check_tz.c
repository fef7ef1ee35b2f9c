/* Unit tests for cx_tz: offsets read from the system tz database across
 * DST transitions, the POSIX footer rules, malformed files. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_tz.h"

/* seconds since epoch of a UTC civil time */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	long yy = y - (mo <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int64_t)(era * 146097 + doe - 719468)) * 86400 + h * 3600 + mi * 60;
}

static const struct {
	const char *zone;
	int y, mo, d, h, mi;   /* UTC instant */
	int32_t off;           /* expected offset, seconds */
} offs[] = {
	/* America/New_York: DST 2025 from 9 Mar 07:00Z to 2 Nov 06:00Z */
	{ "America/New_York", 2025, 3, 9, 6, 59, -5 * 3600 },
	{ "America/New_York", 2025, 3, 9, 7, 0, -4 * 3600 },
	{ "America/New_York", 2025, 11, 2, 5, 59, -4 * 3600 },
	{ "America/New_York", 2025, 11, 2, 6, 0, -5 * 3600 },
	{ "America/New_York", 2026, 1, 15, 12, 0, -5 * 3600 },
	{ "America/New_York", 2026, 7, 1, 12, 0, -4 * 3600 },
	/* 2026: 8 Mar and 1 Nov; 2027: 14 Mar and 7 Nov */
	{ "America/New_York", 2026, 3, 8, 6, 59, -5 * 3600 },
	{ "America/New_York", 2026, 3, 8, 7, 0, -4 * 3600 },
	{ "America/New_York", 2027, 3, 14, 7, 0, -4 * 3600 },
	{ "America/New_York", 2027, 11, 7, 5, 59, -4 * 3600 },
	{ "America/New_York", 2027, 11, 7, 6, 0, -5 * 3600 },
	/* far future: served by the POSIX footer rule */
	{ "America/New_York", 2090, 7, 4, 12, 0, -4 * 3600 },
	{ "America/New_York", 2090, 12, 4, 12, 0, -5 * 3600 },
	/* fixed zones */
	{ "America/Bogota", 2025, 1, 1, 0, 0, -5 * 3600 },
	{ "America/Bogota", 2025, 7, 1, 0, 0, -5 * 3600 },
	{ "America/Bogota", 2090, 7, 1, 0, 0, -5 * 3600 },
	/* Mexico City abolished DST after 30 Oct 2022 */
	{ "America/Mexico_City", 2022, 7, 1, 0, 0, -5 * 3600 },
	{ "America/Mexico_City", 2025, 7, 1, 0, 0, -6 * 3600 },
	{ "America/Los_Angeles", 2025, 7, 1, 0, 0, -7 * 3600 },
	{ "UTC", 2025, 7, 1, 0, 0, 0 },
	{ "Asia/Kolkata", 2025, 7, 1, 0, 0, 5 * 3600 + 1800 },
	/* southern hemisphere DST (April end, October start) */
	{ "Australia/Sydney", 2025, 1, 15, 0, 0, 11 * 3600 },
	{ "Australia/Sydney", 2025, 7, 15, 0, 0, 10 * 3600 },
	{ "Australia/Sydney", 2095, 1, 15, 0, 0, 11 * 3600 },
	{ "Australia/Sydney", 2095, 7, 15, 0, 0, 10 * 3600 },
};

START_TEST(test_offsets)
{
	struct cx_error err;
	struct cx_tz *tz;
	cx_error_clear(&err);
	tz = cx_tz_load(NULL, offs[_i].zone, &err);
	ck_assert_msg(tz != NULL, "%s: %s", offs[_i].zone, err.msg);
	ck_assert_int_eq(cx_tz_offset(tz, utc(offs[_i].y, offs[_i].mo, offs[_i].d,
	                                      offs[_i].h, offs[_i].mi)), offs[_i].off);
	cx_tz_free(tz);
}
END_TEST

START_TEST(test_from_local)
{
	struct cx_error err;
	struct cx_tz *tz = cx_tz_load(NULL, "America/New_York", &err);
	int32_t off;
	int64_t t;
	ck_assert_ptr_nonnull(tz);
	/* 2025-07-01 08:00 local = 12:00Z */
	t = cx_tz_from_local(tz, utc(2025, 7, 1, 8, 0), &off);
	ck_assert_int_eq(off, -4 * 3600);
	ck_assert(t == utc(2025, 7, 1, 12, 0));
	/* 2025-12-01 21:00 local = 2025-12-02 02:00Z */
	t = cx_tz_from_local(tz, utc(2025, 12, 1, 21, 0), &off);
	ck_assert_int_eq(off, -5 * 3600);
	ck_assert(t == utc(2025, 12, 2, 2, 0));
	/* gap: 2025-03-09 02:30 does not exist; read with EST -> 07:30Z (03:30 EDT) */
	t = cx_tz_from_local(tz, utc(2025, 3, 9, 2, 30), &off);
	ck_assert(t == utc(2025, 3, 9, 7, 30));
	ck_assert_int_eq(off, -4 * 3600);
	/* overlap: 2025-11-02 01:30 happens twice; the earlier is 05:30Z */
	t = cx_tz_from_local(tz, utc(2025, 11, 2, 1, 30), &off);
	ck_assert(t == utc(2025, 11, 2, 5, 30));
	ck_assert_int_eq(off, -4 * 3600);
	cx_tz_free(tz);
}
END_TEST

static const struct { const char *s; int ok; int32_t std, dst; } rules[] = {
	{ "EST5EDT,M3.2.0,M11.1.0", 1, -18000, -14400 },
	{ "<-05>5", 1, -18000, 0 },
	{ "AEST-10AEDT,M10.1.0,M4.1.0/3", 1, 36000, 39600 },
	{ "IST-2IDT,M3.4.4/26,M10.5.0", 1, 7200, 10800 },
	{ "<+0530>-5:30", 1, 19800, 0 },
	{ "EST5EDT4,J60/2,300", 1, -18000, -14400 },
	{ "", 0, 0, 0 },
	{ "E5", 0, 0, 0 },
	{ "EST", 0, 0, 0 },
	{ "EST5EDT,M13.1.0,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3.2.0", 0, 0, 0 },
	{ "EST5EDT,M3.2.0,M11.1.0x", 0, 0, 0 },
	{ "<-05", 0, 0, 0 },
	{ "EST999", 0, 0, 0 },
};

START_TEST(test_rules)
{
	struct cx_tz_rule r;
	int rc = cx_tz_rule_parse(rules[_i].s, &r);
	ck_assert_msg((rc == 0) == rules[_i].ok, "rule '%s'", rules[_i].s);
	if (rules[_i].ok) {
		ck_assert_int_eq(r.std_off, rules[_i].std);
		if (r.has_dst)
			ck_assert_int_eq(r.dst_off, rules[_i].dst);
	}
}
END_TEST

START_TEST(test_bad)
{
	struct cx_error err;
	static const unsigned char junk[] = "TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0garbage";
	ck_assert_ptr_null(cx_tz_load(NULL, "../etc/passwd", &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	ck_assert_ptr_null(cx_tz_load(NULL, "/etc/passwd", &err));
	ck_assert_ptr_null(cx_tz_load(NULL, "Mars/Olympus_Mons", &err));
	ck_assert_int_eq(err.code, CX_ENOINPUT);
	ck_assert_ptr_null(cx_tz_parse(junk, sizeof junk, "x", &err));
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_ptr_null(cx_tz_parse((const unsigned char *)"", 0, "x", &err));
}
END_TEST

START_TEST(test_cache)
{
	struct cx_error err;
	struct cx_tz_cache *c = cx_tz_cache_new(NULL);
	const struct cx_tz *a, *b;
	ck_assert_ptr_nonnull(c);
	a = cx_tz_cache_get(c, "America/Bogota", 14, &err);
	b = cx_tz_cache_get(c, "America/Bogota", 14, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(cx_tz_name(a), "America/Bogota");
	ck_assert_ptr_null(cx_tz_cache_get(c, "No/Such_Zone", 12, &err));
	ck_assert_ptr_null(cx_tz_cache_get(c, "No/Such_Zone", 12, &err));
	ck_assert_int_eq(err.code, CX_ENOINPUT);
	cx_tz_cache_free(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tz");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	tcase_add_loop_test(tc, test_offsets, 0, sizeof offs / sizeof offs[0]);
	tcase_add_test(tc, test_from_local);
	tcase_add_loop_test(tc, test_rules, 0, sizeof rules / sizeof rules[0]);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_cache);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
