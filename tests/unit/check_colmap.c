/* cx_colmap: header folding, synonyms (English and Spanish, accents and
 * case ignored), --map specs, and the fatal header problems (catalogue 09,
 * 14, 15). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_colmap.h"
#include "cx_schema.h"

START_TEST(fold)
{
	static const struct { const char *in, *out; } t[] = {
		{ "Fecha de Vencimiento", "fechavencimiento" },
		{ "FECHA_VENCIMIENTO", "fechavencimiento" },
		{ "fecha-vencimiento", "fechavencimiento" },
		{ "C\xc3\xa9" "dula", "cedula" },
		{ "N\xc2\xb0 Cuenta", "cuenta" },
		{ "  Saldo Total ", "saldototal" },
		{ "D\xc3\xad" "as Mora", "diasmora" },
		{ "A\xc3\xb1o", "ano" },
		{ "E-Mail", "email" },
		{ "", "" },
		{ "N\xc3\x9aMERO de obligaci\xc3\xb3n", "obligacion" },
	};
	char out[CX_COLMAP_FOLD_MAX];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cx_colmap_fold(t[i].in, strlen(t[i].in), out, sizeof out);
		ck_assert_msg(strcmp(out, t[i].out) == 0, "%s -> %s, want %s", t[i].in, out, t[i].out);
	}
}
END_TEST

static int map1(enum cx_kind kind, const char *const *hdr, size_t nh, const char *canon,
                const struct cx_colmap_spec *spec, struct cx_error *err)
{
	size_t nc, i;
	const struct cx_column *cols = cx_schema_columns(kind, &nc);
	int idx[64], req[64] = { 0 };
	size_t hl[64];
	int rc;

	for (i = 0; i < nh; i++)
		hl[i] = strlen(hdr[i]);
	rc = cx_colmap_build(spec, cols, nc, req, hdr, hl, nh, idx, "f.csv", err);
	if (rc < 0)
		return -100;
	for (i = 0; i < nc; i++)
		if (strcmp(cols[i].name, canon) == 0)
			return idx[i];
	return -200;
}

START_TEST(synonyms)
{
	static const struct { enum cx_kind k; const char *raw, *canon; } t[] = {
		{ CX_KIND_ACCOUNTS, "saldo", "balance" },
		{ CX_KIND_ACCOUNTS, "Saldo Total", "balance" },
		{ CX_KIND_ACCOUNTS, "C\xc3\xa9" "dula", "national_id" },
		{ CX_KIND_ACCOUNTS, "documento", "national_id" },
		{ CX_KIND_ACCOUNTS, "NIT", "national_id" },
		{ CX_KIND_ACCOUNTS, "rut", "national_id" },
		{ CX_KIND_ACCOUNTS, "CURP", "national_id" },
		{ CX_KIND_ACCOUNTS, "fecha_vencimiento", "due_date" },
		{ CX_KIND_ACCOUNTS, "D\xc3\xad" "as de Mora", "days_past_due" },
		{ CX_KIND_ACCOUNTS, "cliente", "source_customer_id" },
		{ CX_KIND_ACCOUNTS, "Obligaci\xc3\xb3n", "account_id" },
		{ CX_KIND_ACCOUNTS, "Numero de Cuenta", "account_id" },
		{ CX_KIND_ACCOUNTS, "producto", "product" },
		{ CX_KIND_ACCOUNTS, "MONEDA", "currency" },
		{ CX_KIND_ACCOUNTS, "celular", "phone" },
		{ CX_KIND_ACCOUNTS, "Tel\xc3\xa9" "fono", "phone" },
		{ CX_KIND_ACCOUNTS, "correo electr\xc3\xb3nico", "email" },
		{ CX_KIND_ACCOUNTS, "account_number", "account_id" },
		{ CX_KIND_ACCOUNTS, "payment_due_date", "due_date" },
		{ CX_KIND_ACCOUNTS, "DPD", "days_past_due" },
		{ CX_KIND_ACCOUNTS, "autorizaciones", "consents" },
		{ CX_KIND_ACCOUNTS, "marcas", "flags" },
		{ CX_KIND_PAYMENTS, "fecha_pago", "date" },
		{ CX_KIND_PAYMENTS, "valor_pagado", "amount" },
		{ CX_KIND_PAYMENTS, "medio_pago", "method" },
		{ CX_KIND_CONTACTS, "resultado", "outcome" },
		{ CX_KIND_CONTACTS, "canal", "channel" },
		{ CX_KIND_CONTACTS, "fecha_promesa", "promise_date" },
		{ CX_KIND_STATEMENTS, "fecha_corte", "statement_date" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cx_error err;
		const char *hdr[] = { "zzz", t[i].raw };
		int got = map1(t[i].k, hdr, 2, t[i].canon, NULL, &err);
		ck_assert_msg(got == 1, "%s -> %s: %d", t[i].raw, t[i].canon, got);
	}
}
END_TEST

START_TEST(best_rank_wins)
{
	struct cx_error err;
	/* the canonical name beats a synonym; a better synonym beats a worse one */
	const char *h1[] = { "saldo_capital", "balance" };
	const char *h2[] = { "saldo_capital", "saldo" };
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h1, 2, "balance", NULL, &err), 1);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h2, 2, "balance", NULL, &err), 1);
}
END_TEST

START_TEST(ambiguous)
{
	struct cx_error err;
	const char *h[] = { "Saldo", "SALDO " };
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 2, "balance", NULL, &err), -100);
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_msg(strstr(err.msg, "both match 'balance'") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(explicit_map)
{
	struct cx_colmap_spec s;
	struct cx_error err;
	const char *h[] = { "col_a", "col_b", "saldo" };

	cx_colmap_spec_init(&s);
	ck_assert_int_eq(cx_colmap_spec_parse(&s, "balance=col_b,account_id=col_a", NULL, 0, &err), 0);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 3, "balance", &s, &err), 1);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 3, "account_id", &s, &err), 0);
	/* a later pair replaces an earlier one */
	ck_assert_int_eq(cx_colmap_spec_parse(&s, "balance=saldo", NULL, 0, &err), 0);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 3, "balance", &s, &err), 2);
	ck_assert_int_lt(cx_colmap_spec_parse(&s, "balance", NULL, 0, &err), 0);
	ck_assert_int_lt(cx_colmap_spec_parse(&s, "=x", NULL, 0, &err), 0);
	cx_colmap_spec_free(&s);
	cx_colmap_spec_init(&s);
	ck_assert_int_eq(cx_colmap_spec_parse(&s, "nonesuch=col_a", NULL, 0, &err), 0);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 3, "balance", &s, &err), -100);
	ck_assert_int_eq(err.code, CX_EUSAGE);
	cx_colmap_spec_free(&s);
	cx_colmap_spec_init(&s);
	ck_assert_int_eq(cx_colmap_spec_parse(&s, "balance=missing", NULL, 0, &err), 0);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 3, "balance", &s, &err), -100);
	ck_assert_int_eq(err.code, CX_EDATA);
	cx_colmap_spec_free(&s);
}
END_TEST

START_TEST(map_file)
{
	struct cx_colmap_spec s;
	struct cx_error err;
	char path[] = "/tmp/check_colmap.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	const char *h[] = { "X", "Y" };

	fputs("# comment\n\nbalance=Y\r\naccount_id\tX\n", f);
	fclose(f);
	cx_colmap_spec_init(&s);
	ck_assert_int_eq(cx_colmap_spec_load(&s, path, &err), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 2, "balance", &s, &err), 1);
	ck_assert_int_eq(map1(CX_KIND_ACCOUNTS, h, 2, "account_id", &s, &err), 0);
	cx_colmap_spec_free(&s);
	f = fopen(path, "w");
	fputs("balance=Y\nbroken line\n", f);
	fclose(f);
	cx_colmap_spec_init(&s);
	ck_assert_int_lt(cx_colmap_spec_load(&s, path, &err), 0);
	ck_assert_int_eq(err.line, 2);
	cx_colmap_spec_free(&s);
	unlink(path);
}
END_TEST

START_TEST(header_faults)
{
	size_t nc;
	const struct cx_column *cols = cx_schema_columns(CX_KIND_ACCOUNTS, &nc);
	int idx[64], req[64] = { 0 };
	struct cx_error err;
	struct cx_colmap_spec s;
	const char *dup[] = { "account_id", "saldo", "account_id" };
	size_t dupl[] = { 10, 5, 10 };
	const char *empty[] = { "account_id", "saldo", "" };
	size_t emptyl[] = { 10, 5, 0 };
	const char *few[] = { "name", "x" };
	size_t fewl[] = { 4, 1 };

	for (size_t i = 0; i < nc; i++)
		req[i] = cols[i].required;
	ck_assert_int_eq(cx_colmap_build(NULL, cols, nc, req, dup, dupl, 3, idx, "f", &err), CX_EDATA);
	ck_assert_str_eq(err.msg, "duplicate column name 'account_id' (columns 1 and 3)");
	ck_assert_int_eq(cx_colmap_build(NULL, cols, nc, NULL, empty, emptyl, 3, idx, "f", &err), CX_EDATA);
	ck_assert_msg(strstr(err.msg, "empty column name (column 3)") == err.msg, "%s", err.msg);
	cx_colmap_spec_init(&s);
	s.allow_trailing_empty = 1;
	ck_assert_int_eq(cx_colmap_build(&s, cols, nc, NULL, empty, emptyl, 3, idx, "f", &err), 0);
	ck_assert_int_eq(cx_colmap_build(NULL, cols, nc, req, few, fewl, 2, idx, "f", &err), CX_EDATA);
	ck_assert_str_eq(err.msg, "missing required columns 'account_id', 'currency', 'balance' "
	                 "(the file has: 'name', 'x')");
	ck_assert_int_eq(err.line, 1);
}
END_TEST

START_TEST(every_synonym_maps_to_itself)
{
	/* no synonym of one column folds like a synonym of another column of the
	 * same kind (that would make the mapping depend on table order) */
	for (int k = 0; k < CX_KIND_TABLE; k++) {
		size_t nc;
		const struct cx_column *cols = cx_schema_columns((enum cx_kind)k, &nc);
		for (size_t a = 0; a < nc; a++) {
			const char *const *sa = cx_colmap_synonyms(cols[a].name);
			for (size_t i = 0; sa && sa[i]; i++) {
				char fa[CX_COLMAP_FOLD_MAX];
				cx_colmap_fold(sa[i], strlen(sa[i]), fa, sizeof fa);
				for (size_t b = 0; b < nc; b++) {
					const char *const *sb = cx_colmap_synonyms(cols[b].name);
					char fb[CX_COLMAP_FOLD_MAX];
					if (b == a)
						continue;
					cx_colmap_fold(cols[b].name, strlen(cols[b].name), fb, sizeof fb);
					ck_assert_msg(strcmp(fa, fb) != 0, "%s: %s", cols[a].name, sa[i]);
					for (size_t j = 0; sb && sb[j]; j++) {
						cx_colmap_fold(sb[j], strlen(sb[j]), fb, sizeof fb);
						ck_assert_msg(strcmp(fa, fb) != 0, "%s/%s: %s", cols[a].name,
						              cols[b].name, sa[i]);
					}
				}
			}
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("colmap");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, fold);
	tcase_add_test(tc, synonyms);
	tcase_add_test(tc, best_rank_wins);
	tcase_add_test(tc, ambiguous);
	tcase_add_test(tc, explicit_map);
	tcase_add_test(tc, map_file);
	tcase_add_test(tc, header_faults);
	tcase_add_test(tc, every_synonym_maps_to_itself);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
