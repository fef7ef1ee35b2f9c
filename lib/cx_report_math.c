/* cx_report_math — see cx_report_math.h. */
#include <math.h>
#include <string.h>

#include "cx_report_math.h"

size_t cx_i128_format(char *buf, cx_i128 v)
{
	char tmp[48];
	size_t n = 0, len = 0;
	int neg = v < 0;
	/* work with negative values so INT128_MIN is fine */
	cx_i128 x = neg ? v : -v;
	do {
		tmp[n++] = (char)('0' - (int)(x % 10));
		x /= 10;
	} while (x != 0);
	if (neg)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

int cx_i128_parse(const char *s, size_t n, cx_i128 *out)
{
	size_t i = 0;
	int neg = 0;
	cx_i128 v = 0;
	const cx_i128 lim = ((cx_i128)1 << 120);
	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i >= n)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > lim)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

int cx_ratio_format(char *buf, cx_i128 num, cx_i128 den, int64_t mult, int dec)
{
	static const int64_t p10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	const cx_i128 lim = ((cx_i128)1 << 100);
	cx_i128 q, r, a;
	int neg;
	char digits[48];
	size_t nd, len = 0;
	if (den == 0) {
		buf[0] = '\0';
		return 0;
	}
	if (dec < 0 || dec > 6)
		return -1;
	if (den < 0) {
		den = -den;
		num = -num;
	}
	neg = num < 0;
	a = neg ? -num : num;
	if (a > lim / (mult > 0 ? mult : 1) / p10[dec])
		return -1;
	a = a * mult * p10[dec];
	q = a / den;
	r = a % den;
	if (r * 2 >= den)
		q++;
	nd = cx_i128_format(digits, q);
	if (neg && q != 0)
		buf[len++] = '-';
	if (dec > 0) {
		/* pad to at least dec+1 digits */
		size_t need = (size_t)dec + 1;
		char pad[64];
		size_t pl = 0;
		while (nd + pl < need)
			pad[pl++] = '0';
		memcpy(pad + pl, digits, nd);
		pl += nd;
		memcpy(buf + len, pad, pl - (size_t)dec);
		len += pl - (size_t)dec;
		buf[len++] = '.';
		memcpy(buf + len, pad + pl - (size_t)dec, (size_t)dec);
		len += (size_t)dec;
	} else {
		memcpy(buf + len, digits, nd);
		len += nd;
	}
	buf[len] = '\0';
	return (int)len;
}

int cx_kpi_cei(int64_t beg, int64_t sales, int n_months, int64_t end_total,
               int64_t end_current, cx_i128 *num, cx_i128 *den)
{
	if (n_months <= 0)
		return -1;
	*num = (cx_i128)n_months * beg + sales - (cx_i128)n_months * end_total;
	*den = (cx_i128)n_months * beg + sales - (cx_i128)n_months * end_current;
	return 0;
}

void cx_kpi_dso(int64_t ar, int64_t sales, int days, cx_i128 *num, cx_i128 *den)
{
	*num = (cx_i128)ar * days;
	*den = sales;
}

double cx_kpi_psi(const int64_t *e, const int64_t *a, size_t k)
{
	int64_t te = 0, ta = 0;
	double psi = 0.0;
	for (size_t i = 0; i < k; i++) {
		te += e[i];
		ta += a[i];
	}
	if (te <= 0 || ta <= 0)
		return NAN;
	for (size_t i = 0; i < k; i++) {
		double pe = (double)e[i] / (double)te;
		double pa = (double)a[i] / (double)ta;
		if (pe < 0.0001)
			pe = 0.0001;
		if (pa < 0.0001)
			pa = 0.0001;
		psi += (pa - pe) * log(pa / pe);
	}
	return psi;
}

double cx_stat_normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

double cx_stat_normal_quantile(double p)
{
	/* Acklam's algorithm */
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x;
	if (p <= 0.0)
		return -INFINITY;
	if (p >= 1.0)
		return INFINITY;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* one Halley refinement step */
	{
		double e = cx_stat_normal_cdf(x) - p;
		double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
		x = x - u / (1 + x * u / 2);
	}
	return x;
}

/* continued fraction for the incomplete beta (Lentz) */
static double betacf(double a, double b, double x)
{
	const double eps = 1e-15, fpmin = 1e-300;
	double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap, h;
	if (fabs(d) < fpmin)
		d = fpmin;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		int m2 = 2 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < fpmin)
			d = fpmin;
		c = 1 + aa / c;
		if (fabs(c) < fpmin)
			c = fpmin;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < fpmin)
			d = fpmin;
		c = 1 + aa / c;
		if (fabs(c) < fpmin)
			c = fpmin;
		d = 1 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

static double betai(double a, double b, double x)
{
	double bt;
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x));
	if (x < (a + 1) / (a + b + 2))
		return bt * betacf(a, b, x) / a;
	return 1 - bt * betacf(b, a, 1 - x) / b;
}

double cx_t_cdf(double t, double df)
{
	double x = df / (df + t * t);
	double tail = 0.5 * betai(df / 2, 0.5, x);
	return t > 0 ? 1 - tail : tail;
}

double cx_t_quantile(double p, double df)
{
	double lo = -1e3, hi = 1e3;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (cx_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

int cx_test_two_prop(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
                     struct cx_test_result *r)
{
	double p1, p2, pp, se, sep, z;
	memset(r, 0, sizeof *r);
	if (n1 <= 0 || n2 <= 0)
		return -1;
	p1 = (double)x1 / (double)n1;
	p2 = (double)x2 / (double)n2;
	pp = (double)(x1 + x2) / (double)(n1 + n2);
	r->diff = p2 - p1;
	se = sqrt(p1 * (1 - p1) / (double)n1 + p2 * (1 - p2) / (double)n2);
	r->ci_low = r->diff - 1.959963984540054 * se;
	r->ci_high = r->diff + 1.959963984540054 * se;
	sep = sqrt(pp * (1 - pp) * (1.0 / (double)n1 + 1.0 / (double)n2));
	if (sep > 0) {
		z = r->diff / sep;
		r->p_value = 2 * cx_stat_normal_cdf(-fabs(z));
	} else {
		r->p_value = 1.0;
	}
	r->small = n1 < 30 || n2 < 30 || pp * (double)n1 < 5 || (1 - pp) * (double)n1 < 5 ||
	           pp * (double)n2 < 5 || (1 - pp) * (double)n2 < 5;
	return 0;
}

int cx_test_welch(int64_t n1, cx_i128 s1, cx_i128 q1, int64_t n2, cx_i128 s2,
                  cx_i128 q2, struct cx_test_result *r)
{
	long double m1, m2, v1, v2, a, b, se, df, t, tq;
	memset(r, 0, sizeof *r);
	if (n1 < 2 || n2 < 2)
		return -1;
	m1 = (long double)s1 / n1;
	m2 = (long double)s2 / n2;
	/* (n*q - s^2) / (n (n-1)), exact in 128 bits when it fits */
	v1 = ((long double)q1 - (long double)s1 * (long double)s1 / n1) / (n1 - 1);
	v2 = ((long double)q2 - (long double)s2 * (long double)s2 / n2) / (n2 - 1);
	if (v1 < 0)
		v1 = 0;
	if (v2 < 0)
		v2 = 0;
	a = v1 / n1;
	b = v2 / n2;
	r->diff = (double)(m2 - m1);
	se = sqrtl(a + b);
	r->small = n1 < 30 || n2 < 30;
	if (se == 0) {
		r->ci_low = r->ci_high = r->diff;
		r->p_value = r->diff == 0 ? 1.0 : 0.0;
		return 0;
	}
	df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
	t = (m2 - m1) / se;
	r->p_value = 2 * cx_t_cdf(-fabsl(t), (double)df);
	tq = cx_t_quantile(0.975, (double)df);
	r->ci_low = (double)((m2 - m1) - tq * se);
	r->ci_high = (double)((m2 - m1) + tq * se);
	return 0;
}
