/* Unit tests of cx_score_math against small cases computed by hand. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "cx_score_math.h"

#define EPS 1e-6

START_TEST(test_woe_iv)
{
	/* ln((30/100)/(10/50)) = ln 1.5 */
	ck_assert_double_eq_tol(cx_score_woe(30, 10, 100, 50), log(1.5), EPS);
	ck_assert_double_eq_tol(cx_score_woe(10, 5, 100, 50), 0.0, EPS);
	/* zero cell: 0.5 adjustment -> ln((0.5/100)/(5/50)) */
	ck_assert_double_eq_tol(cx_score_woe(0, 5, 100, 50), log(0.005 / 0.1), EPS);
	double g[] = { 60, 40 }, b[] = { 20, 30 };
	/* 0.2*ln1.5 + (-0.2)*ln(0.4/0.6) = 0.4*ln1.5 */
	ck_assert_double_eq_tol(cx_score_iv(g, b, 2), 0.4 * log(1.5), EPS);
}
END_TEST

START_TEST(test_auc_ks_gini)
{
	double s[] = { 3, 4, 5, 1, 2, 3 };
	unsigned char y[] = { 0, 0, 0, 1, 1, 1 };
	/* 8.5 of 9 pairs ordered (one tie at 3) */
	ck_assert_double_eq_tol(cx_score_auc(s, y, 6), 8.5 / 9.0, EPS);
	/* cumulative bad 1/3, 2/3, 1 vs good 0, 0, 1/3 -> max gap 2/3 */
	ck_assert_double_eq_tol(cx_score_ks(s, y, 6), 2.0 / 3.0, EPS);
	/* reversed score gives 1 - AUC */
	double r[] = { -3, -4, -5, -1, -2, -3 };
	ck_assert_double_eq_tol(cx_score_auc(r, y, 6), 0.5 / 9.0, EPS);
	/* one class only: undefined */
	unsigned char z[] = { 0, 0, 0, 0, 0, 0 };
	ck_assert(isnan(cx_score_auc(s, z, 6)));
	/* all tied: 0.5 */
	double t[] = { 1, 1, 1, 1 };
	unsigned char y2[] = { 0, 1, 0, 1 };
	ck_assert_double_eq_tol(cx_score_auc(t, y2, 4), 0.5, EPS);
	ck_assert_double_eq_tol(cx_score_ks(t, y2, 4), 0.0, EPS);
}
END_TEST

START_TEST(test_psi)
{
	double e[] = { 0.5, 0.5 }, a[] = { 0.6, 0.4 };
	ck_assert_double_eq_tol(cx_score_psi(e, a, 2), 0.1 * log(1.2) - 0.1 * log(0.8), EPS);
	ck_assert_double_eq_tol(cx_score_psi(e, e, 2), 0.0, EPS);
}
END_TEST

START_TEST(test_irls_exact)
{
	/* x=0: 2 good 2 bad -> logit 0; x=1: 3 good 1 bad -> logit ln 3 */
	double X[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	unsigned char y[] = { 0, 0, 1, 1, 0, 0, 0, 1 };
	double beta[2];
	struct cx_error err = { 0 };
	int it = cx_score_irls(X, y, NULL, 8, 1, 0.0, 50, 1e-10, beta, &err);
	ck_assert_int_gt(it, 0);
	ck_assert_double_eq_tol(beta[0], 0.0, 1e-8);
	ck_assert_double_eq_tol(beta[1], log(3.0), 1e-8);
	/* the L2 penalty shrinks the slope but keeps its sign */
	it = cx_score_irls(X, y, NULL, 8, 1, 1.0, 50, 1e-10, beta, &err);
	ck_assert_int_gt(it, 0);
	ck_assert(beta[1] > 0 && beta[1] < log(3.0));
	/* penalised score equation: sum (y - p) x = l2 * beta1 */
	double p0 = 1 / (1 + exp(-beta[0])), p1 = 1 / (1 + exp(-beta[0] - beta[1]));
	ck_assert_double_eq_tol(3 - 4 * p1, 1.0 * beta[1], 1e-8);
	ck_assert_double_eq_tol(2 - 4 * p0 + 3 - 4 * p1, 0.0, 1e-8);
	/* weights: doubling every row is the same as duplicating the data */
	double w[] = { 2, 2, 2, 2, 2, 2, 2, 2 };
	it = cx_score_irls(X, y, w, 8, 1, 0.0, 50, 1e-10, beta, &err);
	ck_assert_double_eq_tol(beta[1], log(3.0), 1e-8);
}
END_TEST

START_TEST(test_irls_singular)
{
	/* two identical columns without penalty: singular */
	double X[] = { 0, 0, 1, 1, 0, 0, 1, 1 };
	unsigned char y[] = { 0, 1, 0, 1 };
	double beta[3];
	struct cx_error err = { 0 };
	ck_assert_int_eq(cx_score_irls(X, y, NULL, 4, 2, 0.0, 50, 1e-10, beta, &err), CX_EDATA);
	/* with a penalty it is solvable and symmetric */
	ck_assert_int_gt(cx_score_irls(X, y, NULL, 4, 2, 0.1, 50, 1e-10, beta, &err), 0);
	ck_assert_double_eq_tol(beta[1], beta[2], 1e-9);
}
END_TEST

START_TEST(test_bin_numeric)
{
	double x[10];
	unsigned char y[10];
	for (int i = 0; i < 10; i++) {
		x[i] = 10 - i;           /* any order */
		y[i] = (10 - i) <= 3;    /* bad for 1, 2, 3 */
	}
	struct cx_score_binopts o = { 10, 1, 0 };
	struct cx_score_nbin b[11];
	size_t nb;
	int dir;
	struct cx_error err = { 0 };
	ck_assert_int_eq(cx_score_bin_numeric(x, y, 10, &o, b, &nb, &dir, &err), 0);
	ck_assert_uint_eq(nb, 2);
	ck_assert_int_eq(dir, -1);
	ck_assert_double_eq(b[0].hi, 3);
	ck_assert_double_eq(b[0].bad, 3);
	ck_assert_double_eq(b[0].good, 0);
	ck_assert(isinf(b[1].hi));
	ck_assert_double_eq(b[1].good, 7);
	/* minimum bin size 4 merges the 3-row bin away */
	o.min_bin = 4;
	ck_assert_int_eq(cx_score_bin_numeric(x, y, 10, &o, b, &nb, &dir, &err), 0);
	ck_assert_uint_eq(nb, 1);
}
END_TEST

START_TEST(test_bin_numeric_pava)
{
	/* bad rates per value 1..4: 0.8, 0.6, 0.7, 0.2 (10 rows each).  Rising
	 * x lowers risk except the 2/3 violation, which PAVA pools: 0.8, 0.65,
	 * 0.2 */
	double x[40];
	unsigned char y[40];
	int nbad[] = { 8, 6, 7, 2 };
	for (int v = 0; v < 4; v++)
		for (int i = 0; i < 10; i++) {
			x[v * 10 + i] = v + 1;
			y[v * 10 + i] = i < nbad[v];
		}
	struct cx_score_binopts o = { 4, 1, 0 };
	struct cx_score_nbin b[5];
	size_t nb;
	int dir;
	struct cx_error err = { 0 };
	ck_assert_int_eq(cx_score_bin_numeric(x, y, 40, &o, b, &nb, &dir, &err), 0);
	ck_assert_int_eq(dir, -1);
	ck_assert_uint_eq(nb, 3);
	ck_assert_double_eq(b[0].hi, 1);
	ck_assert_double_eq(b[1].hi, 3);
	ck_assert_double_eq(b[1].bad, 13);
	ck_assert_double_eq(b[1].good, 7);
	ck_assert_double_eq(b[2].bad, 2);
}
END_TEST

START_TEST(test_bin_categorical)
{
	double g[] = { 10, 10, 10 }, b[] = { 10, 1, 5 };
	size_t grp[3], ng;
	struct cx_error err = { 0 };
	ck_assert_int_eq(cx_score_bin_categorical(g, b, 3, 1, grp, &ng, &err), 0);
	ck_assert_uint_eq(ng, 3);
	ck_assert_uint_eq(grp[0], 0);
	ck_assert_uint_eq(grp[2], 1);
	ck_assert_uint_eq(grp[1], 2);
	/* min 12 rows: c1 (11 rows) merges with its only neighbour c2 */
	ck_assert_int_eq(cx_score_bin_categorical(g, b, 3, 12, grp, &ng, &err), 0);
	ck_assert_uint_eq(ng, 2);
	ck_assert_uint_eq(grp[0], 0);
	ck_assert_uint_eq(grp[1], 1);
	ck_assert_uint_eq(grp[2], 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("score_math");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_woe_iv);
	tcase_add_test(tc, test_auc_ks_gini);
	tcase_add_test(tc, test_psi);
	tcase_add_test(tc, test_irls_exact);
	tcase_add_test(tc, test_irls_singular);
	tcase_add_test(tc, test_bin_numeric);
	tcase_add_test(tc, test_bin_numeric_pava);
	tcase_add_test(tc, test_bin_categorical);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
