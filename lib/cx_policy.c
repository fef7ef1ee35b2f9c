/* cx_policy — policy file reader; see cx_policy.h and cx-policy(5). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_holiday.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_policy.h"

#define POLICY_MAX_BYTES (1u << 20)

static const char *const chan_names[CX_CH_N] = {
	"sms", "whatsapp", "email", "call", "ivr", "letter", "visit", "portal"
};

int
cx_channel_index(const char *s, size_t n)
{
	int i;
	for (i = 0; i < CX_CH_N; i++)
		if (strlen(chan_names[i]) == n && memcmp(chan_names[i], s, n) == 0)
			return i;
	return -1;
}

const char *
cx_channel_name(int ch)
{
	return ch >= 0 && ch < CX_CH_N ? chan_names[ch] : "";
}

/* ---- line syntax ------------------------------------------------------ */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
cx_conf_next(const char **pos, const char *end, long *line, struct cx_conf_item *it,
             const char **why)
{
	const char *p = *pos;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *e, *hash;
		if (!eol)
			eol = end;
		(*line)++;
		*pos = eol < end ? eol + 1 : end;
		p = *pos;
		if (memchr(b, '\0', (size_t)(eol - b))) {
			*why = "NUL byte in line";
			return -1;
		}
		hash = memchr(b, '#', (size_t)(eol - b));
		e = hash ? hash : eol;
		while (b < e && is_blank(*b))
			b++;
		while (e > b && is_blank(e[-1]))
			e--;
		if (b == e)
			continue;
		memset(it, 0, sizeof *it);
		if (*b == '[') {
			const char *k, *ke, *n, *ne;
			if (e[-1] != ']') {
				*why = "section header without closing ']'";
				return -1;
			}
			k = b + 1;
			ne = e - 1;
			while (k < ne && is_blank(*k))
				k++;
			ke = k;
			while (ke < ne && !is_blank(*ke))
				ke++;
			n = ke;
			while (n < ne && is_blank(*n))
				n++;
			while (ne > n && is_blank(ne[-1]))
				ne--;
			if (ke == k || (size_t)(ke - k) >= sizeof it->kind ||
			    (size_t)(ne - n) >= sizeof it->name) {
				*why = "malformed section header";
				return -1;
			}
			memcpy(it->kind, k, (size_t)(ke - k));
			memcpy(it->name, n, (size_t)(ne - n));
			if (memchr(it->name, ' ', strlen(it->name)) ||
			    memchr(it->name, '\t', strlen(it->name))) {
				*why = "section name with blanks";
				return -1;
			}
			it->is_section = 1;
			return 1;
		} else {
			const char *eq = memchr(b, '=', (size_t)(e - b)), *ke, *v;
			if (!eq) {
				*why = "expected 'key = value' or '[section name]'";
				return -1;
			}
			ke = eq;
			while (ke > b && is_blank(ke[-1]))
				ke--;
			v = eq + 1;
			while (v < e && is_blank(*v))
				v++;
			if (ke == b) {
				*why = "missing key before '='";
				return -1;
			}
			if ((size_t)(ke - b) >= sizeof it->key || (size_t)(e - v) >= sizeof it->value) {
				*why = "key or value too long";
				return -1;
			}
			memcpy(it->key, b, (size_t)(ke - b));
			memcpy(it->value, v, (size_t)(e - v));
			return 1;
		}
	}
	return 0;
}

int
cx_conf_tokens(const char *v, char tok[][64], int max)
{
	int n = 0;
	while (*v) {
		size_t l = 0;
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (!*v)
			break;
		while (v[l] && v[l] != ' ' && v[l] != '\t' && v[l] != ',')
			l++;
		if (n >= max || l >= 64)
			return -1;
		memcpy(tok[n], v, l);
		tok[n][l] = '\0';
		n++;
		v += l;
	}
	return n;
}

/* Copy a string already checked to fit (memcpy: no truncation warnings). */
static void
copy_str(char *dst, size_t size, const char *src)
{
	size_t l = strnlen(src, size - 1);
	memcpy(dst, src, l);
	dst[l] = '\0';
}

/* ---- value parsers ---------------------------------------------------- */
static int
parse_int(const char *s, long lo, long hi, int *out)
{
	long v = 0;
	int nd = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || nd > 9)
			return -1;
		v = v * 10 + (*s - '0');
		nd++;
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "12", "12.5", "12.25" percent -> basis points in [0, 10000] */
static int
parse_pct(const char *s, int *bp)
{
	long whole = 0, frac = 0;
	int nd = 0, nf = 0;
	while (*s >= '0' && *s <= '9' && nd < 4)
		whole = whole * 10 + (*s++ - '0'), nd++;
	if (!nd)
		return -1;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9' && nf < 2)
			frac = frac * 10 + (*s++ - '0'), nf++;
		if (!nf)
			return -1;
		if (nf == 1)
			frac *= 10;
	}
	if (*s || whole * 100 + frac > 10000)
		return -1;
	*bp = (int)(whole * 100 + frac);
	return 0;
}

static int
parse_hhmm(const char *s, int *min)
{
	if (!(s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' &&
	      s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9'))
		return -1;
	*min = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	return *min <= 24 * 60 ? 0 : -1;
}

static int
parse_window(const char *s, struct cx_window *w)
{
	int a, b;
	if (strcmp(s, "closed") == 0) {
		w->start = w->end = -1;
		return 0;
	}
	if (strlen(s) != 11 || s[5] != '-' || parse_hhmm(s, &a) < 0 ||
	    parse_hhmm(s + 6, &b) < 0 || a >= b)
		return -1;
	w->start = (int16_t)a;
	w->end = (int16_t)b;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		return *out = 1, 0;
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		return *out = 0, 0;
	return -1;
}

static int
parse_channels(const char *s, unsigned *mask)
{
	char tok[CX_CH_N * 2][64];
	int n = cx_conf_tokens(s, tok, CX_CH_N * 2), i;
	*mask = 0;
	if (n == 1 && !strcmp(tok[0], "none"))
		return 0;
	if (n == 1 && !strcmp(tok[0], "all"))
		return *mask = CX_CH_ALL, 0;
	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		int c = cx_channel_index(tok[i], strlen(tok[i]));
		if (c < 0)
			return -1;
		*mask |= 1u << c;
	}
	return 0;
}

static int
parse_date(const char *s, cx_day *out)
{
	int y, m, d, dim;
	long yy, era, yoe, doy, doe;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900 || y > 9999 || m < 1 ||
	    m > 12 || d < 1)
		return -1;
	dim = m == 2 ? (((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28)
	      : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
	if (d > dim)
		return -1;
	yy = y - (m <= 2);
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = (cx_day)(era * 146097 + doe - 719468);
	return 0;
}

/* ---- sections --------------------------------------------------------- */
static const char *const day_keys[] = { "hours.mon", "hours.tue", "hours.wed", "hours.thu",
                                        "hours.fri", "hours.sat", "hours.sun",
                                        "hours.holiday" };

#define FAIL(...) return cx_error_set(err, CX_EDATA, fname, line, __VA_ARGS__)

static int
profile_key(struct cx_profile *pr, const struct cx_conf_item *it, const char *fname,
            long line, struct cx_error *err)
{
	const char *k = it->key, *v = it->value;
	int i;
	struct cx_window w;
	for (i = 0; i < CX_DAYTYPES; i++) {
		if (!strcmp(k, day_keys[i])) {
			if (parse_window(v, &pr->hours[i]) < 0)
				FAIL("'%s': expected HH:MM-HH:MM (start before end) or 'closed'", k);
			return 0;
		}
	}
	if (!strcmp(k, "hours.weekdays") || !strcmp(k, "hours.all")) {
		if (parse_window(v, &w) < 0)
			FAIL("'%s': expected HH:MM-HH:MM (start before end) or 'closed'", k);
		for (i = 0; i < (k[6] == 'a' ? CX_DAYTYPES : 5); i++)
			pr->hours[i] = w;
		return 0;
	}
	if (!strcmp(k, "countries")) {
		char tok[16][64];
		int n = cx_conf_tokens(v, tok, 16);
		if (n <= 0)
			FAIL("'countries': expected 1 to 16 ISO 3166 alpha-2 codes");
		for (i = 0; i < n; i++) {
			if (strlen(tok[i]) != 2 || tok[i][0] < 'A' || tok[i][0] > 'Z' ||
			    tok[i][1] < 'A' || tok[i][1] > 'Z')
				FAIL("'countries': '%.8s' is not an upper-case ISO 3166 alpha-2 code",
				     tok[i]);
			memcpy(pr->countries[i], tok[i], 3);
		}
		pr->ncountries = n;
		return 0;
	}
	if (!strcmp(k, "default")) {
		if (parse_bool(v, &pr->is_default) < 0)
			FAIL("'default': expected yes or no");
		return 0;
	}
	if (!strcmp(k, "timezone")) {
		if (!*v || strlen(v) >= sizeof pr->timezone)
			FAIL("'timezone': expected an IANA zone name");
		copy_str(pr->timezone, sizeof pr->timezone, v);
		return 0;
	}
	if (!strcmp(k, "holidays")) {
		if (!strcmp(v, "none")) {
			pr->holidays[0] = '\0';
			return 0;
		}
		if (strlen(v) != 2 || !cx_holiday_supported(v))
			FAIL("'holidays': no calendar for '%.8s' (known: CO, MX, US, none)", v);
		memcpy(pr->holidays, v, 3);
		return 0;
	}
	if (!strcmp(k, "holiday")) {
		char tok[CX_POLICY_MAX_EXTRA][64];
		int n = cx_conf_tokens(v, tok, CX_POLICY_MAX_EXTRA);
		if (n <= 0)
			FAIL("'holiday': expected YYYY-MM-DD dates");
		for (i = 0; i < n; i++) {
			if (pr->nextra >= CX_POLICY_MAX_EXTRA)
				FAIL("'holiday': more than %d extra holidays", CX_POLICY_MAX_EXTRA);
			if (parse_date(tok[i], &pr->extra[pr->nextra]) < 0)
				FAIL("'holiday': '%.12s' is not a date YYYY-MM-DD", tok[i]);
			pr->nextra++;
		}
		return 0;
	}
	if (!strcmp(k, "channels") || !strcmp(k, "consent_required")) {
		unsigned m;
		if (parse_channels(v, &m) < 0)
			FAIL("'%s': expected channels from sms, whatsapp, email, call, ivr, letter, "
			     "visit, portal (or all, none)", k);
		if (k[1] == 'h')
			pr->channels = m;
		else
			pr->consent_required = m;
		return 0;
	}
	if (!strcmp(k, "week")) {
		if (!strcmp(v, "calendar"))
			pr->week_calendar = 1;
		else if (!strcmp(v, "rolling"))
			pr->week_calendar = 0;
		else
			FAIL("'week': expected calendar or rolling");
		return 0;
	}
	if (!strcmp(k, "opt_out")) {
		if (!strcmp(v, "all"))
			pr->opt_out_all = 1;
		else if (!strcmp(v, "channel"))
			pr->opt_out_all = 0;
		else
			FAIL("'opt_out': expected all or channel");
		return 0;
	}
	{
		static const struct { const char *k; size_t off; int max; } ints[] = {
			{ "max_contacts_per_day", offsetof(struct cx_profile, max_per_day), 100 },
			{ "max_contacts_per_week", offsetof(struct cx_profile, max_per_week), 1000 },
			{ "max_channels_per_week_after_contact",
			  offsetof(struct cx_profile, channels_per_week_after_contact), CX_CH_N },
			{ "call_attempts_max", offsetof(struct cx_profile, call_attempts_max), 1000 },
			{ "call_attempts_window_days",
			  offsetof(struct cx_profile, call_attempts_window_days), 366 },
			{ "call_after_conversation_days",
			  offsetof(struct cx_profile, call_after_conversation_days), 366 },
			{ "min_gap_days", offsetof(struct cx_profile, min_gap_days), 366 },
		};
		size_t j;
		for (j = 0; j < sizeof ints / sizeof ints[0]; j++) {
			if (!strcmp(k, ints[j].k)) {
				if (parse_int(v, 0, ints[j].max, (int *)((char *)pr + ints[j].off)) < 0)
					FAIL("'%s': expected an integer from 0 to %d", k, ints[j].max);
				return 0;
			}
		}
	}
	FAIL("unknown key '%.64s' in a profile section", k);
}

static int
ladder_key(struct cx_ladder *la, const struct cx_conf_item *it, const char *fname, long line,
           struct cx_error *err)
{
	const char *k = it->key, *v = it->value;
	if (!strcmp(k, "step")) {
		char tok[5][64];
		int n = cx_conf_tokens(v, tok, 5), c;
		struct cx_ladder_step *st;
		if (n < 3 || n > 4)
			FAIL("'step': expected CHANNEL WAIT_DAYS TEMPLATE [QUEUE]");
		if (la->nsteps >= CX_POLICY_MAX_STEPS)
			FAIL("ladder '%s' has more than %d steps", la->name, CX_POLICY_MAX_STEPS);
		st = &la->steps[la->nsteps];
		if ((c = cx_channel_index(tok[0], strlen(tok[0]))) < 0)
			FAIL("'step': unknown channel '%.16s'", tok[0]);
		st->channel = c;
		if (parse_int(tok[1], 0, 366, &st->wait_days) < 0)
			FAIL("'step': wait days must be an integer from 0 to 366");
		if (strlen(tok[2]) >= sizeof st->template_id ||
		    (n == 4 && strlen(tok[3]) >= sizeof st->queue))
			FAIL("'step': template or queue name longer than 31 bytes");
		memcpy(st->template_id, tok[2], strlen(tok[2]) + 1);
		if (n == 4)
			memcpy(st->queue, tok[3], strlen(tok[3]) + 1);
		else
			memcpy(st->queue, chan_names[c], strlen(chan_names[c]) + 1);
		la->nsteps++;
		return 0;
	}
	if (!strcmp(k, "offer")) {
		if (!strcmp(v, "none"))
			la->offer = CX_OFFER_NONE;
		else if (!strcmp(v, "plan"))
			la->offer = CX_OFFER_PLAN;
		else if (!strcmp(v, "settlement"))
			la->offer = CX_OFFER_SETTLEMENT;
		else
			FAIL("'offer': expected none, plan or settlement");
		return 0;
	}
	if (!strcmp(k, "contact")) {
		if (parse_bool(v, &la->contact) < 0)
			FAIL("'contact': expected yes or no");
		return 0;
	}
	if (!strcmp(k, "reset_days")) {
		if (parse_int(v, 1, 3660, &la->reset_days) < 0)
			FAIL("'reset_days': expected an integer from 1 to 3660");
		return 0;
	}
	FAIL("unknown key '%.64s' in a ladder section", k);
}

static int
promise_key(struct cx_policy *p, const struct cx_conf_item *it, const char *fname, long line,
            struct cx_error *err)
{
	const char *k = it->key, *v = it->value;
	if (!strcmp(k, "tolerance_pct")) {
		if (parse_pct(v, &p->promise_tolerance_bp) < 0 || p->promise_tolerance_bp > 5000)
			FAIL("'tolerance_pct': expected a percentage from 0 to 50");
		return 0;
	}
	if (!strcmp(k, "grace_days")) {
		if (parse_int(v, 0, 60, &p->promise_grace_days) < 0)
			FAIL("'grace_days': expected an integer from 0 to 60");
		return 0;
	}
	if (!strcmp(k, "courtesy_reminder_days")) {
		if (parse_int(v, 0, 30, &p->promise_courtesy_days) < 0)
			FAIL("'courtesy_reminder_days': expected an integer from 0 to 30");
		return 0;
	}
	if (!strcmp(k, "lookback_days")) {
		if (parse_int(v, 1, 3660, &p->promise_lookback_days) < 0)
			FAIL("'lookback_days': expected an integer from 1 to 3660");
		return 0;
	}
	FAIL("unknown key '%.64s' in the promise section", k);
}

static int
offer_key(struct cx_policy *p, const struct cx_conf_item *it, const char *fname, long line,
          struct cx_error *err)
{
	const char *k = it->key, *v = it->value;
	if (!strcmp(k, "plan_min_instalments") || !strcmp(k, "plan_max_instalments")) {
		int *dst = k[5] == 'm' && k[6] == 'i' ? &p->plan_min_instalments
		                                      : &p->plan_max_instalments;
		if (parse_int(v, 1, 120, dst) < 0)
			FAIL("'%s': expected an integer from 1 to 120", k);
		return 0;
	}
	if (!strcmp(k, "plan_first_due_days")) {
		if (parse_int(v, 0, 90, &p->plan_first_due_days) < 0)
			FAIL("'plan_first_due_days': expected an integer from 0 to 90");
		return 0;
	}
	if (!strcmp(k, "plan_history_days")) {
		if (parse_int(v, 1, 3660, &p->plan_history_days) < 0)
			FAIL("'plan_history_days': expected an integer from 1 to 3660");
		return 0;
	}
	if (!strcmp(k, "plan_min_instalment")) {
		char tok[CX_POLICY_MAX_CURRENCIES][64];
		int n = cx_conf_tokens(v, tok, CX_POLICY_MAX_CURRENCIES), i;
		if (n <= 0)
			FAIL("'plan_min_instalment': expected CUR:AMOUNT items (at most %d)",
			     CX_POLICY_MAX_CURRENCIES);
		p->nplan_min = 0;
		for (i = 0; i < n; i++) {
			const char *why = NULL;
			int ex;
			struct cx_policy_money *m = &p->plan_min_instalment[i];
			if (strlen(tok[i]) < 5 || tok[i][3] != ':' ||
			    (ex = cx_currency_exponent(tok[i], 3)) < 0)
				FAIL("'plan_min_instalment': expected CUR:AMOUNT with an ISO 4217 code");
			if (cx_money_parse(tok[i] + 4, strlen(tok[i] + 4), ex, &m->minor, &why) < 0 ||
			    m->minor <= 0)
				FAIL("'plan_min_instalment': bad amount for %.3s", tok[i]);
			memcpy(m->currency, tok[i], 3);
			m->currency[3] = '\0';
			p->nplan_min++;
		}
		return 0;
	}
	if (!strcmp(k, "settlement_max_discount_pct")) {
		if (parse_pct(v, &p->settlement_max_discount_bp) < 0 ||
		    p->settlement_max_discount_bp > 9000)
			FAIL("'settlement_max_discount_pct': expected a percentage from 0 to 90");
		return 0;
	}
	if (!strcmp(k, "settlement_discount")) {
		char tok[3][64];
		int n = cx_conf_tokens(v, tok, 3), b = p->settlement_bands;
		if (n != 2)
			FAIL("'settlement_discount': expected MIN_DPD PERCENT");
		if (b >= CX_POLICY_MAX_BANDS)
			FAIL("'settlement_discount': more than %d bands", CX_POLICY_MAX_BANDS);
		if (parse_int(tok[0], 0, 100000, &p->settlement_dpd[b]) < 0 ||
		    parse_pct(tok[1], &p->settlement_bp[b]) < 0)
			FAIL("'settlement_discount': expected MIN_DPD PERCENT");
		if (b > 0 && p->settlement_dpd[b] <= p->settlement_dpd[b - 1])
			FAIL("'settlement_discount': bands must be in ascending DPD order");
		p->settlement_bands++;
		return 0;
	}
	if (!strcmp(k, "settlement_valid_days")) {
		if (parse_int(v, 1, 365, &p->settlement_valid_days) < 0)
			FAIL("'settlement_valid_days': expected an integer from 1 to 365");
		return 0;
	}
	FAIL("unknown key '%.64s' in the offer section", k);
}

static void
profile_init(struct cx_profile *pr, const char *name, long line)
{
	int i;
	memset(pr, 0, sizeof *pr);
	copy_str(pr->name, sizeof pr->name, name);
	for (i = 0; i < CX_DAYTYPES; i++)
		pr->hours[i].start = pr->hours[i].end = -1;   /* closed unless stated */
	pr->channels = CX_CH_ALL;
	pr->call_attempts_window_days = 7;
	pr->line = line;
}

static int
valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

int
cx_policy_parse(const char *text, size_t n, const char *fname, struct cx_policy **out,
                struct cx_error *err)
{
	struct cx_policy *p;
	struct cx_conf_item it;
	const char *pos = text, *end = text + n, *why = NULL;
	long line = 0;
	int rc, sect = 0;   /* 0 none, 1 profile, 2 ladder, 3 promise, 4 offer */
	int seen_promise = 0, seen_offer = 0, i, j, k;

	*out = NULL;
	if (!fname)
		fname = "<policy>";
	if (!(p = cx_calloc(1, sizeof *p)))
		return cx_error_set(err, CX_ENOMEM, fname, 0, "out of memory");
	p->promise_tolerance_bp = 0;
	p->promise_grace_days = 0;
	p->promise_courtesy_days = 1;
	p->promise_lookback_days = 90;
	p->plan_min_instalments = 1;
	p->plan_max_instalments = 12;
	p->plan_first_due_days = 5;
	p->plan_history_days = 180;
	p->settlement_valid_days = 30;

	while ((rc = cx_conf_next(&pos, end, &line, &it, &why)) > 0) {
		if (it.is_section) {
			if (!strcmp(it.kind, "profile")) {
				if (!valid_name(it.name) || strlen(it.name) >= 32) {
					rc = cx_error_set(err, CX_EDATA, fname, line,
					                  "profile name must be 1-31 letters, digits, '_' or '-'");
					goto fail;
				}
				for (i = 0; i < p->nprofiles; i++)
					if (!strcmp(p->profiles[i].name, it.name)) {
						rc = cx_error_set(err, CX_EDATA, fname, line,
						                  "duplicate profile '%s' (first at line %ld)",
						                  it.name, p->profiles[i].line);
						goto fail;
					}
				if (p->nprofiles >= CX_POLICY_MAX_PROFILES) {
					rc = cx_error_set(err, CX_EDATA, fname, line, "more than %d profiles",
					                  CX_POLICY_MAX_PROFILES);
					goto fail;
				}
				profile_init(&p->profiles[p->nprofiles++], it.name, line);
				sect = 1;
			} else if (!strcmp(it.kind, "ladder")) {
				struct cx_ladder *la;
				if (!valid_name(it.name) || strlen(it.name) >= 32) {
					rc = cx_error_set(err, CX_EDATA, fname, line,
					                  "ladder name must be 1-31 letters, digits, '_' or '-'");
					goto fail;
				}
				for (i = 0; i < p->nladders; i++)
					if (!strcmp(p->ladders[i].name, it.name)) {
						rc = cx_error_set(err, CX_EDATA, fname, line,
						                  "duplicate ladder '%s' (first at line %ld)",
						                  it.name, p->ladders[i].line);
						goto fail;
					}
				if (p->nladders >= CX_POLICY_MAX_LADDERS) {
					rc = cx_error_set(err, CX_EDATA, fname, line, "more than %d ladders",
					                  CX_POLICY_MAX_LADDERS);
					goto fail;
				}
				la = &p->ladders[p->nladders++];
				memset(la, 0, sizeof *la);
				copy_str(la->name, sizeof la->name, it.name);
				la->contact = 1;
				la->reset_days = 30;
				la->line = line;
				sect = 2;
			} else if (!strcmp(it.kind, "promise") || !strcmp(it.kind, "offer")) {
				int *seen = it.kind[0] == 'p' ? &seen_promise : &seen_offer;
				if (it.name[0]) {
					rc = cx_error_set(err, CX_EDATA, fname, line,
					                  "section '%s' takes no name", it.kind);
					goto fail;
				}
				if (*seen) {
					rc = cx_error_set(err, CX_EDATA, fname, line,
					                  "duplicate section '%s'", it.kind);
					goto fail;
				}
				*seen = 1;
				sect = it.kind[0] == 'p' ? 3 : 4;
			} else {
				rc = cx_error_set(err, CX_EDATA, fname, line,
				                  "unknown section '%.32s' (expected profile, ladder, promise "
				                  "or offer)", it.kind);
				goto fail;
			}
			continue;
		}
		switch (sect) {
		case 1: rc = profile_key(&p->profiles[p->nprofiles - 1], &it, fname, line, err); break;
		case 2: rc = ladder_key(&p->ladders[p->nladders - 1], &it, fname, line, err); break;
		case 3: rc = promise_key(p, &it, fname, line, err); break;
		case 4: rc = offer_key(p, &it, fname, line, err); break;
		default:
			rc = cx_error_set(err, CX_EDATA, fname, line, "key '%.64s' outside any section",
			                  it.key);
		}
		if (rc < 0)
			goto fail;
	}
	if (rc < 0) {
		rc = cx_error_set(err, CX_EDATA, fname, line, "%s", why);
		goto fail;
	}
	/* whole-file checks */
	if (p->nprofiles == 0) {
		rc = cx_error_set(err, CX_EDATA, fname, 0, "no [profile] section");
		goto fail;
	}
	for (i = 0, k = -1; i < p->nprofiles; i++) {
		const struct cx_profile *a = &p->profiles[i];
		if (a->is_default) {
			if (k >= 0) {
				rc = cx_error_set(err, CX_EDATA, fname, a->line,
				                  "two default profiles ('%s' and '%s')",
				                  p->profiles[k].name, a->name);
				goto fail;
			}
			k = i;
		}
		if (!a->ncountries && !a->is_default) {
			rc = cx_error_set(err, CX_EDATA, fname, a->line,
			                  "profile '%s' has no 'countries' and is not the default",
			                  a->name);
			goto fail;
		}
		if (!a->timezone[0]) {
			rc = cx_error_set(err, CX_EDATA, fname, a->line,
			                  "profile '%s' has no 'timezone'", a->name);
			goto fail;
		}
		for (j = 0; j < i; j++) {
			int x, y;
			for (x = 0; x < a->ncountries; x++)
				for (y = 0; y < p->profiles[j].ncountries; y++)
					if (!strcmp(a->countries[x], p->profiles[j].countries[y])) {
						rc = cx_error_set(err, CX_EDATA, fname, a->line,
						                  "country '%s' in profiles '%s' and '%s'",
						                  a->countries[x], p->profiles[j].name, a->name);
						goto fail;
					}
		}
	}
	for (i = 0; i < p->nladders; i++) {
		const struct cx_ladder *la = &p->ladders[i];
		if (la->contact && la->nsteps == 0) {
			rc = cx_error_set(err, CX_EDATA, fname, la->line,
			                  "ladder '%s' has no 'step' (use 'contact = no' for none)",
			                  la->name);
			goto fail;
		}
	}
	if (p->plan_min_instalments > p->plan_max_instalments) {
		rc = cx_error_set(err, CX_EDATA, fname, 0,
		                  "plan_min_instalments is greater than plan_max_instalments");
		goto fail;
	}
	for (i = 0; i < p->settlement_bands; i++)
		if (p->settlement_bp[i] > p->settlement_max_discount_bp) {
			rc = cx_error_set(err, CX_EDATA, fname, 0,
			                  "settlement_discount band %d is above settlement_max_discount_pct",
			                  i + 1);
			goto fail;
		}
	*out = p;
	return 0;
fail:
	cx_free(p);
	return rc < 0 ? rc : CX_EDATA;
}

int
cx_policy_load(const char *path, struct cx_policy **out, struct cx_error *err)
{
	char *buf;
	size_t len;
	int rc;
	if (!path) {
		if (!(buf = cx_default_join(cx_policy_default_lines, &len)))
			return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory");
		rc = cx_policy_parse(buf, len, "<built-in policy>", out, err);
		cx_free(buf);
		return rc;
	}
	if (!(buf = cx_read_file(path, POLICY_MAX_BYTES, &len, err)))
		return err->code ? err->code : CX_ENOINPUT;
	rc = cx_policy_parse(buf, len, path, out, err);
	cx_free(buf);
	return rc;
}

char *
cx_default_join(const char *const *lines, size_t *len)
{
	size_t n = 0, i;
	char *buf, *w;
	for (i = 0; lines[i]; i++)
		n += strlen(lines[i]);
	if (!(buf = cx_malloc(n + 1)))
		return NULL;
	for (i = 0, w = buf; lines[i]; i++) {
		size_t l = strlen(lines[i]);
		memcpy(w, lines[i], l);
		w += l;
	}
	*w = '\0';
	*len = n;
	return buf;
}

void
cx_policy_free(struct cx_policy *p)
{
	cx_free(p);
}

const struct cx_profile *
cx_policy_profile(const struct cx_policy *p, const char *country, size_t n)
{
	int i, j;
	const struct cx_profile *dflt = NULL;
	for (i = 0; i < p->nprofiles; i++) {
		const struct cx_profile *pr = &p->profiles[i];
		if (n == 2)
			for (j = 0; j < pr->ncountries; j++)
				if (!memcmp(pr->countries[j], country, 2))
					return pr;
		if (pr->is_default)
			dflt = pr;
	}
	return dflt;
}

const struct cx_ladder *
cx_policy_ladder(const struct cx_policy *p, const char *t, size_t n)
{
	int i;
	for (i = 0; i < p->nladders; i++)
		if (strlen(p->ladders[i].name) == n && !memcmp(p->ladders[i].name, t, n))
			return &p->ladders[i];
	return NULL;
}

int
cx_profile_is_holiday(const struct cx_profile *pr, cx_day day)
{
	int i;
	for (i = 0; i < pr->nextra; i++)
		if (pr->extra[i] == day)
			return 1;
	return pr->holidays[0] && cx_holiday_name(pr->holidays, day) != NULL;
}

int
cx_profile_daytype(const struct cx_profile *pr, cx_day day)
{
	if (cx_profile_is_holiday(pr, day))
		return CX_DAYTYPE_HOLIDAY;
	return (int)((((long)day % 7) + 7 + 3) % 7);   /* 0 = Monday */
}

int64_t
cx_policy_min_instalment(const struct cx_policy *p, const char *currency)
{
	int i;
	for (i = 0; i < p->nplan_min; i++)
		if (!strcmp(p->plan_min_instalment[i].currency, currency))
			return p->plan_min_instalment[i].minor;
	return 0;
}

int
cx_policy_settlement_bp(const struct cx_policy *p, int dpd)
{
	int i, bp = 0;
	for (i = 0; i < p->settlement_bands; i++)
		if (dpd >= p->settlement_dpd[i])
			bp = p->settlement_bp[i];
	return bp;
}
