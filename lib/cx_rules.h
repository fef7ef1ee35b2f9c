/* cx_rules — the segmentation rule language of cx-segment (cx-rules(5)):
 * lexer, parser, type checker, compiler to a node array with resolved
 * column slots, and an evaluator that runs one customer (a group of account
 * rows) through the ordered rules.  First match wins.
 *
 * The language in short (the man page is the reference):
 *
 *   # comment
 *   rule hold_dispute
 *     when flags has any (dispute, legal)
 *     segment hold
 *     treatment none
 *   rule everyone_else
 *     otherwise
 *     segment other
 *     treatment digital_standard
 *   experiment early_tone
 *     salt 'early-tone-2026'
 *     segments (early_forgot)
 *     arm champion 90%
 *     arm soft 10% treatment reminder_soft
 *
 * Name resolution: a bare account column outside any()/all()/count() is
 * read on the customer's driver account (highest days_past_due, then the
 * highest past_due, then the first row); `flags` and `consents` outside a
 * quantifier are the union over the customer's accounts; aggregate names
 * (accounts, total_balance, worst_dpd, ...) are per customer.  Inside
 * any(...)/all(...)/count(...) columns are read on each account in turn.
 *
 * Missing values (empty fields) are three-valued: a comparison with a
 * missing value is "unknown", and/or/not follow Kleene logic, and a rule
 * matches only when its condition is true.
 *
 * Ownership: cx_rules_compile returns a program owned by the caller,
 * released by cx_rules_free (accepts NULL).  It keeps no pointer to the
 * source text or the column names passed in.  Results returned by
 * cx_rules_eval point into the program (valid until cx_rules_free).
 * The program carries a per-customer scratch cache, so one program must
 * not be evaluated from two threads at once.
 */
#ifndef CX_RULES_H
#define CX_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "cx_date.h"
#include "cx_err.h"
#include "cx_tsv.h"

#define CX_RULES_MAX_SOURCE (1u << 20)  /* rule files are small: 1 MiB cap */
#define CX_ARM_BUCKETS 10000            /* arms are assigned in basis points */

struct cx_rules_opts {
	/* Input header: column names in input order.  When columns is NULL,
	 * the canonical accounts columns plus the cx-score columns are
	 * assumed (for --check without input). */
	const char *const *columns;
	size_t ncolumns;
	cx_day today;            /* the run date (--as-of) */
};

struct cx_rules;

/* Compile rule text `src` (len bytes, need not be NUL-terminated) named
 * `name` in messages.  On error returns NULL with err->code CX_EDATA (or
 * CX_ENOMEM), err->file "name:line:col" and err->line 0, so that
 * cx_diag_error prints "prog: name:line:col: message". */
struct cx_rules *cx_rules_compile(const char *name, const char *src, size_t len,
                                  const struct cx_rules_opts *opts, struct cx_error *err);
void cx_rules_free(struct cx_rules *p);

/* One customer: nrows account rows, each an array of fields in input
 * column order (as struct cx_tsv_group gives them). */
struct cx_rules_customer {
	const char *key;          /* customer_key (for experiment arms) */
	size_t keylen;
	size_t nrows;
	struct cx_field *const *rows;
};

struct cx_rules_result {
	size_t rule;              /* index of the matching rule */
	const char *rule_id;
	const char *segment;
	const char *treatment;    /* after the experiment arm, if any */
	const char *experiment;   /* "" when the rule is in no experiment */
	const char *arm;          /* "" when the rule is in no experiment */
	int bucket;               /* arm bucket in [0,10000), -1 without experiment */
	size_t bad_row;           /* on CX_EDATA: row index of the bad value */
};

/* Run the rules over one customer.  Returns 0, or CX_EDATA when a field the
 * rules need is not canonical (err->msg names the column; res->bad_row
 * says which row), or CX_EINTERNAL when no rule matched (cannot happen:
 * compile requires a catch-all). */
int cx_rules_eval(struct cx_rules *p, const struct cx_rules_customer *c,
                  struct cx_rules_result *res, struct cx_error *err);

/* Like cx_rules_eval, and also writes a human-readable trace of every rule
 * tried and why it matched or not into *text (NUL-terminated, owned by the
 * caller, cx_free).  PII columns are shown masked. */
int cx_rules_explain(struct cx_rules *p, const struct cx_rules_customer *c,
                     struct cx_rules_result *res, char **text, struct cx_error *err);

/* Introspection (for -v summaries and tests). */
size_t cx_rules_count(const struct cx_rules *p);
const char *cx_rules_id(const struct cx_rules *p, size_t i);
const char *cx_rules_segment(const struct cx_rules *p, size_t i);
const char *cx_rules_treatment(const struct cx_rules *p, size_t i);
size_t cx_rules_experiments(const struct cx_rules *p);

/* Arm bucket of a customer for an experiment salt: cx_hash64 over the
 * bytes customer_key, 0x1f, salt (seed 0), modulo 10000.  Documented in
 * cx-rules(5); part of the data contract. */
int cx_rules_bucket(const char *key, size_t keylen, const char *salt, size_t saltlen);

/* Treatment names cx-plan understands (NULL-terminated). */
extern const char *const cx_treatment_names[];

/* The shipped default rule file (lib/cx_rules_default.c, generated from
 * rules/default.cx by scripts/embed-bytes.sh). */
extern const char cx_rules_default_text[];
extern const size_t cx_rules_default_len;

#endif
