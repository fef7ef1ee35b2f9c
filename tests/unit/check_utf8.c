/* cx_utf8: validator vectors (catalogue 19-21), every code point round
 * trip, the whole cp1252 table (catalogue 20), mojibake counter, control
 * bytes (catalogue 22, 30), BOM helpers (catalogue 16, 18), names. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_utf8.h"

#define NONE ((size_t)-1)

/* Test vectors: bytes, length, offset of the first bad byte (NONE = valid). */
static const struct {
	const char *name;
	const char *s;
	size_t n;
	size_t bad;
} vec[] = {
	{"empty", "", 0, NONE},
	{"ascii", "hello, world\t\r\n", 15, NONE},
	{"2-byte e-acute", "Jos\xc3\xa9", 5, NONE},
	{"3-byte euro", "\xe2\x82\xac", 3, NONE},
	{"4-byte G clef", "\xf0\x9d\x84\x9e", 4, NONE},
	{"U+FEFF", "\xef\xbb\xbf", 3, NONE},
	{"U+D7FF last before surrogates", "\xed\x9f\xbf", 3, NONE},
	{"U+E000 first after surrogates", "\xee\x80\x80", 3, NONE},
	{"U+FFFF", "\xef\xbf\xbf", 3, NONE},
	{"U+10000", "\xf0\x90\x80\x80", 4, NONE},
	{"U+10FFFF", "\xf4\x8f\xbf\xbf", 4, NONE},
	{"U+0080", "\xc2\x80", 2, NONE},
	{"U+07FF", "\xdf\xbf", 2, NONE},
	{"U+0800", "\xe0\xa0\x80", 3, NONE},
	{"latin1 e-acute", "Jos\xe9", 4, 3},
	{"latin1 n-tilde mid", "Pe\xf1" "a", 4, 2},
	{"overlong slash C0 AF", "a\xc0\xaf", 3, 1},
	{"overlong C1 BF", "\xc1\xbf", 2, 0},
	{"overlong 3-byte E0 80 AF", "\xe0\x80\xaf", 3, 0},
	{"overlong 3-byte E0 9F BF", "\xe0\x9f\xbf", 3, 0},
	{"overlong 4-byte F0 8F BF BF", "\xf0\x8f\xbf\xbf", 4, 0},
	{"surrogate D800", "\xed\xa0\x80", 3, 0},
	{"surrogate DFFF", "ab\xed\xbf\xbf", 5, 2},
	{"above U+10FFFF F4 90", "\xf4\x90\x80\x80", 4, 0},
	{"F5 lead", "\xf5\x80\x80\x80", 4, 0},
	{"FE", "x\xfe", 2, 1},
	{"FF", "\xff", 1, 0},
	{"lone continuation", "a\x80" "b", 3, 1},
	{"truncated 2 at end", "abc\xc3", 4, 3},
	{"truncated 3 at end", "\xe2\x82", 2, 0},
	{"truncated 4 at end", "12345678\xf0\x9d\x84", 11, 8},
	{"truncated 3 mid", "\xe2\x82" "A", 3, 0},
	{"bad 3rd byte", "\xe2\x82\x41", 3, 0},
	{"bad 4th byte", "\xf0\x9d\x84\x41", 4, 0},
	{"valid then bad after 8-byte run", "abcdefghij\xc3\xa9klmnop\xc3", 19, 18},
	{"NUL is valid UTF-8", "a\0b", 3, NONE},
};

START_TEST(vectors)
{
	size_t i;

	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		size_t got = cx_utf8_validate(vec[i].s, vec[i].n);
		ck_assert_msg(got == vec[i].bad, "%s: got %zu want %zu", vec[i].name, got, vec[i].bad);
		ck_assert_int_eq(cx_utf8_valid(vec[i].s, vec[i].n), vec[i].bad == NONE);
	}
}
END_TEST

START_TEST(every_code_point)
{
	uint32_t cp, firstbad = 0xFFFFFFFF;
	long bad = 0;
	char b[4];

	/* plain ifs in the loop: 1.1 M iterations stay fast under valgrind */
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		int n = cx_utf8_encode(cp, b), want;
		uint32_t back = 0xFFFFFFFF;
		int ok;
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			ok = n == 0;
		} else {
			want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
			ok = n == want && cx_utf8_validate(b, (size_t)n) == NONE &&
			    cx_utf8_decode(b, (size_t)n, &back) == n && back == cp &&
			    /* every proper prefix is truncated */
			    (n == 1 || cx_utf8_validate(b, (size_t)n - 1) == 0);
		}
		if (!ok && bad++ == 0)
			firstbad = cp;
	}
	ck_assert_msg(bad == 0, "%ld code points fail, first U+%04X", bad, firstbad);
	ck_assert_int_eq(cx_utf8_encode(0x110000, b), 0);
}
END_TEST

/* Every 2-byte combination: validator agrees with a direct reading of
 * Table 3-7 (lead C2..DF + continuation). */
START_TEST(all_two_byte)
{
	unsigned a, c;

	for (a = 0x80; a < 0x100; a++)
		for (c = 0; c < 0x100; c++) {
			unsigned char s[2] = {(unsigned char)a, (unsigned char)c};
			int ok = a >= 0xC2 && a <= 0xDF && c >= 0x80 && c <= 0xBF;
			ck_assert_msg(cx_utf8_valid(s, 2) == ok, "%02X %02X", a, c);
		}
}
END_TEST

START_TEST(cp1252_table)
{
	/* Unicode's CP1252.TXT for 0x80..0x9F */
	static const uint32_t want[32] = {
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
	unsigned b;
	char out[8];
	size_t bad;

	for (b = 0; b < 0x80; b++)
		ck_assert_uint_eq(cx_cp1252_codepoint((unsigned char)b), b);
	for (b = 0x80; b < 0xA0; b++)
		ck_assert_uint_eq(cx_cp1252_codepoint((unsigned char)b), want[b - 0x80]);
	for (b = 0xA0; b < 0x100; b++)
		ck_assert_uint_eq(cx_cp1252_codepoint((unsigned char)b), b);
	/* the five undefined bytes are errors, with their offset */
	{
		static const unsigned char undef[5] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
		int i;
		for (i = 0; i < 5; i++) {
			unsigned char in[3] = {'a', undef[i], 'b'};
			bad = 99;
			ck_assert_uint_eq(cx_cp1252_to_utf8(in, 3, out, &bad), (size_t)-1);
			ck_assert_uint_eq(bad, 1);
		}
	}
	/* every defined byte transcodes to valid UTF-8 of the right code point */
	for (b = 1; b < 0x100; b++) {
		unsigned char in = (unsigned char)b;
		uint32_t cp;
		size_t n;
		if (cx_cp1252_codepoint(in) == 0)
			continue;
		n = cx_cp1252_to_utf8(&in, 1, out, NULL);
		ck_assert(n != (size_t)-1 && n <= 3);
		ck_assert(cx_utf8_valid(out, n));
		ck_assert_int_eq(cx_utf8_decode(out, n, &cp), (int)n);
		ck_assert_uint_eq(cp, cx_cp1252_codepoint(in));
	}
}
END_TEST

START_TEST(cp1252_text)
{
	static const struct { const char *in, *out; } t[] = {
		{"\x93" "Hola\x94", "\xe2\x80\x9cHola\xe2\x80\x9d"},           /* “Hola” */
		{"Jos\xe9 Pe\xf1" "a", "Jos\xc3\xa9 Pe\xc3\xb1" "a"},          /* José Peña */
		{"\x80 150", "\xe2\x82\xac 150"},                              /* € */
		{"a\x85", "a\xe2\x80\xa6"},                                    /* … */
		{"\x96\x97", "\xe2\x80\x93\xe2\x80\x94"},                      /* – — */
		{"plain", "plain"},
		{"", ""},
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = cx_cp1252_to_utf8(t[i].in, strlen(t[i].in), out, NULL);
		ck_assert_uint_eq(n, strlen(t[i].out));
		ck_assert(memcmp(out, t[i].out, n) == 0);
	}
}
END_TEST

START_TEST(mojibake)
{
	static const struct { const char *s; size_t n; } t[] = {
		{"Jos\xc3\x83\xc2\xa9", 1},                      /* JosÃ© */
		{"Pe\xc3\x83\xc2\xb1" "a Mu\xc3\x83\xc2\xb1oz", 2},  /* PeÃ±a MuÃ±oz */
		{"\xc3\xa2\xe2\x82\xac\xc5\x93" "hola", 1},        /* â€œ = “ twice encoded */
		{"Jos\xc3\xa9", 0},                              /* José: fine */
		{"\xc3\x83", 0},                                 /* Ã alone */
		{"\xc3\x83" "x", 0},
		{"ASCII only", 0},
		{"", 0},
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_msg(cx_utf8_mojibake_count(t[i].s, strlen(t[i].s)) == t[i].n, "case %zu", i);
}
END_TEST

START_TEST(controls)
{
	unsigned c;

	for (c = 0; c < 0x100; c++) {
		unsigned char s[3] = {'a', (unsigned char)c, 'b'};
		int ctl = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
		ck_assert_msg(cx_find_control(s, 3) == (ctl ? 1 : NONE), "byte %02X", c);
	}
	ck_assert_uint_eq(cx_find_control("", 0), NONE);
	ck_assert_uint_eq(cx_find_control("\x1b[31m", 5), 0);
}
END_TEST

START_TEST(boms_and_names)
{
	ck_assert_uint_eq(cx_bom_utf8("\xef\xbb\xbf" "id", 5), 3);
	ck_assert_uint_eq(cx_bom_utf8("\xef\xbb", 2), 0);
	ck_assert_uint_eq(cx_bom_utf8("id", 2), 0);
	ck_assert_int_eq(cx_bom_utf16("\xff\xfei\0", 4), 1);
	ck_assert_int_eq(cx_bom_utf16("\xfe\xff\0i", 4), 2);
	ck_assert_int_eq(cx_bom_utf16("\xff", 1), 0);
	ck_assert_int_eq(cx_bom_utf16("\xef\xbb\xbf", 3), 0);

	ck_assert_int_eq(cx_encoding_parse("utf-8"), CX_ENC_UTF8);
	ck_assert_int_eq(cx_encoding_parse("UTF8"), CX_ENC_UTF8);
	ck_assert_int_eq(cx_encoding_parse("cp1252"), CX_ENC_CP1252);
	ck_assert_int_eq(cx_encoding_parse("Windows-1252"), CX_ENC_CP1252);
	ck_assert_int_eq(cx_encoding_parse("latin1"), CX_ENC_CP1252);
	ck_assert_int_eq(cx_encoding_parse("ISO-8859-1"), CX_ENC_CP1252);
	ck_assert_int_eq(cx_encoding_parse("utf-16"), -1);
	ck_assert_int_eq(cx_encoding_parse(""), -1);
	ck_assert_int_eq(cx_encoding_parse(NULL), -1);
	ck_assert_str_eq(cx_encoding_name(CX_ENC_CP1252), "cp1252");
	ck_assert_str_eq(cx_encoding_name(CX_ENC_UTF8), "utf-8");
}
END_TEST

/* Random byte strings: validate agrees with a decode loop. */
START_TEST(random_against_decoder)
{
	unsigned long seed = 12345;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		unsigned char s[24];
		size_t n, i = 0, want = NONE;
		for (n = 0; n < sizeof s; n++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			/* biased to interesting bytes */
			s[n] = (unsigned char)((seed >> 33) % 3 == 0 ? 'a' : (0x7F + (seed >> 40) % 0x81));
		}
		n = (size_t)(seed >> 20) % sizeof s;
		while (i < n) {
			uint32_t cp;
			int k = cx_utf8_decode(s + i, n - i, &cp);
			if (k == 0) {
				want = i;
				break;
			}
			i += (size_t)k;
		}
		ck_assert_uint_eq(cx_utf8_validate(s, n), want);
	}
}
END_TEST

/* The word-at-a-time / memchr versions against byte-by-byte references:
 * cp1252 transcoding and the mojibake counter on random mixes of ASCII
 * runs and the bytes that matter (C3 82..9F, C3 A2, C2 A0..BF, E2 80 xx,
 * C5 xx, undefined cp1252 bytes). */
static size_t
ref_cp1252(const unsigned char *in, size_t n, char *out, size_t *bad)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		uint32_t cp = cx_cp1252_codepoint(in[i]);
		if (in[i] >= 0x80 && cp == 0) {
			*bad = i;
			return (size_t)-1;
		}
		o += (size_t)cx_utf8_encode(in[i] < 0x80 ? in[i] : cp, out + o);
	}
	return o;
}

static size_t
ref_moji(const unsigned char *p, size_t n)
{
	size_t i, count = 0;
	uint32_t cp;

	for (i = 0; i + 4 <= n; i++) {
		int k;
		if (p[i] != 0xC3 || !((p[i + 1] >= 0x82 && p[i + 1] <= 0x9F) || p[i + 1] == 0xA2))
			continue;
		/* the next character is a cp1252 byte 0x80..0xBF re-encoded */
		k = cx_utf8_decode(p + i + 2, n - i - 2, &cp);
		if (k == 0)
			continue;
		for (unsigned b = 0x80; b <= 0xBF; b++)
			if (cx_cp1252_codepoint((unsigned char)b) == cp && cp != 0) {
				count++;
				i += 2;
				break;
			}
	}
	return count;
}

START_TEST(fast_against_reference)
{
	static const char *const atoms[] = {"a", "abcdefghij", "0123456789012345", "\xc3",
	    "\xc3\x83", "\xc3\xa2", "\xc3\xa9", "\xc2", "\xc2\xa9", "\xc2\xbf", "\xe2\x80\x9c",
	    "\xe2\x82\xac", "\xc5\x93", "\xc5\xa0", "\xcb\x9c", "\xc6\x92", "\x81", "\x9d", "\xff"};
	unsigned long seed = 99;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		unsigned char s[256];
		char o1[3 * sizeof s], o2[3 * sizeof s];
		size_t n = 0, b1 = 0, b2 = 0, r1, r2;
		int k, na;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		na = (int)((seed >> 33) % 30);
		for (k = 0; k < na; k++) {
			const char *a;
			size_t l;
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			a = atoms[(seed >> 33) % (sizeof atoms / sizeof atoms[0])];
			l = strlen(a);
			if (n + l > sizeof s)
				break;
			memcpy(s + n, a, l);
			n += l;
		}
		r1 = cx_cp1252_to_utf8(s, n, o1, &b1);
		r2 = ref_cp1252(s, n, o2, &b2);
		if (r1 != r2 || (r1 == (size_t)-1 ? b1 != b2 : memcmp(o1, o2, r1) != 0) ||
		    cx_utf8_mojibake_count(s, n) != ref_moji(s, n))
			ck_abort_msg("iteration %d differs", iter);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, vectors);
	tcase_add_test(tc, every_code_point);
	tcase_add_test(tc, all_two_byte);
	tcase_add_test(tc, cp1252_table);
	tcase_add_test(tc, cp1252_text);
	tcase_add_test(tc, mojibake);
	tcase_add_test(tc, controls);
	tcase_add_test(tc, boms_and_names);
	tcase_add_test(tc, random_against_decoder);
	tcase_add_test(tc, fast_against_reference);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
