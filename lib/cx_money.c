/* cx_money — see cx_money.h.
 *
 * Parsing rules for raw export amounts (cx_money_parse_raw), the part that
 * needs care:
 *
 *  - Convention.  By default ',' groups thousands and '.' is the decimal
 *    point; with CX_MONEY_DECIMAL_COMMA it is the other way round.  Grouping
 *    (also by spaces, U+00A0 and U+202F) needs CX_MONEY_LENIENT and is
 *    validated: a first group of 1-3 digits not starting with 0, then groups
 *    of exactly 3.  One kind of group separator per amount.
 *  - An amount that is only valid under the other convention is rejected
 *    with a reason naming --decimal-comma: "1.234,56", "1.234.567",
 *    "1234,56", "1,5" by default; "1,234.56", "1234.56" under the option.
 *  - Ambiguity.  "1.234" by default (1-3 digits not starting with 0, the
 *    decimal separator, exactly 3 digits, no other separator) reads either
 *    as 1.234 or as 1234.  It is accepted as the decimal 1.234 only when the
 *    currency has 3 or more decimals (KWD, BHD, CLF ...), where that reading
 *    is a valid amount; otherwise it is rejected naming --decimal-comma,
 *    even for "1.000" or "1.230" whose extra decimals are zeros: in a COP or
 *    CLP export those are almost always thousands.  The same holds for
 *    "1,234" under CX_MONEY_DECIMAL_COMMA.  "0.123" is not ambiguous.
 *  - More decimals than the exponent allows are accepted only when the
 *    extra ones are zeros ("1500.00" CLP = 1500).
 *  - Spreadsheet scientific notation ("1.02E+09") is rejected: the
 *    spreadsheet has already rounded the value.
 *  - Range: [-INT64_MAX, INT64_MAX] minor units; anything beyond is
 *    rejected, so negation and formatting never overflow.
 */
#include "cx_money.h"

#include <pthread.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define CX_MONEY_SWAR 1
#endif

struct cx_currency {
	char code[4];
	int exponent;
};

/* ISO 4217 active codes (list 1 as published by the ISO 4217 maintenance
 * agency, plus ZWG and XCG, and the recently withdrawn HRK, SLL, CUC and
 * ZWL still seen in old exports), sorted by code for binary search.  Codes
 * whose minor unit is "N.A." (XAU, XAG, XPD, XPT, XBA..XBD, XDR, XSU, XUA,
 * XTS, XXX) are left out: an amount in them has no minor unit. */
static const struct cx_currency currencies[] = {
	{"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2},
	{"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2},
	{"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
	{"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
	{"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
	{"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
	{"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
	{"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
	{"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
	{"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
	{"HNL", 2}, {"HRK", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2},
	{"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3},
	{"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
	{"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2},
	{"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2},
	{"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2},
	{"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2},
	{"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2},
	{"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2},
	{"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
	{"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2},
	{"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SLL", 2}, {"SOS", 2},
	{"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
	{"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
	{"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2},
	{"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2},
	{"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
	{"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2},
	{"ZWG", 2}, {"ZWL", 2},
};

#define NCURRENCIES (sizeof currencies / sizeof currencies[0])

/* Exponent + 1 of every code AAA..ZZZ (0 = unknown), built once from the
 * table: one load per lookup. */
static signed char exp_by_code[26 * 26 * 26];
static pthread_once_t exp_once = PTHREAD_ONCE_INIT;

static void exp_build(void)
{
	for (size_t i = 0; i < NCURRENCIES; i++) {
		const char *c = currencies[i].code;
		exp_by_code[(c[0] - 'A') * 676 + (c[1] - 'A') * 26 + (c[2] - 'A')] =
		    (signed char)(currencies[i].exponent + 1);
	}
}

int cx_currency_exponent(const char *code, size_t n)
{
	unsigned a, b, c;

	if (code == NULL || n != 3)
		return -1;
	a = (unsigned)((unsigned char)code[0] - 'A');
	b = (unsigned)((unsigned char)code[1] - 'A');
	c = (unsigned)((unsigned char)code[2] - 'A');
	if (a >= 26 || b >= 26 || c >= 26)
		return -1;
	pthread_once(&exp_once, exp_build);
	return exp_by_code[a * 676 + b * 26 + c] - 1;
}

size_t cx_currency_count(void)
{
	return NCURRENCIES;
}

const char *cx_currency_code_at(size_t i, int *exponent)
{
	if (i >= NCURRENCIES)
		return NULL;
	if (exponent)
		*exponent = currencies[i].exponent;
	return currencies[i].code;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int cx_currency_norm(const char *s, size_t n, char out[4])
{
	size_t i = 0, j = n;
	char c[3];

	while (i < j && is_ws((unsigned char)s[i]))
		i++;
	while (j > i && is_ws((unsigned char)s[j - 1]))
		j--;
	if (j - i != 3)
		return -1;
	for (size_t k = 0; k < 3; k++) {
		unsigned char ch = (unsigned char)s[i + k];
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			return -1;
		c[k] = (char)ch;
	}
	if (cx_currency_exponent(c, 3) < 0)
		return -1;
	memcpy(out, c, 3);
	out[3] = '\0';
	return 0;
}

#define MAX_EXP 18

static const int64_t pow10_tab[MAX_EXP + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Append one digit to *v (non-negative); -1 on overflow past INT64_MAX. */
static int push_digit(int64_t *v, int d)
{
	if (*v > (INT64_MAX - d) / 10)
		return -1;
	*v = *v * 10 + d;
	return 0;
}

/* cx_money_parse's general path (every form, every reason). */
static int money_parse(const char *s, size_t n, int exponent, int64_t *out, const char **why)
{
	const char *dummy;
	size_t i = 0;
	int neg = 0;
	int64_t v = 0;
	size_t nd = 0;

	if (why == NULL)
		why = &dummy;
	if (exponent < 0 || exponent > MAX_EXP) {
		*why = "unsupported currency exponent";
		return -1;
	}
	if (s == NULL || n == 0) {
		*why = "empty amount";
		return -1;
	}
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < n && is_digit((unsigned char)s[i]); i++, nd++) {
		if (push_digit(&v, s[i] - '0') < 0) {
			*why = "amount out of range";
			return -1;
		}
	}
	if (nd == 0) {
		*why = "amount is not canonical decimal text";
		return -1;
	}
	int nf = 0;
	if (i < n && s[i] == '.') {
		if (exponent == 0) {
			*why = "decimals in an amount of a currency without minor units";
			return -1;
		}
		for (i++; i < n && is_digit((unsigned char)s[i]); i++, nf++) {
			if (nf >= exponent) {
				*why = "more decimal places than the currency's exponent";
				return -1;
			}
			if (push_digit(&v, s[i] - '0') < 0) {
				*why = "amount out of range";
				return -1;
			}
		}
		if (nf == 0) {
			*why = "amount is not canonical decimal text";
			return -1;
		}
	}
	if (i != n) {
		*why = "amount is not canonical decimal text";
		return -1;
	}
	for (; nf < exponent; nf++) {
		if (push_digit(&v, 0) < 0) {
			*why = "amount out of range";
			return -1;
		}
	}
	*out = neg ? -v : v;
	return 0;
}

/* (defined below, with the fast path of raw amounts) */
static int money_parse_fast(const char *s, size_t n, int exponent, int64_t *out);

int cx_money_parse(const char *s, size_t n, int exponent, int64_t *out, const char **why)
{
	if (money_parse_fast(s, n, exponent, out))
		return 0;
	return money_parse(s, n, exponent, out, why);
}

int cx_money_parse_nofast(const char *s, size_t n, int exponent, int64_t *out, const char **why)
{
	return money_parse(s, n, exponent, out, why);
}

int cx_money_parse_tagged(const char *s, size_t n, char cur[4], int64_t *out, const char **why)
{
	int e;

	if (n < 5 || s[3] != ':' || (e = cx_currency_exponent(s, 3)) < 0) {
		if (why)
			*why = "expected CUR:amount";
		return -1;
	}
	memcpy(cur, s, 3);
	cur[3] = '\0';
	return cx_money_parse(s + 4, n - 4, e, out, why);
}

/* ---- raw amounts ----------------------------------------------------- */

/* Length of a space-like character at p (ASCII space or tab, U+00A0,
 * U+202F, U+2009), or 0. */
static size_t space_len(const unsigned char *p, const unsigned char *e)
{
	if (p >= e)
		return 0;
	if (*p == ' ' || *p == '\t')
		return 1;
	if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (e - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89))
		return 3;
	return 0;
}

struct symbol {
	const char *text;
	const char *code;   /* "" when the symbol does not tell the currency */
	size_t len;
};

/* Longest first where one is a prefix of another. */
static const struct symbol symbols[] = {
	{"COP$", "COP", 4}, {"COL$", "COP", 4}, {"MXN$", "MXN", 4}, {"CLP$", "CLP", 4},
	{"ARS$", "ARS", 4}, {"USD$", "USD", 4}, {"US$", "USD", 3}, {"U$S", "USD", 3},
	{"MX$", "MXN", 3}, {"CL$", "CLP", 3}, {"AR$", "ARS", 3}, {"CO$", "COP", 3},
	{"R$", "BRL", 2}, {"S/.", "PEN", 3}, {"S/", "PEN", 2},
	{"\xE2\x82\xAC", "EUR", 3},     /* € */
	{"\xC2\xA3", "GBP", 2},         /* £ */
	{"\xC2\xA5", "", 2},            /* ¥ (JPY or CNY) */
	{"$", "", 1},
};

static int is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A currency symbol or ISO code at p: its length, code copied to code[4]. */
static size_t currency_len(const unsigned char *p, const unsigned char *e, char code[4])
{
	if (*p != '$' && *p < 0x80 && !is_alpha(*p))
		return 0;
	for (size_t k = 0; k < sizeof symbols / sizeof symbols[0]; k++) {
		size_t l = symbols[k].len;
		if ((size_t)(e - p) >= l && memcmp(p, symbols[k].text, l) == 0) {
			strcpy(code, symbols[k].code);
			return l;
		}
	}
	if (e - p >= 3 && is_alpha(p[0]) && is_alpha(p[1]) && is_alpha(p[2]) &&
	    (e - p == 3 || !is_alpha(p[3]))) {
		char c[3];
		for (int k = 0; k < 3; k++)
			c[k] = (char)(p[k] >= 'a' ? p[k] - 'a' + 'A' : p[k]);
		if (cx_currency_exponent(c, 3) >= 0) {
			memcpy(code, c, 3);
			code[3] = '\0';
			return 3;
		}
	}
	return 0;
}

/* Group check of the integer part [p, e) whose separators are at the
 * positions where sep[] is set: first group 1-3 digits not starting with
 * 0, then groups of exactly 3. */
static int groups_ok(const unsigned char *p, const unsigned char *e, unsigned char gsep)
{
	size_t len = 0;
	int first = 1;

	if (p < e && *p == '0')
		return 0;
	for (; p < e; p++) {
		if (*p == gsep) {
			if (first ? (len < 1 || len > 3) : len != 3)
				return 0;
			first = 0;
			len = 0;
		} else {
			len++;
		}
	}
	return first ? 1 : len == 3;
}

/* The common shapes, without a currency, spaces or parentheses:
 * "-?D+(<dec>D+)?" and (lenient) "-?[1-9]D{0,2}(<grp>DDD)+(<dec>D+)?" with
 * at most `exponent` decimals and at most 18 digits in all (so no
 * overflow).  Returns 1 with *out set when the amount has such a shape —
 * the general parser below would accept it with the same value — or 0 to
 * leave it to the general parser (which also gives every reason). */
static int parse_plain(const unsigned char *p, const unsigned char *e, int exponent,
                       int lenient, unsigned char gsep, unsigned char dsep, int64_t *out)
{
	const unsigned char *num;
	int64_t v = 0;
	int neg = 0, nd = 0, nf = 0;

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	num = p;
	while (p < e && is_digit(*p)) {
		if (++nd > 18)
			return 0;
		v = v * 10 + (*p++ - '0');
	}
	if (nd == 0)
		return 0;
	if (p < e && *p == gsep) {
		if (!lenient || nd > 3 || *num == '0')
			return 0;
		while (p < e && *p == gsep) {
			if (e - p < 4 || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
			    (nd += 3) > 18)
				return 0;
			v = v * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			p += 4;
			if (p < e && is_digit(*p))
				return 0;
		}
	}
	if (p < e && *p == dsep) {
		for (p++; p < e && is_digit(*p); p++) {
			if (++nf > exponent || ++nd > 18)
				return 0;
			v = v * 10 + (*p - '0');
		}
		if (nf == 0)
			return 0;
	}
	if (p != e || nd + (exponent - nf) > 18)
		return 0;
	for (; nf < exponent; nf++)
		v *= 10;
	*out = neg ? -v : v;
	return 1;
}

int cx_money_parse_raw_ex(const char *s, size_t n, int exponent, unsigned flags,
                          int64_t *out, char code[4], const char **why)
{
	const char *dummy;
	const unsigned char *p = (const unsigned char *)s, *e;
	const int lenient = (flags & CX_MONEY_LENIENT) != 0;
	const int dcomma = (flags & CX_MONEY_DECIMAL_COMMA) != 0;
	const unsigned char gsep = dcomma ? '.' : ',';
	int neg = 0, signs = 0, ncur = 0;
	char cur[4] = "", tmp[4];
	size_t l;

	if (why == NULL)
		why = &dummy;
	if (code)
		code[0] = '\0';
	if (exponent < 0 || exponent > MAX_EXP) {
		*why = "unsupported currency exponent";
		return -1;
	}
	if (s == NULL) {
		*why = "empty amount";
		return -1;
	}
	e = p + n;
	if (!(flags & CX_MONEY_NOFAST) &&
	    parse_plain(p, e, exponent, lenient, gsep, dcomma ? ',' : '.', out))
		return 0;
	if (lenient) {
		while ((l = space_len(p, e)) > 0)
			p += l;
		for (;;) {
			const unsigned char *q = e;
			/* trailing space: the last byte(s) of a space char */
			if (q > p && (q[-1] == ' ' || q[-1] == '\t'))
				e--;
			else if (q - p >= 2 && q[-2] == 0xC2 && q[-1] == 0xA0)
				e -= 2;
			else if (q - p >= 3 && q[-3] == 0xE2 && q[-2] == 0x80 &&
			         (q[-1] == 0xAF || q[-1] == 0x89))
				e -= 3;
			else
				break;
		}
	}
	if (p == e) {
		*why = "empty amount";
		return -1;
	}
	if (lenient && *p == '(') {
		if (e[-1] != ')') {
			*why = "unbalanced parenthesis in amount";
			return -1;
		}
		p++;
		e--;
		neg = 1;
		signs = 1;
	}

	/* prefix: signs, currency, spaces */
	while (p < e && !is_digit(*p)) {
		if ((*p == '-' || *p == '+') && (lenient || signs == 0)) {
			if (signs++) {
				*why = "more than one sign in amount";
				return -1;
			}
			neg = *p == '-';
			p++;
		} else if (lenient && (l = space_len(p, e)) > 0) {
			p += l;
		} else if (lenient && (l = currency_len(p, e, tmp)) > 0) {
			if (ncur++) {
				*why = "more than one currency in amount";
				return -1;
			}
			strcpy(cur, tmp);
			p += l;
		} else {
			break;
		}
	}
	if (p == e || !is_digit(*p)) {
		if (p < e && (*p == '.' || *p == ','))
			*why = "amount starts with a separator";
		else if (p < e && *p == '(')
			*why = "unexpected parenthesis in amount";
		else
			*why = "not an amount";
		return -1;
	}

	/* the number: digits, '.', ',', and (lenient) spaces between digits */
	const unsigned char *num = p;
	unsigned char space_sep = 0;   /* 1 when spaces group digits */
	while (p < e) {
		if (is_digit(*p) || *p == '.' || *p == ',') {
			p++;
		} else if (lenient && (l = space_len(p, e)) > 0 && is_digit(p[-1]) &&
		           p + l < e && is_digit(p[l])) {
			space_sep = 1;
			p += l;
		} else {
			break;
		}
	}
	const unsigned char *nend = p;
	if (p < e && (*p == 'E' || *p == 'e') && p + 1 < e &&
	    (p[1] == '+' || p[1] == '-' || is_digit(p[1]))) {
		*why = "scientific notation in amount (the spreadsheet rounded it)";
		return -1;
	}
	if (!is_digit(nend[-1])) {
		*why = "amount ends with a separator";
		return -1;
	}

	/* suffix: spaces, currency, trailing '-' */
	while (p < e) {
		if (lenient && (l = space_len(p, e)) > 0) {
			p += l;
		} else if (lenient && *p == '-') {
			if (signs++) {
				*why = "more than one sign in amount";
				return -1;
			}
			neg = 1;
			p++;
		} else if (lenient && (l = currency_len(p, e, tmp)) > 0) {
			if (ncur++) {
				*why = "more than one currency in amount";
				return -1;
			}
			strcpy(cur, tmp);
			p += l;
		} else {
			*why = "unexpected character in amount";
			return -1;
		}
	}

	/* Find the decimal separator. */
	size_t ndot = 0, ncomma = 0;
	const unsigned char *first_dot = NULL, *last_dot = NULL;
	const unsigned char *first_comma = NULL, *last_comma = NULL;
	for (const unsigned char *q = num; q < nend; q++) {
		if (*q == '.') {
			ndot++;
			if (!first_dot)
				first_dot = q;
			last_dot = q;
		} else if (*q == ',') {
			ncomma++;
			if (!first_comma)
				first_comma = q;
			last_comma = q;
		}
	}
	const unsigned char *dpos = NULL;
	if (!dcomma) {
		if (ncomma && ndot && first_dot < last_comma) {
			*why = "amount looks like decimal comma (use --decimal-comma)";
			return -1;
		}
		if (ndot > 1) {
			*why = "amount looks like '.' thousands separators (use --decimal-comma)";
			return -1;
		}
		dpos = first_dot;
	} else {
		if (ncomma && ndot && first_comma < last_dot) {
			*why = "amount looks like decimal point (drop --decimal-comma)";
			return -1;
		}
		if (ncomma > 1) {
			*why = "amount looks like ',' thousands separators (drop --decimal-comma)";
			return -1;
		}
		dpos = first_comma;
	}
	const unsigned char *iend = dpos ? dpos : nend;

	/* Integer part grouping. */
	size_t ngsep = 0, nspace = 0;
	for (const unsigned char *q = num; q < iend; q++) {
		if (*q == gsep)
			ngsep++;
		else if (!is_digit(*q))
			nspace++;
	}
	if (dpos) {
		for (const unsigned char *q = dpos + 1; q < nend; q++) {
			if (!is_digit(*q)) {
				*why = "separator inside the decimals of an amount";
				return -1;
			}
		}
	}
	if (ngsep && nspace) {
		*why = "mixed thousands separators in amount";
		return -1;
	}
	if (ngsep || space_sep) {
		if (ngsep) {
			if (!groups_ok(num, iend, gsep)) {
				if (ngsep == 1 && !dpos && !dcomma)
					*why = "amount looks like decimal comma (use --decimal-comma)";
				else if (ngsep == 1 && !dpos && dcomma)
					*why = "amount looks like decimal point (drop --decimal-comma)";
				else
					*why = "bad thousands grouping in amount";
				return -1;
			}
			if (!lenient) {
				*why = "thousands separator in amount";
				return -1;
			}
		} else {
			/* spaces: check the digit runs between them */
			size_t len = 0;
			int first = 1, ok = *num != '0';
			for (const unsigned char *q = num; q < iend && ok; ) {
				if (is_digit(*q)) {
					len++;
					q++;
				} else {
					if (first ? (len < 1 || len > 3) : len != 3)
						ok = 0;
					first = 0;
					len = 0;
					q += space_len(q, iend);
				}
			}
			if (!first && len != 3)
				ok = 0;
			if (!ok) {
				*why = "bad thousands grouping in amount";
				return -1;
			}
		}
	}

	/* Ambiguity: "1.234" by default, "1,234" under --decimal-comma. */
	if (dpos && ngsep == 0 && !space_sep && nend - dpos - 1 == 3 &&
	    iend - num <= 3 && *num != '0' && exponent < 3) {
		*why = dcomma
		       ? "ambiguous amount: ',' may group thousands (drop --decimal-comma if it does)"
		       : "ambiguous amount: '.' may group thousands (use --decimal-comma if it does)";
		return -1;
	}

	/* Value. */
	int64_t v = 0;
	for (const unsigned char *q = num; q < iend; q++) {
		if (is_digit(*q) && push_digit(&v, *q - '0') < 0) {
			*why = "amount out of range";
			return -1;
		}
	}
	int nf = 0;
	if (dpos) {
		for (const unsigned char *q = dpos + 1; q < nend; q++) {
			if (nf < exponent) {
				if (push_digit(&v, *q - '0') < 0) {
					*why = "amount out of range";
					return -1;
				}
				nf++;
			} else if (*q != '0') {
				*why = "more decimal places than the currency's exponent";
				return -1;
			}
		}
	}
	for (; nf < exponent; nf++) {
		if (push_digit(&v, 0) < 0) {
			*why = "amount out of range";
			return -1;
		}
	}
	*out = neg ? -v : v;
	if (code)
		strcpy(code, cur);
	return 0;
}

int cx_money_parse_raw(const char *s, size_t n, int exponent, unsigned flags,
                       int64_t *out, const char **why)
{
	return cx_money_parse_raw_ex(s, n, exponent, flags, out, NULL, why);
}

/* parse_plain that also writes cx_money_format's text of the value into
 * buf as the digits go by: leading zeros dropped, group separators left
 * out, the fraction padded to the exponent.  Returns the length, or 0 when
 * parse_plain would have declined (then nothing is promised about buf). */
static size_t plain_format(const unsigned char *p, const unsigned char *e, int exponent,
                           int lenient, unsigned char gsep, unsigned char dsep, int64_t *out,
                           char *buf)
{
	const unsigned char *num;
	char *o;
	int64_t v = 0;
	int neg = 0, nd = 0, nf = 0;

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	o = buf + neg;          /* the sign, if the value is not zero */
	num = p;
	while (p < e && is_digit(*p)) {
		if (++nd > 18)
			return 0;
		v = v * 10 + (*p - '0');
		if (v)
			*o++ = (char)*p;
		p++;
	}
	if (nd == 0)
		return 0;
	if (p < e && *p == gsep) {
		if (!lenient || nd > 3 || *num == '0')
			return 0;
		while (p < e && *p == gsep) {
			if (e - p < 4 || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
			    (nd += 3) > 18)
				return 0;
			v = v * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			o[0] = (char)p[1];
			o[1] = (char)p[2];
			o[2] = (char)p[3];
			o += 3;
			p += 4;
			if (p < e && is_digit(*p))
				return 0;
		}
	}
	if (o == buf + neg)
		*o++ = '0';      /* integer part zero */
	if (p < e && *p == dsep) {
		*o++ = '.';
		for (p++; p < e && is_digit(*p); p++) {
			if (++nf > exponent || ++nd > 18)
				return 0;
			v = v * 10 + (*p - '0');
			*o++ = (char)*p;
		}
		if (nf == 0)
			return 0;
	} else if (exponent > 0)
		*o++ = '.';
	if (p != e || nd + (exponent - nf) > 18)
		return 0;
	for (; nf < exponent; nf++) {
		v *= 10;
		*o++ = '0';
	}
	*o = '\0';
	*out = neg ? -v : v;
	if (neg && v == 0) {
		/* "-0.00" reads as 0: no sign */
		memmove(buf, buf + 1, (size_t)(o - buf));
		return (size_t)(o - buf) - 1;
	}
	if (neg)
		buf[0] = '-';
	return (size_t)(o - buf);
}

#ifdef CX_MONEY_SWAR
static uint64_t load8(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

static uint32_t load4(const unsigned char *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return x;
}

/* Eight digit values (0..9, the first the most significant) as a number,
 * in lanes of four that are joined by lane_scale: 10000 for eight plain
 * digits, 1000 for two groups "_DDD" whose first byte was masked to 0. */
static uint64_t digits8(uint64_t x, uint64_t lane_scale)
{
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
	return (x * lane_scale + (x >> 32)) & 0xFFFFFFFFULL;
}

/* plain_format for amounts of at most 16 bytes after the sign and
 * exponents 0..8, classifying all bytes at once instead of one at a time.
 * It accepts a subset of what plain_format accepts (not leading zeros,
 * not "-0"), with the same value and text, and returns 0 for the rest. */
static inline __attribute__((always_inline))
size_t swar_format(const unsigned char *s, size_t n, int exponent, int lenient,
                          unsigned char gsep, unsigned char dsep, int64_t *out, char *buf)
{
	/* group separators of an integer part of k bytes: at k-4, k-8, ...
	 * after a first group of 1-3 digits; 0 (no match) when k % 4 == 0 */
	static const uint16_t group_at[17] = {
		0, 0, 0, 0, 0, 0x2, 0x4, 0x8, 0, 0x22, 0x44, 0x88, 0, 0x222, 0x444, 0x888, 0
	};
	size_t neg = 0, iend, nf = 0, nint;
	unsigned dig, dm, gm;
	uint64_t w0, w1 = 0, hi, lo = 0, f = 0;
	int64_t v, fv = 0;
	char *o;
	__m128i x;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		s++;
		n--;
	}
	if (n - 1 > 15 || exponent > 8)
		return 0;
	/* w0, w1: the n bytes, zero-padded, without reading past them */
	if (n >= 8) {
		w0 = load8(s);
		if (n > 8)
			w1 = load8(s + n - 8) >> (8 * (16 - n));
	} else if (n >= 4) {
		w0 = load4(s) | (uint64_t)load4(s + n - 4) << (8 * (n - 4));
	} else {
		w0 = s[0] | (uint64_t)s[n >> 1] << (8 * (n >> 1)) | (uint64_t)s[n - 1] << (8 * (n - 1));
	}
	x = _mm_set_epi64x((long long)w1, (long long)w0);
	/* digits + 0x50 are 0x80..0x89, the ten smallest signed bytes */
	dig = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x50)),
	                                                 _mm_set1_epi8(-118)));
	dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)dsep)));
	gm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)gsep)));
	if ((dig | dm | gm) != (1u << n) - 1u)
		return 0;
	iend = n;
	if (dm) {
		iend = (size_t)__builtin_ctz(dm);
		nf = n - iend - 1;
		/* one decimal separator, 1..exponent decimals */
		if ((dm & (dm - 1)) || nf - 1 >= (size_t)exponent)
			return 0;
	}
	if (iend == 0)
		return 0;
	nint = iend;
	if (gm) {
		if (!lenient || gm != group_at[iend] || s[0] == '0')
			return 0;
		nint -= iend / 4;
	} else if (s[0] == '0' && iend > 1) {
		return 0;       /* leading zeros */
	}
	if (nint + (size_t)exponent > 18)
		return 0;

	/* The integer part right-aligned in lo:hi (its last eight bytes in
	 * hi): group separators then sit in the first byte of each four. */
	if (iend >= 8) {
		hi = load8(s + iend - 8);
		if (iend > 8)
			lo = w0 << (8 * (16 - iend));
	} else {
		hi = w0 << (8 * (8 - iend));
	}
	if (gm) {
		v = (int64_t)digits8(hi & 0x0F0F0F000F0F0F00ULL, 1000);
		if (lo)
			v += (int64_t)digits8(lo & 0x0F0F0F000F0F0F00ULL, 1000) * 1000000;
	} else {
		v = (int64_t)digits8(hi & 0x0F0F0F0F0F0F0F0FULL, 10000);
		if (lo)
			v += (int64_t)digits8(lo & 0x0F0F0F0F0F0F0F0FULL, 10000) * 100000000;
	}
	if (dm) {
		/* the decimals in the first nf bytes of f, zero bytes after */
		f = n >= 8 ? load8(s + n - 8) >> (8 * (8 - nf)) : w0 >> (8 * (iend + 1));
		if (exponent == 2)
			fv = (int64_t)((f & 15) * 10 + (f >> 8 & 15));
		else
			fv = (int64_t)digits8((f << (8 * (8 - exponent))) & 0x0F0F0F0F0F0F0F0FULL, 10000);
	}
	v = v * pow10_tab[exponent] + fv;
	if (neg && v == 0)
		return 0;       /* "-0.00": no sign in the text */
	*out = neg ? -v : v;

	/* text: the sign, the integer digits, '.' and the decimals padded with
	 * '0' (the stores stay inside buf's CX_MONEY_BUFSZ bytes) */
	buf[0] = '-';
	o = buf + neg;
	if (gm) {
		/* the last three bytes of each four, right-aligned in six bytes:
		 * hi's in a, lo's in b */
		uint64_t a = (hi >> 8 & 0xFFFFFFULL) | (hi >> 16 & 0xFFFFFF000000ULL), b;
		if (nint <= 6) {
			a >>= 8 * (6 - nint);
			memcpy(o, &a, 8);
		} else {
			b = (lo >> 8 & 0xFFFFFFULL) | (lo >> 16 & 0xFFFFFF000000ULL);
			b >>= 8 * (12 - nint);
			memcpy(o, &b, 8);
			memcpy(o + nint - 6, &a, 8);
		}
	} else {
		memcpy(o, &w0, 8);
		memcpy(o + 8, &w1, 8);
	}
	if (exponent > 0) {
		o[nint] = '.';
		f |= 0x3030303030303030ULL;
		memcpy(o + nint + 1, &f, 8);
		nint += 1 + (size_t)exponent;
	}
	o[nint] = '\0';
	return neg + nint;
}
#endif

/* 1 and *out when s is a canonical amount swar_format reads (no leading
 * zeros, no "-0", at most 16 bytes after the sign): cx_money_parse gives
 * the same value for every one of them.  0 for the general path. */
static int money_parse_fast(const char *s, size_t n, int exponent, int64_t *out)
{
#ifdef CX_MONEY_SWAR
	char buf[CX_MONEY_BUFSZ];

	return s && exponent >= 0 &&
	       swar_format((const unsigned char *)s, n, exponent, 0, ',', '.', out, buf) > 0;
#else
	(void)s, (void)n, (void)exponent, (void)out;
	return 0;
#endif
}

/* cx_money_parse_format past the SWAR path: plain_format, then the
 * general parser and cx_money_format.  Kept out of line so that the fast
 * path saves no registers. */
__attribute__((noinline))
static int parse_format_rest(const char *s, size_t n, int exponent, unsigned flags,
                             int64_t *out, char *buf, const char **why)
{
	const int dcomma = (flags & CX_MONEY_DECIMAL_COMMA) != 0;
	size_t k;

	if (s && !(flags & CX_MONEY_NOFAST) && exponent >= 0 && exponent <= MAX_EXP &&
	    (k = plain_format((const unsigned char *)s, (const unsigned char *)s + n, exponent,
	                      (flags & CX_MONEY_LENIENT) != 0, dcomma ? '.' : ',',
	                      dcomma ? ',' : '.', out, buf)) > 0)
		return (int)k;
	if (cx_money_parse_raw_ex(s, n, exponent, flags, out, NULL, why) < 0)
		return -1;
	return (int)cx_money_format(buf, *out, exponent);
}

int cx_money_parse_format(const char *s, size_t n, int exponent, unsigned flags,
                          int64_t *out, char *buf, const char **why)
{
#ifdef CX_MONEY_SWAR
	size_t k;
#endif

	/* the commonest amount of an export (nothing past due, nothing owed):
	 * four fixed bytes */
	if (s && n == 4 && exponent == 2 && !(flags & CX_MONEY_NOFAST) && s[0] == '0' &&
	    s[1] == ((flags & CX_MONEY_DECIMAL_COMMA) ? ',' : '.') && s[2] == '0' && s[3] == '0') {
		*out = 0;
		memcpy(buf, "0.00", 5);
		return 4;
	}
#ifdef CX_MONEY_SWAR

	/* the separators as constants, one copy of the fast path for each */
	if (s && !(flags & CX_MONEY_NOFAST) && exponent >= 0) {
		const int lenient = (flags & CX_MONEY_LENIENT) != 0;
		if (flags & CX_MONEY_DECIMAL_COMMA)
			k = swar_format((const unsigned char *)s, n, exponent, lenient, '.', ',', out, buf);
		else
			k = swar_format((const unsigned char *)s, n, exponent, lenient, ',', '.', out, buf);
		if (k > 0)
			return (int)k;
	}
#endif
	return parse_format_rest(s, n, exponent, flags, out, buf, why);
}

size_t cx_money_format(char *buf, int64_t v, int exponent)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[CX_MONEY_BUFSZ];
	size_t k = sizeof tmp, len = 0, nd;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (exponent < 0 || exponent > MAX_EXP)
		exponent = 0;
	/* digits from the right, two at a time, into the end of tmp */
	while (mag >= 100) {
		unsigned r = (unsigned)(mag % 100);
		mag /= 100;
		tmp[--k] = pairs[2 * r + 1];
		tmp[--k] = pairs[2 * r];
	}
	if (mag >= 10) {
		tmp[--k] = pairs[2 * mag + 1];
		tmp[--k] = pairs[2 * mag];
	} else {
		tmp[--k] = (char)('0' + mag);
	}
	while (sizeof tmp - k < (size_t)exponent + 1)
		tmp[--k] = '0';
	nd = sizeof tmp - k;
	if (v < 0)
		buf[len++] = '-';
	memcpy(buf + len, tmp + k, nd - (size_t)exponent);
	len += nd - (size_t)exponent;
	if (exponent > 0) {
		buf[len++] = '.';
		memcpy(buf + len, tmp + sizeof tmp - exponent, (size_t)exponent);
		len += (size_t)exponent;
	}
	buf[len] = '\0';
	return len;
}

int cx_money_add(int64_t *acc, int64_t v)
{
	int64_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}

int cx_money_mul(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

int cx_money_rescale(int64_t v, int from_exp, int to_exp, int64_t *out)
{
	if (from_exp < 0 || from_exp > MAX_EXP || to_exp < 0 || to_exp > MAX_EXP)
		return -1;
	if (to_exp >= from_exp)
		return cx_money_mul(v, pow10_tab[to_exp - from_exp], out);
	int64_t d = pow10_tab[from_exp - to_exp];
	int64_t q = v / d, r = v % d;
	/* half away from zero: |r| >= d/2 (d is even for d >= 10) */
	if (r >= d - r)
		q++;
	else if (-r >= d + r)
		q--;
	*out = q;
	return 0;
}
