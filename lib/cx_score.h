/* cx_score — the cx-score tool's work: scoring a stream with a scorecard,
 * training a scorecard, evaluating one, and labelling a snapshot from later
 * payments.  cmd/cx-score/main.c parses options into struct cx_score_opts
 * and calls cx_score_run.
 *
 * Two kinds of input:
 *   - collections (default): the canonical accounts stream grouped and sorted
 *     by customer_key, merge-joined with the optional payments, contacts and
 *     statements streams (each sorted by customer_key); features per customer
 *     (cx_score_feat.h); memory is one customer;
 *   - table (--features, or a model trained on a table): any TSV, one row
 *     per case; the characteristics are columns of the row.
 *
 * Target convention, the same everywhere: a target cell equal to the bad
 * value (default "1") is the bad outcome (default, did not pay), any other
 * non-empty value is good, an empty cell leaves the case out.  Higher
 * scores mean lower risk.
 *
 * Ownership: opts and its strings stay the caller's; nothing is retained
 * after cx_score_run returns.
 */
#ifndef CX_SCORE_H
#define CX_SCORE_H

#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"

enum cx_score_mode { CX_SCORE_APPLY = 0, CX_SCORE_TRAIN, CX_SCORE_EVAL };

struct cx_score_opts {
	int mode;
	const char *input;          /* "-" or NULL = stdin */
	const char *output;         /* "-" or NULL = stdout */
	int force;
	const char *model;          /* NULL = the built-in default model */
	const char *payments, *contacts, *statements;
	const char *label_payments; /* label = paid the past due within label_days */
	long label_days;
	const char *target;
	const char *bad_value;      /* NULL = "1" */
	const char *features;       /* comma list: table mode */
	const char *exclude;        /* comma list of characteristics not to use */
	cx_day as_of;
	int has_as_of;
	double holdout;             /* share of each class held out (train) */
	uint64_t seed;
	double min_bin;             /* minimum bin share of training rows */
	double l2;
	double min_iv;
	const char *note;
	int verbose;
	const char *ledger;         /* scoring the accounts stream: control totals
	                               (rows, customers, balance per currency in
	                               and out), written after the output */
	unsigned shard_k, shard_n;  /* scoring the accounts stream: only the
	                               customers of shard k of n (cx_tsv_shard) in
	                               every input; n <= 1 = all */
};

void cx_score_opts_init(struct cx_score_opts *o);
int cx_score_run(const struct cx_score_opts *o, struct cx_error *err);

/* The built-in default model's text (lib/cx_score_default_model.c,
 * generated from models/default.model by scripts/embed-bytes.sh). */
extern const char cx_score_default_model[];
extern const size_t cx_score_default_model_len;

#endif
