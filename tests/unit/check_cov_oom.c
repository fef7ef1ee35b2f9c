/* Out of memory inside the library, allocation by allocation: every run
 * function (ingest of each kind, score, segment, plan with messages,
 * report in every format and the partial/merge path) and every file
 * reader (rules, policy, capacity, model, templates) is run once to count
 * its allocations, then once per allocation with that one failing.  Each
 * failing run must return an error that maps to exit 70 (CX_ENOMEM), leave
 * no output file and no temporary file behind; leaks are caught by
 * valgrind (make check-valgrind) and LeakSanitizer (make check-asan).
 * The command-line OOM loops (tests/cli/hardening) sample N; this tries
 * every N on small inputs (about 40 N per run under valgrind, CX_VALGRIND=1). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_capacity.h"
#include "cx_ingest.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_msg.h"
#include "cx_plan.h"
#include "cx_policy.h"
#include "cx_report.h"
#include "cx_rules.h"
#include "cx_score.h"
#include "cx_score_model.h"
#include "cx_segment.h"
#include "cx_test.h"
#include "cx_utf8.h"

static char path_buf[64][sizeof tmpdir + 64];
static int path_k;

/* a path in the scratch directory, valid for the whole test (the options
 * of a run keep theirs through thousands of runs; P()'s ring would wrap) */
static const char *
PK(const char *name)
{
	int n;
	ck_assert_int_lt(path_k, 64);
	n = snprintf(path_buf[path_k], sizeof path_buf[path_k], "%s/%s", tmpdir, name);
	ck_assert(n > 0 && (size_t)n < sizeof path_buf[path_k]);
	return path_buf[path_k++];
}

/* tmpfs when there is one: thousands of runs, each fsyncs its outputs */
static void
setup(void)
{
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	                   access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	tmp_setup_in(base);
	path_k = 0;
}

static void
teardown(void)
{
	cx_mem_fail_after(0);
	tmp_teardown();
}

static int
count_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int
exists(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0;
}

/* One run of the code under test: 0 or a negative CX_E* code. */
typedef int (*run_fn)(struct cx_error *err);

/* Run fn once per allocation with that allocation failing.  outs: files
 * the run publishes (NULL-terminated), removed before each run. */
static void
oom_loop(const char *what, run_fn fn, const char *const *outs)
{
	struct cx_error err;
	long total, n, step = 1, failed = 0;
	int before, rc;

	for (const char *const *o = outs; *o; o++)
		unlink(*o);
	before = count_entries();
	cx_mem_fail_after(0);
	rc = fn(&err);
	total = cx_mem_count();
	ck_assert_msg(rc >= 0, "%s: baseline run failed: %s", what, err.msg);
	ck_assert_int_gt(total, 0);
	if (getenv("CX_VALGRIND"))
		step = total / 40 + 1;   /* about 40 runs: ASan runs them all */
	/* every N up to 400, then in steps of 1 % (allocations in loops
	 * over rows repeat the same sites) */
	for (n = 1; n <= total; n += step + (n > 400 ? n / 100 : 0)) {
		for (const char *const *o = outs; *o; o++)
			unlink(*o);
		cx_error_clear(&err);
		cx_mem_fail_after(n);
		rc = fn(&err);
		cx_mem_fail_after(0);
		if (rc >= 0)
			continue;   /* the failure was absorbed (a cache, a retry) */
		failed++;
		ck_assert_msg(cx_exit_status(rc) == CX_EXIT_SOFTWARE && err.msg[0],
		              "%s: allocation %ld of %ld: status %d (%s)", what, n, total, rc,
		              err.msg);
		for (const char *const *o = outs; *o; o++)
			ck_assert_msg(!exists(*o), "%s: allocation %ld: %s published", what, n, *o);
		ck_assert_msg(count_entries() == before, "%s: allocation %ld: files left behind",
		              what, n);
	}
	for (const char *const *o = outs; *o; o++)
		unlink(*o);
	ck_assert_int_gt(failed, 0);
	if (getenv("CX_OOM_VERBOSE"))
		fprintf(stderr, "%s: %ld allocations, %ld runs failed\n", what, total, failed);
}

/* ---- ingest -------------------------------------------------------------- */

static struct cx_ingest_opts io;
static const char *io_inputs[2];

static int
run_ingest(struct cx_error *err)
{
	struct cx_ingest_result res;
	int rc = cx_ingest_run(&io, &res, err);
	cx_ledger_free(res.ledger);
	return rc;
}

static void
ingest_opts(enum cx_kind kind, const char *in, const char *in2)
{
	cx_ingest_opts_init(&io);
	io.kind = kind;
	io_inputs[0] = in;
	io_inputs[1] = in2;
	io.inputs = io_inputs;
	io.ninputs = in2 ? 2 : 1;
	io.output = PK("out.tsv");
	io.rejects = PK("rej.tsv");
	io.ledger = PK("led.tsv");
	io.tmpdir = tmpdir;
	io.force = 1;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &io.as_of), 0);
}

static const char *ingest_outs[4];

static void
ingest_paths(void)
{
	ingest_outs[0] = io.output;
	ingest_outs[1] = io.rejects;
	ingest_outs[2] = io.ledger;
	ingest_outs[3] = NULL;
}

START_TEST(oom_ingest_accounts)
{
	sh("head -n 16 $SRC/testdata/sample/loans.csv >loans.csv; "
	   "head -n 12 $SRC/testdata/sample/cards.csv >cards.csv");
	ingest_opts(CX_KIND_ACCOUNTS, PK("loans.csv"), PK("cards.csv"));
	io.encoding = CX_ENC_CP1252;
	io.decimal_comma = 0;
	ingest_paths();
	/* loans.csv is cp1252 with decimal commas, cards.csv is not: one at a time */
	io.ninputs = 1;
	io.decimal_comma = 1;
	io.date_order = CX_DATE_DMY;
	oom_loop("ingest accounts (loans)", run_ingest, ingest_outs);
	io_inputs[0] = PK("cards.csv");
	io.encoding = CX_ENC_UTF8;
	io.decimal_comma = 0;
	io.date_order = CX_DATE_ISO;
	io.memory = 2048;   /* spill sorted runs */
	ingest_paths();
	oom_loop("ingest accounts (cards, spilling)", run_ingest, ingest_outs);
}
END_TEST

START_TEST(oom_ingest_events)
{
	static const struct { enum cx_kind kind; const char *file; int es; } ev[] = {
		{ CX_KIND_PAYMENTS, "cards_payments.csv", 0 },
		{ CX_KIND_CONTACTS, "contacts.csv", 0 },
		{ CX_KIND_STATEMENTS, "cards_statements.csv", 0 },
	};
	struct cx_ingest_result res;
	struct cx_error err;

	sh("cp $SRC/testdata/sample/cards.csv .; for f in cards_payments.csv contacts.csv "
	   "cards_statements.csv; do head -n 12 $SRC/testdata/sample/$f >$f; done");
	ingest_opts(CX_KIND_ACCOUNTS, PK("cards.csv"), NULL);
	io.output = PK("accounts.tsv");
	io.rejects = io.ledger = NULL;
	ck_assert_int_eq(cx_ingest_run(&io, &res, &err), 0);
	cx_ledger_free(res.ledger);
	for (size_t i = 0; i < sizeof ev / sizeof *ev; i++) {
		ingest_opts(ev[i].kind, PK(ev[i].file), NULL);
		io.accounts = PK("accounts.tsv");
		ingest_paths();
		oom_loop(ev[i].file, run_ingest, ingest_outs);
	}
	/* a table: any columns, no schema */
	ingest_opts(CX_KIND_TABLE, PK("contacts.csv"), NULL);
	ingest_paths();
	oom_loop("table", run_ingest, ingest_outs);
}
END_TEST

/* ---- score, segment, plan, messages -------------------------------------- */

static struct cx_score_opts so;
static struct cx_segment_opts go;
static struct cx_plan_opts po;
static struct cx_msg_opts mo;

static int run_score(struct cx_error *err) { return cx_score_run(&so, err); }
static int run_segment(struct cx_error *err) { return cx_segment_run(&go, NULL, err); }
static int run_plan(struct cx_error *err) { return cx_plan_run(&po, NULL, err); }

static char score_out[sizeof tmpdir + 32], seg_out[sizeof tmpdir + 32],
	plan_out[sizeof tmpdir + 32];

START_TEST(oom_score_segment_plan)
{
	const char *const s_outs[] = { score_out, NULL };
	const char *const g_outs[] = { seg_out, NULL };
	const char *const p_outs[] = { plan_out, NULL };
	cx_day day;
	struct cx_error err;

	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &day), 0);
	sh("C=$SRC/testdata/canonical; head -n 21 $C/accounts.tsv >acc.tsv; "
	   "head -n 200 $C/payments.tsv >pay.tsv; head -n 200 $C/contacts.tsv >con.tsv; "
	   "head -n 200 $C/statements.tsv >stm.tsv");
	snprintf(score_out, sizeof score_out, "%s/scored.tsv", tmpdir);
	snprintf(seg_out, sizeof seg_out, "%s/seg.tsv", tmpdir);
	snprintf(plan_out, sizeof plan_out, "%s/plan.tsv", tmpdir);

	cx_score_opts_init(&so);
	so.input = PK("acc.tsv");
	so.output = score_out;
	so.force = 1;
	so.payments = PK("pay.tsv");
	so.contacts = PK("con.tsv");
	so.statements = PK("stm.tsv");
	so.as_of = day;
	so.has_as_of = 1;
	oom_loop("score", run_score, s_outs);
	ck_assert_int_eq(cx_score_run(&so, &err), 0);

	memset(&go, 0, sizeof go);
	go.input = score_out;
	go.output = seg_out;
	go.force = 1;
	go.as_of = day;
	oom_loop("segment", run_segment, g_outs);
	ck_assert_int_eq(cx_segment_run(&go, NULL, &err), 0);

	memset(&po, 0, sizeof po);
	po.input = seg_out;
	po.contacts = PK("con.tsv");
	po.payments = PK("pay.tsv");
	po.output = plan_out;
	po.out_flags = CX_OUT_FORCE;
	po.as_of = day;
	po.tmpdir = tmpdir;
	oom_loop("plan", run_plan, p_outs);
	ck_assert_int_eq(cx_plan_run(&po, NULL, &err), 0);

	/* messages: the dispatch directory must not appear on failure */
	{
		static char mdir[sizeof tmpdir + 32];
		const char *const m_outs[] = { mdir, NULL };
		struct cx_msg_stats ms;
		snprintf(mdir, sizeof mdir, "%s/msgs", tmpdir);
		memset(&mo, 0, sizeof mo);
		mo.plan = plan_out;
		mo.accounts = seg_out;
		mo.dir = mdir;
		mo.as_of = day;
		mo.out_flags = CX_OUT_FORCE;
		mo.stats = &ms;
		ck_assert_int_eq(cx_msg_dispatch(&mo, &err), 0);
		sh("rm -rf msgs");
		(void)m_outs;
		/* the directory itself may stay (it is created first, 0700); the
		 * files in it must not be published half */
		{
			struct cx_error e2;
			long total, n, step = 1;
			cx_mem_fail_after(0);
			ck_assert_int_eq(cx_msg_dispatch(&mo, &e2), 0);
			total = cx_mem_count();
			if (getenv("CX_VALGRIND"))
				step = total / 40 + 1;
			for (n = 1; n <= total; n += step + (n > 400 ? n / 100 : 0)) {
				int rc;
				sh("rm -rf msgs");
				cx_mem_fail_after(n);
				rc = cx_msg_dispatch(&mo, &e2);
				cx_mem_fail_after(0);
				if (rc < 0) {
					DIR *d;
					struct dirent *e;
					ck_assert_msg(cx_exit_status(rc) == CX_EXIT_SOFTWARE,
					              "messages: allocation %ld: %s", n, e2.msg);
					if ((d = opendir(mdir)) != NULL) {
						while ((e = readdir(d)) != NULL)
							ck_assert_msg(e->d_name[0] == '.' && (e->d_name[1] == 0 ||
							              (e->d_name[1] == '.' && e->d_name[2] == 0)),
							              "messages: allocation %ld: %s left", n,
							              e->d_name);
						closedir(d);
					}
				}
			}
		}
	}
}
END_TEST

/* ---- report -------------------------------------------------------------- */

static struct cx_report_opts ro;
static int run_report(struct cx_error *err) { return cx_report_run(&ro, err); }

START_TEST(oom_report)
{
	static const enum cx_report_format fmts[] = { CX_RF_TSV, CX_RF_CSV, CX_RF_TEXT, CX_RF_HTML };
	static char out[sizeof tmpdir + 32], part[sizeof tmpdir + 32];
	const char *const outs[] = { out, NULL };
	const char *const parts[] = { part, NULL };
	const char *merge[1];
	struct cx_error err;
	cx_day day;

	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &day), 0);
	sh("R=$SRC/testdata/report C=$SRC/testdata/canonical; head -n 9 $R/current.tsv >cur.tsv; "
	   "head -n 9 $R/previous.tsv >prev.tsv; head -n 30 $C/payments.tsv >pay.tsv; "
	   "head -n 30 $C/contacts.tsv >con.tsv; head -n 30 $C/statements.tsv >stm.tsv");
	snprintf(out, sizeof out, "%s/report.out", tmpdir);
	snprintf(part, sizeof part, "%s/part.tsv", tmpdir);
	for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
		cx_report_opts_init(&ro);
		ro.accounts = PK("cur.tsv");
		ro.previous = PK("prev.tsv");
		ro.payments = PK("pay.tsv");
		ro.contacts = PK("con.tsv");
		ro.statements = PK("stm.tsv");
		ro.costs = CX_SRCDIR "/testdata/report/costs.tsv";
		ro.as_of = day;
		ro.by = CX_BY_SEGMENT | CX_BY_PRODUCT | CX_BY_ARM;
		ro.format = fmts[i];
		ro.output = out;
		ro.out_flags = CX_OUT_FORCE;
		ro.max_detail = 3;
		oom_loop("report", run_report, outs);
	}
	/* partial, then merge */
	ro.partial = 1;
	ro.output = part;
	oom_loop("report --partial", run_report, parts);
	ck_assert_int_eq(cx_report_run(&ro, &err), 0);
	cx_report_opts_init(&ro);
	merge[0] = part;
	ro.merge = merge;
	ro.n_merge = 1;
	ro.format = CX_RF_TEXT;
	ro.output = out;
	ro.out_flags = CX_OUT_FORCE;
	oom_loop("report --merge", run_report, outs);
}
END_TEST

/* ---- file readers -------------------------------------------------------- */

static int
run_rules(struct cx_error *err)
{
	struct cx_rules_opts o = { NULL, 0, 20000 };
	struct cx_rules *r = cx_rules_compile("default.cx", cx_rules_default_text,
	                                      cx_rules_default_len, &o, err);
	if (!r)
		return err->code;
	cx_rules_free(r);
	return 0;
}

static int
run_policy(struct cx_error *err)
{
	struct cx_policy *p = NULL;
	int rc = cx_policy_load(NULL, &p, err);
	cx_policy_free(p);
	return rc;
}

static int
run_capacity(struct cx_error *err)
{
	struct cx_capacity *c = NULL;
	int rc = cx_capacity_load(NULL, &c, err);
	cx_capacity_free(c);
	return rc;
}

static int
run_model(struct cx_error *err)
{
	struct cx_sc_model *m = cx_sc_model_parse(cx_score_default_model,
	                                          cx_score_default_model_len, "default", err);
	if (!m)
		return err->code;
	cx_sc_model_free(m);
	return 0;
}

static int
run_templates(struct cx_error *err)
{
	struct cx_msg_set *s = NULL;
	int rc = cx_msg_set_load(NULL, &s, err);
	cx_msg_set_free(s);
	return rc;
}

START_TEST(oom_readers)
{
	const char *const none[] = { NULL };
	oom_loop("rules", run_rules, none);
	oom_loop("policy", run_policy, none);
	oom_loop("capacity", run_capacity, none);
	oom_loop("model", run_model, none);
	oom_loop("templates", run_templates, none);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_oom");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	setenv("SRC", CX_SRCDIR, 1);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, oom_ingest_accounts);
	tcase_add_test(tc, oom_ingest_events);
	tcase_add_test(tc, oom_score_segment_plan);
	tcase_add_test(tc, oom_report);
	tcase_add_test(tc, oom_readers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
