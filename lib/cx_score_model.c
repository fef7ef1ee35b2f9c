#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_mem.h"
#include "cx_score_model.h"

#define MODEL_MAX_BYTES (16u << 20)
#define MAX_FIELDS 10

struct cx_sc_model *
cx_sc_model_new(void)
{
	struct cx_sc_model *m = cx_calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->base_score = 600;
	m->base_odds = 50;
	m->pdo = 20;
	return m;
}

static void
char_free(struct cx_sc_char *c)
{
	for (size_t b = 0; b < c->nbins; b++) {
		for (size_t k = 0; k < c->bins[b].ncats; k++)
			cx_free(c->bins[b].cats[k]);
		cx_free(c->bins[b].cats);
	}
	cx_free(c->bins);
	cx_free(c->name);
	cx_free(c->reason);
	cx_free(c->reason_text);
	cx_strmap_free(c->catmap);
}

void
cx_sc_model_free(struct cx_sc_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nmeta; i++) {
		cx_free(m->meta[i].key);
		cx_free(m->meta[i].value);
	}
	cx_free(m->meta);
	for (size_t i = 0; i < m->nchars; i++)
		char_free(&m->chars[i]);
	cx_free(m->chars);
	cx_free(m);
}

int
cx_sc_model_set_meta(struct cx_sc_model *m, const char *key, const char *value)
{
	for (size_t i = 0; i < m->nmeta; i++)
		if (strcmp(m->meta[i].key, key) == 0) {
			char *v = cx_strdup(value);
			if (!v)
				return CX_ENOMEM;
			cx_free(m->meta[i].value);
			m->meta[i].value = v;
			return 0;
		}
	struct cx_sc_meta *nm = cx_realloc(m->meta, (m->nmeta + 1) * sizeof *nm);
	if (!nm)
		return CX_ENOMEM;
	m->meta = nm;
	char *k = cx_strdup(key), *v = cx_strdup(value);
	if (!k || !v) {
		cx_free(k);
		cx_free(v);
		return CX_ENOMEM;
	}
	m->meta[m->nmeta].key = k;
	m->meta[m->nmeta].value = v;
	m->nmeta++;
	return 0;
}

const char *
cx_sc_model_meta(const struct cx_sc_model *m, const char *key)
{
	for (size_t i = 0; i < m->nmeta; i++)
		if (strcmp(m->meta[i].key, key) == 0)
			return m->meta[i].value;
	return NULL;
}

static const char *const dim_names[] = { "none", "capacity", "willingness" };

const char *
cx_sc_dim_name(int dim)
{
	return dim >= 0 && dim <= 2 ? dim_names[dim] : "none";
}

int
cx_sc_dim_parse(const char *s)
{
	for (int i = 0; i <= 2; i++)
		if (strcmp(s, dim_names[i]) == 0)
			return i;
	return -1;
}

void
cx_sc_model_factor(const struct cx_sc_model *m, double *factor, double *offset)
{
	*factor = m->pdo / log(2.0);
	*offset = m->base_score - *factor * log(m->base_odds);
}

static double
round2(double v)
{
	double r = round(v * 100.0) / 100.0;
	return r == 0 ? 0.0 : r;   /* no "-0.00" */
}

static void
char_minmax(struct cx_sc_char *c)
{
	c->pmin = INFINITY;
	c->pmax = -INFINITY;
	for (size_t b = 0; b < c->nbins; b++) {
		if (c->bins[b].points < c->pmin)
			c->pmin = c->bins[b].points;
		if (c->bins[b].points > c->pmax)
			c->pmax = c->bins[b].points;
	}
	if (c->nbins == 0)
		c->pmin = c->pmax = 0;
}

void
cx_sc_model_scale(struct cx_sc_model *m)
{
	double factor, offset;
	cx_sc_model_factor(m, &factor, &offset);
	double n = m->nchars ? (double)m->nchars : 1.0;
	for (size_t i = 0; i < m->nchars; i++) {
		struct cx_sc_char *c = &m->chars[i];
		for (size_t b = 0; b < c->nbins; b++)
			c->bins[b].points = round2((c->beta * c->bins[b].woe + m->intercept / n) * factor +
			                           offset / n);
		char_minmax(c);
	}
}

double
cx_sc_model_p_pay(const struct cx_sc_model *m, double score)
{
	double factor, offset;
	cx_sc_model_factor(m, &factor, &offset);
	double lo = (score - offset) / factor;
	return 1.0 / (1.0 + exp(-lo));
}

size_t
cx_sc_char_bin(const struct cx_sc_char *c, const struct cx_sc_value *v)
{
	size_t missing = SIZE_MAX, other = SIZE_MAX;
	if (c->type == CX_SC_NUM) {
		/* one pass: the first range holding x, else the last missing bin */
		int nan = isnan(v->x);
		for (size_t b = 0; b < c->nbins; b++) {
			if (c->bins[b].kind == CX_SC_MISSING)
				missing = b;
			else if (!nan && c->bins[b].kind == CX_SC_RANGE && v->x > c->bins[b].lo &&
			         v->x <= c->bins[b].hi)
				return b;
		}
		return missing != SIZE_MAX ? missing : 0;
	}
	for (size_t b = 0; b < c->nbins; b++) {
		if (c->bins[b].kind == CX_SC_MISSING)
			missing = b;
		else if (c->bins[b].kind == CX_SC_ELSE)
			other = b;
	}
	if (!v->s || v->n == 0)
		return missing != SIZE_MAX ? missing : other;
	if (c->catmap) {
		uint64_t *slot = cx_strmap_get(c->catmap, v->s, v->n, 0, 0, NULL);
		if (slot)
			return (size_t)(*slot - 1);
	} else {
		for (size_t b = 0; b < c->nbins; b++)
			for (size_t k = 0; k < c->bins[b].ncats; k++)
				if (strlen(c->bins[b].cats[k]) == v->n &&
				    memcmp(c->bins[b].cats[k], v->s, v->n) == 0)
					return b;
	}
	return other;
}

void
cx_sc_model_apply(const struct cx_sc_model *m, const struct cx_sc_value *values,
                  struct cx_sc_result *r)
{
	double score = 0, cap = 0, capmax = 0, wil = 0, wilmax = 0;
	double loss[CX_SC_MAX_REASONS];
	r->nreasons = 0;
	for (size_t i = 0; i < m->nchars; i++) {
		const struct cx_sc_char *c = &m->chars[i];
		size_t b = cx_sc_char_bin(c, &values[i]);
		double pts = c->bins[b].points;
		score += pts;
		if (c->dim == CX_SC_DIM_CAPACITY) {
			cap += pts - c->pmin;
			capmax += c->pmax - c->pmin;
		} else if (c->dim == CX_SC_DIM_WILLINGNESS) {
			wil += pts - c->pmin;
			wilmax += c->pmax - c->pmin;
		}
		double l = c->pmax - pts;
		if (l < 0.005)
			continue;
		/* insert into the top list (stable: earlier chars win ties) */
		size_t pos = r->nreasons;
		while (pos > 0 && loss[pos - 1] < l)
			pos--;
		if (pos >= CX_SC_MAX_REASONS)
			continue;
		size_t end = r->nreasons < CX_SC_MAX_REASONS ? r->nreasons : CX_SC_MAX_REASONS - 1;
		for (size_t k = end; k > pos; k--) {
			loss[k] = loss[k - 1];
			r->reasons[k] = r->reasons[k - 1];
		}
		loss[pos] = l;
		r->reasons[pos] = i;
		if (r->nreasons < CX_SC_MAX_REASONS)
			r->nreasons++;
	}
	r->score = score;
	r->p_pay = cx_sc_model_p_pay(m, score);
	r->capacity = capmax > 0 ? 100.0 * cap / capmax : NAN;
	r->willingness = wilmax > 0 ? 100.0 * wil / wilmax : NAN;
}

/* ---- writing ----------------------------------------------------------- */

static void
fmt_num(char *buf, size_t sz, double v)
{
	if (isinf(v))
		snprintf(buf, sz, "%s", v < 0 ? "-inf" : "inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sz, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(buf, sz, "%.10g", v);
}

static int
put_cat(struct cx_output *out, const char *s, struct cx_error *err)
{
	char buf[8];
	for (; *s; s++) {
		const char *e = NULL;
		switch (*s) {
		case '\\': e = "\\\\"; break;
		case ',': e = "\\,"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		default:
			buf[0] = *s;
			buf[1] = 0;
			e = buf;
		}
		int rc = cx_output_puts(out, e, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *const kind_names[] = { "range", "missing", "cats", "else" };

int
cx_sc_model_write(const struct cx_sc_model *m, struct cx_output *out, struct cx_error *err)
{
	char a[40], b[40], c[40];
	int rc;
#define P(...) do { if ((rc = cx_output_printf(out, err, __VA_ARGS__)) < 0) return rc; } while (0)
	P("cx-model\t1\n");
	P("# cx-score scorecard; format in cx-model(5).  score = sum of points;\n"
	  "# ln(odds good:bad) = (score - offset) / factor.  Target: bad = 1.\n");
	for (size_t i = 0; i < m->nmeta; i++)
		P("meta\t%s\t%s\n", m->meta[i].key, m->meta[i].value);
	fmt_num(a, sizeof a, m->base_score);
	fmt_num(b, sizeof b, m->base_odds);
	fmt_num(c, sizeof c, m->pdo);
	P("scaling\t%s\t%s\t%s\n", a, b, c);
	fmt_num(a, sizeof a, m->intercept);
	P("intercept\t%s\n", a);
	for (size_t i = 0; i < m->nchars; i++) {
		const struct cx_sc_char *ch = &m->chars[i];
		fmt_num(a, sizeof a, ch->beta);
		fmt_num(b, sizeof b, ch->iv);
		P("char\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ch->name, ch->type == CX_SC_CAT ? "cat" : "num",
		  cx_sc_dim_name(ch->dim), a, b, ch->reason ? ch->reason : "-",
		  ch->reason_text && *ch->reason_text ? ch->reason_text : "-");
		for (size_t k = 0; k < ch->nbins; k++) {
			const struct cx_sc_bin *bn = &ch->bins[k];
			P("bin\t%s\t%s\t", ch->name, kind_names[bn->kind]);
			if (bn->kind == CX_SC_RANGE) {
				fmt_num(a, sizeof a, bn->lo);
				fmt_num(b, sizeof b, bn->hi);
				P("%s\t%s", a, b);
			} else if (bn->kind == CX_SC_CATS) {
				for (size_t q = 0; q < bn->ncats; q++) {
					if (q)
						P(",");
					if ((rc = put_cat(out, bn->cats[q], err)) < 0)
						return rc;
				}
				P("\t-");
			} else {
				P("-\t-");
			}
			fmt_num(a, sizeof a, bn->woe);
			P("\t%s\t%.2f\t%.0f\t%.0f\n", a, bn->points == 0 ? 0.0 : bn->points, bn->good,
			  bn->bad);
		}
	}
	for (size_t k = 0; k < m->ndist; k++) {
		fmt_num(a, sizeof a, m->dist_hi[k]);
		P("dist\t%s\t%.4f\n", a, m->dist_share[k]);
	}
	P("end\n");
#undef P
	return 0;
}

/* ---- parsing ----------------------------------------------------------- */

static int
parse_num(const char *s, double *out, int allow_inf)
{
	if (!*s)
		return -1;
	if (strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0) {
		if (!allow_inf)
			return -1;
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static char *
unescape_cat(const char *s, size_t n)
{
	char *d = cx_malloc(n + 1);
	if (!d)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			switch (s[i]) {
			case 't': d[j++] = '\t'; break;
			case 'n': d[j++] = '\n'; break;
			case 'r': d[j++] = '\r'; break;
			default: d[j++] = s[i];
			}
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = 0;
	return d;
}

static int
add_cats(struct cx_sc_bin *bn, const char *s, struct cx_error *err, const char *name, long line)
{
	size_t len = strlen(s), start = 0, i = 0;
	for (;;) {
		if (i < len && s[i] == '\\') {
			if (i + 1 == len)
				return cx_error_set(err, CX_EDATA, name, line, "bad escape in category list");
			i += 2;
			continue;
		}
		if (i < len && s[i] != ',') {
			i++;
			continue;
		}
		char **nc = cx_realloc(bn->cats, (bn->ncats + 1) * sizeof *nc);
		if (!nc)
			return cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
		bn->cats = nc;
		char *c = unescape_cat(s + start, i - start);
		if (!c)
			return cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
		bn->cats[bn->ncats++] = c;
		if (i == len)
			return 0;
		start = ++i;
	}
}

static int
finish_char(struct cx_sc_char *c, const char *name, long line, struct cx_error *err)
{
	size_t nmiss = 0, nelse = 0, nrange = 0, ncats = 0;
	double prev = -INFINITY;
	for (size_t b = 0; b < c->nbins; b++) {
		const struct cx_sc_bin *bn = &c->bins[b];
		switch (bn->kind) {
		case CX_SC_MISSING: nmiss++; break;
		case CX_SC_ELSE: nelse++; break;
		case CX_SC_CATS: ncats++; break;
		default:
			if (bn->lo != prev || !(bn->lo < bn->hi))
				return cx_error_set(err, CX_EDATA, name, line,
				                    "characteristic '%s': ranges must be contiguous and "
				                    "rising from -inf", c->name);
			prev = bn->hi;
			nrange++;
		}
	}
	if (c->type == CX_SC_NUM) {
		if (ncats || nelse || nrange == 0 || nmiss != 1 || prev != INFINITY)
			return cx_error_set(err, CX_EDATA, name, line,
			                    "numeric characteristic '%s' needs ranges from -inf to inf "
			                    "and one missing bin", c->name);
	} else {
		if (nrange || nelse != 1 || nmiss > 1)
			return cx_error_set(err, CX_EDATA, name, line,
			                    "categorical characteristic '%s' needs category bins, one "
			                    "else bin and at most one missing bin", c->name);
		c->catmap = cx_strmap_new(16);
		if (!c->catmap)
			return cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
		for (size_t b = 0; b < c->nbins; b++)
			for (size_t k = 0; k < c->bins[b].ncats; k++) {
				int ins = 0;
				const char *s = c->bins[b].cats[k];
				uint64_t *slot = cx_strmap_get(c->catmap, s, strlen(s), 1, b + 1, &ins);
				if (!slot)
					return cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
				if (!ins)
					return cx_error_set(err, CX_EDATA, name, line,
					                    "characteristic '%s': a category is in two bins",
					                    c->name);
			}
	}
	char_minmax(c);
	return 0;
}

struct cx_sc_model *
cx_sc_model_parse(const char *text, size_t n, const char *name, struct cx_error *err)
{
	struct cx_sc_model *m = cx_sc_model_new();
	char *buf = NULL;
	long line = 0;
	int seen_header = 0, seen_end = 0, seen_scaling = 0, seen_intercept = 0;
	if (!m) {
		cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
		return NULL;
	}
	size_t pos = 0;
	while (pos < n) {
		size_t e = pos;
		while (e < n && text[e] != '\n')
			e++;
		line++;
		size_t len = e - pos;
		if (len && text[pos + len - 1] == '\r')
			len--;
		cx_free(buf);
		buf = cx_strndup(text + pos, len);
		pos = e + 1;
		if (!buf) {
			cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
			goto fail;
		}
		if (memchr(buf, 0, len)) {
			cx_error_set(err, CX_EDATA, name, line, "NUL byte in model file");
			goto fail;
		}
		if (len == 0 || buf[0] == '#')
			continue;
		if (seen_end) {
			cx_error_set(err, CX_EDATA, name, line, "text after 'end'");
			goto fail;
		}
		char *f[MAX_FIELDS + 1] = { NULL };   /* only f[0..nf) are read */
		size_t nf = 0;
		char *p = buf;
		for (;;) {
			if (nf == MAX_FIELDS) {
				cx_error_set(err, CX_EDATA, name, line, "too many fields");
				goto fail;
			}
			f[nf++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = 0;
			p = t + 1;
		}
		if (!seen_header) {
			if (nf != 2 || strcmp(f[0], "cx-model") != 0 || strcmp(f[1], "1") != 0) {
				cx_error_set(err, CX_EDATA, name, line,
				             "not a cx model file (expected 'cx-model<TAB>1')");
				goto fail;
			}
			seen_header = 1;
			continue;
		}
		if (strcmp(f[0], "meta") == 0) {
			if (nf != 3 || !*f[1]) {
				cx_error_set(err, CX_EDATA, name, line, "meta needs a key and a value");
				goto fail;
			}
			if (cx_sc_model_set_meta(m, f[1], f[2]) < 0) {
				cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
				goto fail;
			}
		} else if (strcmp(f[0], "scaling") == 0) {
			if (nf != 4 || parse_num(f[1], &m->base_score, 0) ||
			    parse_num(f[2], &m->base_odds, 0) || parse_num(f[3], &m->pdo, 0) ||
			    !(m->base_odds > 0) || !(m->pdo > 0)) {
				cx_error_set(err, CX_EDATA, name, line,
				             "scaling needs base score, base odds > 0 and pdo > 0");
				goto fail;
			}
			seen_scaling = 1;
		} else if (strcmp(f[0], "intercept") == 0) {
			if (nf != 2 || parse_num(f[1], &m->intercept, 0)) {
				cx_error_set(err, CX_EDATA, name, line, "bad intercept");
				goto fail;
			}
			seen_intercept = 1;
		} else if (strcmp(f[0], "char") == 0) {
			if (nf != 8 || !*f[1]) {
				cx_error_set(err, CX_EDATA, name, line, "char needs 7 fields");
				goto fail;
			}
			if (m->nchars && finish_char(&m->chars[m->nchars - 1], name, line, err) < 0)
				goto fail;
			for (size_t i = 0; i < m->nchars; i++)
				if (strcmp(m->chars[i].name, f[1]) == 0) {
					cx_error_set(err, CX_EDATA, name, line, "characteristic '%s' twice",
					             f[1]);
					goto fail;
				}
			struct cx_sc_char *nc = cx_realloc(m->chars, (m->nchars + 1) * sizeof *nc);
			if (!nc) {
				cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
				goto fail;
			}
			m->chars = nc;
			struct cx_sc_char *c = &m->chars[m->nchars++];
			memset(c, 0, sizeof *c);
			c->name = cx_strdup(f[1]);
			c->reason = cx_strdup(f[6]);
			c->reason_text = cx_strdup(f[7]);
			if (!c->name || !c->reason || !c->reason_text) {
				cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
				goto fail;
			}
			if (strcmp(f[2], "num") == 0)
				c->type = CX_SC_NUM;
			else if (strcmp(f[2], "cat") == 0)
				c->type = CX_SC_CAT;
			else {
				cx_error_set(err, CX_EDATA, name, line, "type must be 'num' or 'cat'");
				goto fail;
			}
			c->dim = cx_sc_dim_parse(f[3]);
			if (c->dim < 0 || parse_num(f[4], &c->beta, 0) || parse_num(f[5], &c->iv, 0)) {
				cx_error_set(err, CX_EDATA, name, line,
				             "bad dimension, beta or information value");
				goto fail;
			}
		} else if (strcmp(f[0], "bin") == 0) {
			if (nf != 9) {
				cx_error_set(err, CX_EDATA, name, line, "bin needs 8 fields");
				goto fail;
			}
			if (!m->nchars || strcmp(m->chars[m->nchars - 1].name, f[1]) != 0) {
				cx_error_set(err, CX_EDATA, name, line,
				             "bin does not follow its characteristic");
				goto fail;
			}
			struct cx_sc_char *c = &m->chars[m->nchars - 1];
			struct cx_sc_bin *nb = cx_realloc(c->bins, (c->nbins + 1) * sizeof *nb);
			if (!nb) {
				cx_error_set(err, CX_ENOMEM, name, line, "out of memory");
				goto fail;
			}
			c->bins = nb;
			struct cx_sc_bin *bn = &c->bins[c->nbins++];
			memset(bn, 0, sizeof *bn);
			int k = -1;
			for (int q = 0; q < 4; q++)
				if (strcmp(f[2], kind_names[q]) == 0)
					k = q;
			if (k < 0) {
				cx_error_set(err, CX_EDATA, name, line,
				             "bin kind must be range, missing, cats or else");
				goto fail;
			}
			bn->kind = k;
			if (k == CX_SC_RANGE) {
				if (parse_num(f[3], &bn->lo, 1) || parse_num(f[4], &bn->hi, 1)) {
					cx_error_set(err, CX_EDATA, name, line, "bad range bounds");
					goto fail;
				}
			} else if (k == CX_SC_CATS) {
				if (add_cats(bn, f[3], err, name, line) < 0)
					goto fail;
			}
			if (parse_num(f[5], &bn->woe, 0) || parse_num(f[6], &bn->points, 0) ||
			    parse_num(f[7], &bn->good, 0) || parse_num(f[8], &bn->bad, 0) ||
			    bn->good < 0 || bn->bad < 0) {
				cx_error_set(err, CX_EDATA, name, line, "bad woe, points or counts");
				goto fail;
			}
		} else if (strcmp(f[0], "dist") == 0) {
			double hi, sh;
			if (nf != 3 || parse_num(f[1], &hi, 1) || parse_num(f[2], &sh, 0) || sh < 0 ||
			    sh > 1 || m->ndist >= CX_SC_DIST_MAX ||
			    (m->ndist && !(hi > m->dist_hi[m->ndist - 1]))) {
				cx_error_set(err, CX_EDATA, name, line,
				             "bad dist line (rising upper bounds, share 0..1, at most %d)",
				             CX_SC_DIST_MAX);
				goto fail;
			}
			m->dist_hi[m->ndist] = hi;
			m->dist_share[m->ndist++] = sh;
		} else if (strcmp(f[0], "end") == 0 && nf == 1) {
			if (m->nchars && finish_char(&m->chars[m->nchars - 1], name, line, err) < 0)
				goto fail;
			seen_end = 1;
		} else {
			cx_error_set(err, CX_EDATA, name, line, "unknown line type");
			goto fail;
		}
	}
	cx_free(buf);
	buf = NULL;
	if (!seen_header || !seen_end || !seen_scaling || !seen_intercept || !m->nchars) {
		cx_error_set(err, CX_EDATA, name, line,
		             "incomplete model (needs header, scaling, intercept, characteristics "
		             "and 'end')");
		goto fail;
	}
	if (m->ndist && m->dist_hi[m->ndist - 1] != INFINITY) {
		cx_error_set(err, CX_EDATA, name, line, "the last dist band must end at inf");
		goto fail;
	}
	return m;
fail:
	cx_free(buf);
	cx_sc_model_free(m);
	return NULL;
}

struct cx_sc_model *
cx_sc_model_load(const char *path, struct cx_error *err)
{
	size_t len;
	char *text = cx_read_file(path, MODEL_MAX_BYTES, &len, err);
	if (!text)
		return NULL;
	struct cx_sc_model *m = cx_sc_model_parse(text, len, path, err);
	cx_free(text);
	return m;
}
