/* The small base modules' edges: option parsing (cx_opt), errors, exit
 * statuses and diagnostics (cx_err), allocation limits and arenas
 * (cx_mem), the string map under growth and out of memory (cx_hash), the
 * ledger's order, formats and failures (cx_ledger), schema lookups. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_err.h"
#include "cx_hash.h"
#include "cx_io.h"
#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_opt.h"
#include "cx_schema.h"

/* Run f with stderr (or stdout) sent to a file; return what it wrote. */
static char captured[4096];

static const char *
capture(int fd, void (*f)(void))
{
	char path[] = "/tmp/cx-cap-XXXXXX";
	int tmp = mkstemp(path), saved;
	FILE *std = fd == 2 ? stderr : stdout;
	ssize_t n;

	ck_assert_int_ge(tmp, 0);
	fflush(std);
	saved = dup(fd);
	dup2(tmp, fd);
	f();
	fflush(std);
	dup2(saved, fd);
	close(saved);
	lseek(tmp, 0, SEEK_SET);
	n = read(tmp, captured, sizeof captured - 1);
	captured[n > 0 ? n : 0] = '\0';
	close(tmp);
	unlink(path);
	return captured;
}

START_TEST(opt_long_and_size)
{
	long v = 7;
	uint64_t u = 7;
	cx_day d;

	ck_assert_int_eq(cx_opt_long("42", 0, 100, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(cx_opt_long("-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_lt(cx_opt_long(NULL, 0, 1, &v), 0);
	ck_assert_int_lt(cx_opt_long("", 0, 1, &v), 0);
	ck_assert_int_lt(cx_opt_long("12x", 0, 100, &v), 0);
	ck_assert_int_lt(cx_opt_long("101", 0, 100, &v), 0);
	ck_assert_int_lt(cx_opt_long("-1", 0, 100, &v), 0);
	ck_assert_int_lt(cx_opt_long("99999999999999999999999", 0, LONG_MAX, &v), 0);
	ck_assert_int_eq(v, -5);   /* untouched on error */

	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "0", 0 }, { "10", 10 }, { "2k", 2048 }, { "2K", 2048 }, { "3m", 3ull << 20 },
		{ "3M", 3ull << 20 }, { "1g", 1ull << 30 }, { "4G", 4ull << 30 }, { "1KiB", 1024 },
		{ "5MB", 5ull << 20 }, { "1GiB", 1ull << 30 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		ck_assert_msg(cx_opt_size(ok[i].s, &u) == 0 && u == ok[i].v, "%s", ok[i].s);
	}
	static const char *const bad[] = {
		NULL, "", "x", "-1", " 1", "7B", "1Q", "1kX", "1KiBx", "1Bi", "99999999999999999999999",
		"17179869184G", "18446744073709551615k",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(cx_opt_size(bad[i], &u) < 0, "%s accepted", bad[i] ? bad[i] : "NULL");

	ck_assert_int_eq(cx_opt_date("2026-02-28", &d), 0);
	ck_assert_int_lt(cx_opt_date("2026-02-29", &d), 0);
	ck_assert_int_lt(cx_opt_date("28/02/2026", &d), 0);
}
END_TEST

static void print_version(void) { ck_assert_int_eq(cx_opt_version("cx-test"), CX_EXIT_OK); }

START_TEST(opt_version)
{
	ck_assert_str_eq(capture(1, print_version), "cx-test (cx) " CX_VERSION "\n");
}
END_TEST

/* a full stdout: the version line cannot be written, exit 74 */
START_TEST(opt_version_full_stdout)
{
	int full = open("/dev/full", O_WRONLY), saved;
	if (full < 0)
		return;   /* no /dev/full here */
	fflush(stdout);
	saved = dup(1);
	dup2(full, 1);
	close(full);
	ck_assert_int_eq(cx_opt_version("cx-test"), CX_EXIT_IOERR);
	clearerr(stdout);
	dup2(saved, 1);
	close(saved);
}
END_TEST

START_TEST(error_values)
{
	struct cx_error e;
	static const struct { int code, status; } map[] = {
		{ CX_OK, 0 }, { CX_EUSAGE, 64 }, { CX_EDATA, 65 }, { CX_ELIMIT, 65 },
		{ CX_ENOINPUT, 66 }, { CX_ENOMEM, 70 }, { CX_EINTERNAL, 70 }, { CX_ECREAT, 73 },
		{ CX_EIO, 74 }, { -99, 70 },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		ck_assert_int_eq(cx_exit_status(map[i].code), map[i].status);

	/* NULL err: the code still comes back */
	ck_assert_int_eq(cx_error_set(NULL, CX_EDATA, "f", 3, "x %d", 1), CX_EDATA);
	ck_assert_int_eq(cx_error_errno(NULL, CX_EIO, ENOSPC, "f", "write"), CX_EIO);
	cx_error_clear(NULL);

	ck_assert_int_eq(cx_error_errno(&e, CX_EIO, ENOSPC, "out.tsv", "write %s", "x"), CX_EIO);
	ck_assert_str_eq(e.file, "out.tsv");
	ck_assert_int_eq(e.line, 0);
	ck_assert_msg(strncmp(e.msg, "write x: ", 9) == 0 && strlen(e.msg) > 9, "%s", e.msg);
	ck_assert_int_eq(cx_error_set(&e, CX_EDATA, NULL, 0, "plain"), CX_EDATA);
	ck_assert_str_eq(e.file, "");
	cx_error_clear(&e);
	ck_assert_int_eq(e.code, 0);
	ck_assert_str_eq(e.msg, "");
}
END_TEST

static void
diag_all(void)
{
	struct cx_error e;

	cx_diag_init("/usr/bin/cx-demo");
	ck_assert_str_eq(cx_progname(), "cx-demo");
	cx_error_set(&e, CX_EDATA, "in.csv", 7, "bad row");
	cx_diag_error(&e);
	cx_error_set(&e, CX_ENOINPUT, "in.csv", 0, "missing");
	cx_diag_error(&e);
	cx_error_set(&e, CX_ENOMEM, NULL, 0, "out of memory");
	cx_diag_error(&e);
	cx_diag("plain %d", 1);
	cx_diag_warn("loud");
	cx_diag_set_quiet(1);
	cx_diag_warn("quiet");
	cx_diag_set_quiet(0);
	ck_assert_int_eq(cx_diag_usage("bad option '%s'", "-x"), CX_EXIT_USAGE);
	cx_diag_init("cx-plain");
	cx_diag("no slash");
}

START_TEST(diagnostics)
{
	ck_assert_str_eq(capture(2, diag_all),
	                 "cx-demo: in.csv:7: bad row\n"
	                 "cx-demo: in.csv: missing\n"
	                 "cx-demo: out of memory\n"
	                 "cx-demo: plain 1\n"
	                 "cx-demo: warning: loud\n"
	                 "cx-demo: bad option '-x'\nTry 'cx-demo --help'.\n"
	                 "cx-plain: no slash\n");
}
END_TEST

START_TEST(diag_escape)
{
	char out[64], tiny[6];

	cx_diag_escape(out, sizeof out, "a\tb\\c\x7f", 6, 40);
	ck_assert_str_eq(out, "a\\x09b\\x5cc\\x7f");
	cx_diag_escape(out, sizeof out, "abcdefghij", 10, 4);
	ck_assert_str_eq(out, "abcd...");
	cx_diag_escape(out, sizeof out, "", 0, 4);
	ck_assert_str_eq(out, "");
	/* out of room: cut (no room for the dots), still terminated */
	cx_diag_escape(tiny, sizeof tiny, "abcdefgh", 8, 40);
	ck_assert_str_eq(tiny, "abcd");
	cx_diag_escape(tiny, sizeof tiny, "\x01\x02", 2, 40);
	ck_assert_str_eq(tiny, "\\x01");
	cx_diag_escape(tiny, 3, "abc", 3, 40);
	ck_assert_str_eq(tiny, "a");
	tiny[0] = 'z';
	cx_diag_escape(tiny, 0, "abc", 3, 40);   /* nothing written at all */
	ck_assert_int_eq(tiny[0], 'z');
}
END_TEST

START_TEST(mem_limits_and_arena)
{
	void *p = NULL;
	size_t cap = 0;
	struct cx_arena *a;
	char *s;

	ck_assert_ptr_null(cx_calloc(SIZE_MAX / 2, 4));
	p = cx_calloc(0, 0);   /* zero sizes still give a pointer */
	ck_assert_ptr_nonnull(p);
	p = cx_realloc(p, 0);
	ck_assert_ptr_nonnull(p);
	cx_free(p);
	p = cx_malloc(0);
	ck_assert_ptr_nonnull(p);
	cx_free(p);
	p = NULL;
	ck_assert_int_eq(cx_grow(&p, &cap, SIZE_MAX, 1), CX_ENOMEM);
	ck_assert_int_eq(cx_grow(&p, &cap, SIZE_MAX / 4, 16), CX_ENOMEM);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(cx_grow(&p, &cap, 10, 8), 0);
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(cx_grow(&p, &cap, 5, 8), 0);   /* already big enough */
	cx_free(p);
	s = cx_strndup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	cx_free(s);
	/* huge: from 512 KiB on, on a 2 MiB boundary, all of it usable, and
	 * cx_realloc takes it; smaller ones are plain allocations */
	s = cx_malloc_huge(512u << 10);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq((uintptr_t)s & ((2u << 20) - 1), 0);
	cx_free(s);
	s = cx_malloc_huge((3u << 19) + 5);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq((uintptr_t)s & ((2u << 20) - 1), 0);
	memset(s, 'x', (3u << 19) + 5);
	s = cx_realloc(s, 5u << 20);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s[(3u << 19) + 4], 'x');
	cx_free(s);
	s = cx_malloc_huge(100);
	ck_assert_ptr_nonnull(s);
	memset(s, 'y', 100);
	cx_free(s);
	ck_assert_ptr_null(cx_malloc_huge(SIZE_MAX - 100));

	a = cx_arena_new(10);   /* raised to the minimum block */
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(cx_arena_alloc(a, SIZE_MAX - 3));
	ck_assert_ptr_null(cx_arena_alloc(a, SIZE_MAX - 8));
	for (int round = 0; round < 3; round++) {
		/* small, then one larger than a block, then small again */
		ck_assert_ptr_nonnull(cx_arena_alloc(a, 100));
		ck_assert_ptr_nonnull(cx_arena_alloc(a, 10000));
		ck_assert_ptr_nonnull(cx_arena_alloc(a, 4000));
		ck_assert_ptr_nonnull(cx_arena_alloc(a, 4000));
		s = cx_arena_strndup(a, "hello world", 5);
		ck_assert_str_eq(s, "hello");
		ck_assert_uint_ge(cx_arena_used(a), 18104);
		cx_arena_reset(a);   /* blocks are kept and reused */
		ck_assert_uint_eq(cx_arena_used(a), 0);
	}
	cx_arena_reset(NULL);
	cx_arena_free(a);
	cx_arena_free(NULL);

	/* out of memory in the arena */
	cx_mem_fail_after(1);
	ck_assert_ptr_null(cx_arena_new(4096));
	a = cx_arena_new(4096);
	cx_mem_fail_after(1);
	ck_assert_ptr_null(cx_arena_alloc(a, 8));
	cx_mem_fail_after(1);
	ck_assert_ptr_null(cx_arena_strndup(a, "x", 1));
	cx_mem_fail_after(0);
	cx_arena_free(a);
}
END_TEST

START_TEST(strmap_growth_and_oom)
{
	struct cx_strmap *m = cx_strmap_new(0);
	char key[32];
	int ins;
	size_t n;

	ck_assert_ptr_nonnull(m);
	for (int i = 0; i < 5000; i++) {
		uint64_t *v;
		snprintf(key, sizeof key, "key-%d", i);
		v = cx_strmap_get(m, key, strlen(key), 1, (uint64_t)i, &ins);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(ins, 1);
	}
	ck_assert_uint_eq(cx_strmap_count(m), 5000);
	for (int i = 0; i < 5000; i += 7) {
		uint64_t *v;
		snprintf(key, sizeof key, "key-%d", i);
		v = cx_strmap_get(m, key, strlen(key), 1, 999, &ins);
		ck_assert(v && *v == (uint64_t)i && ins == 0);
	}
	ck_assert_ptr_null(cx_strmap_get(m, "absent", 6, 0, 0, NULL));
	ck_assert_str_eq(cx_strmap_key(m, 4999, &n), "key-4999");
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(cx_strmap_value(m, 4999), 4999);
	cx_strmap_free(m);
	cx_strmap_free(NULL);

	/* every allocation of a growing map failing in turn: NULL, never a crash */
	for (long k = 1; k < 40; k++) {
		int got = 0;
		cx_mem_fail_after(k);
		m = cx_strmap_new(4);
		if (m) {
			for (int i = 0; i < 64; i++) {
				snprintf(key, sizeof key, "k%d", i);
				if (cx_strmap_get(m, key, strlen(key), 1, 0, NULL))
					got++;
			}
			ck_assert_int_ge(got, 63);
		}
		cx_mem_fail_after(0);
		cx_strmap_free(m);
	}
	ck_assert_uint_eq(cx_hash64("", 0, 0), cx_hash_fmix64(0xcbf29ce484222325ull));
}
END_TEST

static struct cx_ledger *print_l;
static void print_ledger(void) { cx_ledger_print(print_l, stdout); }

START_TEST(ledger_order_formats_failures)
{
	struct cx_ledger *l = cx_ledger_new();
	struct cx_error err;
	char path[] = "/tmp/cx-led-XXXXXX";
	struct cx_output *out;
	char *text;
	size_t n;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(cx_ledger_add(l, "rows_in", NULL, 3), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "USD", 1050), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "JPY", 7), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "COP", -5), 0);
	ck_assert_int_eq(cx_ledger_add(l, "balance_in", "ZZZ", 12), 0);   /* unknown: exponent 0 */
	ck_assert_int_eq(cx_ledger_add(l, "rows_in", "", 2), 0);
	ck_assert_int_eq(cx_ledger_get(l, "rows_in", NULL), 5);
	ck_assert_int_eq(cx_ledger_get(l, "rows_out", ""), 0);
	out = cx_output_open(path, CX_OUT_FORCE, &err);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(cx_ledger_write(l, out, &err), 0);
	ck_assert_int_eq(cx_output_commit(out, &err), 0);
	text = cx_read_file(path, 1 << 20, &n, &err);
	ck_assert_str_eq(text, "measure\tcurrency\tvalue\n"
	                       "rows_in\t\t5\n"
	                       "balance_in\tCOP\t-0.05\n"
	                       "balance_in\tJPY\t7\n"
	                       "balance_in\tUSD\t10.50\n"
	                       "balance_in\tZZZ\t12\n");
	cx_free(text);
	print_l = l;
	{
		char want[512];
		snprintf(want, sizeof want, "%-18s %-3s %20s\n%-18s %-3s %20s\n%-18s %-3s %20s\n"
		         "%-18s %-3s %20s\n%-18s %-3s %20s\n", "rows_in", "", "5", "balance_in",
		         "COP", "-0.05", "balance_in", "JPY", "7", "balance_in", "USD", "10.50",
		         "balance_in", "ZZZ", "12");
		ck_assert_str_eq(capture(1, print_ledger), want);
	}

	/* out of memory: write fails cleanly, print writes nothing, add fails */
	out = cx_output_open(path, CX_OUT_FORCE, &err);
	cx_mem_fail_after(1);
	ck_assert_int_eq(cx_ledger_write(l, out, &err), CX_ENOMEM);
	cx_mem_fail_after(1);
	ck_assert_str_eq(capture(1, print_ledger), "");
	for (int i = 0; i < 40; i++) {
		char m[16];
		snprintf(m, sizeof m, "m%d", i);
		cx_mem_fail_after(1);
		if (cx_ledger_add(l, m, "", 1) == CX_ENOMEM)
			break;
		ck_assert_int_lt(i, 39);
	}
	cx_mem_fail_after(0);
	cx_output_abort(out);
	cx_ledger_free(l);
	cx_ledger_free(NULL);
	cx_mem_fail_after(1);
	ck_assert_ptr_null(cx_ledger_new());
	cx_mem_fail_after(0);
	unlink(path);
}
END_TEST

START_TEST(schema_lookups)
{
	size_t n;
	for (int k = 0; k < CX_KIND_COUNT; k++) {
		const struct cx_column *c = cx_schema_columns((enum cx_kind)k, &n);
		if (k == CX_KIND_TABLE) {
			ck_assert_ptr_null(c);
			ck_assert_uint_eq(n, 0);
		} else {
			ck_assert(c != NULL && n > 3);
			ck_assert_str_eq(c[0].name, CX_COL_CUSTOMER);
		}
		ck_assert_int_eq(cx_kind_parse(cx_kind_name((enum cx_kind)k)), k);
	}
	ck_assert_ptr_null(cx_schema_columns(CX_KIND_COUNT, &n));
	ck_assert_str_eq(cx_kind_name(CX_KIND_COUNT), "?");
	ck_assert_str_eq(cx_kind_name((enum cx_kind)-1), "?");
	ck_assert_int_eq(cx_kind_parse("account"), -1);
	ck_assert_int_eq(cx_kind_parse(""), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_base");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, opt_long_and_size);
	tcase_add_test(tc, opt_version);
	tcase_add_test(tc, opt_version_full_stdout);
	tcase_add_test(tc, error_values);
	tcase_add_test(tc, diagnostics);
	tcase_add_test(tc, diag_escape);
	tcase_add_test(tc, mem_limits_and_arena);
	tcase_add_test(tc, strmap_growth_and_oom);
	tcase_add_test(tc, ledger_order_formats_failures);
	tcase_add_test(tc, schema_lookups);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
