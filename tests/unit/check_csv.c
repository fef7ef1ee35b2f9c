/* cx_csv: the raw record reader.  Table-driven over inline inputs and the
 * catalogue files in testdata/bad/ (engineering.md Part A §5: 01-08, 10,
 * 12, 13, 16-30, 38-46 at the reader level), plus limits, delimiter
 * detection, gzip written here with zlib, and a round-trip property test
 * (random records written with minimal quoting and random line ends are
 * read back exactly, by the fast path and by libcsv alone).
 *
 * Each case is read to the end and rendered as a trace:
 *   "<line>[f1|f2]"  a record (\n \r \t \| \\ escaped in fields)
 *   "<line>!reason"  a record-level problem
 *   "FATAL <line>: message" / "OPEN <line>: message"
 *   "EOF r=<records> p=<problems> b=<blank lines>"
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cx_csv.h"
#include "cx_mem.h"
#include "cx_utf8.h"

#define H CX_CSV_HEADER
#define HR (CX_CSV_HEADER | CX_CSV_RAGGED)

static char tbuf[1 << 16];

static void
tput(const char *s, size_t n)
{
	size_t l = strlen(tbuf);
	if (l + n + 1 < sizeof tbuf) {
		memcpy(tbuf + l, s, n);
		tbuf[l + n] = '\0';
	}
}

static void
tputs(const char *s)
{
	tput(s, strlen(s));
}

static void
tfield(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '\n': tputs("\\n"); break;
		case '\r': tputs("\\r"); break;
		case '\t': tputs("\\t"); break;
		case '|': tputs("\\|"); break;
		case '\\': tputs("\\\\"); break;
		default: tput(p + i, 1);
		}
	}
}

static const char *
trace(struct cx_csv_reader *r, struct cx_error *err)
{
	char b[700];
	int rc;
	size_t i;

	if (r == NULL) {
		snprintf(b, sizeof b, "OPEN %ld: %s", err->line, err->msg);
		tputs(b);
		return tbuf;
	}
	while ((rc = cx_csv_next(r, err)) > 0) {
		if (tbuf[0])
			tputs(" ");
		if (rc == 2) {
			snprintf(b, sizeof b, "%ld!%s", cx_csv_line(r), cx_csv_reason(r));
			tputs(b);
			continue;
		}
		snprintf(b, sizeof b, "%ld[", cx_csv_line(r));
		tputs(b);
		for (i = 0; i < cx_csv_nfields(r); i++) {
			if (i)
				tputs("|");
			tfield(cx_csv_fields(r)[i].p, cx_csv_fields(r)[i].n);
		}
		tputs("]");
	}
	if (tbuf[0])
		tputs(" ");
	if (rc < 0)
		snprintf(b, sizeof b, "FATAL %ld: %s", err->line, err->msg);
	else
		snprintf(b, sizeof b, "EOF r=%llu p=%llu b=%llu",
		    (unsigned long long)cx_csv_records(r), (unsigned long long)cx_csv_problems(r),
		    (unsigned long long)cx_csv_blank_lines(r));
	tputs(b);
	cx_csv_close(r);
	return tbuf;
}

static const char *
trace_mem(const char *s, size_t n, unsigned flags, int delim, int enc)
{
	struct cx_csv_opts o;
	struct cx_error err;

	memset(&o, 0, sizeof o);
	o.flags = flags;
	o.delim = delim;
	o.encoding = enc;
	cx_error_clear(&err);
	tbuf[0] = '\0';
	return trace(cx_csv_open_mem(s, n, "t.csv", &o, &err), &err);
}

static const char *
trace_file(const char *path, const struct cx_csv_opts *o)
{
	struct cx_error err;

	cx_error_clear(&err);
	tbuf[0] = '\0';
	return trace(cx_csv_open(path, o, &err), &err);
}

/* ---- inline cases ----------------------------------------------------- */

#define S(lit) lit, sizeof(lit) - 1
static const struct {
	const char *name;
	const char *in;
	size_t n;
	unsigned flags;
	int delim, enc;
	const char *want;
} cases[] = {
	{"basic", S("a,b\n1,2\n"), 0, 0, 0, "1[a|b] 2[1|2] EOF r=2 p=0 b=0"},
	{"no final newline (26)", S("a,b\n1,2"), 0, 0, 0, "1[a|b] 2[1|2] EOF r=2 p=0 b=0"},
	{"empty fields", S(",\n,,x\n"), 0, 0, 0, "1[|] 2[||x] EOF r=2 p=0 b=0"},
	{"quoted and escaped", S("\"a,b\",\"c\"\"d\",\"\"\n"), 0, 0, 0, "1[a,b|c\"d|] EOF r=1 p=0 b=0"},
	{"bytes kept, no trimming", S(" e ,f , g,h \n"), 0, 0, 0, "1[ e |f | g|h ] EOF r=1 p=0 b=0"},
	{"CRLF", S("a,b\r\n1,2\r\n"), 0, 0, 0, "1[a|b] 2[1|2] EOF r=2 p=0 b=0"},
	{"CR only (23)", S("a,b\r1,2\r3,4"), 0, 0, 0, "1[a|b] 2[1|2] 3[3|4] EOF r=3 p=0 b=0"},
	{"mixed line ends (24)", S("a\r\nb\rc\nd\r\n"), 0, 0, 0, "1[a] 2[b] 3[c] 4[d] EOF r=4 p=0 b=0"},
	{"blank lines (12)", S("a\n\n\nb\r\n\r\nc\r\rd"), 0, 0, 0, "1[a] 4[b] 6[c] 8[d] EOF r=4 p=0 b=4"},
	{"leading blank lines", S("\n\r\na\n"), 0, 0, 0, "3[a] EOF r=1 p=0 b=2"},
	{"only blank lines", S("\n\n"), 0, 0, 0, "EOF r=0 p=0 b=2"},
	{"whitespace-only line (13)", S("a,b\n   \n\t\n1,2\n"), 0, 0, 0,
	 "1[a|b] 2!whitespace-only line 3!whitespace-only line 4[1|2] EOF r=2 p=2 b=0"},
	{"quoted CRLF kept (25)", S("a,b\r\n\"x\r\ny\",z\r\nq,r\r\n"), 0, 0, 0,
	 "1[a|b] 2[x\\r\\ny|z] 4[q|r] EOF r=3 p=0 b=0"},
	{"quoted lone CR then blank", S("\"x\ry\"\r\r\nz"), 0, 0, 0, "1[x\\ry] 4[z] EOF r=2 p=0 b=1"},
	{"quoted field at EOF, no newline", S("a,\"b\nc\""), 0, 0, 0, "1[a|b\\nc] EOF r=1 p=0 b=0"},
	{"unterminated quote at EOF (01)", S("a,b\n1,2\n3,\"open\n4,5\n"), 0, 0, 0,
	 "1[a|b] 2[1|2] FATAL 3: unterminated quoted field starting at line 3"},
	{"quote swallows lines (02)", S("a,b\n1,\"x\n2,y\n3,z\"q\n4,w\n"), 0, 0, 0,
	 "1[a|b] FATAL 2: unterminated quoted field starting at line 2 (quote error at line 4)"},
	{"quote in unquoted field (03)", S("a,b\n1,Luis \"Lucho\" G\n2,x\n"), 0, 0, 0,
	 "1[a|b] 2!quote inside unquoted field 3[2|x] EOF r=2 p=1 b=0"},
	{"junk after closing quote (04)", S("a,b\n1,\"Luis\"Gomez\r\n2,x\n"), 0, 0, 0,
	 "1[a|b] 2!unexpected character after closing quote 3[2|x] EOF r=2 p=1 b=0"},
	{"space after closing quote (05)", S("a,b\n\"Luis Gomez\" ,1\n2,x\n"), 0, 0, 0,
	 "1[a|b] 2!unexpected character after closing quote 3[2|x] EOF r=2 p=1 b=0"},
	{"space before opening quote (06)", S("a,b\n1, \"Luis Gomez\"\n2,x\n"), 0, 0, 0,
	 "1[a|b] 2!quote inside unquoted field 3[2|x] EOF r=2 p=1 b=0"},
	{"quote error on last line, no newline", S("a\n\"x\"y"), 0, 0, 0, "1[a] 2!unexpected character after closing quote EOF r=1 p=1 b=0"},
	{"quote error after multi-line record", S("\"a\nb\",c\nd\"e\nf\n"), 0, 0, 0,
	 "1[a\\nb|c] 3!quote inside unquoted field 4[f] EOF r=2 p=1 b=0"},
	{"short and long rows (07, 08)", S("a,b,c\n1,2\n1,2,3,4\n1,2,3\n"), HR, 0, 0,
	 "1[a|b|c] 2!expected 3 fields, got 2 3!expected 3 fields, got 4 4[1|2|3] EOF r=2 p=2 b=0"},
	{"ragged allowed without CX_CSV_RAGGED", S("a,b,c\n1,2\n"), H, 0, 0, "1[a|b|c] 2[1|2] EOF r=2 p=0 b=0"},
	{"cut mid-field (27)", S("a,b,c\n1,2,3\n4,5"), HR, 0, 0, "1[a|b|c] 2[1|2|3] 3!expected 3 fields, got 2 EOF r=2 p=1 b=0"},
	{"empty input (10)", S(""), H, 0, 0, "FATAL 0: empty input (no header)"},
	{"blank-only input with header", S("\n\r\n"), H, 0, 0, "FATAL 0: empty input (no header)"},
	{"empty input without header flag", S(""), 0, 0, 0, "EOF r=0 p=0 b=0"},
	{"header only (11)", S("a,b\n"), HR, 0, 0, "1[a|b] EOF r=1 p=0 b=0"},
	{"UTF-8 BOM stripped (16)", S("\xef\xbb\xbf" "account_id,x\n1,2\n"), H, 0, 0, "1[account_id|x] 2[1|2] EOF r=2 p=0 b=0"},
	{"BOM only at byte 0 (17)", S("id\n\xef\xbb\xbf" "A1\n"), H, 0, 0, "1[id] 2[\xef\xbb\xbf" "A1] EOF r=2 p=0 b=0"},
	{"UTF-16LE BOM (18)", S("\xff\xfei\0d\0\n\0"), H, 0, 0,
	 "OPEN 1: input is UTF-16 (byte order mark FF FE); convert it first with 'iconv -f UTF-16 -t UTF-8'"},
	{"UTF-16BE BOM (18)", S("\xfe\xff\0i"), 0, 0, 0,
	 "OPEN 1: input is UTF-16 (byte order mark FE FF); convert it first with 'iconv -f UTF-16 -t UTF-8'"},
	{"latin1 without option (19)", S("n\nJos\xe9\nok\n"), H, 0, 0,
	 "1[n] 2!invalid UTF-8 at byte 4; try --encoding=cp1252 3[ok] EOF r=2 p=1 b=0"},
	{"cp1252 smart quotes (20)", S("n,m\n\x93Hola\x94,\x80 5\n"), H, 0, CX_ENC_CP1252,
	 "1[n|m] 2[\xe2\x80\x9cHola\xe2\x80\x9d|\xe2\x82\xac 5] EOF r=2 p=0 b=0"},
	{"cp1252 quoted field", S("\"Pe\xf1" "a, Jos\xe9\"\n"), 0, 0, CX_ENC_CP1252,
	 "1[Pe\xc3\xb1" "a, Jos\xc3\xa9] EOF r=1 p=0 b=0"},
	{"cp1252 undefined byte", S("n,m\nx,a\x81\ny,b\n"), H, 0, CX_ENC_CP1252,
	 "1[n|m] 2!byte 0x81 in field 2 is not defined in cp1252 3[y|b] EOF r=2 p=1 b=0"},
	{"overlong and surrogate (21)", S("n\nover\xc0\xaf\nsur\xed\xa0\x80\nok\n"), H, 0, 0,
	 "1[n] 2!invalid UTF-8 at byte 5; try --encoding=cp1252 3!invalid UTF-8 at byte 4; try --encoding=cp1252 4[ok] EOF r=2 p=2 b=0"},
	{"valid UTF-8 kept", S("n\nJos\xc3\xa9 \xe2\x82\xac\n"), H, 0, 0, "1[n] 2[Jos\xc3\xa9 \xe2\x82\xac] EOF r=2 p=0 b=0"},
	{"NUL byte (22)", S("a,b\nLuis\0Gomez,1\nx,y\n"), 0, 0, 0, "1[a|b] 2!NUL byte 3[x|y] EOF r=2 p=1 b=0"},
	{"NUL in quoted field (22)", S("\"a\0b\",c\n"), 0, 0, 0, "1!NUL byte EOF r=0 p=1 b=0"},
	{"control bytes (30)", S("a\nx\x1b[31my\nz\x7f\nok\n"), 0, 0, 0,
	 "1[a] 2!control byte 0x1B 3!control byte 0x7F 4[ok] EOF r=2 p=2 b=0"},
	{"TAB in a CSV field is data", S("a\tb,c\n"), 0, ',', 0, "1[a\\tb|c] EOF r=1 p=0 b=0"},
	{"semicolon read as comma (28)", S("id;saldo\n1;150.000,00\n"), H, ',', 0,
	 "FATAL 1: 1 column found; file looks ';'-delimited (use --delimiter ';')"},
	{"tab read as comma", S("id\tsaldo\n1\t2\n"), H, ',', 0,
	 "FATAL 1: 1 column found; file looks TAB-delimited (use --delimiter TAB)"},
	{"single column header is fine", S("id\n1\n"), H, ',', 0, "1[id] 2[1] EOF r=2 p=0 b=0"},
	{"semicolon given", S("id;saldo\n1;150.000,00\n"), H, ';', 0, "1[id|saldo] 2[1|150.000,00] EOF r=2 p=0 b=0"},
	{"TSV with literal quotes (29)", S("a\tb\n\"x\t\"y\"\n\"open\t1\n"), CX_CSV_TSV | HR, 0, 0,
	 "1[a|b] 2[\"x|\"y\"] 3[\"open|1] EOF r=3 p=0 b=0"},
	{"TSV empty fields not whitespace", S("a\tb\n\t\n"), CX_CSV_TSV, 0, 0, "1[a|b] 2[|] EOF r=2 p=0 b=0"},
	{"pipe", S("a|b\n1|\"2|3\"\n"), 0, '|', 0, "1[a|b] 2[1|2\\|3] EOF r=2 p=0 b=0"},
	{"header quote error is fatal", S("a,\"b\"x\n1,2\n"), H, 0, 0, "FATAL 1: header: unexpected character after closing quote"},
	{"header encoding error is fatal", S("a,\xff\n1,2\n"), H, 0, 0,
	 "FATAL 1: header: invalid UTF-8 at byte 3; try --encoding=cp1252"},
};

START_TEST(inline_cases)
{
	size_t i;
	int nofast;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (nofast = 0; nofast < 2; nofast++) {
			unsigned fl = cases[i].flags | (nofast ? CX_CSV_NOFAST : 0);
			const char *got = trace_mem(cases[i].in, cases[i].n, fl, cases[i].delim, cases[i].enc);
			ck_assert_msg(strcmp(got, cases[i].want) == 0, "%s%s:\n got  %s\n want %s",
			    cases[i].name, nofast ? " (libcsv only)" : "", got, cases[i].want);
		}
}
END_TEST

/* ---- delimiter detection ---------------------------------------------- */

START_TEST(delimiter_detection)
{
	static const struct { const char *in; unsigned flags; int want; } t[] = {
		{"a,b,c\n", 0, ','}, {"a;b;c\n", 0, ';'}, {"a\tb\n", 0, '\t'}, {"a|b|c\n", 0, '|'},
		{"a;b,c;d\n", 0, ';'},           /* most frequent */
		{"a,b;c\n", 0, ','},             /* tie: , ; TAB | order */
		{"a;b|c\n", 0, ';'},
		{"\"x;y;z\",b\n", 0, ','},       /* inside quotes does not count */
		{"abc\n", 0, ','},               /* none: comma */
		{"", 0, ','},
		{"a,b\nc;d;e;f\n", 0, ','},      /* first line only */
		{"\xef\xbb\xbf" "a;b\n", 0, ';'},
		{"a,b\n", CX_CSV_TSV, '\t'},
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cx_csv_opts o;
		struct cx_error err;
		struct cx_csv_reader *r;
		memset(&o, 0, sizeof o);
		o.flags = t[i].flags;
		r = cx_csv_open_mem(t[i].in, strlen(t[i].in), "d", &o, &err);
		ck_assert_ptr_nonnull(r);
		ck_assert_msg(cx_csv_delim(r) == t[i].want, "case %zu: got %d", i, cx_csv_delim(r));
		cx_csv_close(r);
	}
	ck_assert_str_eq(cx_csv_delim_name(','), "','");
	ck_assert_str_eq(cx_csv_delim_name('\t'), "TAB");
}
END_TEST

START_TEST(bad_options)
{
	struct cx_csv_opts o;
	struct cx_error err;

	memset(&o, 0, sizeof o);
	o.delim = '"';
	ck_assert_ptr_null(cx_csv_open_mem("a", 1, "o", &o, &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	o.delim = ',';
	o.flags = CX_CSV_TSV;
	ck_assert_ptr_null(cx_csv_open_mem("a", 1, "o", &o, &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	memset(&o, 0, sizeof o);
	o.encoding = 7;
	ck_assert_ptr_null(cx_csv_open_mem("a", 1, "o", &o, &err));
	ck_assert_int_eq(err.code, CX_EUSAGE);
	ck_assert_ptr_null(cx_csv_open("/nonexistent/x.csv", NULL, &err));
	ck_assert_int_eq(err.code, CX_ENOINPUT);
}
END_TEST

/* ---- limits (44, 45, 46) ---------------------------------------------- */

static const char *
trace_limits(const char *s, size_t n, unsigned flags, size_t mf, size_t mr, size_t mc)
{
	struct cx_csv_opts o;
	struct cx_error err;

	memset(&o, 0, sizeof o);
	o.flags = flags;
	o.max_field_bytes = mf;
	o.max_record_bytes = mr;
	o.max_columns = mc;
	cx_error_clear(&err);
	tbuf[0] = '\0';
	return trace(cx_csv_open_mem(s, n, "t.csv", &o, &err), &err);
}

START_TEST(small_limits)
{
	static const struct {
		const char *in;
		size_t mf, mr, mc;
		const char *want;
	} t[] = {
		{"a,b\nabcd,1\n", 4, 0, 0, "1[a|b] 2[abcd|1] EOF r=2 p=0 b=0"},
		{"a,b\nabcde,1\n", 4, 0, 0, "1[a|b] FATAL 2: field exceeds 4 bytes"},
		{"a,b\n\"abcd\",1\n", 4, 0, 0, "1[a|b] 2[abcd|1] EOF r=2 p=0 b=0"},
		{"a,b\n\"abcde\",1\n", 4, 0, 0, "1[a|b] FATAL 2: field exceeds 4 bytes"},
		{"a,b,c\n1,2,3\n", 0, 0, 3, "1[a|b|c] 2[1|2|3] EOF r=2 p=0 b=0"},
		{"a,b,c,d\n", 0, 0, 3, "FATAL 1: more than 3 columns"},
		{"a,b\n\"1\",2,3,4\n", 0, 0, 3, "1[a|b] FATAL 2: more than 3 columns"},
		{"a,b\n123456,7\n", 0, 8, 0, "1[a|b] 2[123456|7] EOF r=2 p=0 b=0"},
		{"a,b\n1234567,8\n", 0, 8, 0, "1[a|b] FATAL 2: record exceeds 8 bytes"},
		{"a,b\n\"1234\",5678\n", 0, 8, 0, "1[a|b] FATAL 2: record exceeds 8 bytes"},
	};
	size_t i;
	int nofast;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		for (nofast = 0; nofast < 2; nofast++) {
			const char *got = trace_limits(t[i].in, strlen(t[i].in), nofast ? CX_CSV_NOFAST : 0,
			    t[i].mf, t[i].mr, t[i].mc);
			ck_assert_msg(strcmp(got, t[i].want) == 0, "case %zu%s:\n got  %s\n want %s",
			    i, nofast ? " (libcsv only)" : "", got, t[i].want);
		}
}
END_TEST

static char *
repeat(const char *head, int c, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	*len = hl + n + tl;
	return s;
}

START_TEST(big_field_44)
{
	size_t n;
	char *s = repeat("id,name\n1,", 'x', 3u << 20, "\n2,y\n", &n);
	const char *got = trace_mem(s, n, H, 0, 0);
	ck_assert_str_eq(got, "1[id|name] FATAL 2: field exceeds 1048576 bytes");
	free(s);
	s = repeat("id,name\n1,\"", 'x', 3u << 20, "\"\n2,y\n", &n);
	got = trace_mem(s, n, H, 0, 0);
	ck_assert_str_eq(got, "1[id|name] FATAL 2: field exceeds 1048576 bytes");
	free(s);
	/* just under the cap is accepted (crosses several 256 KiB chunks) */
	{
		int nofast, rc;
		s = repeat("id,name\n1,\"", 'x', 1u << 20, "\"\n2,y\n", &n);
		for (nofast = 0; nofast < 2; nofast++) {
			struct cx_csv_opts o;
			struct cx_error err;
			struct cx_csv_reader *r;
			memset(&o, 0, sizeof o);
			o.flags = HR | (nofast ? CX_CSV_NOFAST : 0);
			r = cx_csv_open_mem(s, n, "big", &o, &err);
			ck_assert_int_eq(cx_csv_next(r, &err), 1);
			ck_assert_int_eq(cx_csv_next(r, &err), 1);
			ck_assert_uint_eq(cx_csv_fields(r)[1].n, 1u << 20);
			ck_assert_int_eq(cx_csv_next(r, &err), 1);
			ck_assert_int_eq(cx_csv_line(r), 3);
			rc = cx_csv_next(r, &err);
			ck_assert_int_eq(rc, 0);
			cx_csv_close(r);
		}
		free(s);
	}
}
END_TEST

START_TEST(many_columns_45)
{
	size_t n = 100000 * 2, i;
	char *s = malloc(n + 1);

	for (i = 0; i < 100000; i++) {
		s[2 * i] = 'c';
		s[2 * i + 1] = ',';
	}
	s[n - 1] = '\n';
	ck_assert_str_eq(trace_mem(s, n, H, 0, 0), "FATAL 1: more than 4096 columns");
	free(s);
}
END_TEST

START_TEST(runaway_quote_46)
{
	/* a quote opened on line 2 and never closed, 6 MB of rows after it */
	size_t n = 6u << 20, i, k;
	char *s = malloc(n + 64);
	const char *head = "id,name\n1,\"Runaway\n";

	k = strlen(head);
	memcpy(s, head, k);
	for (i = k; i + 8 < n; i += 8)
		memcpy(s + i, "2,Ana,3\n", 8);
	ck_assert_str_eq(trace_mem(s, i, H, 0, 0),
	    "1[id|name] FATAL 2: unterminated quoted field starting at line 2 (field exceeds 1048576 bytes)");
	free(s);
}
END_TEST

/* ---- files: catalogue inputs and gzip --------------------------------- */

static const struct {
	const char *file;
	unsigned flags;
	int delim, enc;
	const char *want_tail;   /* the trace must end with this */
} files[] = {
	{"01-unterminated-quote.csv", HR, 0, 0, "FATAL 3: unterminated quoted field starting at line 3"},
	{"02-quote-swallows-lines.csv", HR, 0, 0, "FATAL 3: unterminated quoted field starting at line 3 (quote error at line 5)"},
	{"03-quote-in-unquoted.csv", HR, 0, 0, " 3!quote inside unquoted field 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"04-junk-after-quote.csv", HR, 0, 0, " 3!unexpected character after closing quote 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"05-space-after-quote.csv", HR, 0, 0, " 3!unexpected character after closing quote 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"06-space-before-quote.csv", HR, 0, 0, " 3!quote inside unquoted field 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"07-short-row.csv", HR, 0, 0, " 3!expected 7 fields, got 4 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"08-long-row.csv", HR, 0, 0, " 3!expected 7 fields, got 8 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"10-empty.csv", HR, 0, 0, "FATAL 0: empty input (no header)"},
	{"12-blank-lines.csv", HR, 0, 0, " 5[A002|cards|Luis Gomez|320.00|USD|2024-06-01|+13055550100] 7[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=3"},
	{"13-whitespace-line.csv", HR, 0, 0, " 3!whitespace-only line 4!whitespace-only line 5[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=2 b=0"},
	{"16-utf8-bom.csv", HR, 0, 0, "EOF r=2 p=0 b=0"},
	{"17-feff-in-id.csv", HR, 0, 0, "3[\xef\xbb\xbf" "A003|cards|Luis Gomez|10.00|COP|2024-06-01|+573001112233] EOF r=3 p=0 b=0"},
	{"18-utf16le-bom.csv", HR, 0, 0, "OPEN 1: input is UTF-16 (byte order mark FF FE); convert it first with 'iconv -f UTF-16 -t UTF-8'"},
	{"19-latin1-no-option.csv", HR, 0, 0, " 3!invalid UTF-8 at byte 15; try --encoding=cp1252 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"19-latin1-no-option.csv", HR, 0, CX_ENC_CP1252, " 3[A003|cards|Jos\xc3\xa9 Pe\xc3\xb1" "a|10.00|COP|2024-06-01|+573001112233] 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=0"},
	{"20-cp1252-smart-quotes.csv", HR, 0, CX_ENC_CP1252, " 2[A003|cards|\xe2\x80\x9cTo\xc3\xb1o\xe2\x80\x9d N\xc3\xba\xc3\xb1" "ez \xe2\x80\x93 cobro|10.00|EUR|2024-06-01|+573001112233] EOF r=2 p=0 b=0"},
	{"21-overlong-surrogate.csv", HR, 0, 0, " 2!invalid UTF-8 at byte 16; try --encoding=cp1252 3!invalid UTF-8 at byte 16; try --encoding=cp1252 4[A002|cards|Luis Gomez|320.00|USD|2024-06-01|+13055550100] EOF r=2 p=2 b=0"},
	{"22-nul-byte.csv", HR, 0, 0, " 3!NUL byte 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"23-cr-only.csv", HR, 0, 0, " 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=0"},
	{"24-mixed-line-ends.csv", HR, 0, 0, " 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=0"},
	{"25-crlf-in-quoted.csv", HR, 0, 0, " 2[A003|cards|Luis\\r\\nGomez|10.00|COP|2024-06-01|+573001112233] 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=0 b=0"},
	{"26-no-final-newline.csv", HR, 0, 0, " 3[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=0 b=0"},
	{"27-cut-mid-field.csv", HR, 0, 0, " 3!expected 7 fields, got 5 EOF r=2 p=1 b=0"},
	{"28-semicolon-decimal-comma.csv", HR, ',', 0, "FATAL 1: 1 column found; file looks ';'-delimited (use --delimiter ';')"},
	{"28-semicolon-decimal-comma.csv", HR, 0, CX_ENC_CP1252, " 2[A001|prestamos|Ana Rojas|150.000,00|COP|10/05/2024|3001234567] EOF r=2 p=0 b=0"},
	{"29-tsv-literal-quote.tsv", CX_CSV_TSV | HR, 0, 0, " 2[A003|cards|Luis \"Lucho\" Gomez|10.00|COP|2024-06-01|+573001112233] 3[A004|loans|\"Pedro|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=0 b=0"},
	{"30-control-bytes.csv", HR, 0, 0, " 3!control byte 0x1B 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=3 p=1 b=0"},
	{"38-truncated.csv.gz", HR, 0, 0, "FATAL 0: truncated gzip input (unexpected end of file)"},
	{"39-bad-crc.csv.gz", HR, 0, 0, "OPEN 0: corrupt gzip input: incorrect data check"},
	{"40-multi-member.csv.gz", HR, 0, 0, " 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=0"},
	{"41-trailing-garbage.csv.gz", HR, 0, 0, "FATAL 0: trailing garbage after gzip data"},
	{"42-plain-named.csv.gz", HR, 0, 0, " 4[A004|loans|Pedro Diaz|99.90|MXN|2024-06-15|+525512345678] EOF r=4 p=0 b=0"},
};

static int
ends_with(const char *s, const char *t)
{
	size_t a = strlen(s), b = strlen(t);
	return a >= b && strcmp(s + a - b, t) == 0;
}

START_TEST(catalogue_files)
{
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct cx_csv_opts o;
		char path[512];
		const char *got;
		memset(&o, 0, sizeof o);
		o.flags = files[i].flags;
		o.delim = files[i].delim;
		o.encoding = files[i].enc;
		snprintf(path, sizeof path, "%s/testdata/bad/%s", CX_SRCDIR, files[i].file);
		got = trace_file(path, &o);
		ck_assert_msg(ends_with(got, files[i].want_tail), "%s:\n got  %s\n want ...%s",
		    files[i].file, got, files[i].want_tail);
	}
}
END_TEST

static void
tmpname(char *buf, size_t n, const char *tag)
{
	const char *d = getenv("TMPDIR");
	snprintf(buf, n, "%s/cx-check-csv-%ld-%s", d && *d ? d : "/tmp", (long)getpid(), tag);
}

START_TEST(gzip_written_here)
{
	char path[512];
	gzFile g;
	struct cx_csv_opts o;
	const char *got;

	tmpname(path, sizeof path, "a.csv.gz");
	g = gzopen(path, "wb");
	ck_assert_ptr_nonnull(g);
	gzputs(g, "id,name\r\n1,\"a\r\nb\"\r\n");
	gzclose(g);
	g = gzopen(path, "ab");            /* a second member */
	gzputs(g, "2,c\n");
	gzclose(g);
	memset(&o, 0, sizeof o);
	o.flags = HR;
	got = trace_file(path, &o);
	ck_assert_str_eq(got, "1[id|name] 2[1|a\\r\\nb] 4[2|c] EOF r=3 p=0 b=0");

	/* gzip bomb (43): the decompressed-size limit stops it */
	g = gzopen(path, "wb9");
	{
		static char zeros[1 << 16];
		int i;
		memset(zeros, 'a', sizeof zeros);
		zeros[sizeof zeros - 1] = '\n';
		for (i = 0; i < 64; i++)
			gzwrite(g, zeros, sizeof zeros);
	}
	gzclose(g);
	o.input.max_input_bytes = 1u << 20;
	{
		struct cx_error err;
		struct cx_csv_reader *r = cx_csv_open(path, &o, &err);
		int rc = r ? 1 : err.code;
		while (rc > 0)
			rc = cx_csv_next(r, &err);
		ck_assert_int_eq(rc, CX_ELIMIT);
		cx_csv_close(r);
	}
	unlink(path);
}
END_TEST

/* ---- round trip / property -------------------------------------------- */

static unsigned long rng = 88172645463325252UL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

struct sbuf {
	char *p;
	size_t n, cap;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

START_TEST(round_trip)
{
	static const char *const atoms[] = {"a", "Z", "0", " ", ",", ";", "|", "\"", "\r", "\n",
	    "\r\n", "\t", "\xc3\xa9", "\xe2\x82\xac", "x y", "1.5"};
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	int iter;

	for (iter = 0; iter < 300; iter++) {
		struct sbuf in = {0}, want = {0};
		int nrec = 1 + (int)rnd(iter % 10 == 0 ? 3000 : 40), i, j, nofast;
		int nf = 1 + (int)rnd(6);
		int delim = ",;|\t"[rnd(4)];
		char d = (char)delim;

		for (i = 0; i < nrec; i++) {
			for (j = 0; j < nf; j++) {
				struct sbuf f = {0};
				int k, na = (int)rnd(iter % 10 == 0 ? 40 : 6), needq;
				for (k = 0; k < na; k++) {
					const char *a = atoms[rnd(sizeof atoms / sizeof atoms[0])];
					sb_put(&f, a, strlen(a));
				}
				/* a record that would read as blank or whitespace-only
				 * needs quotes too: always quote single-field records */
				needq = nf == 1 || (f.n && (memchr(f.p, d, f.n) || memchr(f.p, '"', f.n) ||
				    memchr(f.p, '\r', f.n) || memchr(f.p, '\n', f.n) ||
				    (d != '\t' && memchr(f.p, '\t', f.n) && 0)));
				if (j)
					sb_put(&in, &d, 1);
				if (needq) {
					sb_put(&in, "\"", 1);
					for (k = 0; k < (int)f.n; k++) {
						if (f.p[k] == '"')
							sb_put(&in, "\"", 1);
						sb_put(&in, f.p + k, 1);
					}
					sb_put(&in, "\"", 1);
				} else if (f.n) {
					sb_put(&in, f.p, f.n);
				}
				if (j)
					sb_put(&want, "|", 1);
				/* expected trace form of the field */
				for (k = 0; k < (int)f.n; k++) {
					const char *e = NULL;
					switch (f.p[k]) {
					case '\n': e = "\\n"; break;
					case '\r': e = "\\r"; break;
					case '\t': e = "\\t"; break;
					case '|': e = "\\|"; break;
					}
					if (e)
						sb_put(&want, e, 2);
					else
						sb_put(&want, f.p + k, 1);
				}
				free(f.p);
			}
			sb_put(&want, "\n", 1);
			if (i + 1 < nrec || rnd(2)) {
				const char *e = eols[rnd(3)];
				sb_put(&in, e, strlen(e));
			}
		}
		for (nofast = 0; nofast < 2; nofast++) {
			struct cx_csv_opts o;
			struct cx_error err;
			struct cx_csv_reader *r;
			struct sbuf got = {0};
			int rc;
			size_t f;

			memset(&o, 0, sizeof o);
			o.delim = delim;
			o.flags = nofast ? CX_CSV_NOFAST : 0;
			r = cx_csv_open_mem(in.p, in.n, "rt", &o, &err);
			ck_assert_ptr_nonnull(r);
			while ((rc = cx_csv_next(r, &err)) == 1) {
				for (f = 0; f < cx_csv_nfields(r); f++) {
					const struct cx_field *fl = &cx_csv_fields(r)[f];
					size_t k;
					if (f)
						sb_put(&got, "|", 1);
					for (k = 0; k < fl->n; k++) {
						const char *e = NULL;
						switch (fl->p[k]) {
						case '\n': e = "\\n"; break;
						case '\r': e = "\\r"; break;
						case '\t': e = "\\t"; break;
						case '|': e = "\\|"; break;
						}
						if (e)
							sb_put(&got, e, 2);
						else
							sb_put(&got, fl->p + k, 1);
					}
				}
				sb_put(&got, "\n", 1);
			}
			ck_assert_msg(rc == 0, "iter %d: rc %d %s (%s)", iter, rc,
			    rc == 2 ? cx_csv_reason(r) : err.msg, nofast ? "libcsv" : "fast");
			ck_assert_uint_eq(cx_csv_records(r), (uint64_t)nrec);
			ck_assert_uint_eq(cx_csv_blank_lines(r), 0);
			ck_assert_msg(got.n == want.n && memcmp(got.p, want.p, got.n) == 0,
			    "iter %d (%s): records differ", iter, nofast ? "libcsv" : "fast");
			cx_csv_close(r);
			free(got.p);
		}
		free(in.p);
		free(want.p);
	}
}
END_TEST

/* The trace of in read with these options (o is filled in: the caller
 * may read the same input again with it). */
static const char *
trace_with(const struct sbuf *in, unsigned flags, int delim, int enc, size_t mf, size_t mr,
           size_t mc, struct cx_csv_opts *o)
{
	struct cx_error err;

	memset(o, 0, sizeof *o);
	o->flags = flags;
	o->delim = delim;
	o->encoding = enc;
	o->max_field_bytes = mf;
	o->max_record_bytes = mr;
	o->max_columns = mc;
	cx_error_clear(&err);
	tbuf[0] = '\0';
	return trace(cx_csv_open_mem(in->p ? in->p : "", in->n, "t.csv", o, &err), &err);
}

/* Differential: random, mostly malformed inputs (quotes in odd places,
 * every line end, BOM, NUL, high bytes, trailing delimiters, long fields)
 * read by the fast path and by libcsv alone (CX_CSV_NOFAST) give the same
 * trace: records, problems, lines, counters and fatal messages.  With
 * CSV_DUMP=FILE in the environment a failing input is written to FILE. */
START_TEST(fast_equals_libcsv)
{
	static const char *const atoms[] = {"a", "bc", " ", ",", ";", "|", "\t", "\"", "\"\"",
	    "\",", ",\"", "\"\n", "\r", "\n", "\r\n", "\n\n", "\xc3\xa9", "\xe9", "\x81", "\x1b",
	    "\xef\xbb\xbf", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "\"quoted, with \"\" inside\"", "12.5", ""};
	static const unsigned fl[] = {0, H, HR, 0};
	static char fast[sizeof tbuf];
	int iter;

	int iters = getenv("CX_VALGRIND") ? 2000 : 20000;

	for (iter = 0; iter < iters; iter++) {
		struct sbuf in = {0};
		int na = (int)rnd(iter % 50 == 0 ? 400 : 40), k;
		int delim = "\0,;|"[rnd(4)];
		unsigned flags = fl[rnd(4)];
		int enc = rnd(4) == 0 ? CX_ENC_CP1252 : CX_ENC_UTF8;
		size_t mf = 0, mr = 0, mc = 0;
		const char *got;

		if (rnd(3) == 0) {
			mf = 1 + rnd(80);
			mr = 1 + rnd(300);
			mc = 1 + rnd(10);
		}
		if (rnd(8) == 0)
			sb_put(&in, "\xef\xbb\xbf", 3);
		for (k = 0; k < na; k++) {
			const char *a = atoms[rnd(sizeof atoms / sizeof atoms[0])];
			sb_put(&in, a, strlen(a));
		}
		if (rnd(10) == 0)
			sb_put(&in, "\0", 1);
		{
			struct cx_csv_opts o;
			int nofast;

			for (nofast = 0; nofast < 2; nofast++) {
				got = trace_with(&in, flags | (nofast ? CX_CSV_NOFAST : 0), delim, enc,
				                 mf, mr, mc, &o);
				if (!nofast)
					memcpy(fast, got, sizeof fast);
			}
			if (strcmp(fast, got) != 0 && getenv("CSV_DUMP")) {
				FILE *df = fopen(getenv("CSV_DUMP"), "wb");
				fwrite(in.p, 1, in.n, df);
				fclose(df);
			}
			if (strcmp(fast, got) != 0)
				ck_abort_msg("iter %d (delim %d flags %u limits %zu/%zu/%zu) input %.*s\n"
				    " fast   %s\n libcsv %s", iter, delim, flags, mf, mr, mc, (int)in.n,
				    in.p ? in.p : "", fast, got);
		}
		free(in.p);
	}
}
END_TEST

/* Differential for the one-pass line split (fast_line): the same inputs
 * read with it, without it (CX_CSV_NOFUSED: copy, then split) and, in CSV
 * mode, by libcsv alone give the same trace and the same mojibake count.
 * The atoms aim at what it decides from block masks: lines across 64-byte
 * blocks and past WHOLE_MAX, quotes and '""' at block edges, 2-byte UTF-8
 * (its "well-formed" shortcut) next to 3-byte, truncated, overlong and
 * stray bytes, mojibake pairs, C0 controls, DEL, TAB and NUL, and inputs
 * that end without a line end. */
static uint64_t
moji_count(const struct sbuf *in, const struct cx_csv_opts *o)
{
	struct cx_error err;
	struct cx_csv_reader *r;
	uint64_t m;

	cx_error_clear(&err);
	r = cx_csv_open_mem(in->p ? in->p : "", in->n, "t.csv", o, &err);
	if (r == NULL)
		return (uint64_t)-1;
	while (cx_csv_next(r, &err) > 0)
		;
	m = cx_csv_mojibake(r);
	cx_csv_close(r);
	return m;
}

START_TEST(fused_equals_split)
{
	static const char *const atoms[] = {"a", "bc", " ", ",", ";", "|", "\t", "\"", "\"\"",
	    "\",", ",\"", "\"\n", "\r", "\n", "\r\n", "\xc3\xa9", "\xc3\x89", "\xc3\xb1",
	    "\xc3\x83\xc2\xa9", "\xc3\xa2\xe2\x82\xac\xc5\x93", "\xc3\x82\xc2\xa0", "\xe2\x82\xac",
	    "\xc3", "\xa9", "\xc0\xaf", "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xe9", "\x81", "\x1b",
	    "\x7f", "\x01", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "\"1,607,170.88\"", "\"quoted, with \"\" inside\"",
	    "12.5", ""};
	static char want[sizeof tbuf], mid[sizeof tbuf];
	int iters = getenv("CX_VALGRIND") ? 2000 : 20000, iter;

	for (iter = 0; iter < iters; iter++) {
		struct sbuf in = {0};
		int na = (int)rnd(iter % 50 == 0 ? 400 : 60), k, mode;
		int delim = "\0,;|\t"[rnd(5)];
		unsigned flags = (unsigned[]){0, H, HR, 0}[rnd(4)];
		int enc = rnd(4) == 0 ? CX_ENC_CP1252 : CX_ENC_UTF8;
		size_t mf = 0, mr = 0, mc = 0;
		uint64_t m[3] = {0, 0, 0};
		const char *got = "";

		if (delim == '\t' && rnd(2))
			flags |= CX_CSV_TSV;
		if (rnd(4) == 0) {
			mf = 1 + rnd(100);
			mr = 1 + rnd(300);
			mc = 1 + rnd(30);
		}
		for (k = 0; k < na; k++) {
			const char *a = atoms[rnd(sizeof atoms / sizeof atoms[0])];
			sb_put(&in, a, strlen(a));
		}
		if (iter % 97 == 0)     /* a line longer than the one-pass split takes */
			for (k = 0; k < 70; k++)
				sb_put(&in, "abcdefghijklmnopqrstuvwxyz,0123456789\xc3\xa9\"\"x\"", 44);
		if (rnd(10) == 0)
			sb_put(&in, "\0", 1);
		for (mode = 0; mode < 3; mode++) {
			struct cx_csv_opts o;

			if (mode == 2 && (flags & CX_CSV_TSV))
				break;          /* no libcsv in TSV mode */
			got = trace_with(&in, flags | (mode == 1 ? CX_CSV_NOFUSED :
			                               mode == 2 ? CX_CSV_NOFAST : 0),
			                 delim, enc, mf, mr, mc, &o);
			m[mode] = moji_count(&in, &o);
			if (mode == 0)
				memcpy(want, got, sizeof want);
			else if (mode == 1)
				memcpy(mid, got, sizeof mid);
			if (mode > 0 && (strcmp(want, got) != 0 || m[mode] != m[0])) {
				if (getenv("CSV_DUMP")) {
					FILE *df = fopen(getenv("CSV_DUMP"), "wb");
					fwrite(in.p, 1, in.n, df);
					fclose(df);
				}
				ck_abort_msg("iter %d mode %d (delim %d flags %u enc %d limits %zu/%zu/%zu)\n"
				    " fused  %s (mojibake %llu)\n other  %s (mojibake %llu)", iter, mode,
				    delim, flags, enc, mf, mr, mc, want, (unsigned long long)m[0], got,
				    (unsigned long long)m[mode]);
			}
		}
		free(in.p);
	}
}
END_TEST

/* The one-pass split on lines the generator above rarely makes whole:
 * many quoted amounts, pairs and accents at every offset of a 64-byte
 * block, with and without a final line end. */
START_TEST(fused_block_edges)
{
	static char want[sizeof tbuf];
	int pad, kind, end;

	for (kind = 0; kind < 6; kind++)
		for (pad = 0; pad < 140; pad++)
			for (end = 0; end < 3; end++) {
				struct sbuf in = {0};
				static const char *const tail[6] = {"\"1,607,170.88\",x", "\"a\"\"b\",\"\"",
				    "Casta\xc3\xb1o,\xc3\x83\xc2\xa9", "\xe2\x82\xac,\xc3", "a\"b,c", "\"ab\" ,c"};
				struct cx_csv_opts o;
				struct cx_error err;
				const char *got;
				uint64_t m0, m1;
				int k, mode;

				for (k = 0; k < pad; k++)
					sb_put(&in, k % 9 == 8 ? "," : "p", 1);
				sb_put(&in, tail[kind], strlen(tail[kind]));
				sb_put(&in, end == 0 ? "\n" : end == 1 ? "\r\nz\n" : "", end == 0 ? 1 :
				    end == 1 ? 4 : 0);
				m0 = 0;
				for (mode = 0; mode < 3; mode++) {
					memset(&o, 0, sizeof o);
					o.flags = mode == 1 ? CX_CSV_NOFUSED : mode == 2 ? CX_CSV_NOFAST : 0;
					o.delim = ',';
					cx_error_clear(&err);
					tbuf[0] = '\0';
					got = trace(cx_csv_open_mem(in.p, in.n, "t.csv", &o, &err), &err);
					m1 = moji_count(&in, &o);
					if (mode == 0) {
						memcpy(want, got, sizeof want);
						m0 = m1;
					} else {
						ck_assert_msg(strcmp(want, got) == 0 && m0 == m1,
						    "kind %d pad %d end %d mode %d\n %s\n %s", kind, pad, end,
						    mode, want, got);
					}
				}
				free(in.p);
			}
}
END_TEST

/* cp1252: reading a file as cp1252 gives the fields that reading it
 * converted to UTF-8 beforehand gives (delimiters, quotes and line ends are
 * ASCII in both), on random records with accented letters, the euro sign,
 * curly quotes, quoted fields and every line end. */
START_TEST(cp1252_equals_converted)
{
	static const char *const atoms[] = {"a", "Jos\xe9", "\xf1", "\x80", "\x93x\x94", " ",
	    ",", ";", "\"", "\"\"", "\"q,\xe9\"", "\n", "\r\n", "\r", "abcdefghijklmnopq\xe1",
	    "0123456789abcdef0123456789abcdef\xfc"};
	static char a[sizeof tbuf];
	int iter;

	for (iter = 0; iter < 3000; iter++) {
		struct sbuf in = {0};
		char *u;
		size_t un, bad;
		int na = (int)rnd(60), k;

		for (k = 0; k < na; k++) {
			const char *at = atoms[rnd(sizeof atoms / sizeof atoms[0])];
			sb_put(&in, at, strlen(at));
		}
		u = malloc(3 * in.n + 1);
		ck_assert_ptr_nonnull(u);
		un = cx_cp1252_to_utf8(in.p ? in.p : "", in.n, u, &bad);
		ck_assert_uint_ne(un, (size_t)-1);
		memcpy(a, trace_mem(in.p ? in.p : "", in.n, 0, ',', CX_ENC_CP1252), sizeof a);
		ck_assert_msg(strcmp(a, trace_mem(u, un, 0, ',', CX_ENC_UTF8)) == 0,
		    "iter %d:\n cp1252 %s\n utf-8  %s", iter, a, tbuf);
		free(u);
		free(in.p);
	}
}
END_TEST

/* Line numbers: every record of a file with random blank lines and
 * multi-line quoted fields starts at the line a simple count says. */
START_TEST(line_numbers)
{
	int iter;

	for (iter = 0; iter < 200; iter++) {
		struct sbuf in = {0};
		long line = 1, starts[200];
		int n = 1 + (int)rnd(150), i, k = 0, rc;
		long blanks = 0;
		struct cx_error err;
		struct cx_csv_reader *r;

		for (i = 0; i < n; i++) {
			int b = (int)rnd(3) == 0 ? (int)rnd(3) : 0, j;
			static const char *const eol[] = {"\n", "\r\n", "\r"};
			for (j = 0; j < b; j++) {
				/* after a CR, an LF would join it into one CRLF */
				const char *e = in.n && in.p[in.n - 1] == '\r' ? eol[1 + rnd(2)] : eol[rnd(3)];
				sb_put(&in, e, strlen(e));
				line++;
				blanks++;
			}
			starts[i] = line;
			if (rnd(2)) {
				int m = (int)rnd(4);
				sb_put(&in, "x,\"", 3);
				for (j = 0; j < m; j++) {
					const char *e = eol[rnd(3)];
					sb_put(&in, "y", 1);
					sb_put(&in, e, strlen(e));
					line++;
				}
				sb_put(&in, "\"", 1);
			} else {
				sb_put(&in, "p,q", 3);
			}
			{
				const char *e = eol[rnd(3)];
				sb_put(&in, e, strlen(e));
				line++;
			}
		}
		r = cx_csv_open_mem(in.p, in.n, "ln", NULL, &err);
		ck_assert_ptr_nonnull(r);
		while ((rc = cx_csv_next(r, &err)) == 1) {
			ck_assert_msg(cx_csv_line(r) == starts[k], "iter %d record %d: line %ld want %ld",
			    iter, k, cx_csv_line(r), starts[k]);
			k++;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(k, n);
		ck_assert_uint_eq(cx_csv_blank_lines(r), (uint64_t)blanks);
		cx_csv_close(r);
		free(in.p);
	}
}
END_TEST

/* Raw bytes of a problem are exactly the record's line (for rejects), and
 * every input line is accounted for. */
START_TEST(raw_bytes)
{
	static const char in[] = "a,b\r\nok,1\r\nbad\"q,2\r\n\"x\"y,3\nnul\0,4\rlast,5";
	static const char *const raws[] = {"bad\"q,2", "\"x\"y,3", "nul\0,4"};
	static const size_t rawn[] = {7, 6, 6};
	struct cx_error err;
	struct cx_csv_reader *r = cx_csv_open_mem(in, sizeof in - 1, "raw", NULL, &err);
	int rc, k = 0;

	ck_assert_ptr_nonnull(r);
	while ((rc = cx_csv_next(r, &err)) > 0) {
		struct cx_field raw = cx_csv_raw(r);
		if (rc == 1) {
			ck_assert(cx_csv_problem(r) == CX_CSV_P_NONE);
			continue;
		}
		ck_assert_int_lt(k, 3);
		ck_assert_uint_eq(raw.n, rawn[k]);
		ck_assert(memcmp(raw.p, raws[k], raw.n) == 0);
		ck_assert_int_eq(cx_csv_problem(r), k < 2 ? CX_CSV_P_QUOTE : CX_CSV_P_CONTROL);
		k++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(k, 3);
	ck_assert_uint_eq(cx_csv_records(r), 3);
	ck_assert_uint_eq(cx_csv_problems(r), 3);
	ck_assert_int_eq(cx_csv_had_bom(r), 0);
	cx_csv_close(r);
}
END_TEST

START_TEST(mojibake_counter)
{
	static const char in[] = "n\nJos\xc3\x83\xc2\xa9\nJos\xc3\xa9\nPe\xc3\x83\xc2\xb1" "a\n";
	struct cx_error err;
	struct cx_csv_reader *r = cx_csv_open_mem(in, sizeof in - 1, "m", NULL, &err);

	while (cx_csv_next(r, &err) > 0)
		;
	ck_assert_uint_eq(cx_csv_mojibake(r), 2);
	ck_assert_uint_eq(cx_csv_records(r), 4);
	cx_csv_close(r);
}
END_TEST

/* Out of memory: failing each allocation in turn gives either the normal
 * result (libcsv retries smaller blocks) or a clean CX_ENOMEM, never a
 * crash or a wrong record (leaks are caught by check-asan/valgrind). */
START_TEST(out_of_memory)
{
	static const char in[] = "id,name,x\n1,\"a\"\"b\",\x93q\x94\n2,c,d\n";
	char want[512];
	long n;
	int clean = 0;

	snprintf(want, sizeof want, "%s", trace_mem(in, sizeof in - 1, HR, 0, CX_ENC_CP1252));
	ck_assert_str_eq(want, "1[id|name|x] 2[1|a\"b|\xe2\x80\x9cq\xe2\x80\x9d] 3[2|c|d] EOF r=3 p=0 b=0");
	for (n = 1; n < 200 && clean < 3; n++) {
		const char *got;
		cx_mem_fail_after(n);
		got = trace_mem(in, sizeof in - 1, HR, 0, CX_ENC_CP1252);
		cx_mem_fail_after(0);
		if (strcmp(got, want) == 0) {
			clean++;
			continue;
		}
		ck_assert_msg(strstr(got, "out of memory") != NULL, "fail #%ld: %s", n, got);
	}
	ck_assert_int_eq(clean, 3);
}
END_TEST

START_TEST(close_null)
{
	cx_csv_close(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, inline_cases);
	tcase_add_test(tc, delimiter_detection);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, small_limits);
	tcase_add_test(tc, big_field_44);
	tcase_add_test(tc, many_columns_45);
	tcase_add_test(tc, runaway_quote_46);
	tcase_add_test(tc, catalogue_files);
	tcase_add_test(tc, gzip_written_here);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, fast_equals_libcsv);
	tcase_add_test(tc, fused_equals_split);
	tcase_add_test(tc, fused_block_edges);
	tcase_add_test(tc, cp1252_equals_converted);
	tcase_add_test(tc, line_numbers);
	tcase_add_test(tc, raw_bytes);
	tcase_add_test(tc, mojibake_counter);
	tcase_add_test(tc, out_of_memory);
	tcase_add_test(tc, close_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
