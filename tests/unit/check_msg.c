/* Unit tests for cx_msg: the shipped templates (embedded copies equal the
 * files, one per ladder step and language, every one renders with the
 * creditor and an opt-out), SMS segment counting against hand-checked
 * cases, transliteration, money and date formatting, template and
 * creditor.conf errors with their positions, and dispatch end to end
 * (files, permissions, message ids, rejects with reasons). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_msg.h"
#include "cx_plan.h"
#include "cx_policy.h"
#include "cx_score.h"
#include "cx_segment.h"
#include "cx_test.h"

static struct cx_msg_set *
builtin(void)
{
	struct cx_msg_set *s = NULL;
	struct cx_error err;
	cx_error_clear(&err);
	ck_assert_msg(cx_msg_set_load(NULL, &s, &err) == 0, "built-in: %s:%ld: %s", err.file,
	              err.line, err.msg);
	return s;
}

START_TEST(test_embedded_equal)
{
	size_t i, a, b;
	struct cx_msg_set *emb = builtin(), *dir = NULL;
	struct cx_error err;
	for (i = 0; cx_msg_default_files[i].path; i++) {
		char path[1024];
		char *file, *e;
		snprintf(path, sizeof path, "%s/templates/%s", CX_SRCDIR, cx_msg_default_files[i].path);
		file = slurp(path, &a);
		e = cx_default_join(cx_msg_default_files[i].lines, &b);
		ck_assert_msg(a == b && memcmp(file, e, a) == 0,
		              "templates/%s differs from the embedded copy: run sh "
		              "scripts/embed-templates.sh",
		              cx_msg_default_files[i].path);
		free(file);
		cx_free(e);
	}
	/* and nothing in templates/ is missing from the embedded copies */
	ck_assert_msg(cx_msg_set_load(CX_SRCDIR "/templates", &dir, &err) == 0, "%s:%ld: %s",
	              err.file, err.line, err.msg);
	ck_assert_uint_eq(cx_msg_set_count(dir), cx_msg_set_count(emb));
	ck_assert_uint_eq(cx_msg_set_count(dir) + 1, i);
	cx_msg_set_free(dir);
	cx_msg_set_free(emb);
}
END_TEST

/* Every step of every shipped ladder has a template in es and en for its
 * channel; so does the promise courtesy reminder on digital channels. */
START_TEST(test_ladders_covered)
{
	struct cx_policy *p = NULL;
	struct cx_msg_set *s = builtin();
	struct cx_error err;
	static const char *const langs[] = { "es", "en" };
	int l, i, k, n = 0;
	cx_error_clear(&err);
	ck_assert_int_eq(cx_policy_load(NULL, &p, &err), 0);
	for (i = 0; i < p->nladders; i++)
		for (k = 0; k < p->ladders[i].nsteps; k++) {
			const struct cx_ladder_step *st = &p->ladders[i].steps[k];
			const char *ch = cx_channel_name(st->channel);
			int kind = cx_msg_kind_index(ch, strlen(ch));
			ck_assert_msg(kind >= 0, "ladder %s uses channel %s", p->ladders[i].name, ch);
			for (l = 0; l < 2; l++)
				ck_assert_msg(cx_msg_set_find(s, langs[l], st->template_id, kind) != NULL,
				              "no template %s/%s.%s", langs[l], st->template_id, ch);
			n++;
		}
	ck_assert_int_ge(n, 29);
	for (l = 0; l < 2; l++)
		for (k = CX_MK_SMS; k <= CX_MK_EMAIL; k++)
			ck_assert(cx_msg_set_find(s, langs[l], "PTP_COURTESY", k) != NULL);
	cx_policy_free(p);
	cx_msg_set_free(s);
}
END_TEST

/* Render every shipped template with sample data in both languages. */
START_TEST(test_render_all)
{
	struct cx_msg_set *s = builtin();
	size_t i;
	static const char *const countries[] = { "CO", "MX", "US" };
	for (i = 0; cx_msg_default_files[i].path; i++) {
		const char *path = cx_msg_default_files[i].path, *dot = strrchr(path, '.');
		char lang[3], id[32], key[64];
		const struct cx_msg_tpl *t;
		int kind, c;
		if (strcmp(path, "creditor.conf") == 0)
			continue;
		memcpy(lang, path, 2);
		lang[2] = '\0';
		snprintf(id, sizeof id, "%.*s", (int)(dot - path - 3), path + 3);
		kind = cx_msg_kind_index(dot + 1, strlen(dot + 1));
		ck_assert_int_ge(kind, 0);
		t = cx_msg_set_find(s, lang, id, kind);
		ck_assert_msg(t != NULL, "%s", path);
		for (c = 0; c < 3; c++) {
			const char *v[CX_PH_N];
			char *subj = NULL, *body = NULL;
			const char *missing = NULL, *optout;
			memset(v, 0, sizeof v);
			v[CX_PH_FIRST_NAME] = "Ana";
			v[CX_PH_NAME] = "Ana María Pérez";
			v[CX_PH_PAST_DUE] = "$ 1.234.567";
			v[CX_PH_AMOUNT_DUE] = "$ 250.000";
			v[CX_PH_TOTAL_OWED] = "$ 9.876.543";
			v[CX_PH_DUE_DATE] = "22 de noviembre de 2026";
			v[CX_PH_DAYS] = "12";
			snprintf(key, sizeof key, "payment_methods.%s", lang);
			v[CX_PH_PAYMENT_METHODS] = cx_msg_creditor(s, countries[c], key);
			v[CX_PH_PAY_LINK] = "https://pagos.example.com.co/r/c0123456789abcdef";
			v[CX_PH_REFERENCE] = "c0123456789abcdef";
			v[CX_PH_INSTALMENTS] = "6";
			v[CX_PH_INSTALMENT_AMOUNT] = "$ 205.762";
			v[CX_PH_FIRST_DUE_DATE] = "25 de noviembre de 2026";
			v[CX_PH_SETTLEMENT_AMOUNT] = "$ 7.901.234";
			v[CX_PH_SETTLEMENT_DEADLINE] = "20 de diciembre de 2026";
			v[CX_PH_CREDITOR] = cx_msg_creditor(s, countries[c], "name");
			snprintf(key, sizeof key, "contact_line.%s", lang);
			v[CX_PH_CONTACT_LINE] = cx_msg_creditor(s, countries[c], key);
			snprintf(key, sizeof key, "opt_out.%s.%s", dot + 1, lang);
			optout = cx_msg_creditor(s, countries[c], key);
			v[CX_PH_OPT_OUT] = optout;
			v[CX_PH_DATE] = "20 de noviembre de 2026";
			v[CX_PH_PLAN] = "6 cuotas de $ 205.762";
			ck_assert_ptr_nonnull(v[CX_PH_CREDITOR]);
			ck_assert_msg(cx_msg_tpl_render(t, v, &subj, &body, &missing) == 0,
			              "%s: no value for %s", path, missing ? missing : "?");
			ck_assert_msg(!strchr(body, '{') && !strchr(body, '}'), "%s: brace left", path);
			ck_assert_msg(strstr(body, v[CX_PH_CREDITOR]) != NULL || (subj && strstr(subj, v[CX_PH_CREDITOR])),
			              "%s: creditor not named", path);
			if (kind <= CX_MK_EMAIL) {
				ck_assert_msg(optout != NULL, "no opt_out for %s", path);
				ck_assert_msg(strstr(body, optout) != NULL, "%s: no opt-out", path);
			}
			if (kind == CX_MK_EMAIL)
				ck_assert_msg(subj && subj[0] && !strchr(subj, '\n'), "%s: subject", path);
			else
				ck_assert_ptr_null(subj);
			/* Ley 2300: never ask why the customer has not paid */
			ck_assert_msg(!strstr(body, "¿Por qué") && !strstr(body, "¿por qué") &&
			              !strstr(body, "Why have") && !strstr(body, "why you have"),
			              "%s asks why", path);
			if (kind == CX_MK_SMS) {
				struct cx_sms_info si;
				size_t n;
				char *tr = cx_sms_transliterate(body, strlen(body), &n);
				cx_sms_count(tr, n, &si);
				ck_assert_msg(si.gsm7 && si.segments <= 3, "%s: %d segments", path,
				              si.segments);
				cx_free(tr);
				/* the shipped texts themselves stay in GSM-7 (with a name
				 * and data that are) */
				cx_sms_count(body, strlen(body), &si);
				ck_assert_msg(si.gsm7 && si.segments <= 2, "%s (%s): %s, %d segments",
				              path, countries[c], si.gsm7 ? "gsm7" : "ucs2", si.segments);
			}
			cx_free(subj);
			cx_free(body);
		}
	}
	cx_msg_set_free(s);
}
END_TEST

static char *
rep(const char *unit, int n)
{
	size_t u = strlen(unit);
	char *b = malloc(u * (size_t)n + 1);
	int i;
	for (i = 0; i < n; i++)
		memcpy(b + u * (size_t)i, unit, u);
	b[u * (size_t)n] = '\0';
	return b;
}

static const struct {
	const char *pre; const char *unit; int n; const char *post;
	int gsm7; size_t units; int segments;
} sms_cases[] = {
	{ "", "a", 160, "", 1, 160, 1 },
	{ "", "a", 161, "", 1, 161, 2 },
	{ "", "a", 306, "", 1, 306, 2 },
	{ "", "a", 307, "", 1, 307, 3 },
	{ "\xc3\xa1", "a", 69, "", 0, 70, 1 },          /* á: UCS-2 */
	{ "\xc3\xa1", "a", 70, "", 0, 71, 2 },
	{ "\xc3\xa1", "a", 133, "", 0, 134, 2 },
	{ "\xc3\xa1", "a", 134, "", 0, 135, 3 },
	{ "\xc3\xad", "a", 10, "", 0, 11, 1 },          /* í */
	{ "", "a", 159, "\xe2\x82\xac", 1, 161, 2 },    /* € counts 2 */
	{ "", "a", 158, "[", 1, 160, 1 },
	{ "", "a", 158, "{", 1, 160, 1 },
	{ "", "a", 152, "\xe2\x82\xac" "aaaaaaaaaa", 1, 164, 2 },
	{ "\xf0\x9f\x98\x80", "a", 68, "", 0, 70, 1 },  /* emoji: 2 UTF-16 units */
	{ "\xf0\x9f\x98\x80", "a", 69, "", 0, 71, 2 },
	/* ¿ é ñ Ñ ü à ¡ Ç are in the GSM-7 basic table */
	{ "\xc2\xbf\xc3\xa9\xc3\xb1\xc3\x91\xc3\xbc\xc3\xa0\xc2\xa1\xc3\x87", "a", 1, "", 1, 9, 1 },
	{ "\xc3\xa7", "a", 1, "", 0, 2, 1 },           /* ç is not (only Ç) */
	{ "", "a", 0, "", 1, 0, 0 },
	{ "", "a", 0, "\n", 1, 1, 1 },
};

START_TEST(test_sms_count)
{
	char *mid = rep(sms_cases[_i].unit, sms_cases[_i].n);
	size_t n = strlen(sms_cases[_i].pre) + strlen(mid) + strlen(sms_cases[_i].post);
	char *s = malloc(n + 1);
	struct cx_sms_info si;
	snprintf(s, n + 1, "%s%s%s", sms_cases[_i].pre, mid, sms_cases[_i].post);
	cx_sms_count(s, n, &si);
	ck_assert_int_eq(si.gsm7, sms_cases[_i].gsm7);
	ck_assert_uint_eq(si.units, sms_cases[_i].units);
	ck_assert_int_eq(si.segments, sms_cases[_i].segments);
	free(mid);
	free(s);
}
END_TEST

/* Parts never split an escape pair or a surrogate pair. */
START_TEST(test_sms_split)
{
	char *a = rep("a", 152), *b = rep("a", 152), *s = malloc(400);
	struct cx_sms_info si;
	snprintf(s, 400, "%s\xe2\x82\xac%s", a, b);     /* 152 | €+151 | 1 */
	cx_sms_count(s, strlen(s), &si);
	ck_assert_int_eq(si.gsm7, 1);
	ck_assert_uint_eq(si.units, 306);
	ck_assert_int_eq(si.segments, 3);
	a[66] = b[66] = '\0';
	snprintf(s, 400, "%s\xf0\x9f\x98\x80%s", a, b); /* 66 | emoji+65 | 1 */
	cx_sms_count(s, strlen(s), &si);
	ck_assert_int_eq(si.gsm7, 0);
	ck_assert_uint_eq(si.units, 134);
	ck_assert_int_eq(si.segments, 3);
	free(a);
	free(b);
	free(s);
}
END_TEST

/* The GSM 03.38 tables from the standard's layout, character by character
 * (3GPP TS 23.038 6.2.1 and 6.2.1.1), against the counter. */
START_TEST(test_gsm_tables)
{
	static const char basic[] =
		"@\xc2\xa3$\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2\xc3\x87\n\xc3\x98\xc3\xb8\r"
		"\xc3\x85\xc3\xa5"
		"\xce\x94_\xce\xa6\xce\x93\xce\x9b\xce\xa9\xce\xa0\xce\xa8\xce\xa3\xce\x98\xce\x9e"
		"\xc3\x86\xc3\xa6\xc3\x9f\xc3\x89"
		" !\"#\xc2\xa4%&'()*+,-./0123456789:;<=>?"
		"\xc2\xa1" "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xc3\x84\xc3\x96\xc3\x91\xc3\x9c\xc2\xa7"
		"\xc2\xbf" "abcdefghijklmnopqrstuvwxyz\xc3\xa4\xc3\xb6\xc3\xb1\xc3\xbc\xc3\xa0";
	static const char ext[] = "\f^{}\\[~]|\xe2\x82\xac";
	static const char *const outside[] = { "`", "\t", "\x01", "\x7f", "\xc3\xa1", "\xc3\xad",
		                               "\xc3\xb3", "\xc3\xba", "\xc3\xa7", "\xc3\x88",
		                               "\xc3\x81", "\xe2\x80\x9c", "\xf0\x9f\x98\x80" };
	struct cx_sms_info si;
	size_t i, n;
	int count = 0;
	for (i = 0; i < sizeof basic - 1; i += n, count++) {
		n = 1;
		while (i + n < sizeof basic - 1 && ((unsigned char)basic[i + n] & 0xC0) == 0x80)
			n++;
		cx_sms_count(basic + i, n, &si);
		ck_assert_msg(si.gsm7 && si.units == 1, "basic character %d", count);
	}
	ck_assert_int_eq(count, 127);   /* 128 positions less ESC */
	cx_sms_count(basic, sizeof basic - 1, &si);
	ck_assert_int_eq(si.gsm7, 1);
	ck_assert_uint_eq(si.units, 127);
	for (i = 0, count = 0; i < sizeof ext - 1; i += n, count++) {
		n = 1;
		while (i + n < sizeof ext - 1 && ((unsigned char)ext[i + n] & 0xC0) == 0x80)
			n++;
		cx_sms_count(ext + i, n, &si);
		ck_assert_msg(si.gsm7 && si.units == 2, "extension character %d", count);
	}
	ck_assert_int_eq(count, 10);
	for (i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		cx_sms_count(outside[i], strlen(outside[i]), &si);
		ck_assert_msg(!si.gsm7, "outside %zu", i);
	}
}
END_TEST

START_TEST(test_transliterate)
{
	static const char *const in[][2] = {
		{ "Est\xc3\xa1 aqu\xc3\xad, \xc2\xbfverdad? \xc3\x91" "and\xc3\xba",
		  "Esta aqui, \xc2\xbfverdad? \xc3\x91" "andu" },
		{ "\xc3\x81" "frica \xc3\x93scar \xc3\x9a" "til \xc3\x8d" "ndice",
		  "Africa Oscar Util Indice" },
		{ "caf\xc3\xa9 ping\xc3\xbcino \xc3\xa0 \xc2\xa1ya!", "caf\xc3\xa9 ping\xc3\xbcino \xc3\xa0 \xc2\xa1ya!" },
		{ "\xe2\x80\x9cok\xe2\x80\x9d \xe2\x80\x93 s\xc3\xad\xe2\x80\xa6", "\"ok\" - si..." },
		{ "a\xc2\xa0" "b \xf0\x9f\x98\x80", "a b \xf0\x9f\x98\x80" },
	};
	size_t i, n;
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *o = cx_sms_transliterate(in[i][0], strlen(in[i][0]), &n);
		ck_assert_str_eq(o, in[i][1]);
		ck_assert_uint_eq(n, strlen(in[i][1]));
		cx_free(o);
	}
}
END_TEST

static const struct {
	int64_t v; const char *cur, *country, *want;
} money_cases[] = {
	{ 123456700, "COP", "CO", "$ 1.234.567" },
	{ 123456750, "COP", "CO", "$ 1.234.567,50" },
	{ 0, "COP", "CO", "$ 0" },
	{ 99, "COP", "CO", "$ 0,99" },
	{ 100000, "COP", "CO", "$ 1.000" },
	{ 123456700, "COP", "US", "COP 1.234.567" },
	{ 123456, "USD", "US", "$1,234.56" },
	{ 5, "USD", "US", "$0.05" },
	{ 100000000, "USD", "US", "$1,000,000.00" },
	{ 123456, "USD", "PR", "$1,234.56" },
	{ 123456, "USD", "CO", "USD 1,234.56" },
	{ 123456, "MXN", "MX", "$1,234.56" },
	{ 99999, "MXN", "MX", "$999.99" },
	{ 123456, "MXN", "US", "MXN 1,234.56" },
	{ -123456, "USD", "US", "-$1,234.56" },
	{ 1500, "CLP", "CL", "CLP 1,500" },
	{ 123456, "EUR", "ES", "EUR 1,234.56" },
	{ INT64_MAX, "USD", "US", "$92,233,720,368,547,758.07" },
};

START_TEST(test_money)
{
	char b[CX_MSG_MONEY_BUFSZ];
	size_t n = cx_msg_format_money(b, money_cases[_i].v, money_cases[_i].cur,
	                               money_cases[_i].country);
	ck_assert_str_eq(b, money_cases[_i].want);
	ck_assert_uint_eq(n, strlen(money_cases[_i].want));
}
END_TEST

START_TEST(test_dates)
{
	static const struct { int y, m, d; const char *lang, *want; } c[] = {
		{ 2026, 11, 22, "es", "22 de noviembre de 2026" },
		{ 2026, 11, 22, "en", "November 22, 2026" },
		{ 2027, 1, 1, "es", "1 de enero de 2027" },
		{ 2027, 1, 1, "en", "January 1, 2027" },
		{ 2028, 2, 29, "es", "29 de febrero de 2028" },
		{ 2026, 9, 5, "es", "5 de septiembre de 2026" },
		{ 2026, 12, 31, "pt", "December 31, 2026" },
	};
	size_t i;
	char b[CX_MSG_DATE_BUFSZ];
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		cx_day d;
		ck_assert_int_eq(cx_day_from_ymd(c[i].y, c[i].m, c[i].d, &d), 0);
		cx_msg_format_date(b, d, c[i].lang);
		ck_assert_str_eq(b, c[i].want);
	}
}
END_TEST

static const struct {
	int kind; const char *text; long line; const char *msg;
} tpl_bad[] = {
	{ CX_MK_SMS, "Hola {frist_name}", 1, "column 6: unknown placeholder 'frist_name'" },
	{ CX_MK_SMS, "a\nb\n  x {creditor} {Name}", 3, "column 16: malformed placeholder" },
	{ CX_MK_SMS, "a {creditor", 1, "column 3: malformed placeholder" },
	{ CX_MK_SMS, "a } b", 1, "column 3: '}' without '{'" },
	{ CX_MK_SMS, "", 1, "empty message" },
	{ CX_MK_SMS, "a\tb", 1, "control character" },
	{ CX_MK_SMS, "ok\n\xc3(", 2, "invalid UTF-8" },
	{ CX_MK_EMAIL, "Hello\n\nbody", 1, "column 1: an email template starts with 'Subject: '" },
	{ CX_MK_EMAIL, "Subject: hi\nbody", 2, "column 1: an empty line must follow the subject" },
	{ CX_MK_EMAIL, "Subject: hi {nope}\n\nbody", 1, "column 13: unknown placeholder 'nope'" },
	{ CX_MK_EMAIL, "Subject: hi\n\nline\n{x}", 4, "column 1: unknown placeholder 'x'" },
};

START_TEST(test_tpl_errors)
{
	struct cx_error err;
	struct cx_msg_tpl *t;
	cx_error_clear(&err);
	t = cx_msg_tpl_parse("es/X.sms", tpl_bad[_i].text, strlen(tpl_bad[_i].text),
	                     tpl_bad[_i].kind, &err);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(err.code, CX_EDATA);
	ck_assert_str_eq(err.file, "es/X.sms");
	ck_assert_int_eq(err.line, tpl_bad[_i].line);
	ck_assert_msg(strncmp(err.msg, tpl_bad[_i].msg, strlen(tpl_bad[_i].msg)) == 0, "got '%s'",
	              err.msg);
}
END_TEST

START_TEST(test_tpl_render)
{
	struct cx_error err;
	const char *v[CX_PH_N], *missing = NULL;
	char *subj, *body;
	static const char txt[] = "Subject: {{Hi}} {first_name}\n\nOwed: {total_owed}.\n"
	                          "{{literal}} }}\n";
	struct cx_msg_tpl *t = cx_msg_tpl_parse("t", txt, sizeof txt - 1, CX_MK_EMAIL, &err);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(cx_msg_tpl_uses(t),
	                  (1u << CX_PH_FIRST_NAME) | (1u << CX_PH_TOTAL_OWED));
	memset(v, 0, sizeof v);
	v[CX_PH_FIRST_NAME] = "Ana";
	/* a missing value is a reject with the placeholder's name */
	ck_assert_int_eq(cx_msg_tpl_render(t, v, &subj, &body, &missing), 1);
	ck_assert_str_eq(missing, "total_owed");
	ck_assert_ptr_null(body);
	v[CX_PH_TOTAL_OWED] = "";
	ck_assert_int_eq(cx_msg_tpl_render(t, v, &subj, &body, &missing), 1);
	v[CX_PH_TOTAL_OWED] = "$1,234.56";
	ck_assert_int_eq(cx_msg_tpl_render(t, v, &subj, &body, &missing), 0);
	ck_assert_str_eq(subj, "{Hi} Ana");
	ck_assert_str_eq(body, "Owed: $1,234.56.\n{literal} }");
	cx_free(subj);
	cx_free(body);
	cx_msg_tpl_free(t);
}
END_TEST

/* ---- directories and creditor.conf ------------------------------------ */

/* a message directory: the scratch directory with an es/ in it */
static void
mktmp(void)
{
	tmp_setup();
	ck_assert_int_eq(mkdir(P("es"), 0700), 0);
}

static const char good_conf[] = "[default]\nname = Acme\nlanguage = en\n"
                                "pay_link = https://x.test/{reference}\n"
                                "opt_out.sms.es = BAJA\n";

static const struct {
	const char *conf, *file, *text;
	long line;
	const char *msg;
} dir_bad[] = {
	{ "[default]\nname = A\nnmae = B\n", NULL, NULL, 3, "unknown key 'nmae'" },
	{ "[default]\npay_link = https://x.test/\n", NULL, NULL, 2,
	  "pay_link must contain '{reference}'" },
	{ "[default]\nopt_out.fax.es = x\n", NULL, NULL, 2, "unknown key" },
	{ "[default]\nname = A\n[country co]\n", NULL, NULL, 3, "unknown section" },
	{ "name = A\n", NULL, NULL, 1, "key outside a section" },
	{ "[default]\nlanguage = es\n", NULL, NULL, 0, "no creditor 'name'" },
	{ "[default]\nname = A {creditor}\n", NULL, NULL, 2, "'name' takes no placeholders" },
	{ "[default]\nname = A\nname = B\n", NULL, NULL, 3, "'name' given twice" },
	{ good_conf, "es/R1.sms", "Hola\n{first_name} {pago}\n", 2,
	  "column 14: unknown placeholder 'pago'" },
	{ good_conf, "es/R1.txt", "Hola\n", 0, "unknown channel extension" },
	{ good_conf, "es/r1.sms", "Hola\n", 0, "template ids use A-Z" },
};

START_TEST(test_dir_errors)
{
	struct cx_msg_set *s = NULL;
	struct cx_error err;
	char want[600];
	mktmp();
	put("creditor.conf", dir_bad[_i].conf);
	if (dir_bad[_i].file)
		put(dir_bad[_i].file, dir_bad[_i].text);
	cx_error_clear(&err);
	ck_assert_int_eq(cx_msg_set_load(tmpdir, &s, &err), CX_EDATA);
	ck_assert_ptr_null(s);
	snprintf(want, sizeof want, "%s/%s", tmpdir,
	         dir_bad[_i].file ? dir_bad[_i].file : "creditor.conf");
	ck_assert_str_eq(err.file, want);
	ck_assert_int_eq(err.line, dir_bad[_i].line);
	ck_assert_msg(strstr(err.msg, dir_bad[_i].msg) != NULL, "got '%s'", err.msg);
	tmp_teardown();
}
END_TEST

START_TEST(test_creditor_lookup)
{
	struct cx_msg_set *s = builtin();
	ck_assert_str_eq(cx_msg_creditor(s, "CO", "language"), "es");
	ck_assert_str_eq(cx_msg_creditor(s, "US", "language"), "en");
	ck_assert_str_eq(cx_msg_creditor(s, "BR", "language"), "en");     /* default */
	ck_assert_str_eq(cx_msg_creditor(s, "US", "pay_link"), "https://pay.example.com/r/{reference}");
	ck_assert_ptr_null(cx_msg_creditor(s, "CO", "opt_out.letter.es"));
	ck_assert_ptr_nonnull(cx_msg_creditor(s, "MX", "opt_out.whatsapp.es"));
	cx_msg_set_free(s);
}
END_TEST

/* ---- dispatch ------------------------------------------------------------ */

struct step { const char *id, *ch; };
static const struct step shipped[] = {
	{ "PRE1", "sms" }, { "PRE2", "email" }, { "PRE3", "whatsapp" }, { "SOFT1", "sms" },
	{ "SOFT2", "whatsapp" }, { "SOFT3", "email" }, { "SOFT4", "ivr" }, { "STD1", "sms" },
	{ "STD2", "whatsapp" }, { "STD3", "email" }, { "STD4", "call" }, { "STD5", "letter" },
	{ "PLAN1", "whatsapp" }, { "PLAN2", "sms" }, { "PLAN3", "email" }, { "PLAN4", "call" },
	{ "CARE1", "email" }, { "CARE2", "whatsapp" }, { "CARE3", "call" }, { "FIRM1", "sms" },
	{ "FIRM2", "call" }, { "FIRM3", "letter" }, { "FIRM4", "call" }, { "SET1", "email" },
	{ "SET2", "sms" }, { "SET3", "call" }, { "SET4", "letter" }, { "AG1", "letter" },
	{ "AG2", "call" }, { "PTP_COURTESY", "sms" }, { "PTP_COURTESY", "whatsapp" },
	{ "PTP_COURTESY", "email" },
};
#define NSHIP (sizeof shipped / sizeof shipped[0])

static void
plan_row(FILE *f, int rank, const char *key, const char *ch, const char *tpl, const char *cur,
         const char *offer)
{
	size_t i;
	for (i = 0; cx_plan_columns[i]; i++) {
		const char *c = cx_plan_columns[i], *v = "";
		char buf[64];
		if (!strcmp(c, "rank")) {
			snprintf(buf, sizeof buf, "%d", rank);
			v = buf;
		} else if (!strcmp(c, "customer_key"))
			v = key;
		else if (!strcmp(c, "action"))
			v = ch[0] ? "contact" : "none";
		else if (!strcmp(c, "channel"))
			v = ch;
		else if (!strcmp(c, "template"))
			v = tpl;
		else if (!strcmp(c, "window_start"))
			v = "2026-11-20T08:00:00-05:00";
		else if (!strcmp(c, "window_end"))
			v = "2026-11-20T19:00:00-05:00";
		else if (!strcmp(c, "queue"))
			v = "digital";
		else if (!strcmp(c, "past_due")) {
			snprintf(buf, sizeof buf, "%s:1234567.00", cur);
			v = buf;
		} else if (!strcmp(c, "balance")) {
			snprintf(buf, sizeof buf, "%s:9876543.21,USD:10.00", cur);
			v = buf;
		} else if (!strcmp(c, "worst_dpd"))
			v = "35";
		else if (!strcmp(c, "offer_type"))
			v = offer;
		else if (!strcmp(c, "instalments") && !strcmp(offer, "plan"))
			v = "6";
		else if (!strcmp(c, "instalment_amount") && !strcmp(offer, "plan")) {
			snprintf(buf, sizeof buf, "%s:205761.17", cur);
			v = buf;
		} else if (!strcmp(c, "first_due_date") && offer[0])
			v = "2026-11-25";
		else if (!strcmp(c, "settlement_amount") && !strcmp(offer, "settlement")) {
			snprintf(buf, sizeof buf, "%s:7901234.57", cur);
			v = buf;
		}
		fprintf(f, "%s%s", i ? "\t" : "", v);
	}
	fputc('\n', f);
}

static const char *
offer_for(const char *id)
{
	if (!strncmp(id, "PLAN", 4) || !strncmp(id, "CARE", 4))
		return "plan";
	if (!strncmp(id, "SET", 3) || !strncmp(id, "AG", 2))
		return "settlement";
	return "";
}

static size_t
count_lines(const char *path, char **text)
{
	size_t n, i, k = 0;
	char *b = slurp(path, &n);
	for (i = 0; i < n; i++)
		k += b[i] == '\n';
	if (text)
		*text = b;
	else
		free(b);
	return k;
}

START_TEST(test_dispatch)
{
	char path[700], acc[600], dir[600], planp[600];
	FILE *p, *a;
	size_t i, k;
	int rank = 1, rc;
	struct cx_msg_opts o;
	struct cx_msg_stats st;
	struct cx_error err;
	struct stat sb;
	char *txt;
	static const char *const names[] = { "sms.tsv", "whatsapp.tsv", "email.tsv", "calls.tsv",
		                             "ivr.tsv", "letter.tsv" };
	size_t want[CX_MSG_OUT_N] = { 0 };

	mktmp();
	snprintf(path, sizeof path, "%s/plan.tsv", tmpdir);
	snprintf(acc, sizeof acc, "%s/accounts.tsv", tmpdir);
	snprintf(dir, sizeof dir, "%s/out", tmpdir);
	ck_assert_ptr_nonnull(p = fopen(path, "w"));
	ck_assert_ptr_nonnull(a = fopen(acc, "w"));
	for (i = 0; cx_plan_columns[i]; i++)
		fprintf(p, "%s%s", i ? "\t" : "", cx_plan_columns[i]);
	fputc('\n', p);
	fputs("customer_key\taccount_id\tname\temail\tphone\tcountry\tlanguage\tcurrency\t"
	      "minimum_due\tdue_date\n", a);
	/* every shipped step, once for a Colombian (es) and a US (en) customer;
	 * keys are written out of plan order on purpose */
	for (k = 0; k < 2; k++)
		for (i = 0; i < NSHIP; i++) {
			char key[32];
			int kind = cx_msg_kind_index(shipped[i].ch, strlen(shipped[i].ch));
			snprintf(key, sizeof key, "c%04zx%012zx", k, NSHIP - i);
			plan_row(p, rank++, key, shipped[i].ch, shipped[i].id, k ? "USD" : "COP",
			         offer_for(shipped[i].id));
			fprintf(a, "%s\tA1\t%s\tx%zu@example.com\t+5730000%05zu\t%s\t%s\t%s\t250000.00\t"
			        "2026-11-22\n",
			        key, k ? "Mary Smith" : "Ana María Pérez", i, i, k ? "US" : "CO",
			        k ? "en" : "es", k ? "USD" : "COP");
			want[kind == CX_MK_CALL ? CX_MSG_OUT_CALLS : kind == CX_MK_IVR ? CX_MSG_OUT_IVR :
			     kind == CX_MK_LETTER ? CX_MSG_OUT_LETTER : kind]++;
		}
	/* rejects: an offer template without an offer; no phone; a channel with
	 * no dispatch file; a customer missing from the accounts; and a
	 * customer with no contact today (not a message, not a reject) */
	plan_row(p, rank++, "cr1", "whatsapp", "PLAN1", "COP", "");
	plan_row(p, rank++, "cr2", "sms", "STD1", "COP", "");
	plan_row(p, rank++, "cr3", "visit", "V1", "COP", "");
	plan_row(p, rank++, "cr4", "sms", "STD1", "COP", "");
	plan_row(p, rank++, "cr5", "", "", "COP", "");
	fputs("cr1\tA\tAna\t\t+573000000000\tCO\tes\tCOP\t1.00\t2026-11-22\n"
	      "cr2\tA\tAna\ta@b\t\tCO\tes\tCOP\t1.00\t2026-11-22\n"
	      "cr3\tA\tAna\ta@b\t+573000000000\tCO\tes\tCOP\t1.00\t2026-11-22\n"
	      "cr5\tA\tAna\ta@b\t+573000000000\tCO\tes\tCOP\t1.00\t2026-11-22\n", a);
	fclose(p);
	fclose(a);

	memset(&o, 0, sizeof o);
	snprintf(planp, sizeof planp, "%s/plan.tsv", tmpdir);
	o.plan = planp;
	o.accounts = acc;
	o.dir = dir;
	o.stats = &st;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &o.as_of), 0);
	cx_error_clear(&err);
	rc = cx_msg_dispatch(&o, &err);
	ck_assert_msg(rc == 0, "%s:%ld: %s", err.file, err.line, err.msg);
	ck_assert_uint_eq(st.planned, 2 * NSHIP + 4);
	ck_assert_uint_eq(st.rejected, 4);
	for (i = 0; i < CX_MSG_OUT_N; i++) {
		char f[700];
		ck_assert_uint_eq(st.written[i], want[i]);
		snprintf(f, sizeof f, "%s/%s", dir, names[i]);
		ck_assert_uint_eq(count_lines(f, &txt), st.written[i] + 1);
		ck_assert_msg(!strchr(txt, '{'), "%s: placeholder left", names[i]);
		ck_assert_int_eq(stat(f, &sb), 0);
		ck_assert_int_eq(sb.st_mode & 0777, 0600);
		free(txt);
	}
	snprintf(path, sizeof path, "%s/rejects.tsv", dir);
	ck_assert_uint_eq(count_lines(path, &txt), 5);
	ck_assert_ptr_nonnull(strstr(txt, "cr1\t65\tPLAN1\twhatsapp\tno value for '{first_due_date}' "
	                                  "(template 'PLAN1.whatsapp', es)\n"));
	ck_assert_ptr_nonnull(strstr(txt, "\tcr2\t66\tSTD1\tsms\tno phone for the customer\n"));
	ck_assert_ptr_nonnull(strstr(txt, "\tcr3\t67\tV1\tvisit\tno dispatch file for channel 'visit'\n"));
	ck_assert_ptr_nonnull(strstr(txt, "\tcr4\t68\tSTD1\tsms\tcustomer not in the accounts stream\n"));
	free(txt);
	/* sms rows: id, formats, encoding and segments; rank order */
	snprintf(path, sizeof path, "%s/sms.tsv", dir);
	count_lines(path, &txt);
	{
		char id[18];
		char key[32];
		snprintf(key, sizeof key, "c%04x%012zx", 0, NSHIP - 0);
		cx_msg_id(id, o.as_of, key, "PRE1");
		ck_assert_uint_eq(strlen(id), 17);
		ck_assert_int_eq(id[0], 'm');
		ck_assert_ptr_nonnull(strstr(txt, id));
		ck_assert_ptr_nonnull(strstr(txt, "\t2026-11-20\t"));
		ck_assert_ptr_nonnull(strstr(txt, "Hola Ana, su pago de $ 250.000 vence el 22 de "
		                                  "noviembre de 2026"));
		ck_assert_ptr_nonnull(strstr(txt, "your payment of $250,000.00 is due on November 22, 2026"));
		ck_assert_ptr_nonnull(strstr(txt, "\tgsm7\t"));
		ck_assert(strstr(txt, "PRE1") < strstr(txt, "SOFT1"));
	}
	free(txt);
	/* the call list carries the offer in words */
	snprintf(path, sizeof path, "%s/calls.tsv", dir);
	count_lines(path, &txt);
	ck_assert_ptr_nonnull(strstr(txt, "\t6 cuotas de $ 205.761,17, a partir del 25 de noviembre "
	                                  "de 2026\t"));
	ck_assert_ptr_nonnull(strstr(txt, "\tsettlement for $7,901,234.57 by November 25, 2026\t"));
	ck_assert_ptr_nonnull(strstr(txt, "\tdigital\t2026-11-20T08:00:00-05:00\t"
	                                  "2026-11-20T19:00:00-05:00\t\tLlamada de "));
	free(txt);
	snprintf(path, sizeof path, "%s/sms.tsv", dir);
	/* the same run again refuses to replace the files without force ... */
	ck_assert_int_lt(cx_msg_dispatch(&o, &err), 0);
	/* ... and with force and transliteration every SMS is GSM-7 */
	o.out_flags = CX_OUT_FORCE;
	o.sms_transliterate = 1;
	rc = cx_msg_dispatch(&o, &err);
	ck_assert_msg(rc == 0, "%s:%ld: %s", err.file, err.line, err.msg);
	count_lines(path, &txt);
	ck_assert_ptr_null(strstr(txt, "\tucs2\t"));
	free(txt);
	/* a limit of one segment rejects the longer messages, with a reason */
	o.sms_max_segments = 1;
	ck_assert_int_eq(cx_msg_dispatch(&o, &err), 0);
	ck_assert_uint_eq(st.written[CX_MSG_OUT_SMS], 0);
	snprintf(path, sizeof path, "%s/rejects.tsv", dir);
	count_lines(path, &txt);
	ck_assert_ptr_nonnull(strstr(txt, "segments (gsm7), over the limit of 1\n"));
	free(txt);
	tmp_teardown();
}
END_TEST

START_TEST(test_dispatch_errors)
{
	struct cx_msg_opts o;
	struct cx_error err;
	char plan[600], dir[600];
	mktmp();
	snprintf(plan, sizeof plan, "%s/plan.tsv", tmpdir);
	snprintf(dir, sizeof dir, "%s/out", tmpdir);
	put("plan.tsv", "customer_key\trank\n");
	memset(&o, 0, sizeof o);
	o.plan = plan;
	o.accounts = plan;
	o.dir = dir;
	cx_error_clear(&err);
	/* a plan without the plan's columns */
	ck_assert_int_eq(cx_msg_dispatch(&o, &err), CX_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "action"));
	/* nothing was published */
	ck_assert_int_ne(access(dir, F_OK), 0);
	o.dir = NULL;
	ck_assert_int_eq(cx_msg_dispatch(&o, &err), CX_EUSAGE);
	o.dir = dir;
	o.templates = "/nonexistent/templates";
	ck_assert_int_eq(cx_msg_dispatch(&o, &err), CX_ENOINPUT);
	tmp_teardown();
}
END_TEST

/* The canonical sample end to end: score, segment, plan, messages.  Every
 * planned contact is rendered or rejected for a reason that is not a
 * template problem (no missing value, no missing template). */
START_TEST(test_sample)
{
	char scored[600], seg[600], plan[600], dir[600], path[700];
	struct cx_score_opts so;
	struct cx_segment_opts go;
	struct cx_plan_opts po;
	struct cx_msg_opts o;
	struct cx_msg_stats st;
	struct cx_error err;
	size_t i, sum = 0;
	char *txt;
	int rc;
	mktmp();
	snprintf(scored, sizeof scored, "%s/scored.tsv", tmpdir);
	snprintf(seg, sizeof seg, "%s/seg.tsv", tmpdir);
	snprintf(plan, sizeof plan, "%s/plan.tsv", tmpdir);
	snprintf(dir, sizeof dir, "%s/out", tmpdir);
	cx_error_clear(&err);
	memset(&so, 0, sizeof so);
	so.mode = CX_SCORE_APPLY;
	so.input = CX_SRCDIR "/testdata/canonical/accounts.tsv";
	so.output = scored;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &so.as_of), 0);
	so.has_as_of = 1;
	rc = cx_score_run(&so, &err);
	ck_assert_msg(rc == 0, "score: %s", err.msg);
	memset(&go, 0, sizeof go);
	go.input = scored;
	go.output = seg;
	go.as_of = so.as_of;
	rc = cx_segment_run(&go, NULL, &err);
	ck_assert_msg(rc == 0, "segment: %s", err.msg);
	memset(&po, 0, sizeof po);
	po.input = seg;
	po.output = plan;
	po.contacts = CX_SRCDIR "/testdata/canonical/contacts.tsv";
	po.payments = CX_SRCDIR "/testdata/canonical/payments.tsv";
	po.as_of = so.as_of;
	rc = cx_plan_run(&po, NULL, &err);
	ck_assert_msg(rc == 0, "plan: %s", err.msg);
	memset(&o, 0, sizeof o);
	o.plan = plan;
	o.accounts = seg;
	o.dir = dir;
	o.as_of = so.as_of;
	o.stats = &st;
	rc = cx_msg_dispatch(&o, &err);
	ck_assert_msg(rc == 0, "%s:%ld: %s", err.file, err.line, err.msg);
	ck_assert_uint_ge(st.planned, 5);
	for (i = 0; i < CX_MSG_OUT_N; i++)
		sum += st.written[i];
	ck_assert_uint_eq(sum + st.rejected, st.planned);
	snprintf(path, sizeof path, "%s/rejects.tsv", dir);
	count_lines(path, &txt);
	ck_assert_msg(!strstr(txt, "no value") && !strstr(txt, "no template"), "%s", txt);
	free(txt);
	/* out of memory at every allocation: a clean CX_ENOMEM, nothing else */
	{
		long before = cx_mem_count(), total, n;
		o.out_flags = CX_OUT_FORCE;
		ck_assert_int_eq(cx_msg_dispatch(&o, &err), 0);
		total = cx_mem_count() - before;
		for (n = 1; n <= total; n += getenv("CX_VALGRIND") ? 37 : 1) {
			cx_mem_fail_after(n);
			rc = cx_msg_dispatch(&o, &err);
			cx_mem_fail_after(0);
			if (rc == 0)
				break;
			ck_assert_msg(rc == CX_ENOMEM, "allocation %ld: %d %s", n, rc, err.msg);
		}
		ck_assert_int_eq(cx_msg_dispatch(&o, &err), 0);
		snprintf(path, sizeof path, "%s/sms.tsv", dir);
		ck_assert_uint_eq(count_lines(path, NULL), st.written[CX_MSG_OUT_SMS] + 1);
	}
	tmp_teardown();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_embedded_equal);
	tcase_add_test(tc, test_ladders_covered);
	tcase_add_test(tc, test_render_all);
	tcase_add_loop_test(tc, test_sms_count, 0, sizeof sms_cases / sizeof sms_cases[0]);
	tcase_add_test(tc, test_sms_split);
	tcase_add_test(tc, test_gsm_tables);
	tcase_add_test(tc, test_transliterate);
	tcase_add_loop_test(tc, test_money, 0, sizeof money_cases / sizeof money_cases[0]);
	tcase_add_test(tc, test_dates);
	tcase_add_loop_test(tc, test_tpl_errors, 0, sizeof tpl_bad / sizeof tpl_bad[0]);
	tcase_add_test(tc, test_tpl_render);
	tcase_add_loop_test(tc, test_dir_errors, 0, sizeof dir_bad / sizeof dir_bad[0]);
	tcase_add_test(tc, test_creditor_lookup);
	tcase_add_test(tc, test_dispatch);
	tcase_add_test(tc, test_dispatch_errors);
	tcase_add_test(tc, test_sample);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
