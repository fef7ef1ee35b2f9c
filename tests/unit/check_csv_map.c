/* cx_csv over a mapped file (a plain file of 1 MiB or more, parsed where it
 * lies) gives the same records, fields, raw bytes, line numbers, problems
 * and counts as over the same bytes in memory (read through the buffer):
 * random mixes of LF, CRLF and lone-CR line ends, blank lines, quoted
 * fields with delimiters, quotes and line ends inside, quote errors,
 * control bytes, invalid UTF-8 and short rows. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_csv.h"
#include "cx_test.h"

static const char *const pieces[] = {
	"a,b,c", "1,2,3", "\"x,y\",2,3", "\"he said \"\"hi\"\"\",2,3", "\"two\nlines\",2,3",
	"\"cr\r\nlf\",2,3", "Castaño,Peña,ü", "x\"y,2,3", "\"a\"b,2,3", "1,2", "1,2,3,4",
	"nul\001,2,3", "bad\xff,2,3", "   ", "", "long,long,long long long long long long",
};
static const char *const ends[] = { "\n", "\r\n", "\r", "\n\n" };

static char *gen(size_t want, unsigned seed, size_t *n)
{
	size_t cap = want + 256, len = 0;
	char *b = malloc(cap);

	ck_assert_ptr_nonnull(b);
	srand(seed);
	len = (size_t)snprintf(b, cap, "h1,h2,h3\n");
	while (len < want) {
		const char *p = pieces[rand() % (int)(sizeof pieces / sizeof pieces[0])];
		const char *e = ends[rand() % (int)(sizeof ends / sizeof ends[0])];
		len += (size_t)snprintf(b + len, cap - len, "%s%s", p, e);
	}
	*n = len;
	return b;
}

/* Everything the reader says, record by record, appended to out. */
static char *dump(struct cx_csv_reader *r, struct cx_error *err, size_t *outn)
{
	size_t cap = 1 << 16, len = 0;
	char *o = malloc(cap);
	int rc;

	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(o);
	for (;;) {
		const struct cx_field *f;
		struct cx_field raw;
		size_t i, need;

		rc = cx_csv_next(r, err);
		raw = cx_csv_raw(r);
		need = len + raw.n + 512;
		f = cx_csv_fields(r);
		for (i = 0; rc == 1 && i < cx_csv_nfields(r); i++)
			need += f[i].n + 1;
		if (need > cap) {
			while (need > cap)
				cap *= 2;
			ck_assert_ptr_nonnull(o = realloc(o, cap));
		}
		len += (size_t)snprintf(o + len, cap - len, "rc=%d line=%ld ", rc,
		                        rc > 0 ? cx_csv_line(r) : 0L);
		if (rc <= 0)
			break;
		memcpy(o + len, raw.p, raw.n);
		len += raw.n;
		len += (size_t)snprintf(o + len, cap - len, " | %s |", rc == 2 ? cx_csv_reason(r) : "");
		for (i = 0; rc == 1 && i < cx_csv_nfields(r); i++) {
			memcpy(o + len, f[i].p, f[i].n);
			len += f[i].n;
			o[len++] = '\x1f';
		}
		o[len++] = '\n';
	}
	len += (size_t)snprintf(o + len, cap - len, "blank=%llu records=%llu bytes=%llu",
	                        (unsigned long long)cx_csv_blank_lines(r),
	                        (unsigned long long)cx_csv_records(r),
	                        (unsigned long long)cx_csv_bytes(r));
	*outn = len;
	return o;
}

static void same_both_ways(unsigned seed, unsigned flags)
{
	struct cx_csv_opts o;
	struct cx_error e1, e2;
	size_t n, an, bn;
	char *data = gen((3u << 19) + seed * 1000, seed, &n);   /* 1.5 MiB and more */
	const char *path = put_n("big.csv", data, n);
	char *a, *b;

	memset(&o, 0, sizeof o);
	o.flags = flags;
	o.delim = ',';
	cx_error_clear(&e1);
	cx_error_clear(&e2);
	{
		struct cx_csv_reader *r = cx_csv_open(path, &o, &e1);
		a = dump(r, &e1, &an);
		cx_csv_close(r);
	}
	{
		struct cx_csv_reader *r = cx_csv_open_mem(data, n, path, &o, &e2);
		b = dump(r, &e2, &bn);
		cx_csv_close(r);
	}
	ck_assert_uint_eq(an, bn);
	ck_assert_msg(memcmp(a, b, an) == 0, "mapped and in-memory reads differ (seed %u)", seed);
	ck_assert_int_eq(e1.code, e2.code);
	free(a);
	free(b);
	free(data);
}

START_TEST(mapped_same_as_memory)
{
	tmp_setup();
	same_both_ways(1, CX_CSV_HEADER | CX_CSV_RAGGED);
	same_both_ways(2, CX_CSV_HEADER);
	same_both_ways(3, 0);
	same_both_ways(4, CX_CSV_NOFAST);
	tmp_teardown();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csv_map");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, mapped_same_as_memory);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
