/* cx_ingest_merge: merging the outputs of per-source runs with --accounts
 * gives the bytes of one run over all the sources (random events of three
 * sources with duplicates inside and across them, every event kind), with
 * a balanced ledger; inputs out of order, with another header, missing or
 * named as the output are refused with nothing written. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_ingest.h"
#include "cx_mem.h"
#include "cx_test.h"

static void
same_file(const char *a, const char *b)
{
	size_t an, bn;
	char *x = slurp(a, &an), *y = slurp(b, &bn);

	ck_assert_msg(an == bn && memcmp(x, y, an) == 0, "%s and %s differ", a, b);
	free(x);
	free(y);
}

static uint32_t rng = 12345;
static uint32_t
rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

static size_t memory = 1 << 16;   /* spills: the order must hold across runs */

/* One run: 0, or the error code with a message. */
static int
ingest(enum cx_kind kind, const char *accounts, const char *const *in, size_t nin,
       const char *out, const char *ledger, int merge, struct cx_ingest_result *res)
{
	struct cx_ingest_opts o;
	struct cx_error err;
	int rc;

	cx_ingest_opts_init(&o);
	o.kind = kind;
	o.inputs = in;
	o.ninputs = nin;
	o.output = out;
	o.ledger = ledger;
	o.accounts = merge ? NULL : accounts;
	o.force = 1;
	o.tmpdir = tmpdir;
	o.memory = memory;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &o.as_of), 0);
	cx_error_clear(&err);
	memset(res, 0, sizeof *res);
	rc = merge ? cx_ingest_merge(&o, res, &err) : cx_ingest_run(&o, res, &err);
	if (rc == 0)
		ck_assert_uint_eq(res->rows_in, res->rows_out + res->rows_rejected +
		                  res->rows_duplicate + res->rows_blank);
	else
		ck_assert_msg(err.msg[0], "no message for %d", rc);
	cx_ledger_free(res->ledger);
	res->ledger = NULL;
	return rc;
}

static const char *const header[] = {
	"account_id,date,amount,currency,method\n",
	"account_id,timestamp,channel,outcome,promise_amount,currency\n",
	"account_id,statement_date,balance,minimum_due,days_past_due,currency\n",
};

/* one random raw event of kind k (0 payments, 1 contacts, 2 statements) */
static void
event(FILE *f, int k)
{
	static const char *const acc[] = { "A1", "A2", "B7", "C3", "D4", "ZZ" };
	static const char *const cur[] = { "USD", "COP", "JPY" };
	const char *a = acc[rnd(6)], *c = cur[rnd(3)];
	unsigned d = 1 + rnd(5), amt = rnd(4) * 250;
	int exp = strcmp(c, "JPY") == 0 ? 0 : 2;

	if (k == 0)
		fprintf(f, "%s,2026-10-0%u,%u%s,%s,%s\n", a, d, amt, exp ? ".50" : "", c,
		        rnd(2) ? "cash" : "Card");
	else if (k == 1)
		fprintf(f, "%s,2026-10-0%uT%02u:00:00%s,%s,%s,%s,%s\n", a, d, 8 + rnd(3),
		        rnd(2) ? "Z" : "-05:00", rnd(2) ? "sms" : "call",
		        rnd(2) ? "promise" : "no_answer", amt ? "12.00" : "", amt ? "USD" : "");
	else
		fprintf(f, "%s,2026-0%u-28,%s%u%s,,%u,%s\n", a, d, rnd(3) ? "" : "-", amt,
		        exp ? ".25" : "", rnd(40), c);
}

START_TEST(merge_equals_one_run)
{
	static const char *const kinds[] = { "payments", "contacts", "statements" };
	static const enum cx_kind kind[] = { CX_KIND_PAYMENTS, CX_KIND_CONTACTS,
	                                     CX_KIND_STATEMENTS };
	struct cx_ingest_result res;
	const char *acc_in[1];
	FILE *f;
	int k, s, i;

	f = fopen(P("acc.csv"), "w");
	ck_assert_ptr_nonnull(f);
	fputs("account_id,source,national_id,balance,currency\n"
	      "A1,cards,1020304050,10.00,USD\nA2,loans,1020304050,20.00,USD\n"
	      "B7,cards,79555444,5.00,USD\nC3,billing,11223344,700,JPY\n"
	      "D4,billing,55667788,1.00,COP\n", f);
	fclose(f);
	acc_in[0] = P("acc.csv");
	ck_assert_int_eq(ingest(CX_KIND_ACCOUNTS, NULL, acc_in, 1, P("accounts.tsv"), NULL, 0,
	                        &res), 0);
	for (k = 0; k < 3; k++) {
		char name[3][32], out[3][32];
		const char *src[3], *parts[3];
		struct cx_ingest_result one, merged;

		for (s = 0; s < 3; s++) {
			snprintf(name[s], sizeof name[s], "%s.%d.csv", kinds[k], s);
			snprintf(out[s], sizeof out[s], "%s.%d.tsv", kinds[k], s);
			f = fopen(P(name[s]), "w");
			ck_assert_ptr_nonnull(f);
			fputs(header[k], f);
			for (i = 0; i < 150 + 50 * s; i++)
				event(f, k);
			fclose(f);
			src[s] = strdup(P(name[s]));
			parts[2 - s] = strdup(P(out[s]));
		}
		ck_assert_int_eq(ingest(kind[k], P("accounts.tsv"), src, 3, P("one.tsv"), NULL, 0,
		                        &one), 0);
		ck_assert_uint_gt(one.rows_duplicate, 0);
		ck_assert_uint_gt(one.rows_rejected, 0);   /* account ZZ */
		for (s = 0; s < 3; s++)
			ck_assert_int_eq(ingest(kind[k], P("accounts.tsv"), &src[s], 1,
			                        parts[2 - s], NULL, 0, &res), 0);
		ck_assert_int_eq(ingest(kind[k], NULL, parts, 3, P("merged.tsv"), P("m.led"), 1,
		                        &merged), 0);
		same_file(P("one.tsv"), P("merged.tsv"));
		ck_assert_uint_eq(merged.rows_out, one.rows_out);
		ck_assert_uint_eq(merged.customers_out, one.customers_out);
		ck_assert_uint_eq(merged.rows_rejected, 0);
		/* one input: a copy */
		ck_assert_int_eq(ingest(kind[k], NULL, parts, 1, P("copy.tsv"), NULL, 1, &res), 0);
		same_file(parts[0], P("copy.tsv"));
		ck_assert_uint_eq(res.rows_duplicate, 0);
		for (s = 0; s < 3; s++) {
			free((void *)src[s]);
			free((void *)parts[s]);
		}
	}
}
END_TEST

/* Without --accounts, events are sorted by account_id's bytes, the sort
 * keyed on the ids' bytes past their common prefix (4 bits a digit while
 * all are digits).  Ids that start alike and are digits at first, then
 * other shapes (letters, shorter, longer than the prefix kept, a prefix
 * of another), so that prefix and alphabet change between spilled runs:
 * the output is the same spilled or not, and in the order the merge
 * checks. */
/* account id i of unjoined_order's file into id (128 bytes) */
static void
unjoined_id(char *id, int i)
{
	unsigned n = rnd(i < 1500 ? 100000000 : 5000);

	switch (i < 1500 ? 0 : rnd(8)) {
	case 0: snprintf(id, 128, "00%08u", n); break;
	case 1: snprintf(id, 128, "%u", n); break;
	case 2: snprintf(id, 128, "LN%u", n); break;
	case 3: snprintf(id, 128, "00123"); break;
	case 4: snprintf(id, 128, "001234567"); break;
	case 5: snprintf(id, 128, "%070u", n); break;
	case 6: snprintf(id, 128, "A-%u", n); break;
	default: snprintf(id, 128, "00%u9", n); break;
	}
}

START_TEST(unjoined_order)
{
	struct cx_ingest_result res, big;
	const char *in[1], *part[1];
	FILE *f;
	char id[128];
	int i;

	f = fopen(P("unjoined.csv"), "w");
	ck_assert_ptr_nonnull(f);
	fputs(header[0], f);
	for (i = 0; i < 4000; i++) {
		unjoined_id(id, i);
		fprintf(f, "%s,2026-10-0%u,%u.00,USD,cash\n", id, 1 + rnd(9), rnd(50));
	}
	fclose(f);
	in[0] = P("unjoined.csv");
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("spilled.tsv"), NULL, 0, &res), 0);
	memory = 0;
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("inmem.tsv"), NULL, 0, &big), 0);
	memory = 1 << 16;
	same_file(P("spilled.tsv"), P("inmem.tsv"));
	ck_assert_uint_eq(res.rows_out, big.rows_out);
	ck_assert_uint_gt(res.rows_out, 3000);
	part[0] = P("spilled.tsv");
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, part, 1, P("copy.tsv"), NULL, 1, &res), 0);
	same_file(P("spilled.tsv"), P("copy.tsv"));
}
END_TEST

START_TEST(merge_refusals)
{
	struct cx_ingest_result res;
	const char *in[2];
	const char *h = "customer_key\taccount_id\tdate\tamount\tcurrency\tmethod\n";
	char buf[512];

	snprintf(buf, sizeof buf, "%sc0000000000000002\tA1\t2026-10-01\t1.00\tUSD\tcash\n"
	         "c0000000000000001\tA1\t2026-10-01\t1.00\tUSD\tcash\n", h);
	in[0] = put("desc.tsv", buf);
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("o.tsv"), NULL, 1, &res),
	                 CX_EDATA);
	ck_assert_int_ne(access(P("o.tsv"), F_OK), 0);
	/* a header of another kind */
	in[0] = put("stm.tsv", "customer_key\taccount_id\tstatement_date\tbalance\tminimum_due\t"
	            "amount_paid\tdays_past_due\tcurrency\n");
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("o.tsv"), NULL, 1, &res),
	                 CX_EDATA);
	ck_assert_int_eq(ingest(CX_KIND_STATEMENTS, NULL, in, 1, P("o.tsv"), NULL, 1, &res), 0);
	/* missing input; output over an input; accounts are not merged */
	in[1] = P("nope.tsv");
	ck_assert_int_lt(ingest(CX_KIND_STATEMENTS, NULL, in, 2, P("o2.tsv"), NULL, 1, &res), 0);
	ck_assert_int_ne(access(P("o2.tsv"), F_OK), 0);
	ck_assert_int_eq(ingest(CX_KIND_STATEMENTS, NULL, in, 1, in[0], NULL, 1, &res), CX_EUSAGE);
	ck_assert_int_eq(ingest(CX_KIND_ACCOUNTS, NULL, in, 1, P("o3.tsv"), NULL, 1, &res),
	                 CX_EUSAGE);
	/* a money value with no currency */
	snprintf(buf, sizeof buf, "%sc0000000000000001\tA1\t2026-10-01\t1.00\t\tcash\n", h);
	in[0] = put("nocur.tsv", buf);
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("o.tsv"), NULL, 1, &res),
	                 CX_EDATA);
	/* rows without a customer key (a stream not joined) sort first */
	snprintf(buf, sizeof buf, "%s\tB2\t2026-10-01\t1.00\tUSD\tcash\n"
	         "c0000000000000001\tA1\t2026-10-01\t1.00\tUSD\tcash\n", h);
	in[0] = put("nokey.tsv", buf);
	ck_assert_int_eq(ingest(CX_KIND_PAYMENTS, NULL, in, 1, P("o.tsv"), NULL, 1, &res), 0);
	ck_assert_uint_eq(res.rows_out, 2);
	ck_assert_uint_eq(res.customers_out, 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ingest_merge");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, merge_equals_one_run);
	tcase_add_test(tc, merge_refusals);
	tcase_add_test(tc, unjoined_order);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
