/* cx_norm over generated values: phones of every supported country in
 * every written form (national, +CC, 00CC, tel:, separators, NBSP,
 * extensions, two numbers, wrong lengths), emails, national ids, ids,
 * codes and sets.  Properties: a result is canonical (E.164, lower-case
 * email, [0-9A-Z] id), normalising it again gives it back, a failure has a
 * reason, small buffers are never overrun, NULL inputs are refused. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_norm.h"
#include "cx_schema.h"

static uint64_t rs;

/* fewer cases under valgrind (CX_VALGRIND=1) */
static int
cases(int n)
{
	return getenv("CX_VALGRIND") ? n / 10 : n;
}

static unsigned
rnd(unsigned n)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (unsigned)((rs * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static const char *const countries[] = {
	"CO", "MX", "US", "CA", "ES", "PE", "CL", "AR", "BR", "EC", "GB", "DE", NULL,
};

/* a phone-like string: optional international prefix, digits in groups
 * with random separators, sometimes junk */
static size_t
gen_phone(char *b, size_t cap, const char *country)
{
	static const char *const seps[] = { "", " ", "-", ".", "/", "\xc2\xa0", "\xe2\x80\xaf" };
	static const char *const lead[] = { "", "3", "9", "0", "1", "6", "2", "15", "11", "033",
	                                    "60", "044", "045", "01", "02", "7", "8", "5" };
	size_t n = 0;
	unsigned form = rnd(10), digits = 5 + rnd(12);
	const char *cc = country ? cx_phone_calling_code(country) : NULL;

	if (form == 0 && cc)
		n += (size_t)snprintf(b + n, cap - n, "+%s", cc);
	else if (form == 1 && cc)
		n += (size_t)snprintf(b + n, cap - n, "00%s", cc);
	else if (form == 2 && cc)
		n += (size_t)snprintf(b + n, cap - n, "tel:+%s", cc);
	else if (form == 3)
		n += (size_t)snprintf(b + n, cap - n, "(%u) ", rnd(1000));
	else if (form == 4)
		n += (size_t)snprintf(b + n, cap - n, " +%u", 1 + rnd(999));
	n += (size_t)snprintf(b + n, cap - n, "%s", lead[rnd(sizeof lead / sizeof *lead)]);
	for (unsigned i = 0; i < digits && n + 8 < cap; i++) {
		if (rnd(4) == 0)
			n += (size_t)snprintf(b + n, cap - n, "%s", seps[rnd(sizeof seps / sizeof *seps)]);
		b[n++] = (char)('0' + rnd(10));
	}
	switch (rnd(14)) {
	case 0: n += (size_t)snprintf(b + n, cap - n, " ext 12"); break;
	case 1: n += (size_t)snprintf(b + n, cap - n, ", 3001234567"); break;
	case 2: n += (size_t)snprintf(b + n, cap - n, "E+09"); break;
	case 3: n += (size_t)snprintf(b + n, cap - n, "x"); break;
	case 4: n += (size_t)snprintf(b + n, cap - n, "  "); break;
	default: break;
	}
	b[n] = '\0';
	return n;
}

START_TEST(phones_canonical_and_idempotent)
{
	char in[96], out[CX_PHONE_BUFSZ], again[CX_PHONE_BUFSZ], tiny[6];
	long ok = 0, bad = 0;

	rs = 0xf0e5;
	for (int k = 0; k < cases(60000); k++) {
		const char *c = countries[rnd(sizeof countries / sizeof *countries)];
		const char *why = NULL;
		size_t n = gen_phone(in, sizeof in, c);
		int r = cx_norm_phone(in, n, c, out, sizeof out, &why);
		if (r < 0) {
			ck_assert_msg(why && *why, "no reason for '%s'", in);
			bad++;
			continue;
		}
		ok++;
		if (r == 0)
			continue;
		ck_assert_msg(out[0] == '+' && r >= 8 && r <= 16 && (size_t)r == strlen(out),
		              "'%s' (%s) -> '%s'", in, c ? c : "-", out);
		for (int i = 1; i < r; i++)
			ck_assert(out[i] >= '0' && out[i] <= '9');
		/* normalising the result again gives it back, with any default */
		ck_assert_int_eq(cx_norm_phone(out, (size_t)r, "CO", again, sizeof again, &why), r);
		ck_assert_str_eq(again, out);
		/* a buffer too small: refused or cut, never overrun */
		memset(tiny, 'Z', sizeof tiny);
		(void)cx_norm_phone(in, n, c, tiny, sizeof tiny - 1, &why);
		ck_assert_int_eq(tiny[sizeof tiny - 1], 'Z');
	}
	ck_assert_int_gt(ok, cases(2000));
	ck_assert_int_gt(bad, cases(5000));
	ck_assert_int_le(cx_norm_phone(NULL, 3, "CO", out, sizeof out, NULL), 0);
	ck_assert_int_lt(cx_norm_phone("3001234567", 10, NULL, out, sizeof out, NULL), 0);
	ck_assert_int_eq(cx_norm_phone("  ", 2, "CO", out, sizeof out, NULL), 0);
	ck_assert_ptr_null(cx_phone_calling_code("ZZ"));
	ck_assert_ptr_null(cx_phone_calling_code(NULL));
}
END_TEST

START_TEST(emails_canonical_and_idempotent)
{
	static const char *const locals[] = { "Ana", "ana.rojas", "a+tag", "A..B", ".a", "a.",
	                                      "j\xc3\xb3se", "x y", "", "a\"b", "o'neil",
	                                      "0123456789012345678901234567890123456789012345678901234567890123456789" };
	static const char *const domains[] = { "example.com", "EXAMPLE.CO", "mail", "a..b.com",
	                                        ".com", "com.", "ex ample.com", "xn--bcher-kva.de",
	                                        "b\xc3\xbc" "cher.de", "a.b.c.d.e", "", "ex;ample.com" };
	static const char *const wraps[] = { "%s@%s", " %s@%s ", "mailto:%s@%s", "MAILTO:%s@%s",
	                                     "%s@@%s", "%s", "<%s@%s>", "\xc2\xa0%s@%s\t" };
	char in[256], out[256], again[256];
	rs = 0xe3a1;
	for (int k = 0; k < cases(20000); k++) {
		const char *why = NULL;
		const char *w = wraps[rnd(sizeof wraps / sizeof *wraps)];
		const char *l = locals[rnd(sizeof locals / sizeof *locals)];
		const char *d = domains[rnd(sizeof domains / sizeof *domains)];
		const char *at = strstr(w, "@@") ? "@@" : strchr(w, '@') ? "@" : "";
		size_t pre = strcspn(w, "%");
		/* wrapper prefix, local, '@', domain, wrapper suffix */
		int n = snprintf(in, sizeof in, "%.*s%s%s%s%s", (int)pre, w, l, at, *at ? d : "",
		                 strstr(w, "%s%s") ? "" : strrchr(w, 's') + 1);
		int r = cx_norm_email(in, (size_t)n, out, sizeof out, &why);
		if (r < 0) {
			ck_assert(why && *why);
			continue;
		}
		for (int i = 0; i < r; i++)
			ck_assert(!(out[i] >= 'A' && out[i] <= 'Z') && out[i] != ' ');
		ck_assert_int_eq(cx_norm_email(out, (size_t)r, again, sizeof again, &why), r);
		ck_assert_str_eq(again, out);
		/* in place */
		ck_assert_int_eq(cx_norm_email(in, (size_t)n, in, sizeof in, &why), r);
		ck_assert_str_eq(in, out);
		if (r > 0)   /* one byte short: refused, not cut */
			ck_assert_int_lt(cx_norm_email(out, (size_t)r, again, (size_t)r, &why), 0);
	}
	ck_assert_int_le(cx_norm_email(NULL, 1, out, sizeof out, NULL), 0);
	ck_assert_int_eq(cx_norm_email(" ", 1, out, sizeof out, NULL), 0);
}
END_TEST

START_TEST(ids_canonical_and_idempotent)
{
	static const char *const pieces[] = { "12", "345", ".", "-", " ", "/", "K", "k", "x",
	                                      "E+09", ",02E+09", ".0", "\xc3\xa9", "\t", "0", "HGT",
	                                      "\x01", "\xef\xbb\xbf", "_", "9" };
	char in[128], out[128], again[128];
	rs = 0x1d5;
	for (int k = 0; k < cases(30000); k++) {
		size_t n = 0;
		unsigned parts = 1 + rnd(9);
		const char *why = NULL;
		int r;
		for (unsigned i = 0; i < parts; i++)
			n += (size_t)snprintf(in + n, sizeof in - n, "%s",
			                      pieces[rnd(sizeof pieces / sizeof *pieces)]);
		r = cx_norm_national_id(in, n, out, sizeof out, &why);
		if (r > 0) {
			for (int i = 0; i < r; i++)
				ck_assert((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'A' && out[i] <= 'Z'));
			ck_assert_int_eq(cx_norm_national_id(out, (size_t)r, again, sizeof again, &why), r);
			ck_assert_str_eq(again, out);
			(void)cx_nit_valid(out, (size_t)r);
			(void)cx_curp_valid(out, (size_t)r);
		} else if (r < 0)
			ck_assert(why && *why);
		r = cx_norm_id(in, n, out, sizeof out, &why);
		if (r > 0) {
			ck_assert_int_eq(cx_norm_id(out, (size_t)r, again, sizeof again, &why), r);
			ck_assert_str_eq(again, out);
		} else
			ck_assert(why && *why);
	}
	/* NULL is no value */
	ck_assert_int_le(cx_norm_national_id(NULL, 1, out, sizeof out, NULL), 0);
	ck_assert_int_le(cx_norm_id(NULL, 1, out, sizeof out, NULL), 0);
	ck_assert_int_lt(cx_norm_id("abc", 3, out, 2, NULL), 0);
	ck_assert_int_lt(cx_norm_national_id("123456", 6, out, 3, NULL), 0);
	ck_assert_int_lt(cx_nit_check_digit("", 0), 0);
	ck_assert_int_lt(cx_nit_check_digit("1234567890123456", 16), 0);
	ck_assert_int_lt(cx_nit_check_digit("12a", 3), 0);
	ck_assert_int_eq(cx_nit_valid("1", 1), 0);
	ck_assert_int_eq(cx_nit_valid("12345678901234567", 17), 0);
	ck_assert_int_lt(cx_curp_check_digit("SHORT", 5), 0);
}
END_TEST

/* CURP shapes: each position broken in turn */
START_TEST(curp_positions)
{
	static const char good[] = "GOMA800101HDFRRN09";
	char c[19];
	ck_assert_int_eq(cx_curp_valid_format(good, 18), 1);
	for (int i = 0; i < 18; i++) {
		static const char subs[] = "0A_aHMXZ9";
		for (const char *s = subs; *s; s++) {
			memcpy(c, good, 19);
			c[i] = *s;
			(void)cx_curp_valid_format(c, 18);
			(void)cx_curp_valid(c, 18);
		}
	}
	ck_assert_int_eq(cx_curp_valid_format("GOMA800230HDFRRN09", 18), 0);   /* 30 Feb */
	ck_assert_int_eq(cx_curp_valid_format("GOMA000229HDFRRN09", 18), 1);   /* 2000 leap */
	ck_assert_int_eq(cx_curp_valid_format("GOMA010229HDFRRN09", 18), 0);
	ck_assert_int_eq(cx_curp_valid_format("GOMA801301HDFRRN09", 18), 0);
	ck_assert_int_eq(cx_curp_valid_format("GOMA800101HNERRN09", 18), 1);   /* born abroad */
	ck_assert_int_eq(cx_curp_valid_format(good, 17), 0);
	ck_assert_int_eq(cx_curp_valid_format(NULL, 18), 0);
}
END_TEST

START_TEST(codes_sets_and_numbers)
{
	static const char *const cn[] = { "Colombia", "COL", "co", "M\xc3\xa9xico", "EE.UU.", "U.S.A.",
	                                  "Estados Unidos", "Brasil", "Per\xc3\xba", "Espa\xc3\xb1" "a",
	                                  "Chile", "Argentina", "Ecuador", "Canada", "Narnia", "", "C",
	                                  "United  Kingdom", "0123456789012345678901234567890123456789012345678901234567890123456789" };
	static const char *const ln[] = { "es", "ES", "es-CO", "es_MX", "spa", "espa\xc3\xb1ol",
	                                  "Spanish", "castellano", "ingl\xc3\xa9s", "en-US", "eng",
	                                  "portugu\xc3\xaas", "pt_BR", "por", "fr", "", "e", "toolonglanguage" };
	static const char *const tz[] = { "UTC", "America/Bogota", "America/Argentina/Buenos_Aires",
	                                  "Etc/GMT+5", "", "/x", "x/", "a//b", "America/Bo gota",
	                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/b" };
	static const char *const sets[] = { "sms,email", "SMS; Correo | llamada", "wa+ivr/letter",
	                                    "none", "ninguno", "n/a", "-", "", "sms,,email", "fax",
	                                    "mensaje de texto", " sms , sms ", "dispute;legal",
	                                    "quiebra", "jur\xc3\xad" "dico", "fraude|cease" };
	static const char *const bools[] = { "1", "si", "S\xc3\x8d", "s", "yes", "Y", "true", "t",
	                                     "x", "verdadero", "v", "", "0", "no", "N", "false", "f",
	                                     "falso", "maybe", "2" };
	char buf[64];
	unsigned mask;
	const char *why;
	long long v = 5;

	for (size_t i = 0; i < sizeof cn / sizeof *cn; i++) {
		const char *c = cx_norm_country(cn[i], strlen(cn[i]));
		if (c) {
			ck_assert_uint_eq(strlen(c), 2);
			(void)cx_default_timezone(c);
			(void)cx_phone_calling_code(c);
		}
	}
	ck_assert_ptr_null(cx_norm_country(NULL, 0));
	ck_assert_ptr_null(cx_default_timezone("ZZ"));
	ck_assert_ptr_null(cx_default_timezone(NULL));
	for (size_t i = 0; i < sizeof ln / sizeof *ln; i++) {
		const char *l = cx_norm_language(ln[i], strlen(ln[i]));
		ck_assert(l == NULL || !strcmp(l, "es") || !strcmp(l, "en") || !strcmp(l, "pt"));
	}
	ck_assert_ptr_null(cx_norm_language(NULL, 2));
	for (size_t i = 0; i < sizeof tz / sizeof *tz; i++)
		(void)cx_timezone_valid(tz[i], strlen(tz[i]));
	ck_assert_int_eq(cx_timezone_valid(NULL, 0), 0);
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		why = NULL;
		if (cx_norm_channel_set(sets[i], strlen(sets[i]), &mask, &why) == 0) {
			int k = cx_norm_set_format(buf, sizeof buf, cx_channel_names, mask);
			ck_assert_int_ge(k, 0);
			ck_assert_int_lt(cx_norm_set_format(buf, (size_t)k, cx_channel_names, mask),
			                 mask ? 0 : 1);
		} else
			ck_assert(why && *why);
		why = NULL;
		if (cx_norm_flag_set(sets[i], strlen(sets[i]), &mask, &why) == 0)
			ck_assert_int_ge(cx_norm_set_format(buf, sizeof buf, cx_flag_names, mask), 0);
		else
			ck_assert(why && *why);
	}
	ck_assert_int_eq(cx_norm_channel_set(NULL, 0, &mask, NULL), 0);
	ck_assert_int_lt(cx_norm_channel("", 0), 0);
	ck_assert_int_lt(cx_norm_flag(NULL, 0), 0);
	ck_assert_int_eq(cx_norm_set_format(buf, sizeof buf, cx_flag_names, 0), 0);
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
		(void)cx_norm_bool(bools[i], strlen(bools[i]));
	ck_assert_int_le(cx_norm_bool(NULL, 1), 0);

	static const struct { const char *s; int ok; long long v; } ints[] = {
		{ " 30 ", 1, 30 }, { "+7", 1, 7 }, { "-3", 1, -3 }, { "30.5", 0, 0 }, { "1,000", 0, 0 },
		{ "1E+03", 0, 0 }, { "treinta", 0, 0 }, { "", 0, 0 }, { "  ", 0, 0 }, { "-", 0, 0 },
		{ "99999", 0, 0 }, { "99999999999999999999999", 0, 0 }, { "\t12\r\n", 1, 12 },
	};
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		why = NULL;
		int r = cx_norm_int(ints[i].s, strlen(ints[i].s), -10, 36500, &v, &why);
		ck_assert_msg((r == 0) == ints[i].ok, "%s", ints[i].s);
		if (r == 0)
			ck_assert_int_eq(v, ints[i].v);
		else
			ck_assert(why && *why);
	}
	ck_assert_int_lt(cx_norm_int(NULL, 0, 0, 1, &v, NULL), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_norm");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, phones_canonical_and_idempotent);
	tcase_add_test(tc, emails_canonical_and_idempotent);
	tcase_add_test(tc, ids_canonical_and_idempotent);
	tcase_add_test(tc, curp_positions);
	tcase_add_test(tc, codes_sets_and_numbers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
