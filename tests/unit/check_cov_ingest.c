/* cx_ingest_run through its options and odd inputs: every kind, TSV and
 * CSV dialects, cp1252 and decimal commas, day-first dates, default
 * country/currency/source, --tz-offset, --link modes, buckets, reject
 * budget and limits, pseudonyms, column maps, refusing to overwrite or to
 * write over an input, unknown accounts, bad customer keys, and the
 * helpers (buckets, links, source names, preferred hours).  Each run must
 * end in 0 with a balanced ledger or a clean error code. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_colmap.h"
#include "cx_identity.h"
#include "cx_ingest.h"
#include "cx_mem.h"
#include "cx_pseudo.h"
#include "cx_test.h"
#include "cx_utf8.h"

static const char *ins[4];
static long rejects_seen;

static void
on_reject(void *ctx, const char *file, long line, const char *reason)
{
	(void)ctx;
	ck_assert(file && *file && line > 0 && reason && *reason);
	rejects_seen++;
}

static void
opts(struct cx_ingest_opts *o, enum cx_kind kind, const char *in)
{
	cx_ingest_opts_init(o);
	o->kind = kind;
	ins[0] = in;
	o->inputs = ins;
	o->ninputs = 1;
	o->output = P("out.tsv");
	o->rejects = P("rej.tsv");
	o->ledger = P("led.tsv");
	o->force = 1;
	o->tmpdir = tmpdir;
	o->on_reject = on_reject;
	ck_assert_int_eq(cx_day_from_ymd(2026, 11, 20, &o->as_of), 0);
}

static int
run(const struct cx_ingest_opts *o, struct cx_ingest_result *res, struct cx_error *err)
{
	int rc;
	memset(res, 0, sizeof *res);
	cx_error_clear(err);
	rc = cx_ingest_run(o, res, err);
	if (rc == 0)
		ck_assert_uint_eq(res->rows_in, res->rows_out + res->rows_rejected +
		                  res->rows_duplicate + res->rows_blank);
	else
		ck_assert_msg(err->msg[0], "no message for %d", rc);
	cx_ledger_free(res->ledger);
	res->ledger = NULL;
	return rc;
}

static const char accounts_csv[] =
	"account_id;source;name;national_id;email;phone;country;timezone;language;product;"
	"currency;balance;past_due;minimum_due;credit_limit;due_date;days_past_due;bucket;"
	"open_date;last_payment_date;last_payment_amount;flags;consents;preferred_channel;"
	"preferred_hours\n"
	"A1;bank;Ana Rojas;1.020.304.050;ANA@X.CO;300 123 4567;Colombia;;espa\xf1ol;card;COP;"
	"1.500,25;100,00;50,00;2.000,00;10/11/2026;;;01/01/2020;01/10/2026;10,00;disputa;"
	"sms|correo;llamada;8am-5pm\n"
	"A2;bank;Jo\xe3o Silva;;jo@x.com.br;11 91234 5678;BR;America/Sao_Paulo;portugu\xeas;LOAN;"
	"BRL;10,00;0,00;;;;5;;;;;;;;08:00 a 17:30\n"
	"A3;bank;Bob;123-45-6789;bob@x.us;(212) 555-0100;US;;ingl\xe9s;card;USD;5,00;;;;"
	"25/12/2026;;;;;;;whatsapp;9h-18h\n"
	"A4;bank;Mia;;;;ES;;;card;;1,00;;;;;200;;;;;quiebra;none;wa;14:00\x96" "18:00\n"
	"A5;bank;Neg;;;;MX;;;card;MXN;-5,00;;;;;;;;;;;;;8 to 17\n"
	"A6;bank;Old;;;;MX;;;card;MXN;5,00;;;;01/01/1850;;;;;;;;;\n"
	"A7;bank;Fut;;;;MX;;;card;MXN;5,00;;;;;;;;30/12/2026;;;;;\n"
	"A8;bank;BadHours;;;;PE;;;card;PEN;5,00;;;;;12;;;;;;;;13pm-2am\n"
	"A9;bank;NoCur;;;;CL;;;card;;7,00;;;;;400;;;;;;;;12pm-1pm\n"
	"A10;bank;Bad;;not-an-email;123;XX;Mars/Base;klingon;;ZZZ;abc;;;;31/02/2026;-4;;;;;"
	"weird;fax;pigeon;noon\n";

START_TEST(accounts_dialects_and_defaults)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	const char *in = put("Cartera_ES.csv", accounts_csv);

	opts(&o, CX_KIND_ACCOUNTS, in);
	o.encoding = CX_ENC_CP1252;
	o.decimal_comma = 1;
	o.date_order = CX_DATE_DMY;
	o.country = "CO";
	o.currency = "CLP";
	ck_assert_int_eq(cx_ingest_parse_buckets(&o, "10,100,365"), 0);
	o.link = CX_LINK_ID | CX_LINK_EMAIL | CX_LINK_PHONE;
	rejects_seen = 0;
	ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(res.rows_out, 3);
	ck_assert_uint_gt(res.rows_rejected, 0);
	ck_assert_int_eq(rejects_seen, (long)res.rows_rejected);
	/* the same with a reject budget of zero: finished but over budget */
	o.max_rejects = 0;
	ck_assert_int_eq(run(&o, &res, &err), 0);
	ck_assert_int_eq(res.over_budget, 1);
	o.max_rejects = -1;
	/* source from the option; no country default; links off */
	o.source = "override";
	o.country = NULL;
	o.currency = NULL;
	o.link = 0;
	o.nbuckets = 0;
	ck_assert_int_eq(run(&o, &res, &err), 0);
	/* rejects only on stderr (callback), no ledger file */
	o.rejects = NULL;
	o.ledger = NULL;
	ck_assert_int_eq(run(&o, &res, &err), 0);
	/* without --as-of: days past due cannot be derived from due dates */
	o.as_of = CX_DAY_NONE;
	ck_assert_int_eq(run(&o, &res, &err), 0);
}
END_TEST

START_TEST(limits_and_refusals)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	const char *in = put("cards.csv", "account_id,name,balance,currency\nA1,Ana,1.00,USD\n"
	                     "A2,Bo,2.00,USD\nA3,Cy,3.00,USD\n");
	int rc;

	opts(&o, CX_KIND_ACCOUNTS, in);
	o.max_field_bytes = 2;
	rc = run(&o, &res, &err);
	ck_assert(rc < 0 || res.rows_rejected > 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.max_record_bytes = 8;
	rc = run(&o, &res, &err);
	ck_assert(rc < 0 || res.rows_rejected > 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.max_columns = 2;
	ck_assert_int_lt(run(&o, &res, &err), 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.max_input_bytes = 10;
	ck_assert_int_lt(run(&o, &res, &err), 0);
	/* existing output without force */
	opts(&o, CX_KIND_ACCOUNTS, in);
	ck_assert_int_eq(run(&o, &res, &err), 0);
	o.force = 0;
	ck_assert_int_lt(run(&o, &res, &err), 0);
	/* output over an input */
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.output = in;
	ck_assert_int_lt(run(&o, &res, &err), 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.ledger = in;
	ck_assert_int_lt(run(&o, &res, &err), 0);
	/* missing input, directory as input, output in a missing directory */
	opts(&o, CX_KIND_ACCOUNTS, P("nope.csv"));
	ck_assert_int_eq(run(&o, &res, &err), CX_ENOINPUT);
	opts(&o, CX_KIND_ACCOUNTS, tmpdir);
	ck_assert_int_lt(run(&o, &res, &err), 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.output = P("no/such/dir/out.tsv");
	ck_assert_int_lt(run(&o, &res, &err), 0);
	/* events without an accounts stream, and with a missing one */
	opts(&o, CX_KIND_PAYMENTS, in);
	ck_assert_int_lt(run(&o, &res, &err), 0);
	o.accounts = P("missing.tsv");
	ck_assert_int_lt(run(&o, &res, &err), 0);
	/* a header-only file and an empty file */
	opts(&o, CX_KIND_ACCOUNTS, put("h.csv", "account_id,balance,currency\n"));
	ck_assert_int_eq(run(&o, &res, &err), 0);
	opts(&o, CX_KIND_ACCOUNTS, put("e.csv", ""));
	ck_assert_int_lt(run(&o, &res, &err), 0);
}
END_TEST

START_TEST(events_and_tables)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	const char *acc = put("acc.csv", "account_id\tsource\tname\tbalance\tcurrency\tcountry\n"
	                      "A1\tbank\tAna\t10.00\tUSD\tUS\nA2\tbank\tBo\t20.00\tCOP\tCO\n"
	                      "A3\tshop\tCy\t30.00\tMXN\tMX\n");
	char accounts[160];

	opts(&o, CX_KIND_ACCOUNTS, acc);
	o.tsv = 1;
	snprintf(accounts, sizeof accounts, "%s", P("accounts.tsv"));
	o.output = accounts;
	ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);

	opts(&o, CX_KIND_PAYMENTS, put("pay.csv",
	     "account_id,source,date,amount,currency,method\n"
	     "A1,bank,2026-11-01,5.00,USD,Cash\nA1,bank,2026-11-01,5.00,USD,Cash\n"
	     "A2,bank,2026-11-02,-3.00,COP,transfer\nA9,bank,2026-11-02,1.00,USD,cash\n"
	     "A3,shop,2026-12-25,1.00,MXN,card\nA3,shop,1899-01-01,1.00,MXN,card\n"
	     "A3,shop,2026-11-03,1.00,,card\nA3,shop,2026-11-03,x,MXN,card\n"
	     "A1,,2026-11-03,1.00,USD,Tarjeta de Cr\xc3\xa9" "dito\n"));
	o.accounts = accounts;
	ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(res.rows_rejected, 2);
	ck_assert_uint_eq(res.rows_duplicate, 1);
	o.memory = 1024;   /* spill */
	ck_assert_int_eq(run(&o, &res, &err), 0);

	opts(&o, CX_KIND_CONTACTS, put("con.csv",
	     "account_id,timestamp,channel,direction,outcome,agent,promise_amount,promise_date,currency\n"
	     "A1,2026-11-01T10:00:00-05:00,sms,out,delivered,sys,,,\n"
	     "A1,2026-11-01 10:00:00,llamada,saliente,promesa de pago,ag,5.00,2026-11-05,USD\n"
	     "A2,2026-11-01T10:00:00,correo,entrante,no contesta,,,,\n"
	     "A2,2026-13-01T10:00:00Z,sms,out,delivered,,,,\n"
	     "A2,2026-11-01T10:00:00Z,fax,out,delivered,,,,\n"
	     "A2,2026-11-01T10:00:00Z,sms,sideways,delivered,,,,\n"
	     "A2,2026-11-01T10:00:00Z,sms,out,exploded,,,,\n"
	     "A3,2026-12-01T10:00:00Z,sms,out,delivered,,,,\n"
	     "A3,2026-11-01T10:00:00Z,sms,out,promise,,abc,2026-11-09,MXN\n"));
	o.accounts = accounts;
	ck_assert_int_eq(run(&o, &res, &err), 0);
	o.tz_offset_min = -300;
	ck_assert_int_eq(run(&o, &res, &err), 0);

	opts(&o, CX_KIND_STATEMENTS, put("stm.csv",
	     "account_id,statement_date,balance,minimum_due,amount_paid,days_past_due,currency\n"
	     "A1,2026-10-01,10.00,1.00,0.00,0,USD\nA1,2026-10-01,10.00,1.00,0.00,0,USD\n"
	     "A2,2026-10-01,10.00,,,,COP\nA2,2026-10-01,11.00,,,,COP\n"
	     "A3,2026-10-01,x,,,,MXN\nA3,2026-10-01,1.00,,,-2,MXN\n"));
	o.accounts = accounts;
	ck_assert_int_eq(run(&o, &res, &err), 0);

	/* a table: any columns, passed through (two inputs) */
	opts(&o, CX_KIND_TABLE, P("con.csv"));
	ins[1] = P("stm.csv");
	o.ninputs = 2;
	ck_assert_int_lt(run(&o, &res, &err), 0);   /* different headers */
	o.ninputs = 1;
	ck_assert_int_eq(run(&o, &res, &err), 0);
}
END_TEST

START_TEST(pseudonyms_and_maps)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	struct cx_pseudo *ps = NULL;
	struct cx_colmap_spec map;
	static const char key[] = "0123456789abcdef0123456789abcdef-test-key";
	const char *in = put("raw.csv", "cuenta,doc,mail,cel,saldo,moneda,pais\n"
	                     "A1,1020304050,ana@x.co,3001234567,1.00,COP,CO\n"
	                     "A2,1020304050,ANA@X.CO,300 123 4567,2.00,COP,CO\n"
	                     "A3,,bo@x.co,,3.00,COP,CO\n");

	ck_assert_int_eq(cx_pseudo_from_key(&ps, key, sizeof key - 1, &err), 0);
	cx_colmap_spec_init(&map);
	ck_assert_int_eq(cx_colmap_spec_parse(&map, "account_id=cuenta,national_id=doc,email=mail,"
	                                      "phone=cel,balance=saldo,currency=moneda,country=pais",
	                                      "map", 0, &err), 0);
	opts(&o, CX_KIND_ACCOUNTS, in);
	o.map = &map;
	o.pseudo = ps;
	o.link = CX_LINK_ID | CX_LINK_EMAIL;
	ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(res.customers_out, 2);
	o.pseudo = NULL;
	ck_assert_int_eq(run(&o, &res, &err), 0);
	cx_colmap_spec_free(&map);
	cx_pseudo_free(ps);
}
END_TEST

START_TEST(helpers)
{
	struct cx_ingest_opts o;
	unsigned m;
	char buf[64];
	static const char *const badb[] = { "-1", "30,20", "0", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
	                                    "36501", "30;60", "30,,60", "30x" };
	static const char *const hours[] = { "9am-5pm", "12pm-1pm", "12am-6am", "9 am - 5 pm",
	                                     "13pm-2pm", "0am-5am", "8.30-17h", "8h30-17h", "8 a 17",
	                                     "8 to 17", "8 TO 17", "08:00\xe2\x80\x93" "17:00",
	                                     "24:00-25:00", "08:00-24:00", "8:60-9", "8-8", "8:0-9",
	                                     "8--9", "-9", "8-", "8:00-17:00x", "123-456", "8 - 17" };
	cx_ingest_opts_init(&o);
	for (size_t i = 0; i < sizeof badb / sizeof *badb; i++)
		ck_assert_msg(cx_ingest_parse_buckets(&o, badb[i]) < 0, "%s", badb[i]);
	ck_assert_int_eq(cx_ingest_parse_buckets(&o, "1,36500"), 0);
	ck_assert_uint_eq(cx_ingest_bucket(&o, 36500, buf), strlen(buf));
	ck_assert_int_eq(cx_ingest_parse_link("email,phone,id,none", &m), 0);
	ck_assert_int_eq(cx_ingest_parse_link("phone", &m), 0);
	ck_assert_uint_eq(m, CX_LINK_PHONE);
	ck_assert_int_lt(cx_ingest_parse_link(",id", &m), 0);
	ck_assert_int_lt(cx_ingest_parse_link("emails", &m), 0);
	cx_ingest_source_from_path(NULL, buf, sizeof buf);
	ck_assert_str_eq(buf, "stdin");
	cx_ingest_source_from_path("/a/B\xc3\xa1nco Pa\xc3\xads.csv", buf, sizeof buf);
	ck_assert_uint_gt(strlen(buf), 0);
	cx_ingest_source_from_path("/a/VERY-long-name-of-a-bank-export-that-goes-on.csv", buf, 8);
	ck_assert_uint_eq(strlen(buf), 7);
	cx_ingest_source_from_path("dir/", buf, sizeof buf);
	for (size_t i = 0; i < sizeof hours / sizeof *hours; i++) {
		char out[16];
		int r = cx_ingest_norm_hours(hours[i], strlen(hours[i]), out);
		ck_assert(r < 0 || (r == 11 && out[2] == ':' && out[5] == '-'));
	}
	ck_assert_int_lt(cx_ingest_norm_outcome("x", 0), 0);
	ck_assert_int_lt(cx_ingest_norm_direction("", 0), 0);
}
END_TEST

/* The --accounts table of the event join: thousands of accounts (the
 * table fills well past its first size, so probes collide), short ids
 * kept in the table and long ones beside it, ids in two sources, read
 * from accounts streams whose wanted columns are in another order, among
 * extra columns, past the columns the fast reader looks at, with escapes
 * in the skipped columns, or without a source column: every joined row
 * gets its account's customer key, and the outputs are the same bytes.
 * Broken accounts streams fail with the TSV reader's own messages. */
#define JOIN_N 30000

static void
join_id(char *b, size_t n, int i)
{
	if (i % 4 == 0)
		snprintf(b, n, "LONG-ACCOUNT-IDENTIFIER-%06d", i);   /* > 15 bytes */
	else
		snprintf(b, n, "A%d", i);
}

static void
join_key(char *b, size_t n, int i)
{
	/* three accounts per customer; keys far apart in the table */
	snprintf(b, n, "c%016llx", (unsigned long long)(i / 3 + 1) * 0x9e3779b97f4a7c15ull);
}

static int
join_by_key(const void *a, const void *b)
{
	char ka[32], kb[32];
	join_key(ka, sizeof ka, *(const int *)a);
	join_key(kb, sizeof kb, *(const int *)b);
	return strcmp(ka, kb);
}

/* Accounts stream with columns in the order of layout: 0 canonical, 1
 * other order with extra columns and escapes in a skipped one, 2 the key
 * columns past 40 others, 3 no source column, 4 canonical and in customer
 * key order (as cx-ingest writes it: the sort key then also orders the
 * accounts of a customer, see struct amap). */
static const char *
join_accounts(const char *name, int layout)
{
	size_t cap = (size_t)JOIN_N * 400 + 4096, o = 0;
	char *b = malloc(cap), id[64], key[32];
	const char *path;
	int i, k, ord[JOIN_N], r;

	ck_assert_ptr_nonnull(b);
	for (i = 0; i < JOIN_N; i++)
		ord[i] = i;
	if (layout == 4)
		qsort(ord, JOIN_N, sizeof ord[0], join_by_key);
	if (layout == 0 || layout == 4)
		o += (size_t)snprintf(b + o, cap - o, "customer_key\taccount_id\tsource\tname\n");
	else if (layout == 1)
		o += (size_t)snprintf(b + o, cap - o, "name\tsource\tx\taccount_id\tcustomer_key\ty\n");
	else if (layout == 2) {
		for (k = 0; k < 40; k++)
			o += (size_t)snprintf(b + o, cap - o, "f%d\t", k);
		o += (size_t)snprintf(b + o, cap - o, "source\taccount_id\tcustomer_key\n");
	} else
		o += (size_t)snprintf(b + o, cap - o, "account_id\tcustomer_key\n");
	for (r = 0; r < JOIN_N; r++) {
		const char *src;
		i = ord[r];
		src = i % 2 ? "cards" : "loans";
		join_id(id, sizeof id, i);
		join_key(key, sizeof key, i);
		if (layout == 0 || layout == 4)
			o += (size_t)snprintf(b + o, cap - o, "%s\t%s\t%s\tN%d\n", key, id, src, i);
		else if (layout == 1)
			o += (size_t)snprintf(b + o, cap - o, "%s\t%s\t\t%s\t%s\t%d\n",
			                      i % 5 ? "Ana" : "A\\tb\\\\c", src, id, key, i);
		else if (layout == 2) {
			for (k = 0; k < 40; k++)
				o += (size_t)snprintf(b + o, cap - o, "%d\t", k);
			o += (size_t)snprintf(b + o, cap - o, "%s\t%s\t%s\n", src, id, key);
		} else
			o += (size_t)snprintf(b + o, cap - o, "%s\t%s\n", id, key);
	}
	ck_assert_uint_lt(o, cap);
	path = put_n(name, b, o);
	free(b);
	return path;
}

START_TEST(event_join_accounts_table)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	size_t cap = (size_t)JOIN_N * 200 + 4096, n = 0, cn = 0, len[6];
	char *pay = malloc(cap), *con = malloc(cap), id[64], key[32], accs[6][64], *out[6];
	char *cout[2];
	const char *line;
	int i, layout, rows, extra = 0;

	ck_assert_ptr_nonnull(pay);
	ck_assert_ptr_nonnull(con);
	n += (size_t)snprintf(pay + n, cap - n, "account_id,date,amount,currency,method\n");
	cn += (size_t)snprintf(con + cn, cap - cn, "account_id,timestamp,channel,direction,"
	                       "outcome,agent,promise_amount,promise_date,currency\n");
	for (i = JOIN_N + 9; i >= 0; i--) {   /* the last ten are unknown */
		join_id(id, sizeof id, i);
		n += (size_t)snprintf(pay + n, cap - n, "%s,2026-11-%02d,%d.00,USD,cash\n", id,
		                      i % 20 + 1, i % 90 + 1);
		if (i % 7 == 0 && i < JOIN_N) {
			/* same account: the same day (the line decides) and earlier */
			n += (size_t)snprintf(pay + n, cap - n, "%s,2026-11-%02d,%d.50,USD,card\n"
			                      "%s,1999-01-01,1.00,USD,cash\n", id, i % 20 + 1,
			                      i % 90, id);
			extra += 2;
		}
		cn += (size_t)snprintf(con + cn, cap - cn, "%s,2026-11-0%dT%02d:00:00%s,sms,out,"
		                       "delivered,,,,\n%s,1950-01-01T00:00:00Z,call,out,promise,"
		                       "ag,5.00,1950-01-02,USD\n", id, i % 9 + 1, i % 24,
		                       i % 2 ? "Z" : "-05:00", id);
	}
	put_n("pay.csv", pay, n);
	put_n("con.csv", con, cn);
	free(pay);
	free(con);
	for (layout = 0; layout < 6; layout++) {
		char name[32];
		snprintf(name, sizeof name, "acc%d.tsv", layout);
		if (layout == 5) {
			/* gzip: the table outgrows its size from the file's */
			sh("gzip -c acc4.tsv > acc5.tsv");
			snprintf(accs[layout], sizeof accs[layout], "%s", P(name));
		} else
			snprintf(accs[layout], sizeof accs[layout], "%s",
			         join_accounts(name, layout));
		opts(&o, CX_KIND_PAYMENTS, P("pay.csv"));
		o.accounts = accs[layout];
		ck_assert_msg(run(&o, &res, &err) == 0, "layout %d: %s", layout, err.msg);
		ck_assert_uint_eq(res.rows_out, JOIN_N + extra);
		ck_assert_uint_eq(res.rows_rejected, 10);
		out[layout] = slurp(P("out.tsv"), &len[layout]);
		/* each row has its account's key */
		rows = 0;
		for (line = strchr(out[layout], '\n') + 1; *line; line = strchr(line, '\n') + 1) {
			const char *acc = line + 18, *t = strchr(acc, '\t');
			ck_assert_ptr_nonnull(t);
			i = (int)strtol(acc + (acc[0] == 'A' ? 1 : 24), NULL, 10);
			ck_assert_int_lt(i, JOIN_N);
			join_key(key, sizeof key, i);
			join_id(id, sizeof id, i);
			ck_assert_msg(memcmp(line, key, 17) == 0 && strlen(id) == (size_t)(t - acc) &&
			              memcmp(acc, id, strlen(id)) == 0, "layout %d row %d", layout, rows);
			rows++;
		}
		ck_assert_int_eq(rows, JOIN_N + extra);
		if (layout > 0) {
			ck_assert_uint_eq(len[layout], len[0]);
			ck_assert(memcmp(out[layout], out[0], len[0]) == 0);
		}
	}
	/* contacts (sort times in seconds) in the same order either way */
	for (i = 0; i < 2; i++) {
		opts(&o, CX_KIND_CONTACTS, P("con.csv"));
		o.accounts = accs[i ? 4 : 0];
		ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(res.rows_out, 2 * JOIN_N);
		cout[i] = slurp(P("out.tsv"), &len[i]);
	}
	ck_assert_uint_eq(len[0], len[1]);
	ck_assert(memcmp(cout[0], cout[1], len[0]) == 0);
	free(cout[0]);
	free(cout[1]);
	/* with --source: only the rows of that source are found */
	opts(&o, CX_KIND_PAYMENTS, P("pay.csv"));
	o.accounts = accs[1];
	o.source = "cards";
	ck_assert_int_eq(run(&o, &res, &err), 0);
	for (i = 1, rows = 0; i < JOIN_N; i += 2)
		rows += i % 7 ? 1 : 3;
	ck_assert_uint_eq(res.rows_out, (unsigned)rows);
	for (i = 0; i < 6; i++)
		free(out[i]);
}
END_TEST

START_TEST(event_join_accounts_errors)
{
	static const struct { const char *acc, *why; } t[] = {
		{ "name\taccount_id\tcustomer_key\nAna\tA1\tc0000000000000001\nBo\tA2\n",
		  "expected 3 fields, got 2" },
		{ "name\taccount_id\tcustomer_key\nAna\tA1\tc0000000000000001\tx\n",
		  "expected 3 fields, got more" },
		{ "customer_key\taccount_id\tname\nc0000000000000001\tA1\tA\\xb\n",
		  "invalid escape" },
		{ "customer_key\taccount_id\tname\nc0000000000000001\tA1\tAna\r\n",
		  "carriage return" },
		{ "customer_key\tsource\tname\nc0000000000000001\tcards\tAna\n",
		  "missing required column" },
		{ "customer_key\taccount_id\tname\nc000000000000000G\tA1\tAna\n",
		  "bad customer_key" },
		{ "customer_key\taccount_id\tcustomer_key\nc0000000000000001\tA1\tAna\n",
		  "duplicate column name" },
		{ "", "empty input" },
	};
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	size_t i;

	put("p.csv", "account_id,date,amount,currency,method\nA1,2026-11-01,1.00,USD,cash\n");
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		opts(&o, CX_KIND_PAYMENTS, P("p.csv"));
		o.accounts = put("bad.tsv", t[i].acc);
		ck_assert_int_lt(run(&o, &res, &err), 0);
		ck_assert_msg(strstr(err.msg, t[i].why) != NULL, "%zu: %s", i, err.msg);
	}
}
END_TEST

/* Contact timestamps are written as cx_timestamp_format writes what
 * cx_timestamp_parse read, whether or not the input was already in that
 * form (which is copied as it is). */
START_TEST(contact_timestamps)
{
	static const char *const ts[] = {
		"2026-11-01T10:00:00-05:00", "2026-11-01T23:59:59+05:30", "2026-11-01T00:00:00-00:00",
		"2026-11-01T10:00:00+00:00", "2026-11-01T10:00:00Z", "2026-11-01T10:00:00z",
		"2026-11-01t10:00:00Z", "2026-11-01 10:00:00+01:00", "2026-11-01T10:00:00.5+01:00",
		"2026-11-01T10:00-05:00", "2026-11-01T10:00:00+0100", "2026-11-01T10:00:00+01",
		"1999-12-31T23:30:00-18:00", "2026-01-01T00:10:00+14:00", "2026-11-01T10:00:00-05:45",
	};
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	char in[4096], acc[1024], *out, *line;
	size_t n = 0, i;

	n += (size_t)snprintf(in + n, sizeof in - n, "account_id,timestamp,channel,direction,"
	                      "outcome,agent,promise_amount,promise_date,currency\n");
	for (i = 0; i < sizeof ts / sizeof ts[0]; i++)
		n += (size_t)snprintf(in + n, sizeof in - n, "T%02zu,%s,sms,out,delivered,,,,\n",
		                      i, ts[i]);
	put("ts.csv", in);
	n = 0;
	n += (size_t)snprintf(acc + n, sizeof acc - n, "customer_key\taccount_id\n");
	for (i = 0; i < sizeof ts / sizeof ts[0]; i++)
		n += (size_t)snprintf(acc + n, sizeof acc - n, "c%016zx\tT%02zu\n", i + 1, i);
	opts(&o, CX_KIND_CONTACTS, P("ts.csv"));
	o.accounts = put("tsacc.tsv", acc);
	ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(res.rows_out, sizeof ts / sizeof ts[0]);
	out = slurp(P("out.tsv"), NULL);
	for (line = strchr(out, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		char want[32];
		const char *t = line + 18 + 4;   /* key, tab, "Tnn", tab */
		int64_t utc;
		int off;
		i = (size_t)strtol(line + 19, NULL, 10);
		ck_assert_int_eq(cx_timestamp_parse(ts[i], strlen(ts[i]), CX_NO_OFFSET, &utc, &off,
		                                    NULL), 0);
		want[cx_timestamp_format(want, utc, off)] = '\0';
		ck_assert_msg(strncmp(t, want, strlen(want)) == 0 && t[strlen(want)] == '\t',
		              "%s: %.30s, want %s", ts[i], t, want);
	}
	free(out);
}
END_TEST

/* Ids in several sources among many others: one customer's is found,
 * two customers' is ambiguous unless --source picks one (the entries of
 * such an id are all looked at; any other id stops at its one entry). */
START_TEST(event_join_ids_in_several_sources)
{
	struct cx_ingest_opts o;
	struct cx_ingest_result res;
	struct cx_error err;
	size_t cap = 200000, n = 0, pn = 0;
	char *acc = malloc(cap), *pay = malloc(cap);
	int i, ordered;

	ck_assert_ptr_nonnull(acc);
	ck_assert_ptr_nonnull(pay);
	pn += (size_t)snprintf(pay + pn, cap - pn, "account_id,date,amount,currency,method\n");
	for (i = 0; i < 2040; i++)
		pn += (size_t)snprintf(pay + pn, cap - pn, "%s%d,2026-11-01,1.00,USD,cash\n",
		                       i % 3 ? "M" : "MULTI-SOURCE-LONG-ID-", i);
	put_n("mpay.csv", pay, pn);
	for (ordered = 0; ordered < 2; ordered++) {
		n = 0;
		n += (size_t)snprintf(acc + n, cap - n, "customer_key\taccount_id\tsource\n");
		/* ids 0..1999 once; 2000..2019 in cards and loans of one customer;
		 * 2020..2039 in cards and loans of two (keys in order when ordered) */
		for (i = 0; i < 2040; i++) {
			const char *pre = i % 3 ? "M" : "MULTI-SOURCE-LONG-ID-";
			unsigned long long k = ordered ? (unsigned long long)i * 4 + 1
			                               : (unsigned long long)(2040 - i) * 4 + 1;
			n += (size_t)snprintf(acc + n, cap - n, "c%016llx\t%s%d\tcards\n", k, pre, i);
			if (i >= 2000)
				n += (size_t)snprintf(acc + n, cap - n, "c%016llx\t%s%d\tloans\n",
				                      i >= 2020 ? k + (ordered ? 2 : 0) + 1 : k, pre, i);
		}
		opts(&o, CX_KIND_PAYMENTS, P("mpay.csv"));
		o.accounts = put_n("macc.tsv", acc, n);
		ck_assert_msg(run(&o, &res, &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(res.rows_out, 2020);
		ck_assert_uint_eq(res.rows_rejected, 20);
		o.source = "loans";
		ck_assert_int_eq(run(&o, &res, &err), 0);
		ck_assert_uint_eq(res.rows_out, 40);
		o.source = "cards";
		ck_assert_int_eq(run(&o, &res, &err), 0);
		ck_assert_uint_eq(res.rows_out, 2040);
	}
	free(acc);
	free(pay);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cov_ingest");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);   /* the 30000-account join under ASan on a busy machine */
	tcase_add_test(tc, accounts_dialects_and_defaults);
	tcase_add_test(tc, limits_and_refusals);
	tcase_add_test(tc, events_and_tables);
	tcase_add_test(tc, pseudonyms_and_maps);
	tcase_add_test(tc, helpers);
	tcase_add_test(tc, event_join_accounts_table);
	tcase_add_test(tc, event_join_accounts_errors);
	tcase_add_test(tc, contact_timestamps);
	tcase_add_test(tc, event_join_ids_in_several_sources);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
