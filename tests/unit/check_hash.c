/* cx_hash64 is part of the data contract (customer keys, arms, shards): its
 * values are pinned here and must never change.  Also the string map and
 * the ledger. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_hash.h"
#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_tsv.h"

START_TEST(pinned_values)
{
	/* FNV-1a 64 of "" is the offset basis; fmix64 of it is pinned. */
	ck_assert_uint_eq(cx_hash64("", 0, 0), cx_hash_fmix64(0xcbf29ce484222325ULL));
	/* FNV-1a 64("a") = 0xaf63dc4c8601ec8c (published test vector). */
	ck_assert_uint_eq(cx_hash64("a", 1, 0), cx_hash_fmix64(0xaf63dc4c8601ec8cULL));
	ck_assert_uint_eq(cx_hash64("foobar", 6, 0), cx_hash_fmix64(0x85944171f73967e8ULL));
	ck_assert_uint_ne(cx_hash64("a", 1, 1), cx_hash64("a", 1, 0));
	ck_assert_uint_eq(cx_hash_fmix64(0), 0);
}
END_TEST

START_TEST(strmap_many)
{
	struct cx_strmap *m = cx_strmap_new(4);
	char key[32];
	int i, ins;
	uint64_t *v;

	for (i = 0; i < 50000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		v = cx_strmap_get(m, key, strlen(key), 1, (uint64_t)i * 3, &ins);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(ins, 1);
	}
	ck_assert_uint_eq(cx_strmap_count(m), 50000);
	for (i = 0; i < 50000; i += 7) {
		snprintf(key, sizeof key, "k%d", i);
		v = cx_strmap_get(m, key, strlen(key), 1, 0, &ins);
		ck_assert_int_eq(ins, 0);
		ck_assert_uint_eq(*v, (uint64_t)i * 3);
	}
	ck_assert_ptr_null(cx_strmap_get(m, "absent", 6, 0, 0, NULL));
	{
		size_t n;
		const char *k = cx_strmap_key(m, 12345, &n);
		ck_assert_str_eq(k, "k12345");
		ck_assert_uint_eq(cx_strmap_value(m, 12345), 12345 * 3);
	}
	cx_strmap_free(m);
}
END_TEST

START_TEST(ledger_order_and_format)
{
	struct cx_ledger *l = cx_ledger_new();
	struct cx_error err;
	struct cx_output *o;
	char path[] = "/tmp/cx-ledger-XXXXXX", buf[512];
	FILE *f;
	size_t n;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	ck_assert_int_eq(cx_ledger_add(l, "rows_in", "", 10), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "USD", 12345), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "CLP", 1500), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "USD", -45), 0);
	ck_assert_int_eq(cx_ledger_add(l, "rows_out", "", 9), 0);
	ck_assert_int_eq(cx_ledger_get(l, "balance_in", "USD"), 12300);
	o = cx_output_open(path, 0, &err);
	ck_assert_int_eq(cx_ledger_write(l, o, &err), 0);
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	ck_assert_str_eq(buf, "measure\tcurrency\tvalue\nrows_in\t\t10\nbalance_in\tCLP\t1500\n"
	                      "balance_in\tUSD\t123.00\nrows_out\t\t9\n");
	cx_ledger_free(l);
}
END_TEST

/* The stage ledgers: exact sums of amount texts, the balance check and a
 * publish that refuses an imbalance. */
START_TEST(ledger_money_check_publish)
{
	struct cx_ledger *l = cx_ledger_new();
	struct cx_error err;
	struct cx_output *o, *lo;
	static const char *const check[] = { "rows", "balance", NULL };
	char path[] = "/tmp/cx-ledger-XXXXXX", lpath[64];
	struct cx_field r0[2] = { { "USD", 3 }, { "12.50", 5 } }, r1[2] = { { "CLP", 3 }, { "", 0 } },
	                r2[2] = { { "USD", 3 }, { "-0.25", 5 } }, bad[2] = { { "USD", 3 }, { "1,5", 3 } };
	struct cx_field *rows[3] = { r0, r1, r2 }, *brows[2] = { r0, bad };
	struct cx_tsv_group g = { 3, 2, rows, NULL, NULL, "k" }, bg = { 2, 2, brows, NULL, NULL, "k" };
	size_t badrow = 99;
	struct cx_ledger_sum sum = { 0 };
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	snprintf(lpath, sizeof lpath, "%s.l", path);
	ck_assert_int_eq(cx_ledger_add_amount(l, "balance_in", "XXQ", 3, "1", 1), CX_EDATA);
	ck_assert_int_eq(cx_ledger_add_amount(l, "balance_in", "USD", 3, "1.234", 5), CX_EDATA);
	ck_assert_int_eq(cx_ledger_add_money(l, "m", "USD", INT64_MAX), 0);
	ck_assert_int_eq(cx_ledger_add_money(l, "m", "USD", 1), CX_EDATA);
	ck_assert_int_eq(cx_ledger_sum_group(&sum, &g, 0, 1, &badrow), 0);
	ck_assert_int_eq(cx_ledger_add_sum(l, "in", &sum), 0);
	ck_assert_int_eq(cx_ledger_get(l, "rows_in", ""), 3);
	ck_assert_int_eq(cx_ledger_get(l, "customers_in", ""), 1);
	ck_assert_int_eq(cx_ledger_get(l, "balance_in", "USD"), 1225);
	ck_assert_int_eq(cx_ledger_get(l, "balance_in", "CLP"), 0);
	ck_assert_int_eq(cx_ledger_sum_group(&sum, &bg, 0, 1, &badrow), CX_EDATA);
	ck_assert_uint_eq(badrow, 1);
	/* no money columns: rows and customers only */
	ck_assert_int_eq(cx_ledger_sum_group(&sum, &g, -1, -1, &badrow), 0);
	ck_assert_int_eq(cx_ledger_add_sum(l, "out", &sum), 0);
	cx_ledger_sum_free(&sum);
	/* rows balance, the money does not: nothing published */
	ck_assert_int_eq(cx_ledger_check(l, "rows", &err), 0);
	o = cx_output_open(path, 0, &err);
	lo = cx_output_open(lpath, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(lo);
	ck_assert_int_eq(cx_ledger_publish(l, check, &o, &lo, &err), CX_EINTERNAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "balance_in"));
	ck_assert_ptr_nonnull(o);
	cx_output_abort(o);
	cx_output_abort(lo);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(access(lpath, F_OK), -1);
	/* once the money out matches (CLP 0 and USD 12.25), both are published */
	ck_assert_int_eq(cx_ledger_add_money(l, "balance_out", "USD", 1225), 0);
	ck_assert_int_eq(cx_ledger_add_money(l, "balance_out", "CLP", 0), 0);
	o = cx_output_open(path, 0, &err);
	lo = cx_output_open(lpath, 0, &err);
	ck_assert_int_eq(cx_ledger_publish(l, check, &o, &lo, &err), 0);
	ck_assert_ptr_null(o);
	ck_assert_ptr_null(lo);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(access(lpath, F_OK), 0);
	unlink(path);
	unlink(lpath);
	cx_ledger_free(l);
}
END_TEST

START_TEST(arena)
{
	struct cx_arena *a = cx_arena_new(0);
	char *p, *q;
	int i;

	for (i = 0; i < 10000; i++) {
		p = cx_arena_strndup(a, "hello world", 5);
		ck_assert_str_eq(p, "hello");
	}
	q = cx_arena_alloc(a, 100000);   /* larger than a block */
	ck_assert_ptr_nonnull(q);
	memset(q, 1, 100000);
	cx_arena_reset(a);
	ck_assert_uint_eq(cx_arena_used(a), 0);
	p = cx_arena_alloc(a, 16);
	ck_assert_ptr_nonnull(p);
	cx_arena_free(a);
	cx_arena_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, pinned_values);
	tcase_add_test(tc, strmap_many);
	tcase_add_test(tc, ledger_order_and_format);
	tcase_add_test(tc, ledger_money_check_publish);
	tcase_add_test(tc, arena);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
