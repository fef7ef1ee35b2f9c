/* cx_money: ISO 4217 table, strict and raw parsing (catalogue case 34),
 * formatting, rescaling and checked arithmetic; property test of
 * format∘parse over random values for every exponent. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_money.h"

#define L CX_MONEY_LENIENT
#define DC CX_MONEY_DECIMAL_COMMA

START_TEST(exponents)
{
	static const struct { const char *code; int e; } t[] = {
		{"USD", 2}, {"COP", 2}, {"MXN", 2}, {"EUR", 2}, {"CLP", 0}, {"JPY", 0},
		{"KWD", 3}, {"BHD", 3}, {"UYU", 2}, {"UYI", 0}, {"UYW", 4}, {"CLF", 4},
		{"PEN", 2}, {"ARS", 2}, {"BRL", 2}, {"GBP", 2}, {"KRW", 0}, {"VND", 0},
		{"ISK", 0}, {"PYG", 0}, {"TND", 3}, {"OMR", 3}, {"JOD", 3}, {"IQD", 3},
		{"LYD", 3}, {"XOF", 0}, {"XAF", 0}, {"XPF", 0}, {"VES", 2}, {"ZWG", 2},
		{"COU", 2}, {"MXV", 2}, {"USN", 2}, {"CHF", 2}, {"CAD", 2}, {"DOP", 2},
		{"GTQ", 2}, {"CRC", 2}, {"HNL", 2}, {"NIO", 2}, {"PAB", 2}, {"BOB", 2},
		{"UGX", 0}, {"RWF", 0}, {"GNF", 0}, {"KMF", 0}, {"DJF", 0}, {"BIF", 0},
		{"VUV", 0}, {"MGA", 2}, {"MRU", 2},
		/* unknown, metals and funds without minor units, wrong case/length */
		{"XAU", -1}, {"XXX", -1}, {"XDR", -1}, {"usd", -1}, {"US", -1}, {"ABC", -1},
		{"", -1}, {"USDX", -1}, {"ZZZ", -1}, {"AAA", -1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_msg(cx_currency_exponent(t[i].code, strlen(t[i].code)) == t[i].e,
		              "exponent of %s", t[i].code);
	ck_assert_int_eq(cx_currency_exponent(NULL, 3), -1);
	/* the table is sorted, every code is three capitals, and each is found */
	size_t n = cx_currency_count();
	ck_assert_uint_ge(n, 150);
	for (size_t i = 0; i < n; i++) {
		int e;
		const char *c = cx_currency_code_at(i, &e);
		ck_assert_uint_eq(strlen(c), 3);
		for (int k = 0; k < 3; k++)
			ck_assert(c[k] >= 'A' && c[k] <= 'Z');
		if (i > 0)
			ck_assert_int_lt(strcmp(cx_currency_code_at(i - 1, NULL), c), 0);
		ck_assert_int_eq(cx_currency_exponent(c, 3), e);
		ck_assert(e >= 0 && e <= 4);
	}
	ck_assert_ptr_null(cx_currency_code_at(n, NULL));

	char out[4];
	ck_assert_int_eq(cx_currency_norm(" cop ", 5, out), 0);
	ck_assert_str_eq(out, "COP");
	ck_assert_int_eq(cx_currency_norm("Usd", 3, out), 0);
	ck_assert_str_eq(out, "USD");
	ck_assert_int_eq(cx_currency_norm("U$S", 3, out), -1);
	ck_assert_int_eq(cx_currency_norm("XAU", 3, out), -1);
	ck_assert_int_eq(cx_currency_norm("", 0, out), -1);
}
END_TEST

struct pcase {
	const char *s;
	int exp;
	int ok;
	int64_t v;
};

START_TEST(strict_parse)
{
	static const struct pcase t[] = {
		{"0", 2, 1, 0}, {"1234.56", 2, 1, 123456}, {"1234.5", 2, 1, 123450},
		{"1234", 2, 1, 123400}, {"-1234.56", 2, 1, -123456}, {"-0", 2, 1, 0},
		{"1500", 0, 1, 1500}, {"1.234", 3, 1, 1234}, {"0.001", 3, 1, 1},
		{"007.50", 2, 1, 750}, {"1.2345", 4, 1, 12345},
		{"92233720368547758.07", 2, 1, INT64_MAX},
		{"-92233720368547758.07", 2, 1, -INT64_MAX},
		{"9223372036854775807", 0, 1, INT64_MAX},
		{"92233720368547758.08", 2, 0, 0}, {"9223372036854775808", 0, 0, 0},
		{"-9223372036854775808", 0, 0, 0}, {"99999999999999999999999", 2, 0, 0},
		{"", 2, 0, 0}, {"-", 2, 0, 0}, {"+1", 2, 0, 0}, {" 1", 2, 0, 0}, {"1 ", 2, 0, 0},
		{"1.", 2, 0, 0}, {".5", 2, 0, 0}, {"1.234", 2, 0, 0}, {"1.5", 0, 0, 0},
		{"1,234.56", 2, 0, 0}, {"1234,56", 2, 0, 0}, {"1e3", 2, 0, 0}, {"--1", 2, 0, 0},
		{"1.2.3", 2, 0, 0}, {"$1", 2, 0, 0}, {"0x10", 2, 0, 0}, {"1.00", 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t v = 42;
		const char *why = NULL;
		int r = cx_money_parse(t[i].s, strlen(t[i].s), t[i].exp, &v, &why);
		ck_assert_msg((r == 0) == t[i].ok, "strict \"%s\" e=%d: r=%d why=%s", t[i].s,
		              t[i].exp, r, why ? why : "");
		if (t[i].ok)
			ck_assert_msg(v == t[i].v, "strict \"%s\": %lld", t[i].s, (long long)v);
		else
			ck_assert_msg(why != NULL && why[0] != '\0', "no reason for \"%s\"", t[i].s);
	}
	int64_t v;
	ck_assert_int_eq(cx_money_parse("1", 1, -1, &v, NULL), -1);
	ck_assert_int_eq(cx_money_parse("1", 1, 19, &v, NULL), -1);
	ck_assert_int_eq(cx_money_parse(NULL, 0, 2, &v, NULL), -1);
	/* not NUL-terminated: only n bytes are read */
	ck_assert_int_eq(cx_money_parse("12345", 3, 2, &v, NULL), 0);
	ck_assert_int_eq(v, 12300);
}
END_TEST

struct rcase {
	const char *s;
	int exp;
	unsigned flags;
	int ok;
	int64_t v;
	const char *why;   /* substring of the reason when !ok, or NULL */
	const char *code;  /* currency named by the amount when ok, or NULL */
};

static const struct rcase raw[] = {
	/* plain */
	{"1234.56", 2, L, 1, 123456, NULL, ""},
	{"1234.56", 2, 0, 1, 123456, NULL, ""},
	{"+1234.56", 2, 0, 1, 123456, NULL, ""},
	{"-1234.56", 2, 0, 1, -123456, NULL, ""},
	{"1234,56", 2, DC, 1, 123456, NULL, ""},
	{"1234,56", 2, 0, 0, 0, "--decimal-comma", NULL},
	{"1,234.56", 2, 0, 0, 0, "thousands separator", NULL},
	{" 12", 2, 0, 0, 0, NULL, NULL},
	/* thousands separators, validated */
	{"1,234.56", 2, L, 1, 123456, NULL, ""},
	{"1,234,567.89", 2, L, 1, 123456789, NULL, ""},
	{"1,234", 2, L, 1, 123400, NULL, ""},
	{"12,345,678", 0, L, 1, 12345678, NULL, ""},
	{"1.234.567,89", 2, L | DC, 1, 123456789, NULL, ""},
	{"1.234", 2, L | DC, 1, 123400, NULL, ""},
	{"1,23,456.00", 2, L, 0, 0, "grouping", NULL},
	{"12,34.00", 2, L, 0, 0, "grouping", NULL},
	{"1234,567.00", 2, L, 0, 0, "grouping", NULL},
	{"0,123.00", 2, L, 0, 0, "grouping", NULL},
	{",123", 2, L, 0, 0, "separator", NULL},
	{"1,", 2, L, 0, 0, "separator", NULL},
	{"1.", 2, L, 0, 0, "separator", NULL},
	{"1,,234", 2, L, 0, 0, NULL, NULL},
	/* catalogue 34 */
	{"150.000,00", 2, L, 0, 0, "--decimal-comma", NULL},
	{"150.000,00", 2, L | DC, 1, 15000000, NULL, ""},
	{"1,234.50", 2, L | DC, 0, 0, "--decimal-comma", NULL},
	{"1,234.50", 2, L, 1, 123450, NULL, ""},
	{"1.234,56", 2, L, 0, 0, "--decimal-comma", NULL},
	{"1.234.567", 2, L, 0, 0, "--decimal-comma", NULL},
	{"1234,56", 2, L, 0, 0, "--decimal-comma", NULL},
	{"1,5", 2, L, 0, 0, "--decimal-comma", NULL},
	{"12,5", 2, L, 0, 0, "--decimal-comma", NULL},
	{"1234.56", 2, L | DC, 0, 0, "--decimal-comma", NULL},
	{"1,234,567", 2, L | DC, 0, 0, "--decimal-comma", NULL},
	/* ambiguity: "1.234" by default */
	{"1.234", 2, L, 0, 0, "--decimal-comma", NULL},
	{"1.000", 2, L, 0, 0, "ambiguous", NULL},
	{"$ 1.234", 2, L, 0, 0, "--decimal-comma", NULL},
	{"$ 1.234", 2, L | DC, 1, 123400, NULL, ""},
	{"1.234", 0, L, 0, 0, "ambiguous", NULL},
	{"123.456", 2, L, 0, 0, "ambiguous", NULL},
	{"1.234", 3, L, 1, 1234, NULL, ""},
	{"1.234", 4, L, 1, 12340, NULL, ""},
	{"-1.234", 3, L, 1, -1234, NULL, ""},
	{"1,234", 3, L | DC, 1, 1234, NULL, ""},
	{"1,234", 2, L | DC, 0, 0, "ambiguous", NULL},
	{"0.123", 3, L, 1, 123, NULL, ""},
	{"0.120", 2, L, 1, 12, NULL, ""},
	{"1234.567", 3, L, 1, 1234567, NULL, ""},
	{"1234.567", 2, L, 0, 0, "decimal places", NULL},
	{"1,234.567", 3, L, 1, 1234567, NULL, ""},
	{"1.5", 2, L, 1, 150, NULL, ""},
	{"12.50", 2, L, 1, 1250, NULL, ""},
	/* extra decimals only when zeros */
	{"1500.00", 0, L, 1, 1500, NULL, ""},
	{"1500.5", 0, L, 0, 0, "decimal places", NULL},
	{"1.2300", 2, L, 1, 123, NULL, ""},
	{"1.2301", 2, L, 0, 0, "decimal places", NULL},
	/* currency symbols and codes */
	{"$1,234.56", 2, L, 1, 123456, NULL, ""},
	{"$ 1,234.56", 2, L, 1, 123456, NULL, ""},
	{"US$ 1,234.56", 2, L, 1, 123456, NULL, "USD"},
	{"US$1,234.56", 2, L, 1, 123456, NULL, "USD"},
	{"USD 1,234.56", 2, L, 1, 123456, NULL, "USD"},
	{"1,234.56 USD", 2, L, 1, 123456, NULL, "USD"},
	{"1,234.56USD", 2, L, 1, 123456, NULL, "USD"},
	{"usd 10", 2, L, 1, 1000, NULL, "USD"},
	{"COP$ 1.500.000", 2, L | DC, 1, 150000000, NULL, "COP"},
	{"COP 1.500.000,00", 2, L | DC, 1, 150000000, NULL, "COP"},
	{"$ 1.500.000", 2, L | DC, 1, 150000000, NULL, ""},
	{"\xE2\x82\xAC 12,50", 2, L | DC, 1, 1250, NULL, "EUR"},
	{"12,50 \xE2\x82\xAC", 2, L | DC, 1, 1250, NULL, "EUR"},
	{"\xC2\xA3" "5", 2, L, 1, 500, NULL, "GBP"},
	{"R$ 1.234,56", 2, L | DC, 1, 123456, NULL, "BRL"},
	{"S/ 25.90", 2, L, 1, 2590, NULL, "PEN"},
	{"S/. 25.90", 2, L, 1, 2590, NULL, "PEN"},
	{"MX$100", 2, L, 1, 10000, NULL, "MXN"},
	{"CLP 15.000", 0, L | DC, 1, 15000, NULL, "CLP"},
	{"$1,234.56", 2, 0, 0, 0, NULL, NULL},
	{"USD 5 EUR", 2, L, 0, 0, "more than one currency", NULL},
	{"$$5", 2, L, 0, 0, "more than one currency", NULL},
	{"ABC 5", 2, L, 0, 0, NULL, NULL},
	{"5 dollars", 2, L, 0, 0, NULL, NULL},
	/* spaces: NBSP, narrow NBSP, thin space as group separators */
	{"1 234 567,89", 2, L | DC, 1, 123456789, NULL, ""},
	{"1\xC2\xA0" "234,56", 2, L | DC, 1, 123456, NULL, ""},
	{"1\xE2\x80\xAF" "234.56", 2, L, 1, 123456, NULL, ""},
	{"\xC2\xA0$\xC2\xA0" "12.00\xC2\xA0", 2, L, 1, 1200, NULL, ""},
	{"1 23 456", 2, L, 0, 0, "grouping", NULL},
	{"1 234,567.00", 2, L, 0, 0, "mixed", NULL},
	{"  42  ", 2, L, 1, 4200, NULL, ""},
	{"\t42\t", 0, L, 1, 42, NULL, ""},
	{"1.23 4", 2, L, 0, 0, "decimals", NULL},
	/* negatives */
	{"(123.45)", 2, L, 1, -12345, NULL, ""},
	{"(1.234,00)", 2, L | DC, 1, -123400, NULL, ""},
	{"($ 1,234.00)", 2, L, 1, -123400, NULL, ""},
	{"123.45-", 2, L, 1, -12345, NULL, ""},
	{"123.45 -", 2, L, 1, -12345, NULL, ""},
	{"-$123.45", 2, L, 1, -12345, NULL, ""},
	{"$-123.45", 2, L, 1, -12345, NULL, ""},
	{"- 123.45", 2, L, 1, -12345, NULL, ""},
	{"+123.45", 2, L, 1, 12345, NULL, ""},
	{"(-123.45)", 2, L, 0, 0, "sign", NULL},
	{"-123.45-", 2, L, 0, 0, "sign", NULL},
	{"(123.45)-", 2, L, 0, 0, NULL, NULL},
	{"(123.45", 2, L, 0, 0, "parenthesis", NULL},
	{"123.45)", 2, L, 0, 0, NULL, NULL},
	{"+-5", 2, L, 0, 0, "sign", NULL},
	{"(123.45)", 2, 0, 0, 0, NULL, NULL},
	{"123.45-", 2, 0, 0, 0, NULL, NULL},
	{"()", 2, L, 0, 0, NULL, NULL},
	{"-0", 2, L, 1, 0, NULL, ""},
	/* scientific notation (catalogue 33's amount twin) */
	{"1.02E+09", 2, L, 0, 0, "scientific", NULL},
	{"1,02E+09", 2, L | DC, 0, 0, "scientific", NULL},
	{"1E5", 2, L, 0, 0, "scientific", NULL},
	{"3e-2", 2, L, 0, 0, "scientific", NULL},
	/* junk and range */
	{"", 2, L, 0, 0, "empty", NULL},
	{"   ", 2, L, 0, 0, "empty", NULL},
	{"abc", 2, L, 0, 0, NULL, NULL},
	{"12abc", 2, L, 0, 0, NULL, NULL},
	{"1/2", 2, L, 0, 0, NULL, NULL},
	{"0x1A", 2, L, 0, 0, NULL, NULL},
	{"NaN", 2, L, 0, 0, NULL, NULL},
	{"inf", 2, L, 0, 0, NULL, NULL},
	{"92,233,720,368,547,758.07", 2, L, 1, INT64_MAX, NULL, ""},
	{"92,233,720,368,547,758.08", 2, L, 0, 0, "range", NULL},
	{"(92,233,720,368,547,758.07)", 2, L, 1, -INT64_MAX, NULL, ""},
	{"99999999999999999999", 0, L, 0, 0, "range", NULL},
	{"9223372036854775807", 1, L, 0, 0, "range", NULL},
};

START_TEST(raw_parse)
{
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		const struct rcase *c = &raw[i];
		int64_t v = 42;
		char code[4] = "?";
		const char *why = NULL;
		int r = cx_money_parse_raw_ex(c->s, strlen(c->s), c->exp, c->flags, &v, code, &why);
		ck_assert_msg((r == 0) == c->ok, "#%zu raw \"%s\" e=%d f=%u: r=%d why=%s", i, c->s,
		              c->exp, c->flags, r, why ? why : "");
		if (c->ok) {
			ck_assert_msg(v == c->v, "#%zu raw \"%s\": %lld", i, c->s, (long long)v);
			if (c->code)
				ck_assert_msg(strcmp(code, c->code) == 0, "#%zu code %s", i, code);
			/* the plain entry point agrees */
			int64_t v2;
			ck_assert_int_eq(cx_money_parse_raw(c->s, strlen(c->s), c->exp, c->flags,
			                                    &v2, NULL), 0);
			ck_assert(v2 == v);
		} else {
			ck_assert_msg(why != NULL && why[0] != '\0', "#%zu no reason", i);
			if (c->why)
				ck_assert_msg(strstr(why, c->why) != NULL, "#%zu \"%s\": reason \"%s\"",
				              i, c->s, why);
			ck_assert_msg(v == 42, "#%zu output written on failure", i);
		}
	}
}
END_TEST

START_TEST(format)
{
	static const struct { int64_t v; int e; const char *s; } t[] = {
		{0, 2, "0.00"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {123456, 2, "1234.56"},
		{-123456, 2, "-1234.56"}, {1500, 0, "1500"}, {-1500, 0, "-1500"}, {0, 0, "0"},
		{1, 3, "0.001"}, {1234, 3, "1.234"}, {12345, 4, "1.2345"},
		{INT64_MAX, 2, "92233720368547758.07"}, {-INT64_MAX, 2, "-92233720368547758.07"},
		{INT64_MIN, 2, "-92233720368547758.08"}, {INT64_MAX, 0, "9223372036854775807"},
		{1, 18, "0.000000000000000001"}, {INT64_MIN, 18, "-9.223372036854775808"},
		{7, -1, "7"}, {7, 99, "7"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[CX_MONEY_BUFSZ];
		size_t n = cx_money_format(buf, t[i].v, t[i].e);
		ck_assert_str_eq(buf, t[i].s);
		ck_assert_uint_eq(n, strlen(t[i].s));
	}
}
END_TEST

/* xorshift64*, deterministic */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

START_TEST(format_parse_identity)
{
	for (int e = 0; e <= 18; e++) {
		for (int i = 0; i < 3000; i++) {
			/* values of every magnitude, both signs, never INT64_MIN */
			uint64_t r = rnd();
			int shift = (int)(rnd() % 64);
			int64_t v = (int64_t)((r >> shift) & (uint64_t)INT64_MAX);
			if (rnd() & 1)
				v = -v;
			char buf[CX_MONEY_BUFSZ];
			size_t n = cx_money_format(buf, v, e);
			int64_t back;
			const char *why = NULL;
			ck_assert_msg(cx_money_parse(buf, n, e, &back, &why) == 0, "%s e=%d: %s", buf,
			              e, why);
			ck_assert_msg(back == v, "%s e=%d", buf, e);
			/* the raw parser reads canonical text the same way */
			int64_t back2 = 0;
			ck_assert_msg(cx_money_parse_raw(buf, n, e, L, &back2, &why) == 0,
			              "raw rejects canonical %s e=%d: %s", buf, e, why);
			ck_assert(back2 == v);
			ck_assert_msg(cx_money_parse_raw(buf, n, e, 0, &back2, &why) == 0,
			              "raw rejects canonical %s e=%d: %s", buf, e, why);
			ck_assert(back2 == v);
		}
	}
}
END_TEST

START_TEST(arithmetic)
{
	int64_t a = INT64_MAX - 1, out;
	ck_assert_int_eq(cx_money_add(&a, 1), 0);
	ck_assert(a == INT64_MAX);
	ck_assert_int_eq(cx_money_add(&a, 1), -1);
	ck_assert(a == INT64_MAX);
	a = INT64_MIN + 1;
	ck_assert_int_eq(cx_money_add(&a, -2), -1);
	ck_assert_int_eq(cx_money_mul(3037000499LL, 3037000499LL, &out), 0);
	ck_assert_int_eq(cx_money_mul(3037000500LL, 3037000500LL, &out), -1);
	ck_assert_int_eq(cx_money_mul(-7, 6, &out), 0);
	ck_assert(out == -42);

	static const struct { int64_t v; int from, to; int ok; int64_t r; } t[] = {
		{12345, 2, 0, 1, 123}, {12350, 2, 0, 1, 124}, {12349, 2, 0, 1, 123},
		{-12350, 2, 0, 1, -124}, {-12349, 2, 0, 1, -123}, {-12345, 2, 0, 1, -123},
		{50, 2, 0, 1, 1}, {-50, 2, 0, 1, -1}, {49, 2, 0, 1, 0}, {-49, 2, 0, 1, 0},
		{1500, 0, 2, 1, 150000}, {123, 2, 2, 1, 123}, {1, 0, 4, 1, 10000},
		{12345, 3, 2, 1, 1235}, {-12345, 3, 2, 1, -1235}, {12344, 3, 2, 1, 1234},
		{INT64_MAX, 0, 2, 0, 0}, {INT64_MAX / 100, 0, 2, 1, INT64_MAX / 100 * 100},
		{INT64_MAX, 18, 0, 1, 9}, {INT64_MIN, 18, 0, 1, -9}, {1, -1, 0, 0, 0},
		{1, 0, 19, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t r = 0;
		int rc = cx_money_rescale(t[i].v, t[i].from, t[i].to, &r);
		ck_assert_msg((rc == 0) == t[i].ok, "rescale #%zu", i);
		if (t[i].ok)
			ck_assert_msg(r == t[i].r, "rescale #%zu: %lld", i, (long long)r);
	}
}
END_TEST

/* A random amount-like string of up to 8 atoms into s (cap bytes, no NUL;
 * returns its length), with an exponent 0..4 and parse flags: mostly the
 * first ncommon atoms (digits and separators), now and then any. */
static size_t random_amount(unsigned long *seed, const char *const *atoms, size_t ncommon,
                            size_t natoms, char *s, size_t cap, int *exp, unsigned *flags)
{
	size_t n = 0;
	int k, na;

	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	na = 1 + (int)((*seed >> 33) % 8);
	*exp = (int)((*seed >> 45) % 5);
	*flags = (unsigned)((*seed >> 50) % 4);
	for (k = 0; k < na; k++) {
		const char *a;
		size_t l;
		*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
		a = atoms[(*seed >> 33) % ((*seed >> 40) % 4 ? ncommon : natoms)];
		l = strlen(a);
		if (n + l >= cap)
			break;
		memcpy(s + n, a, l);
		n += l;
	}
	return n;
}

/* The fast path for plain amounts gives what the general parser gives
 * (CX_MONEY_NOFAST): same result, value, reason and currency, on random
 * strings of digits, separators, signs, spaces and symbols, in every mode. */
START_TEST(fast_equals_general)
{
	static const char *const atoms[] = {"0", "1", "5", "9", "12", "123", "000", "999",
	    ".", ",", "-", "+", " ", "$", "(", ")", "E", "e", "USD", "\xc2\xa0", "1234567890"};
	unsigned long seed = 7;
	int iter;

	for (iter = 0; iter < 200000; iter++) {
		char s[64];
		size_t n;
		int exp;
		unsigned flags;

		n = random_amount(&seed, atoms, 10, sizeof atoms / sizeof atoms[0], s, sizeof s,
		                  &exp, &flags);
		{
			int64_t v1 = 0, v2 = 0;
			const char *w1 = NULL, *w2 = NULL;
			char c1[4] = "?", c2[4] = "?";
			int r1 = cx_money_parse_raw_ex(s, n, exp, flags, &v1, c1, &w1);
			int r2 = cx_money_parse_raw_ex(s, n, exp, flags | CX_MONEY_NOFAST, &v2, c2, &w2);
			if (!(r1 == r2 && (r1 < 0 || (v1 == v2 && strcmp(c1, c2) == 0)) &&
			    (r1 == 0 || strcmp(w1, w2) == 0)))
				ck_abort_msg("'%.*s' exp %d flags %u: %d %lld %s / %d %lld %s", (int)n, s,
				    exp, flags, r1, (long long)v1, r1 ? w1 : c1, r2, (long long)v2,
				    r2 ? w2 : c2);
		}
	}
}
END_TEST

/* cx_money_parse_format is cx_money_parse_raw then cx_money_format: same
 * result, value, reason and text on random amounts (signs, leading zeros,
 * groups, short and long fractions, both conventions, exponents 0..4). */
START_TEST(parse_format_equals_two_steps)
{
	static const char *const atoms[] = {"0", "1", "5", "9", "12", "123", "000", "999",
	    ".", ",", "-", "+", " ", "$", "(", ")", "E", "USD", "1234567890"};
	unsigned long seed = 99;
	int iter;

	for (iter = 0; iter < 300000; iter++) {
		char s[64], b1[CX_MONEY_BUFSZ], b2[CX_MONEY_BUFSZ];
		size_t n;
		int exp;
		unsigned flags;

		n = random_amount(&seed, atoms, 11, sizeof atoms / sizeof atoms[0], s, sizeof s,
		                  &exp, &flags);
		{
			int64_t v1 = 0, v2 = 0;
			const char *w1 = NULL, *w2 = NULL;
			int r1 = cx_money_parse_format(s, n, exp, flags, &v1, b1, &w1);
			int r2 = cx_money_parse_raw(s, n, exp, flags, &v2, &w2);
			if (r2 == 0)
				r2 = (int)cx_money_format(b2, v2, exp);
			if (!(r1 == r2 && (r1 < 0 ? strcmp(w1, w2) == 0
			                          : v1 == v2 && strcmp(b1, b2) == 0)))
				ck_abort_msg("'%.*s' exp %d flags %u: %d %lld '%s' / %d %lld '%s'", (int)n, s,
				    exp, flags, r1, (long long)v1, r1 < 0 ? w1 : b1, r2, (long long)v2,
				    r2 < 0 ? w2 : b2);
		}
	}
}
END_TEST

/* cx_money_format against snprintf on random values of every size and
 * every exponent 0..18, and the extremes. */
START_TEST(format_against_snprintf)
{
	unsigned long long seed = 11;
	int iter;

	for (iter = 0; iter < 300000; iter++) {
		char got[CX_MONEY_BUFSZ], want[64];
		int exp = iter % 19;
		int64_t v;
		uint64_t mag, p = 1;
		size_t len;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		v = (int64_t)(seed >> (seed % 64));   /* every magnitude */
		if (v == INT64_MIN)
			v++;
		if (iter % 1000 == 0)
			v = iter % 2000 ? INT64_MAX : INT64_MIN + 1;
		if (iter % 7 == 0)
			v = -v;
		mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		for (int k = 0; k < exp; k++)
			p *= 10;
		if (exp == 0)
			snprintf(want, sizeof want, "%s%llu", v < 0 ? "-" : "", (unsigned long long)mag);
		else
			snprintf(want, sizeof want, "%s%llu.%0*llu", v < 0 ? "-" : "",
			    (unsigned long long)(mag / p), exp, (unsigned long long)(mag % p));
		len = cx_money_format(got, v, exp);
		if (strcmp(got, want) != 0 || len != strlen(want))
			ck_abort_msg("%lld e%d: %s / %s", (long long)v, exp, got, want);
	}
}
END_TEST

START_TEST(tagged_parse)
{
	char cur[4];
	int64_t v = 0;
	const char *why = NULL;
	static const char *const bad[] = { "USD:", "usd:1.00", "US:1.00", "USDX:1", "XXQ:1",
		"USD 1.00", "USD:1.001", "USD:1:2", "COP:", "" };

	ck_assert_int_eq(cx_money_parse_tagged("COP:1234.5", 10, cur, &v, &why), 0);
	ck_assert_str_eq(cur, "COP");
	ck_assert_int_eq(v, 123450);
	ck_assert_int_eq(cx_money_parse_tagged("JPY:-7,USD:1", 6, cur, &v, NULL), 0);
	ck_assert_str_eq(cur, "JPY");
	ck_assert_int_eq(v, -7);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		ck_assert_int_eq(cx_money_parse_tagged(bad[i], strlen(bad[i]), cur, &v, &why), -1);
		ck_assert_ptr_nonnull(why);
	}
	ck_assert_str_eq((cx_money_parse_tagged("USD", 3, cur, &v, &why), why), "expected CUR:amount");
}
END_TEST

/* One amount through cx_money_parse_format with and without its fast paths
 * (CX_MONEY_NOFAST: the general parser, then cx_money_format): same result,
 * value, text and reason; and through the strict cx_money_parse with and
 * without its fast path (cx_money_parse_nofast): same result, value and
 * reason. */
static void same_format_as_general(const char *text, size_t n, int exp, unsigned flags)
{
	char b1[CX_MONEY_BUFSZ], b2[CX_MONEY_BUFSZ];
	int64_t v1 = 0, v2 = 0;
	const char *w1 = NULL, *w2 = NULL;
	int r1, r2;
	/* exactly n bytes on the heap: a read past them is an ASan error */
	char *s = malloc(n + !n);

	ck_assert_ptr_nonnull(s);
	memcpy(s, text, n);
	memset(b1, 'x', sizeof b1);
	r1 = cx_money_parse_format(s, n, exp, flags, &v1, b1, &w1);
	r2 = cx_money_parse_format(s, n, exp, flags | CX_MONEY_NOFAST, &v2, b2, &w2);
	if (!(r1 == r2 && (r1 < 0 ? w1 && w2 && strcmp(w1, w2) == 0
	                          : v1 == v2 && strcmp(b1, b2) == 0 && (size_t)r1 == strlen(b1))))
		ck_abort_msg("'%.*s' exp %d flags %u: %d %lld '%s' / %d %lld '%s'", (int)n, s, exp,
		    flags, r1, (long long)v1, r1 < 0 ? w1 : b1, r2, (long long)v2, r2 < 0 ? w2 : b2);
	v1 = v2 = 7;
	w1 = w2 = NULL;
	r1 = cx_money_parse(s, n, exp, &v1, &w1);
	r2 = cx_money_parse_nofast(s, n, exp, &v2, &w2);
	if (!(r1 == r2 && (r1 < 0 ? w1 && w2 && strcmp(w1, w2) == 0 : v1 == v2)))
		ck_abort_msg("strict '%.*s' exp %d: %d %lld %s / %d %lld %s", (int)n, s, exp, r1,
		    (long long)v1, r1 < 0 ? w1 : "", r2, (long long)v2, r2 < 0 ? w2 : "");
	free(s);
}

static unsigned long next_rand(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

/* The shapes the fast paths take (sign, digits, thousands groups, a
 * decimal part) built right and wrong on purpose: groups of 2-4 digits,
 * either separator in either place, leading zeros, more decimals than the
 * exponent, 1-20 digits (INT64 limits), exponents 0..9 and 18, every
 * mode, now and then an odd byte anywhere. */
START_TEST(format_fast_equals_general)
{
	static const int exps[] = {0, 1, 2, 2, 2, 2, 3, 4, 8, 9, 18};
	static const char odd[] = "-+ $()Ee\0\x80\xff\t'";
	static const char *const edge[] = {"", "-", "0", "-0", "-0.00", "0.00", "0,00", "00.00", "0.000", "0.0", ".5",
	    "5.", "-.5", "1,234", "1.234", "1,234.5", "1.234,5", "0,123.00", "9999999999999999",
	    "999999999999999.9", "99999999999999.99", "9,999,999,999.99", "999,999,999,999",
	    "1,000,000,000,000", "9223372036854775807", "922337203685477580.7",
	    "9,223,372,036,854,775,807", "-9223372036854775807", "12345678.12345678",
	    "1,2345", "12,345,67", "1,,234", "1,234,", ",123", "1 234,56", "(1.00)", "1e5",
	    "1.0E+3", "+1.00", "--1", "1.2.3", "1,2,3", "0001", "0,001"};
	unsigned long seed = 3;
	char s[64];

	for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++)
		for (size_t e = 0; e < sizeof exps / sizeof exps[0]; e++)
			for (unsigned flags = 0; flags < 4; flags++)
				same_format_as_general(edge[k], strlen(edge[k]), exps[e], flags);
	for (int iter = 0; iter < 400000; iter++) {
		size_t n = 0;
		int exp, groups, k;
		unsigned flags;
		char gsep, dsep;

		exp = exps[next_rand(&seed) % (sizeof exps / sizeof exps[0])];
		flags = (unsigned)(next_rand(&seed) % 4);
		gsep = flags & CX_MONEY_DECIMAL_COMMA ? '.' : ',';
		dsep = flags & CX_MONEY_DECIMAL_COMMA ? ',' : '.';
		if (next_rand(&seed) % 16 == 0) {
			char t = gsep;
			gsep = dsep;
			dsep = t;
		}
		if (next_rand(&seed) % 4 == 0)
			s[n++] = next_rand(&seed) % 8 ? '-' : '+';
		if (next_rand(&seed) % 2) {
			/* plain digits, now and then leading zeros */
			int nd = (int)(next_rand(&seed) % 21);
			for (k = 0; k < nd; k++)
				s[n++] = (char)('0' + (k == 0 && next_rand(&seed) % 4 ? 1 + next_rand(&seed) % 9 : next_rand(&seed) % 10));
		} else {
			int first = next_rand(&seed) % 8 ? 3 : 4;
			first = 1 + (int)(next_rand(&seed) % (unsigned long)first);
			for (k = 0; k < first; k++)
				s[n++] = (char)('0' + (k == 0 && next_rand(&seed) % 8 ? 1 + next_rand(&seed) % 9 : next_rand(&seed) % 10));
			groups = (int)(next_rand(&seed) % 6);
			for (int g = 0; g < groups; g++) {
				int len = next_rand(&seed) % 8 ? 3 : 2 + (int)(next_rand(&seed) % 3);
				s[n++] = next_rand(&seed) % 32 ? gsep : ' ';
				for (k = 0; k < len; k++)
					s[n++] = (char)('0' + next_rand(&seed) % 10);
			}
		}
		if (next_rand(&seed) % 4) {
			int nf = next_rand(&seed) % 4 ? exp : (int)(next_rand(&seed) % 11);
			s[n++] = dsep;
			for (k = 0; k < nf && k < 10; k++)
				s[n++] = (char)('0' + next_rand(&seed) % 10);
		}
		if (n > 0 && next_rand(&seed) % 16 == 0) {
			size_t at = next_rand(&seed) % n;
			s[at] = odd[next_rand(&seed) % (sizeof odd - 1)];
		}
		same_format_as_general(s, n, exp, flags);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exponents);
	tcase_add_test(tc, strict_parse);
	tcase_add_test(tc, raw_parse);
	tcase_add_test(tc, format);
	tcase_add_test(tc, format_parse_identity);
	tcase_add_test(tc, arithmetic);
	tcase_add_test(tc, fast_equals_general);
	tcase_add_test(tc, format_against_snprintf);
	tcase_add_test(tc, parse_format_equals_two_steps);
	tcase_add_test(tc, tagged_parse);
	tcase_add_test(tc, format_fast_equals_general);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
