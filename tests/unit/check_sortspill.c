/* cx_sortspill: in-memory sort, spilled runs and k-way merge give the same
 * order; deferred mode; key prefixes (radix sort, ties by the comparison)
 * and the key of each record returned; records reserved with room to
 * spare then shrunk, or cancelled; an index sized ahead (too small);
 * records looked at ahead (cx_sortspill_peek);
 * temporary files leave nothing behind. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_sortspill.h"
#include "cx_test.h"

static int cmp_bytes(const void *a, size_t an, const void *b, size_t bn, void *ctx)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	(void)ctx;
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Key prefixes consistent with cmp_bytes: the first 8 bytes big-endian
 * (zero-padded), or coarser keys that leave most ties to the comparison. */
static int keymode;

static uint64_t key_of(const void *rec, size_t n, void *ctx)
{
	const unsigned char *p = rec;
	uint64_t k = 0;
	size_t i;

	(void)ctx;
	for (i = 0; i < 8; i++)
		k = k << 8 | (i < n ? p[i] : 0);
	switch (keymode) {
	case 2: return k >> 40;              /* top bytes shared: digits descend */
	case 3: return k & ~0xffffffffull;   /* low bytes zero: ties at shift 0 */
	case 4: return 7;                    /* one key for all */
	default: return k;
	}
}

/* After record lower_at (0: never), the limit drops to lower_to. */
static int lower_at;
static size_t lower_to;

static int qcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_n(int n, size_t mem, int deferred, size_t *runs_out)
{
	struct cx_error err;
	struct cx_sortspill *s;
	char **want = calloc((size_t)n, sizeof *want);
	unsigned x = 12345;
	const void *rec;
	size_t len;
	int i = 0, rc;
	DIR *d;
	struct dirent *e;
	int files = 0;

	tmp_setup();
	s = cx_sortspill_new(mem, tmpdir, deferred, cmp_bytes, NULL, &err);
	ck_assert_ptr_nonnull(s);
	if (keymode)
		cx_sortspill_set_key(s, key_of);
	if (n % 2 == 0)
		cx_sortspill_expect(s, (size_t)n / 3);   /* too few: the index still grows */
	for (i = 0; i < n; i++) {
		char buf[64];
		x = x * 1664525u + 1013904223u;
		snprintf(buf, sizeof buf, "k%08u-%d%s", x % 100000u, i % 7, i % 3 ? "" : "-longer-tail");
		want[i] = strdup(buf);
		if (i % 2) {
			/* an upper bound reserved, the rest given back */
			char *room = cx_sortspill_reserve(s, strlen(buf) + 1 + (size_t)(i % 37), &err);
			ck_assert_ptr_nonnull(room);
			memcpy(room, buf, strlen(buf));
			cx_sortspill_shrink(s, strlen(buf));
		} else
			ck_assert_int_eq(cx_sortspill_add(s, buf, strlen(buf), &err), 0);
		if (i % 5 == 0) {
			/* reserved, then dropped: never comes out */
			char *room = cx_sortspill_reserve(s, 20, &err);
			ck_assert_ptr_nonnull(room);
			memcpy(room, "zzzz-cancelled-zzzz!", 20);
			cx_sortspill_cancel(s);
		}
		if (lower_at && i == lower_at)
			cx_sortspill_set_limit(s, lower_to);
	}
	ck_assert_int_eq(cx_sortspill_finish(s, &err), 0);
	qsort(want, (size_t)n, sizeof *want, qcmp);
	for (i = 0; (rc = cx_sortspill_next(s, &rec, &len, &err)) == 1; i++) {
		ck_assert_int_lt(i, n);
		ck_assert_msg(len == strlen(want[i]) && memcmp(rec, want[i], len) == 0, "record %d", i);
		if (keymode)
			ck_assert(cx_sortspill_key(s) == key_of(rec, len, NULL));
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(i, n);
	ck_assert_int_eq(cx_sortspill_count(s), (uint64_t)n);
	*runs_out = cx_sortspill_runs(s);
	/* temporary files are unlinked at creation */
	d = opendir(tmpdir);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			files++;
	closedir(d);
	ck_assert_int_eq(files, 0);
	cx_sortspill_free(s);
	tmp_teardown();
	for (i = 0; i < n; i++)
		free(want[i]);
	free(want);
}

START_TEST(in_memory)
{
	size_t runs;
	sort_n(5000, 64u << 20, 0, &runs);
	ck_assert_int_eq(runs, 0);
	sort_n(0, 64u << 20, 0, &runs);
	sort_n(1, 64u << 20, 1, &runs);
}
END_TEST

START_TEST(spilled)
{
	size_t runs;
	sort_n(40000, 64u << 10, 0, &runs);
	ck_assert_int_gt(runs, 5);
}
END_TEST

START_TEST(deferred_spilled)
{
	size_t runs;
	sort_n(40000, 64u << 10, 1, &runs);
	ck_assert_int_gt(runs, 5);
}
END_TEST

START_TEST(key_prefix)
{
	size_t runs;
	for (keymode = 1; keymode <= 4; keymode++) {
		sort_n(20000, 64u << 20, 0, &runs);
		ck_assert_int_eq(runs, 0);
		sort_n(20000, 64u << 10, 0, &runs);
		ck_assert_int_gt(runs, 3);
		sort_n(20000, 64u << 10, 1, &runs);
		ck_assert_int_gt(runs, 3);
		sort_n(30, 64u << 20, 1, &runs);
		sort_n(0, 64u << 20, 0, &runs);
	}
	keymode = 0;
}
END_TEST

START_TEST(lowered_limit)
{
	/* several 8 MiB blocks filled under a high limit, then the limit
	 * drops: the surplus blocks and index are freed at the next spill
	 * and the sort goes on in small runs */
	size_t runs;
	lower_at = 450000;
	lower_to = 256u << 10;
	sort_n(500000, 256u << 20, 0, &runs);
	ck_assert_int_gt(runs, 3);
	sort_n(500000, 256u << 20, 1, &runs);
	ck_assert_int_gt(runs, 3);
	lower_at = 0;
}
END_TEST

START_TEST(tmpfd)
{
	struct cx_error err;
	char b[4];
	int fd;

	tmp_setup();
	fd = cx_sortspill_tmpfd(tmpdir, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rmdir(tmpdir), 0);   /* empty: unlinked at creation */
	ck_assert_int_eq(pwrite(fd, "abc", 3, 0), 3);
	ck_assert_int_eq(pread(fd, b, 3, 0), 3);
	ck_assert(memcmp(b, "abc", 3) == 0);
	close(fd);
	ck_assert_int_lt(cx_sortspill_tmpfd("/nonexistent/dir", &err), 0);
	ck_assert_int_eq(err.code, CX_ECREAT);
}
END_TEST

/* cx_sortspill_peek: the records next will return, while in memory; none
 * past the end, none from merged runs. */
START_TEST(peek)
{
	struct cx_error err;
	struct cx_sortspill *s;
	const void *rec, *p;
	size_t n, pn, i;
	char b[8];
	int k;

	tmp_setup();
	s = cx_sortspill_new(1 << 20, tmpdir, 0, cmp_bytes, NULL, &err);
	ck_assert(s != NULL);
	for (i = 0; i < 10; i++) {
		snprintf(b, sizeof b, "r%zu", 9 - i);
		ck_assert_int_eq(cx_sortspill_add(s, b, strlen(b), &err), 0);
	}
	ck_assert_int_eq(cx_sortspill_finish(s, &err), 0);
	ck_assert_int_eq(cx_sortspill_peek(s, 0, &p, &pn), 0);
	ck_assert_int_eq(cx_sortspill_peek(s, 1, &p, &pn), 1);
	ck_assert(pn == 2 && memcmp(p, "r0", 2) == 0);
	ck_assert_int_eq(cx_sortspill_peek(s, 10, &p, &pn), 1);
	ck_assert(pn == 2 && memcmp(p, "r9", 2) == 0);
	ck_assert_int_eq(cx_sortspill_peek(s, 11, &p, &pn), 0);
	for (i = 0; i < 10; i++) {
		/* peek(3) now is what the third next from here returns */
		int have = cx_sortspill_peek(s, 3, &p, &pn);
		ck_assert_int_eq(have, i + 3 <= 10);
		ck_assert_int_eq(cx_sortspill_next(s, &rec, &n, &err), 1);
		snprintf(b, sizeof b, "r%zu", i);
		ck_assert(n == 2 && memcmp(rec, b, 2) == 0);
		if (have) {
			snprintf(b, sizeof b, "r%zu", i + 2);
			ck_assert(pn == 2 && memcmp(p, b, 2) == 0);
		}
	}
	ck_assert_int_eq(cx_sortspill_peek(s, 1, &p, &pn), 0);
	cx_sortspill_free(s);
	/* spilled: merged from runs, nothing to peek at */
	s = cx_sortspill_new(1, tmpdir, 0, cmp_bytes, NULL, &err);
	ck_assert(s != NULL);
	for (i = 0; i < 20000; i++) {
		snprintf(b, sizeof b, "%05zu", i);
		ck_assert_int_eq(cx_sortspill_add(s, b, 5, &err), 0);
	}
	ck_assert_int_eq(cx_sortspill_finish(s, &err), 0);
	ck_assert_int_gt(cx_sortspill_runs(s), 1);
	k = cx_sortspill_next(s, &rec, &n, &err);
	ck_assert_int_eq(k, 1);
	ck_assert_int_eq(cx_sortspill_peek(s, 1, &p, &pn), 0);
	cx_sortspill_free(s);
	tmp_teardown();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sortspill");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);   /* lowered_limit merges many small runs: 24 s on a loaded machine */
	tcase_add_test(tc, in_memory);
	tcase_add_test(tc, spilled);
	tcase_add_test(tc, deferred_spilled);
	tcase_add_test(tc, key_prefix);
	tcase_add_test(tc, lowered_limit);
	tcase_add_test(tc, tmpfd);
	tcase_add_test(tc, peek);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
