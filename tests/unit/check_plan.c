/* Unit tests for cx_plan: offers add up to the cent, plan sizing bounds,
 * settlement arithmetic, and a small end-to-end run on hand-made streams
 * (holds, promises, Ley 2300 Sunday, courtesy reminder, capacity overflow),
 * and the hand-written rank sort and re-sort after capacity against qsort
 * (ties, shapes, heap sort). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_date.h"
#include "cx_err.h"
#include "cx_plan.h"
#include "cx_test.h"

static const struct {
	int64_t amount, affordable;
	int min_n, max_n;
	int64_t min_inst;
	int n;
	int64_t inst, last;
} sizes[] = {
	{ 10000, 3400, 2, 12, 0, 3, 3334, 3332 },      /* 100.00 in 3: 33.34 33.34 33.32 */
	{ 10000, 100000, 2, 12, 0, 2, 5000, 5000 },   /* floor at min_n */
	{ 10000, 1, 2, 12, 0, 12, 834, 826 },         /* capped at max_n */
	{ 10000, 1, 2, 12, 2500, 4, 2500, 2500 },     /* lowered to keep the minimum */
	{ 10000, 1, 2, 12, 20000, 1, 10000, 10000 },  /* below one minimum: one payment */
	{ 4, 2, 3, 12, 0, 2, 2, 2 },                  /* 4 in 3 would leave 0 last */
	{ 1, 1, 2, 12, 0, 1, 1, 1 },
	{ 1000001, 0, 1, 6, 0, 6, 166667, 166666 },   /* no affordability: max_n */
	{ 700, 100, 2, 12, 0, 7, 100, 100 },
};

START_TEST(test_sizes)
{
	int n;
	int64_t inst, last;
	ck_assert_int_eq(cx_plan_size(sizes[_i].amount, sizes[_i].affordable, sizes[_i].min_n,
	                              sizes[_i].max_n, sizes[_i].min_inst, &n, &inst, &last), 0);
	ck_assert_int_eq(n, sizes[_i].n);
	ck_assert(inst == sizes[_i].inst);
	ck_assert(last == sizes[_i].last);
	ck_assert((n - 1) * inst + last == sizes[_i].amount);
}
END_TEST

/* property: for many amounts and bounds, instalments add up exactly and
 * the last one is in (0, instalment] */
START_TEST(test_sum_property)
{
	uint64_t x = 88172645463325252ULL;
	int i;
	for (i = 0; i < 200000; i++) {
		int64_t amount, aff, inst, last, minv;
		int n, lo, hi;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		amount = (int64_t)(x % 100000000000ULL) + 1;
		aff = (int64_t)((x >> 20) % 5000000) ;
		lo = (int)((x >> 40) % 6) + 1;
		hi = lo + (int)((x >> 44) % 30);
		minv = (int64_t)((x >> 50) % 100000);
		ck_assert_int_eq(cx_plan_size(amount, aff, lo, hi, minv, &n, &inst, &last), 0);
		ck_assert(n >= 1 && n <= hi);
		ck_assert((int64_t)(n - 1) * inst + last == amount);
		ck_assert(last > 0 && last <= inst);
	}
	{
		int64_t a, b;
		ck_assert_int_eq(cx_plan_size(0, 1, 1, 2, 0, &i, &a, &b), -1);
		ck_assert_int_eq(cx_plan_size(-5, 1, 1, 2, 0, &i, &a, &b), -1);
	}
}
END_TEST

START_TEST(test_settlement)
{
	ck_assert(cx_plan_settlement(1000000, 3000) == 700000);
	ck_assert(cx_plan_settlement(999, 3333) == 999 - 332);
	ck_assert(cx_plan_settlement(12345, 0) == 12345);
	ck_assert(cx_plan_settlement(INT64_MAX, 4000) == INT64_MAX - (INT64_MAX / 10000 * 4000 +
	                                                             INT64_MAX % 10000 * 4000 / 10000));
}
END_TEST

/* ---- end to end --------------------------------------------------------- */
static const char accounts[] =
	"customer_key\taccount_id\tname\temail\tphone\tcountry\ttimezone\tproduct\tcurrency\t"
	"balance\tpast_due\tminimum_due\tdays_past_due\tflags\tconsents\tpreferred_channel\t"
	"preferred_hours\tp_pay\tcapacity\tsegment\ttreatment\tarm\n"
	/* a: CO, plan, consents sms only */
	"ca\t1\tAna\ta@x\t+571\tCO\tAmerica/Bogota\tCARD\tCOP\t1000000.00\t300000.00\t"
	"50000.00\t45\t\tsms\t\t\t0.8000\t50\tS1\tpayment_plan\tA\n"
	/* b: US, deceased hold */
	"cb\t2\tBob\tb@x\t+1\tUS\tAmerica/New_York\tLOAN\tUSD\t500.00\t100.00\t25.00\t40\t"
	"deceased\tsms,email\t\t\t0.9\t50\tS2\tdigital_standard\tA\n"
	/* c: US, open promise due 2026-11-21 -> courtesy reminder on 11-20 */
	"cc\t3\tCid\tc@x\t+1\tUS\tAmerica/Los_Angeles\tCARD\tUSD\t900.00\t300.00\t30.00\t20\t"
	"\tsms,email\t\t\t0.5\t50\tS3\tdigital_standard\tB\n"
	/* d: US, two accounts, two currencies, settlement */
	"cd\t4\tDee\td@x\t+1\tUS\tAmerica/Chicago\tCARD\tUSD\t2000.00\t2000.00\t100.00\t400\t"
	"\tsms,email,call\t\t\t0.3\t20\tS4\tsettlement\tA\n"
	"cd\t5\tDee\td@x\t+1\tUS\tAmerica/Chicago\tLOAN\tMXN\t10000.00\t5000.00\t500.00\t200\t"
	"\tsms,email,call\t\t\t0.3\t20\tS4\tsettlement\tA\n"
	/* e: CO, firm, call consented, high EV: takes the only call slot */
	"ce\t6\tEve\te@x\t+572\tCO\tAmerica/Bogota\tLOAN\tCOP\t90000000.00\t90000000.00\t"
	"100.00\t100\t\tsms,call\t\t\t0.9\t50\tS5\tfirm\tA\n"
	/* f: CO, firm, call consented, lower EV: overflows from call to sms */
	"cf\t7\tFer\tf@x\t+573\tCO\tAmerica/Bogota\tLOAN\tCOP\t1000000.00\t1000000.00\t"
	"100.00\t100\t\tsms,call\t\t08:00-10:00\t0.9\t50\tS5\tfirm\tA\n";

static const char contacts[] =
	"customer_key\taccount_id\ttimestamp\tchannel\tdirection\toutcome\tagent\t"
	"promise_amount\tpromise_date\tcurrency\n"
	"cc\t3\t2026-11-10T10:00:00-08:00\tcall\tout\tpromise\tA1\t300.00\t2026-11-21\tUSD\n"
	"ce\t6\t2026-11-17T10:00:00-05:00\tsms\tout\tdelivered\t\t\t\t\n"
	"cf\t7\t2026-11-17T10:00:00-05:00\tsms\tout\tdelivered\t\t\t\t\n";

static const char payments[] =
	"customer_key\taccount_id\tdate\tamount\tcurrency\tmethod\n"
	"ca\t1\t2026-10-01\t60000.00\tCOP\tpse\n";

static const char policy_cap[] =
	"[currency]\nreference = USD\nCOP = 0.00025\nMXN = 0.055\n"
	"[channel sms]\nslots = unlimited\ncost = 0.01\n"
	"[channel email]\nslots = unlimited\ncost = 0.001\n"
	"[channel whatsapp]\nslots = unlimited\ncost = 0.02\n"
	"[channel call]\nslots = 1\ncost = 1.5\n"
	"[channel letter]\nslots = 10\ncost = 0.8\n";

static int default_capacity;   /* 1: the built-in capacity (2000 calls) */

static char *
run_with(const char *as_of, const char *acc, const char *con);

/* plan the inputs as of a date, in the scratch directory */
static char *
run(const char *as_of)
{
	return run_with(as_of, accounts, contacts);
}

static char *
run_with(const char *as_of, const char *acc, const char *con_text_placeholder)
{
	struct cx_plan_opts o;
	struct cx_error err;
	const char *in, *con, *pay, *cap, *outp = P("plan.tsv");
	static char buf[65536];
	FILE *f;
	size_t n;
	cx_day d;
	memset(&o, 0, sizeof o);
	in = put("a.tsv", acc);
	con = put("c.tsv", con_text_placeholder);
	pay = put("p.tsv", payments);
	cap = put("cap", policy_cap);
	ck_assert_int_eq(cx_date_parse_iso(as_of, 10, &d, &(const char *){ NULL }), 0);
	o.input = in;
	o.contacts = con;
	o.payments = pay;
	o.capacity = default_capacity ? NULL : cap;
	o.output = outp;
	o.out_flags = 1;   /* CX_OUT_FORCE */
	o.as_of = d;
	cx_error_clear(&err);
	ck_assert_msg(cx_plan_run(&o, NULL, &err) == 0, "%s", err.msg);
	f = fopen(outp, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* the row of a customer, or NULL */
static const char *
row_of(const char *plan, const char *key, char *out, size_t outsz)
{
	char pat[32];
	const char *p, *e;
	snprintf(pat, sizeof pat, "\t%s\t", key);
	if (!(p = strstr(plan, pat)))
		return NULL;
	while (p > plan && p[-1] != '\n')
		p--;
	e = strchr(p, '\n');
	snprintf(out, outsz, "%.*s", (int)(e - p), p);
	return out;
}

static const char *
cell(const char *row, int col, char *out, size_t outsz)
{
	int i;
	const char *e;
	for (i = 0; i < col; i++)
		row = strchr(row, '\t') + 1;
	e = strchr(row, '\t');
	if (!e)
		e = row + strlen(row);
	snprintf(out, outsz, "%.*s", (int)(e - row), row);
	return out;
}

/* columns: 0 rank 1 key ... 12 action 13 channel 14 ws 15 we 16 queue
 * 17 offer 18 n 19 inst 20 first_due 21 settlement 22 template 23 reason
 * 24 blocked_by */
START_TEST(test_end_to_end)
{
	char r[4096], v[256];
	const char *plan;
	int lines = 0;
	const char *p;
	tmp_setup();
	plan = run("2026-11-20");   /* a Friday */
	for (p = plan; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 7);   /* header + 6 customers */
	/* b: held */
	ck_assert_ptr_nonnull(row_of(plan, "cb", r, sizeof r));
	ck_assert_str_eq(cell(r, 12, v, sizeof v), "none");
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "hold:deceased");
	/* c: courtesy reminder the day before the promise, digital */
	row_of(plan, "cc", r, sizeof r);
	ck_assert_str_eq(cell(r, 12, v, sizeof v), "courtesy_reminder");
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "sms");
	ck_assert_str_eq(cell(r, 14, v, sizeof v), "2026-11-20T08:00:00-08:00");
	ck_assert_str_eq(cell(r, 15, v, sizeof v), "2026-11-20T21:00:00-08:00");
	/* a: CO plan of COP 300000.00; capacity 50 -> affordable = 50000 * 1.0 */
	row_of(plan, "ca", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "sms");
	ck_assert_str_eq(cell(r, 17, v, sizeof v), "plan");
	ck_assert_str_eq(cell(r, 18, v, sizeof v), "6");
	ck_assert_str_eq(cell(r, 19, v, sizeof v), "COP:50000.00");
	ck_assert_str_eq(cell(r, 20, v, sizeof v), "2026-11-25");
	ck_assert_str_eq(cell(r, 14, v, sizeof v), "2026-11-20T07:00:00-05:00");
	ck_assert_str_eq(cell(r, 15, v, sizeof v), "2026-11-20T19:00:00-05:00");
	/* d: settlement in USD (larger in USD terms), 30 % at 400 DPD */
	row_of(plan, "cd", r, sizeof r);
	ck_assert_str_eq(cell(r, 6, v, sizeof v), "MXN:10000.00,USD:2000.00");
	ck_assert_str_eq(cell(r, 17, v, sizeof v), "settlement");
	ck_assert_str_eq(cell(r, 21, v, sizeof v), "USD:1400.00");
	/* e gets the one call slot, f overflows to sms in its preferred hours */
	row_of(plan, "ce", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "call");
	ck_assert_str_eq(cell(r, 0, v, sizeof v), "1");
	row_of(plan, "cf", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "sms");
	ck_assert_ptr_nonnull(strstr(cell(r, 23, v, sizeof v), "capacity overflow"));
	ck_assert_str_eq(cell(r, 14, v, sizeof v), "2026-11-20T08:00:00-05:00");
	ck_assert_str_eq(cell(r, 15, v, sizeof v), "2026-11-20T10:00:00-05:00");

	/* Sunday: Ley 2300 closes Colombia; the US stays open */
	plan = run("2026-11-22");
	row_of(plan, "ca", r, sizeof r);
	ck_assert_str_eq(cell(r, 12, v, sizeof v), "none");
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "CO:day_closed");
	/* c: promise (300 due 11-21, grace 3) still open on 11-22 */
	row_of(plan, "cc", r, sizeof r);
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "promise:open");
	/* 8 Dec 2026: Colombian holiday */
	plan = run("2026-12-08");
	row_of(plan, "ca", r, sizeof r);
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "CO:holiday");
	/* 25 Nov: promise of cc broken (no payment by 21 + 3) -> follow-up first */
	plan = run("2026-11-25");
	row_of(plan, "cc", r, sizeof r);
	ck_assert_str_eq(cell(r, 12, v, sizeof v), "follow_up");
	ck_assert_str_eq(cell(r, 0, v, sizeof v), "1");
	tmp_teardown();
}
END_TEST

/* Regulation F call limits, Ley 2300 channels per week, opt-outs */
static const char accounts2[] =
	"customer_key\taccount_id\tphone\temail\tcountry\ttimezone\tcurrency\tbalance\t"
	"past_due\tdays_past_due\tconsents\ttreatment\n"
	/* u1: 7 calls on account 10 in the last 7 days: no 8th call; the
	 * letter (no consent needed in the US profile) instead */
	"u1\t10\t+1\t\tUS\tAmerica/New_York\tUSD\t100.00\t50.00\t50\tsms,call\tfirm\n"
	/* u2: a conversation 7 days ago: no call, the letter instead */
	"u2\t20\t+1\t\tUS\tAmerica/New_York\tUSD\t100.00\t50.00\t50\tcall\tfirm\n"
	/* u3: same, conversation 8 days ago: the call is allowed again */
	"u3\t30\t+1\t\tUS\tAmerica/New_York\tUSD\t100.00\t50.00\t50\tcall\tfirm\n"
	/* u4: CO, direct contact made, whatsapp used this week: only whatsapp
	 * may be used until Sunday */
	"u4\t40\t+57\t\tCO\tAmerica/Bogota\tCOP\t100.00\t50.00\t50\tsms,whatsapp,call\tfirm\n"
	/* u5: opted out by SMS: opt_out = all in every shipped profile */
	"u5\t50\t+1\te@x\tUS\tAmerica/New_York\tUSD\t100.00\t50.00\t50\tsms,email\tfirm\n";

static const char contacts2[] =
	"customer_key\taccount_id\ttimestamp\tchannel\tdirection\toutcome\n"
	"u1\t10\t2026-11-14T10:00:00-05:00\tcall\tout\tno_answer\n"
	"u1\t10\t2026-11-14T11:00:00-05:00\tcall\tout\tno_answer\n"
	"u1\t10\t2026-11-14T12:00:00-05:00\tcall\tout\tvoicemail\n"
	"u1\t10\t2026-11-15T10:00:00-05:00\tcall\tout\tno_answer\n"
	"u1\t10\t2026-11-15T11:00:00-05:00\tcall\tout\tno_answer\n"
	"u1\t10\t2026-11-15T12:00:00-05:00\tcall\tout\tno_answer\n"
	"u1\t10\t2026-11-15T18:00:00-05:00\tcall\tout\tno_answer\n"
	"u2\t20\t2026-11-13T10:00:00-05:00\tcall\tout\tright_party\n"
	"u3\t30\t2026-11-12T10:00:00-05:00\tcall\tout\tright_party\n"
	"u4\t40\t2026-11-02T10:00:00-05:00\tcall\tout\tright_party\n"
	"u4\t40\t2026-11-16T10:00:00-05:00\twhatsapp\tout\tdelivered\n"
	"u5\t50\t2026-11-10T10:00:00-05:00\tsms\tin\topt_out\n";

START_TEST(test_contact_rules)
{
	char r[4096], v[256];
	const char *plan;
	tmp_setup();
	default_capacity = 1;
	plan = run_with("2026-11-20", accounts2, contacts2);
	row_of(plan, "u1", r, sizeof r);
	ck_assert_str_eq(cell(r, 12, v, sizeof v), "contact");
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "letter");
	row_of(plan, "u2", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "letter");
	row_of(plan, "u3", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "call");
	/* whatsapp is not on the firm ladder: no other channel this week */
	row_of(plan, "u4", r, sizeof r);
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "CO:channels_per_week");
	row_of(plan, "u5", r, sizeof r);
	ck_assert_str_eq(cell(r, 24, v, sizeof v), "opt_out:all");
	/* a day later the three calls of 11-14 leave the 7-day window (11-15
	 * to 11-21): 4 attempts, the call is allowed again; u2's
	 * conversation is 8 days old */
	plan = run_with("2026-11-21", accounts2, contacts2);
	row_of(plan, "u1", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "call");
	row_of(plan, "u2", r, sizeof r);
	ck_assert_str_eq(cell(r, 13, v, sizeof v), "call");
	tmp_teardown();
}
END_TEST

/* ---- the rank sort against qsort ----------------------------------------- */

static uint64_t rs_x = 0x9E3779B97F4A7C15ULL;

static uint64_t
rs_next(void)
{
	rs_x ^= rs_x << 13;
	rs_x ^= rs_x >> 7;
	rs_x ^= rs_x << 17;
	return rs_x;
}

/* n records, seq a permutation of 0..n-1 (unique, as in a plan), expected
 * values from `nev` distinct values (few: many ties, broken by seq) in the
 * given shape: 0 random, 1 ascending, 2 descending, 3 organ pipe, 4 all
 * equal.  Kind and prio tie a lot too. */
static void
rs_fill(struct cx_plan_rec *v, size_t n, unsigned nev, int shape)
{
	size_t i;
	memset(v, 0, n * sizeof *v);
	for (i = 0; i < n; i++) {
		uint64_t r = rs_next();
		size_t j = i ? (size_t)(r % (i + 1)) : 0;
		v[i].seq = v[j].seq;   /* inside-out Fisher-Yates */
		v[j].seq = (uint32_t)i;
		v[i].kind = (uint8_t)(r >> 20) % 4 ? (uint8_t)((r >> 24) % 4) : 0;
		v[i].prio = (r >> 28) % 8 == 0;
		switch (shape) {
		case 0: v[i].ev = (double)((r >> 32) % nev) * 0.25 - 3.0; break;
		case 1: v[i].ev = (double)(i * nev / (n ? n : 1)); break;
		case 2: v[i].ev = (double)((n - i) * nev / (n ? n : 1)); break;
		case 3: v[i].ev = (double)(i < n / 2 ? i : n - i); break;
		default: v[i].ev = 1.5; break;
		}
		v[i].off = r;   /* payload: must travel with its record */
		v[i].len = (uint32_t)i;
	}
}

static void
rs_check(const struct cx_plan_rec *v, size_t n, int depth)
{
	struct cx_plan_rec *a = malloc((n ? n : 1) * sizeof *a);
	struct cx_plan_rec *b = malloc((n ? n : 1) * sizeof *b);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	memcpy(a, v, n * sizeof *a);
	memcpy(b, v, n * sizeof *b);
	qsort(a, n, sizeof *a, cx_plan_rank_cmp);
	if (depth < 0)
		cx_plan_rank_sort(b, n);
	else
		cx_plan_rank_introsort(b, n, depth);
	ck_assert_msg(memcmp(a, b, n * sizeof *a) == 0, "n %zu depth %d: not qsort's order", n,
	              depth);
	free(a);
	free(b);
}

START_TEST(test_rank_sort)
{
	static const size_t ns[] = { 0, 1, 2, 3, 15, 16, 17, 18, 33, 100, 1000, 4099, 30000 };
	static const unsigned nevs[] = { 1, 2, 7, 1000, 1000000 };
	size_t k, q;
	int shape, rep;
	for (k = 0; k < sizeof ns / sizeof *ns; k++)
		for (q = 0; q < sizeof nevs / sizeof *nevs; q++)
			for (shape = 0; shape < 5; shape++)
				for (rep = 0; rep < (ns[k] < 100 ? 8 : 1); rep++) {
					struct cx_plan_rec *v = malloc((ns[k] ? ns[k] : 1) * sizeof *v);
					ck_assert_ptr_nonnull(v);
					rs_fill(v, ns[k], nevs[q], shape);
					rs_check(v, ns[k], -1);   /* as the plan sorts */
					rs_check(v, ns[k], 0);    /* heap sort alone */
					rs_check(v, ns[k], 3);    /* quicksort, then heap sort */
					free(v);
				}
}
END_TEST

/* After capacity: some customers with an action lose it; merging them
 * into the rest gives the order of sorting everything again. */
START_TEST(test_rank_resort)
{
	static const size_t ns[] = { 1, 2, 17, 100, 5000, 40000 };
	static const unsigned every[] = { 1, 2, 9, 1000 };   /* every k-th loses its action */
	size_t k, q, i, nact;
	for (k = 0; k < sizeof ns / sizeof *ns; k++)
		for (q = 0; q < sizeof every / sizeof *every; q++) {
			size_t n = ns[k];
			struct cx_plan_rec *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
			ck_assert_ptr_nonnull(a);
			ck_assert_ptr_nonnull(b);
			rs_fill(a, n, 7, 0);
			cx_plan_rank_sort(a, n);
			for (nact = 0; nact < n && a[nact].kind; nact++)
				;
			for (i = 0; i < nact; i++)
				if (rs_next() % every[q] == 0) {
					a[i].kind = 0;
					a[i].prio = 0;
				}
			memcpy(b, a, n * sizeof *a);
			qsort(a, n, sizeof *a, cx_plan_rank_cmp);
			cx_plan_rank_resort(b, n, nact);
			ck_assert_msg(memcmp(a, b, n * sizeof *a) == 0, "n %zu every %u: not qsort's order",
			              n, every[q]);
			free(a);
			free(b);
		}
}
END_TEST

/* A NaN expected value: no total order; the plan then sorts with qsort
 * itself, so the order still is qsort's. */
START_TEST(test_rank_sort_nan)
{
	struct cx_plan_rec v[500];
	rs_fill(v, 500, 50, 0);
	v[17].ev = NAN;
	v[333].ev = NAN;
	rs_check(v, 500, -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_sizes, 0, sizeof sizes / sizeof sizes[0]);
	tcase_add_test(tc, test_sum_property);
	tcase_add_test(tc, test_settlement);
	tcase_add_test(tc, test_end_to_end);
	tcase_add_test(tc, test_contact_rules);
	tcase_add_test(tc, test_rank_sort);
	tcase_add_test(tc, test_rank_sort_nan);
	tcase_add_test(tc, test_rank_resort);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
