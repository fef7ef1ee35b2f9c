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
#include "cx_test.h"

START_TEST(test_embedded_equal)
{
	size_t a, b;
	char *file = slurp(CX_SRCDIR "/policy/default.policy", &a);
	char *emb = cx_default_join(cx_policy_default_lines, &b);
	ck_assert_msg(a == b && memcmp(file, emb, a) == 0,
	              "policy/default.policy differs from the embedded copy: "
	              "run sh scripts/embed-defaults.sh");
	free(file);
	cx_free(emb);
	file = slurp(CX_SRCDIR "/policy/capacity.default", &a);
	emb = cx_default_join(cx_capacity_default_lines, &b);
	ck_assert_msg(a == b && memcmp(file, emb, a) == 0,
	              "policy/capacity.default differs from the embedded copy: "
	              "run sh scripts/embed-defaults.sh");
	free(file);
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
	/* every value parser's limits and each section's unknown keys */
	{ P0 "hours.mon = 8:00-17:00\n", 4, "'hours.mon': expected HH:MM-HH:MM (start before " },
	{ P0 "hours.mon = 08:60-17:00\n", 4, "'hours.mon': expected HH:MM-HH:MM (start before " },
	{ P0 "hours.mon = 08:00_17:00\n", 4, "'hours.mon': expected HH:MM-HH:MM (start before " },
	{ P0 "hours.mon = 08:00-17:0\n", 4, "'hours.mon': expected HH:MM-HH:MM (start before " },
	{ P0 "hours.xyz = 10:00-12:00\n", 4, "unknown key 'hours.xyz' in a profile section" },
	{ P0 "default = maybe\n", 4, "'default': expected yes or no" },
	{ P0 "timezone = \n", 4, "'timezone': expected an IANA zone name" },
	{ P0 "timezone = " "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", 4, "'timezone': expected an IANA zone name" },
	{ P0 "holidays = C\n", 4, "'holidays': no calendar for 'C' (known: CO, MX, " },
	{ P0 "holiday = \n", 4, "'holiday': expected YYYY-MM-DD dates" },
	{ P0 "holiday = 2024-02-29 2023-02-29\n", 4, "'holiday': '2023-02-29' is not a date YYYY-MM-DD" },
	{ P0 "holiday = 2024-1-01\n", 4, "'holiday': '2024-1-01' is not a date YYYY-MM-DD" },
	{ P0 "holiday = 1800-01-01\n", 4, "'holiday': '1800-01-01' is not a date YYYY-MM-DD" },
	{ P0 "holiday = 2024-13-01\n", 4, "'holiday': '2024-13-01' is not a date YYYY-MM-DD" },
	{ P0 "holiday = 2024-04-31\n", 4, "'holiday': '2024-04-31' is not a date YYYY-MM-DD" },
	{ P0 "holiday = 2024-00-10\n", 4, "'holiday': '2024-00-10' is not a date YYYY-MM-DD" },
	{ P0 "countries = \n", 4, "'countries': expected 1 to 16 ISO 3166 alpha-2 c" },
	{ P0 "countries = U1\n", 4, "'countries': 'U1' is not an upper-case ISO 3166 " },
	{ P0 "countries = uS\n", 4, "'countries': 'uS' is not an upper-case ISO 3166 " },
	{ P0 "channels = \n", 4, "'channels': expected channels from sms, whatsapp" },
	{ P0 "opt_out = maybe\n", 4, "'opt_out': expected all or channel" },
	{ P0 "min_gap_days = x\n", 4, "'min_gap_days': expected an integer from 0 to 36" },
	{ P0 "call_after_conversation_days = 99999\n", 4, "'call_after_conversation_days': expected an inte" },
	{ P0 "max_contacts_per_week = 99999999999\n", 4, "'max_contacts_per_week': expected an integer fro" },
	{ P0 "max_contacts_per_day = \n", 4, "'max_contacts_per_day': expected an integer from" },
	{ P0 "[ladder x]\nstep = sms 0 T1 q\nstep = sms 0 T1 qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n", 6, "'step': template or queue name longer than 31 by" },
	{ P0 "[ladder x]\nstep = sms 0 TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT\n", 5, "'step': template or queue name longer than 31 by" },
	{ P0 "[ladder x]\nstep = sms 0 T1 q extra\n", 5, "'step': expected CHANNEL WAIT_DAYS TEMPLATE [QUE" },
	{ P0 "[ladder x]\ncontact = perhaps\n", 5, "'contact': expected yes or no" },
	{ P0 "[ladder x]\nstep = sms 0 T1\nreset_days = 0\n", 6, "'reset_days': expected an integer from 1 to 3660" },
	{ P0 "[ladder x]\nstep = sms 0 T1\ncolour = 1\n", 6, "unknown key 'colour' in a ladder section" },
	{ P0 "[ladder x]\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\nstep=sms 0 a\n", 17, "ladder 'x' has more than 12 steps" },
	{ P0 "[ladder b@d]\ncontact = no\n", 4, "ladder name must be 1-31 letters, digits, '_' or" },
	{ P0 "[ladder ]\ncontact = no\n", 4, "ladder name must be 1-31 letters, digits, '_' or" },
	{ P0 "[profile b@d]\n", 4, "profile name must be 1-31 letters, digits, '_' o" },
	{ P0 "[profile AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA]\n", 4, "profile name must be 1-31 letters, digits, '_' o" },
	{ P0 "[ladder x y]\n", 4, "section name with blanks" },
	{ P0 "[promise]\ntolerance_pct = 5.\n", 5, "'tolerance_pct': expected a percentage from 0 to" },
	{ P0 "[promise]\ntolerance_pct = 5.555\n", 5, "'tolerance_pct': expected a percentage from 0 to" },
	{ P0 "[promise]\ntolerance_pct = x\n", 5, "'tolerance_pct': expected a percentage from 0 to" },
	{ P0 "[promise]\ntolerance_pct = 101\n", 5, "'tolerance_pct': expected a percentage from 0 to" },
	{ P0 "[promise]\ngrace_days = 61\n", 5, "'grace_days': expected an integer from 0 to 60" },
	{ P0 "[promise]\ncourtesy_reminder_days = 31\n", 5, "'courtesy_reminder_days': expected an integer fr" },
	{ P0 "[promise]\nlookback_days = 0\n", 5, "'lookback_days': expected an integer from 1 to 3" },
	{ P0 "[promise]\ncolour = 1\n", 5, "unknown key 'colour' in the promise section" },
	{ P0 "[offer]\nplan_min_instalments = 0\n", 5, "'plan_min_instalments': expected an integer from" },
	{ P0 "[offer]\nplan_max_instalments = 121\n", 5, "'plan_max_instalments': expected an integer from" },
	{ P0 "[offer]\nplan_first_due_days = 91\n", 5, "'plan_first_due_days': expected an integer from " },
	{ P0 "[offer]\nplan_history_days = 0\n", 5, "'plan_history_days': expected an integer from 1 " },
	{ P0 "[offer]\nplan_min_instalment = \n", 5, "'plan_min_instalment': expected CUR:AMOUNT items" },
	{ P0 "[offer]\nplan_min_instalment = USD25\n", 5, "'plan_min_instalment': expected CUR:AMOUNT with " },
	{ P0 "[offer]\nplan_min_instalment = USD:0\n", 5, "'plan_min_instalment': bad amount for USD" },
	{ P0 "[offer]\nplan_min_instalment = USD:-5\n", 5, "'plan_min_instalment': bad amount for USD" },
	{ P0 "[offer]\nsettlement_max_discount_pct = 95\n", 5, "'settlement_max_discount_pct': expected a percen" },
	{ P0 "[offer]\nsettlement_max_discount_pct = abc\n", 5, "'settlement_max_discount_pct': expected a percen" },
	{ P0 "[offer]\nsettlement_discount = 31\n", 5, "'settlement_discount': expected MIN_DPD PERCENT" },
	{ P0 "[offer]\nsettlement_discount = x 5\n", 5, "'settlement_discount': expected MIN_DPD PERCENT" },
	{ P0 "[offer]\nsettlement_discount = 31 y\n", 5, "'settlement_discount': expected MIN_DPD PERCENT" },
	{ P0 "[offer]\nsettlement_valid_days = 0\n", 5, "'settlement_valid_days': expected an integer fro" },
	{ P0 "[offer]\ncolour = 1\n", 5, "unknown key 'colour' in the offer section" },
	{ P0 "[offer]\nsettlement_discount = 1 1\nsettlement_discount = 2 1\nsettlement_discount = 3 1\nsettlement_discount = 4 1\nsettlement_discount = 5 1\nsettlement_discount = 6 1\nsettlement_discount = 7 1\nsettlement_discount = 8 1\nsettlement_discount = 9 1\nsettlement_discount = 10 1\nsettlement_discount = 11 1\nsettlement_discount = 12 1\nsettlement_discount = 13 1\nsettlement_discount = 14 1\nsettlement_discount = 15 1\nsettlement_discount = 16 1\nsettlement_discount = 17 1\n", 13, "'settlement_discount': more than 8 bands" },
	{ P0 "countries = AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR\n", 4, "'countries': expected 1 to 16 ISO 3166 alpha-2 c" },
};

/* edge cases that are valid: blanks, CRLF, no final newline, bounds */
static const char *const good[] = {
	P0 "hours.tue = closed\n",
	P0 "hours.holiday = 10:00-12:00\n",
	P0 "default = true\n",
	P0 "default = 0\n",
	P0 "default = false\n",
	P0 "default = 1\n",
	P0 "holidays = none\n",
	P0 "holiday = 2024-01-01 2024-01-02 2024-01-03 2024-01-04 2024-01-05 2024-01-06 2024-01-07 2024-01-08 2024-01-09 2024-01-10 2024-01-11 2024-01-12 2024-01-13 2024-01-14 2024-01-15 2024-01-16 2024-01-17 2024-01-18 2024-01-19 2024-01-20 2024-01-21 2024-01-22 2024-01-23 2024-01-24 2024-01-25 2024-01-26 2024-01-27 2024-01-28 2024-01-29 2024-01-30 2024-01-31 2024-02-01 2024-02-02 2024-02-03 2024-02-04\n",
	P0 "channels = none\n",
	P0 "channels = sms, ,email\n",
	P0 "consent_required = none\n",
	P0 "opt_out = channel\n",
	P0 "week = calendar\n",
	P0 "min_gap_days = 3\n",
	P0 "call_attempts_window_days = 0\n",
	P0 "[ladder x]\nstep = sms 0 T1\noffer = none\n",
	P0 "[ladder x]\nstep = sms 0 T1\noffer = plan\n",
	P0 "[ladder x]\nstep = sms 0 T1\noffer = settlement\n",
	P0 "[ladder x]\nstep = sms 0 T1\nreset_days = 30\n",
	P0 "[promise]\ntolerance_pct = 5.5\n",
	P0 "[promise]\ntolerance_pct = 5.55\n",
	"  [profile A]  \r\n\tcountries = US   \ntimezone\t=\tUTC\r\n# c\n\n",
	"[profile A]\ncountries = US\ntimezone = UTC",
	P0 "[profile B]\ncountries=CA\ntimezone=UTC\n[profile C]\ncountries=GB\ntimezone=UTC\n[profile D]\ncountries=DE\ntimezone=UTC\n[profile E]\ncountries=FR\ntimezone=UTC\n[profile F]\ncountries=ES\ntimezone=UTC\n[profile G]\ncountries=IT\ntimezone=UTC\n[profile H]\ncountries=PT\ntimezone=UTC\n[profile I]\ncountries=BR\ntimezone=UTC\n[profile J]\ncountries=AR\ntimezone=UTC\n[profile K]\ncountries=CL\ntimezone=UTC\n[profile L]\ncountries=PE\ntimezone=UTC\n[profile M]\ncountries=EC\ntimezone=UTC\n[profile N]\ncountries=UY\ntimezone=UTC\n[profile O]\ncountries=PY\ntimezone=UTC\n[profile P]\ncountries=BO\ntimezone=UTC\n[profile Q]\ncountries=VE\ntimezone=UTC\n[profile R]\ncountries=PA\ntimezone=UTC\n",
	"[profile A]\ncountries = US\ntimezone = UTC\n[ladder x]\nstep = call 0 T1\nstep = letter 2 T2\nstep = whatsapp 1 T3\n",
};

START_TEST(test_policy_accepts)
{
	struct cx_policy *p = NULL;
	struct cx_error err;
	ck_assert_msg(cx_policy_parse(good[_i], strlen(good[_i]), "t.policy", &p, &err) == 0,
	              "case %d: %s", _i, err.msg);
	ck_assert_ptr_nonnull(p);
	cx_policy_free(p);
	p = NULL;
	ck_assert_int_eq(cx_policy_load("/nonexistent/x.policy", &p, &err), CX_ENOINPUT);
	ck_assert_ptr_null(p);
}
END_TEST


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
	tcase_add_loop_test(tc, test_policy_accepts, 0, sizeof good / sizeof good[0]);
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
