/* Unit tests for cx_tz: offsets read from the system tz database across
 * DST transitions, the POSIX footer rules, malformed files. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_mem.h"
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
	/* more forms and every field's limits */
	{ "EST5EDT,100/2,300/2", 1, -18000, -14400 },
	{ "<+03>-3", 1, 10800, 0 },
	{ "ABC+5:30:15", 1, -19815, 0 },
	{ "ABC-14", 1, 50400, 0 },
	{ "EST5EDT,M3.2.0/25:00:00,M11.1.0/-1", 1, -18000, -14400 },
	{ "EST5EDT,M3.2.0/167,M11.1.0", 1, -18000, -14400 },
	{ "ABC5:60", 0, 0, 0 },
	{ "ABC5:3", 0, 0, 0 },
	{ "ABC5:30:", 0, 0, 0 },
	{ "ABC5:30:99", 0, 0, 0 },
	{ "ABC5:", 0, 0, 0 },
	{ "ABC+", 0, 0, 0 },
	{ "abc5", 1, -18000, 0 },
	{ "EST5EDT,M3.6.0,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3.2.7,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3.0.0,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M0.2.0,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3.2,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,M3.2.0,M11.1", 0, 0, 0 },
	{ "EST5EDT,M3.2.0/x,M11.1.0", 0, 0, 0 },
	{ "EST5EDT,J0,J365", 0, 0, 0 },
	{ "EST5EDT,J366,J10", 0, 0, 0 },
	{ "EST5EDT,366,10", 0, 0, 0 },
	{ "EST5EDT,x,10", 0, 0, 0 },
	{ "EST5EDT,10", 0, 0, 0 },
	{ "EST5EDT,", 0, 0, 0 },
	{ "EST5EDT;M3.2.0,M11.1.0", 0, 0, 0 },
	{ "EST5EDT4x,M3.2.0,M11.1.0", 0, 0, 0 },
	{ "EST5<EDT,M3.2.0,M11.1.0", 0, 0, 0 },
	{ "<EST5", 0, 0, 0 },
	{ "EST1234", 0, 0, 0 },
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

/* offsets of rules at given instants: north and south, J (leap years),
 * zero-based days, times past midnight */
START_TEST(test_rule_offsets)
{
	struct cx_tz_rule r;
	ck_assert_int_eq(cx_tz_rule_parse("AEST-10AEDT,M10.1.0,M4.1.0/3", &r), 0);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2030, 1, 10, 0, 0)), 39600);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2030, 7, 10, 0, 0)), 36000);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(1969, 7, 10, 0, 0)), 36000);
	ck_assert_int_eq(cx_tz_rule_parse("EST5EDT4,J60/2,J300", &r), 0);
	/* J60 is 1 March in every year, leap or not */
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2028, 2, 29, 12, 0)), -18000);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2028, 3, 1, 12, 0)), -14400);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2027, 3, 1, 12, 0)), -14400);
	ck_assert_int_eq(cx_tz_rule_parse("EST5EDT,59,299", &r), 0);
	/* zero-based day 59 is 29 February in a leap year */
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2028, 2, 29, 12, 0)), -14400);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2027, 2, 28, 12, 0)), -18000);
	ck_assert_int_eq(cx_tz_rule_parse("XXX3YYY,M2.5.0,M9.5.0", &r), 0);
	/* the fifth Sunday means the last one, in short and long months */
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2027, 3, 1, 0, 0)), -7200);
	ck_assert_int_eq(cx_tz_rule_offset(&r, utc(2028, 10, 31, 0, 0)), -10800);
	ck_assert_int_eq(cx_tz_rule_parse("<-03>3", &r), 0);
	ck_assert_int_eq(r.has_dst, 0);
	ck_assert_int_eq(cx_tz_rule_offset(&r, 0), -10800);
}
END_TEST

static unsigned char *
read_zone(const char *name, size_t *n)
{
	char path[256];
	FILE *f;
	static unsigned char buf[1 << 17];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	*n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

/* a TZif file cut at every length and with each header byte mangled: a
 * zone or CX_EDATA, never a crash or a read past the end (valgrind, ASan) */
START_TEST(test_tzif_mutations)
{
	static const char *const zones[] = { "America/New_York", "UTC", "Australia/Sydney" };
	struct cx_error err;
	for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
		size_t n, cut;
		unsigned char *p = read_zone(zones[z], &n), *copy;
		if (!p)
			continue;
		copy = malloc(n);
		ck_assert_ptr_nonnull(copy);
		for (cut = 0; cut < n; cut += cut < 120 ? 1 : 13) {
			struct cx_tz *tz;
			memcpy(copy, p, cut);
			tz = cx_tz_parse(copy, cut, zones[z], &err);
			if (tz) {
				(void)cx_tz_offset(tz, 1700000000);
				cx_tz_free(tz);
			} else
				ck_assert_int_eq(err.code, CX_EDATA);
		}
		for (size_t i = 0; i < n && i < 400; i++) {
			static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0xff, '1', '3', '\n' };
			for (size_t v = 0; v < sizeof vals; v++) {
				struct cx_tz *tz;
				memcpy(copy, p, n);
				copy[i] = vals[v];
				tz = cx_tz_parse(copy, n, zones[z], &err);
				if (tz) {
					(void)cx_tz_offset(tz, -5000000000LL);
					(void)cx_tz_offset(tz, 1700000000);
					(void)cx_tz_offset(tz, 5000000000LL);
					(void)cx_tz_from_local(tz, 1700000000, NULL);
					cx_tz_free(tz);
				} else
					ck_assert_int_eq(err.code, CX_EDATA);
			}
		}
		/* a version 1 file: the v2 data after it is not needed */
		memcpy(copy, p, n);
		copy[4] = 0;
		{
			struct cx_tz *tz = cx_tz_parse(copy, n, zones[z], &err);
			if (tz)
				cx_tz_free(tz);
		}
		free(copy);
	}
}
END_TEST

START_TEST(test_names_and_cache_limits)
{
	struct cx_error err;
	char name[160];
	struct cx_tz_cache *c;
	static const char *const bad[] = { "", "/UTC", "Europe/../UTC", "Euro pe", "UTC%", "a\\b" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_ptr_null(cx_tz_load(NULL, bad[i], &err));
		ck_assert_int_eq(err.code, CX_EUSAGE);
	}
	memset(name, 'A', 120);
	name[120] = 0;
	ck_assert_ptr_null(cx_tz_load(NULL, name, &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	ck_assert_ptr_null(cx_tz_load("/nonexistent", "UTC", &err));
	ck_assert_int_eq(err.code, CX_ENOINPUT);
	/* a cache with its own directory; endless distinct names are a limit */
	c = cx_tz_cache_new("/usr/share/zoneinfo");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(cx_tz_cache_get(c, "UTC", 3, &err));
	for (int i = 0; i < 4200; i++) {
		int k = snprintf(name, sizeof name, "No/Zone%d", i);
		const struct cx_tz *tz = cx_tz_cache_get(c, name, (size_t)k, &err);
		ck_assert_ptr_null(tz);
		ck_assert_int_eq(err.code, i < 4095 ? CX_ENOINPUT : CX_ELIMIT);
	}
	cx_tz_cache_free(c);
	cx_tz_cache_free(NULL);
	/* out of memory in the cache */
	for (long k = 1; k < 12; k++) {
		const struct cx_tz *tz = NULL;
		cx_mem_fail_after(k);
		c = cx_tz_cache_new("/usr/share/zoneinfo");
		if (c)
			tz = cx_tz_cache_get(c, "America/Bogota", 14, &err);
		cx_mem_fail_after(0);
		if (c && !tz)
			ck_assert_int_eq(err.code, CX_ENOMEM);
		cx_tz_cache_free(c);
	}
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
	tcase_add_test(tc, test_rule_offsets);
	tcase_add_test(tc, test_tzif_mutations);
	tcase_add_test(tc, test_names_and_cache_limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
