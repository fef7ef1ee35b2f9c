/* cx_report_math — the pure arithmetic behind cx-report's KPIs: exact
 * rational values printed with documented rounding, the collection KPIs
 * of domain.md (b) that are more than one ratio (CEI, DSO, PSI), and the
 * two tests of the champion/challenger table.  Every formula is documented
 * in cx-report(1).
 *
 * Rounding: a ratio num/den scaled by `mult` is printed with `dec` decimals,
 * rounded half away from zero, computed exactly in 128-bit integers (no
 * floating point), so the same sums always print the same text.
 *
 * Ownership: no allocation; callers own every buffer.
 */
#ifndef CX_REPORT_MATH_H
#define CX_REPORT_MATH_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 cx_i128;

/* Decimal text of v (for partial files); buf needs 48 bytes.  Returns len. */
size_t cx_i128_format(char *buf, cx_i128 v);
/* Parse decimal text (optional '-').  Returns 0 or -1. */
int cx_i128_parse(const char *s, size_t n, cx_i128 *out);

/* num * mult / den rounded half away from zero to `dec` decimals (0..6),
 * written as text into buf (needs 64 bytes).  den == 0 writes "" and
 * returns 0 (no value).  Returns the length, or -1 on overflow. */
int cx_ratio_format(char *buf, cx_i128 num, cx_i128 den, int64_t mult, int dec);

/* Collection Effectiveness Index (CRF):
 *   CEI = (B + S/N - E) / (B + S/N - C) x 100
 * with B beginning AR, S credit sales in the period, N months in the
 * period, E ending total AR, C ending current AR.  Multiplying through by
 * N gives integers: *num = N*B + S - N*E, *den = N*B + S - N*C.
 * Returns 0 or -1 on overflow. */
int cx_kpi_cei(int64_t beg, int64_t sales, int n_months, int64_t end_total,
               int64_t end_current, cx_i128 *num, cx_i128 *den);

/* DSO = AR / S x days: *num = ar * days, *den = sales.  Best possible DSO
 * is the same with current AR; ADD = DSO - BPDSO = (ar - current) * days / S. */
void cx_kpi_dso(int64_t ar, int64_t sales, int days, cx_i128 *num, cx_i128 *den);

/* Population stability index over k bins of counts: expected = e (the
 * previous snapshot), actual = a (current).  Shares below 0.0001 are
 * floored at 0.0001 so empty bins stay finite.  Returns NAN when either
 * total is 0. */
double cx_kpi_psi(const int64_t *e, const int64_t *a, size_t k);

/* Standard normal CDF and its inverse (Acklam's rational approximation
 * refined by one Halley step). */
double cx_stat_normal_cdf(double z);
double cx_stat_normal_quantile(double p);
/* Student t CDF (regularised incomplete beta) and quantile (bisection). */
double cx_t_cdf(double t, double df);
double cx_t_quantile(double p, double df);

struct cx_test_result {
	double diff;      /* challenger - champion */
	double ci_low, ci_high;  /* 95 % confidence interval of diff */
	double p_value;   /* two-sided */
	int small;        /* 1 when the sample is too small to tell */
};

/* Two-proportion z-test: champion x1/n1, challenger x2/n2.  The CI uses
 * the unpooled (Wald) standard error, the p-value the pooled one.  `small`
 * when any of n*p, n*(1-p) (pooled p) is below 5 in either arm, or either n
 * is below 30.  Returns -1 when n1 or n2 is 0. */
int cx_test_two_prop(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                     struct cx_test_result *r);

/* Welch's t-test on means from sufficient statistics (n, sum, sum of
 * squares).  Degrees of freedom by Welch-Satterthwaite; 95 % CI from the t
 * quantile.  `small` when either n is below 30.  Returns -1 when either
 * n < 2. */
int cx_test_welch(int64_t n1, cx_i128 s1, cx_i128 q1, int64_t n2, cx_i128 s2,
                  cx_i128 q2, struct cx_test_result *r);

#endif
