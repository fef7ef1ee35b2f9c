/* cx_msg — dispatch files from a day's plan (cx_msg.h, cx-templates(5)).
 *
 * The plan is read once and its contact rows (one per customer, compact)
 * are kept in memory keyed by customer_key; the accounts stream is then
 * read once and each row is folded into its customer's entry (first name,
 * email, phone, country, language, oldest due date, minimum due per
 * currency).  Messages are rendered in plan rank order. */
#include "cx_msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cx_hash.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_tsv.h"

#define MAX_CUR 4

enum { P_KEY, P_RANK, P_ACTION, P_CHANNEL, P_WS, P_WE, P_QUEUE, P_OFFER, P_INST, P_INSTAMT,
       P_FDD, P_SETTLE, P_PD, P_BAL, P_DPD, P_TPL, P_N };
static const char *const plan_cols[P_N] = {
	"customer_key", "rank", "action", "channel", "window_start", "window_end", "queue",
	"offer_type", "instalments", "instalment_amount", "first_due_date", "settlement_amount",
	"past_due", "balance", "worst_dpd", "template"
};

struct ent {
	char *f[P_N];         /* plan fields, in one allocation at f[0] (owned) */
	long rank;            /* f[P_RANK], parsed once for the sort */
	int kind;             /* CX_MK_* or -1 when the channel has no dispatch file */
	/* from the accounts stream */
	char *name, *email, *phone, *country, *lang;
	cx_day due;
	char cur[MAX_CUR][4];
	int64_t mind[MAX_CUR];
	int ncur;
	int seen;
};

static const char *const out_names[CX_MSG_OUT_N] = { "sms.tsv", "whatsapp.tsv", "email.tsv",
	                                             "calls.tsv", "ivr.tsv", "letter.tsv" };
static const int kind_out[CX_MK_N] = { CX_MSG_OUT_SMS, CX_MSG_OUT_WHATSAPP, CX_MSG_OUT_EMAIL,
	                               CX_MSG_OUT_CALLS, CX_MSG_OUT_IVR, CX_MSG_OUT_LETTER };
static const char *const common_cols[] = { "message_id", "run_date", "customer_key", "rank",
	                                   "template", "language", "recipient", NULL };
static const char *const extra_cols[CX_MSG_OUT_N][7] = {
	{ "text", "encoding", "segments", "window_start", "window_end", NULL },
	{ "text", "window_start", "window_end", NULL },
	{ "subject", "body", "window_start", "window_end", NULL },
	{ "name", "queue", "window_start", "window_end", "offer", "script", NULL },
	{ "queue", "window_start", "window_end", "script", NULL },
	{ "text", NULL },
};
static const char *const reject_cols[] = { "run_date", "customer_key", "rank", "template",
	                                   "channel", "reason", NULL };

static void
ent_free(struct ent *e)
{
	cx_free(e->f[0]);
	cx_free(e->name);
	cx_free(e->email);
	cx_free(e->phone);
	cx_free(e->country);
	cx_free(e->lang);
}

static int
keep_first(char **dst, const struct cx_field *f)
{
	if (*dst || f->n == 0)
		return 0;
	return (*dst = cx_strndup(f->p, f->n)) ? 0 : -1;
}

/* Parse "CUR:amount[,CUR:amount...]" and format it for the customer:
 * zero amounts are left out unless all are zero (then the first is shown);
 * several currencies are joined with ", " and " y " / " and ".  Returns 1
 * with out set, 0 when the list is empty or malformed. */
static int
money_list(const char *list, const char *country, const char *lang, char *out, size_t outsz)
{
	char items[MAX_CUR][CX_MSG_MONEY_BUFSZ];
	int64_t v[MAX_CUR];
	char cur[MAX_CUR][4];
	int n = 0, keep[MAX_CUR], nk = 0, i, j;
	const char *p = list;
	size_t o = 0;
	if (!list || !*list)
		return 0;
	while (*p && n < MAX_CUR) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (cx_money_parse_tagged(p, len, cur[n], &v[n], NULL) < 0)
			return 0;
		n++;
		p = c ? c + 1 : p + len;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] != 0)
			keep[nk++] = i;
	if (nk == 0)
		keep[nk++] = 0;
	for (j = 0; j < nk; j++) {
		i = keep[j];
		cx_msg_format_money(items[j], v[i], cur[i], country);
	}
	out[0] = '\0';
	for (j = 0; j < nk; j++) {
		const char *sep = j == 0 ? "" : j == nk - 1 ? (lang && strcmp(lang, "es") == 0 ? " y " : " and ") : ", ";
		int r = snprintf(out + o, outsz - o, "%s%s", sep, items[j]);
		if (r < 0 || (size_t)r >= outsz - o)
			return 0;
		o += (size_t)r;
	}
	return 1;
}

static int
date_value(const char *iso, const char *lang, char *out)
{
	cx_day d;
	if (!iso || !*iso || cx_date_parse_iso(iso, strlen(iso), &d, NULL) < 0)
		return 0;
	cx_msg_format_date(out, d, lang);
	return 1;
}

struct run {
	const struct cx_msg_opts *o;
	struct cx_msg_set *set;
	struct cx_output *out[CX_MSG_OUT_N], *rej;
	struct cx_tsv_writer *w[CX_MSG_OUT_N], *rw;
	struct ent *ents;
	size_t nent, cap;
	char run_date[16];
	int max_seg;
};

static int
reject(struct run *R, const struct ent *e, const char *reason)
{
	cx_tsv_puts(R->rw, R->run_date);
	cx_tsv_puts(R->rw, e->f[P_KEY]);
	cx_tsv_puts(R->rw, e->f[P_RANK]);
	cx_tsv_puts(R->rw, e->f[P_TPL]);
	cx_tsv_puts(R->rw, e->f[P_CHANNEL]);
	cx_tsv_puts(R->rw, reason);
	if (R->o->stats)
		R->o->stats->rejected++;
	return cx_tsv_end_row(R->rw);
}

static int
render_one(struct run *R, struct ent *e, struct cx_error *err)
{
	const char *vals[CX_PH_N];
	char pd[256], tot[256], amt[256], due[CX_MSG_DATE_BUFSZ], days[24], link[600], first[128],
	    inst_amt[256], fdd[CX_MSG_DATE_BUFSZ], settle[256], deadline[CX_MSG_DATE_BUFSZ],
	    today[CX_MSG_DATE_BUFSZ], plan[300], offer[400], reason[200], key[64], id[18];
	const char *lang = NULL, *tryl[3], *missing = NULL, *recipient, *plink;
	const struct cx_msg_tpl *t = NULL;
	char *subject = NULL, *body = NULL, *sms = NULL;
	int i, rc, oi;
	struct cx_tsv_writer *w;
	const char *country = e->country ? e->country : "";

	if (e->kind < 0) {
		snprintf(reason, sizeof reason, "no dispatch file for channel '%s'",
		         e->f[P_CHANNEL]);
		return reject(R, e, reason);
	}
	if (!e->seen)
		return reject(R, e, "customer not in the accounts stream");
	/* language: the customer's, the country's (creditor.conf), English */
	tryl[0] = e->lang;
	tryl[1] = cx_msg_creditor(R->set, country, "language");
	tryl[2] = "en";
	for (i = 0; i < 3 && !t; i++)
		if (tryl[i] && (t = cx_msg_set_find(R->set, tryl[i], e->f[P_TPL], e->kind)))
			lang = tryl[i];
	if (!t) {
		snprintf(reason, sizeof reason, "no template '%.40s.%s'", e->f[P_TPL],
		         cx_msg_kind_names[e->kind]);
		return reject(R, e, reason);
	}
	memset(vals, 0, sizeof vals);
	if (e->name) {
		size_t k = strcspn(e->name, " ");
		snprintf(first, sizeof first, "%.*s", (int)(k < 100 ? k : 100), e->name);
		vals[CX_PH_FIRST_NAME] = first;
		vals[CX_PH_NAME] = e->name;
	}
	if (money_list(e->f[P_PD], country, lang, pd, sizeof pd))
		vals[CX_PH_PAST_DUE] = pd;
	if (money_list(e->f[P_BAL], country, lang, tot, sizeof tot))
		vals[CX_PH_TOTAL_OWED] = tot;
	{
		char list[200];
		size_t o = 0;
		list[0] = '\0';
		for (i = 0; i < e->ncur; i++) {
			char mb[CX_MONEY_BUFSZ];
			int ex = cx_currency_exponent(e->cur[i], 3);
			if (e->mind[i] <= 0)
				continue;
			cx_money_format(mb, e->mind[i], ex < 0 ? 0 : ex);
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s:%s", o ? "," : "",
			                      e->cur[i], mb);
			if (o >= sizeof list)
				break;
		}
		if (o && o < sizeof list && money_list(list, country, lang, amt, sizeof amt))
			vals[CX_PH_AMOUNT_DUE] = amt;
	}
	if (e->due != CX_DAY_NONE) {
		cx_msg_format_date(due, e->due, lang);
		vals[CX_PH_DUE_DATE] = due;
	}
	if (e->f[P_DPD][0]) {
		long d = strtol(e->f[P_DPD], NULL, 10);
		snprintf(days, sizeof days, "%ld", d < 0 ? -d : d);
		vals[CX_PH_DAYS] = days;
	}
	snprintf(key, sizeof key, "payment_methods.%s", lang);
	vals[CX_PH_PAYMENT_METHODS] = cx_msg_creditor(R->set, country, key);
	vals[CX_PH_REFERENCE] = e->f[P_KEY];
	if ((plink = cx_msg_creditor(R->set, country, "pay_link"))) {
		const char *b = strstr(plink, "{reference}");
		snprintf(link, sizeof link, "%.*s%s%s", (int)(b - plink), plink, e->f[P_KEY],
		         b + 11);
		vals[CX_PH_PAY_LINK] = link;
	}
	if (strcmp(e->f[P_OFFER], "plan") == 0) {
		vals[CX_PH_INSTALMENTS] = e->f[P_INST];
		if (money_list(e->f[P_INSTAMT], country, lang, inst_amt, sizeof inst_amt))
			vals[CX_PH_INSTALMENT_AMOUNT] = inst_amt;
		if (date_value(e->f[P_FDD], lang, fdd))
			vals[CX_PH_FIRST_DUE_DATE] = fdd;
		if (vals[CX_PH_INSTALMENT_AMOUNT] && e->f[P_INST][0]) {
			int es = strcmp(lang, "es") == 0;
			if (strcmp(e->f[P_INST], "1") == 0)
				snprintf(plan, sizeof plan, "%s %s", es ? "un pago de" : "one payment of",
				         inst_amt);
			else
				snprintf(plan, sizeof plan, "%.10s %s %s", e->f[P_INST],
				         es ? "cuotas de" : "instalments of", inst_amt);
			vals[CX_PH_PLAN] = plan;
		}
	} else if (strcmp(e->f[P_OFFER], "settlement") == 0) {
		if (money_list(e->f[P_SETTLE], country, lang, settle, sizeof settle))
			vals[CX_PH_SETTLEMENT_AMOUNT] = settle;
		if (date_value(e->f[P_FDD], lang, deadline))
			vals[CX_PH_SETTLEMENT_DEADLINE] = deadline;
	}
	/* the offer in words, for the agents' call list */
	offer[0] = '\0';
	if (vals[CX_PH_PLAN])
		snprintf(offer, sizeof offer, "%s%s%s", vals[CX_PH_PLAN],
		         vals[CX_PH_FIRST_DUE_DATE] ? (strcmp(lang, "es") == 0 ? ", a partir del " :
		                                                                ", starting on ")
		                                    : "",
		         vals[CX_PH_FIRST_DUE_DATE] ? vals[CX_PH_FIRST_DUE_DATE] : "");
	else if (vals[CX_PH_SETTLEMENT_AMOUNT])
		snprintf(offer, sizeof offer, "%s %s%s%s",
		         strcmp(lang, "es") == 0 ? "liquidación por" : "settlement for",
		         vals[CX_PH_SETTLEMENT_AMOUNT],
		         vals[CX_PH_SETTLEMENT_DEADLINE] ? (strcmp(lang, "es") == 0 ? " hasta el " :
		                                                                     " by ")
		                                         : "",
		         vals[CX_PH_SETTLEMENT_DEADLINE] ? vals[CX_PH_SETTLEMENT_DEADLINE] : "");
	vals[CX_PH_CREDITOR] = cx_msg_creditor(R->set, country, "name");
	snprintf(key, sizeof key, "contact_line.%s", lang);
	vals[CX_PH_CONTACT_LINE] = cx_msg_creditor(R->set, country, key);
	snprintf(key, sizeof key, "opt_out.%s.%s", cx_msg_kind_names[e->kind], lang);
	vals[CX_PH_OPT_OUT] = cx_msg_creditor(R->set, country, key);
	cx_msg_format_date(today, R->o->as_of, lang);
	vals[CX_PH_DATE] = today;

	switch (e->kind) {
	case CX_MK_EMAIL:
		recipient = e->email;
		break;
	case CX_MK_LETTER:
		recipient = e->name;
		break;
	default:
		recipient = e->phone;
	}
	if (!recipient) {
		snprintf(reason, sizeof reason, "no %s for the customer",
		         e->kind == CX_MK_EMAIL ? "email" : e->kind == CX_MK_LETTER ? "name" : "phone");
		return reject(R, e, reason);
	}
	rc = cx_msg_tpl_render(t, vals, &subject, &body, &missing);
	if (rc < 0)
		return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
	if (rc == 1) {
		snprintf(reason, sizeof reason, "no value for '{%s}' (template '%.40s.%s', %s)",
		         missing, e->f[P_TPL], cx_msg_kind_names[e->kind], lang);
		return reject(R, e, reason);
	}
	oi = kind_out[e->kind];
	w = R->w[oi];
	if (e->kind == CX_MK_SMS) {
		struct cx_sms_info si;
		const char *txt = body;
		size_t n = strlen(body);
		if (R->o->sms_transliterate) {
			if (!(sms = cx_sms_transliterate(body, n, &n))) {
				cx_free(subject);
				cx_free(body);
				return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			}
			txt = sms;
		}
		cx_sms_count(txt, n, &si);
		if (si.segments > R->max_seg) {
			snprintf(reason, sizeof reason,
			         "sms needs %d segments (%s), over the limit of %d", si.segments,
			         si.gsm7 ? "gsm7" : "ucs2", R->max_seg);
			cx_free(sms);
			cx_free(subject);
			cx_free(body);
			return reject(R, e, reason);
		}
		cx_msg_id(id, R->o->as_of, e->f[P_KEY], e->f[P_TPL]);
		cx_tsv_puts(w, id);
		cx_tsv_puts(w, R->run_date);
		cx_tsv_puts(w, e->f[P_KEY]);
		cx_tsv_puts(w, e->f[P_RANK]);
		cx_tsv_puts(w, e->f[P_TPL]);
		cx_tsv_puts(w, lang);
		cx_tsv_puts(w, recipient);
		cx_tsv_put(w, txt, n);
		cx_tsv_puts(w, si.gsm7 ? "gsm7" : "ucs2");
		cx_tsv_put_i64(w, si.segments);
		cx_tsv_puts(w, e->f[P_WS]);
		cx_tsv_puts(w, e->f[P_WE]);
	} else {
		cx_msg_id(id, R->o->as_of, e->f[P_KEY], e->f[P_TPL]);
		cx_tsv_puts(w, id);
		cx_tsv_puts(w, R->run_date);
		cx_tsv_puts(w, e->f[P_KEY]);
		cx_tsv_puts(w, e->f[P_RANK]);
		cx_tsv_puts(w, e->f[P_TPL]);
		cx_tsv_puts(w, lang);
		cx_tsv_puts(w, recipient);
		switch (e->kind) {
		case CX_MK_WHATSAPP:
			cx_tsv_puts(w, body);
			cx_tsv_puts(w, e->f[P_WS]);
			cx_tsv_puts(w, e->f[P_WE]);
			break;
		case CX_MK_EMAIL:
			cx_tsv_puts(w, subject);
			cx_tsv_puts(w, body);
			cx_tsv_puts(w, e->f[P_WS]);
			cx_tsv_puts(w, e->f[P_WE]);
			break;
		case CX_MK_CALL:
			cx_tsv_puts(w, e->name);
			cx_tsv_puts(w, e->f[P_QUEUE]);
			cx_tsv_puts(w, e->f[P_WS]);
			cx_tsv_puts(w, e->f[P_WE]);
			cx_tsv_puts(w, offer);
			cx_tsv_puts(w, body);
			break;
		case CX_MK_IVR:
			cx_tsv_puts(w, e->f[P_QUEUE]);
			cx_tsv_puts(w, e->f[P_WS]);
			cx_tsv_puts(w, e->f[P_WE]);
			cx_tsv_puts(w, body);
			break;
		default:
			cx_tsv_puts(w, body);
		}
	}
	cx_free(sms);
	cx_free(subject);
	cx_free(body);
	if (R->o->stats)
		R->o->stats->written[oi]++;
	return cx_tsv_end_row(w);
}

static int
cmp_rank(const void *a, const void *b)
{
	long x = ((const struct ent *)a)->rank, y = ((const struct ent *)b)->rank;
	return (x > y) - (x < y);
}

static int
read_plan(struct run *R, struct cx_strmap *map, struct cx_error *err)
{
	struct cx_tsv_reader *r = cx_tsv_open(R->o->plan ? R->o->plan : "-", NULL, err);
	int idx[P_N], rc, i;
	if (!r)
		return err->code;
	if ((rc = cx_tsv_require(r, plan_cols, P_N, idx, err)) < 0)
		goto out;
	while ((rc = cx_tsv_next(r, err)) == 1) {
		const struct cx_field *f = cx_tsv_fields(r);
		struct ent *e;
		int ins = 0;
		uint64_t *slot;
		if (f[idx[P_CHANNEL]].n == 0 || f[idx[P_TPL]].n == 0 ||
		    strcmp(f[idx[P_ACTION]].p, "none") == 0)
			continue;
		if (f[idx[P_KEY]].n == 0 || f[idx[P_KEY]].n > 60 || f[idx[P_TPL]].n > 60) {
			rc = cx_error_set(err, CX_EDATA, cx_tsv_name(r), cx_tsv_line(r),
			                  "empty or overlong 'customer_key' or 'template'");
			goto out;
		}
		if (!(slot = cx_strmap_get(map, f[idx[P_KEY]].p, f[idx[P_KEY]].n, 1, R->nent, &ins))) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
		if (!ins) {
			rc = cx_error_set(err, CX_EDATA, cx_tsv_name(r), cx_tsv_line(r),
			                  "customer planned twice (a plan has one row per customer)");
			goto out;
		}
		if (cx_grow((void **)&R->ents, &R->cap, R->nent + 1, sizeof *R->ents) < 0) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
		e = &R->ents[R->nent];
		memset(e, 0, sizeof *e);
		e->due = CX_DAY_NONE;
		R->nent++;
		{
			/* one allocation for the row's fields, not one each */
			size_t need = 0, at = 0;
			char *p;
			for (i = 0; i < P_N; i++)
				need += f[idx[i]].n + 1;
			if (!(p = cx_malloc(need))) {
				rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
				goto out;
			}
			for (i = 0; i < P_N; i++) {
				e->f[i] = p + at;
				memcpy(p + at, f[idx[i]].p, f[idx[i]].n);
				p[at + f[idx[i]].n] = '\0';
				at += f[idx[i]].n + 1;
			}
		}
		e->rank = strtol(e->f[P_RANK], NULL, 10);
		e->kind = cx_msg_kind_index(f[idx[P_CHANNEL]].p, f[idx[P_CHANNEL]].n);
		if (R->o->stats)
			R->o->stats->planned++;
	}
out:
	cx_tsv_close(r);
	return rc < 0 ? rc : 0;
}

static int
read_accounts(struct run *R, struct cx_strmap *map, struct cx_error *err)
{
	static const char *const req[] = { "customer_key" };
	struct cx_tsv_reader *r;
	int key, c_name, c_email, c_phone, c_country, c_lang, c_due, c_cur, c_mind, rc;
	/* the previous row's key and slot: a customer's rows come together */
	char last[64];
	size_t lastn = SIZE_MAX;
	uint64_t *lslot = NULL;
	if (!R->o->accounts)
		return cx_error_set(err, CX_EUSAGE, "", 0, "no accounts stream for the messages");
	if (!(r = cx_tsv_open(R->o->accounts, NULL, err)))
		return err->code;
	if ((rc = cx_tsv_require(r, req, 1, &key, err)) < 0)
		goto out;
	c_name = cx_tsv_col(r, "name");
	c_email = cx_tsv_col(r, "email");
	c_phone = cx_tsv_col(r, "phone");
	c_country = cx_tsv_col(r, "country");
	c_lang = cx_tsv_col(r, "language");
	c_due = cx_tsv_col(r, "due_date");
	c_cur = cx_tsv_col(r, "currency");
	c_mind = cx_tsv_col(r, "minimum_due");
	while ((rc = cx_tsv_next(r, err)) == 1) {
		const struct cx_field *f = cx_tsv_fields(r);
		uint64_t *slot;
		struct ent *e;
		if (f[key].n == lastn && !memcmp(f[key].p, last, lastn)) {
			slot = lslot;
		} else {
			slot = cx_strmap_get(map, f[key].p, f[key].n, 0, 0, NULL);
			lastn = f[key].n < sizeof last ? f[key].n : SIZE_MAX;
			if (lastn != SIZE_MAX)
				memcpy(last, f[key].p, lastn);
			lslot = slot;
		}
		if (!slot)
			continue;
		e = &R->ents[*slot];
		e->seen = 1;
		if ((c_name >= 0 && keep_first(&e->name, &f[c_name]) < 0) ||
		    (c_email >= 0 && keep_first(&e->email, &f[c_email]) < 0) ||
		    (c_phone >= 0 && keep_first(&e->phone, &f[c_phone]) < 0) ||
		    (c_country >= 0 && keep_first(&e->country, &f[c_country]) < 0) ||
		    (c_lang >= 0 && keep_first(&e->lang, &f[c_lang]) < 0)) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
		if (c_due >= 0 && f[c_due].n) {
			cx_day d;
			if (cx_date_parse_iso(f[c_due].p, f[c_due].n, &d, NULL) == 0 &&
			    (e->due == CX_DAY_NONE || d < e->due))
				e->due = d;
		}
		if (c_cur >= 0 && c_mind >= 0 && f[c_cur].n == 3 && f[c_mind].n) {
			int ex = cx_currency_exponent(f[c_cur].p, 3), i;
			int64_t v;
			if (ex >= 0 && cx_money_parse(f[c_mind].p, f[c_mind].n, ex, &v, NULL) == 0) {
				for (i = 0; i < e->ncur; i++)
					if (memcmp(e->cur[i], f[c_cur].p, 3) == 0)
						break;
				if (i == e->ncur && i < MAX_CUR) {
					memcpy(e->cur[i], f[c_cur].p, 3);
					e->cur[i][3] = '\0';
					e->mind[i] = 0;
					e->ncur++;
				}
				if (i < e->ncur && cx_money_add(&e->mind[i], v) < 0)
					e->mind[i] = INT64_MAX;
			}
		}
	}
out:
	cx_tsv_close(r);
	return rc < 0 ? rc : 0;
}

static int
open_out(struct run *R, const char *name, struct cx_output **out, struct cx_tsv_writer **w,
         const char *const *c1, const char *const *c2, struct cx_error *err)
{
	char path[4096];
	int i;
	if (snprintf(path, sizeof path, "%s/%s", R->o->dir, name) >= (int)sizeof path)
		return cx_error_set(err, CX_EUSAGE, "", 0, "message directory name too long");
	if (!(*out = cx_output_open(path, R->o->out_flags & CX_OUT_FORCE, err)))
		return err->code;
	if (!(*w = cx_tsv_writer_new(*out, err)))
		return err->code;
	for (i = 0; c1[i]; i++)
		cx_tsv_puts(*w, c1[i]);
	for (i = 0; c2 && c2[i]; i++)
		cx_tsv_puts(*w, c2[i]);
	return cx_tsv_end_row(*w);
}

int
cx_msg_dispatch(const struct cx_msg_opts *o, struct cx_error *err)
{
	struct run R;
	struct cx_strmap *map = NULL;
	int rc = 0, i;
	size_t k;

	memset(&R, 0, sizeof R);
	R.o = o;
	R.max_seg = o->sms_max_segments > 0 ? o->sms_max_segments : CX_MSG_DEFAULT_MAX_SEGMENTS;
	cx_date_format(R.run_date, o->as_of);
	if (o->stats)
		memset(o->stats, 0, sizeof *o->stats);
	if (!o->dir || !o->dir[0])
		return cx_error_set(err, CX_EUSAGE, "", 0, "no message directory");
	if ((rc = cx_msg_set_load(o->templates, &R.set, err)) < 0)
		return rc;
	if (!(map = cx_strmap_new(1024))) {
		rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		goto done;
	}
	if ((rc = read_plan(&R, map, err)) < 0 || (rc = read_accounts(&R, map, err)) < 0)
		goto done;
	if (R.nent)
		qsort(R.ents, R.nent, sizeof *R.ents, cmp_rank);
	if (mkdir(o->dir, 0700) < 0 && errno != EEXIST) {
		rc = cx_error_errno(err, CX_ECREAT, errno, o->dir, "cannot create the directory");
		goto done;
	}
	for (i = 0; i < CX_MSG_OUT_N; i++)
		if ((rc = open_out(&R, out_names[i], &R.out[i], &R.w[i], common_cols, extra_cols[i],
		                   err)) < 0)
			goto done;
	if ((rc = open_out(&R, "rejects.tsv", &R.rej, &R.rw, reject_cols, NULL, err)) < 0)
		goto done;
	for (k = 0; k < R.nent; k++)
		if ((rc = render_one(&R, &R.ents[k], err)) < 0)
			break;
	for (i = 0; rc >= 0 && i <= CX_MSG_OUT_N; i++) {
		struct cx_tsv_writer *w = i < CX_MSG_OUT_N ? R.w[i] : R.rw;
		rc = cx_tsv_writer_error(w, err);
	}
	for (i = 0; rc >= 0 && i < CX_MSG_OUT_N; i++) {
		cx_tsv_writer_free(R.w[i]);
		R.w[i] = NULL;
		rc = cx_output_commit(R.out[i], err);
		R.out[i] = NULL;
	}
	if (rc >= 0) {
		cx_tsv_writer_free(R.rw);
		R.rw = NULL;
		rc = cx_output_commit(R.rej, err);
		R.rej = NULL;
	}
done:
	for (i = 0; i < CX_MSG_OUT_N; i++) {
		cx_tsv_writer_free(R.w[i]);
		cx_output_abort(R.out[i]);
	}
	cx_tsv_writer_free(R.rw);
	cx_output_abort(R.rej);
	for (k = 0; k < R.nent; k++)
		ent_free(&R.ents[k]);
	cx_free(R.ents);
	cx_strmap_free(map);
	cx_msg_set_free(R.set);
	return rc < 0 ? rc : 0;
}
