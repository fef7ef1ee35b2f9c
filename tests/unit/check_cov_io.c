/* cx_io edges: outputs to devices, large and formatted writes, the
 * reserve limit, abort, the output-is-an-input check; inputs that are
 * directories, corrupt, truncated, concatenated or trailing-garbage gzip,
 * small reads, file size limits; out of memory while opening gzip. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cx_io.h"
#include "cx_mem.h"
#include "cx_test.h"


static void
write_gz(const char *path, const char *text, int members)
{
	for (int m = 0; m < members; m++) {
		gzFile g = gzopen(path, m ? "ab" : "wb");
		ck_assert_ptr_nonnull(g);
		ck_assert_int_gt(gzputs(g, text), 0);
		ck_assert_int_eq(gzclose(g), Z_OK);
	}
}

static int
slurp_input(const char *path, size_t chunk, size_t *total, struct cx_error *err)
{
	struct cx_input *in = cx_input_open(path, NULL, err);
	char buf[4096];
	ssize_t r;
	*total = 0;
	if (!in)
		return err->code;
	while ((r = cx_input_read(in, buf, chunk, err)) > 0)
		*total += (size_t)r;
	ck_assert_uint_eq(cx_input_bytes(in), *total);
	(void)cx_input_raw_bytes(in);
	(void)cx_input_is_gzip(in);
	cx_input_close(in);
	return r < 0 ? (int)r : 0;
}

START_TEST(outputs)
{
	struct cx_error err;
	struct cx_output *o;
	static char big[3 << 20];
	char line[5000];
	char *p;
	size_t n;

	/* a character device: written directly, no temporary file */
	o = cx_output_open("/dev/null", 0, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_output_puts(o, "x\n", &err), 0);
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	o = cx_output_open("/dev/null", 0, &err);
	cx_output_abort(o);
	cx_output_abort(NULL);

	/* large writes, formatted lines longer than the small buffer, reserve */
	memset(big, 'a', sizeof big);
	memset(line, 'b', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	o = cx_output_open(P("big.txt"), CX_OUT_FORCE, &err);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cx_output_name(o), P("big.txt"));
	ck_assert_int_eq(cx_output_write(o, big, sizeof big, &err), 0);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(cx_output_printf(o, &err, "%s %d\n", line, i), 0);
	ck_assert_ptr_null(cx_output_reserve(o, (1u << 20) + 1, &err));
	for (int i = 0; i < 40; i++) {
		p = cx_output_reserve(o, 65536, &err);
		ck_assert_ptr_nonnull(p);
		memset(p, 'c', 65536);
		cx_output_advance(o, 65536);
	}
	ck_assert_int_eq(cx_output_putc(o, '\n', &err), 0);
	cx_mem_fail_after(1);   /* the big printf buffer */
	ck_assert_int_eq(cx_output_printf(o, &err, "%s", line), CX_ENOMEM);
	cx_mem_fail_after(0);
	ck_assert_int_eq(cx_output_commit(o, &err), 0);
	{
		struct stat st;
		ck_assert_int_eq(stat(P("big.txt"), &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0600);
		/* 3 MiB, 300 lines of 4999 + 1 + digits + 1 bytes (790 digits in
		 * all), 40 reserved blocks, one newline; the failed printf nothing */
		ck_assert_int_eq(st.st_size, (off_t)(sizeof big + 300 * 5001 + 790 + 40 * 65536 + 1));
	}
	/* refuses to replace without force; aborted file leaves nothing */
	ck_assert_ptr_null(cx_output_open(P("big.txt"), 0, &err));
	o = cx_output_open(P("gone.txt"), 0, &err);
	ck_assert_int_eq(cx_output_write(o, big, 4096, &err), 0);
	cx_output_abort(o);
	ck_assert_int_ne(access(P("gone.txt"), F_OK), 0);
	/* a directory that does not exist */
	ck_assert_ptr_null(cx_output_open(P("no/such/file"), 0, &err));
	ck_assert_int_eq(err.code, CX_ECREAT);
	/* cx_read_file and its limit */
	ck_assert_ptr_null(cx_read_file(P("big.txt"), 1000, &n, &err));
	ck_assert_int_eq(err.code, CX_ELIMIT);
	p = cx_read_file(P("big.txt"), 64u << 20, NULL, &err);
	ck_assert_ptr_nonnull(p);
	cx_free(p);
	ck_assert_ptr_null(cx_read_file(P("nope"), 10, &n, &err));
}
END_TEST

START_TEST(output_is_input)
{
	struct cx_error err;
	const char *ins[3];
	FILE *f = fopen(P("a"), "w");
	fputs("a\n", f);
	fclose(f);
	f = fopen(P("b"), "w");
	fclose(f);
	ins[0] = NULL;
	ins[1] = "-";
	ins[2] = P("b");
	ck_assert_int_eq(cx_output_check_not_input(P("a"), ins, 3, &err), 0);
	ck_assert_int_eq(cx_output_check_not_input(NULL, ins, 3, &err), 0);
	ck_assert_int_eq(cx_output_check_not_input("-", ins, 3, &err), 0);
	ck_assert_int_eq(cx_output_check_not_input(P("new"), ins, 3, &err), 0);
	ins[0] = P("a");
	ck_assert_int_eq(cx_output_check_not_input(P("a"), ins, 1, &err), CX_EUSAGE);
	ck_assert_int_eq(link(P("a"), P("hard")), 0);
	ck_assert_int_eq(cx_output_check_not_input(P("hard"), ins, 1, &err), CX_EUSAGE);
}
END_TEST

START_TEST(inputs)
{
	struct cx_error err;
	size_t total;
	static char text[200000];
	FILE *f;

	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = i % 61 == 60 ? '\n' : (char)('a' + i % 26);
	text[sizeof text - 1] = '\0';
	ck_assert_int_eq(slurp_input(tmpdir, 100, &total, &err), CX_ENOINPUT);
	ck_assert_int_eq(slurp_input(P("missing"), 100, &total, &err), CX_ENOINPUT);

	/* plain, read in tiny and in zero-size pieces */
	f = fopen(P("plain"), "w");
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(slurp_input(P("plain"), 7, &total, &err), 0);
	ck_assert_uint_eq(total, sizeof text - 1);
	{
		struct cx_input *in = cx_input_open(P("plain"), NULL, &err);
		char c;
		ck_assert_int_eq(cx_input_read(in, &c, 0, &err), 0);
		cx_input_close(in);
		cx_input_close(NULL);
	}
	/* gzip: one member, three members, in small reads */
	write_gz(P("one.gz"), text, 1);
	ck_assert_int_eq(slurp_input(P("one.gz"), 4096, &total, &err), 0);
	ck_assert_uint_eq(total, sizeof text - 1);
	write_gz(P("three.gz"), text, 3);
	ck_assert_int_eq(slurp_input(P("three.gz"), 13, &total, &err), 0);
	ck_assert_uint_eq(total, 3 * (sizeof text - 1));
	/* cut, corrupt, trailing garbage: CX_EDATA */
	{
		static char gz[1 << 16];   /* the compressed bytes (cx_read_file would inflate) */
		size_t n;
		f = fopen(P("one.gz"), "rb");
		ck_assert_ptr_nonnull(f);
		n = fread(gz, 1, sizeof gz, f);
		fclose(f);
		ck_assert_uint_gt(n, 100);
		for (int k = 0; k < 4; k++) {
			f = fopen(P("bad.gz"), "wb");
			if (k == 0)
				fwrite(gz, 1, n / 2, f);                 /* truncated */
			else if (k == 1) {
				gz[n / 2] ^= 0x55;                        /* corrupt */
				fwrite(gz, 1, n, f);
				gz[n / 2] ^= 0x55;
			} else if (k == 2) {
				fwrite(gz, 1, n, f);                      /* trailing garbage */
				fputs("garbage", f);
			} else {
				gz[n - 5] ^= 0x01;                        /* bad length/CRC */
				fwrite(gz, 1, n, f);
				gz[n - 5] ^= 0x01;
			}
			fclose(f);
			ck_assert_msg(slurp_input(P("bad.gz"), 4096, &total, &err) < 0, "case %d", k);
			ck_assert_msg(err.msg[0], "case %d", k);
		}
		/* only the magic */
		f = fopen(P("magic.gz"), "wb");
		fwrite(gz, 1, 2, f);
		fclose(f);
		ck_assert_int_lt(slurp_input(P("magic.gz"), 4096, &total, &err), 0);
	}
	/* the decompressed size limit */
	{
		struct cx_input_opts io = { .max_input_bytes = 1000 };
		struct cx_input *in = cx_input_open(P("one.gz"), &io, &err);
		char buf[4096];
		ssize_t r;
		ck_assert_ptr_nonnull(in);
		while ((r = cx_input_read(in, buf, sizeof buf, &err)) > 0)
			;
		ck_assert_int_eq(r, CX_ELIMIT);
		cx_input_close(in);
		in = cx_input_open(P("plain"), &io, &err);
		while ((r = cx_input_read(in, buf, sizeof buf, &err)) > 0)
			;
		ck_assert_int_eq(r, CX_ELIMIT);
		cx_input_close(in);
	}
	/* out of memory while opening and reading gzip */
	for (long k = 1; k < 16; k++) {
		int rc;
		cx_mem_fail_after(k);
		rc = slurp_input(P("one.gz"), 4096, &total, &err);
		cx_mem_fail_after(0);
		ck_assert(rc == 0 || err.code == CX_ENOMEM);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_io");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, outputs);
	tcase_add_test(tc, output_is_input);
	tcase_add_test(tc, inputs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
