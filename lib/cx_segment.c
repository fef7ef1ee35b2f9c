/* cx_segment — streaming run of cx-segment (see cx_segment.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_io.h"
#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_rules.h"
#include "cx_schema.h"
#include "cx_segment.h"
#include "cx_tsv.h"

static const char *const out_cols[5] = { CX_COL_SEGMENT, CX_COL_TREATMENT, CX_COL_EXPERIMENT,
                                         CX_COL_ARM, CX_COL_RULE };

static int
load_rules(const struct cx_segment_opts *o, const char *const *cols, size_t ncols,
           struct cx_rules **out, struct cx_error *err)
{
	struct cx_rules_opts ro = { cols, ncols, o->as_of };
	char *text = NULL;
	size_t len;
	const char *name = "default.cx";
	const char *src = cx_rules_default_text;

	len = cx_rules_default_len;
	if (o->rules) {
		text = cx_read_file(o->rules, CX_RULES_MAX_SOURCE, &len, err);
		if (!text)
			return err->code ? err->code : CX_ENOINPUT;
		src = text;
		name = o->rules;
	}
	*out = cx_rules_compile(name, src, len, &ro, err);
	cx_free(text);
	return *out ? 0 : err->code;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Summary keys are "NNNNNN\trule\tsegment\ttreatment\texperiment\tarm" so
 * that sorting gives rule order; the prefix is dropped on output. */
static char *
make_summary(struct cx_strmap *m, struct cx_error *err)
{
	size_t n = cx_strmap_count(m), cap = 64, len = 0;
	const char **keys = cx_calloc(n ? n : 1, sizeof *keys);
	char *out = cx_malloc(cap);
	if (!keys || !out)
		goto oom;
	for (size_t i = 0; i < n; i++)
		keys[i] = cx_strmap_key(m, i, NULL);
	qsort(keys, n, sizeof *keys, cmp_str);
	len = (size_t)snprintf(out, cap, "rule\tsegment\ttreatment\texperiment\tarm\tcustomers\n");
	for (size_t i = 0; i < n; i++) {
		size_t kl = strlen(keys[i]);
		uint64_t *v = cx_strmap_get(m, keys[i], kl, 0, 0, NULL);
		if (cx_grow((void **)&out, &cap, len + kl + 32, 1))
			goto oom;
		len += (size_t)snprintf(out + len, cap - len, "%s\t%llu\n", keys[i] + 7,
		                        (unsigned long long)(v ? *v : 0));
	}
	cx_free(keys);
	return out;
oom:
	cx_free(keys);
	cx_free(out);
	cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	return NULL;
}

int
cx_segment_run(const struct cx_segment_opts *o, char **summary, struct cx_error *err)
{
	struct cx_tsv_reader *r = NULL;
	struct cx_tsv_grouper *gr = NULL;
	struct cx_rules *rules = NULL;
	struct cx_output *out = NULL, *lo = NULL;
	struct cx_ledger *led = NULL;
	struct cx_ledger_sum gsum = { 0 };
	struct cx_tsv_writer *w = NULL;
	struct cx_strmap *counts = NULL;
	const char **cols = NULL;
	char *trace = NULL;
	char *suffix = NULL;   /* the five output columns of a customer, escaped */
	size_t suffix_cap = 0;
	int rc = 0, found = 0;
	int pos[5];
	size_t ncols;

	if (summary)
		*summary = NULL;
	if (o->check && !o->input) {
		rc = load_rules(o, NULL, 0, &rules, err);
		cx_rules_free(rules);
		return rc;
	}

	r = cx_tsv_open(o->input ? o->input : "-", NULL, err);
	if (!r)
		return err->code;
	ncols = cx_tsv_ncols(r);
	cols = cx_calloc(ncols + 1, sizeof *cols);
	if (!cols) {
		rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < ncols; i++)
		cols[i] = cx_tsv_colname(r, i);
	if ((rc = load_rules(o, cols, ncols, &rules, err)) < 0)
		goto done;
	if (o->check)
		goto done;
	int keycol;
	{
		static const char *const req[] = { CX_COL_CUSTOMER };
		if ((rc = cx_tsv_require(r, req, 1, &keycol, err)) < 0)
			goto done;
	}
	gr = cx_tsv_grouper_new(r, keycol, 0, err);
	if (!gr) {
		rc = err->code;
		goto done;
	}
	/* the grouper checks that keys ascend (canonical streams are sorted
	 * by customer_key), so a customer split in two is an error, never two
	 * decisions */
	out = cx_output_open(o->output, o->force ? CX_OUT_FORCE : 0, err);
	if (!out) {
		rc = err->code;
		goto done;
	}
	if (o->ledger && !o->explain &&
	    (rc = cx_ledger_open_stage(o->ledger, o->force, &led, &lo, err)) < 0)
		goto done;
	int ccur = cx_tsv_col(r, CX_COL_CURRENCY), cbal = cx_tsv_col(r, CX_COL_BALANCE);
	size_t bad = 0;
	int replace = 0;
	size_t nout = ncols;
	for (int k = 0; k < 5; k++) {
		pos[k] = cx_tsv_col(r, out_cols[k]);
		if (pos[k] >= 0)
			replace = 1;
		else
			pos[k] = (int)nout++;
	}
	if (!o->explain) {
		w = cx_tsv_writer_new(out, err);
		if (!w) {
			rc = err->code;
			goto done;
		}
		for (size_t i = 0; i < ncols; i++)
			cx_tsv_puts(w, cols[i]);
		for (int k = 0; k < 5; k++)
			if ((size_t)pos[k] >= ncols)
				cx_tsv_puts(w, out_cols[k]);
		cx_tsv_end_row(w);
		if (summary && !(counts = cx_strmap_new(64))) {
			rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
	}
	const struct cx_tsv_group *g;
	char keybuf[600];
	while ((rc = cx_tsv_grouper_next(gr, &g, err)) > 0) {
		struct cx_rules_customer c = { g->key, strlen(g->key), g->nrows, g->rows };
		struct cx_rules_result res;
		if (led && ((rc = cx_ledger_sum_group(&gsum, g, ccur, cbal, &bad)) < 0 ||
		            (rc = cx_ledger_add_sum(led, "in", &gsum)) < 0))
			goto bad_money;
		if (o->explain) {
			if (strcmp(g->key, o->explain) != 0)
				continue;
			found = 1;
			rc = cx_rules_explain(rules, &c, &res, &trace, err);
		} else {
			rc = cx_rules_eval(rules, &c, &res, err);
		}
		if (rc < 0) {
			if (rc == CX_EDATA) {
				char msg[sizeof err->msg];
				snprintf(msg, sizeof msg, "%s", err->msg);
				cx_error_set(err, CX_EDATA, cx_tsv_name(r), g->lines[res.bad_row], "%s", msg);
			}
			goto done;
		}
		if (o->explain) {
			if (cx_output_puts(out, trace, err) < 0) {
				rc = err->code;
				goto done;
			}
			break;
		}
		const char *vals[5] = { res.segment, res.treatment, res.experiment, res.arm, res.rule_id };
		size_t sl = 0;
		if (!replace) {
			/* the five columns once per customer, escaped and joined:
			 * each row is then its raw line and this */
			size_t need = 5;
			for (int k = 0; k < 5; k++)
				need += 2 * strlen(vals[k]);
			if (need > suffix_cap && cx_grow((void **)&suffix, &suffix_cap, need, 1) < 0) {
				rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
				goto done;
			}
			for (int k = 0; k < 5; k++) {
				if (k)
					suffix[sl++] = '\t';
				sl += cx_tsv_escape(suffix + sl, vals[k], strlen(vals[k]));
			}
		}
		for (size_t i = 0; i < g->nrows; i++) {
			if (!replace) {
				cx_tsv_put_raw(w, g->raw[i].p, g->raw[i].n);
				cx_tsv_put_raw(w, suffix, sl);
			} else {
				for (size_t j = 0; j < nout; j++) {
					int k;
					for (k = 0; k < 5; k++)
						if ((size_t)pos[k] == j)
							break;
					if (k < 5)
						cx_tsv_puts(w, vals[k]);
					else
						cx_tsv_put(w, g->rows[i][j].p, g->rows[i][j].n);
				}
			}
			cx_tsv_end_row(w);
		}
		if (led && (rc = cx_ledger_add_sum(led, "out", &gsum)) < 0)
			goto bad_money;
		if (cx_tsv_writer_error(w, err) < 0) {
			rc = err->code;
			goto done;
		}
		if (counts) {
			int kl = snprintf(keybuf, sizeof keybuf, "%06zu\t%s\t%s\t%s\t%s\t%s", res.rule,
			                  res.rule_id, res.segment, res.treatment, res.experiment, res.arm);
			if (kl < 0 || (size_t)kl >= sizeof keybuf)
				kl = (int)sizeof keybuf - 1;
			uint64_t *v = cx_strmap_get(counts, keybuf, (size_t)kl, 1, 0, NULL);
			if (!v) {
				rc = cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
				goto done;
			}
			(*v)++;
		}
	}
	if (rc < 0)
		goto done;
	if (o->explain && !found) {
		char kb[200];
		cx_diag_escape(kb, sizeof kb, o->explain, strlen(o->explain), 80);
		rc = cx_error_set(err, CX_EDATA, cx_tsv_name(r), 0, "customer '%s' is not in the input", kb);
		goto done;
	}
	if (w && cx_tsv_writer_error(w, err) < 0) {
		rc = err->code;
		goto done;
	}
	/* the summary first: a failure must not leave a published output */
	if (counts && summary && !(*summary = make_summary(counts, err))) {
		rc = err->code;
		goto done;
	}
	cx_tsv_writer_free(w);
	w = NULL;
	{
		static const char *const check[] = { "rows", "customers", "balance", NULL };
		rc = cx_ledger_publish(led, check, &out, &lo, err);
	}
	if (rc < 0 && summary) {
		cx_free(*summary);
		*summary = NULL;
	}
	goto done;
bad_money:
	if (rc == CX_EDATA)
		cx_error_set(err, CX_EDATA, cx_tsv_name(r), g->lines[bad],
		             "bad 'currency' or 'balance' for the ledger");
	else
		cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
done:
	cx_tsv_writer_free(w);
	if (out)
		cx_output_abort(out);
	cx_output_abort(lo);
	cx_ledger_free(led);
	cx_ledger_sum_free(&gsum);
	cx_free(trace);
	cx_free(suffix);
	cx_strmap_free(counts);
	cx_rules_free(rules);
	cx_tsv_grouper_free(gr);
	cx_tsv_close(r);
	cx_free(cols);
	return rc < 0 ? rc : 0;
}
