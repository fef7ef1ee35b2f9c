/* Perturbed canonical streams through score, segment, plan and report:
 * a few cells of real data are replaced by hostile values (empty, junk,
 * out of range, impossible dates, unknown codes, huge numbers) and each
 * tool must either finish or fail with CX_EDATA / CX_ELIMIT naming the
 * file, and publish nothing on failure.  Plans and segments are also
 * explained for several customers, and reports rendered in every format
 * with every breakdown, so the decision paths meet odd data.
 * Deterministic seeds; fewer rounds under valgrind (CX_VALGRIND=1). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_date.h"
#include "cx_mem.h"
#include "cx_msg.h"
#include "cx_plan.h"
#include "cx_report.h"
#include "cx_score.h"
#include "cx_segment.h"
#include "cx_test.h"

static cx_day today;
static uint64_t rs;

static unsigned
rnd(unsigned n)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (unsigned)((rs * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static int
rounds(int normal)
{
	return getenv("CX_VALGRIND") ? normal / 4 + 1 : normal;
}

static void
setup(void)
{
	struct cx_score_opts so;
	struct cx_segment_opts go = { 0 };
	struct cx_error err;

	tmp_setup();
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &today), 0);
	sh("C=$SRC/testdata/canonical; head -n 61 $C/accounts.tsv >acc.tsv; "
	   "head -n 400 $C/payments.tsv >pay.tsv; head -n 400 $C/contacts.tsv >con.tsv; "
	   "head -n 400 $C/statements.tsv >stm.tsv");
	cx_score_opts_init(&so);
	so.input = P("acc.tsv");
	so.output = P("scored.tsv");
	so.force = 1;
	so.payments = P("pay.tsv");
	so.contacts = P("con.tsv");
	so.as_of = today;
	so.has_as_of = 1;
	ck_assert_msg(cx_score_run(&so, &err) == 0, "%s", err.msg);
	go.input = P("scored.tsv");
	go.output = P("seg.tsv");
	go.force = 1;
	go.as_of = today;
	ck_assert_msg(cx_segment_run(&go, NULL, &err) == 0, "%s", err.msg);
}

static const char *const junk[] = {
	"", "x", "-5", "0", "99999999999999999999", "2026-02-30", "1969-12-31", "USD", "COP",
	"ZZZ", "closed", "sms,call", "dispute,legal", "1e9", "0.5", "-0.00", "ZZ", "US", "MX",
	"America/Nowhere", "UTC", "08:00-07:00", "09:00-17:00", "\xc3\xa9t\xc3\xa9", "NaN",
	"1.234", "12345678901234.56", "promise", "refused", "in", "out", "2026-11-20T10:00:00Z",
	"2026-11-20T25:00:00+01:00", "2026-11-19", "current", "180+", "champion", "none",
};

/* A value of the same shape as cell c (money, date, timestamp, integer,
 * share, list, text) but at an edge: zero, negative, huge, far dates,
 * empty, other codes. */
static const char *
edge_value(const char *c)
{
	static const char *const money[] = { "0.00", "-1.00", "999999999.99", "0.01", "", "5.5" };
	static const char *const date[] = { "2026-11-20", "2026-11-19", "2025-12-25", "2000-01-01",
	                                    "2099-12-31", "", "2026-11-21" };
	static const char *const ts[] = { "2026-11-20T08:00:00-05:00", "2026-11-19T23:59:59+00:00",
	                                  "2026-10-01T12:00:00+01:00", "" };
	static const char *const num[] = { "0", "-3", "400", "1", "36500", "", "7" };
	static const char *const share[] = { "0", "1", "0.5", "", "0.0001" };
	static const char *const list[] = { "", "dispute", "sms", "sms,call,email,letter", "legal",
	                                    "deceased,bankruptcy", "whatsapp,ivr", "hardship" };
	static const char *const text[] = { "", "call", "sms", "email", "promise", "refused", "in",
	                                    "champion", "standard", "CO", "MX", "US", "BR", "COP",
	                                    "USD", "MXN", "firm", "settlement", "payment_plan",
	                                    "hardship_care", "none", "early_forgot" };
	size_t n = strlen(c), i, digits = 0, dots = 0, dashes = 0, colons = 0;
#define PICK(a) a[rnd(sizeof a / sizeof *a)]
	for (i = 0; i < n; i++) {
		digits += c[i] >= '0' && c[i] <= '9';
		dots += c[i] == '.';
		dashes += c[i] == '-';
		colons += c[i] == ':';
	}
	if (n && strchr(c, 'T') && colons >= 2)
		return PICK(ts);
	if (n == 10 && dashes == 2 && digits == 8)
		return PICK(date);
	if (n && c[0] == '0' && dots == 1 && digits + 1 == n)
		return PICK(share);
	if (n && dots == 1 && digits + dots + (c[0] == '-') == n)
		return PICK(money);
	if (n && digits + (c[0] == '-') == n)
		return PICK(num);
	if (strchr(c, ','))
		return PICK(list);
	return PICK(text);
#undef PICK
}

/* Copy src to dst.  mode 0: exactly one cell (not column keep) becomes
 * junk; mode 1: each cell with probability permille/1000 becomes an edge
 * value of its shape.  The header is kept. */
static void
perturb(const char *src, const char *dst, int keep, int mode, unsigned permille)
{
	FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
	char line[8192];
	long row = 0, nrows = 0, target;
	ck_assert(in && out);
	while (fgets(line, sizeof line, in))
		nrows++;
	rewind(in);
	target = nrows > 1 ? 1 + (long)rnd((unsigned)(nrows - 1)) : -1;
	while (fgets(line, sizeof line, in)) {
		char *p = line, *tab;
		int col = 0, ncol = 1, tcol;
		if (row++ == 0) {
			fputs(line, out);
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		for (char *q = line; *q; q++)
			ncol += *q == '\t';
		tcol = (int)rnd((unsigned)ncol);
		if (tcol == keep)
			tcol = (tcol + 1) % ncol;
		for (;;) {
			tab = strchr(p, '\t');
			if (tab)
				*tab = '\0';
			if (mode == 0 && row - 1 == target && col == tcol)
				fputs(junk[rnd(sizeof junk / sizeof *junk)], out);
			else if (mode == 1 && col != keep && rnd(1000) < permille)
				fputs(edge_value(p), out);
			else
				fputs(p, out);
			if (!tab)
				break;
			fputc('\t', out);
			p = tab + 1;
			col++;
		}
		fputc('\n', out);
	}
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

static int
exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static void
check_rc(const char *what, int rc, const struct cx_error *err, const char *out, int round)
{
	if (getenv("CX_PIPE_VERBOSE"))
		fprintf(stderr, "%s %d: %d %s:%ld: %s\n", what, round, rc, err->file, err->line,
		        rc ? err->msg : "");
	if (rc == 0)
		return;
	ck_assert_msg(rc == CX_EDATA || rc == CX_ELIMIT, "%s round %d: %d %s", what, round, rc,
	              err->msg);
	ck_assert_msg(err->file[0] && err->msg[0], "%s round %d: no file in '%s'", what, round,
	              err->msg);
	if (out)
		ck_assert_msg(!exists(out), "%s round %d: output published", what, round);
}

START_TEST(perturbed_score_and_segment)
{
	rs = 0x5c0e;
	for (int i = 0; i < rounds(24); i++) {
		struct cx_score_opts so;
		struct cx_segment_opts go = { 0 };
		struct cx_error err;
		const char *out = P("o.tsv");
		int rc;

		perturb(P("acc.tsv"), P("acc2.tsv"), 0, i % 3 == 0 ? 0 : 1, 8);
		perturb(P("pay.tsv"), P("pay2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("con.tsv"), P("con2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("stm.tsv"), P("stm2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		unlink(out);
		cx_score_opts_init(&so);
		so.input = P("acc2.tsv");
		so.output = out;
		so.force = 1;
		so.payments = i % 2 ? P("pay2.tsv") : P("pay.tsv");
		so.contacts = i % 3 ? P("con2.tsv") : NULL;
		so.statements = i % 4 == 1 ? P("stm2.tsv") : NULL;
		so.as_of = today;
		so.has_as_of = 1;
		rc = cx_score_run(&so, &err);
		check_rc("score", rc, &err, out, i);

		perturb(P("seg.tsv"), P("seg2.tsv"), 0, i % 3 == 0 ? 0 : 1, 40);
		unlink(out);
		go.input = P("seg2.tsv");
		go.output = out;
		go.force = 1;
		go.as_of = today;
		rc = cx_segment_run(&go, NULL, &err);
		check_rc("segment", rc, &err, out, i);
	}
}
END_TEST

START_TEST(perturbed_plan_and_explain)
{
	static const char *const keys_cmd =
		"cut -f1 seg.tsv | sed 1d | uniq | awk 'NR % 4 == 1' >keys";
	char keys[64][24];
	int nkeys = 0;
	FILE *f;

	sh(keys_cmd);
	f = fopen(P("keys"), "r");
	ck_assert_ptr_nonnull(f);
	while (nkeys < 64 && fgets(keys[nkeys], sizeof keys[nkeys], f)) {
		keys[nkeys][strcspn(keys[nkeys], "\n")] = '\0';
		nkeys++;
	}
	fclose(f);
	ck_assert_int_gt(nkeys, 5);
	rs = 0x91a;
	for (int i = 0; i < rounds(30); i++) {
		struct cx_plan_opts po;
		struct cx_error err;
		const char *out = P("plan.tsv");
		FILE *ex = fopen("/dev/null", "w");
		int rc;

		perturb(P("seg.tsv"), P("seg2.tsv"), 0, i % 3 == 0 ? 0 : 1, i == 0 ? 0 : 6);
		perturb(P("con.tsv"), P("con2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("pay.tsv"), P("pay2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		memset(&po, 0, sizeof po);
		po.input = P("seg2.tsv");
		po.contacts = i % 5 == 4 ? NULL : P("con2.tsv");
		po.payments = i % 5 == 3 ? NULL : P("pay2.tsv");
		po.output = out;
		po.out_flags = CX_OUT_FORCE;
		po.as_of = today + (i % 7) * 5 - 10;   /* other days: weekends, holidays */
		po.tmpdir = tmpdir;
		po.explain_out = ex;
		unlink(out);
		rc = cx_plan_run(&po, NULL, &err);
		check_rc("plan", rc, &err, out, i);
		if (rc == 0) {
			/* the messages of that plan, against clean or perturbed accounts */
			struct cx_msg_opts mo;
			struct cx_msg_stats ms;
			memset(&mo, 0, sizeof mo);
			mo.plan = out;
			mo.accounts = i % 2 ? P("seg2.tsv") : P("seg.tsv");
			mo.dir = P("msgs");
			mo.as_of = po.as_of;
			mo.sms_transliterate = i % 3 == 1;
			mo.sms_max_segments = 1 + i % 4;
			mo.out_flags = CX_OUT_FORCE;
			mo.stats = &ms;
			rc = cx_msg_dispatch(&mo, &err);
			check_rc("messages", rc, &err, NULL, i);
		}
		/* explain a few customers of the clean streams */
		if (i < 4 || i % 3 == 0)
			for (int k = i % 3; k < nkeys; k += 3) {
				po.input = P("seg.tsv");
				po.contacts = P("con.tsv");
				po.payments = P("pay.tsv");
				po.explain = keys[k];
				rc = cx_plan_run(&po, NULL, &err);
				ck_assert_msg(rc == 0, "explain %s: %s", keys[k], err.msg);
			}
		fclose(ex);
	}
}
END_TEST

START_TEST(explain_segment)
{
	sh("cut -f1 seg.tsv | sed 1d | uniq | head -n 12 >keys");
	FILE *f = fopen(P("keys"), "r");
	char key[32];
	ck_assert_ptr_nonnull(f);
	while (fgets(key, sizeof key, f)) {
		struct cx_segment_opts go = { 0 };
		struct cx_error err;
		key[strcspn(key, "\n")] = '\0';
		go.input = P("scored.tsv");
		go.output = P("trace.txt");
		go.force = 1;
		go.as_of = today;
		go.explain = key;
		ck_assert_msg(cx_segment_run(&go, NULL, &err) == 0, "%s", err.msg);
	}
	fclose(f);
	{
		struct cx_segment_opts go = { 0 };
		struct cx_error err;
		char *summary = NULL;
		go.input = P("scored.tsv");
		go.output = P("o.tsv");
		go.force = 1;
		go.as_of = today;
		ck_assert_int_eq(cx_segment_run(&go, &summary, &err), 0);
		ck_assert_ptr_nonnull(summary);
		cx_free(summary);
		go.explain = "c_no_such_customer";
		ck_assert_int_lt(cx_segment_run(&go, NULL, &err), 0);
		go.explain = NULL;
		go.check = 1;
		ck_assert_int_eq(cx_segment_run(&go, NULL, &err), 0);
		go.input = NULL;
		ck_assert_int_eq(cx_segment_run(&go, NULL, &err), 0);
	}
}
END_TEST

START_TEST(perturbed_report)
{
	static const enum cx_report_format fmts[] = { CX_RF_TSV, CX_RF_CSV, CX_RF_TEXT, CX_RF_HTML };
	sh("R=$SRC/testdata/report; head -n 60 $R/current.tsv >cur.tsv; "
	   "head -n 60 $R/previous.tsv >prev.tsv");
	rs = 0xe90;
	for (int i = 0; i < rounds(24); i++) {
		struct cx_report_opts ro;
		struct cx_report_stats st;
		struct cx_error err;
		const char *out = P("rep.out");
		int rc;

		perturb(P("cur.tsv"), P("cur2.tsv"), 0, i % 3 == 0 ? 0 : 1, i == 0 ? 0 : 6);
		perturb(P("prev.tsv"), P("prev2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("pay.tsv"), P("pay2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("con.tsv"), P("con2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		perturb(P("stm.tsv"), P("stm2.tsv"), 0, 1, i % 4 == 1 ? 10 : 0);
		cx_report_opts_init(&ro);
		ro.accounts = P("cur2.tsv");
		ro.previous = i % 6 == 5 ? NULL : P("prev2.tsv");
		ro.payments = P("pay2.tsv");
		ro.contacts = P("con2.tsv");
		ro.statements = i % 2 ? P("stm2.tsv") : NULL;
		ro.costs = CX_SRCDIR "/testdata/report/costs.tsv";
		ro.credit_sales = i % 3 == 2 ? "USD=1000.00,COP=5000000.00" : NULL;
		ro.as_of = today;
		ro.period_days = 7 + (i % 4) * 23;
		ro.by = (unsigned)(i % 8);
		ro.format = fmts[i % 4];
		ro.bom = i % 5 == 1;
		ro.decimal_comma = i % 4 == 1;
		ro.unmask = i % 6 == 2;
		ro.max_detail = i % 3;
		ro.champion = i % 7 == 3 ? "standard" : NULL;
		ro.title = i % 2 ? "t <&> \"q\"" : NULL;
		ro.output = out;
		ro.out_flags = CX_OUT_FORCE;
		ro.stats = &st;
		unlink(out);
		rc = cx_report_run(&ro, &err);
		check_rc("report", rc, &err, out, i);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_pipeline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, setup, tmp_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, perturbed_score_and_segment);
	tcase_add_test(tc, perturbed_plan_and_explain);
	tcase_add_test(tc, explain_segment);
	tcase_add_test(tc, perturbed_report);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
