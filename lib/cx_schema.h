/* cx_schema — the canonical streams: column names, required columns and
 * the controlled vocabularies.  This header is the interface between the
 * tools; cx(7) documents the same lists.  Tools address columns by name, so
 * extra columns are allowed and passed through.
 *
 * Ownership: everything here is static constant data.
 */
#ifndef CX_SCHEMA_H
#define CX_SCHEMA_H

#include <stddef.h>

enum cx_kind { CX_KIND_ACCOUNTS, CX_KIND_PAYMENTS, CX_KIND_CONTACTS,
               CX_KIND_STATEMENTS, CX_KIND_TABLE, CX_KIND_COUNT };

struct cx_column {
	const char *name;
	enum { CX_T_TEXT, CX_T_ID, CX_T_MONEY, CX_T_DATE, CX_T_TIMESTAMP, CX_T_INT,
	       CX_T_CODE, CX_T_SET, CX_T_PHONE, CX_T_EMAIL } type;
	int required;        /* must be present in a raw export of this kind */
	const char *doc;     /* one line for --help-verbose and the man page */
};

/* Columns of each canonical stream, in output order. */
const struct cx_column *cx_schema_columns(enum cx_kind kind, size_t *n);
const char *cx_kind_name(enum cx_kind kind);
int cx_kind_parse(const char *s);   /* -1 when unknown */

/* Canonical column names used across tools. */
#define CX_COL_CUSTOMER   "customer_key"
#define CX_COL_ACCOUNT    "account_id"
#define CX_COL_SOURCE     "source"
#define CX_COL_SRC_CUST   "source_customer_id"
#define CX_COL_NATID      "national_id"
#define CX_COL_NAME       "name"
#define CX_COL_EMAIL      "email"
#define CX_COL_PHONE      "phone"
#define CX_COL_COUNTRY    "country"
#define CX_COL_TZ         "timezone"
#define CX_COL_LANG       "language"
#define CX_COL_PRODUCT    "product"
#define CX_COL_CURRENCY   "currency"
#define CX_COL_BALANCE    "balance"
#define CX_COL_PAST_DUE   "past_due"
#define CX_COL_MIN_DUE    "minimum_due"
#define CX_COL_LIMIT      "credit_limit"
#define CX_COL_DUE_DATE   "due_date"
#define CX_COL_DPD        "days_past_due"
#define CX_COL_BUCKET     "bucket"
#define CX_COL_OPEN_DATE  "open_date"
#define CX_COL_LAST_PAY_DATE "last_payment_date"
#define CX_COL_LAST_PAY_AMT  "last_payment_amount"
#define CX_COL_FLAGS      "flags"
#define CX_COL_CONSENTS   "consents"
#define CX_COL_PREF_CHAN  "preferred_channel"
#define CX_COL_PREF_HOURS "preferred_hours"
/* payments */
#define CX_COL_DATE       "date"
#define CX_COL_AMOUNT     "amount"
#define CX_COL_METHOD     "method"
/* contacts */
#define CX_COL_TIMESTAMP  "timestamp"
#define CX_COL_CHANNEL    "channel"
#define CX_COL_DIRECTION  "direction"
#define CX_COL_OUTCOME    "outcome"
#define CX_COL_AGENT      "agent"
#define CX_COL_PROMISE_AMT  "promise_amount"
#define CX_COL_PROMISE_DATE "promise_date"
/* statements */
#define CX_COL_STMT_DATE  "statement_date"
#define CX_COL_AMOUNT_PAID "amount_paid"
/* added by cx-score */
#define CX_COL_SCORE      "score"
#define CX_COL_P_PAY      "p_pay"
#define CX_COL_CAPACITY   "capacity"
#define CX_COL_WILLINGNESS "willingness"
#define CX_COL_REASONS    "reasons"
/* added by cx-segment */
#define CX_COL_SEGMENT    "segment"
#define CX_COL_TREATMENT  "treatment"
#define CX_COL_EXPERIMENT "experiment"
#define CX_COL_ARM        "arm"
#define CX_COL_RULE       "rule"

/* Controlled vocabularies (lower case).  Sets are written comma-separated,
 * sorted in the order of these tables, without spaces: "dispute,legal". */
extern const char *const cx_flag_names[];      /* NULL-terminated */
extern const char *const cx_channel_names[];
extern const char *const cx_outcome_names[];
extern const char *const cx_direction_names[];
/* Index of s in a NULL-terminated vocabulary, or -1. */
int cx_vocab_find(const char *const *vocab, const char *s, size_t n);
/* True when the comma-separated set field contains `name`. */
int cx_set_has(const char *set, size_t n, const char *name);

#endif
