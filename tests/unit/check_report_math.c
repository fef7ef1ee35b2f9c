/* Check suite for cx_report_math: KPI formulas on hand-computed cases
 * (domain.md (b) worked examples) and the champion/challenger tests. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cx_report_math.h"

struct rcase {
	int64_t num, den, mult;
	int dec;
	const char *want;
};

static const struct rcase rcases[] = {
	{ 1, 3, 100, 2, "33.33" },
	{ 2, 3, 100, 2, "66.67" },
	{ -2, 3, 100, 2, "-66.67" },
	{ 1, 8, 1, 2, "0.13" },       /* 0.125 rounds half away from zero */
	{ -1, 8, 1, 2, "-0.13" },
	{ 5, 1000, 1, 2, "0.01" },    /* 0.005 -> 0.01 */
	{ 4, 1000, 1, 2, "0.00" },
	{ -4, 1000, 1, 2, "0.00" },   /* no "-0.00" */
	{ 7, 2, 1, 0, "4" },
	{ 3, 1, 1000, 1, "3000.0" },
	{ 1, 0, 100, 2, "" },         /* no denominator: empty */
	{ 3, -4, 1, 2, "-0.75" },
	{ INT64_MAX, 1, 100, 2, "922337203685477580700.00" },
};

START_TEST(test_ratio_format)
{
	const struct rcase *c = &rcases[_i];
	char buf[64];
	int n = cx_ratio_format(buf, c->num, c->den, c->mult, c->dec);
	ck_assert_int_ge(n, 0);
	ck_assert_str_eq(buf, c->want);
}
END_TEST

START_TEST(test_i128_roundtrip)
{
	char buf[48];
	cx_i128 v = (cx_i128)INT64_MAX * 1000 + 7, back;
	cx_i128_format(buf, v);
	ck_assert_str_eq(buf, "9223372036854775807007");
	ck_assert_int_eq(cx_i128_parse(buf, strlen(buf), &back), 0);
	ck_assert(back == v);
	cx_i128_format(buf, -v);
	ck_assert_int_eq(cx_i128_parse(buf, strlen(buf), &back), 0);
	ck_assert(back == -v);
	ck_assert_int_eq(cx_i128_parse("12a", 3, &back), -1);
	ck_assert_int_eq(cx_i128_parse("-", 1, &back), -1);
	cx_i128_format(buf, 0);
	ck_assert_str_eq(buf, "0");
}
END_TEST

/* domain.md (b): Beg 6,200; sales 10,890 over 3 months; end total 6,340;
 * end current 3,590 -> 55.9 %. */
START_TEST(test_cei_worked_example)
{
	cx_i128 num, den;
	char buf[64];
	ck_assert_int_eq(cx_kpi_cei(6200, 10890, 3, 6340, 3590, &num, &den), 0);
	cx_ratio_format(buf, num, den, 100, 1);
	ck_assert_str_eq(buf, "55.9");
	cx_ratio_format(buf, num, den, 100, 2);
	ck_assert_str_eq(buf, "55.93");
	/* in minor units the figure is the same */
	ck_assert_int_eq(cx_kpi_cei(620000, 1089000, 3, 634000, 359000, &num, &den), 0);
	cx_ratio_format(buf, num, den, 100, 2);
	ck_assert_str_eq(buf, "55.93");
	ck_assert_int_eq(cx_kpi_cei(1, 1, 0, 1, 1, &num, &den), -1);
}
END_TEST

/* domain.md (b): AR 15,000, current 4,000, sales 10,000 over 30 days ->
 * DSO 45, best possible DSO 12, ADD 33. */
START_TEST(test_dso_worked_example)
{
	cx_i128 num, den;
	char buf[64];
	cx_kpi_dso(1500000, 1000000, 30, &num, &den);
	cx_ratio_format(buf, num, den, 1, 1);
	ck_assert_str_eq(buf, "45.0");
	cx_kpi_dso(400000, 1000000, 30, &num, &den);
	cx_ratio_format(buf, num, den, 1, 1);
	ck_assert_str_eq(buf, "12.0");
	cx_kpi_dso(1500000 - 400000, 1000000, 30, &num, &den);
	cx_ratio_format(buf, num, den, 1, 1);
	ck_assert_str_eq(buf, "33.0");
}
END_TEST

START_TEST(test_psi)
{
	const int64_t e[] = { 10, 20, 30, 40 }, a[] = { 20, 20, 30, 30 };
	const int64_t z[] = { 0, 0, 0, 0 };
	const int64_t e2[] = { 50, 50 }, a2[] = { 100, 0 };
	ck_assert(fabs(cx_kpi_psi(e, a, 4) - 0.09808292530117264) < 1e-12);
	ck_assert(fabs(cx_kpi_psi(e, e, 4)) < 1e-15);
	ck_assert(isnan(cx_kpi_psi(e, z, 4)));
	/* empty bin floored at 0.0001: (1-.5)ln(2) + (.0001-.5)ln(.0002) */
	ck_assert(fabs(cx_kpi_psi(e2, a2, 2) - (0.5 * log(2.0) + (0.0001 - 0.5) * log(0.0002))) < 1e-12);
}
END_TEST

START_TEST(test_normal)
{
	ck_assert(fabs(cx_stat_normal_cdf(1.959963984540054) - 0.975) < 1e-12);
	ck_assert(fabs(cx_stat_normal_quantile(0.975) - 1.959963984540054) < 1e-9);
	ck_assert(fabs(cx_stat_normal_quantile(0.01) + 2.326347874040841) < 1e-9);
	ck_assert(fabs(cx_t_cdf(0, 5) - 0.5) < 1e-12);
	/* t(1) is Cauchy: F(1) = 0.75 */
	ck_assert(fabs(cx_t_cdf(1, 1) - 0.75) < 1e-10);
	ck_assert(fabs(cx_t_quantile(0.975, 1e6) - 1.96) < 1e-3);
}
END_TEST

/* 50/100 vs 65/100: pooled z p = 0.0319, Wald CI low 0.01456 */
START_TEST(test_two_prop)
{
	struct cx_test_result r;
	ck_assert_int_eq(cx_test_two_prop(50, 100, 65, 100, &r), 0);
	ck_assert(fabs(r.diff - 0.15) < 1e-12);
	ck_assert(fabs(r.p_value - 0.03190525523659656) < 1e-9);
	ck_assert(fabs(r.ci_low - 0.01456379409916106) < 1e-9);
	ck_assert(fabs(r.ci_high - (0.3 - 0.01456379409916106)) < 1e-9);
	ck_assert_int_eq(r.small, 0);
	ck_assert_int_eq(cx_test_two_prop(1, 10, 2, 12, &r), 0);
	ck_assert_int_eq(r.small, 1);
	ck_assert_int_eq(cx_test_two_prop(1, 0, 2, 12, &r), -1);
}
END_TEST

/* a = 1..5, b = 2,4,..,12: diff 4, t 2.3764, df 6.9723, p 0.04928,
 * CI 4 -/+ 2.36653 * 1.68325 (reference by numeric integration). */
START_TEST(test_welch)
{
	struct cx_test_result r;
	ck_assert_int_eq(cx_test_welch(5, 15, 55, 6, 42, 364, &r), 0);
	ck_assert(fabs(r.diff - 4.0) < 1e-12);
	ck_assert(fabs(r.p_value - 0.04928433378885173) < 1e-6);
	ck_assert(fabs(r.ci_low - (4 - 2.366526643578233 * 1.6832508230603465)) < 1e-4);
	ck_assert(fabs(r.ci_high - (4 + 2.366526643578233 * 1.6832508230603465)) < 1e-4);
	ck_assert_int_eq(r.small, 1);
	ck_assert_int_eq(cx_test_welch(1, 1, 1, 5, 5, 5, &r), -1);
}
END_TEST

static Suite *math_suite(void)
{
	Suite *s = suite_create("report_math");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_ratio_format, 0, (int)(sizeof rcases / sizeof rcases[0]));
	tcase_add_test(tc, test_i128_roundtrip);
	tcase_add_test(tc, test_cei_worked_example);
	tcase_add_test(tc, test_dso_worked_example);
	tcase_add_test(tc, test_psi);
	tcase_add_test(tc, test_normal);
	tcase_add_test(tc, test_two_prop);
	tcase_add_test(tc, test_welch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(math_suite());
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
