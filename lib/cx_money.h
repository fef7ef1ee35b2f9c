/* cx_money — exact money: int64 minor units, ISO 4217 exponents, parsing of
 * raw export formats and the canonical text form.
 *
 * Canonical text (cx(7)): optional '-', digits, and when the currency's
 * exponent e > 0, a '.' followed by exactly e digits: "1234.56" USD,
 * "1234567.00" COP, "1500" CLP.  Never floating point anywhere.
 *
 * Ownership: no allocation; callers own every buffer.
 */
#ifndef CX_MONEY_H
#define CX_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* ISO 4217 minor-unit exponent of an upper-case 3-letter code, or -1 when
 * the code is unknown.  The table covers every active ISO 4217 code. */
int cx_currency_exponent(const char *code, size_t n);
/* Trim ASCII white space, upper-case a 3-letter code and check it is in
 * the table: 0 and out = "COP", or -1. */
int cx_currency_norm(const char *s, size_t n, char out[4]);
/* The table itself (sorted by code), for tests and documentation. */
size_t cx_currency_count(void);
const char *cx_currency_code_at(size_t i, int *exponent);

/* Strict canonical parse: "-?[0-9]+(\.[0-9]{1,e})?" (fewer decimals are
 * padded).  Returns 0, or -1 with *why set to a static reason. */
int cx_money_parse(const char *s, size_t n, int exponent, int64_t *out, const char **why);
/* Tests only: cx_money_parse without its fast path (same results and
 * reasons, slower). */
int cx_money_parse_nofast(const char *s, size_t n, int exponent, int64_t *out, const char **why);
/* A tagged amount "CUR:amount", as cx-plan writes its money columns: a
 * known upper-case code, ':' and a strict canonical amount in that code's
 * minor units.  0 with cur ("COP") and *out, or -1 with *why (if not NULL). */
int cx_money_parse_tagged(const char *s, size_t n, char cur[4], int64_t *out, const char **why);

enum {
	CX_MONEY_DECIMAL_COMMA = 1, /* "1.234,56": '.' groups thousands, ',' is decimal */
	CX_MONEY_LENIENT = 2,       /* currency symbols/codes, spaces, thousands
	                               separators, "(123.45)" and trailing '-' */
	CX_MONEY_NOFAST = 4         /* tests only: skip the fast path for plain
	                               amounts (same results, slower) */
};

/* Parse a raw export amount.  Without CX_MONEY_DECIMAL_COMMA, ',' groups
 * thousands and '.' is decimal; an amount that only reads correctly under
 * the other convention (e.g. "1.234,56") is rejected with a reason naming
 * --decimal-comma.  More decimals than the exponent allows is an error
 * unless they are zeros. */
int cx_money_parse_raw(const char *s, size_t n, int exponent, unsigned flags,
                       int64_t *out, const char **why);
/* Same, and code (4 bytes, may be NULL) receives the currency the amount
 * itself names ("USD" for "US$ 5" or "5 usd", "EUR" for "€5"), or "" when
 * it names none or only an ambiguous symbol ("$", "¥"), so the caller can
 * check it against the currency column.  The rules are documented at the
 * top of cx_money.c: ambiguous "1.234" is accepted as 1.234 only when the
 * exponent is 3 or more, otherwise rejected naming --decimal-comma;
 * scientific notation is rejected; values must fit [-INT64_MAX, INT64_MAX]
 * minor units. */
int cx_money_parse_raw_ex(const char *s, size_t n, int exponent, unsigned flags,
                          int64_t *out, char code[4], const char **why);

/* Canonical text of v; buf needs CX_MONEY_BUFSZ bytes.  Returns length.
 * Exponents are 0..18 (others are treated as 0). */
#define CX_MONEY_BUFSZ 32
size_t cx_money_format(char *buf, int64_t v, int exponent);

/* cx_money_parse_raw, then cx_money_format of the value into buf
 * (CX_MONEY_BUFSZ bytes): the same value, text and errors, in one pass
 * over plain amounts.  Returns the text's length or -1 with *why. */
int cx_money_parse_format(const char *s, size_t n, int exponent, unsigned flags,
                          int64_t *out, char *buf, const char **why);

/* Checked arithmetic: return -1 on int64 overflow. */
int cx_money_add(int64_t *acc, int64_t v);
int cx_money_mul(int64_t a, int64_t b, int64_t *out);

/* Scale minor units between exponents (e.g. 2 -> 0 rounds half away from
 * zero).  Returns -1 on overflow. */
int cx_money_rescale(int64_t v, int from_exp, int to_exp, int64_t *out);

#endif
