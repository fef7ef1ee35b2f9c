/* Fuzz target: cx_norm normalisers.  The first byte picks the default
 * country for phones; the rest goes through every normaliser.  Nothing may
 * crash; every result must have its documented shape and normalising a
 * result again must give it back unchanged (idempotence), and the fast
 * paths for common shapes must agree with the general code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_norm.h"
#include "cx_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static const char *const countries[] = {"CO", "MX", "US", "CA", "ES", "PE", "CL", "AR",
                                        "BR", "EC", "FR", NULL};

/* The fast paths must agree with the general code: return value, reason
 * and every byte of the output buffer, with a buffer that fits and one
 * exactly the input's size plus one (as cx_ingest passes), and in place
 * (not for phones, whose general code clears out[0] before reading). */
typedef int (*norm_fn)(const char *, size_t, char *, size_t, const char **);

static const char *diff_cc;

static int phone_api(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	return cx_norm_phone(s, n, diff_cc, out, outsz, why);
}

static int phone_general_api(const char *s, size_t n, char *out, size_t outsz, const char **why)
{
	return cx_norm_phone_general(s, n, diff_cc, out, outsz, why);
}

static void differential(const char *cc, const char *s, size_t n)
{
	static const norm_fn fast[4] = {phone_api, cx_norm_email, cx_norm_national_id, cx_norm_id};
	static const norm_fn general[4] = {phone_general_api, cx_norm_email_general,
	                                   cx_norm_national_id_general, cx_norm_id_general};
	char o1[256], o2[256];
	const char *w1, *w2;

	diff_cc = cc;
	for (int f = 0; f < 4; f++) {
		size_t sizes[2] = {sizeof o1, n + 1 < sizeof o1 ? n + 1 : sizeof o1};
		for (int k = 0; k < 2; k++) {
			memset(o1, 'Q', sizeof o1);
			memset(o2, 'Q', sizeof o2);
			w1 = w2 = "unset";
			int r1 = fast[f](s, n, o1, sizes[k], &w1);
			int r2 = general[f](s, n, o2, sizes[k], &w2);
			check(r1 == r2 && strcmp(w1, w2) == 0 && memcmp(o1, o2, sizeof o1) == 0);
		}
		if (f > 0 && n < sizeof o1) {
			memset(o1, 'Q', sizeof o1);
			memcpy(o1, s, n);
			memcpy(o2, o1, sizeof o1);
			w1 = w2 = "unset";
			int r1 = fast[f](o1, n, o1, sizeof o1, &w1);
			int r2 = general[f](o2, n, o2, sizeof o2, &w2);
			check(r1 == r2 && strcmp(w1, w2) == 0 && memcmp(o1, o2, sizeof o1) == 0);
		}
	}
	for (int f = 0; f < 2; f++) {
		unsigned m1 = 99, m2 = 99;
		w1 = w2 = "unset";
		int r1 = f ? cx_norm_flag_set(s, n, &m1, &w1) : cx_norm_channel_set(s, n, &m1, &w1);
		int r2 = f ? cx_norm_flag_set_general(s, n, &m2, &w2)
		           : cx_norm_channel_set_general(s, n, &m2, &w2);
		check(r1 == r2 && m1 == m2 && strcmp(w1, w2) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *cc = countries[data[0] % 12];   /* index 11: NULL */
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	const char *why;
	char out[256], again[256];
	int r, r2;

	differential(cc, s, n);

	why = NULL;
	r = cx_norm_phone(s, n, cc, out, CX_PHONE_BUFSZ, &why);
	if (r > 0) {
		check(out[0] == '+' && r >= 8 && r <= 16 && (size_t)r == strlen(out));
		for (int i = 1; i < r; i++)
			check(out[i] >= '0' && out[i] <= '9');
		r2 = cx_norm_phone(out, (size_t)r, NULL, again, sizeof again, &why);
		check(r2 == r && strcmp(again, out) == 0);
	} else if (r < 0) {
		check(why && why[0]);
	}

	why = NULL;
	r = cx_norm_email(s, n, out, sizeof out, &why);
	if (r > 0) {
		check(strchr(out, '@') != NULL && strchr(out, ' ') == NULL);
		r2 = cx_norm_email(out, (size_t)r, again, sizeof again, &why);
		check(r2 == r && strcmp(again, out) == 0);
	} else if (r < 0) {
		check(why && why[0]);
	}

	why = NULL;
	r = cx_norm_national_id(s, n, out, sizeof out, &why);
	if (r > 0) {
		for (int i = 0; i < r; i++)
			check((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'A' && out[i] <= 'Z'));
		r2 = cx_norm_national_id(out, (size_t)r, again, sizeof again, &why);
		/* an all-digit-and-E result can look scientific only with a sign,
		 * which a result never has */
		check(r2 == r && strcmp(again, out) == 0);
		(void)cx_nit_valid(out, (size_t)r);
		(void)cx_curp_valid(out, (size_t)r);
	} else if (r < 0) {
		check(why && why[0]);
	}
	(void)cx_nit_check_digit(s, n);
	(void)cx_curp_check_digit(s, n);

	why = NULL;
	r = cx_norm_id(s, n, out, sizeof out, &why);
	if (r >= 0) {
		check(r > 0);
		r2 = cx_norm_id(out, (size_t)r, again, sizeof again, &why);
		check(r2 == r && strcmp(again, out) == 0);
	} else {
		check(why && why[0]);
	}

	const char *c = cx_norm_country(s, n);
	if (c) {
		check(strlen(c) == 2);
		const char *c2 = cx_norm_country(c, 2);
		check(c2 && strcmp(c2, c) == 0);
	}
	const char *l = cx_norm_language(s, n);
	if (l) {
		const char *l2 = cx_norm_language(l, 2);
		check(l2 && strcmp(l2, l) == 0);
	}
	const char *z = cx_default_timezone(c);
	if (z)
		check(cx_timezone_valid(z, strlen(z)));
	(void)cx_timezone_valid(s, n);
	(void)cx_norm_bool(s, n);

	long long iv, iv2;
	why = NULL;
	if (cx_norm_int(s, n, -1000000, 1000000, &iv, &why) == 0) {
		char num[32];
		int k2 = snprintf(num, sizeof num, "%lld", iv);
		check(iv >= -1000000 && iv <= 1000000);
		check(cx_norm_int(num, (size_t)k2, -1000000, 1000000, &iv2, &why) == 0 && iv2 == iv);
	} else {
		check(why && why[0]);
	}

	unsigned mask, mask2;
	int k = cx_norm_channel(s, n);
	check(k >= -1 && k < 8);
	k = cx_norm_flag(s, n);
	check(k >= -1 && k < 7);
	why = NULL;
	if (cx_norm_flag_set(s, n, &mask, &why) == 0) {
		r = cx_norm_set_format(out, sizeof out, cx_flag_names, mask);
		check(r >= 0);
		check(cx_norm_flag_set(out, (size_t)r, &mask2, &why) == 0 && mask2 == mask);
	} else {
		check(why && why[0]);
	}
	why = NULL;
	if (cx_norm_channel_set(s, n, &mask, &why) == 0) {
		r = cx_norm_set_format(out, sizeof out, cx_channel_names, mask);
		check(r >= 0);
		check(cx_norm_channel_set(out, (size_t)r, &mask2, &why) == 0 && mask2 == mask);
	} else {
		check(why && why[0]);
	}
	return 0;
}
