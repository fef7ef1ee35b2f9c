/* Fuzz target: cx_money parsing.  The first byte picks the exponent and
 * flags, the rest is the amount text.  Any input must parse or fail with a
 * reason, never crash; whatever parses must survive format-then-parse
 * unchanged, strict and raw parsing must agree on canonical text, and the
 * fast paths of the strict and raw parsers and of cx_money_parse_format
 * must agree with the general path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int exp = data[0] % 6;                 /* 0..4, and 5 */
	unsigned flags = (data[0] >> 3) & 3u;  /* LENIENT, DECIMAL_COMMA */
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	const char *why = NULL;
	int64_t v = 0, w = 0;
	char buf[CX_MONEY_BUFSZ], code[4];

	if (cx_money_parse(s, n, exp, &v, &why) == 0) {
		size_t k = cx_money_format(buf, v, exp);
		check(k < CX_MONEY_BUFSZ && k == strlen(buf));
		check(cx_money_parse(buf, k, exp, &w, &why) == 0 && w == v);
		/* canonical-looking input: the raw parser agrees in every mode
		 * that reads '.' as the decimal point */
		check(cx_money_parse_raw(s, n, exp, 0, &w, &why) == 0 && w == v);
		check(cx_money_parse_raw(s, n, exp, CX_MONEY_LENIENT, &w, &why) == 0 && w == v);
	} else {
		check(why != NULL && why[0] != '\0');
	}
	/* the strict parser's fast path agrees with its general path */
	{
		int64_t v2 = 0;
		const char *w2 = NULL;
		int r1 = cx_money_parse(s, n, exp, &w, &why);
		int r2 = cx_money_parse_nofast(s, n, exp, &v2, &w2);
		check(r1 == r2 && (r1 < 0 ? strcmp(why, w2) == 0 : w == v2));
	}
	/* the fast path for plain amounts agrees with the general parser */
	{
		const char *w1 = NULL, *w2 = NULL;
		char c1[4], c2[4];
		int64_t v1 = 0, v2 = 0;
		int r1 = cx_money_parse_raw_ex(s, n, exp, flags, &v1, c1, &w1);
		int r2 = cx_money_parse_raw_ex(s, n, exp, flags | CX_MONEY_NOFAST, &v2, c2, &w2);
		check(r1 == r2);
		check(r1 != 0 || (v1 == v2 && strcmp(c1, c2) == 0));
		check(r1 == 0 || strcmp(w1, w2) == 0);
	}
	/* parse and format in one pass (and its SWAR path) agrees with the
	 * general parser followed by cx_money_format */
	{
		const char *w1 = NULL, *w2 = NULL;
		char b1[CX_MONEY_BUFSZ], b2[CX_MONEY_BUFSZ];
		int64_t v1 = 0, v2 = 0;
		int r1 = cx_money_parse_format(s, n, exp, flags, &v1, b1, &w1);
		int r2 = cx_money_parse_format(s, n, exp, flags | CX_MONEY_NOFAST, &v2, b2, &w2);
		check(r1 == r2);
		check(r1 < 0 || (v1 == v2 && strcmp(b1, b2) == 0 && (size_t)r1 == strlen(b1)));
		check(r1 >= 0 || strcmp(w1, w2) == 0);
	}
	why = NULL;
	if (cx_money_parse_raw_ex(s, n, exp, flags, &v, code, &why) == 0) {
		check(v != INT64_MIN);
		check(strlen(code) == 0 || strlen(code) == 3);
		if (code[0])
			check(cx_currency_exponent(code, 3) >= 0);
		size_t k = cx_money_format(buf, v, exp);
		check(cx_money_parse(buf, k, exp, &w, &why) == 0 && w == v);
		/* scaling up and back down is exact when it does not overflow */
		int64_t up, down;
		if (cx_money_rescale(v, exp, exp + 2, &up) == 0) {
			check(cx_money_rescale(up, exp + 2, exp, &down) == 0 && down == v);
		}
		int64_t acc = v;
		if (cx_money_add(&acc, v) == 0)
			check(acc - v == v);
	} else {
		check(why != NULL && why[0] != '\0');
	}
	(void)cx_currency_exponent(s, n);
	return 0;
}
