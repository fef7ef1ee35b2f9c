/* Inputs (plain, gzip by magic, multi-member, truncated, corrupt, trailing
 * garbage, limits) and atomic outputs (publish, abort, refuse overwrite,
 * disk full, same file as input). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cx_io.h"
#include "cx_mem.h"
#include "cx_test.h"

/* gzip `data` into memory (one member). */
static size_t
gz(const char *data, size_t n, unsigned char *out, size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

/* Read a whole input; returns the status of the last read and the text. */
static ssize_t
read_input1(const char *name, char *buf, size_t cap, size_t *len, struct cx_error *err,
            const struct cx_input_opts *o)
{
	struct cx_input *in = cx_input_open(P(name), o, err);
	ssize_t r;
	*len = 0;
	ck_assert_ptr_nonnull(in);
	while ((r = cx_input_read(in, buf + *len, 7, err)) > 0) {   /* odd size on purpose */
		*len += (size_t)r;
		ck_assert_uint_lt(*len, cap);
	}
	cx_input_close(in);
	return r;
}

/* Same, and the same again with gzip inflated in the caller's thread, and
 * with zlib's inflate instead of ISA-L's (where it is built in), each with
 * and without the thread: the same result every time. */
static ssize_t
read_input(const char *name, char *buf, size_t cap, size_t *len, struct cx_error *err,
           const struct cx_input_opts *o)
{
	struct cx_input_opts o1 = o ? *o : (struct cx_input_opts){0};
	struct cx_error e2;
	char *b2 = malloc(cap);
	size_t l2;
	ssize_t r = read_input1(name, buf, cap, len, err, o), r2;
	int k;

	ck_assert_ptr_nonnull(b2);
	for (k = 1; k < 4; k++) {
		o1.no_thread = k & 1;
		o1.zlib_inflate = k >> 1;
		r2 = read_input1(name, b2, cap, &l2, &e2, &o1);
		ck_assert_int_eq(r, r2);
		if (r < 0) {
			/* how much comes out before an error depends on the read sizes
			 * (to be discarded by the caller anyway): a prefix of the same */
			ck_assert_str_eq(err->msg, e2.msg);
			ck_assert(memcmp(buf, b2, *len < l2 ? *len : l2) == 0);
		} else {
			ck_assert_uint_eq(*len, l2);
			ck_assert(memcmp(buf, b2, l2) == 0);
		}
	}
	free(b2);
	return r;
}

START_TEST(plain_and_gzip)
{
	static const char text[] = "id,name\n1,Ana\n2,Luis\n";
	unsigned char z[256], two[512];
	char buf[256];
	size_t zn, len;
	struct cx_error err;

	put_n("plain.csv", text, strlen(text));
	ck_assert_int_eq(read_input("plain.csv", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert(memcmp(buf, text, len) == 0);

	zn = gz(text, strlen(text), z, sizeof z);
	put_n("a.csv.gz", z, zn);
	ck_assert_int_eq(read_input("a.csv.gz", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, strlen(text));

	/* plain text named .gz: read by magic, not by name */
	put_n("plain.gz", text, strlen(text));
	ck_assert_int_eq(read_input("plain.gz", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, strlen(text));

	/* multi-member: both members read */
	memcpy(two, z, zn);
	memcpy(two + zn, z, zn);
	put_n("two.gz", two, 2 * zn);
	ck_assert_int_eq(read_input("two.gz", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, 2 * strlen(text));

	/* one-byte file and empty file */
	put_n("one", "x", 1);
	ck_assert_int_eq(read_input("one", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, 1);
	put_n("empty", "", 0);
	ck_assert_int_eq(read_input("empty", buf, sizeof buf, &len, &err, NULL), 0);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(gzip_faults)
{
	static const char text[] = "id,name\n1,Ana\n2,Luis\n3,Marta\n";
	unsigned char z[256], t[300];
	char buf[256];
	size_t zn, len;
	struct cx_error err;

	zn = gz(text, strlen(text), z, sizeof z);
	put_n("trunc.gz", z, zn - 6);
	ck_assert_int_eq(read_input("trunc.gz", buf, sizeof buf, &len, &err, NULL), CX_EDATA);
	ck_assert_str_eq(err.msg, "truncated gzip input (unexpected end of file)");

	memcpy(t, z, zn);
	t[zn - 5] ^= 0xff;   /* CRC32 trailer */
	put_n("crc.gz", t, zn);
	ck_assert_int_eq(read_input("crc.gz", buf, sizeof buf, &len, &err, NULL), CX_EDATA);
	ck_assert_str_eq(err.msg, "corrupt gzip input: incorrect data check");

	memcpy(t, z, zn);
	memcpy(t + zn, "garbage", 7);
	put_n("trail.gz", t, zn + 7);
	ck_assert_int_eq(read_input("trail.gz", buf, sizeof buf, &len, &err, NULL), CX_EDATA);
	ck_assert_str_eq(err.msg, "trailing garbage after gzip data");

	put_n("header-only.gz", z, 10);
	ck_assert_int_eq(read_input("header-only.gz", buf, sizeof buf, &len, &err, NULL), CX_EDATA);
}
END_TEST

START_TEST(limits)
{
	static const char text[] = "0123456789abcdef";
	char buf[64];
	size_t len;
	struct cx_error err;
	struct cx_input_opts o = { .max_input_bytes = 10 };

	put_n("lim", text, strlen(text));
	ck_assert_int_eq(read_input("lim", buf, sizeof buf, &len, &err, &o), CX_ELIMIT);
	ck_assert_str_eq(err.msg, "input exceeds 10 bytes (see --max-input-bytes)");
}
END_TEST

START_TEST(gzip_bomb_ratio)
{
	/* 80 MiB of zeros compresses ~1000:1; with a ratio of 100 it must stop
	 * after 64 MiB, reading in bounded memory. */
	size_t n = 80u << 20, zn, cap = 1u << 20;
	char *zeros = calloc(1, n);
	unsigned char *z = malloc(cap);
	char *buf = malloc(1 << 16);
	struct cx_error err;
	struct cx_input_opts o = { .max_ratio = 100 };
	struct cx_input *in;
	ssize_t r;
	int k;

	zn = gz(zeros, n, z, cap);
	put_n("bomb.gz", z, zn);
	for (k = 0; k < 4; k++) {
		uint64_t got = 0;
		o.no_thread = k & 1;
		o.zlib_inflate = k >> 1;
		in = cx_input_open(P("bomb.gz"), &o, &err);
		while ((r = cx_input_read(in, buf, 1 << 16, &err)) > 0)
			got += (uint64_t)r;
		ck_assert_int_eq(r, CX_ELIMIT);
		ck_assert_str_eq(err.msg, "gzip expands more than 100:1 (see --max-ratio)");
		ck_assert_uint_le(got, (64u << 20) + (1u << 16));
		cx_input_close(in);
	}
	free(zeros);
	free(z);
	free(buf);
}
END_TEST

/* A large gzip file read through the inflate thread: the same bytes as in
 * the caller's thread, for any read size, and closing after a few reads
 * (the thread is blocked on a full queue) stops it cleanly. */
START_TEST(gzip_thread)
{
	/* smaller under valgrind (CX_VALGRIND=1): still several chunks */
	size_t n = getenv("CX_VALGRIND") ? 1u << 20 : 6u << 20, zn, i, cap = 8u << 20;
	char *text = malloc(n), *a = malloc(n + 1), *b = malloc(n + 1);
	unsigned char *z = malloc(cap), *two = malloc(2 * cap);
	struct cx_error err;
	struct cx_input_opts o;
	struct cx_input *in;
	size_t la, lb;
	char tmp[100];
	int k;

	ck_assert(text && a && b && z && two);
	for (i = 0; i < n; i++)
		text[i] = (char)('a' + (i * 7 + i / 13) % 26);
	zn = gz(text, n, z, cap);
	memcpy(two, z, zn);
	memcpy(two + zn, z, zn);
	put_n("big.gz", two, 2 * zn);
	memset(&o, 0, sizeof o);
	for (k = 0; k < 4; k++) {   /* with and without the thread, ISA-L and zlib */
		char *d;
		o.no_thread = k & 1;
		o.zlib_inflate = k >> 1;
		d = o.no_thread ? b : a;
		size_t *l = o.no_thread ? &lb : &la, step = 1;
		ssize_t r;
		in = cx_input_open(P("big.gz"), &o, &err);
		ck_assert_ptr_nonnull(in);
		*l = 0;
		while ((r = cx_input_read(in, tmp, step, &err)) > 0) {
			ck_assert_uint_le(*l + (size_t)r, n);
			if (*l + (size_t)r > n)
				break;
			ck_assert(memcmp(text + *l, tmp, (size_t)r) == 0);
			*l += (size_t)r;
			step = step % 97 + 1;
			if (*l == n)
				break;
		}
		ck_assert_uint_eq(*l, n);
		/* the second member, in big reads */
		*l = 0;
		while ((r = cx_input_read(in, d + *l, n + 1 - *l, &err)) > 0)
			*l += (size_t)r;
		ck_assert_uint_eq(*l, n);
		ck_assert(memcmp(d, text, n) == 0);
		ck_assert_int_eq(r, 0);
		ck_assert_uint_eq(cx_input_raw_bytes(in), 2 * zn);
		cx_input_close(in);
	}
	/* early close, the thread waiting on a full queue */
	in = cx_input_open(P("big.gz"), NULL, &err);
	ck_assert_int_gt(cx_input_read(in, tmp, sizeof tmp, &err), 0);
	usleep(20000);
	cx_input_close(in);
	free(text);
	free(a);
	free(b);
	free(z);
	free(two);
}
END_TEST

START_TEST(missing_and_directory)
{
	struct cx_error err;
	ck_assert_ptr_null(cx_input_open(P("nope.csv"), NULL, &err));
	ck_assert_int_eq(err.code, CX_ENOINPUT);
	ck_assert_str_eq(err.msg, "No such file or directory");
	ck_assert_ptr_null(cx_input_open(tmpdir, NULL, &err));
	ck_assert_str_eq(err.msg, "is a directory");
	ck_assert_int_eq(cx_exit_status(CX_ENOINPUT), CX_EXIT_NOINPUT);
}
END_TEST

static int
count_files(void)
{
	char cmd[sizeof tmpdir + 32];
	FILE *p;
	int n = -1;
	snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", tmpdir);
	p = popen(cmd, "r");
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

START_TEST(atomic_output)
{
	struct cx_error err;
	struct cx_output *o;
	struct stat st;
	const char *final = P("out.tsv");

	/* abort: nothing published, no temp left */
	o = cx_output_open(final, 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_output_puts(o, "partial\n", &err), 0);
	ck_assert_int_eq(count_files(), 1);   /* the temp file */
	cx_output_abort(o);
	ck_assert_int_eq(count_files(), 0);

	/* commit: published with mode 0600 (0644 only when public) */
	o = cx_output_open(final, 0, &err);
	ck_assert_int_eq(cx_output_printf(o, &err, "%s %d\n", "n", 42), 0);
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	ck_assert_int_eq(stat(final, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, 5);

	/* existing file: refused without force, replaced with it */
	ck_assert_ptr_null(cx_output_open(final, 0, &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	ck_assert_str_eq(err.msg, "file exists (use --force to replace it)");
	o = cx_output_open(final, CX_OUT_FORCE, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	ck_assert_int_eq(stat(final, &st), 0);
	ck_assert_int_eq(st.st_size, 0);

	/* output equal to an input */
	{
		const char *ins[] = { "-", final };
		ck_assert_int_eq(cx_output_check_not_input(final, ins, 2, &err), CX_EUSAGE);
		ck_assert_int_eq(cx_output_check_not_input(P("other"), ins, 2, &err), 0);
	}
}
END_TEST

/* Large writes (past the buffer: written as they are) mixed with small
 * ones (buffered), past several writeback hints: the bytes in order. */
START_TEST(large_writes)
{
	struct cx_error err;
	struct cx_output *o;
	size_t big = (3u << 20) + 7, total = 0, n, i;
	char *b = malloc(big), *got;
	unsigned char x = 0;
	int k;

	ck_assert_ptr_nonnull(b);
	o = cx_output_open(P("big.out"), 0, &err);
	ck_assert_ptr_nonnull(o);
	for (k = 0; k < 8; k++) {
		/* a large piece, with and without buffered bytes before it */
		for (i = 0; i < big; i++)
			b[i] = (char)(x + i * 7);
		ck_assert_int_eq(cx_output_write(o, b, big - (size_t)k, &err), 0);
		x = (unsigned char)(x + (big - (size_t)k) * 7);
		total += big - (size_t)k;
		if (k % 2 == 0) {
			ck_assert_int_eq(cx_output_putc(o, (char)x, &err), 0);
			x = (unsigned char)(x + 7);
			total++;
		}
	}
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	got = slurp(P("big.out"), &n);
	ck_assert_uint_eq(n, total);
	for (i = 0, x = 0; i < n; i++, x = (unsigned char)(x + 7))
		if ((unsigned char)got[i] != x)
			ck_abort_msg("byte %zu differs", i);
	free(got);
	free(b);
}
END_TEST

START_TEST(disk_full)
{
	struct cx_error err;
	struct cx_output *o = cx_output_open("/dev/full", 0, &err);
	char big[4096];
	int i, rc = 0;

	ck_assert_ptr_nonnull(o);
	memset(big, 'x', sizeof big);
	for (i = 0; i < 600 && rc == 0; i++)
		rc = cx_output_write(o, big, sizeof big, &err);
	if (rc == 0)
		rc = cx_output_commit(o, &err);
	else
		cx_output_abort(o);
	ck_assert_int_eq(rc, CX_EIO);
	ck_assert_int_eq(cx_exit_status(rc), CX_EXIT_IOERR);
	ck_assert_str_eq(err.msg, "write: No space left on device");
}
END_TEST

/* Pieces of every size around the buffer's, large ones written directly
 * between buffered ones: the file holds them in order. */
START_TEST(large_writes_mixed)
{
	static const size_t sizes[] = { 10, 700000, 3, 1572864, 1048571, 20, 600000, 524288,
	                                1, 1048576, 524287, 2097152 + 7, 5 };
	struct cx_error err;
	struct cx_output *o;
	const char *final = P("big.tsv");
	size_t total = 0, i, at = 0;
	char *want, *got;
	FILE *f;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		total += sizes[i];
	want = malloc(total);
	got = malloc(total + 1);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	for (i = 0; i < total; i++)
		want[i] = (char)('a' + (i * 7 + i / 4093) % 26);
	o = cx_output_open(final, 0, &err);
	ck_assert_ptr_nonnull(o);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ck_assert_int_eq(cx_output_write(o, want + at, sizes[i], &err), 0);
		at += sizes[i];
	}
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	f = fopen(final, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(got, 1, total + 1, f), total);
	fclose(f);
	ck_assert(memcmp(got, want, total) == 0);
	free(want);
	free(got);

	/* a failing direct write reports as a buffered one does */
	o = cx_output_open("/dev/full", 0, &err);
	ck_assert_ptr_nonnull(o);
	want = calloc(1, 2u << 20);
	ck_assert_ptr_nonnull(want);
	ck_assert_int_eq(cx_output_write(o, "x", 1, &err), 0);
	ck_assert_int_eq(cx_output_write(o, want, 2u << 20, &err), CX_EIO);
	ck_assert_str_eq(err.msg, "write: No space left on device");
	ck_assert_int_eq(cx_output_write(o, want, 2u << 20, &err), CX_EIO);
	cx_output_abort(o);
	free(want);
}
END_TEST

START_TEST(read_file)
{
	struct cx_error err;
	size_t n;
	char *s;

	put_n("small", "abc", 3);
	s = cx_read_file(P("small"), 100, &n, &err);
	ck_assert_str_eq(s, "abc");
	ck_assert_uint_eq(n, 3);
	cx_free(s);
	ck_assert_ptr_null(cx_read_file(P("small"), 2, &n, &err));
	ck_assert_int_eq(err.code, CX_ELIMIT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("io");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, plain_and_gzip);
	tcase_add_test(tc, gzip_faults);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, gzip_bomb_ratio);
	tcase_add_test(tc, gzip_thread);
	tcase_add_test(tc, missing_and_directory);
	tcase_add_test(tc, atomic_output);
	tcase_add_test(tc, disk_full);
	tcase_add_test(tc, large_writes);
	tcase_add_test(tc, large_writes_mixed);
	tcase_add_test(tc, read_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
