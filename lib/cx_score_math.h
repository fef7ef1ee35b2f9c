/* cx_score_math — the statistics behind cx-score's scorecards: fine and
 * coarse classing (binning) to monotone weight of evidence, information
 * value, logistic regression by Newton/IRLS with an L2 penalty, and the
 * evaluation measures AUC, KS, Gini and PSI.
 *
 * Conventions (the same everywhere in cx-score, documented in cx-score(1)):
 *   - the label `bad` is 1 for the bad outcome (default, did not pay) and
 *     0 for the good outcome (paid);
 *   - WoE_i = ln((good_i / good_total) / (bad_i / bad_total)), with 0.5
 *     added to a zero cell, so a higher WoE means lower risk;
 *   - IV = sum_i (good_i/good_total - bad_i/bad_total) * WoE_i;
 *   - logistic models predict ln(odds good:bad), so higher = lower risk;
 *   - AUC is P(score of a good > score of a bad) + P(tie)/2.
 *
 * Ownership: no function keeps a pointer to its arguments.  Arrays passed
 * in stay the caller's; output arrays are caller-allocated with the sizes
 * stated.  Functions that need scratch memory allocate it with cx_malloc
 * and free it before returning; they return 0 or a negative CX_E* code.
 * Everything is deterministic (no randomness, stable orderings).
 */
#ifndef CX_SCORE_MATH_H
#define CX_SCORE_MATH_H

#include <stddef.h>

#include "cx_err.h"

/* Weight of evidence of a cell with the 0.5 zero-cell adjustment. */
double cx_score_woe(double good, double bad, double good_total, double bad_total);
/* Information value of k cells. */
double cx_score_iv(const double *good, const double *bad, size_t k);

/* A numeric bin covers (previous bin's hi, hi]; the last bin's hi is
 * +infinity.  Counts are of the training rows that fell in the bin. */
struct cx_score_nbin {
	double hi;
	double good, bad;
};

struct cx_score_binopts {
	size_t fine;        /* fine classes (quantiles) before merging; 0 = 20 */
	size_t min_bin;     /* rows a coarse bin must hold at least; 0 = 1 */
	double min_iv_gain; /* 0: keep every monotone bin */
};

/* Fine then coarse classing of n non-missing values x (any order) with
 * labels bad[]: quantile fine classes cut only between distinct values,
 * then pool-adjacent-violators to a monotone bad rate in the direction that
 * gives the larger IV, then merging of bins smaller than min_bin into the
 * neighbour with the closer bad rate.  bins must hold opts->fine + 1
 * entries; *nbins receives the count, *direction +1 when the bad rate rises
 * with x and -1 when it falls.  n == 0 gives one bin. */
int cx_score_bin_numeric(const double *x, const unsigned char *bad, size_t n,
                         const struct cx_score_binopts *opts,
                         struct cx_score_nbin *bins, size_t *nbins, int *direction,
                         struct cx_error *err);

/* Coarse classing of k categories with counts good[c], bad[c]: categories
 * are ordered by bad rate (ties by index) and adjacent ones merged until each
 * group holds min_bin rows (the smallest group is merged with its neighbour
 * of closer bad rate).  group[c] receives a group number 0..*ngroups-1,
 * numbered riskiest first (rising WoE).  group must hold k entries. */
int cx_score_bin_categorical(const double *good, const double *bad, size_t k,
                             size_t min_bin, size_t *group, size_t *ngroups,
                             struct cx_error *err);

/* Logistic regression of the good outcome (1 - bad) on p columns of X
 * (row-major, n x p), with intercept, maximising the log-likelihood minus
 * l2/2 * sum_j beta_j^2 (the intercept is not penalised), by Newton-Raphson
 * (IRLS) with a Cholesky solve.  beta receives p + 1 values, beta[0] the
 * intercept.  w (may be NULL) weights rows.  Returns the iterations used
 * (>= 1) or a negative code; CX_EDATA when the Hessian is singular. */
int cx_score_irls(const double *X, const unsigned char *bad, const double *w,
                  size_t n, size_t p, double l2, int max_iter, double tol,
                  double *beta, struct cx_error *err);

/* Discrimination of a score (higher = lower risk) against labels.
 * Return NaN when either class is empty.  cx_score_auc and cx_score_ks
 * allocate scratch space and return NaN also when out of memory. */
double cx_score_auc(const double *score, const unsigned char *bad, size_t n);
double cx_score_ks(const double *score, const unsigned char *bad, size_t n);

/* Population stability index of k bands with expected and actual shares
 * (each summing to 1); shares below 1e-4 are floored at 1e-4. */
double cx_score_psi(const double *expected, const double *actual, size_t k);

/* Deterministic sort of doubles ascending (NaN last). */
void cx_score_sort_doubles(double *v, size_t n);

#endif
