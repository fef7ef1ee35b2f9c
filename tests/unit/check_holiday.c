/* Unit tests for cx_holiday against the official lists for 2025-2027.
 * Sources of the tables (typed in from the published calendars, not
 * computed):
 *  CO: Ministerio del Trabajo / Decreto de festivos, Ley 51 de 1983;
 *      calendars published for 2025, 2026 and 2027.
 *  MX: Ley Federal del Trabajo art. 74 (STPS "dias de descanso obligatorio").
 *  US: OPM "Federal Holidays" pages for 2025, 2026, 2027 (observed dates). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cx_holiday.h"

static cx_day
D(const char *s)
{
	int y, m, d;
	long yy, era, yoe, doy, doe;
	sscanf(s, "%d-%d-%d", &y, &m, &d);
	yy = y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (cx_day)(era * 146097 + doe - 719468);
}

static const struct {
	const char *country;
	int year;
	const char *days[24];
} official[] = {
	{ "CO", 2025, { "2025-01-01", "2025-01-06", "2025-03-24", "2025-04-17", "2025-04-18",
	                "2025-05-01", "2025-06-02", "2025-06-23", "2025-06-30", "2025-07-20",
	                "2025-08-07", "2025-08-18", "2025-10-13", "2025-11-03", "2025-11-17",
	                "2025-12-08", "2025-12-25", NULL } },
	{ "CO", 2026, { "2026-01-01", "2026-01-12", "2026-03-23", "2026-04-02", "2026-04-03",
	                "2026-05-01", "2026-05-18", "2026-06-08", "2026-06-15", "2026-06-29",
	                "2026-07-20", "2026-08-07", "2026-08-17", "2026-10-12", "2026-11-02",
	                "2026-11-16", "2026-12-08", "2026-12-25", NULL } },
	{ "CO", 2027, { "2027-01-01", "2027-01-11", "2027-03-22", "2027-03-25", "2027-03-26",
	                "2027-05-01", "2027-05-10", "2027-05-31", "2027-06-07", "2027-07-05",
	                "2027-07-20", "2027-08-07", "2027-08-16", "2027-10-18", "2027-11-01",
	                "2027-11-15", "2027-12-08", "2027-12-25", NULL } },
	{ "MX", 2025, { "2025-01-01", "2025-02-03", "2025-03-17", "2025-05-01", "2025-09-16",
	                "2025-11-17", "2025-12-25", NULL } },
	{ "MX", 2026, { "2026-01-01", "2026-02-02", "2026-03-16", "2026-05-01", "2026-09-16",
	                "2026-11-16", "2026-12-25", NULL } },
	{ "MX", 2027, { "2027-01-01", "2027-02-01", "2027-03-15", "2027-05-01", "2027-09-16",
	                "2027-11-15", "2027-12-25", NULL } },
	{ "US", 2025, { "2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19",
	                "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27",
	                "2025-12-25", NULL } },
	{ "US", 2026, { "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19",
	                "2026-07-03", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26",
	                "2026-12-25", NULL } },
	/* 2027: Juneteenth (Sat) observed Fri 18 Jun, 4 Jul (Sun) on Mon 5 Jul,
	 * Christmas (Sat) on Fri 24 Dec; New Year 2028 (Sat) on Fri 31 Dec */
	{ "US", 2027, { "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18",
	                "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25",
	                "2027-12-24", "2027-12-31", NULL } },
};

START_TEST(test_official)
{
	struct cx_holiday v[40];
	int n = cx_holiday_list(official[_i].country, official[_i].year, v, 40), k = 0;
	while (official[_i].days[k])
		k++;
	ck_assert_msg(n == k, "%s %d: %d holidays, official %d", official[_i].country,
	              official[_i].year, n, k);
	for (k = 0; k < n; k++) {
		ck_assert_msg(v[k].day == D(official[_i].days[k]), "%s: expected %s",
		              official[_i].country, official[_i].days[k]);
		ck_assert_str_eq(cx_holiday_name(official[_i].country, v[k].day), v[k].name);
	}
}
END_TEST

START_TEST(test_easter)
{
	ck_assert_int_eq(cx_holiday_easter(2025), D("2025-04-20"));
	ck_assert_int_eq(cx_holiday_easter(2026), D("2026-04-05"));
	ck_assert_int_eq(cx_holiday_easter(2027), D("2027-03-28"));
	ck_assert_int_eq(cx_holiday_easter(2038), D("2038-04-25"));
	ck_assert_int_eq(cx_holiday_easter(2008), D("2008-03-23"));
}
END_TEST

START_TEST(test_misc)
{
	struct cx_holiday v[40];
	ck_assert_int_eq(cx_holiday_list("XX", 2025, v, 40), -1);
	ck_assert(!cx_holiday_supported("ES"));
	ck_assert(cx_holiday_supported("CO"));
	ck_assert_ptr_null(cx_holiday_name("CO", D("2025-06-29")));  /* Sunday, moved */
	ck_assert_str_eq(cx_holiday_name("CO", D("2025-06-30")), "Sacred Heart");
	ck_assert_ptr_null(cx_holiday_name("US", D("2026-07-04")));  /* observed on the 3rd */
	/* MX 2030: transmission of the federal executive on 1 Oct */
	ck_assert_ptr_nonnull(cx_holiday_name("MX", D("2030-10-01")));
	ck_assert_ptr_null(cx_holiday_name("MX", D("2027-10-01")));
	ck_assert_int_eq(cx_holiday_list("CO", 2025, v, 3), 3);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("holiday");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	tcase_add_loop_test(tc, test_official, 0, sizeof official / sizeof official[0]);
	tcase_add_test(tc, test_easter);
	tcase_add_test(tc, test_misc);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
