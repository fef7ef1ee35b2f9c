/* cx_identity: union-find linking (transitive, across sources), duplicate
 * and conflicting accounts, customer keys independent of input order,
 * linking types kept apart, memory accounted and released at finish. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
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
	/* every digit value in every place, and the extremes, against printf */
	uint64_t k = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 20000; i++) {
		char want[20];
		uint64_t key = i == 0 ? 0 : i == 1 ? ~0ULL : i == 2 ? 0xa0a0a0a09f9f9f9fULL : k;
		snprintf(want, sizeof want, "c%016llx", (unsigned long long)key);
		memset(b, 'x', sizeof b);
		ck_assert_int_eq(cx_identity_key_text(key, b), 17);
		ck_assert_str_eq(b, want);
		k = k * 6364136223846793005ULL + 1442695040888963407ULL;
	}
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
	/* 100k accounts and 100k values: slots, arrays and bytes, within the
	 * 110 B per account of cx_identity.h (here the key bytes of accounts
	 * and the records of values each hold the slack of a doubling) */
	ck_assert_uint_lt(m1, 100000u * 110);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_uint_le(cx_identity_memory(id), 131072u * 8);
	ck_assert_int_eq(cx_identity_customers(id), 100000);
	cx_identity_free(id);
}
END_TEST

/* A workload with duplicates, conflicts and links by id and e-mail, run
 * with the index in memory and spilled (limit > 0); every add's result and
 * ordinal and every customer key are recorded. */
#define WN 60000
struct wl { int st[WN]; uint32_t ord[WN]; uint64_t key[WN]; size_t customers; };
static size_t wl_expect;   /* > 0: cx_identity_expect(id, wl_expect) after 1000 rows */

static void workload(size_t limit, struct wl *w)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	char a[32], v[32];
	size_t i;

	ck_assert_ptr_nonnull(id);
	if (limit)
		ck_assert_int_eq(cx_identity_set_spill(id, limit, NULL, &err), 0);
	for (i = 0; i < WN; i++) {
		/* every 7th row repeats an earlier account, with the same content
		 * (even i) or a different one (odd i) */
		size_t acc = i % 7 == 6 ? (i * 31) % (i - 3) : i;
		if (wl_expect && i == 1000)
			cx_identity_expect(id, wl_expect);
		uint64_t content = i % 7 == 6 && i % 2 ? 1000000 + i : acc;
		int la = snprintf(a, sizeof a, "A%06zu", acc), lv;
		w->st[i] = cx_identity_add(id, i % 3 ? "cards" : "loans", 5, a, (size_t)la, content,
		                           &w->ord[i], &err);
		ck_assert_int_ge(w->st[i], 0);
		if (w->st[i] != CX_ID_NEW)
			continue;
		/* ids shared by accounts far apart; e-mails chain neighbours */
		lv = snprintf(v, sizeof v, "%zu", (acc * 7919) % 9000);
		ck_assert_int_eq(cx_identity_link(id, w->ord[i], CX_LINK_ID, v, (size_t)lv, &err), 0);
		if (acc % 5 == 0) {
			lv = snprintf(v, sizeof v, "m%zu@x.co", acc / 10);
			ck_assert_int_eq(cx_identity_link(id, w->ord[i], CX_LINK_EMAIL, v, (size_t)lv,
			                                  &err), 0);
		}
	}
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	for (i = 0; i < WN; i++)
		w->key[i] = cx_identity_key(id, w->ord[i]);
	w->customers = cx_identity_customers(id);
	if (limit)
		ck_assert_uint_le(cx_identity_memory(id), (size_t)65536 * 8);
	cx_identity_free(id);
}

START_TEST(spill_same_result)
{
	static struct wl mem, sp;
	/* 1: spilled from the first account; 300k: after ~3000 accounts, with
	 * link values already joined in memory; 3M: near the end; 4M: the
	 * index fits */
	static const size_t limits[] = { 1, 300000, 3000000, 4000000 };
	size_t t, dup = 0, conf = 0;

	workload(0, &mem);
	for (t = 0; t < WN; t++) {
		dup += mem.st[t] == CX_ID_DUPLICATE;
		conf += mem.st[t] == CX_ID_CONFLICT;
	}
	ck_assert_uint_gt(dup, 1000);
	ck_assert_uint_gt(conf, 1000);
	ck_assert_uint_lt(mem.customers, WN / 4);
	for (t = 0; t < sizeof limits / sizeof limits[0]; t++) {
		workload(limits[t], &sp);
		ck_assert_uint_eq(sp.customers, mem.customers);
		ck_assert(memcmp(sp.st, mem.st, sizeof sp.st) == 0);
		ck_assert(memcmp(sp.ord, mem.ord, sizeof sp.ord) == 0);
		ck_assert(memcmp(sp.key, mem.key, sizeof sp.key) == 0);
	}
}
END_TEST

/* cx_identity_expect is a hint: the same results whether the table was
 * sized for all the accounts, far too many, too few, or under a limit. */
START_TEST(expect_same_result)
{
	static struct wl plain, hinted;
	static const size_t hints[] = { WN, 50 * WN, WN / 10, 2000 };
	static const size_t limits[] = { 0, 0, 0, 300000 };
	size_t t;

	workload(0, &plain);
	for (t = 0; t < sizeof hints / sizeof hints[0]; t++) {
		wl_expect = hints[t];
		workload(limits[t], &hinted);
		wl_expect = 0;
		ck_assert_uint_eq(hinted.customers, plain.customers);
		ck_assert(memcmp(hinted.st, plain.st, sizeof plain.st) == 0);
		ck_assert(memcmp(hinted.ord, plain.ord, sizeof plain.ord) == 0);
		ck_assert(memcmp(hinted.key, plain.key, sizeof plain.key) == 0);
	}
}
END_TEST

/* The table grows once to the size expected; not when it would be over a
 * quarter of the limit. */
START_TEST(expect_sizes_table)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	char a[32];
	uint32_t o;
	size_t m0, m1;
	int i;

	ck_assert_ptr_nonnull(id);
	cx_identity_expect(id, 1000000);   /* nothing added yet: no ratio, no change */
	m0 = cx_identity_memory(id);
	for (i = 0; i < 100; i++) {
		int la = snprintf(a, sizeof a, "A%07d", i);
		ck_assert_int_eq(cx_identity_add(id, "src", 3, a, (size_t)la, 1, &o, &err), CX_ID_NEW);
	}
	m0 = cx_identity_memory(id);
	cx_identity_expect(id, 100000);
	m1 = cx_identity_memory(id);
	/* 100k keys at most 3/4 full: 256k slots of 8 bytes, in one step */
	ck_assert_uint_ge(m1, m0 + (131072u * 8));
	cx_identity_free(id);

	id = cx_identity_new();
	ck_assert_ptr_nonnull(id);
	ck_assert_int_eq(cx_identity_set_spill(id, 4u << 20, NULL, &err), 0);
	for (i = 0; i < 100; i++) {
		int la = snprintf(a, sizeof a, "A%07d", i);
		ck_assert_int_eq(cx_identity_add(id, "src", 3, a, (size_t)la, 1, &o, &err), CX_ID_NEW);
	}
	m0 = cx_identity_memory(id);
	cx_identity_expect(id, 10000000);   /* 16M slots: far over a quarter of 4 MiB */
	ck_assert_uint_eq(cx_identity_memory(id), m0);
	cx_identity_expect(id, 50000);      /* 128k slots, 1 MiB: a quarter */
	ck_assert_uint_ge(cx_identity_memory(id), m0 + (65536u * 8));
	ck_assert_uint_le(cx_identity_memory(id), 4u << 20);
	cx_identity_free(id);
}
END_TEST

/* Expecting n accounts sizes the per-account arrays and key bytes too
 * (on huge pages from the start): adding them grows nothing more, and
 * the results are those of an index grown as needed. */
START_TEST(expect_sizes_arrays)
{
	struct cx_identity *id = cx_identity_new(), *plain = cx_identity_new();
	struct cx_error err;
	char a[32];
	uint32_t o, po;
	size_t m1;
	int i;

	ck_assert_ptr_nonnull(id);
	ck_assert_ptr_nonnull(plain);
	for (i = 0; i < 200000; i++) {
		int la = snprintf(a, sizeof a, "A%07d", i);
		if (i == 1000) {
			cx_identity_expect(id, 200000);
			m1 = cx_identity_memory(id);
			/* 18 bytes per account, and its 11 key bytes and 12 bytes
			 * of value record, for 200k accounts */
			ck_assert_uint_ge(m1, 200000u * (18 + 11 + 12));
		}
		ck_assert_int_eq(cx_identity_add(id, "src", 3, a, (size_t)la, (uint64_t)i, &o, &err),
		                 CX_ID_NEW);
		ck_assert_int_eq(cx_identity_add(plain, "src", 3, a, (size_t)la, (uint64_t)i, &po,
		                                 &err), CX_ID_NEW);
		ck_assert_uint_eq(o, po);
		ck_assert_int_eq(cx_identity_link(id, o, CX_LINK_ID, a + 3, 5, &err), 0);
		ck_assert_int_eq(cx_identity_link(plain, po, CX_LINK_ID, a + 3, 5, &err), 0);
	}
	/* nothing grew past the sizes expected (the table is counted three
	 * times when close to doubling, which it is not) */
	ck_assert_uint_eq(cx_identity_memory(id), m1);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_int_eq(cx_identity_finish(plain, &err), 0);
	ck_assert_uint_eq(cx_identity_customers(id), cx_identity_customers(plain));
	for (i = 0; i < 200000; i++)
		ck_assert_uint_eq(cx_identity_key(id, (uint32_t)i), cx_identity_key(plain, (uint32_t)i));
	cx_identity_free(id);
	cx_identity_free(plain);
}
END_TEST

START_TEST(spill_transitive)
{
	/* a chain: account i shares an id with i+1 (even i) or an e-mail (odd
	 * i); with a small limit the links sit in several sorted runs, and
	 * the whole chain is one customer keyed by its smallest account */
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	char a[32], v[32];
	uint32_t o;
	int i, la, lv;

	ck_assert_int_eq(cx_identity_set_spill(id, 1, NULL, &err), 0);
	for (i = 0; i < 40000; i++) {
		int j = (i * 7) % 40000;   /* not in chain order */
		la = snprintf(a, sizeof a, "K%05d", j);
		ck_assert_int_eq(cx_identity_add(id, "s", 1, a, (size_t)la, 0, &o, &err), CX_ID_NEW);
		lv = snprintf(v, sizeof v, "%d", j / 2 * 2);
		ck_assert_int_eq(cx_identity_link(id, o, CX_LINK_ID, v, (size_t)lv, &err), 0);
		lv = snprintf(v, sizeof v, "e%d", (j + 1) / 2 * 2);
		ck_assert_int_eq(cx_identity_link(id, o, CX_LINK_EMAIL, v, (size_t)lv, &err), 0);
	}
	ck_assert_uint_le(cx_identity_memory(id), 4u << 20);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_int_eq(cx_identity_customers(id), 1);
	ck_assert(cx_identity_key(id, 0) == cx_hash64("s\x1f" "K00000", 8, 0));
	ck_assert(cx_identity_key(id, 39999) == cx_identity_key(id, 0));
	cx_identity_free(id);
}
END_TEST

struct hi { uint32_t h, i; };

static int hi_cmp(const void *a, const void *b)
{
	const struct hi *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

START_TEST(spill_hash_collision)
{
	/* two account keys whose table hashes are equal are still two
	 * accounts when spilled: keys are compared, not hashes */
	static struct hi t[200000];
	char k[32], a[32];
	size_t i, n = sizeof t / sizeof t[0];
	int x = -1, y = -1;
	struct cx_identity *id;
	struct cx_error err;
	uint32_t o1, o2, o3;

	for (i = 0; i < n; i++) {
		int l = snprintf(k, sizeof k, "s\x1f" "X%zu", i);
		t[i].h = (uint32_t)(cx_identity_hash(k, (size_t)l) >> 32) | 1;
		t[i].i = (uint32_t)i;
	}
	qsort(t, n, sizeof t[0], hi_cmp);
	for (i = 1; i < n && x < 0; i++)
		if (t[i].h == t[i - 1].h) {
			x = (int)t[i - 1].i;
			y = (int)t[i].i;
		}
	ck_assert_int_ge(x, 0);
	id = cx_identity_new();
	ck_assert_int_eq(cx_identity_set_spill(id, 1, NULL, &err), 0);
	snprintf(a, sizeof a, "X%d", x);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, a, strlen(a), 5, &o1, &err), CX_ID_NEW);
	/* push the first key out of the write buffer onto disk */
	for (i = 0; i < 100000; i++) {
		int l = snprintf(k, sizeof k, "pad%zu", i);
		ck_assert_int_eq(cx_identity_add(id, "p", 1, k, (size_t)l, 0, &o3, &err), CX_ID_NEW);
	}
	snprintf(a, sizeof a, "X%d", y);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, a, strlen(a), 5, &o2, &err), CX_ID_NEW);
	ck_assert_uint_ne(o1, o2);
	snprintf(a, sizeof a, "X%d", x);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, a, strlen(a), 5, &o3, &err), CX_ID_DUPLICATE);
	ck_assert_uint_eq(o3, o1);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, a, strlen(a), 6, &o3, &err), CX_ID_CONFLICT);
	snprintf(a, sizeof a, "X%d", y);
	ck_assert_int_eq(cx_identity_add(id, "s", 1, a, strlen(a), 6, &o3, &err), CX_ID_CONFLICT);
	ck_assert_uint_eq(o3, o2);
	ck_assert_int_eq(cx_identity_finish(id, &err), 0);
	ck_assert_int_eq(cx_identity_customers(id), 100002);
	ck_assert(cx_identity_key(id, o1) != cx_identity_key(id, o2));
	cx_identity_free(id);
}
END_TEST

START_TEST(spill_tmpdir_error)
{
	struct cx_identity *id = cx_identity_new();
	struct cx_error err;
	uint32_t o;

	ck_assert_int_eq(cx_identity_set_spill(id, 1, "/nonexistent/dir", &err), 0);
	ck_assert_int_lt(cx_identity_add(id, "s", 1, "A", 1, 1, &o, &err), 0);
	ck_assert_int_eq(err.code, CX_ECREAT);
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
	tcase_add_test(tc, spill_same_result);
	tcase_add_test(tc, expect_sizes_arrays);
	tcase_add_test(tc, expect_same_result);
	tcase_add_test(tc, expect_sizes_table);
	tcase_add_test(tc, spill_transitive);
	tcase_add_test(tc, spill_hash_collision);
	tcase_add_test(tc, spill_tmpdir_error);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
