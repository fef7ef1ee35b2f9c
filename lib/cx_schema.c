#include <string.h>

#include "cx_schema.h"

#define R 1
#define O 0

static const struct cx_column accounts[] = {
	{ CX_COL_CUSTOMER, CX_T_ID, O, "resolved customer key (computed by cx-ingest)" },
	{ CX_COL_ACCOUNT, CX_T_ID, R, "account id within its source system" },
	{ CX_COL_SOURCE, CX_T_ID, O, "source system label" },
	{ CX_COL_SRC_CUST, CX_T_ID, O, "the source system's customer id" },
	{ CX_COL_NATID, CX_T_ID, O, "national id, punctuation removed" },
	{ CX_COL_NAME, CX_T_TEXT, O, "customer name" },
	{ CX_COL_EMAIL, CX_T_EMAIL, O, "email, lower case" },
	{ CX_COL_PHONE, CX_T_PHONE, O, "phone in E.164" },
	{ CX_COL_COUNTRY, CX_T_CODE, O, "ISO 3166-1 alpha-2 country" },
	{ CX_COL_TZ, CX_T_TEXT, O, "IANA time zone" },
	{ CX_COL_LANG, CX_T_CODE, O, "language: es, en or pt" },
	{ CX_COL_PRODUCT, CX_T_CODE, O, "product code, upper case" },
	{ CX_COL_CURRENCY, CX_T_CODE, R, "ISO 4217 currency code" },
	{ CX_COL_BALANCE, CX_T_MONEY, R, "outstanding balance" },
	{ CX_COL_PAST_DUE, CX_T_MONEY, O, "amount past due" },
	{ CX_COL_MIN_DUE, CX_T_MONEY, O, "minimum due" },
	{ CX_COL_LIMIT, CX_T_MONEY, O, "credit limit" },
	{ CX_COL_DUE_DATE, CX_T_DATE, O, "due date of the oldest unpaid instalment" },
	{ CX_COL_DPD, CX_T_INT, O, "days past due as of the run date (negative: days until due)" },
	{ CX_COL_BUCKET, CX_T_CODE, O, "aging bucket" },
	{ CX_COL_OPEN_DATE, CX_T_DATE, O, "account open date" },
	{ CX_COL_LAST_PAY_DATE, CX_T_DATE, O, "last payment date" },
	{ CX_COL_LAST_PAY_AMT, CX_T_MONEY, O, "last payment amount" },
	{ CX_COL_FLAGS, CX_T_SET, O, "holds and flags" },
	{ CX_COL_CONSENTS, CX_T_SET, O, "channels the customer consented to" },
	{ CX_COL_PREF_CHAN, CX_T_CODE, O, "preferred channel" },
	{ CX_COL_PREF_HOURS, CX_T_TEXT, O, "preferred local hours HH:MM-HH:MM" },
};

static const struct cx_column payments[] = {
	{ CX_COL_CUSTOMER, CX_T_ID, O, "customer key (from the accounts stream)" },
	{ CX_COL_ACCOUNT, CX_T_ID, R, "account id" },
	{ CX_COL_DATE, CX_T_DATE, R, "payment date" },
	{ CX_COL_AMOUNT, CX_T_MONEY, R, "amount paid" },
	{ CX_COL_CURRENCY, CX_T_CODE, R, "ISO 4217 currency code" },
	{ CX_COL_METHOD, CX_T_CODE, O, "payment method" },
};

static const struct cx_column contacts[] = {
	{ CX_COL_CUSTOMER, CX_T_ID, O, "customer key (from the accounts stream)" },
	{ CX_COL_ACCOUNT, CX_T_ID, R, "account id" },
	{ CX_COL_TIMESTAMP, CX_T_TIMESTAMP, R, "ISO 8601 timestamp with UTC offset" },
	{ CX_COL_CHANNEL, CX_T_CODE, R, "channel" },
	{ CX_COL_DIRECTION, CX_T_CODE, O, "out or in" },
	{ CX_COL_OUTCOME, CX_T_CODE, R, "outcome" },
	{ CX_COL_AGENT, CX_T_TEXT, O, "agent or system" },
	{ CX_COL_PROMISE_AMT, CX_T_MONEY, O, "promised amount" },
	{ CX_COL_PROMISE_DATE, CX_T_DATE, O, "promised payment date" },
	{ CX_COL_CURRENCY, CX_T_CODE, O, "currency of the promised amount" },
};

static const struct cx_column statements[] = {
	{ CX_COL_CUSTOMER, CX_T_ID, O, "customer key (from the accounts stream)" },
	{ CX_COL_ACCOUNT, CX_T_ID, R, "account id" },
	{ CX_COL_STMT_DATE, CX_T_DATE, R, "statement date" },
	{ CX_COL_BALANCE, CX_T_MONEY, R, "statement balance" },
	{ CX_COL_MIN_DUE, CX_T_MONEY, O, "minimum due" },
	{ CX_COL_AMOUNT_PAID, CX_T_MONEY, O, "amount paid in the cycle" },
	{ CX_COL_DPD, CX_T_INT, O, "days past due at the statement date" },
	{ CX_COL_CURRENCY, CX_T_CODE, R, "ISO 4217 currency code" },
};

const struct cx_column *
cx_schema_columns(enum cx_kind kind, size_t *n)
{
	switch (kind) {
	case CX_KIND_ACCOUNTS: *n = sizeof accounts / sizeof *accounts; return accounts;
	case CX_KIND_PAYMENTS: *n = sizeof payments / sizeof *payments; return payments;
	case CX_KIND_CONTACTS: *n = sizeof contacts / sizeof *contacts; return contacts;
	case CX_KIND_STATEMENTS: *n = sizeof statements / sizeof *statements; return statements;
	default: *n = 0; return NULL;
	}
}

static const char *const kind_names[] = { "accounts", "payments", "contacts", "statements",
                                          "table" };

const char *
cx_kind_name(enum cx_kind kind)
{
	return (unsigned)kind < CX_KIND_COUNT ? kind_names[kind] : "?";
}

int
cx_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < CX_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *const cx_flag_names[] = {
	"dispute", "bankruptcy", "deceased", "hardship", "cease", "legal", "fraud", NULL
};
const char *const cx_channel_names[] = {
	"sms", "whatsapp", "email", "call", "ivr", "letter", "visit", "portal", NULL
};
const char *const cx_outcome_names[] = {
	"delivered", "failed", "opened", "clicked", "no_answer", "voicemail", "right_party",
	"third_party", "promise", "refused", "dispute", "complaint", "opt_out", "paid", NULL
};
const char *const cx_direction_names[] = { "out", "in", NULL };

int
cx_vocab_find(const char *const *vocab, const char *s, size_t n)
{
	int i;

	for (i = 0; vocab[i] != NULL; i++)
		if (strlen(vocab[i]) == n && memcmp(vocab[i], s, n) == 0)
			return i;
	return -1;
}

int
cx_set_has(const char *set, size_t n, const char *name)
{
	size_t len = strlen(name), i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && set[j] != ',')
			j++;
		if (j - i == len && memcmp(set + i, name, len) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}
