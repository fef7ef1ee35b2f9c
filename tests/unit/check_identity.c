/* cx_identity: union-find linking (transitive, across sources), duplicate
 * and conflicting accounts, customer keys independent of input order,
 * linking types kept apart, memory accounted and released at finish. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_identity.h"

struct acct { const char *src, *acc, *natid, *email; };

/* Build an identity over accounts in the order given by perm; keys[i] gets
 * the customer key of accounts[i]. */
static size_t run(const struct acct *a, size_t n, const size_t *perm, unsigned link,
                  uint64_t *keys)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	uint32_t ord[32];
	size_t i, c;

	ck_assert_ptr_nonnull(id);
	for (i = 0; i < n; i++) {
		const struct acct *x = &a[perm[i]];
		ck_assert_int_eq(cx_identity_add(id, x->src, strlen(x->src), x->acc, strlen(x->acc),
		                                 perm[i], &ord[perm[i]], &err), CX_ID_NEW);
		if ((link & CX_LINK_ID) && x->natid)
			ck_assert_int_eq(cx_identity_link(id, ord[perm[i]], CX_LINK_ID, x->natid,
			                                  strlen(x->natid), &err), 0);
		if ((link & CX_LINK_EMAIL) && x->email)
			ck_assert_int_eq(cx_identity_link(id, ord[perm[i]], CX_LINK_EMAIL, x->email,
			                                  strlen(x->email), &err), 0);
	}
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	for (i = 0; i < n; i++)
		keys[i] = cx_identity_key(id, ord[i]);
	c = cx_identity_customers(id);
	cx_identity_free(id);
	return c;
}

static const struct acct accts[] = {
	{ "cards", "A1", "1020304050", "ana@x.co" },
	{ "loans", "L9", "1020304050", NULL },       /* same id as A1 */
	{ "cards", "A2", "79555444", "luis@x.co" },
	{ "billing", "S1", NULL, "luis@x.co" },      /* same email as A2 */
	{ "billing", "S2", "55555555", "ana@x.co" }, /* email links it to A1 */
	{ "cards", "A3", NULL, NULL },
};
#define N (sizeof accts / sizeof accts[0])

START_TEST(link_by_id)
{
	size_t perm[N] = { 0, 1, 2, 3, 4, 5 };
	uint64_t k[N];
	ck_assert_int_eq(run(accts, N, perm, CX_LINK_ID, k), 5);
	ck_assert(k[0] == k[1]);
	ck_assert(k[2] != k[3] && k[0] != k[4] && k[0] != k[5]);
	/* key = hash of the smallest "source\x1faccount": "cards\x1f" "A1" */
	ck_assert(k[0] == cx_hash64("cards\x1f" "A1", 8, 0));
	ck_assert(k[5] == cx_hash64("cards\x1f" "A3", 8, 0));
}
END_TEST

START_TEST(link_transitive)
{
	size_t perm[N] = { 0, 1, 2, 3, 4, 5 };
	uint64_t k[N];
	ck_assert_int_eq(run(accts, N, perm, CX_LINK_ID | CX_LINK_EMAIL, k), 3);
	ck_assert(k[0] == k[1] && k[1] == k[4]);
	ck_assert(k[2] == k[3]);
	ck_assert(k[2] == cx_hash64("billing\x1f" "S1", 10, 0));
}
END_TEST

START_TEST(order_independent)
{
	uint64_t base[N], k[N];
	size_t perm[N] = { 0, 1, 2, 3, 4, 5 };
	unsigned seed = 7;
	run(accts, N, perm, CX_LINK_ID | CX_LINK_EMAIL, base);
	for (int t = 0; t < 50; t++) {
		for (size_t i = N - 1; i > 0; i--) {
			size_t j, tmp;
			seed = seed * 1103515245u + 12345u;
			j = (seed >> 8) % (i + 1);
			tmp = perm[i];
			perm[i] = perm[j];
			perm[j] = tmp;
		}
		run(accts, N, perm, CX_LINK_ID | CX_LINK_EMAIL, k);
		ck_assert(memcmp(base, k, sizeof k) == 0);
	}
}
END_TEST

START_TEST(duplicates)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	uint32_t o1, o2;
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "A", 1, 42, &o1, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "A", 1, 42, &o2, &err), CX_ID_DUPLICATE);
	ck_assert_int_eq(o1, o2);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "A", 1, 43, &o2, &err), CX_ID_CONFLICT);
	/* the separator keeps ("s","xA") and ("sx","A") apart */
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "xA", 2, 1, &o2, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_add(id, "sx", 2, "A", 1, 1, &o2, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_accounts(id), 3);
	cx_identity_free(id);
}
END_TEST

START_TEST(many)
{
	/* 200k accounts, every 4 share an id: 50k customers; exercises rehash */
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	char a[32], n[32];
	uint32_t o;
	for (int i = 0; i < 200000; i++) {
		int la = snprintf(a, sizeof a, "A%07d", i);
		int ln = snprintf(n, sizeof n, "ID%07d", i / 4);
		ck_assert_int_eq(cx_identity_add(id, "src", 3, a, (size_t)la, (uint64_t)i, &o, &err), CX_ID_NEW);
		ck_assert_int_eq(cx_identity_link(id, o, CX_LINK_ID, n, (size_t)ln, &err), 0);
	}
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_int_eq(cx_identity_customers(id), 50000);
	ck_assert(cx_identity_key(id, 4) == cx_identity_key(id, 7));
	ck_assert(cx_identity_key(id, 3) != cx_identity_key(id, 4));
	cx_identity_free(id);
}
END_TEST

START_TEST(key_text)
{
	char b[20];
	ck_assert_int_eq(cx_identity_key_text(0x0123456789abcdefULL, b), 17);
	ck_assert_str_eq(b, "c0123456789abcdef");
}
END_TEST

START_TEST(link_types_apart)
{
	/* an id and a phone with the same digits link nothing; an account key
	 * and a linking value with the same bytes do not meet either */
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	uint32_t a, b, c;
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "A", 1, 1, &a, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, "B", 1, 2, &b, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_link(id, a, CX_LINK_ID, "3001234567", 10, &err), 0);
	ck_assert_int_eq(cx_identity_link(id, b, CX_LINK_PHONE, "3001234567", 10, &err), 0);
	ck_assert_int_eq(cx_identity_link(id, b, CX_LINK_ID, "s\x1f" "A", 3, &err), 0);
	ck_assert_int_eq(cx_identity_add(id, "I3001234567", 11, "x", 1, 3, &c, &err), CX_ID_NEW);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_int_eq(cx_identity_customers(id), 3);
	cx_identity_free(id);
}
END_TEST

START_TEST(memory)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	char a[32];
	uint32_t o;
	size_t m0 = cx_identity_memory(id), m1;
	for (int i = 0; i < 100000; i++) {
		int la = snprintf(a, sizeof a, "A%07d", i);
		ck_assert_int_eq(cx_identity_add(id, "src", 3, a, (size_t)la, 1, &o, &err), CX_ID_NEW);
		ck_assert_int_eq(cx_identity_link(id, o, CX_LINK_ID, a + 1, (size_t)la - 1, &err), 0);
	}
	m1 = cx_identity_memory(id);
	ck_assert_uint_gt(m1, m0);
	/* 100k accounts and 100k values: slots, arrays and bytes, under 100 B each */
	ck_assert_uint_lt(m1, 100000u * 100);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_uint_le(cx_identity_memory(id), 131072u * 8);
	ck_assert_int_eq(cx_identity_customers(id), 100000);
	cx_identity_free(id);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, link_by_id);
	tcase_add_test(tc, link_transitive);
	tcase_add_test(tc, order_independent);
	tcase_add_test(tc, duplicates);
	tcase_add_test(tc, many);
	tcase_add_test(tc, key_text);
	tcase_add_test(tc, link_types_apart);
	tcase_add_test(tc, memory);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
