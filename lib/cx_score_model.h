/* cx_score_model — the scorecard model of cx-score: its in-memory form,
 * the text model file (cx-model(5)) reader and writer, scaling to points,
 * and applying a model to one vector of characteristic values.
 *
 * A model is a set of characteristics, each cut into bins; every bin has a
 * weight of evidence (WoE, higher = lower risk) and points.  The score is
 * the sum of the points of the bins a customer falls in; p_pay (probability
 * of the good outcome) follows from the score by the scaling:
 *   factor = pdo / ln 2, offset = base_score - factor * ln(base_odds),
 *   points_ij = (beta_j * WoE_ij + intercept / n) * factor + offset / n,
 *   ln(odds good:bad) = (score - offset) / factor.
 *
 * Ownership: a struct cx_sc_model and everything it points to is owned by
 * the model and released with cx_sc_model_free (accepts NULL).  Strings
 * passed to setters are copied.  The values array given to
 * cx_sc_model_apply is the caller's.
 */
#ifndef CX_SCORE_MODEL_H
#define CX_SCORE_MODEL_H

#include <stddef.h>

#include "cx_err.h"
#include "cx_io.h"

struct cx_strmap;

enum cx_sc_type { CX_SC_NUM = 0, CX_SC_CAT = 1 };
enum cx_sc_dim { CX_SC_DIM_NONE = 0, CX_SC_DIM_CAPACITY = 1, CX_SC_DIM_WILLINGNESS = 2 };
enum cx_sc_binkind { CX_SC_RANGE = 0, CX_SC_MISSING = 1, CX_SC_CATS = 2, CX_SC_ELSE = 3 };

struct cx_sc_bin {
	int kind;            /* enum cx_sc_binkind */
	double lo, hi;       /* CX_SC_RANGE: lo < x <= hi */
	char **cats;         /* CX_SC_CATS: category values */
	size_t ncats;
	double woe, points;
	double good, bad;    /* training counts */
};

struct cx_sc_char {
	char *name;
	int type;            /* enum cx_sc_type */
	int dim;             /* enum cx_sc_dim */
	double beta, iv;
	char *reason;        /* reason code, e.g. "D01" */
	char *reason_text;   /* one line of plain language */
	struct cx_sc_bin *bins;
	size_t nbins;
	double pmin, pmax;   /* smallest and largest points of its bins */
	struct cx_strmap *catmap;  /* category -> bin index + 1 (built at load) */
};

struct cx_sc_meta {
	char *key, *value;
};

#define CX_SC_DIST_MAX 20

struct cx_sc_model {
	struct cx_sc_meta *meta;
	size_t nmeta;
	double base_score, base_odds, pdo;
	double intercept;
	struct cx_sc_char *chars;
	size_t nchars;
	/* training score distribution: band k is (edge[k-1], edge[k]] */
	size_t ndist;
	double dist_hi[CX_SC_DIST_MAX];
	double dist_share[CX_SC_DIST_MAX];
};

struct cx_sc_model *cx_sc_model_new(void);
void cx_sc_model_free(struct cx_sc_model *m);

/* Metadata (key unique; set replaces).  get returns NULL when absent. */
int cx_sc_model_set_meta(struct cx_sc_model *m, const char *key, const char *value);
const char *cx_sc_model_meta(const struct cx_sc_model *m, const char *key);

/* Parse a model file's text (n bytes).  `name` is used in messages
 * ("name:line: ..."), err gets CX_EDATA on any malformed line. */
struct cx_sc_model *cx_sc_model_parse(const char *text, size_t n, const char *name,
                                      struct cx_error *err);
struct cx_sc_model *cx_sc_model_load(const char *path, struct cx_error *err);
/* Write the model file text. */
int cx_sc_model_write(const struct cx_sc_model *m, struct cx_output *out,
                      struct cx_error *err);

/* Recompute every bin's points from WoE, beta and intercept with the
 * model's scaling (rounded to 0.01), and pmin/pmax. */
void cx_sc_model_scale(struct cx_sc_model *m);
/* factor and offset of the scaling. */
void cx_sc_model_factor(const struct cx_sc_model *m, double *factor, double *offset);

/* One characteristic value: numeric x (NaN = missing) or a category
 * string (NULL or "" = missing). */
struct cx_sc_value {
	double x;
	const char *s;
	size_t n;
};

#define CX_SC_MAX_REASONS 4

struct cx_sc_result {
	double score;        /* sum of points */
	double p_pay;        /* probability of the good outcome */
	double capacity;     /* 0..100, NaN when the model has no such chars */
	double willingness;
	size_t nreasons;
	size_t reasons[CX_SC_MAX_REASONS];  /* indices of chars, most points lost first */
};

/* Index of the bin a value falls in (always found for a valid model). */
size_t cx_sc_char_bin(const struct cx_sc_char *c, const struct cx_sc_value *v);
/* Apply the model to values[0..nchars-1] (in the model's char order). */
void cx_sc_model_apply(const struct cx_sc_model *m, const struct cx_sc_value *values,
                       struct cx_sc_result *r);
/* Probability of the good outcome for a score. */
double cx_sc_model_p_pay(const struct cx_sc_model *m, double score);

/* Character-level helpers for the file format (exposed for tests). */
const char *cx_sc_dim_name(int dim);
int cx_sc_dim_parse(const char *s);

#endif
