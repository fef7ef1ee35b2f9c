/* cx_identity: the table hash agrees with the word-by-word reference on
 * random keys of every tail length; add and link with the slot hash
 * computed beforehand (cx_identity_add_h, cx_identity_link_h) give the same
 * ordinals, duplicates and customer keys as without, in memory and
 * spilled. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_identity.h"
#include "cx_test.h"

/* cx_identity_hash as first written: the tail through a memcpy of n bytes */
static uint64_t ref_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
		h ^= h >> 29;
		b += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, b, n);
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
	}
	return cx_hash_fmix64(h);
}

START_TEST(hash_matches_reference)
{
	unsigned char buf[80];
	size_t n, off, i;
	int t;

	srand(7);
	for (t = 0; t < 2000; t++) {
		n = (size_t)t % 65;
		off = (size_t)rand() % 8;
		for (i = 0; i < n; i++)
			buf[off + i] = (unsigned char)rand();
		ck_assert_uint_eq(cx_identity_hash(buf + off, n), ref_hash(buf + off, n));
	}
}
END_TEST

#define N 3000

/* the same accounts and national ids through both entry points */
static void run_both(size_t spill)
{
	struct cx_identity *a = cx_identity_new(), *b = cx_identity_new();
	struct cx_error err;
	char acc[32], nat[32];
	uint32_t oa, ob;
	int i;

	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(cx_identity_set_spill(a, spill, NULL, &err), 0);
	ck_assert_int_eq(cx_identity_set_spill(b, spill, NULL, &err), 0);
	srand(11);
	for (i = 0; i < N; i++) {
		/* repeats (duplicates and conflicts) and shared national ids */
		int k = rand() % (N - N / 10), m = rand() % (N / 3);
		uint64_t content = (uint64_t)(rand() % 2);
		uint32_t h, hn;
		int ra, rb;
		size_t an = (size_t)snprintf(acc, sizeof acc, "A%d", k);
		size_t nn = (size_t)snprintf(nat, sizeof nat, "%0*d", 5 + m % 9, m);

		ra = cx_identity_add(a, "src", 3, acc, an, content, &oa, &err);
		h = cx_identity_slot_hash(0, "src", 3, acc, an);
		hn = cx_identity_slot_hash(CX_LINK_ID, nat, nn, NULL, 0);
		cx_identity_prefetch_h(b, 0, h, 0);
		cx_identity_prefetch_h(b, CX_LINK_ID, hn, 0);
		rb = cx_identity_add_h(b, "src", 3, acc, an, h, content, &ob, &err);
		ck_assert_int_ge(ra, 0);
		ck_assert_int_eq(ra, rb);
		ck_assert_uint_eq(oa, ob);
		if (ra != CX_ID_NEW)
			continue;
		ck_assert_int_eq(cx_identity_link(a, oa, CX_LINK_ID, nat, nn, &err), 0);
		ck_assert_int_eq(cx_identity_link_h(b, ob, CX_LINK_ID, nat, nn, hn, &err), 0);
	}
	ck_assert_int_eq(cx_identity_finish(a, &err), 0);
	ck_assert_int_eq(cx_identity_finish(b, &err), 0);
	ck_assert_uint_eq(cx_identity_accounts(a), cx_identity_accounts(b));
	ck_assert_uint_eq(cx_identity_customers(a), cx_identity_customers(b));
	for (oa = 0; oa < cx_identity_accounts(a); oa++)
		ck_assert_uint_eq(cx_identity_key(a, oa), cx_identity_key(b, oa));
	cx_identity_free(a);
	cx_identity_free(b);
}

START_TEST(hashed_same_result)
{
	run_both(0);
}
END_TEST

START_TEST(hashed_same_result_spilled)
{
	run_both(64u << 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("identity_hash");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_matches_reference);
	tcase_add_test(tc, hashed_same_result);
	tcase_add_test(tc, hashed_same_result_spilled);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
