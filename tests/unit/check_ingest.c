/* cx_ingest helpers: aging buckets, --buckets and --link parsing, source
 * labels from file names, preferred hours, outcome/direction vocabularies. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cx_ingest.h"
#include "cx_identity.h"

START_TEST(buckets)
{
	struct cx_ingest_opts o;
	static const struct { long d; const char *b; } t[] = {
		{ -30, "current" }, { 0, "current" }, { 1, "1-30" }, { 30, "1-30" }, { 31, "31-60" },
		{ 90, "61-90" }, { 91, "91-120" }, { 180, "121-180" }, { 181, "180+" }, { 36500, "180+" },
	};
	char buf[32];
	cx_ingest_opts_init(&o);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_ingest_bucket(&o, t[i].d, buf);
		ck_assert_msg(strcmp(buf, t[i].b) == 0, "%ld -> %s", t[i].d, buf);
	}
	ck_assert_int_eq(cx_ingest_parse_buckets(&o, "15,45"), 0);
	cx_ingest_bucket(&o, 15, buf);
	ck_assert_str_eq(buf, "1-15");
	cx_ingest_bucket(&o, 16, buf);
	ck_assert_str_eq(buf, "16-45");
	cx_ingest_bucket(&o, 46, buf);
	ck_assert_str_eq(buf, "45+");
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, "30,30"), 0);
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, "60,30"), 0);
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, "0,30"), 0);
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, "30,"), 0);
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, ""), 0);
	ck_assert_int_lt(cx_ingest_parse_buckets(&o, "a"), 0);
}
END_TEST

START_TEST(link)
{
	unsigned m;
	ck_assert_int_eq(cx_ingest_parse_link("id", &m), 0);
	ck_assert_uint_eq(m, CX_LINK_ID);
	ck_assert_int_eq(cx_ingest_parse_link("id,email,phone", &m), 0);
	ck_assert_uint_eq(m, CX_LINK_ID | CX_LINK_EMAIL | CX_LINK_PHONE);
	ck_assert_int_eq(cx_ingest_parse_link("none", &m), 0);
	ck_assert_uint_eq(m, 0);
	ck_assert_int_lt(cx_ingest_parse_link("id,", &m), 0);
	ck_assert_int_lt(cx_ingest_parse_link("name", &m), 0);
}
END_TEST

START_TEST(source_names)
{
	static const struct { const char *p, *s; } t[] = {
		{ "raw/cards_accounts.csv", "cards" }, { "-", "stdin" },
		{ "/x/Cartera Prestamos.csv.gz", "cartera_prestamos" }, { "billing.txt", "billing" }, { "a.b.c", "a" },
		{ ".hidden", "_" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_ingest_source_from_path(t[i].p, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, t[i].s) == 0, "%s -> %s", t[i].p, buf);
	}
}
END_TEST

START_TEST(hours)
{
	static const struct { const char *in, *out; } t[] = {
		{ "08:00-12:00", "08:00-12:00" }, { "8-17", "08:00-17:00" },
		{ "8:00 a 17:30", "08:00-17:30" }, { " 9am - 5pm ", "09:00-17:00" },
		{ "14:00\xe2\x80\x93" "18:00", "14:00-18:00" }, { "7h-19h", "07:00-19:00" },
		{ "18:00-08:00", NULL }, { "25:00-26:00", NULL }, { "morning", NULL },
		{ "8:5-9", NULL }, { "", NULL },
	};
	char buf[16];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int r = cx_ingest_norm_hours(t[i].in, strlen(t[i].in), buf);
		if (t[i].out) {
			ck_assert_msg(r == 11 && strcmp(buf, t[i].out) == 0, "%s -> %d %s", t[i].in, r, buf);
		} else
			ck_assert_msg(r < 0, "%s accepted", t[i].in);
	}
}
END_TEST

START_TEST(vocab)
{
	static const struct { const char *in; int idx; } o[] = {
		{ "promise", 8 }, { "Promesa de Pago", 8 }, { "PTP", 8 }, { "no contesta", 4 },
		{ "No_Answer", 4 }, { "Buz\xc3\xb3n de voz", 5 }, { "tercero", 7 }, { "queja", 11 },
		{ "opt-out", 12 }, { "pagado", 13 }, { "whatever", -1 }, { "", -1 },
	};
	for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
		ck_assert_msg(cx_ingest_norm_outcome(o[i].in, strlen(o[i].in)) == o[i].idx, "%s", o[i].in);
	ck_assert_int_eq(cx_ingest_norm_direction("Saliente", 8), 0);
	ck_assert_int_eq(cx_ingest_norm_direction("inbound", 7), 1);
	ck_assert_int_eq(cx_ingest_norm_direction("up", 2), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ingest");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, buckets);
	tcase_add_test(tc, link);
	tcase_add_test(tc, source_names);
	tcase_add_test(tc, hours);
	tcase_add_test(tc, vocab);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
