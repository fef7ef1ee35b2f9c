/* The canonical accounts fast path of cx_ingest_run (a stream cx-ingest
 * wrote, given back for the identity pass): canonical rows are taken as
 * they are, and every kind of value the normaliser would change, drop or
 * reject makes its row take the full path, so that the output, the ledger
 * and the rejects are those of the full path.  The full path's result is
 * had from the same rows with two columns swapped in the header and every
 * row (no longer the canonical header: no fast path at all). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "cx_date.h"
#include "cx_ingest.h"
#include "cx_ledger.h"
#include "cx_test.h"

static uint32_t rng = 4242;
static uint32_t
rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

#define NCOLS 27
static const char *const cols[NCOLS] = {
	"customer_key", "account_id", "source", "source_customer_id", "national_id", "name",
	"email", "phone", "country", "timezone", "language", "product", "currency", "balance",
	"past_due", "minimum_due", "credit_limit", "due_date", "days_past_due", "bucket",
	"open_date", "last_payment_date", "last_payment_amount", "flags", "consents",
	"preferred_channel", "preferred_hours"
};
enum { C_ACC = 1, C_SRC, C_SCID, C_NATID, C_NAME, C_EMAIL, C_PHONE, C_COUNTRY, C_TZ, C_LANG,
       C_PRODUCT, C_CUR, C_BAL, C_PD, C_MIN, C_LIMIT, C_DUE, C_DPD, C_BUCKET, C_OPEN,
       C_LASTPAY, C_LASTAMT, C_FLAGS, C_CONSENTS, C_CHANNEL, C_HOURS };

static cx_day as_of;

/* One canonical row into v[] (each a buffer of 128 bytes); national ids
 * are drawn from few values so that accounts link. */
static void
canonical_row(char v[NCOLS][128], int i)
{
	static const char *const cc[] = { "CO", "US", "MX" };
	static const char *const tz[] = { "America/Bogota", "America/New_York",
	                                  "America/Mexico_City" };
	static const char *const lang[] = { "es", "en", "es" };
	static const char *const cur[] = { "COP", "USD", "MXN" };
	static const char *const phone[] = { "+573015386926", "+14157383069", "+528127042484" };
	static const char *const prod[] = { "CARD", "LOAN", "TELCO", "AUTO_LOAN" };
	static const char *const flags[] = { "", "dispute", "dispute,legal", "hardship" };
	static const char *const cons[] = { "sms,email", "sms,whatsapp,email,call,letter", "",
	                                     "call,letter,portal" };
	static const char *const chan[] = { "", "sms", "call", "whatsapp" };
	static const char *const hours[] = { "", "08:00-12:00", "18:00-20:00" };
	int k = (int)rnd(3), y, m, d;
	long dpd;
	cx_day due = as_of + (cx_day)rnd(400) - 200;
	struct cx_ingest_opts o;
	char due_s[16];

	cx_ingest_opts_init(&o);
	snprintf(v[0], 128, "c%016x", (unsigned)rnd(1000000));
	snprintf(v[C_ACC], 128, "%012d", i / 3 * 7 + (int)rnd(2));
	snprintf(v[C_SRC], 128, "%s", rnd(2) ? "cards" : "loans");
	snprintf(v[C_SCID], 128, "CL%08d", (int)rnd(100000));
	snprintf(v[C_NATID], 128, "%d", 100000 + (int)rnd(400));
	snprintf(v[C_NAME], 128, "%s", rnd(2) ? "Jos\xc3\xa9 P\xc3\xa9rez" : "Ann Lee");
	snprintf(v[C_EMAIL], 128, "%s", rnd(3) ? "jose.perez@example.com" : "");
	snprintf(v[C_PHONE], 128, "%s", rnd(4) ? phone[k] : "");
	snprintf(v[C_COUNTRY], 128, "%s", cc[k]);
	snprintf(v[C_TZ], 128, "%s", tz[k]);
	snprintf(v[C_LANG], 128, "%s", lang[k]);
	snprintf(v[C_PRODUCT], 128, "%s", prod[rnd(4)]);
	snprintf(v[C_CUR], 128, "%s", cur[k]);
	snprintf(v[C_BAL], 128, "%s%u.%02u", rnd(10) ? "" : "-", 1 + rnd(900000), rnd(100));
	snprintf(v[C_PD], 128, "%u.%02u", rnd(9000), rnd(100));
	snprintf(v[C_MIN], 128, "%s", rnd(2) ? "0.00" : "150.50");
	snprintf(v[C_LIMIT], 128, "%s", rnd(3) ? "5800000.00" : "");
	cx_day_to_ymd(due, &y, &m, &d);
	snprintf(due_s, sizeof due_s, "%04d-%02d-%02d", y, m, d);
	snprintf(v[C_DUE], 128, "%s", due_s);
	dpd = (long)as_of - (long)due;
	snprintf(v[C_DPD], 128, "%ld", dpd);
	cx_ingest_bucket(&o, dpd, v[C_BUCKET]);
	snprintf(v[C_OPEN], 128, "2019-0%d-1%d", 1 + (int)rnd(9), (int)rnd(10));
	snprintf(v[C_LASTPAY], 128, "%s", rnd(5) ? "2026-11-02" : "");
	snprintf(v[C_LASTAMT], 128, "%s", v[C_LASTPAY][0] ? "300900.00" : "");
	snprintf(v[C_FLAGS], 128, "%s", flags[rnd(4)]);
	snprintf(v[C_CONSENTS], 128, "%s", cons[rnd(4)]);
	snprintf(v[C_CHANNEL], 128, "%s", chan[rnd(4)]);
	snprintf(v[C_HOURS], 128, "%s", hours[rnd(3)]);
}

/* Every value of these is one the normaliser maps to something else,
 * drops or rejects (each applied alone to a canonical row). */
static const struct { int col; const char *val; } bad[] = {
	{ C_ACC, "" }, { C_ACC, " 000000000001" }, { C_ACC, "1.02E+09" }, { C_ACC, "a b" },
	{ C_SRC, "" }, { C_SRC, "Cards " }, { C_SCID, "CL 1" },
	{ C_NATID, "1.020.304" }, { C_NATID, "79-123" }, { C_NATID, "abc123" }, { C_NATID, "" },
	{ C_NATID, "0000000" },
	{ C_NAME, " Ann" }, { C_NAME, "Ann " }, { C_NAME, "" }, { C_NAME, "a\\tb" },
	{ C_NAME, "back\\\\slash" }, { C_NAME, "line\\nfeed" },
	{ C_EMAIL, "Jose@Example.com" }, { C_EMAIL, "mailto:a@b.co" }, { C_EMAIL, "nope" },
	{ C_PHONE, "3015386926" }, { C_PHONE, "+57 301 538 6926" }, { C_PHONE, "12" },
	{ C_COUNTRY, "Colombia" }, { C_COUNTRY, "co" }, { C_COUNTRY, "" }, { C_COUNTRY, "XX" },
	{ C_TZ, "" }, { C_TZ, "Bogota time" }, { C_LANG, "" }, { C_LANG, "spa" },
	{ C_LANG, "ES" }, { C_PRODUCT, "card" }, { C_PRODUCT, "AUTO-LOAN" },
	{ C_PRODUCT, "_X" }, { C_PRODUCT, "A__B" }, { C_PRODUCT, "x!" },
	{ C_CUR, "usd" }, { C_CUR, "" }, { C_CUR, "XYZ" }, { C_CUR, "$" },
	{ C_BAL, "1,234.50" }, { C_BAL, "12.5" }, { C_BAL, "-0.00" }, { C_BAL, "007.00" },
	{ C_BAL, "" }, { C_BAL, "1e3" }, { C_BAL, "999999999999999999.00" },
	{ C_PD, "-1.00" }, { C_MIN, "1.000" }, { C_LIMIT, " 5.00" },
	{ C_DUE, "2026/11/05" }, { C_DUE, "05/11/2026" }, { C_DUE, "2201-01-01" },
	{ C_DUE, "1899-12-31" }, { C_DUE, "2026-02-30" }, { C_DUE, "" }, { C_DUE, "2026-1-05" },
	{ C_DUE, "1800-01-01" },
	{ C_DPD, "" }, { C_DPD, "12345" }, { C_DPD, "007" }, { C_BUCKET, "" },
	{ C_BUCKET, "180+" }, { C_OPEN, "2027-01-01" }, { C_LASTPAY, "2099-01-01" },
	{ C_LASTAMT, "-5.00" }, { C_FLAGS, "DISPUTE" }, { C_FLAGS, "legal,dispute" },
	{ C_FLAGS, "quiebra" }, { C_FLAGS, "none" }, { C_FLAGS, "bogus" },
	{ C_CONSENTS, "email,sms" }, { C_CONSENTS, "sms;email" }, { C_CONSENTS, "correo" },
	{ C_CHANNEL, "SMS" }, { C_CHANNEL, "llamada" }, { C_CHANNEL, "pigeon" },
	{ C_HOURS, "8-12" }, { C_HOURS, "08:00 - 12:00" }, { C_HOURS, "late" },
	{ C_HOURS, "12:00-08:00" },
};

/* Column order of a file: canonical, or with the last two columns swapped. */
static int
col_at(int swapped, int i)
{
	if (!swapped || i < NCOLS - 2)
		return i;
	return i == NCOLS - 2 ? NCOLS - 1 : NCOLS - 2;
}

/* n rows into two files (canonical header, swapped header); about one row
 * in four changed by one entry of bad[], some repeated as they are or with
 * another balance. */
static void
write_pair(const char *canon, const char *swapped, int n, int seed)
{
	FILE *f[2];
	char v[NCOLS][128], prev[NCOLS][128];
	int i, s, c;

	rng = (uint32_t)seed;
	f[0] = fopen(canon, "w");
	f[1] = fopen(swapped, "w");
	ck_assert(f[0] && f[1]);
	for (s = 0; s < 2; s++)
		for (c = 0; c < NCOLS; c++)
			fprintf(f[s], "%s%s", cols[col_at(s, c)], c + 1 < NCOLS ? "\t" : "\n");
	memset(prev, 0, sizeof prev);
	for (i = 0; i < n; i++) {
		uint32_t k = rnd(16);
		if (i > 0 && k == 0)
			memcpy(v, prev, sizeof v);            /* duplicate */
		else if (i > 0 && k == 1) {
			memcpy(v, prev, sizeof v);            /* conflict */
			snprintf(v[C_BAL], 128, "%u.00", 1 + rnd(1000));
		} else {
			canonical_row(v, i);
			if (k < 6) {
				size_t b = rnd(sizeof bad / sizeof bad[0]);
				snprintf(v[bad[b].col], 128, "%s", bad[b].val);
			}
		}
		memcpy(prev, v, sizeof v);
		for (s = 0; s < 2; s++)
			for (c = 0; c < NCOLS; c++)
				fprintf(f[s], "%s%s", v[col_at(s, c)], c + 1 < NCOLS ? "\t" : "\n");
	}
	ck_assert_int_eq(fclose(f[0]), 0);
	ck_assert_int_eq(fclose(f[1]), 0);
}

static int
run(const char *const *in, size_t nin, const char *out, const char *rej, const char *led,
    size_t memory, struct cx_ingest_result *res, struct cx_error *err)
{
	struct cx_ingest_opts o;
	int rc;

	cx_ingest_opts_init(&o);
	o.kind = CX_KIND_ACCOUNTS;
	o.inputs = in;
	o.ninputs = nin;
	o.output = out;
	o.rejects = rej;
	o.ledger = led;
	o.force = 1;
	o.tmpdir = tmpdir;
	o.memory = memory;
	o.as_of = as_of;
	cx_error_clear(err);
	memset(res, 0, sizeof *res);
	rc = cx_ingest_run(&o, res, err);
	cx_ledger_free(res->ledger);
	res->ledger = NULL;
	return rc;
}

static void
same_file(const char *a, const char *b)
{
	size_t an, bn;
	char *x = slurp(a, &an), *y = slurp(b, &bn);

	ck_assert_msg(an == bn && memcmp(x, y, an) == 0, "%s and %s differ", a, b);
	free(x);
	free(y);
}

/* The rejects without their file names and records (which differ between
 * the two files by name and column order): line and reason. */
static char *
line_reasons(const char *path)
{
	size_t n, i, o = 0;
	char *s = slurp(path, &n), *d = malloc(n + 1);
	int field = 0;

	ck_assert(d);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			d[o++] = '\n';
			field = 0;
		} else if (s[i] == '\t')
			field++;
		if (s[i] != '\n' && (field == 1 || field == 2))
			d[o++] = s[i];
	}
	d[o] = '\0';
	free(s);
	return d;
}

/* Inputs a and b (each given twice when twice) ingested alike: the same
 * output, ledger and rejects (line and reason). */
static void
same_outcome(const char *a, const char *b, size_t memory, int twice,
             struct cx_ingest_result *ra, struct cx_ingest_result *rb)
{
	const char *in[2];
	struct cx_error ea, eb;
	char *x, *y;

	in[0] = in[1] = a;
	ck_assert_int_eq(run(in, twice ? 2 : 1, P("a.out"), P("a.rej"), P("a.led"), memory, ra,
	                     &ea), 0);
	in[0] = in[1] = b;
	ck_assert_int_eq(run(in, twice ? 2 : 1, P("b.out"), P("b.rej"), P("b.led"), memory, rb,
	                     &eb), 0);
	same_file(P("a.out"), P("b.out"));
	same_file(P("a.led"), P("b.led"));
	x = line_reasons(P("a.rej"));
	y = line_reasons(P("b.rej"));
	ck_assert_str_eq(x, y);
	free(x);
	free(y);
}

static void
compare(int n, int seed, size_t memory, int twice)
{
	char a[512], b[512];
	struct cx_ingest_result ra, rb;

	/* one base name: an empty source is the file's name */
	snprintf(a, sizeof a, "%s", P("a/accounts.tsv"));
	snprintf(b, sizeof b, "%s", P("b/accounts.tsv"));
	write_pair(a, b, n, seed);
	same_outcome(a, b, memory, twice, &ra, &rb);
	ck_assert_uint_eq(ra.rows_rejected, rb.rows_rejected);
	ck_assert_uint_eq(ra.rows_duplicate, rb.rows_duplicate);
	ck_assert_uint_eq(ra.values_dropped, rb.values_dropped);
	ck_assert_uint_eq(rb.rows_fast, 0);
	/* most rows are canonical and take the fast path */
	ck_assert_msg(ra.rows_fast * 2 > ra.rows_in, "fast %llu of %llu",
	              (unsigned long long)ra.rows_fast, (unsigned long long)ra.rows_in);
	ck_assert_msg(ra.rows_rejected > 0 && ra.rows_duplicate > 0, "no rejects or duplicates");
}

/* path gzipped into gz */
static void
gzip_file(const char *path, const char *gz)
{
	size_t n;
	char *x = slurp(path, &n);
	gzFile g = gzopen(gz, "wb1");

	ck_assert(g != NULL);
	ck_assert_int_eq(gzwrite(g, x, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(g), Z_OK);
	free(x);
}

/* The same mixed rows (canonical ones and others the full path rejects,
 * drops or changes) from a plain file, whose canonical rows are written
 * from its mapping, and from a gzip copy of it, whose rows are copied as
 * before: the same output, ledger and rejects. */
static void
mapped_equals_copied(int n, int seed, size_t memory, int twice)
{
	char a[512], c[512];
	struct cx_ingest_result ra, rc;

	snprintf(a, sizeof a, "%s", P("a/accounts.tsv"));
	snprintf(c, sizeof c, "%s", P("c/accounts.tsv.gz"));
	write_pair(a, P("b/accounts.tsv"), n, seed);
	gzip_file(a, c);
	same_outcome(a, c, memory, twice, &ra, &rc);
	ck_assert_uint_eq(ra.rows_out, rc.rows_out);
	ck_assert_uint_eq(ra.rows_fast, rc.rows_fast);
	/* the plain file's kept canonical rows stay in its mapping; none of
	 * the gzip file's */
	ck_assert_msg(ra.rows_mapped > 0 && ra.rows_mapped <= ra.rows_fast &&
	              ra.rows_mapped <= ra.rows_out, "mapped %llu",
	              (unsigned long long)ra.rows_mapped);
	ck_assert_uint_eq(rc.rows_mapped, 0);
	ck_assert_msg(ra.rows_rejected > 0 && ra.rows_duplicate > 0, "no rejects or duplicates");
}

static void
setup(void)
{
	tmp_setup();
	ck_assert_int_eq(mkdir(P("a"), 0700), 0);
	ck_assert_int_eq(mkdir(P("b"), 0700), 0);
	ck_assert_int_eq(mkdir(P("c"), 0700), 0);
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &as_of), 0);
}

START_TEST(fast_equals_full)
{
	compare(3000, 1, 0, 0);
}
END_TEST

/* several batches of the reader thread, two inputs, a spilling index */
START_TEST(fast_equals_full_big)
{
	compare(9000, 2, 0, 1);
	compare(6000, 3, 1 << 18, 0);
}
END_TEST

START_TEST(mapped_equals_copied_small)
{
	mapped_equals_copied(3000, 11, 0, 0);
}
END_TEST

/* two mappings (one file given twice), and a sort that spills its
 * records (where a line is in a mapping) to runs and merges them */
START_TEST(mapped_equals_copied_big)
{
	mapped_equals_copied(9000, 12, 0, 1);
	mapped_equals_copied(6000, 13, 1 << 18, 1);
}
END_TEST

/* A bad escape far into the file: the rows before it are taken, then the
 * run stops with the reader's error, as in one thread. */
START_TEST(reader_error)
{
	char a[512], b[512];
	const char *in[1];
	struct cx_ingest_result ra, rb;
	struct cx_error ea, eb;
	FILE *f;

	/* one base name: an empty source is the file's name */
	snprintf(a, sizeof a, "%s", P("a/accounts.tsv"));
	snprintf(b, sizeof b, "%s", P("b/accounts.tsv"));
	write_pair(a, b, 5000, 7);
	ck_assert(f = fopen(a, "a"));
	fprintf(f, "c\tbad\\x\tcards\n");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert(f = fopen(b, "a"));
	fprintf(f, "c\tbad\\x\tcards\n");
	ck_assert_int_eq(fclose(f), 0);
	in[0] = a;
	ck_assert_int_lt(run(in, 1, P("a.out"), NULL, NULL, 0, &ra, &ea), 0);
	in[0] = b;
	ck_assert_int_lt(run(in, 1, P("b.out"), NULL, NULL, 0, &rb, &eb), 0);
	ck_assert_int_eq(ea.code, eb.code);
	ck_assert_int_eq(ea.line, eb.line);
	ck_assert_int_eq(ea.line, 5002);
	ck_assert_str_eq(ea.msg, eb.msg);
	ck_assert_uint_eq(ra.rows_in, rb.rows_in);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ingest_canon");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, tmp_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fast_equals_full);
	tcase_add_test(tc, fast_equals_full_big);
	tcase_add_test(tc, reader_error);
	tcase_add_test(tc, mapped_equals_copied_small);
	tcase_add_test(tc, mapped_equals_copied_big);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
