/* Unit tests of the cx-segment run (cx_segment): output columns appended
 * or replaced in place, one decision per customer, experiment arms, data
 * errors with the input line, and out-of-memory at every allocation with
 * nothing published. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_date.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_segment.h"
#include "cx_test.h"

/* the output, or NULL when nothing was published */
static char *
read_back(const char *name)
{
	struct cx_error e = { 0 };
	size_t len;
	return cx_read_file(P(name), 1 << 20, &len, &e);
}

static const char input[] =
	"customer_key\taccount_id\tcurrency\tbalance\tpast_due\tdays_past_due\tflags\n"
	"c1\tA\tUSD\t100.00\t10.00\t40\t\n"
	"c1\tB\tUSD\t50.00\t0.00\t-2\tlegal\n"
	"c2\tC\tCOP\t1000.00\t0.00\t5\t\n";

static const char rules[] =
	"rule held when flags has any (legal, dispute) segment hold treatment none\n"
	"rule late when worst_dpd > 30 and total_balance > 100 segment late treatment firm\n"
	"rule rest otherwise segment rest treatment reminder_soft\n"
	"experiment e salt 'x' rules (rest) arm a 50% arm b 50% treatment digital_standard\n";

static int
run(const char *in, const char *out, const char *rules_name, char **summary, struct cx_error *e)
{
	struct cx_segment_opts o;
	memset(&o, 0, sizeof o);
	o.input = P(in);
	o.output = P(out);
	o.rules = P(rules_name);
	o.force = 1;
	cx_day_from_ymd(2026, 11, 20, &o.as_of);
	return cx_segment_run(&o, summary, e);
}

START_TEST(test_append_and_replace)
{
	struct cx_error e = { 0 };
	put("in.tsv", input);
	put("r.cx", rules);
	char *summary;
	ck_assert_int_eq(run("in.tsv", "out.tsv", "r.cx", &summary, &e), 0);
	char *out = read_back("out.tsv");
	ck_assert(out != NULL);
	/* c1 is held (legal on one account holds the customer); c2's arm is
	 * cx_hash64("c2" 0x1f "x") % 10000 */
	static const char head[] =
		"customer_key\taccount_id\tcurrency\tbalance\tpast_due\tdays_past_due\tflags\t"
		"segment\ttreatment\texperiment\tarm\trule\n"
		"c1\tA\tUSD\t100.00\t10.00\t40\t\thold\tnone\t\t\theld\n"
		"c1\tB\tUSD\t50.00\t0.00\t-2\tlegal\thold\tnone\t\t\theld\n"
		"c2\tC\tCOP\t1000.00\t0.00\t5\t\trest\t";
	ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
	ck_assert(strstr(out, "\te\ta\trest\n") || strstr(out, "\te\tb\trest\n"));
	ck_assert_ptr_nonnull(strstr(summary, "held\thold\tnone\t\t\t1\n"));
	/* segmenting the output again replaces the columns in place */
	ck_assert_int_eq(run("out.tsv", "out2.tsv", "r.cx", NULL, &e), 0);
	char *out2 = read_back("out2.tsv");
	ck_assert_str_eq(out, out2);
	cx_free(out);
	cx_free(out2);
	cx_free(summary);
}
END_TEST

START_TEST(test_bad_value_line)
{
	struct cx_error e = { 0 };
	put("in.tsv", "customer_key\tcurrency\tbalance\tdays_past_due\n"
	              "c1\tUSD\t1.00\t40\nc2\tUSD\t2.00\t40\nc2\tUSD\t2.0.0\t40\n");
	put("r.cx", "rule a when total_balance > 1 segment s treatment none\n"
	            "rule b otherwise segment s treatment none\n");
	ck_assert_int_eq(run("in.tsv", "out.tsv", "r.cx", NULL, &e), CX_EDATA);
	ck_assert_int_eq(e.line, 4);
	ck_assert_ptr_null(read_back("out.tsv"));   /* nothing published */
}
END_TEST

START_TEST(test_not_grouped)
{
	struct cx_error e = { 0 };
	put("in.tsv", "customer_key\tdays_past_due\nc1\t1\nc2\t1\nc1\t1\n");
	put("r.cx", "rule a otherwise segment s treatment none\n");
	ck_assert_int_eq(run("in.tsv", "out.tsv", "r.cx", NULL, &e), CX_EDATA);
	ck_assert_ptr_null(read_back("out.tsv"));
}
END_TEST

START_TEST(test_oom_every_allocation)
{
	struct cx_error e = { 0 };
	put("in.tsv", input);
	put("r.cx", rules);
	long n;
	for (n = 1; n < 2000; n++) {
		char *summary = NULL;
		cx_mem_fail_after(n);
		int rc = run("in.tsv", "oom.tsv", "r.cx", &summary, &e);
		cx_mem_fail_after(0);
		if (rc == 0) {
			cx_free(summary);
			break;
		}
		ck_assert_msg(rc == CX_ENOMEM, "allocation %ld: rc %d: %s", n, rc, e.msg);
		char *out = read_back("oom.tsv");
		ck_assert_msg(out == NULL, "allocation %ld: output published", n);
	}
	ck_assert_int_lt(n, 2000);
	ck_assert_int_gt(n, 5);
}
END_TEST

static Suite *
segment_suite(void)
{
	Suite *s = suite_create("segment");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_append_and_replace);
	tcase_add_test(tc, test_bad_value_line);
	tcase_add_test(tc, test_not_grouped);
	tcase_add_test(tc, test_oom_every_allocation);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(segment_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
