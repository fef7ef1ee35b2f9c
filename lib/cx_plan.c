/* cx_plan — the planner; see cx_plan.h and cx-plan(1). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_ahead.h"
#include "cx_capacity.h"
#include "cx_date.h"
#include "cx_err.h"
#include "cx_io.h"
#include "cx_ledger.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_plan.h"
#include "cx_plan_ev.h"
#include "cx_policy.h"
#include "cx_schema.h"
#include "cx_tsv.h"
#include "cx_tz.h"

const char *const cx_plan_columns[] = {
	"rank", "customer_key", "name", "n_accounts", "accounts", "products", "balance",
	"past_due", "worst_dpd", "score", "segment", "arm", "action", "channel", "window_start",
	"window_end", "queue", "offer_type", "instalments", "instalment_amount", "first_due_date",
	"settlement_amount", "template", "reason", "blocked_by", "expected_value", NULL
};

#define MAX_CUR 8
#define MAX_CAND CX_PLAN_MAX_CAND
#define TMPBUF (1 << 20)

/* ---- offer arithmetic ------------------------------------------------- */
static int64_t
ceil_div(int64_t a, int64_t b)
{
	return a / b + (a % b != 0);
}

int
cx_plan_size(int64_t amount, int64_t affordable, int min_n, int max_n, int64_t min_inst,
             int *n, int64_t *inst, int64_t *last)
{
	int64_t k;
	if (amount <= 0)
		return -1;
	if (min_n < 1)
		min_n = 1;
	if (max_n < min_n)
		max_n = min_n;
	k = affordable > 0 ? ceil_div(amount, affordable) : max_n;
	if (k < min_n)
		k = min_n;
	if (k > max_n)
		k = max_n;
	if (k > amount)
		k = amount;
	while (k > 1 && min_inst > 0 && ceil_div(amount, k) < min_inst)
		k--;
	while (k > 1 && (k - 1) * ceil_div(amount, k) >= amount)
		k--;
	*n = (int)k;
	*inst = ceil_div(amount, k);
	*last = amount - (k - 1) * *inst;
	return 0;
}

int64_t
cx_plan_settlement(int64_t balance, int bp)
{
	int64_t d;
	if (balance <= 0 || bp <= 0)
		return balance;
	if (cx_money_mul(balance, bp, &d) < 0)
		d = balance / 10000 * bp + balance % 10000 * bp / 10000;
	else
		d /= 10000;
	return balance - d;
}

/* ---- growable text buffer (explain, temp rows) ------------------------ */
struct sbuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (cx_grow((void **)&b->p, &b->cap, b->n + n + 1, 1) < 0) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int k;
	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	sb_put(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* A decimal integer (as printf's %lld) */
static void
sb_int(struct sbuf *b, long long v)
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	sb_put(b, q, (size_t)(e - q));
}

/* TSV-escaped cell */
static void
sb_cell(struct sbuf *b, const char *s, size_t n)
{
	size_t i, st = 0;
	for (i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '\\': e = "\\\\"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		}
		if (e) {
			sb_put(b, s + st, i - st);
			sb_put(b, e, 2);
			st = i + 1;
		}
	}
	sb_put(b, s + st, n - st);
}

/* ---- per-customer model ------------------------------------------------ */
struct ccur {
	char code[4];
	int exp;
	int64_t bal, pd, mind;
	int64_t paid_hist;   /* payments within plan_history_days */
	double rate;
};

struct cevent {
	int64_t utc;
	cx_day day;          /* local day in the customer's zone */
	int ch;              /* channel index or -1 */
	int in;              /* direction in */
	int outcome;         /* index in cx_outcome_names or -1 */
	int acct;            /* account index or -1 (all accounts) */
	int64_t p_amt;       /* promise amount (minor), -1 none */
	cx_day p_date;
	char p_cur[4];
};

/* a payment: struct cx_pev_payment (day, amt, cur) */

enum { O_DELIVERED, O_FAILED, O_OPENED, O_CLICKED, O_NO_ANSWER, O_VOICEMAIL, O_RIGHT_PARTY,
       O_THIRD_PARTY, O_PROMISE, O_REFUSED, O_DISPUTE, O_COMPLAINT, O_OPT_OUT, O_PAID };

/* outcomes that are a response from the customer */
static int
is_response(const struct cevent *e)
{
	return e->in || e->outcome == O_OPENED || e->outcome == O_CLICKED ||
	       e->outcome == O_RIGHT_PARTY || e->outcome == O_PROMISE ||
	       e->outcome == O_REFUSED || e->outcome == O_DISPUTE ||
	       e->outcome == O_COMPLAINT || e->outcome == O_PAID;
}

/* direct contact with the customer (Ley 2300 "contacto directo") */
static int
is_direct(const struct cevent *e)
{
	return e->in || e->outcome == O_RIGHT_PARTY || e->outcome == O_PROMISE ||
	       e->outcome == O_REFUSED || e->outcome == O_DISPUTE ||
	       e->outcome == O_COMPLAINT || e->outcome == O_PAID;
}

static int
is_phone(int ch)
{
	return ch == CX_CH_CALL || ch == CX_CH_IVR;
}

enum { K_NONE, K_CONTACT, K_COURTESY, K_FOLLOWUP };
static const char *const kind_names[] = { "none", "contact", "courtesy_reminder", "follow_up" };

struct ctx {
	const struct cx_plan_opts *o;
	struct cx_policy *pol;
	struct cx_capacity *cap;
	struct cx_tz_cache *tzc;
	struct cx_ledger *ledger;
	struct cx_ledger *ctl;   /* control totals (opts->ledger), or NULL */
	size_t written;          /* plan rows written */
	int daytype[CX_POLICY_MAX_PROFILES];
	/* column indexes in the accounts stream (-1 = absent) */
	int c_key, c_acct, c_name, c_country, c_tz, c_product, c_cur, c_bal, c_pd, c_mind, c_dpd,
	    c_flags, c_consents, c_pref_ch, c_pref_h, c_phone, c_email, c_score, c_ppay, c_capa,
	    c_segment, c_treat, c_arm;
	struct cx_plan_ev *evr;   /* contacts and payments, NULL = neither */
	/* per customer scratch */
	struct cevent *ev;
	size_t nev, evcap;
	struct cx_pev_payment *pay;
	size_t npay, paycap;
	char **accts;
	size_t nacct, acctcap;
	struct sbuf row, ex;
	int explaining;
	/* results */
	struct cx_plan_rec *recs;
	size_t nrec, reccap;
	FILE *tmp;
	char *tmpbuf;            /* its stdio buffer */
	uint64_t tmpoff;
	char *explain_text;
	uint32_t explain_seq;
	int explain_found;
	long contacts_orphan, payments_orphan;
};

/* "COP 1234.50" for explanations; four rotating buffers */
static const char *
mtext(const char *code, int exp, int64_t v)
{
	static char buf[4][48];
	static int k;
	char m[CX_MONEY_BUFSZ];
	k = (k + 1) % 4;
	cx_money_format(m, v, exp);
	snprintf(buf[k], sizeof buf[k], "%s %s", code, m);
	return buf[k];
}

#define EX(...) do { if (c->explaining) sb_printf(&c->ex, __VA_ARGS__); } while (0)

static const char *
fld(const struct cx_pev_group *g, size_t i, int col, size_t *n)
{
	if (col < 0) {
		*n = 0;
		return "";
	}
	*n = g->fields[i * g->ncols + (size_t)col].n;
	return g->fields[i * g->ncols + (size_t)col].p;
}

/* parse a comma set of channels into a mask; unknown names ignored */
static unsigned
chan_mask(const char *s, size_t n)
{
	unsigned m = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		int ch;
		while (j < n && s[j] != ',')
			j++;
		if ((ch = cx_channel_index(s + i, j - i)) >= 0)
			m |= 1u << ch;
		i = j + 1;
	}
	return m;
}

static int
parse_hours(const char *s, size_t n, struct cx_window *w)
{
	int a, b;
	if (n != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':')
		return -1;
	if (sscanf(s, "%2d:%2d", &a, &b) != 2)
		return -1;
	w->start = (int16_t)(a * 60 + b);
	if (sscanf(s + 6, "%2d:%2d", &a, &b) != 2)
		return -1;
	w->end = (int16_t)(a * 60 + b);
	return w->start < w->end && w->end <= 1440 ? 0 : -1;
}

static int
acct_index(struct ctx *c, const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return -1;
	for (i = 0; i < c->nacct; i++)
		if (strlen(c->accts[i]) == n && !memcmp(c->accts[i], s, n))
			return (int)i;
	return -1;
}

/* ---- loading one customer's contacts and payments ------------------- */
static int
load_events(struct ctx *c, const char *key, const struct cx_tz *tz, struct cx_error *err)
{
	const struct cx_pev_group *g;
	int rc;
	size_t i;
	c->nev = c->npay = 0;
	if ((rc = cx_plan_ev_find(c->evr, CX_PEV_CONTACTS, key, &g, &c->contacts_orphan, err)) < 0)
		return rc;
	if (rc > 0) {
		if (g->bad) {
			*err = *g->bad;
			return err->code;
		}
		if (cx_grow((void **)&c->ev, &c->evcap, g->n, sizeof *c->ev) < 0)
			return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		for (i = 0; i < g->n; i++) {
			const struct cx_pev_contact *p = &g->contacts[i];
			struct cevent *e = &c->ev[i];
			memset(e, 0, sizeof *e);
			e->utc = p->utc;
			e->day = cx_timestamp_day(p->utc, cx_tz_offset(tz, p->utc) / 60);
			e->ch = p->ch;
			e->in = p->in;
			e->outcome = p->outcome;
			e->acct = acct_index(c, g->text + p->acct_off, p->acct_len);
			e->p_amt = p->p_amt;
			e->p_date = p->p_date;
			memcpy(e->p_cur, p->p_cur, sizeof e->p_cur);
		}
		c->nev = g->n;
		if ((rc = cx_plan_ev_next(c->evr, CX_PEV_CONTACTS, err)) < 0)
			return rc;
	}
	if ((rc = cx_plan_ev_find(c->evr, CX_PEV_PAYMENTS, key, &g, &c->payments_orphan, err)) < 0)
		return rc;
	if (rc > 0) {
		if (g->bad) {
			*err = *g->bad;
			return err->code;
		}
		if (cx_grow((void **)&c->pay, &c->paycap, g->n, sizeof *c->pay) < 0)
			return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		memcpy(c->pay, g->payments, g->n * sizeof *c->pay);
		c->npay = g->n;
		if ((rc = cx_plan_ev_next(c->evr, CX_PEV_PAYMENTS, err)) < 0)
			return rc;
	}
	return 0;
}

static int
cmp_event(const void *a, const void *b)
{
	const struct cevent *x = a, *y = b;
	return (x->utc > y->utc) - (x->utc < y->utc);
}

/* ---- policy checks for one channel ------------------------------------ */
struct cust {
	const char *key;
	unsigned consents, flags;
	int has_phone, has_email;
	int pref_ch;
	const struct cx_profile *pr;
	int profile_idx;
	unsigned opted_out;      /* channels opted out */
	int direct_contact;      /* direct contact ever made */
	int daytype;
	cx_day D;
	char rule[64];           /* first blocking rule for explain */
};

/* Returns NULL when `ch` may be used today, else the blocking rule id
 * (written into buf). */
static const char *
check_channel(struct ctx *c, struct cust *u, int ch, char *buf, size_t bufsz)
{
	const struct cx_profile *pr = u->pr;
	const char *P = pr->name;
	cx_day D = u->D, wk_start;
	size_t i;
	int today = 0, week = 0, last_out = CX_DAY_NONE;
	unsigned week_channels = 0;
	if (!(pr->channels & (1u << ch)))
		return snprintf(buf, bufsz, "%s:channel", P), buf;
	if ((pr->consent_required & (1u << ch)) && !(u->consents & (1u << ch)))
		return snprintf(buf, bufsz, "%s:consent", P), buf;
	if (u->opted_out & (1u << ch))
		return snprintf(buf, bufsz, "opt_out:%s", cx_channel_name(ch)), buf;
	if ((ch == CX_CH_SMS || ch == CX_CH_WHATSAPP || is_phone(ch)) && !u->has_phone)
		return snprintf(buf, bufsz, "no_phone"), buf;
	if (ch == CX_CH_EMAIL && !u->has_email)
		return snprintf(buf, bufsz, "no_email"), buf;
	if (pr->week_calendar)
		wk_start = D - (cx_day_weekday(D) - 1);
	else
		wk_start = D - 6;
	for (i = 0; i < c->nev; i++) {
		const struct cevent *e = &c->ev[i];
		if (e->in || e->day > D)
			continue;
		if (e->day == D)
			today++;
		if (e->day >= wk_start) {
			week++;
			if (e->ch >= 0)
				week_channels |= 1u << e->ch;
		}
		if (last_out == CX_DAY_NONE || e->day > last_out)
			last_out = e->day;
	}
	if (pr->max_per_day && today >= pr->max_per_day)
		return snprintf(buf, bufsz, "%s:max_contacts_per_day", P), buf;
	if (pr->max_per_week && week >= pr->max_per_week)
		return snprintf(buf, bufsz, "%s:max_contacts_per_week", P), buf;
	if (pr->min_gap_days && last_out != CX_DAY_NONE && D - last_out < pr->min_gap_days)
		return snprintf(buf, bufsz, "%s:min_gap_days", P), buf;
	/* strict: the week's channels with this one must stay within the limit,
	 * even when the history already exceeded it */
	if (pr->channels_per_week_after_contact && u->direct_contact &&
	    __builtin_popcount(week_channels | (1u << ch)) > pr->channels_per_week_after_contact)
		return snprintf(buf, bufsz, "%s:channels_per_week", P), buf;
	if (is_phone(ch) && (pr->call_attempts_max || pr->call_after_conversation_days)) {
		/* per debt: every account of the customer is discussed in a call */
		size_t a;
		for (a = 0; a < (c->nacct ? c->nacct : 1); a++) {
			int calls = 0;
			for (i = 0; i < c->nev; i++) {
				const struct cevent *e = &c->ev[i];
				if (!is_phone(e->ch) || e->day > D || (e->acct >= 0 && (size_t)e->acct != a))
					continue;
				if (!e->in && e->day > D - pr->call_attempts_window_days)
					calls++;
				if (pr->call_after_conversation_days && is_direct(e) &&
				    D - e->day <= pr->call_after_conversation_days)
					return snprintf(buf, bufsz, "%s:call_after_conversation", P), buf;
			}
			if (pr->call_attempts_max && calls >= pr->call_attempts_max)
				return snprintf(buf, bufsz, "%s:call_attempts", P), buf;
		}
	}
	return NULL;
}

/* ---- one customer ------------------------------------------------------ */
static void
fmt_list(struct sbuf *b, const struct ccur *cur, int ncur, int which)
{
	int i;
	for (i = 0; i < ncur; i++) {
		char m[CX_MONEY_BUFSZ];
		int64_t v = which == 0 ? cur[i].bal : cur[i].pd;
		if (i)
			sb_put(b, ",", 1);
		sb_put(b, cur[i].code, 3);
		sb_put(b, ":", 1);
		sb_put(b, m, cx_money_format(m, v, cur[i].exp));
	}
}

static int
cmp_cur(const void *a, const void *b)
{
	return strcmp(((const struct ccur *)a)->code, ((const struct ccur *)b)->code);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const hold_flags[] = { "deceased", "bankruptcy", "dispute", "cease",
                                          "legal", "fraud", NULL };

/* flag bits in cx_flag_names order */
static unsigned
flag_mask(const char *s, size_t n)
{
	unsigned m = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		int f;
		while (j < n && s[j] != ',')
			j++;
		if ((f = cx_vocab_find(cx_flag_names, s + i, j - i)) >= 0)
			m |= 1u << f;
		i = j + 1;
	}
	return m;
}

static const char *
fallback_treatment(int dpd, unsigned flags)
{
	if (flags & (1u << cx_vocab_find(cx_flag_names, "hardship", 8)))
		return "hardship_care";
	if (dpd < -5)
		return "none";
	if (dpd < 0)
		return "reminder_predue";
	if (dpd <= 30)
		return "reminder_soft";
	if (dpd <= 90)
		return "digital_standard";
	if (dpd <= 180)
		return "firm";
	return "settlement";
}

static void
put_window(struct sbuf *b, const struct cx_tz *tz, cx_day D, int minute)
{
	char ts[40];
	int32_t off;
	int64_t t = cx_tz_from_local(tz, (int64_t)D * 86400 + (int64_t)minute * 60, &off);
	sb_put(b, ts, cx_timestamp_format(ts, t, off / 60));
}

static int
plan_customer(struct ctx *c, const struct cx_pev_group *g, struct cx_error *err)
{
	struct cust u;
	struct ccur cur[MAX_CUR];
	int ncur = 0, worst_dpd = 0, have_dpd = 0, rc, k;
	size_t r, n, j;
	const char *s, *name = "", *score = "", *segment = "", *arm = "", *treat = "";
	size_t name_n = 0, score_n = 0, seg_n = 0, arm_n = 0, treat_n = 0;
	char country[3] = "", tzname[64] = "", ppay_s[32] = "", capa_s[32] = "";
	const struct cx_tz *tz = NULL;
	struct cx_window pref = { -1, -1 }, win = { -1, -1 };
	char *products[64];
	int nprod = 0;
	double p_pay = 0.5, capa = -1;
	const struct cx_ladder *la = NULL;
	const char *blocked = NULL;
	char blockbuf[96] = "", reason[256] = "";
	int kind = K_NONE, prio = 0, target = 0;
	struct cx_plan_rec rec;
	int offer = CX_OFFER_NONE, plan_n = 0;
	int64_t plan_inst = 0, plan_last = 0, settle = 0;
	int offer_cur = -1;
	cx_day first_due = CX_DAY_NONE;
	double collectible = 0;
	int consents_seen = 0;

	memset(&u, 0, sizeof u);
	memset(&rec, 0, sizeof rec);
	u.key = g->key;
	u.pref_ch = -1;
	u.D = c->o->as_of;
	u.consents = CX_CH_ALL;
	c->explaining = c->o->explain && !strcmp(c->o->explain, g->key);
	if (c->explaining) {
		c->ex.n = 0;
		c->explain_found = 1;
		c->explain_seq = (uint32_t)c->nrec;
	}
	/* accounts */
	for (j = 0; j < c->nacct; j++)
		cx_free(c->accts[j]);
	c->nacct = 0;
	for (r = 0; r < g->n; r++) {
		const char *why = NULL;
		int ex, found = -1;
		int64_t v;
		s = fld(g, r, c->c_acct, &n);
		if (cx_grow((void **)&c->accts, &c->acctcap, c->nacct + 1, sizeof *c->accts) < 0 ||
		    !(c->accts[c->nacct] = cx_strndup(s, n))) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
		c->nacct++;
		if (!name_n) name = fld(g, r, c->c_name, &name_n);
		if (!score_n) score = fld(g, r, c->c_score, &score_n);
		if (!seg_n) segment = fld(g, r, c->c_segment, &seg_n);
		if (!arm_n) arm = fld(g, r, c->c_arm, &arm_n);
		if (!treat_n) treat = fld(g, r, c->c_treat, &treat_n);
		s = fld(g, r, c->c_country, &n);
		if (!country[0] && n == 2)
			memcpy(country, s, 2);
		s = fld(g, r, c->c_tz, &n);
		if (!tzname[0] && n > 0 && n < sizeof tzname)
			memcpy(tzname, s, n), tzname[n] = '\0';
		s = fld(g, r, c->c_ppay, &n);
		if (!ppay_s[0] && n > 0 && n < sizeof ppay_s)
			memcpy(ppay_s, s, n), ppay_s[n] = '\0';
		s = fld(g, r, c->c_capa, &n);
		if (!capa_s[0] && n > 0 && n < sizeof capa_s)
			memcpy(capa_s, s, n), capa_s[n] = '\0';
		s = fld(g, r, c->c_flags, &n);
		u.flags |= flag_mask(s, n);
		if (c->c_consents >= 0) {
			/* a channel counts as consented only when every account row
			 * carries it (strict reading) */
			s = fld(g, r, c->c_consents, &n);
			u.consents &= chan_mask(s, n);
			consents_seen = 1;
		}
		s = fld(g, r, c->c_pref_ch, &n);
		if (u.pref_ch < 0 && n)
			u.pref_ch = cx_channel_index(s, n);
		s = fld(g, r, c->c_pref_h, &n);
		if (pref.start < 0 && n)
			if (parse_hours(s, n, &pref) < 0)
				pref.start = pref.end = -1;
		s = fld(g, r, c->c_phone, &n);
		u.has_phone |= n > 0;
		s = fld(g, r, c->c_email, &n);
		u.has_email |= n > 0;
		s = fld(g, r, c->c_product, &n);
		if (n) {
			int dup = 0;
			for (k = 0; k < nprod; k++)
				if (strlen(products[k]) == n && !memcmp(products[k], s, n))
					dup = 1;
			if (!dup && nprod < 64) {
				if (!(products[nprod] = cx_strndup(s, n))) {
					rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
					goto out;
				}
				nprod++;
			}
		}
		s = fld(g, r, c->c_dpd, &n);
		if (n) {
			char tmp[16];
			long d;
			char *end;
			if (n >= sizeof tmp)
				goto bad_dpd;
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			errno = 0;
			d = strtol(tmp, &end, 10);
			if (*end || errno || d < -100000 || d > 100000) {
bad_dpd:
				rc = cx_error_set(err, CX_EDATA, c->o->input ? c->o->input : "<stdin>",
				                  g->lines[r], "bad 'days_past_due'");
				goto out;
			}
			if (!have_dpd || d > worst_dpd)
				worst_dpd = (int)d;
			have_dpd = 1;
		}
		/* money */
		s = fld(g, r, c->c_cur, &n);
		ex = n == 3 ? cx_currency_exponent(s, 3) : -1;
		if (ex < 0) {
			rc = cx_error_set(err, CX_EDATA, c->o->input ? c->o->input : "<stdin>",
			                  g->lines[r], "bad or missing 'currency'");
			goto out;
		}
		for (k = 0; k < ncur; k++)
			if (!memcmp(cur[k].code, s, 3))
				found = k;
		if (found < 0) {
			if (ncur == MAX_CUR) {
				rc = cx_error_set(err, CX_ELIMIT, c->o->input ? c->o->input : "<stdin>",
				                  g->lines[r], "more than %d currencies for one customer",
				                  MAX_CUR);
				goto out;
			}
			found = ncur++;
			memset(&cur[found], 0, sizeof cur[found]);
			memcpy(cur[found].code, s, 3);
			cur[found].exp = ex;
		}
		if (c->ctl) {
			/* every account's currency appears, with its balance if any */
			s = fld(g, r, c->c_bal, &n);
			v = 0;
			rc = 0;
			if ((n && cx_money_parse(s, n, ex, &v, &why) < 0) ||
			    (rc = cx_ledger_add_money(c->ctl, "balance_in", cur[found].code, v)) < 0) {
				rc = rc == CX_ENOMEM ? cx_error_set(err, CX_ENOMEM, "", 0, "out of memory") :
				     cx_error_set(err, CX_EDATA, c->o->input ? c->o->input : "<stdin>",
				                  g->lines[r], "bad 'balance': %s", why ? why : "overflow");
				goto out;
			}
		}
		{
			static const char *const cols[] = { "balance", "past_due", "minimum_due" };
			int cidx[3] = { c->c_bal, c->c_pd, c->c_mind };
			int64_t *dst[3] = { &cur[found].bal, &cur[found].pd, &cur[found].mind };
			for (k = 0; k < 3; k++) {
				s = fld(g, r, cidx[k], &n);
				if (!n)
					continue;
				if (cx_money_parse(s, n, ex, &v, &why) < 0 || cx_money_add(dst[k], v) < 0) {
					rc = cx_error_set(err, CX_EDATA,
					                  c->o->input ? c->o->input : "<stdin>", g->lines[r],
					                  "bad '%s': %s", cols[k], why ? why : "overflow");
					goto out;
				}
			}
		}
	}
	if (!consents_seen)
		u.consents = 0;   /* no consents column: nothing is consented */
	qsort(cur, (size_t)ncur, sizeof cur[0], cmp_cur);
	qsort(products, (size_t)nprod, sizeof products[0], cmp_str);
	for (k = 0; k < ncur; k++) {
		cur[k].rate = cx_capacity_rate(c->cap, cur[k].code);
		if (cur[k].rate < 0)
			cur[k].rate = 1.0;   /* unknown: rank at face value (documented) */
	}
	if (ppay_s[0]) {
		char *end;
		double v = strtod(ppay_s, &end);
		if (!*end && v >= 0 && v <= 1)
			p_pay = v;
	}
	if (capa_s[0]) {
		char *end;
		double v = strtod(capa_s, &end);
		if (!*end && v >= 0 && v <= 100)
			capa = v;
	}
	/* profile and zone */
	u.pr = cx_policy_profile(c->pol, country, strlen(country));
	if (u.pr) {
		u.profile_idx = (int)(u.pr - c->pol->profiles);
		u.daytype = c->daytype[u.profile_idx];
		if (tzname[0]) {
			struct cx_error e2;
			tz = cx_tz_cache_get(c->tzc, tzname, strlen(tzname), &e2);
		}
		if (!tz) {
			struct cx_error e2;
			tz = cx_tz_cache_get(c->tzc, u.pr->timezone, strlen(u.pr->timezone), &e2);
		}
	}
	if (!tz) {
		struct cx_error e2;
		tz = cx_tz_cache_get(c->tzc, "UTC", 3, &e2);
		if (!tz) {
			rc = cx_error_set(err, CX_ENOINPUT, "", 0,
			                  "no time zone 'UTC' in the tz database (install tzdata)");
			goto out;
		}
	}
	if ((rc = load_events(c, g->key, tz, err)) < 0)
		goto out;
	if (c->nev > 64) {
		qsort(c->ev, c->nev, sizeof *c->ev, cmp_event);
	} else {
		/* a customer's few events, mostly in order already: a stable
		 * insertion sort, the order qsort's (stable) merge sort gives */
		for (j = 1; j < c->nev; j++) {
			struct cevent x = c->ev[j];
			size_t q = j;
			while (q > 0 && c->ev[q - 1].utc > x.utc) {
				c->ev[q] = c->ev[q - 1];
				q--;
			}
			c->ev[q] = x;
		}
	}
	/* payments within the history window, per currency */
	for (j = 0; j < c->npay; j++)
		for (k = 0; k < ncur; k++)
			if (!memcmp(c->pay[j].cur, cur[k].code, 3) && c->pay[j].day <= u.D &&
			    c->pay[j].day > u.D - c->pol->plan_history_days)
				cx_money_add(&cur[k].paid_hist, c->pay[j].amt);
	/* history facts */
	for (j = 0; j < c->nev; j++) {
		const struct cevent *e = &c->ev[j];
		if (e->day > u.D)
			continue;
		if (e->outcome == O_OPT_OUT)   /* no channel named: every channel */
			u.opted_out |= (u.pr && u.pr->opt_out_all) || e->ch < 0 ? CX_CH_ALL
			                                                       : 1u << e->ch;
		if (is_direct(e))
			u.direct_contact = 1;
		if (e->outcome == O_DISPUTE)
			u.flags |= 1u << cx_vocab_find(cx_flag_names, "dispute", 7);
	}
	EX("customer %s\n", g->key);
	EX("  accounts %zu, country %s, profile %s, time zone %s\n", c->nacct,
	   country[0] ? country : "-", u.pr ? u.pr->name : "-", cx_tz_name(tz));
	if (c->explaining) {
		char d[11];
		cx_date_format(d, u.D);
		EX("  plan date %s", d);
	}
	EX(", day type %s\n",
	   u.pr ? (u.daytype == CX_DAYTYPE_HOLIDAY ? "holiday" :
	           (const char *[]){ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	                             "Saturday", "Sunday" }[u.daytype]) : "-");
	EX("  segment '%.*s', treatment '%.*s', arm '%.*s', p_pay %.4f, capacity %s\n",
	   (int)seg_n, segment, (int)treat_n, treat, (int)arm_n, arm, p_pay,
	   capa >= 0 ? capa_s : "(missing)");
	EX("  history: %zu contacts, %zu payments, direct contact %s, opted out of %u channel(s)\n",
	   c->nev, c->npay, u.direct_contact ? "yes" : "no",
	   (unsigned)__builtin_popcount(u.opted_out));

	/* ---- decision ---- */
	{
		int64_t total_bal = 0;
		for (k = 0; k < ncur; k++)
			total_bal |= cur[k].bal > 0 || cur[k].pd > 0;
		for (k = 0; hold_flags[k]; k++) {
			int f = cx_vocab_find(cx_flag_names, hold_flags[k], strlen(hold_flags[k]));
			if (f >= 0 && (u.flags & (1u << f))) {
				snprintf(blockbuf, sizeof blockbuf, "hold:%s", hold_flags[k]);
				blocked = blockbuf;
				snprintf(reason, sizeof reason, "%s hold: no collection contact",
				         hold_flags[k]);
				break;
			}
		}
		EX("  rule holds: %s\n", blocked ? blocked : "none");
		if (!blocked && !u.pr) {
			blocked = "policy:no_profile";
			snprintf(reason, sizeof reason, "no policy profile for country '%s'", country);
		}
		if (!blocked && !total_bal) {
			blocked = "nothing_due";
			snprintf(reason, sizeof reason, "nothing owed");
		}
		if (!treat_n) {
			treat = fallback_treatment(have_dpd ? worst_dpd : 0, u.flags);
			treat_n = strlen(treat);
			EX("  no treatment: fallback by days past due -> %s\n", treat);
		}
		la = cx_policy_ladder(c->pol, treat, treat_n);
		if (!blocked && !la) {
			blocked = "treatment:unknown";
			snprintf(reason, sizeof reason, "no ladder for treatment '%.*s'", (int)treat_n,
			         treat);
		}
		if (!blocked && !la->contact) {
			blocked = "treatment:none";
			snprintf(reason, sizeof reason, "treatment '%s': no contact", la->name);
		}
		if (!blocked && u.pr && u.opted_out == CX_CH_ALL) {
			blocked = "opt_out:all";
			snprintf(reason, sizeof reason, "customer opted out of every channel");
		}
	}
	/* promises */
	if (!blocked && u.pr) {
		int last = -1;
		for (j = 0; j < c->nev; j++) {
			const struct cevent *e = &c->ev[j];
			if (e->outcome == O_PROMISE && e->p_amt > 0 && e->day <= u.D &&
			    e->day > u.D - c->pol->promise_lookback_days)
				last = (int)j;
		}
		if (last >= 0) {
			const struct cevent *e = &c->ev[last];
			int64_t paid = 0, need;
			int pex = cx_currency_exponent(e->p_cur, 3);
			cx_day end = e->p_date + c->pol->promise_grace_days;
			for (j = 0; j < c->npay; j++)
				if (!memcmp(c->pay[j].cur, e->p_cur, 3) && c->pay[j].day >= e->day &&
				    c->pay[j].day <= end && c->pay[j].day <= u.D)
					cx_money_add(&paid, c->pay[j].amt);
			need = e->p_amt - e->p_amt * c->pol->promise_tolerance_bp / 10000;
			if (paid >= need) {
				EX("  promise of %s due %d day(s) ago: kept (paid %s, needed %s)\n",
				   mtext(e->p_cur, pex, e->p_amt), (int)(u.D - e->p_date),
				   mtext(e->p_cur, pex, paid), mtext(e->p_cur, pex, need));
			} else if (u.D <= end) {
				if (c->pol->promise_courtesy_days &&
				    u.D == e->p_date - c->pol->promise_courtesy_days) {
					kind = K_COURTESY;
					{
						char d[11];
						cx_date_format(d, e->p_date);
						snprintf(reason, sizeof reason,
						         "courtesy reminder: promise due %s", d);
					}
				} else {
					char d[11];
					cx_date_format(d, e->p_date);
					blocked = "promise:open";
					snprintf(reason, sizeof reason, "open promise due %s", d);
				}
				EX("  promise open (paid %s of %s): %s\n", mtext(e->p_cur, pex, paid),
				   mtext(e->p_cur, pex, e->p_amt), kind == K_COURTESY ? "courtesy reminder today"
				                                           : "no collection contact");
			} else {
				/* broken: follow up unless someone already did */
				int followed = 0;
				for (j = 0; j < c->nev; j++)
					if (!c->ev[j].in && c->ev[j].day > end && c->ev[j].day <= u.D)
						followed = 1;
				EX("  promise broken after its grace days (paid %s of %s), follow-up %s\n",
				   mtext(e->p_cur, pex, paid), mtext(e->p_cur, pex, e->p_amt),
				   followed ? "already made" : "due, with priority");
				if (!followed) {
					kind = K_FOLLOWUP;
					prio = 1;
					snprintf(reason, sizeof reason, "broken promise follow-up");
				}
			}
		}
	}
	/* the day itself */
	if (!blocked && u.pr) {
		win = u.pr->hours[u.daytype];
		if (win.start < 0) {
			snprintf(blockbuf, sizeof blockbuf, "%s:%s", u.pr->name,
			         u.daytype == CX_DAYTYPE_HOLIDAY ? "holiday" : "day_closed");
			blocked = blockbuf;
			snprintf(reason, sizeof reason, "no contact allowed on this day");
		} else if (pref.start >= 0 && pref.start < win.end && pref.end > win.start) {
			if (pref.start > win.start)
				win.start = pref.start;
			if (pref.end < win.end)
				win.end = pref.end;
		}
		EX("  rule %s hours: %s\n", u.pr->name, blocked ? blocked : "open");
	}
	/* ladder step */
	if (!blocked && la) {
		int step = -1;
		cx_day lastday = CX_DAY_NONE;
		int responded = 0;
		for (j = 0; j < c->nev; j++) {
			const struct cevent *e = &c->ev[j];
			if (e->day > u.D || e->day <= u.D - la->reset_days)
				continue;
			if (!e->in && e->ch >= 0) {
				int q, hit = -1;
				for (q = step + 1; q < la->nsteps && hit < 0; q++)
					if (la->steps[q].channel == e->ch)
						hit = q;
				for (q = 0; q < la->nsteps && hit < 0; q++)
					if (la->steps[q].channel == e->ch)
						hit = q;
				if (hit >= 0) {
					step = hit > step ? hit : step;
					lastday = e->day;
					/* an outbound contact's own outcome may be the
					 * response (opened, clicked, right_party, ...) */
					responded = is_response(e);
				}
			} else if (lastday != CX_DAY_NONE && is_response(e)) {
				responded = 1;
			}
		}
		if (step < 0) {
			target = 0;
			EX("  ladder %s: no recent step, start at step 1 (%s)\n", la->name,
			   cx_channel_name(la->steps[0].channel));
		} else {
			int wait;
			target = responded || step + 1 >= la->nsteps ? step : step + 1;
			wait = la->steps[target == step ? step : target].wait_days;
			if (target == step && wait < 1)
				wait = 1;
			EX("  ladder %s: last step %d (%s) %d day(s) ago, %s; target step %d (%s) after %d "
			   "day(s)\n", la->name, step + 1, cx_channel_name(la->steps[step].channel),
			   (int)(u.D - lastday), responded ? "responded" : "no response", target + 1,
			   cx_channel_name(la->steps[target].channel), wait);
			if (kind == K_NONE && u.D - lastday < wait) {
				blocked = "ladder:wait";
				snprintf(reason, sizeof reason, "waiting %d day(s) for a response to %s",
				         wait - (int)(u.D - lastday),
				         cx_channel_name(la->steps[step].channel));
			}
		}
	}
	/* candidate channels */
	if (!blocked && la) {
		int order[CX_POLICY_MAX_STEPS * 2], no = 0, q;
		unsigned seen = 0;
		char rb[96];
		const char *first_block = NULL;
		char first_buf[96] = "";
		if (kind == K_COURTESY) {
			/* digital only, least intrusive first */
			static const int dig[] = { CX_CH_SMS, CX_CH_WHATSAPP, CX_CH_EMAIL };
			for (q = 0; q < 3; q++) {
				const char *b = check_channel(c, &u, dig[q], rb, sizeof rb);
				EX("  channel %s: %s\n", cx_channel_name(dig[q]), b ? b : "ok");
				if (!b && rec.ncand < MAX_CAND) {
					rec.cand[rec.ncand] = (uint8_t)dig[q];
					rec.step[rec.ncand++] = 255;
				} else if (b && !first_block) {
					snprintf(first_buf, sizeof first_buf, "%s", b);
					first_block = first_buf;
				}
			}
		} else {
			if (u.pref_ch >= 0)
				for (q = 0; q <= target; q++)
					if (la->steps[q].channel == u.pref_ch) {
						order[no++] = q;
						break;
					}
			for (q = target; q < la->nsteps; q++)
				order[no++] = q;
			for (q = target - 1; q >= 0; q--)
				order[no++] = q;
			for (q = 0; q < no; q++) {
				int ch = la->steps[order[q]].channel;
				const char *b;
				if (seen & (1u << ch))
					continue;
				seen |= 1u << ch;
				b = check_channel(c, &u, ch, rb, sizeof rb);
				EX("  channel %s (step %d): %s\n", cx_channel_name(ch), order[q] + 1,
				   b ? b : "ok");
				if (!b) {
					if (rec.ncand < MAX_CAND) {
						rec.cand[rec.ncand] = (uint8_t)ch;
						rec.step[rec.ncand++] = (uint8_t)order[q];
					}
				} else if (!first_block) {
					snprintf(first_buf, sizeof first_buf, "%s", b);
					first_block = first_buf;
				}
			}
		}
		if (rec.ncand == 0) {
			snprintf(blockbuf, sizeof blockbuf, "%s", first_block ? first_block : "no_channel");
			blocked = blockbuf;
			snprintf(reason, sizeof reason, "no channel allowed today");
			kind = K_NONE;
			prio = 0;
		} else if (kind == K_NONE) {
			kind = K_CONTACT;
			snprintf(reason, sizeof reason, "%s step %d of %d", la->name,
			         rec.step[0] == 255 ? 1 : rec.step[0] + 1, la->nsteps);
		}
	}
	if (blocked) {
		kind = K_NONE;
		prio = 0;
		rec.ncand = 0;
		EX("  decision: no contact, blocked by %s (%s)\n", blocked, reason);
	} else {
		EX("  decision: %s (%s), %d candidate channel(s) for capacity\n", kind_names[kind],
		   reason, rec.ncand);
	}
	/* offers (also for blocked customers: the terms are ready for when
	 * contact is allowed) */
	if (la && la->offer != CX_OFFER_NONE && ncur > 0 && !(blocked && !strncmp(blocked, "hold:", 5))) {
		double best = -1;
		for (k = 0; k < ncur; k++) {
			double v = (double)(la->offer == CX_OFFER_PLAN ? cur[k].pd : cur[k].bal) *
			           cur[k].rate / pow(10, cur[k].exp);
			if (v > best) {
				best = v;
				offer_cur = k;
			}
		}
		if (la->offer == CX_OFFER_PLAN && cur[offer_cur].pd > 0) {
			int64_t base, aff;
			char fd[11] = "";
			struct ccur *oc = &cur[offer_cur];
			base = oc->paid_hist / (c->pol->plan_history_days / 30 > 0
			                        ? c->pol->plan_history_days / 30 : 1);
			if (oc->mind > base)
				base = oc->mind;
			aff = base;
			if (capa >= 0 && base > 0) {
				int64_t f = 50 + (int64_t)(capa + 0.5);
				if (cx_money_mul(base, f, &aff) < 0)
					aff = base;
				else
					aff /= 100;
			}
			cx_plan_size(oc->pd, aff, c->pol->plan_min_instalments,
			             c->pol->plan_max_instalments,
			             cx_policy_min_instalment(c->pol, oc->code), &plan_n, &plan_inst,
			             &plan_last);
			offer = CX_OFFER_PLAN;
			first_due = u.D + c->pol->plan_first_due_days;
			if (u.pr)
				while (cx_day_weekday(first_due) >= 6 || cx_profile_is_holiday(u.pr, first_due))
					first_due++;
			if (c->explaining)
				cx_date_format(fd, first_due);
			EX("  offer plan: past due %s; affordable per month %s = max(payments %s over "
			   "%d days / %d, minimum due %s) x (50 + capacity %s) / 100\n",
			   mtext(oc->code, oc->exp, oc->pd), mtext(oc->code, oc->exp, aff),
			   mtext(oc->code, oc->exp, oc->paid_hist), c->pol->plan_history_days,
			   c->pol->plan_history_days / 30 > 0 ? c->pol->plan_history_days / 30 : 1,
			   mtext(oc->code, oc->exp, oc->mind), capa >= 0 ? capa_s : "n/a (factor 1)");
			EX("  offer plan: %d instalment(s) of %s, last %s, sum %s, first due %s\n",
			   plan_n, mtext(oc->code, oc->exp, plan_inst), mtext(oc->code, oc->exp, plan_last),
			   mtext(oc->code, oc->exp, (plan_n - 1) * plan_inst + plan_last), fd);
		} else if (la->offer == CX_OFFER_SETTLEMENT) {
			int bp = cx_policy_settlement_bp(c->pol, have_dpd ? worst_dpd : 0);
			if (bp > c->pol->settlement_max_discount_bp)
				bp = c->pol->settlement_max_discount_bp;
			if (bp > 0 && cur[offer_cur].bal > 0) {
				settle = cx_plan_settlement(cur[offer_cur].bal, bp);
				offer = CX_OFFER_SETTLEMENT;
				first_due = u.D + c->pol->settlement_valid_days;
				EX("  offer settlement: balance %s, discount %d.%02d%% for %d days past due "
				   "(cap %d.%02d%%) -> %s, valid %d days\n",
				   mtext(cur[offer_cur].code, cur[offer_cur].exp, cur[offer_cur].bal),
				   bp / 100, bp % 100, worst_dpd, c->pol->settlement_max_discount_bp / 100,
				   c->pol->settlement_max_discount_bp % 100,
				   mtext(cur[offer_cur].code, cur[offer_cur].exp, settle),
				   c->pol->settlement_valid_days);
			} else {
				EX("  offer settlement: none (days past due below the first band)\n");
			}
		}
	}
	/* expected value */
	for (k = 0; k < ncur; k++) {
		int64_t v = cur[k].pd > 0 ? cur[k].pd : (cur[k].mind > 0 ? cur[k].mind : 0);
		collectible += (double)v * cur[k].rate / pow(10, cur[k].exp);
	}
	rec.ev = p_pay * collectible - (rec.ncand ? c->cap->cost[rec.cand[0]] : 0);
	EX("  expected value: p_pay %.4f x collectible %.2f %s - cost %.4f = %.4f\n", p_pay,
	   collectible, c->cap->reference, rec.ncand ? c->cap->cost[rec.cand[0]] : 0.0, rec.ev);
	rec.prio = (uint8_t)prio;
	rec.kind = (uint8_t)kind;
	rec.ladder = la ? (uint8_t)(la - c->pol->ladders) : 255;
	rec.assigned = 255;
	rec.seq = (uint32_t)c->nrec;

	/* ---- partial row: parts separated by LF ---- */
	c->row.n = 0;
	sb_cell(&c->row, g->key, strlen(g->key));
	sb_put(&c->row, "\t", 1);
	sb_cell(&c->row, name, name_n);
	sb_put(&c->row, "\t", 1);
	sb_int(&c->row, (long long)c->nacct);
	sb_put(&c->row, "\t", 1);
	for (j = 0; j < c->nacct; j++) {
		if (j)
			sb_put(&c->row, ",", 1);
		sb_cell(&c->row, c->accts[j], strlen(c->accts[j]));
	}
	sb_put(&c->row, "\t", 1);
	for (k = 0; k < nprod; k++) {
		if (k)
			sb_put(&c->row, ",", 1);
		sb_cell(&c->row, products[k], strlen(products[k]));
	}
	sb_put(&c->row, "\t", 1);
	fmt_list(&c->row, cur, ncur, 0);
	for (k = 0; c->ctl && k < ncur; k++)   /* the balance column, per currency */
		if ((rc = cx_ledger_add_money(c->ctl, "balance_out", cur[k].code, cur[k].bal)) < 0) {
			rc = rc == CX_ENOMEM ? cx_error_set(err, CX_ENOMEM, "", 0, "out of memory") :
			     cx_error_set(err, CX_EDATA, "", 0, "balance total out of range");
			goto out;
		}
	sb_put(&c->row, "\t", 1);
	fmt_list(&c->row, cur, ncur, 1);
	if (have_dpd) {
		sb_put(&c->row, "\t", 1);
		sb_int(&c->row, worst_dpd);
		sb_put(&c->row, "\t", 1);
	} else {
		sb_put(&c->row, "\t\t", 2);
	}
	sb_cell(&c->row, score, score_n);
	sb_put(&c->row, "\t", 1);
	sb_cell(&c->row, segment, seg_n);
	sb_put(&c->row, "\t", 1);
	sb_cell(&c->row, arm, arm_n);
	sb_put(&c->row, "\n", 1);
	/* part 2: window */
	if (kind != K_NONE) {
		put_window(&c->row, tz, u.D, win.start);
		sb_put(&c->row, "\t", 1);
		put_window(&c->row, tz, u.D, win.end);
	} else {
		sb_put(&c->row, "\t", 1);
	}
	sb_put(&c->row, "\n", 1);
	/* part 3: offer */
	if (offer == CX_OFFER_PLAN) {
		char m[CX_MONEY_BUFSZ], d[11];
		sb_put(&c->row, "plan\t", 5);
		sb_int(&c->row, plan_n);
		sb_put(&c->row, "\t", 1);
		sb_put(&c->row, cur[offer_cur].code, strlen(cur[offer_cur].code));
		sb_put(&c->row, ":", 1);
		sb_put(&c->row, m, cx_money_format(m, plan_inst, cur[offer_cur].exp));
		sb_put(&c->row, "\t", 1);
		sb_put(&c->row, d, cx_date_format(d, first_due));
		sb_put(&c->row, "\t", 1);
	} else if (offer == CX_OFFER_SETTLEMENT) {
		char m[CX_MONEY_BUFSZ], d[11];
		sb_put(&c->row, "settlement\t\t\t", 13);
		sb_put(&c->row, d, cx_date_format(d, first_due));
		sb_put(&c->row, "\t", 1);
		sb_put(&c->row, cur[offer_cur].code, strlen(cur[offer_cur].code));
		sb_put(&c->row, ":", 1);
		sb_put(&c->row, m, cx_money_format(m, settle, cur[offer_cur].exp));
	} else {
		sb_put(&c->row, "\t\t\t\t", 4);
	}
	sb_put(&c->row, "\n", 1);
	sb_cell(&c->row, reason, strlen(reason));
	sb_put(&c->row, "\n", 1);
	if (blocked)
		sb_cell(&c->row, blocked, strlen(blocked));
	if (c->row.oom) {
		rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		goto out;
	}
	if (fwrite(c->row.p, 1, c->row.n, c->tmp) != c->row.n) {
		rc = cx_error_errno(err, CX_EIO, errno, "", "cannot write the temporary file");
		goto out;
	}
	rec.off = c->tmpoff;
	rec.len = (uint32_t)c->row.n;
	c->tmpoff += c->row.n;
	if (cx_grow((void **)&c->recs, &c->reccap, c->nrec + 1, sizeof *c->recs) < 0) {
		rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		goto out;
	}
	c->recs[c->nrec++] = rec;
	if (c->ledger && blocked) {
		char m[112];
		snprintf(m, sizeof m, "blocked.%s", blocked);
		if (cx_ledger_add(c->ledger, m, "", 1) < 0) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	for (k = 0; k < nprod; k++)
		cx_free(products[k]);
	return rc;
}

/* ---- ranking and capacity ---------------------------------------------- */
int
cx_plan_rank_cmp(const void *a, const void *b)
{
	const struct cx_plan_rec *x = a, *y = b;
	int ax = x->kind != K_NONE, ay = y->kind != K_NONE;
	if (ax != ay)
		return ay - ax;
	if (x->prio != y->prio)
		return y->prio - x->prio;
	if (x->ev != y->ev)
		return x->ev < y->ev ? 1 : -1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
rec_swap(struct cx_plan_rec *a, struct cx_plan_rec *b)
{
	struct cx_plan_rec t = *a;
	*a = *b;
	*b = t;
}

/* Heap sort fallback of cx_plan_rank_introsort (bad pivots): sift v[i] down in v[0..n). */
static void
rank_sift(struct cx_plan_rec *v, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && cx_plan_rank_cmp(&v[c], &v[c + 1]) < 0)
			c++;
		if (cx_plan_rank_cmp(&v[i], &v[c]) >= 0)
			return;
		rec_swap(&v[i], &v[c]);
		i = c;
	}
}

void
cx_plan_rank_introsort(struct cx_plan_rec *v, size_t n, int depth)
{
	while (n > 16) {
		if (depth-- == 0) {
			for (size_t i = n / 2; i-- > 0;)
				rank_sift(v, i, n);
			for (size_t i = n - 1; i > 0; i--) {
				rec_swap(&v[0], &v[i]);
				rank_sift(v, 0, i);
			}
			return;
		}
		/* median of three to v[0], then Hoare partition around it */
		size_t m = n / 2;
		if (cx_plan_rank_cmp(&v[m], &v[0]) < 0)
			rec_swap(&v[m], &v[0]);
		if (cx_plan_rank_cmp(&v[n - 1], &v[m]) < 0) {
			rec_swap(&v[n - 1], &v[m]);
			if (cx_plan_rank_cmp(&v[m], &v[0]) < 0)
				rec_swap(&v[m], &v[0]);
		}
		rec_swap(&v[0], &v[m]);
		size_t i = 0, j = n;
		for (;;) {
			do
				i++;
			while (i < n && cx_plan_rank_cmp(&v[i], &v[0]) < 0);
			do
				j--;
			while (cx_plan_rank_cmp(&v[0], &v[j]) < 0);
			if (i >= j)
				break;
			rec_swap(&v[i], &v[j]);
		}
		rec_swap(&v[0], &v[j]);
		/* recurse into the smaller side, loop on the larger */
		if (j < n - j - 1) {
			cx_plan_rank_introsort(v, j, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			cx_plan_rank_introsort(v + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	for (size_t j = 1; j < n; j++) {
		struct cx_plan_rec x = v[j];
		size_t k = j;
		while (k > 0 && cx_plan_rank_cmp(&x, &v[k - 1]) < 0) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = x;
	}
}

/* qsort(v, n, sizeof *v, cx_plan_rank_cmp) in place, the comparison inlined, no
 * buffer (glibc's merge sort allocates two pointer arrays for records this
 * size and chases them).  Without a NaN expected value the order is total
 * order (seq is unique), so every correct sort gives the same order; with
 * one, qsort itself is used. */
void
cx_plan_rank_sort(struct cx_plan_rec *v, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < n && !isnan(v[i].ev); i++)
		;
	if (i < n) {
		qsort(v, n, sizeof *v, cx_plan_rank_cmp);
		return;
	}
	for (i = n; i > 1; i /= 2)
		depth += 2;
	cx_plan_rank_introsort(v, n, depth);
}

void
cx_plan_rank_resort(struct cx_plan_rec *v, size_t n, size_t nact)
{
	struct cx_plan_rec *t;
	size_t i, j, d = 0, a, b, p;
	for (i = 0; i < nact; i++)
		d += v[i].kind == K_NONE;
	if (d == 0)
		return;
	for (i = 0; i < n && !isnan(v[i].ev); i++)
		;
	if (i < n || !(t = cx_malloc(d * sizeof *t))) {
		cx_plan_rank_sort(v, n);   /* qsort's order with a NaN; no memory: the long way */
		return;
	}
	for (i = j = d = 0; i < nact; i++) {
		if (v[i].kind != K_NONE)
			v[j++] = v[i];
		else
			t[d++] = v[i];
	}
	cx_plan_rank_sort(t, d);
	/* merge t into v[nact..n) from the front: the write position stays
	 * d - a behind the read position b */
	for (p = j, a = 0, b = nact; a < d;)
		v[p++] = b < n && cx_plan_rank_cmp(&v[b], &t[a]) < 0 ? v[b++] : t[a++];
	cx_free(t);
}

static int
open_tmp(struct ctx *c, struct cx_error *err)
{
	const char *dir = c->o->tmpdir;
	char path[4096];
	int fd;
	if (!dir)
		dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/cx-plan.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return cx_error_errno(err, CX_ECREAT, errno, "", "cannot create a temporary file in %s",
		                      dir);
	unlink(path);
	if (!(c->tmp = fdopen(fd, "w+"))) {
		close(fd);
		return cx_error_errno(err, CX_ECREAT, errno, "", "cannot open a temporary file");
	}
	/* rows of a few hundred bytes: write them 1 MiB at a time, not 4 KiB
	 * (glibc ignores the size without a buffer) */
	if ((c->tmpbuf = cx_malloc(TMPBUF)) != NULL)
		setvbuf(c->tmp, c->tmpbuf, _IOFBF, TMPBUF);
	return 0;
}

/* ---- pass 2: the rows read back in rank order -------------------------- */
/* One pread per row (the rank order is random in the file) is most of pass
 * 2, all of it in the kernel: a second thread (cx_ahead) reads batches of
 * RB_ROWS rows, RB_SLOTS batches ahead, while the caller formats them. */
#define RB_ROWS 512
#define RB_SLOTS 8

struct rbatch {
	char *buf;
	size_t cap;
	int err;             /* errno of a failed read, EIO for a short one */
};

struct rpool {
	const struct cx_plan_rec *recs;
	size_t nrec, nbatch;
	int fd;
	size_t next;         /* the next batch to read (the reader's) */
	struct rbatch b[RB_SLOTS];
};

/* cx_ahead's fill: the rows of the next batch into b; 1 while more follow */
static int
rb_fill(void *ctx, void *batch)
{
	struct rpool *P = ctx;
	struct rbatch *b = batch;
	size_t j = P->next++;
	size_t i, first = j * RB_ROWS, end = first + RB_ROWS < P->nrec ? first + RB_ROWS : P->nrec;
	size_t need = 0, at = 0;
	b->err = 0;
	for (i = first; i < end; i++)
		need += P->recs[i].len;
	if (cx_grow((void **)&b->buf, &b->cap, need + 1, 1) < 0) {
		b->err = ENOMEM;
		return P->next < P->nbatch;
	}
	for (i = first; i < end; i++) {
		const struct cx_plan_rec *r = &P->recs[i];
		ssize_t got = pread(P->fd, b->buf + at, r->len, (off_t)r->off);
		if (got != (ssize_t)r->len) {
			b->err = got < 0 ? errno : EIO;
			break;
		}
		at += r->len;
	}
	return P->next < P->nbatch;
}

/* Format one row (its partial row in buf, len bytes) into out. */
static int
put_row(struct ctx *c, struct cx_output *out, size_t i, char *buf, uint32_t len,
        struct cx_error *err)
{
	const struct cx_plan_rec *r = &c->recs[i];
	char *part[5], *p;
	int k, ch = -1, step = -1, rc;
	const struct cx_ladder *la = r->ladder != 255 ? &c->pol->ladders[r->ladder] : NULL;
	buf[len] = '\0';
	p = buf;
	for (k = 0; k < 5; k++) {
		part[k] = p;
		p = strchr(p, '\n');
		if (k < 4) {
			if (!p)
				return cx_error_set(err, CX_EINTERNAL, "", 0, "corrupt temporary row");
			*p++ = '\0';
		}
	}
	if (r->assigned != 255) {
		ch = r->cand[r->assigned];
		step = r->step[r->assigned];
	}
	/* the row as the strings below, joined (printf was a tenth of the
	 * tool's time here) */
	{
		char rank[24], ev[64];
		const char *f[16];
		int nf = 0, evn = snprintf(ev, sizeof ev, "%.4f", r->ev);
		if (evn < 0 || (size_t)evn >= sizeof ev)
			return cx_error_set(err, CX_EINTERNAL, "", 0, "expected value out of range");
		{
			char *e = rank + sizeof rank, *q = e;
			size_t u = i + 1;
			*--q = '\0';
			do
				*--q = (char)('0' + u % 10);
			while ((u /= 10) != 0);
			f[nf++] = q;
		}
		f[nf++] = "\t";
		f[nf++] = part[0];
		f[nf++] = "\t";
		f[nf++] = ch >= 0 ? kind_names[r->kind] : "none";
		f[nf++] = "\t";
		f[nf++] = ch >= 0 ? cx_channel_name(ch) : "";
		f[nf++] = "\t";
		f[nf++] = ch >= 0 ? part[1] : "\t";
		f[nf++] = "\t";
		f[nf++] = ch >= 0 ? (step == 255 ? "digital" : la->steps[step].queue) : "";
		f[nf++] = "\t";
		f[nf++] = part[2];
		f[nf++] = "\t";
		for (k = 0; k < nf; k++)
			if ((rc = cx_output_puts(out, f[k], err)) < 0)
				return rc;
		nf = 0;
		if (ch >= 0) {
			f[nf++] = step == 255 ? "PTP_COURTESY" : la->steps[step].template_id;
			f[nf++] = "\t";
			f[nf++] = part[3];
			f[nf++] = r->assigned ? " (capacity overflow)" : "";
			f[nf++] = "\t\t";
		} else if (r->step[0] == 254) {
			f[nf++] = "\tall allowed channels full\tcapacity\t";
		} else {
			f[nf++] = "\t";
			f[nf++] = part[3];
			f[nf++] = "\t";
			f[nf++] = part[4];
			f[nf++] = "\t";
		}
		f[nf++] = ev;
		f[nf++] = "\n";
		for (k = 0; k < nf; k++)
			if ((rc = cx_output_puts(out, f[k], err)) < 0)
				return rc;
	}
	return 0;
}

/* write the final rows in rank order */
static int
write_plan(struct ctx *c, struct cx_output *out, struct cx_error *err)
{
	struct rpool P;
	struct cx_ahead *ahead = NULL;
	void *slots[RB_SLOTS];
	size_t i, j;
	int rc = 0, t;
	if (fflush(c->tmp) != 0)
		return cx_error_errno(err, CX_EIO, errno, "", "cannot write the temporary file");
	for (i = 0; cx_plan_columns[i]; i++) {
		if ((rc = cx_output_puts(out, i ? "\t" : "", err)) < 0 ||
		    (rc = cx_output_puts(out, cx_plan_columns[i], err)) < 0)
			return rc;
	}
	if ((rc = cx_output_putc(out, '\n', err)) < 0)
		return rc;
	memset(&P, 0, sizeof P);
	P.recs = c->recs;
	P.nrec = c->nrec;
	P.nbatch = (c->nrec + RB_ROWS - 1) / RB_ROWS;
	P.fd = fileno(c->tmp);
	for (t = 0; t < RB_SLOTS; t++)
		slots[t] = &P.b[t];
	if (P.nbatch && !(ahead = cx_ahead_new(rb_fill, &P, slots, RB_SLOTS, err)))
		return err->code;
	for (j = 0; j < P.nbatch && rc == 0; j++) {
		struct rbatch *b = cx_ahead_next(ahead);
		size_t at = 0, end = (j + 1) * RB_ROWS < c->nrec ? (j + 1) * RB_ROWS : c->nrec;
		if (b->err) {
			rc = b->err == ENOMEM ? cx_error_set(err, CX_ENOMEM, "", 0, "out of memory") :
			     cx_error_errno(err, CX_EIO, b->err, "", "cannot read the temporary file");
			break;
		}
		for (i = j * RB_ROWS; i < end && rc == 0; i++) {
			/* the row's NUL goes where the next row starts: rows are
			 * formatted in order, so it is no longer needed */
			char save = b->buf[at + c->recs[i].len];
			rc = put_row(c, out, i, b->buf + at, c->recs[i].len, err);
			b->buf[at + c->recs[i].len] = save;
			at += c->recs[i].len;
			if (rc == 0)
				c->written++;
		}
	}
	cx_ahead_free(ahead);
	for (t = 0; t < RB_SLOTS; t++)
		cx_free(P.b[t].buf);
	return rc;
}

int
cx_plan_run(const struct cx_plan_opts *o, struct cx_ledger *ledger, struct cx_error *err)
{
	struct ctx c;
	struct cx_tsv_reader *r = NULL;
	struct cx_output *out = NULL, *lo = NULL;
	const struct cx_pev_group *g;
	int rc, i;
	size_t k, nact;
	int64_t used[CX_CH_N];

	memset(&c, 0, sizeof c);
	c.o = o;
	c.ledger = ledger;
	if (o->ledger && !o->explain) {
		/* fixed order of the counts; the plan rejects no customer */
		static const char *const first[] = { "accounts_in", "customers_in", "customers_out",
		                                     "customers_rejected" };
		if (!(c.ctl = cx_ledger_new_counts(first, 4))) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
	}
	if ((rc = cx_policy_load(o->policy, &c.pol, err)) < 0)
		goto out;
	if ((rc = cx_capacity_load(o->capacity, &c.cap, err)) < 0)
		goto out;
	if (!(c.tzc = cx_tz_cache_new(o->tzdir))) {
		rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		goto out;
	}
	for (i = 0; i < c.pol->nprofiles; i++) {
		const struct cx_profile *pr = &c.pol->profiles[i];
		struct cx_error e2;
		cx_error_clear(&e2);
		if (!cx_tz_cache_get(c.tzc, pr->timezone, strlen(pr->timezone), &e2)) {
			rc = cx_error_set(err, e2.code ? e2.code : CX_EDATA,
			                  o->policy ? o->policy : "<built-in policy>", pr->line,
			                  "profile '%s': %s", pr->name, e2.msg);
			goto out;
		}
		c.daytype[i] = cx_profile_daytype(pr, o->as_of);
	}
	if (!(r = cx_tsv_open(o->input ? o->input : "-", NULL, err))) {
		rc = err->code;
		goto out;
	}
	{
		static const char *const req[] = { "customer_key", "account_id", "currency" };
		int idx[3];
		if ((rc = cx_tsv_require(r, req, 3, idx, err)) < 0)
			goto out;
		c.c_key = idx[0];
		c.c_acct = idx[1];
		c.c_cur = idx[2];
	}
	c.c_name = cx_tsv_col(r, "name");
	c.c_country = cx_tsv_col(r, "country");
	c.c_tz = cx_tsv_col(r, "timezone");
	c.c_product = cx_tsv_col(r, "product");
	c.c_bal = cx_tsv_col(r, "balance");
	c.c_pd = cx_tsv_col(r, "past_due");
	c.c_mind = cx_tsv_col(r, "minimum_due");
	c.c_dpd = cx_tsv_col(r, "days_past_due");
	c.c_flags = cx_tsv_col(r, "flags");
	c.c_consents = cx_tsv_col(r, "consents");
	c.c_pref_ch = cx_tsv_col(r, "preferred_channel");
	c.c_pref_h = cx_tsv_col(r, "preferred_hours");
	c.c_phone = cx_tsv_col(r, "phone");
	c.c_email = cx_tsv_col(r, "email");
	c.c_score = cx_tsv_col(r, "score");
	c.c_ppay = cx_tsv_col(r, "p_pay");
	c.c_capa = cx_tsv_col(r, "capacity");
	c.c_segment = cx_tsv_col(r, "segment");
	c.c_treat = cx_tsv_col(r, "treatment");
	c.c_arm = cx_tsv_col(r, "arm");
	if (!(c.evr = cx_plan_ev_open(o->contacts, o->payments, err))) {
		rc = err->code;
		goto out;
	}
	if ((rc = open_tmp(&c, err)) < 0)
		goto out;
	{
		/* the accounts stream keeps the columns read here, renumbered */
		int *const cols[] = { &c.c_acct, &c.c_name, &c.c_country, &c.c_tz, &c.c_product,
		                      &c.c_cur, &c.c_bal, &c.c_pd, &c.c_mind, &c.c_dpd, &c.c_flags,
		                      &c.c_consents, &c.c_pref_ch, &c.c_pref_h, &c.c_phone, &c.c_email,
		                      &c.c_score, &c.c_ppay, &c.c_capa, &c.c_segment, &c.c_treat,
		                      &c.c_arm };
		int sel[sizeof cols / sizeof *cols];
		size_t nsel = 0;
		for (k = 0; k < sizeof cols / sizeof *cols; k++)
			if (*cols[k] >= 0) {
				sel[nsel] = *cols[k];
				*cols[k] = (int)nsel++;
			}
		rc = cx_plan_ev_accounts(c.evr, r, c.c_key, sel, nsel, err);
		r = NULL;   /* c.evr's now */
		if (rc < 0)
			goto out;
	}
	while ((rc = cx_plan_ev_group(c.evr, &g, err)) > 0) {
		if (c.nrec >= UINT32_MAX - 1) {
			rc = cx_error_set(err, CX_ELIMIT, "", 0, "too many customers");
			goto out;
		}
		if (c.ctl && (cx_ledger_add(c.ctl, "accounts_in", "", (int64_t)g->n) < 0 ||
		              cx_ledger_add(c.ctl, "customers_in", "", 1) < 0)) {
			rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
			goto out;
		}
		if ((rc = plan_customer(&c, g, err)) < 0)
			goto out;
		if (c.explaining) {
			if (c.ex.oom) {
				rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
				goto out;
			}
			cx_free(c.explain_text);
			c.explain_text = cx_strdup(c.ex.p ? c.ex.p : "");
			c.explaining = 0;
		}
	}
	if (rc < 0)
		goto out;
	/* rank, then give out capacity in rank order, then re-rank (customers
	 * that found no slot fall to the blocked group) */
	cx_plan_rank_sort(c.recs, c.nrec);
	for (nact = 0; nact < c.nrec && c.recs[nact].kind != K_NONE; nact++)
		;
	memset(used, 0, sizeof used);
	for (k = 0; k < nact; k++) {   /* the rest has no candidate */
		struct cx_plan_rec *rr = &c.recs[k];
		int q;
		for (q = 0; q < rr->ncand; q++) {
			int ch = rr->cand[q];
			if (c.cap->configured[ch] && used[ch] < c.cap->slots[ch]) {
				used[ch]++;
				rr->assigned = (uint8_t)q;
				break;
			}
		}
		if (rr->assigned == 255 && rr->ncand > 0) {
			rr->kind = K_NONE;   /* shown with blocked_by "capacity" */
			rr->ncand = 0;
			rr->prio = 0;
			rr->step[0] = 254;   /* marker: blocked by capacity */
			if (ledger && cx_ledger_add(ledger, "blocked.capacity", "", 1) < 0) {
				rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
				goto out;
			}
		}
	}
	cx_plan_rank_resort(c.recs, c.nrec, nact);
	if (o->explain) {
		if (!c.explain_found) {
			rc = cx_error_set(err, CX_EUSAGE, "", 0, "customer '%s' not in the input",
			                  o->explain);
			goto out;
		}
		for (k = 0; k < c.nrec; k++)
			if (c.recs[k].seq == c.explain_seq) {
				const struct cx_plan_rec *rr = &c.recs[k];
				fputs(c.explain_text, o->explain_out ? o->explain_out : stdout);
				fprintf(o->explain_out ? o->explain_out : stdout,
				        "  result: rank %zu of %zu, action %s, channel %s%s\n", k + 1,
				        c.nrec, rr->assigned != 255 ? kind_names[rr->kind] : "none",
				        rr->assigned != 255 ? cx_channel_name(rr->cand[rr->assigned]) : "-",
				        rr->step[0] == 254 ? " (blocked by capacity)" :
				        rr->assigned > 0 && rr->assigned != 255 ? " (capacity overflow)" : "");
			}
		rc = 0;
		goto out;
	}
	if (!(out = cx_output_open(o->output, o->out_flags, err))) {
		rc = err->code;
		goto out;
	}
	if (c.ctl && !(lo = cx_output_open(o->ledger, o->out_flags, err))) {
		rc = err->code;
		goto out;
	}
	if ((rc = write_plan(&c, out, err)) < 0)
		goto out;
	if (c.ctl && cx_ledger_add(c.ctl, "customers_out", "", (int64_t)c.written) < 0) {
		rc = cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		goto out;
	}
	{
		static const char *const check[] = { "customers", "balance", NULL };
		rc = cx_ledger_publish(c.ctl, check, &out, &lo, err);
	}
	if (rc < 0)
		goto out;
	if (ledger) {
		cx_ledger_add(ledger, "customers", "", (int64_t)c.nrec);
		for (i = 0; i < CX_CH_N; i++)
			if (used[i]) {
				char m[64];
				snprintf(m, sizeof m, "planned.%s", cx_channel_name(i));
				cx_ledger_add(ledger, m, "", used[i]);
			}
		cx_ledger_add(ledger, "contacts_without_account", "", c.contacts_orphan);
		cx_ledger_add(ledger, "payments_without_account", "", c.payments_orphan);
	}
out:
	cx_output_abort(out);
	cx_output_abort(lo);
	cx_ledger_free(c.ctl);
	cx_tsv_close(r);
	cx_plan_ev_close(c.evr);
	if (c.tmp)
		fclose(c.tmp);
	cx_free(c.tmpbuf);
	for (k = 0; k < c.nacct; k++)
		cx_free(c.accts[k]);
	cx_free(c.accts);
	cx_free(c.ev);
	cx_free(c.pay);
	cx_free(c.recs);
	cx_free(c.row.p);
	cx_free(c.ex.p);
	cx_free(c.explain_text);
	cx_tz_cache_free(c.tzc);
	cx_policy_free(c.pol);
	cx_capacity_free(c.cap);
	return rc < 0 ? rc : 0;
}
