/* cx_pseudo: the HMAC-SHA256 primitive against RFC 4231, pinned pseudonyms
 * (computed independently with Python's hmac module), normalisation, key
 * file rules, column selection and in-place replacement. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_mem.h"
#include "cx_pseudo.h"
#include "cx_test.h"

static void hex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* RFC 4231 section 4, HMAC-SHA-256 of test cases 1-7 (case 5 truncated to
 * 128 bits as in the RFC). */
static const struct {
	unsigned char kbyte; size_t klen; int kseq;
	const char *data; unsigned char dbyte; size_t dlen;
	const char *mac;
} rfc4231[] = {
	{0x0b, 20, 0, "Hi There", 0, 0,
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{0, 0, 0, "what do ya want for nothing?", 0, 0,
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{0xaa, 20, 0, NULL, 0xdd, 50,
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	{0, 25, 1, NULL, 0xcd, 50,
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	{0x0c, 20, 0, "Test With Truncation", 0, 0,
	 "a3b6167473100ee06e0c796c2955552b"},
	{0xaa, 131, 0, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	{0xaa, 131, 0, "This is a test using a larger than block-size key and a larger "
	 "than block-size data. The key needs to be hashed before being used by the "
	 "HMAC algorithm.", 0, 0,
	 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

START_TEST(rfc4231_vectors)
{
	unsigned char key[200], data[200], mac[32];
	char got[65];
	size_t klen, dlen;
	if (_i == 1) {
		memcpy(key, "Jefe", 4);
		klen = 4;
	} else {
		klen = rfc4231[_i].klen;
		for (size_t j = 0; j < klen; j++)
			key[j] = rfc4231[_i].kseq ? (unsigned char)(j + 1) : rfc4231[_i].kbyte;
	}
	if (rfc4231[_i].data) {
		dlen = strlen(rfc4231[_i].data);
		memcpy(data, rfc4231[_i].data, dlen);
	} else {
		dlen = rfc4231[_i].dlen;
		memset(data, rfc4231[_i].dbyte, dlen);
	}
	ck_assert_int_eq(cx_pseudo_hmac_sha256(key, klen, data, dlen, mac), 0);
	hex(mac, 32, got);
	got[strlen(rfc4231[_i].mac)] = 0;
	ck_assert_str_eq(got, rfc4231[_i].mac);
}
END_TEST

static struct cx_pseudo *key0(void)
{
	unsigned char k[32];
	struct cx_pseudo *p;
	struct cx_error err = {0};
	for (int i = 0; i < 32; i++)
		k[i] = (unsigned char)i;
	ck_assert_int_eq(cx_pseudo_from_key(&p, k, sizeof k, &err), 0);
	return p;
}

static const struct { const char *col, *val, *want; } pinned[] = {
	{"national_id", "1020304050", "paae8a69032555580a83ec5209afec427"},
	{"national_id", " 1.020.304.050 ", "paae8a69032555580a83ec5209afec427"},
	{"national_id", "1020-304-050", "paae8a69032555580a83ec5209afec427"},
	{"email", "ana@example.com", "p745359c70606fc4f7f5738654325ae1e"},
	{"email", "Ana@Example.COM ", "p745359c70606fc4f7f5738654325ae1e"},
	{"phone", "+573001234567", "p203397309b09e83abe0303dc4e77bbb3"},
	{"phone", "", ""},
	{"phone", "   ", ""},
};

START_TEST(pinned_pseudonyms)
{
	struct cx_pseudo *p = key0();
	char out[CX_PSEUDO_BUFSZ];
	int r = cx_pseudo_value(p, pinned[_i].col, pinned[_i].val, strlen(pinned[_i].val), out);
	ck_assert_int_eq(r, (int)strlen(pinned[_i].want));
	ck_assert_str_eq(out, pinned[_i].want);
	cx_pseudo_free(p);
}
END_TEST

START_TEST(column_separates_and_key_matters)
{
	struct cx_pseudo *p = key0(), *q;
	struct cx_error err = {0};
	char a[CX_PSEUDO_BUFSZ], b[CX_PSEUDO_BUFSZ], c[CX_PSEUDO_BUFSZ];
	unsigned char k[32];
	memset(k, 7, sizeof k);
	ck_assert_int_eq(cx_pseudo_from_key(&q, k, sizeof k, &err), 0);
	cx_pseudo_value(p, "national_id", "3001234567", 10, a);
	cx_pseudo_value(p, "phone", "3001234567", 10, b);
	cx_pseudo_value(q, "national_id", "3001234567", 10, c);
	ck_assert_str_ne(a, b);
	ck_assert_str_ne(a, c);
	/* a long value goes through the heap buffer */
	char big[2000];
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(cx_pseudo_value(p, "name", big, sizeof big, a), CX_PSEUDO_LEN);
	cx_mem_fail_after(1);
	ck_assert_int_eq(cx_pseudo_value(p, "name", big, sizeof big, b), CX_ENOMEM);
	cx_mem_fail_after(0);
	cx_pseudo_free(p);
	cx_pseudo_free(q);
	cx_pseudo_free(NULL);
	ck_assert_int_eq(cx_pseudo_from_key(&q, k, 31, &err), CX_EUSAGE);
	ck_assert_ptr_null(q);
	cx_mem_fail_after(1);
	ck_assert_int_eq(cx_pseudo_from_key(&q, k, 32, &err), CX_ENOMEM);
	cx_mem_fail_after(0);
}
END_TEST

static void write_key(const char *path, size_t n, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc((int)(i * 37 + 11) & 0xff, f);
	fclose(f);
	chmod(path, mode);
}

START_TEST(key_file_rules)
{
	const char *path;
	struct cx_pseudo *p;
	struct cx_error err = {0};
	tmp_setup();
	path = P("key");

	write_key(path, 32, 0600);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), 0);
	cx_pseudo_free(p);

	write_key(path, 32, 0640);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), CX_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "group or others"));
	write_key(path, 32, 0604);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), CX_EUSAGE);

	write_key(path, 31, 0600);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), CX_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "too short"));
	write_key(path, CX_PSEUDO_MAX_KEY + 1, 0600);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), CX_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "too long"));
	write_key(path, CX_PSEUDO_MAX_KEY, 0400);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), 0);
	cx_pseudo_free(p);

	ck_assert_int_eq(cx_pseudo_open(&p, tmpdir, &err), CX_EUSAGE);   /* directory (0700) */
	unlink(path);
	ck_assert_int_eq(cx_pseudo_open(&p, path, &err), CX_ENOINPUT);
	ck_assert_ptr_null(p);
	tmp_teardown();
}
END_TEST

START_TEST(apply_columns)
{
	struct cx_pseudo *p = key0();
	struct cx_error err = {0};
	const char *names[] = {"customer_key", "national_id", "name", "email", "phone"};
	struct cx_field f[5] = {
		{"c1", 2}, {"1020304050", 10}, {"Ana", 3}, {"ana@example.com", 15}, {"", 0},
	};
	size_t idx[5], n;
	char bufs[5][CX_PSEUDO_BUFSZ];

	ck_assert_int_eq(cx_pseudo_columns(names, 5, NULL, idx, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(cx_pseudo_apply_columns(p, names, f, 5, idx, n, bufs, &err), 0);
	ck_assert_str_eq(f[0].p, "c1");
	ck_assert_str_eq(f[1].p, "paae8a69032555580a83ec5209afec427");
	ck_assert_uint_eq(f[1].n, CX_PSEUDO_LEN);
	ck_assert_str_eq(f[2].p, "Ana");
	ck_assert_str_eq(f[3].p, "p745359c70606fc4f7f5738654325ae1e");
	ck_assert_str_eq(f[4].p, "");
	ck_assert_uint_eq(f[4].n, 0);

	ck_assert_int_eq(cx_pseudo_columns(names, 5, "name,name,email", idx, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(idx[0], 2);
	ck_assert_uint_eq(idx[1], 3);
	ck_assert_int_eq(cx_pseudo_columns(names, 5, "balance", idx, &n, &err), CX_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "'balance'"));
	ck_assert_int_eq(cx_pseudo_columns(names, 5, "email,", idx, &n, &err), CX_EUSAGE);
	ck_assert_int_eq(cx_pseudo_columns(names, 1, "phone", idx, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	idx[0] = 9;
	ck_assert_int_eq(cx_pseudo_apply_columns(p, names, f, 5, idx, 1, bufs, &err), CX_EINTERNAL);
	cx_pseudo_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pseudo");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, rfc4231_vectors, 0, (int)(sizeof rfc4231 / sizeof rfc4231[0]));
	tcase_add_loop_test(tc, pinned_pseudonyms, 0, (int)(sizeof pinned / sizeof pinned[0]));
	tcase_add_test(tc, column_separates_and_key_matters);
	tcase_add_test(tc, key_file_rules);
	tcase_add_test(tc, apply_columns);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
