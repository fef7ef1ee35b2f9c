#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cx_mem.h"
#include "cx_score_math.h"

double
cx_score_woe(double good, double bad, double good_total, double bad_total)
{
	if (good <= 0)
		good = 0.5;
	if (bad <= 0)
		bad = 0.5;
	if (good_total <= 0 || bad_total <= 0)
		return 0.0;
	return log((good / good_total) / (bad / bad_total));
}

double
cx_score_iv(const double *good, const double *bad, size_t k)
{
	double tg = 0, tb = 0, iv = 0;
	for (size_t i = 0; i < k; i++) {
		tg += good[i];
		tb += bad[i];
	}
	if (tg <= 0 || tb <= 0)
		return 0.0;
	for (size_t i = 0; i < k; i++) {
		double g = good[i] > 0 ? good[i] : 0.5, b = bad[i] > 0 ? bad[i] : 0.5;
		if (good[i] <= 0 && bad[i] <= 0)
			continue;
		iv += (g / tg - b / tb) * log((g / tg) / (b / tb));
	}
	return iv;
}

struct xy {
	double x;
	unsigned char bad;
};

static int
cmp_xy(const void *a, const void *b)
{
	const struct xy *p = a, *q = b;
	if (p->x < q->x)
		return -1;
	if (p->x > q->x)
		return 1;
	return (int)p->bad - (int)q->bad;
}

static int
cmp_double(const void *a, const void *b)
{
	double p = *(const double *)a, q = *(const double *)b;
	if (isnan(p))
		return isnan(q) ? 0 : 1;
	if (isnan(q))
		return -1;
	return (p > q) - (p < q);
}

void
cx_score_sort_doubles(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_double);
}

static double
rate(const struct cx_score_nbin *b)
{
	double t = b->good + b->bad;
	return t > 0 ? b->bad / t : 0.0;
}

static void
merge_into(struct cx_score_nbin *bins, size_t *nb, size_t i)
{
	/* merge bins[i] and bins[i+1] into bins[i] */
	bins[i].good += bins[i + 1].good;
	bins[i].bad += bins[i + 1].bad;
	bins[i].hi = bins[i + 1].hi;
	memmove(bins + i + 1, bins + i + 2, (*nb - i - 2) * sizeof *bins);
	(*nb)--;
}

/* Pool adjacent violators: bad rate strictly rising (dir +1) or falling. */
static void
pava(struct cx_score_nbin *bins, size_t *nb, int dir)
{
	size_t i = 0;
	while (i + 1 < *nb) {
		double r0 = rate(&bins[i]), r1 = rate(&bins[i + 1]);
		int bad_order = dir > 0 ? (r0 >= r1) : (r0 <= r1);
		if (bad_order) {
			merge_into(bins, nb, i);
			if (i > 0)
				i--;
		} else {
			i++;
		}
	}
}

static void
merge_small(struct cx_score_nbin *bins, size_t *nb, size_t min_bin)
{
	while (*nb > 1) {
		size_t s = 0;
		double smin = bins[0].good + bins[0].bad;
		for (size_t i = 1; i < *nb; i++) {
			double c = bins[i].good + bins[i].bad;
			if (c < smin) {
				smin = c;
				s = i;
			}
		}
		if (smin >= (double)min_bin)
			break;
		size_t j;
		if (s == 0)
			j = 0;
		else if (s == *nb - 1)
			j = s - 1;
		else {
			double r = rate(&bins[s]);
			double dl = fabs(r - rate(&bins[s - 1])), dr = fabs(r - rate(&bins[s + 1]));
			j = dl <= dr ? s - 1 : s;
		}
		merge_into(bins, nb, j);
	}
}

static double
bins_iv(const struct cx_score_nbin *bins, size_t nb)
{
	double iv = 0, tg = 0, tb = 0;
	for (size_t i = 0; i < nb; i++) {
		tg += bins[i].good;
		tb += bins[i].bad;
	}
	if (tg <= 0 || tb <= 0)
		return 0;
	for (size_t i = 0; i < nb; i++) {
		double w = cx_score_woe(bins[i].good, bins[i].bad, tg, tb);
		double gg = bins[i].good > 0 ? bins[i].good : 0.5;
		double bb = bins[i].bad > 0 ? bins[i].bad : 0.5;
		iv += (gg / tg - bb / tb) * w;
	}
	return iv;
}

int
cx_score_bin_numeric(const double *x, const unsigned char *bad, size_t n,
                     const struct cx_score_binopts *opts,
                     struct cx_score_nbin *bins, size_t *nbins, int *direction,
                     struct cx_error *err)
{
	size_t fine = opts && opts->fine ? opts->fine : 20;
	size_t min_bin = opts && opts->min_bin ? opts->min_bin : 1;
	*direction = 1;
	if (n == 0) {
		bins[0].hi = INFINITY;
		bins[0].good = bins[0].bad = 0;
		*nbins = 1;
		return 0;
	}
	struct xy *v = cx_malloc(n * sizeof *v);
	struct cx_score_nbin *a = cx_malloc((fine + 1) * sizeof *a);
	struct cx_score_nbin *b = cx_malloc((fine + 1) * sizeof *b);
	if (!v || !a || !b) {
		cx_free(v);
		cx_free(a);
		cx_free(b);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		v[i].x = x[i];
		v[i].bad = bad[i] ? 1 : 0;
	}
	qsort(v, n, sizeof *v, cmp_xy);

	/* fine classes: cut after reaching n*(k+1)/fine rows, at value changes */
	size_t nf = 0;
	double g = 0, bd = 0;
	size_t cum = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].bad)
			bd++;
		else
			g++;
		cum++;
		int last = i + 1 == n;
		int change = !last && v[i + 1].x > v[i].x;
		double target = (double)n * (double)(nf + 1) / (double)fine;
		if (last || (change && (double)cum >= target && nf + 1 < fine)) {
			a[nf].hi = last ? INFINITY : v[i].x;
			a[nf].good = g;
			a[nf].bad = bd;
			nf++;
			g = bd = 0;
		}
	}
	cx_free(v);

	double best_iv = -1;
	size_t best_n = 0;
	for (int dir = 1; dir >= -1; dir -= 2) {
		size_t nb = nf;
		memcpy(b, a, nf * sizeof *a);
		pava(b, &nb, dir);
		merge_small(b, &nb, min_bin);
		double iv = bins_iv(b, nb);
		if (iv > best_iv + 1e-12) {
			best_iv = iv;
			best_n = nb;
			memcpy(bins, b, nb * sizeof *b);
			*direction = dir;
		}
	}
	*nbins = best_n;
	cx_free(a);
	cx_free(b);
	return 0;
}

struct catrate {
	size_t idx;
	double rate;
};

static int
cmp_catrate(const void *pa, const void *pb)
{
	const struct catrate *p = pa, *q = pb;
	if (p->rate > q->rate)
		return -1;
	if (p->rate < q->rate)
		return 1;
	return (p->idx > q->idx) - (p->idx < q->idx);
}

int
cx_score_bin_categorical(const double *good, const double *bad, size_t k,
                         size_t min_bin, size_t *group, size_t *ngroups,
                         struct cx_error *err)
{
	if (k == 0) {
		*ngroups = 0;
		return 0;
	}
	struct catrate *o = cx_malloc(k * sizeof *o);
	struct cx_score_nbin *bins = cx_malloc(k * sizeof *bins);
	size_t *first = cx_malloc(k * sizeof *first);
	if (!o || !bins || !first) {
		cx_free(o);
		cx_free(bins);
		cx_free(first);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t c = 0; c < k; c++) {
		o[c].idx = c;
		/* smoothed so that tiny categories do not sort to the ends */
		o[c].rate = (bad[c] + 0.5) / (good[c] + bad[c] + 1.0);
	}
	qsort(o, k, sizeof *o, cmp_catrate);
	/* bins in riskiest-first order; bins[i].hi holds the index in o of the
	 * first category of the bin */
	size_t nb = k;
	for (size_t i = 0; i < k; i++) {
		bins[i].hi = (double)i;
		bins[i].good = good[o[i].idx];
		bins[i].bad = bad[o[i].idx];
	}
	/* merge_small keeps hi of the right bin; we track starts instead */
	for (size_t i = 0; i < k; i++)
		first[i] = i;
	while (nb > 1) {
		size_t s = 0;
		double smin = bins[0].good + bins[0].bad;
		for (size_t i = 1; i < nb; i++) {
			double c = bins[i].good + bins[i].bad;
			if (c < smin) {
				smin = c;
				s = i;
			}
		}
		if (smin >= (double)min_bin)
			break;
		size_t j;
		if (s == 0)
			j = 0;
		else if (s == nb - 1)
			j = s - 1;
		else {
			double r = rate(&bins[s]);
			j = fabs(r - rate(&bins[s - 1])) <= fabs(r - rate(&bins[s + 1])) ? s - 1 : s;
		}
		bins[j].good += bins[j + 1].good;
		bins[j].bad += bins[j + 1].bad;
		memmove(bins + j + 1, bins + j + 2, (nb - j - 2) * sizeof *bins);
		memmove(first + j + 1, first + j + 2, (nb - j - 2) * sizeof *first);
		nb--;
	}
	for (size_t gi = 0; gi < nb; gi++) {
		size_t end = gi + 1 < nb ? first[gi + 1] : k;
		for (size_t i = first[gi]; i < end; i++)
			group[o[i].idx] = gi;
	}
	*ngroups = nb;
	cx_free(o);
	cx_free(bins);
	cx_free(first);
	return 0;
}

/* Cholesky solve of the symmetric positive definite m x m system A x = b;
 * A is overwritten.  Returns -1 when A is not positive definite. */
static int
chol_solve(double *A, double *bvec, size_t m)
{
	for (size_t j = 0; j < m; j++) {
		double d = A[j * m + j];
		for (size_t k = 0; k < j; k++)
			d -= A[j * m + k] * A[j * m + k];
		if (!(d > 1e-12))
			return -1;
		d = sqrt(d);
		A[j * m + j] = d;
		for (size_t i = j + 1; i < m; i++) {
			double s = A[i * m + j];
			for (size_t k = 0; k < j; k++)
				s -= A[i * m + k] * A[j * m + k];
			A[i * m + j] = s / d;
		}
	}
	for (size_t i = 0; i < m; i++) {
		double s = bvec[i];
		for (size_t k = 0; k < i; k++)
			s -= A[i * m + k] * bvec[k];
		bvec[i] = s / A[i * m + i];
	}
	for (size_t i = m; i-- > 0;) {
		double s = bvec[i];
		for (size_t k = i + 1; k < m; k++)
			s -= A[k * m + i] * bvec[k];
		bvec[i] = s / A[i * m + i];
	}
	return 0;
}

int
cx_score_irls(const double *X, const unsigned char *bad, const double *w,
              size_t n, size_t p, double l2, int max_iter, double tol,
              double *beta, struct cx_error *err)
{
	size_t m = p + 1;
	double *H = cx_malloc(m * m * sizeof *H);
	double *g = cx_malloc(m * sizeof *g);
	double *xi = cx_malloc(m * sizeof *xi);
	if (!H || !g || !xi) {
		cx_free(H);
		cx_free(g);
		cx_free(xi);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t j = 0; j < m; j++)
		beta[j] = 0;
	/* start the intercept at the log odds of the sample */
	double ng = 0, nbd = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		if (bad[i])
			nbd += wi;
		else
			ng += wi;
	}
	if (ng > 0 && nbd > 0)
		beta[0] = log(ng / nbd);
	int it, rc = CX_EDATA;
	for (it = 1; it <= max_iter; it++) {
		memset(H, 0, m * m * sizeof *H);
		memset(g, 0, m * sizeof *g);
		for (size_t i = 0; i < n; i++) {
			const double *row = X + i * p;
			xi[0] = 1.0;
			double eta = beta[0];
			for (size_t j = 0; j < p; j++) {
				xi[j + 1] = row[j];
				eta += beta[j + 1] * row[j];
			}
			double pr = 1.0 / (1.0 + exp(-eta));
			double y = bad[i] ? 0.0 : 1.0;
			double wi = w ? w[i] : 1.0;
			double r = wi * (y - pr), v = wi * pr * (1.0 - pr);
			for (size_t a = 0; a < m; a++) {
				g[a] += r * xi[a];
				double vx = v * xi[a];
				for (size_t b = 0; b <= a; b++)
					H[a * m + b] += vx * xi[b];
			}
		}
		for (size_t a = 0; a < m; a++)
			for (size_t b = a + 1; b < m; b++)
				H[a * m + b] = H[b * m + a];
		for (size_t j = 1; j < m; j++) {
			g[j] -= l2 * beta[j];
			H[j * m + j] += l2;
		}
		if (chol_solve(H, g, m) < 0) {
			rc = cx_error_set(err, CX_EDATA, NULL, 0,
			                  "logistic regression: singular information matrix");
			goto out;
		}
		double dmax = 0;
		for (size_t j = 0; j < m; j++) {
			beta[j] += g[j];
			if (fabs(g[j]) > dmax)
				dmax = fabs(g[j]);
		}
		if (dmax < tol) {
			rc = it;
			goto out;
		}
	}
	rc = max_iter;
out:
	cx_free(H);
	cx_free(g);
	cx_free(xi);
	return rc;
}

static struct xy *
sorted_pairs(const double *score, const unsigned char *bad, size_t n, double *ng, double *nb)
{
	struct xy *v = cx_malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return NULL;
	*ng = *nb = 0;
	for (size_t i = 0; i < n; i++) {
		v[i].x = score[i];
		v[i].bad = bad[i] ? 1 : 0;
		if (v[i].bad)
			(*nb)++;
		else
			(*ng)++;
	}
	qsort(v, n, sizeof *v, cmp_xy);
	return v;
}

double
cx_score_auc(const double *score, const unsigned char *bad, size_t n)
{
	double ng, nb;
	struct xy *v = sorted_pairs(score, bad, n, &ng, &nb);
	if (!v || ng == 0 || nb == 0) {
		cx_free(v);
		return NAN;
	}
	double below_bad = 0, sum = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		double tg = 0, tb = 0;
		while (j < n && v[j].x == v[i].x) {
			if (v[j].bad)
				tb++;
			else
				tg++;
			j++;
		}
		sum += tg * below_bad + 0.5 * tg * tb;
		below_bad += tb;
		i = j;
	}
	cx_free(v);
	return sum / (ng * nb);
}

double
cx_score_ks(const double *score, const unsigned char *bad, size_t n)
{
	double ng, nb;
	struct xy *v = sorted_pairs(score, bad, n, &ng, &nb);
	if (!v || ng == 0 || nb == 0) {
		cx_free(v);
		return NAN;
	}
	double cg = 0, cb = 0, ks = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && v[j].x == v[i].x) {
			if (v[j].bad)
				cb++;
			else
				cg++;
			j++;
		}
		double d = fabs(cb / nb - cg / ng);
		if (d > ks)
			ks = d;
		i = j;
	}
	cx_free(v);
	return ks;
}

double
cx_score_psi(const double *expected, const double *actual, size_t k)
{
	double psi = 0;
	for (size_t i = 0; i < k; i++) {
		double e = expected[i] < 1e-4 ? 1e-4 : expected[i];
		double a = actual[i] < 1e-4 ? 1e-4 : actual[i];
		psi += (a - e) * log(a / e);
	}
	return psi;
}
