/* Canonical TSV: escapes, round trip (property), header and row errors,
 * grouping of customers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_mem.h"
#include "cx_test.h"
#include "cx_tsv.h"

START_TEST(escape_table)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "a\tb", "a\\tb" }, { "a\nb", "a\\nb" },
		{ "a\rb", "a\\rb" }, { "a\\b", "a\\\\b" }, { "\\t", "\\\\t" }, { "", "" },
	};
	char buf[64];
	size_t i, n;
	long m;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		n = cx_tsv_escape(buf, cases[i].in, strlen(cases[i].in));
		ck_assert_uint_eq(n, strlen(cases[i].out));
		ck_assert(memcmp(buf, cases[i].out, n) == 0);
		m = cx_tsv_unescape(buf, n);
		ck_assert_int_eq(m, (long)strlen(cases[i].in));
		ck_assert(memcmp(buf, cases[i].in, (size_t)m) == 0);
	}
	strcpy(buf, "a\\x");
	ck_assert_int_eq(cx_tsv_unescape(buf, 3), -1);
	strcpy(buf, "a\\");
	ck_assert_int_eq(cx_tsv_unescape(buf, 2), -1);
}
END_TEST

/* The word-at-a-time escape gives the bytes of a byte-at-a-time one, for
 * every length and position of the bytes to escape (and of bytes that only
 * look like them to the word test, such as 0x5d after 0x5c). */
START_TEST(escape_matches_bytewise)
{
	static const char alpha[] = "ab\\\t\n\r]\x0b\x0c\x8c\xdc\x89";
	char src[64], got[128], want[128];
	unsigned x = 99;
	int t;

	for (t = 0; t < 20000; t++) {
		size_t n, i, o = 0, k;
		x = x * 1103515245u + 12345u;
		n = (x >> 8) % 40;
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			src[i] = (x >> 16) % 4 ? (char)('A' + (x >> 20) % 26)
			                       : alpha[(x >> 20) % (sizeof alpha - 1)];
		}
		for (i = 0; i < n; i++)
			switch (src[i]) {
			case '\\': want[o++] = '\\'; want[o++] = '\\'; break;
			case '\t': want[o++] = '\\'; want[o++] = 't'; break;
			case '\n': want[o++] = '\\'; want[o++] = 'n'; break;
			case '\r': want[o++] = '\\'; want[o++] = 'r'; break;
			default: want[o++] = src[i];
			}
		k = cx_tsv_escape(got, src, n);
		ck_assert_uint_eq(k, o);
		ck_assert(memcmp(got, want, o) == 0);
	}
}
END_TEST

/* Property: any row of arbitrary bytes (no NUL) written then read comes back. */
START_TEST(round_trip_random)
{
	struct cx_error err;
	struct cx_output *out;
	struct cx_tsv_writer *w;
	struct cx_tsv_reader *r;
	static char vals[200][3][40];
	static size_t lens[200][3];
	char path[sizeof tmpdir + 32];
	const char *hdr[] = { "a", "b", "c" };
	unsigned seed = 12345;
	size_t i, j, k;

	snprintf(path, sizeof path, "%s/rt.tsv", tmpdir);
	out = cx_output_open(path, 0, &err);
	ck_assert_ptr_nonnull(out);
	w = cx_tsv_writer_new(out, &err);
	ck_assert_int_eq(cx_tsv_put_row(w, hdr, 3), 0);
	for (i = 0; i < 200; i++) {
		for (j = 0; j < 3; j++) {
			lens[i][j] = (seed = seed * 1103515245 + 12345) % 39;
			for (k = 0; k < lens[i][j]; k++) {
				static const char alphabet[] = "ab\t\n\r\\ \"',;\xc3\xa9x";
				seed = seed * 1103515245 + 12345;
				vals[i][j][k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
			ck_assert_int_eq(cx_tsv_put(w, vals[i][j], lens[i][j]), 0);
		}
		ck_assert_int_eq(cx_tsv_end_row(w), 0);
	}
	cx_tsv_writer_free(w);
	ck_assert_int_eq(cx_output_commit(out, &err), 0);

	r = cx_tsv_open(path, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(cx_tsv_ncols(r), 3);
	for (i = 0; i < 200; i++) {
		const struct cx_field *f;
		ck_assert_int_eq(cx_tsv_next(r, &err), 1);
		f = cx_tsv_fields(r);
		for (j = 0; j < 3; j++) {
			ck_assert_uint_eq(f[j].n, lens[i][j]);
			ck_assert(memcmp(f[j].p, vals[i][j], lens[i][j]) == 0);
		}
		ck_assert_int_eq(cx_tsv_line(r), (long)i + 2);
	}
	ck_assert_int_eq(cx_tsv_next(r, &err), 0);
	cx_tsv_close(r);
}
END_TEST

static const struct {
	const char *name, *data, *msg;
	long line;
	int open_fails;
} bad_cases[] = {
	{ "empty", "", "empty input (no header)", 0, 1 },
	{ "dupcol", "a\tb\ta\n", "duplicate column name 'a'", 1, 1 },
	{ "emptycol", "a\t\tb\n", "empty column name (column 2)", 1, 1 },
	{ "bom", "\xEF\xBB\xBF" "a\n", "byte order mark in a canonical stream (use cx-ingest --kind table)", 1, 1 },
	{ "short", "a\tb\tc\n1\t2\n", "expected 3 fields, got 2", 2, 0 },
	{ "long", "a\tb\n1\t2\t3\n", "expected 2 fields, got more", 2, 0 },
	{ "badesc", "a\tb\n1\\q\t2\n", "invalid escape '\\q' in field 1", 2, 0 },
	{ "cr", "a\tb\r\n1\t2\r\n", "carriage return in a canonical stream (CRLF line ends?)", 1, 1 },
	{ "trailing_bs", "a\n1\\\n", "backslash at end of line", 2, 0 },
};

START_TEST(bad_input)
{
	struct cx_error err;
	struct cx_tsv_reader *r;
	const char *path = put_n(bad_cases[_i].name, bad_cases[_i].data,
	                         strlen(bad_cases[_i].data));

	cx_error_clear(&err);
	r = cx_tsv_open(path, NULL, &err);
	if (bad_cases[_i].open_fails) {
		ck_assert_ptr_null(r);
	} else {
		ck_assert_ptr_nonnull(r);
		ck_assert_int_lt(cx_tsv_next(r, &err), 0);
		cx_tsv_close(r);
	}
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_str_eq(err.msg, bad_cases[_i].msg);
	ck_assert_int_eq(err.line, bad_cases[_i].line);
}
END_TEST

START_TEST(last_line_without_newline_and_require)
{
	struct cx_error err;
	const char *path = put("nolf", "k\tv\nx\t1\ny\t2");
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, &err);
	const char *need[] = { "v", "missing", "k", "also" };
	int idx[4];

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(cx_tsv_col(r, "v"), 1);
	ck_assert_int_eq(cx_tsv_col(r, "V"), -1);
	ck_assert_int_eq(cx_tsv_require(r, need, 4, idx, &err), CX_EDATA);
	ck_assert_str_eq(err.msg, "missing required columns 'missing', 'also'; the file has: k, v");
	ck_assert_int_eq(cx_tsv_require(r, need + 2, 1, idx, &err), 0);
	ck_assert_int_eq(idx[0], 0);
	ck_assert_int_eq(cx_tsv_next(r, &err), 1);
	ck_assert_int_eq(cx_tsv_next(r, &err), 1);
	ck_assert_str_eq(cx_tsv_fields(r)[1].p, "2");
	ck_assert_int_eq(cx_tsv_next(r, &err), 0);
	cx_tsv_close(r);
}
END_TEST

START_TEST(long_lines_across_buffers)
{
	struct cx_error err;
	size_t n = 3 * 1024 * 1024, i;
	char *data = malloc(n + 16);
	struct cx_tsv_reader *r;
	const char *path;

	memcpy(data, "a\tb\n", 4);
	for (i = 4; i < n; i++)
		data[i] = 'x';
	data[n / 2] = '\t';
	data[n] = '\n';
	path = put_n("big", data, n + 1);
	r = cx_tsv_open(path, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(cx_tsv_next(r, &err), 1);
	ck_assert_uint_eq(cx_tsv_fields(r)[0].n + cx_tsv_fields(r)[1].n, n - 5);
	cx_tsv_close(r);
	/* The same line over a 1 MiB limit is an error, not a silent cut. */
	{
		struct cx_tsv_opts o = { .max_line_bytes = 1 << 20 };
		r = cx_tsv_open(path, &o, &err);
		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(cx_tsv_next(r, &err), CX_ELIMIT);
		ck_assert_int_eq(err.line, 2);
		cx_tsv_close(r);
	}
	free(data);
}
END_TEST

START_TEST(grouper)
{
	struct cx_error err;
	const char *path = put("g", "customer_key\tv\na\t1\na\t2\nb\t3\nc\t4\nc\t5\nc\t6\n");
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, &err);
	struct cx_tsv_grouper *g;
	const struct cx_tsv_group *grp;
	const char *keys[] = { "a", "b", "c" };
	size_t sizes[] = { 2, 1, 3 }, i;

	ck_assert_ptr_nonnull(r);
	g = cx_tsv_grouper_new(r, 0, 0, &err);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), 1);
		ck_assert_str_eq(grp->key, keys[i]);
		ck_assert_uint_eq(grp->nrows, sizes[i]);
	}
	ck_assert_str_eq(grp->rows[2][1].p, "6");
	ck_assert_int_eq(grp->lines[2], 7);
	ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), 0);
	cx_tsv_grouper_free(g);
	cx_tsv_close(r);

	/* a customer split in two is caught by the sort check */
	path = put("g2", "customer_key\nb\na\nb\n");
	r = cx_tsv_open(path, NULL, &err);
	g = cx_tsv_grouper_new(r, 0, 0, &err);
	ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), 1);
	ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), CX_EDATA);
	ck_assert_str_eq(err.msg, "input not sorted by 'customer_key'");
	ck_assert_int_eq(err.line, 3);
	cx_tsv_grouper_free(g);
	cx_tsv_close(r);
}
END_TEST

/* Property: the grouper's rows, raw lines and line numbers equal what
 * cx_tsv_next reads from the same file, for groups of 1-4 rows with long
 * and escaped fields (a group's rows must survive the reading of the
 * next group's first row). */
START_TEST(grouper_matches_reader)
{
	struct cx_error err;
	struct cx_output *out;
	struct cx_tsv_writer *w;
	struct cx_tsv_reader *r, *r2;
	struct cx_tsv_grouper *g;
	const struct cx_tsv_group *grp;
	static const char alphabet[] = "ab\t\n\r\\ x0123456789";
	const char *hdr[] = { "v", "customer_key", "w" };
	char path[sizeof tmpdir + 32], val[80], key[16];
	unsigned seed = 777;
	size_t i, j, k, rows = 0, groups = 0;

	snprintf(path, sizeof path, "%s/gm.tsv", tmpdir);
	out = cx_output_open(path, 0, &err);
	ck_assert_ptr_nonnull(out);
	w = cx_tsv_writer_new(out, &err);
	ck_assert_int_eq(cx_tsv_put_row(w, hdr, 3), 0);
	for (i = 0; i < 300; i++) {
		size_t nr = 1 + (seed = seed * 1103515245 + 12345) % 4;
		snprintf(key, sizeof key, "k%05zu", i);
		for (j = 0; j < nr; j++) {
			size_t len[2];
			for (k = 0; k < 2; k++) {
				size_t m;
				len[k] = (seed = seed * 1103515245 + 12345) % 79;
				for (m = 0; m < len[k]; m++) {
					seed = seed * 1103515245 + 12345;
					val[m] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
				}
				ck_assert_int_eq(cx_tsv_put(w, val, len[k]), 0);
				if (k == 0)
					ck_assert_int_eq(cx_tsv_puts(w, key), 0);
			}
			ck_assert_int_eq(cx_tsv_end_row(w), 0);
		}
	}
	cx_tsv_writer_free(w);
	ck_assert_int_eq(cx_output_commit(out, &err), 0);

	r = cx_tsv_open(path, NULL, &err);
	r2 = cx_tsv_open(path, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(r2);
	g = cx_tsv_grouper_new(r, 1, 0, &err);
	ck_assert_ptr_nonnull(g);
	cx_error_clear(&err);
	while (cx_tsv_grouper_next(g, &grp, &err) == 1) {
		groups++;
		for (i = 0; i < grp->nrows; i++) {
			const struct cx_field *f;
			struct cx_field raw;
			ck_assert_int_eq(cx_tsv_next(r2, &err), 1);
			f = cx_tsv_fields(r2);
			raw = cx_tsv_raw(r2);
			ck_assert_int_eq(grp->lines[i], cx_tsv_line(r2));
			ck_assert_uint_eq(grp->raw[i].n, raw.n);
			ck_assert(memcmp(grp->raw[i].p, raw.p, raw.n) == 0);
			for (j = 0; j < 3; j++) {
				ck_assert_uint_eq(grp->rows[i][j].n, f[j].n);
				ck_assert(memcmp(grp->rows[i][j].p, f[j].p, f[j].n + 1) == 0);
			}
			ck_assert_str_eq(grp->key, f[1].p);
			rows++;
		}
	}
	ck_assert_int_eq(err.code, 0);
	ck_assert_uint_eq(groups, 300);
	ck_assert_int_eq(cx_tsv_next(r2, &err), 0);
	ck_assert_uint_gt(rows, 300);
	cx_tsv_grouper_free(g);
	cx_tsv_close(r);
	cx_tsv_close(r2);
}
END_TEST

/* Property: with cx_tsv_shard, cx_tsv_next and a grouper see exactly the
 * rows whose unescaped key is in the shard (cx_tsv_shard_of), with their
 * raw lines and line numbers, for keys with escapes, keys longer than the
 * filter's memory of the last key, and runs of one key; a malformed row of
 * another shard is passed over, and reported by its own shard's reader. */
START_TEST(shard_filter)
{
	struct cx_error err;
	struct cx_output *out;
	struct cx_tsv_writer *w;
	static const char alphabet[] = "ab\t\n\\x09";
	const char *hdr[] = { "v", "customer_key", "w" };
	char path[sizeof tmpdir + 32], key[128];
	unsigned seed = 4242, nshards, k;
	size_t i, j, m;

	snprintf(path, sizeof path, "%s/sh.tsv", tmpdir);
	out = cx_output_open(path, 0, &err);
	ck_assert_ptr_nonnull(out);
	w = cx_tsv_writer_new(out, &err);
	ck_assert_int_eq(cx_tsv_put_row(w, hdr, 3), 0);
	for (i = 0; i < 400; i++) {
		size_t nr = 1 + (seed = seed * 1103515245 + 12345) % 3;
		size_t len = (size_t)snprintf(key, sizeof key, "k%05zu", i);
		size_t extra = (seed = seed * 1103515245 + 12345) % 4 == 0 ? 70 : (seed >> 16) % 6;
		for (m = 0; m < extra; m++) {
			seed = seed * 1103515245 + 12345;
			key[len++] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		for (j = 0; j < nr; j++) {
			ck_assert_int_eq(cx_tsv_puts(w, "v\\1"), 0);
			ck_assert_int_eq(cx_tsv_put(w, key, len), 0);
			ck_assert_int_eq(cx_tsv_put_i64(w, (int64_t)j), 0);
			ck_assert_int_eq(cx_tsv_end_row(w), 0);
		}
	}
	cx_tsv_writer_free(w);
	ck_assert_int_eq(cx_output_commit(out, &err), 0);

	for (nshards = 1; nshards <= 5; nshards += 2)
		for (k = 0; k < nshards; k++) {
			struct cx_tsv_reader *all = cx_tsv_open(path, NULL, &err);
			struct cx_tsv_reader *r = cx_tsv_open(path, NULL, &err);
			struct cx_tsv_reader *rg = cx_tsv_open(path, NULL, &err);
			struct cx_tsv_grouper *g;
			const struct cx_tsv_group *grp = NULL;
			size_t gi = 0, kept = 0;
			int rc;
			ck_assert_ptr_nonnull(all);
			ck_assert_ptr_nonnull(r);
			ck_assert_ptr_nonnull(rg);
			cx_tsv_shard(r, 1, k, nshards);
			cx_tsv_shard(rg, 1, k, nshards);
			g = cx_tsv_grouper_new(rg, 1, 0, &err);
			ck_assert_ptr_nonnull(g);
			while ((rc = cx_tsv_next(all, &err)) == 1) {
				const struct cx_field *f = cx_tsv_fields(all), *fr;
				struct cx_field raw = cx_tsv_raw(all), rr;
				if (nshards > 1 && cx_tsv_shard_of(f[1].p, f[1].n, nshards) != k)
					continue;
				kept++;
				ck_assert_int_eq(cx_tsv_next(r, &err), 1);
				fr = cx_tsv_fields(r);
				rr = cx_tsv_raw(r);
				ck_assert_int_eq(cx_tsv_line(r), cx_tsv_line(all));
				ck_assert_uint_eq(rr.n, raw.n);
				ck_assert(memcmp(rr.p, raw.p, raw.n) == 0);
				ck_assert_uint_eq(fr[1].n, f[1].n);
				ck_assert(memcmp(fr[1].p, f[1].p, f[1].n) == 0);
				if (grp == NULL || gi == grp->nrows) {
					ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), 1);
					gi = 0;
				}
				ck_assert_int_eq(grp->lines[gi], cx_tsv_line(all));
				ck_assert_uint_eq(grp->raw[gi].n, raw.n);
				ck_assert(memcmp(grp->raw[gi].p, raw.p, raw.n) == 0);
				gi++;
			}
			ck_assert_int_eq(rc, 0);
			ck_assert_int_eq(cx_tsv_next(r, &err), 0);
			ck_assert(grp == NULL || gi == grp->nrows);
			ck_assert_int_eq(cx_tsv_grouper_next(g, &grp, &err), 0);
			ck_assert_uint_gt(kept, nshards > 1 ? 50 : 700);
			cx_tsv_grouper_free(g);
			cx_tsv_close(all);
			cx_tsv_close(r);
			cx_tsv_close(rg);
		}

	/* a short row: skipped by the shard that does not own its key, an
	 * error for the one that does; a row too short to hold the key column
	 * is an error for every shard */
	{
		const char *p2 = put("sh2", "v\tcustomer_key\tw\nx\ta\t1\nx\tb\nx\tc\t3\n");
		unsigned own = cx_tsv_shard_of("b", 1, 2);
		for (k = 0; k < 2; k++) {
			struct cx_tsv_reader *r = cx_tsv_open(p2, NULL, &err);
			int rc;
			cx_tsv_shard(r, 1, k, 2);
			while ((rc = cx_tsv_next(r, &err)) == 1)
				;
			ck_assert_int_eq(rc, k == own ? CX_EDATA : 0);
			cx_tsv_close(r);
		}
		p2 = put("sh3", "v\tcustomer_key\tw\nx\ta\t1\nx\nx\tc\t3\n");
		for (k = 0; k < 2; k++) {
			struct cx_tsv_reader *r = cx_tsv_open(p2, NULL, &err);
			int rc;
			cx_tsv_shard(r, 1, k, 2);
			while ((rc = cx_tsv_next(r, &err)) == 1)
				;
			ck_assert_int_eq(rc, CX_EDATA);
			ck_assert_int_eq(err.line, 3);
			cx_tsv_close(r);
		}
	}
}
END_TEST

START_TEST(grouper_seek)
{
	struct cx_error err;
	const char *path = put("gs", "customer_key\tv\na\t1\nb\t2\nb\t3\nd\t4\nf\t5\n");
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, &err);
	struct cx_tsv_grouper *g = cx_tsv_grouper_new(r, 0, 0, &err);
	const struct cx_tsv_group *grp = NULL;
	long skipped = 0;

	/* from nothing read yet to the exact key */
	ck_assert_int_eq(cx_tsv_grouper_seek(g, &grp, "b", &skipped, &err), 1);
	ck_assert_str_eq(grp->key, "b");
	ck_assert_uint_eq(grp->nrows, 2);
	ck_assert_int_eq(skipped, 1);
	/* an unused group at or after the key is kept */
	ck_assert_int_eq(cx_tsv_grouper_seek(g, &grp, "a", &skipped, &err), 1);
	ck_assert_str_eq(grp->key, "b");
	/* a key between groups stops at the next greater one */
	grp = NULL;   /* b used */
	ck_assert_int_eq(cx_tsv_grouper_seek(g, &grp, "c", &skipped, &err), 1);
	ck_assert_str_eq(grp->key, "d");
	ck_assert_int_eq(skipped, 1);
	/* past the last group: the end, d and f passed over */
	ck_assert_int_eq(cx_tsv_grouper_seek(g, &grp, "g", &skipped, &err), 0);
	ck_assert_ptr_null(grp);
	ck_assert_int_eq(skipped, 3);
	ck_assert_int_eq(cx_tsv_grouper_seek(g, &grp, "h", &skipped, &err), 0);
	cx_tsv_grouper_free(g);
	cx_tsv_close(r);
}
END_TEST

START_TEST(raw_passthrough)
{
	struct cx_error err;
	const char *path = put("raw", "a\tb\nx\\ty\tz\n");
	struct cx_tsv_reader *r = cx_tsv_open(path, NULL, &err);
	struct cx_field raw;

	ck_assert_int_eq(cx_tsv_next(r, &err), 1);
	raw = cx_tsv_raw(r);
	ck_assert_uint_eq(raw.n, 6);
	ck_assert(memcmp(raw.p, "x\\ty\tz", 6) == 0);
	ck_assert_str_eq(cx_tsv_fields(r)[0].p, "x\ty");
	cx_tsv_close(r);
}
END_TEST

/* Every allocation failing in turn gives a clean error, never a crash. */
START_TEST(oom_each_allocation)
{
	struct cx_error err;
	const char *path = put("oom", "customer_key\tv\na\t1\na\t2\nb\t3\n");
	long n;
	int ok_runs = 0;

	for (n = 1; n < 60; n++) {
		struct cx_tsv_reader *r;
		struct cx_tsv_grouper *g = NULL;
		const struct cx_tsv_group *grp;
		int rc = 0, groups = 0;

		cx_mem_fail_after(n);
		r = cx_tsv_open(path, NULL, &err);
		if (r != NULL)
			g = cx_tsv_grouper_new(r, 0, 0, &err);
		if (g != NULL)
			while ((rc = cx_tsv_grouper_next(g, &grp, &err)) == 1)
				groups++;
		if (r == NULL || g == NULL || rc < 0)
			ck_assert_int_eq(err.code, CX_ENOMEM);
		else {
			ck_assert_int_eq(groups, 2);
			ok_runs++;
		}
		cx_tsv_grouper_free(g);
		cx_tsv_close(r);
	}
	cx_mem_fail_after(0);
	ck_assert_int_gt(ok_runs, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tsv");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, escape_table);
	tcase_add_test(tc, escape_matches_bytewise);
	tcase_add_test(tc, round_trip_random);
	tcase_add_loop_test(tc, bad_input, 0, sizeof bad_cases / sizeof *bad_cases);
	tcase_add_test(tc, last_line_without_newline_and_require);
	tcase_add_test(tc, long_lines_across_buffers);
	tcase_add_test(tc, grouper);
	tcase_add_test(tc, grouper_matches_reader);
	tcase_add_test(tc, grouper_seek);
	tcase_add_test(tc, shard_filter);
	tcase_add_test(tc, raw_passthrough);
	tcase_add_test(tc, oom_each_allocation);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
