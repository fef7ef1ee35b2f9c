/* cx_ingest — the logic of cx-ingest(1): raw exports of one kind in, one
 * canonical stream out (accounts grouped and sorted by customer_key,
 * source, account_id; events by customer_key, account_id, date), with a
 * reject file and a ledger that must balance.
 *
 * Ownership: the options struct and everything it points to stay the
 * caller's.  cx_ingest_run fills *res; res->ledger is owned by the caller
 * (cx_ledger_free) and is set even when the run fails, when possible.
 * Nothing is published unless cx_ingest_run returns 0.
 */
#ifndef CX_INGEST_H
#define CX_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "cx_colmap.h"
#include "cx_date.h"
#include "cx_err.h"
#include "cx_ledger.h"
#include "cx_schema.h"

struct cx_pseudo;

#define CX_INGEST_MAX_BUCKETS 16
#define CX_INGEST_DEFAULT_MEMORY (512ull << 20)
#define CX_INGEST_MAX_DPD 36500

struct cx_ingest_opts {
	enum cx_kind kind;
	const char *const *inputs;   /* "-" = standard input */
	size_t ninputs;
	const char *output;          /* NULL or "-" = standard output */
	const char *rejects;         /* NULL: rejects only reported on stderr */
	const char *ledger;          /* NULL: no ledger file */
	const char *accounts;        /* event kinds: canonical accounts stream */
	int force;                   /* replace existing output files */
	const struct cx_colmap_spec *map;
	int delim;                   /* 0 = detect */
	int tsv;                     /* TAB, no quoting */
	int encoding;                /* CX_ENC_* */
	int decimal_comma;
	enum cx_date_order date_order;
	const char *country;         /* default country (phones, country column) */
	const char *currency;        /* default currency when the column is absent/empty */
	const char *source;          /* source label; NULL = column or file name */
	int tz_offset_min;           /* contacts: offset for naive timestamps, or CX_NO_OFFSET */
	unsigned link;               /* CX_LINK_* */
	cx_day as_of;                /* CX_DAY_NONE when not given */
	int buckets[CX_INGEST_MAX_BUCKETS];
	size_t nbuckets;             /* 0 = default 30,60,90,120,180 */
	uint64_t memory;             /* 0 = default */
	const char *tmpdir;          /* NULL = $TMPDIR or /tmp */
	long max_rejects;            /* -1 = no budget */
	size_t max_field_bytes, max_record_bytes, max_columns;
	uint64_t max_input_bytes;
	/* Non-NULL: national_id, email and phone of the output are replaced by
	 * keyed pseudonyms (cx_pseudo.h) after identity linking, so customer
	 * keys do not change; the raw record of each reject is withheld. */
	const struct cx_pseudo *pseudo;
	/* Called for each rejected record (file, line, reason: no cell bytes);
	 * may be NULL. */
	void (*on_reject)(void *ctx, const char *file, long line, const char *reason);
	void *ctx;
};

struct cx_ingest_result {
	struct cx_ledger *ledger;
	uint64_t rows_in, rows_out, rows_rejected, rows_duplicate, rows_blank;
	uint64_t customers_out;
	uint64_t values_dropped;     /* unusable contact data blanked (emails, phones, hours) */
	size_t spill_runs;
	int over_budget;             /* rejects exceeded max_rejects */
	/* canonical accounts rows taken as they are, without normalising them
	 * again (a statistic: the output is the same either way) */
	uint64_t rows_fast;
	/* of those, rows written from the input file's mapping rather than
	 * copied (plain files only; a statistic too) */
	uint64_t rows_mapped;
};

void cx_ingest_opts_init(struct cx_ingest_opts *o);
/* Parse "--buckets 30,60,90": strictly increasing positive bounds. */
int cx_ingest_parse_buckets(struct cx_ingest_opts *o, const char *s);
/* Parse "--link id,email,phone" into a CX_LINK_* mask; -1 when bad. */
int cx_ingest_parse_link(const char *s, unsigned *mask);
/* Bucket label of a days-past-due value: "current" for <= 0, then
 * "1-30", ..., "180+" (buf of 32 bytes).  Returns its length. */
size_t cx_ingest_bucket(const struct cx_ingest_opts *o, long dpd, char *buf);
/* Source label from a file name: base name up to the first '_' or '.', ASCII
 * lower-cased, other bytes than [a-z0-9_-] as '_'; "stdin" for "-". */
void cx_ingest_source_from_path(const char *path, char *buf, size_t bufsz);
/* Preferred hours "8-17", "08:00-17:30", "8:00 a 17:00" to "HH:MM-HH:MM";
 * -1 when not understood. */
int cx_ingest_norm_hours(const char *s, size_t n, char *out);
/* Contact outcome and direction vocabularies with Spanish synonyms. */
int cx_ingest_norm_outcome(const char *s, size_t n);
int cx_ingest_norm_direction(const char *s, size_t n);

/* Run.  Returns 0 (check res->rows_rejected and res->over_budget for the
 * exit status) or a negative CX_E* code with err filled. */
int cx_ingest_run(const struct cx_ingest_opts *o, struct cx_ingest_result *res,
                  struct cx_error *err);

/* Merge event streams cx-ingest wrote (o->kind payments, contacts or
 * statements; each sorted as cx-ingest writes it, with the kind's canonical
 * header) into the one stream a single run over their sources would write:
 * a streaming k-way merge, rows copied as they are, a row identical to the
 * one before it counted as a duplicate.  Uses inputs, output, ledger, force
 * and max_input_bytes of o.  An input out of order or with another header
 * is CX_EDATA naming its file and line; nothing is published then.
 * Returns 0 or a negative CX_E* code with err filled; *res as for
 * cx_ingest_run (never rejects). */
int cx_ingest_merge(const struct cx_ingest_opts *o, struct cx_ingest_result *res,
                    struct cx_error *err);

#endif
