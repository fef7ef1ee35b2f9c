/* Unit tests for cx_policy and cx_capacity: the shipped files parse, the
 * embedded copies equal the files, every parser error names its line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_capacity.h"
#include "cx_err.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_policy.h"

static char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	struct cx_error err;
	char *b;
	snprintf(path, sizeof path, "%s/%s", CX_SRCDIR, rel);
	b = cx_read_file(path, 1 << 20, len, &err);
	ck_assert_msg(b != NULL, "%s: %s", path, err.msg);
	return b;
}

START_TEST(test_embedded_equal)
{
	size_t a, b;
	char *file = slurp("policy/default.policy", &a);
	char *emb = cx_default_join(cx_policy_default_lines, &b);
	ck_assert_msg(a == b && memcmp(file, emb, a) == 0,
	              "policy/default.policy differs from the embedded copy: "
	              "run sh scripts/embed-defaults.sh");
	cx_free(file);
	cx_free(emb);
	file = slurp("policy/capacity.default", &a);
	emb = cx_default_join(cx_capacity_default_lines, &b);
	ck_assert_msg(a == b && memcmp(file, emb, a) == 0,
	              "policy/capacity.default differs from the embedded copy: "
	              "run sh scripts/embed-defaults.sh");
	cx_free(file);
	cx_free(emb);
}
END_TEST

START_TEST(test_default_policy)
{
	struct cx_policy *p;
	struct cx_error err;
	const struct cx_profile *us, *co, *mx, *xx;
	const struct cx_ladder *la;
	static const char *const treatments[] = { "none", "reminder_predue", "reminder_soft",
		"digital_standard", "payment_plan", "firm", "settlement", "agency", "hardship_care" };
	size_t i;
	ck_assert_int_eq(cx_policy_load(NULL, &p, &err), 0);
	us = cx_policy_profile(p, "US", 2);
	co = cx_policy_profile(p, "CO", 2);
	mx = cx_policy_profile(p, "MX", 2);
	xx = cx_policy_profile(p, "ES", 2);
	ck_assert_str_eq(us->name, "US");
	ck_assert_str_eq(co->name, "CO");
	ck_assert_str_eq(mx->name, "MX");
	ck_assert_str_eq(xx->name, "OTHER");
	/* Reg F 08:00-21:00, 7 in 7, 7 days after conversation */
	ck_assert_int_eq(us->hours[2].start, 8 * 60);
	ck_assert_int_eq(us->hours[2].end, 21 * 60);
	ck_assert_int_eq(us->call_attempts_max, 7);
	ck_assert_int_eq(us->call_attempts_window_days, 7);
	ck_assert_int_eq(us->call_after_conversation_days, 7);
	/* Ley 2300: Mon-Fri 7-19, Sat 8-15, Sundays and holidays closed */
	ck_assert_int_eq(co->hours[0].start, 7 * 60);
	ck_assert_int_eq(co->hours[4].end, 19 * 60);
	ck_assert_int_eq(co->hours[5].start, 8 * 60);
	ck_assert_int_eq(co->hours[5].end, 15 * 60);
	ck_assert_int_lt(co->hours[6].start, 0);
	ck_assert_int_lt(co->hours[CX_DAYTYPE_HOLIDAY].start, 0);
	ck_assert_int_eq(co->max_per_day, 1);
	ck_assert_int_eq(co->channels_per_week_after_contact, 1);
	ck_assert_uint_eq(co->consent_required, CX_CH_ALL);
	/* CONDUSEF 07-22 */
	ck_assert_int_eq(mx->hours[6].start, 7 * 60);
	ck_assert_int_eq(mx->hours[6].end, 22 * 60);
	for (i = 0; i < sizeof treatments / sizeof treatments[0]; i++) {
		la = cx_policy_ladder(p, treatments[i], strlen(treatments[i]));
		ck_assert_msg(la != NULL, "no ladder for %s", treatments[i]);
	}
	ck_assert_int_eq(cx_policy_ladder(p, "none", 4)->contact, 0);
	ck_assert_int_eq(cx_policy_settlement_bp(p, 30), 0);
	ck_assert_int_eq(cx_policy_settlement_bp(p, 31), 500);
	ck_assert_int_eq(cx_policy_settlement_bp(p, 90), 500);
	ck_assert_int_eq(cx_policy_settlement_bp(p, 91), 1000);
	ck_assert_int_eq(cx_policy_settlement_bp(p, 400), 3000);
	ck_assert(cx_policy_min_instalment(p, "USD") == 2500);
	ck_assert(cx_policy_min_instalment(p, "COP") == 5000000);
	ck_assert_int_eq(p->promise_tolerance_bp, 500);
	cx_policy_free(p);
}
END_TEST

#define P0 "[profile A]\ncountries = US\ntimezone = UTC\n"
static const struct { const char *text; long line; const char *msg; } bad[] = {
	{ "", 0, "no [profile] section" },
	{ "foo = 1\n", 1, "outside any section" },
	{ "[weird x]\n", 1, "unknown section" },
	{ "[profile A\n", 1, "without closing" },
	{ P0 "hours.mon = 9-17\n", 4, "'hours.mon'" },
	{ P0 "hours.mon = 17:00-09:00\n", 4, "start before end" },
	{ P0 "hours.mon = 08:00-25:00\n", 4, "'hours.mon'" },
	{ P0 "channels = sms,fax\n", 4, "'channels'" },
	{ P0 "holidays = XX\n", 4, "no calendar" },
	{ P0 "holiday = 2025-02-30\n", 4, "not a date" },
	{ P0 "call_attempts_max = -1\n", 4, "'call_attempts_max'" },
	{ P0 "max_contacts_per_day = 1x\n", 4, "'max_contacts_per_day'" },
	{ P0 "week = fortnight\n", 4, "'week'" },
	{ P0 "colour = blue\n", 4, "unknown key 'colour'" },
	{ P0 "just words\n", 4, "expected 'key = value'" },
	{ P0 "= 3\n", 4, "missing key" },
	{ P0 "[profile A]\n", 4, "duplicate profile 'A'" },
	{ P0 "[profile B]\ncountries = US\ntimezone = UTC\n", 4, "country 'US' in profiles" },
	{ "[profile A]\ntimezone = UTC\n", 1, "no 'countries'" },
	{ "[profile A]\ncountries = US\n", 1, "no 'timezone'" },
	{ P0 "countries = usa\n", 4, "alpha-2" },
	{ P0 "[ladder x]\nstep = fax 0 T1\n", 5, "unknown channel 'fax'" },
	{ P0 "[ladder x]\nstep = sms zero T1\n", 5, "wait days" },
	{ P0 "[ladder x]\nstep = sms 0\n", 5, "CHANNEL WAIT_DAYS TEMPLATE" },
	{ P0 "[ladder x]\noffer = gift\n", 5, "'offer'" },
	{ P0 "[ladder x]\n", 4, "has no 'step'" },
	{ P0 "[ladder x]\ncontact = no\n[ladder x]\ncontact = no\n", 6, "duplicate ladder" },
	{ P0 "[promise]\ntolerance_pct = 60\n", 5, "'tolerance_pct'" },
	{ P0 "[promise]\n[promise]\n", 5, "duplicate section" },
	{ P0 "[promise x]\n", 4, "takes no name" },
	{ P0 "[offer]\nplan_min_instalment = XYZ:10\n", 5, "ISO 4217" },
	{ P0 "[offer]\nplan_min_instalment = USD:1.234\n", 5, "bad amount" },
	{ P0 "[offer]\nsettlement_discount = 181 20\nsettlement_discount = 91 10\n", 6,
	  "ascending" },
	{ P0 "[offer]\nsettlement_max_discount_pct = 10\nsettlement_discount = 91 20\n", 0,
	  "above settlement_max_discount_pct" },
	{ P0 "[offer]\nplan_min_instalments = 6\nplan_max_instalments = 3\n", 0,
	  "greater than" },
	{ P0 "[profile B]\ndefault = yes\ntimezone = UTC\n[profile C]\ndefault = yes\n"
	  "timezone = UTC\n", 7, "two default profiles" },
	{ P0 "timezone = UTC\0x\n", 4, "NUL byte" },
};

START_TEST(test_policy_errors)
{
	struct cx_policy *p = (void *)1;
	struct cx_error err;
	size_t n = strlen(bad[_i].text);
	if (strstr(bad[_i].msg, "NUL"))
		n += 3;
	cx_error_clear(&err);
	ck_assert_int_eq(cx_policy_parse(bad[_i].text, n, "t.policy", &p, &err), CX_EDATA);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL, "case %d: got '%s'", _i, err.msg);
	ck_assert_int_eq(err.line, bad[_i].line);
	ck_assert_str_eq(err.file, "t.policy");
}
END_TEST

START_TEST(test_capacity)
{
	struct cx_capacity *c;
	struct cx_error err;
	ck_assert_int_eq(cx_capacity_load(NULL, &c, &err), 0);
	ck_assert_str_eq(c->reference, "USD");
	ck_assert(c->slots[CX_CH_CALL] == 2000);
	ck_assert(c->slots[CX_CH_SMS] == CX_CAPACITY_UNLIMITED);
	ck_assert(c->cost[CX_CH_CALL] == 1.5);
	ck_assert(cx_capacity_rate(c, "COP") == 0.00025);
	ck_assert(cx_capacity_rate(c, "USD") == 1.0);
	ck_assert(cx_capacity_rate(c, "JPY") < 0);
	cx_capacity_free(c);
}
END_TEST

static const struct { const char *text; long line; const char *msg; } capbad[] = {
	{ "", 0, "no 'reference'" },
	{ "slots = 3\n", 1, "outside any section" },
	{ "[currency]\nreference = ZZZ\n", 2, "ISO 4217" },
	{ "[currency]\nreference = USD\nCOP = -1\n", 3, "positive decimal" },
	{ "[currency]\nreference = USD\nCOP = 1\nCOP = 2\n", 4, "duplicate rate" },
	{ "[currency]\nreference = USD\n[channel fax]\n", 3, "unknown channel" },
	{ "[currency]\nreference = USD\n[channel sms]\nslots = 1.5\n", 4, "'slots'" },
	{ "[currency]\nreference = USD\n[channel sms]\ncost = abc\n", 4, "'cost'" },
	{ "[currency]\nreference = USD\n[channel sms]\nslots = 1\n", 0, "needs both" },
	{ "[currency]\nreference = USD\n[channel sms]\n[channel sms]\n", 4, "duplicate section" },
	{ "[currency]\nreference = USD\n[channel sms]\ncolour = 1\n", 4, "unknown key" },
	{ "[currency]\n[currency]\n", 2, "duplicate section" },
};

START_TEST(test_capacity_errors)
{
	struct cx_capacity *c = (void *)1;
	struct cx_error err;
	cx_error_clear(&err);
	ck_assert_int_eq(cx_capacity_parse(capbad[_i].text, strlen(capbad[_i].text), "t.cap", &c,
	                                   &err), CX_EDATA);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err.msg, capbad[_i].msg) != NULL, "case %d: got '%s'", _i, err.msg);
	ck_assert_int_eq(err.line, capbad[_i].line);
}
END_TEST

START_TEST(test_holiday_daytype)
{
	struct cx_policy *p;
	struct cx_error err;
	const struct cx_profile *co;
	ck_assert_int_eq(cx_policy_load(NULL, &p, &err), 0);
	co = cx_policy_profile(p, "CO", 2);
	/* 2025-06-30 (Monday, holiday) = day 20269; 2025-07-01 Tuesday */
	ck_assert_int_eq(cx_profile_daytype(co, 20269), CX_DAYTYPE_HOLIDAY);
	ck_assert_int_eq(cx_profile_daytype(co, 20270), 1);
	cx_policy_free(p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	tcase_add_test(tc, test_embedded_equal);
	tcase_add_test(tc, test_default_policy);
	tcase_add_loop_test(tc, test_policy_errors, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, test_capacity);
	tcase_add_loop_test(tc, test_capacity_errors, 0, sizeof capbad / sizeof capbad[0]);
	tcase_add_test(tc, test_holiday_daytype);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
