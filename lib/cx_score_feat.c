#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cx_mem.h"
#include "cx_schema.h"
#include "cx_score_feat.h"
#include "cx_score_model.h"

#define CAP CX_SC_DIM_CAPACITY
#define WIL CX_SC_DIM_WILLINGNESS

static const struct cx_sf_info info[CX_SF_COUNT] = {
	[CX_SF_N_ACCOUNTS] = { "n_accounts", CAP, 0, "C01", "number of accounts" },
	[CX_SF_N_PRODUCTS] = { "n_products", CAP, 0, "C02", "number of products" },
	[CX_SF_BALANCE] = { "balance", CAP, 0, "C03", "total balance" },
	[CX_SF_PAST_DUE_RATIO] = { "past_due_ratio", WIL, 0, "W01", "share of the balance past due" },
	[CX_SF_DPD_NOW] = { "dpd_now", WIL, 0, "W02", "days past due now" },
	[CX_SF_CREDIT_LIMIT] = { "credit_limit", CAP, 0, "C04", "credit limit" },
	[CX_SF_UTILISATION] = { "utilisation", CAP, 0, "C05", "balance high against the credit limit" },
	[CX_SF_MONTHS_ON_BOOK] = { "months_on_book", CAP, 0, "C06", "short time on book" },
	[CX_SF_DAYS_SINCE_PAYMENT] = { "days_since_payment", WIL, 0, "W03", "time since the last payment" },
	[CX_SF_STMT_MONTHS] = { "stmt_months", CAP, 0, "C07", "short statement history" },
	[CX_SF_DPD_LAST] = { "dpd_last", WIL, 0, "W04", "late on the latest statement" },
	[CX_SF_DPD_PREV] = { "dpd_prev", WIL, 0, "W05", "late on the previous statement" },
	[CX_SF_DPD_MAX_3M] = { "dpd_max_3m", WIL, 0, "W06", "worst delay in 3 months" },
	[CX_SF_DPD_MAX_6M] = { "dpd_max_6m", WIL, 0, "W07", "worst delay in 6 months" },
	[CX_SF_DPD_MAX_12M] = { "dpd_max_12m", WIL, 0, "W08", "worst delay in 12 months" },
	[CX_SF_LATE30_3M] = { "late30_3m", WIL, 0, "W09", "months 30+ days late in 3 months" },
	[CX_SF_LATE30_6M] = { "late30_6m", WIL, 0, "W10", "months 30+ days late in 6 months" },
	[CX_SF_LATE30_12M] = { "late30_12m", WIL, 0, "W11", "months 30+ days late in 12 months" },
	[CX_SF_LATE60_12M] = { "late60_12m", WIL, 0, "W12", "months 60+ days late in 12 months" },
	[CX_SF_LATE90_12M] = { "late90_12m", WIL, 0, "W13", "months 90+ days late in 12 months" },
	[CX_SF_DPD_TREND] = { "dpd_trend", WIL, 0, "W14", "delay getting worse" },
	[CX_SF_PAY_RATIO_1M] = { "pay_ratio_1m", CAP, 0, "C08", "paid little of the last bill" },
	[CX_SF_PAY_RATIO_3M] = { "pay_ratio_3m", CAP, 0, "C09", "paid little of the bills in 3 months" },
	[CX_SF_PAY_RATIO_6M] = { "pay_ratio_6m", CAP, 0, "C10", "paid little of the bills in 6 months" },
	[CX_SF_FULL_PAY_6M] = { "full_pay_6m", CAP, 0, "C11", "few bills paid in full" },
	[CX_SF_NO_PAY_6M] = { "no_pay_6m", WIL, 0, "W15", "months without a payment" },
	[CX_SF_UTIL_LAST] = { "util_last", CAP, 0, "C12", "last statement high against the limit" },
	[CX_SF_UTIL_MAX_6M] = { "util_max_6m", CAP, 0, "C13", "high use of the limit in 6 months" },
	[CX_SF_UTIL_AVG_6M] = { "util_avg_6m", CAP, 0, "C14", "average use of the limit in 6 months" },
	[CX_SF_UTIL_TREND] = { "util_trend", CAP, 0, "C15", "use of the limit rising" },
	[CX_SF_ZERO_BAL_6M] = { "zero_bal_6m", CAP, 0, "C16", "few months with nothing owed" },
	[CX_SF_PAID_TO_LIMIT_6M] = { "paid_to_limit_6m", CAP, 0, "C17", "payments small against the limit" },
	[CX_SF_MONTHS_CLEAN] = { "months_clean", WIL, 0, "W16", "few months in a row on time" },
	[CX_SF_DELAY_PATTERN] = { "delay_pattern", WIL, 1, "W17", "recent delay pattern" },
	[CX_SF_DELAY_PATTERN_PREV] = { "delay_pattern_prev", WIL, 1, "W29", "delay pattern 2 and 3 months ago" },
	[CX_SF_BAL_LAST] = { "bal_last", CAP, 0, "C19", "balance of the latest statement" },
	[CX_SF_PAID_LAST] = { "paid_last", CAP, 0, "C20", "small last payment" },
	[CX_SF_PAID_PREV] = { "paid_prev", CAP, 0, "C21", "small payment the month before" },
	[CX_SF_PAID_AVG_6M] = { "paid_avg_6m", CAP, 0, "C22", "small payments in 6 months" },
	[CX_SF_PAID_MIN_6M] = { "paid_min_6m", CAP, 0, "C23", "a month with a small payment" },
	[CX_SF_MONTHS_PAID_6M] = { "months_paid_6m", WIL, 0, "W28", "few months with a payment" },
	[CX_SF_DPD_SUM_6M] = { "dpd_sum_6m", WIL, 0, "W30", "many days late in 6 months" },
	[CX_SF_REVOLVING_6M] = { "revolving_6m", CAP, 0, "C24", "months carrying a balance" },
	[CX_SF_BAL_CHANGE_1M] = { "bal_change_1m", CAP, 0, "C25", "balance rising against the limit" },
	[CX_SF_PAY_COUNT_90D] = { "pay_count_90d", WIL, 0, "W18", "few payments in 90 days" },
	[CX_SF_PAY_RATIO_90D] = { "pay_ratio_90d", CAP, 0, "C18", "paid little in 90 days" },
	[CX_SF_PROMISES_180D] = { "promises_180d", WIL, 0, "W19", "promises to pay made" },
	[CX_SF_PROMISES_KEPT] = { "promises_kept", WIL, 0, "W20", "few promises kept" },
	[CX_SF_PROMISES_BROKEN] = { "promises_broken", WIL, 0, "W21", "broken promises to pay" },
	[CX_SF_PROMISE_KEEP_RATE] = { "promise_keep_rate", WIL, 0, "W22", "low promise-kept rate" },
	[CX_SF_RPC_RATE] = { "rpc_rate", WIL, 0, "W23", "hard to reach by phone" },
	[CX_SF_RESPONSE_RATE] = { "response_rate", WIL, 0, "W24", "does not respond to messages" },
	[CX_SF_INBOUND_180D] = { "inbound_180d", WIL, 0, "W25", "rarely contacts us" },
	[CX_SF_DISPUTES_180D] = { "disputes_180d", WIL, 0, "W26", "disputes or complaints" },
	[CX_SF_DIGITAL_180D] = { "digital_180d", WIL, 0, "W27", "low digital engagement" },
};

const struct cx_sf_info *
cx_sf_info(int id)
{
	return id >= 0 && id < CX_SF_COUNT ? &info[id] : NULL;
}

int
cx_sf_find(const char *name)
{
	for (int i = 0; i < CX_SF_COUNT; i++)
		if (strcmp(info[i].name, name) == 0)
			return i;
	return -1;
}

void
cx_sf_customer_reset(struct cx_sf_customer *c)
{
	c->nacc = c->nstmt = c->npay = c->ncon = 0;
}

void
cx_sf_customer_free(struct cx_sf_customer *c)
{
	cx_free(c->acc);
	cx_free(c->stmt);
	cx_free(c->pay);
	cx_free(c->con);
	memset(c, 0, sizeof *c);
}

#define ADDER(fn, type, arr, n, cap)                                                   \
	type *fn(struct cx_sf_customer *c)                                                 \
	{                                                                                  \
		void *p = c->arr;                                                              \
		if (cx_grow(&p, &c->cap, c->n + 1, sizeof(type)) < 0)                          \
			return NULL;                                                               \
		c->arr = p;                                                                    \
		type *e = &c->arr[c->n++];                                                     \
		memset(e, 0, sizeof *e);                                                       \
		return e;                                                                      \
	}
ADDER(cx_sf_add_account, struct cx_sf_account, acc, nacc, capacc)
ADDER(cx_sf_add_stmt, struct cx_sf_stmt, stmt, nstmt, capstmt)
ADDER(cx_sf_add_pay, struct cx_sf_pay, pay, npay, cappay)
ADDER(cx_sf_add_contact, struct cx_sf_contact, con, ncon, capcon)

static int
cmp_stmt_desc(const void *a, const void *b)
{
	const struct cx_sf_stmt *p = a, *q = b;
	return (p->date < q->date) - (p->date > q->date);
}

/* Stable insertion sort, latest first: the order qsort (a stable merge
 * sort in glibc) gives, for the dozen or two statements of a customer
 * without its calls through a comparison pointer.  Equal dates keep their
 * input order, which the month sums below depend on to the last bit. */
static void
stmt_sort_desc(struct cx_sf_stmt *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct cx_sf_stmt x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1].date < x.date) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static int
ym(cx_day d)
{
	int y, m, dd;
	cx_day_to_ymd(d, &y, &m, &dd);
	return y * 12 + (m - 1);
}

struct month {
	double balance, paid, dpd;
	int ym;
};

static double
nz(double v)
{
	return isnan(v) ? 0.0 : v;
}

static double
months_late(double dpd)
{
	if (isnan(dpd) || dpd <= 0)
		return 0;
	double k = ceil(dpd / 30.0);
	return k > 3 ? 3 : k;
}

/* State of statement month k: 1..3 months late; else 7 nothing owed,
 * 8 paid the previous statement in full, 0 revolving. */
static int
month_state(const struct month *mo, size_t nm, size_t k)
{
	if (mo[k].dpd > 0)
		return (int)months_late(mo[k].dpd);
	if (mo[k].balance <= 0)
		return 7;
	if (k + 1 < nm && mo[k + 1].balance > 0 && mo[k].paid >= mo[k + 1].balance)
		return 8;
	return 0;
}

int
cx_sf_compute(struct cx_sf_customer *c, cx_day as_of, double *f)
{
	for (int i = 0; i < CX_SF_COUNT; i++)
		f[i] = NAN;

	/* ---- accounts ---- */
	double bal = 0, pd = 0, lim = 0, dpd = NAN;
	int have_lim = 0, have_bal = 0;
	cx_day open = CX_DAY_NONE, lastpay = CX_DAY_NONE;
	size_t nprod = 0;
	int disputes = 0;
	for (size_t i = 0; i < c->nacc; i++) {
		const struct cx_sf_account *a = &c->acc[i];
		if (!isnan(a->balance)) {
			bal += a->balance;
			have_bal = 1;
		}
		pd += nz(a->past_due);
		if (!isnan(a->limit) && a->limit > 0) {
			lim += a->limit;
			have_lim = 1;
		}
		if (!isnan(a->dpd) && (isnan(dpd) || a->dpd > dpd))
			dpd = a->dpd;
		if (a->open_date != CX_DAY_NONE && (open == CX_DAY_NONE || a->open_date < open))
			open = a->open_date;
		if (a->last_pay_date != CX_DAY_NONE && a->last_pay_date <= as_of &&
		    (lastpay == CX_DAY_NONE || a->last_pay_date > lastpay))
			lastpay = a->last_pay_date;
		if (a->has_product) {
			size_t j;
			for (j = 0; j < i; j++)
				if (c->acc[j].has_product && c->acc[j].product_hash == a->product_hash)
					break;
			if (j == i)
				nprod++;
		}
		disputes += a->dispute;
	}
	f[CX_SF_N_ACCOUNTS] = (double)c->nacc;
	f[CX_SF_N_PRODUCTS] = (double)nprod;
	if (have_bal) {
		f[CX_SF_BALANCE] = bal;
		if (bal > 0)
			f[CX_SF_PAST_DUE_RATIO] = pd / bal;
	}
	f[CX_SF_DPD_NOW] = dpd;
	if (have_lim) {
		f[CX_SF_CREDIT_LIMIT] = lim;
		if (have_bal)
			f[CX_SF_UTILISATION] = bal / lim;
	}
	if (open != CX_DAY_NONE && open <= as_of)
		f[CX_SF_MONTHS_ON_BOOK] = floor((as_of - open) / 30.4375);

	/* ---- payments ---- */
	double paid90 = 0;
	int n90 = 0;
	for (size_t i = 0; i < c->npay; i++) {
		const struct cx_sf_pay *p = &c->pay[i];
		if (p->date == CX_DAY_NONE || p->date > as_of)
			continue;
		if (lastpay == CX_DAY_NONE || p->date > lastpay)
			lastpay = p->date;
		if (p->date > as_of - 90 && p->amount > 0) {
			paid90 += p->amount;
			n90++;
		}
	}
	if (lastpay != CX_DAY_NONE)
		f[CX_SF_DAYS_SINCE_PAYMENT] = as_of - lastpay;
	if (c->npay) {
		f[CX_SF_PAY_COUNT_90D] = n90;
		if (have_bal && bal + paid90 > 0)
			f[CX_SF_PAY_RATIO_90D] = paid90 / (bal + paid90);
	}

	/* ---- statements: months, latest first, within 12 months ---- */
	struct month mo[12];
	size_t nm = 0;
	if (c->nstmt > 64)
		qsort(c->stmt, c->nstmt, sizeof *c->stmt, cmp_stmt_desc);
	else
		stmt_sort_desc(c->stmt, c->nstmt);
	if (!c->ym_as_of_set || c->ym_as_of != as_of) {
		for (int i = 0; i < 367; i++)
			c->ym[i] = ym(as_of - i);
		c->ym_as_of = as_of;
		c->ym_as_of_set = 1;
	}
	for (size_t i = 0; i < c->nstmt && nm <= 12; i++) {
		const struct cx_sf_stmt *s = &c->stmt[i];
		if (s->date == CX_DAY_NONE || s->date > as_of || s->date <= as_of - 366)
			continue;
		int k = c->ym[as_of - s->date];   /* 0 <= as_of - date < 366 here */
		if (nm == 0 || mo[nm - 1].ym != k) {
			if (nm == 12)
				break;
			mo[nm].ym = k;
			mo[nm].balance = mo[nm].paid = 0;
			mo[nm].dpd = 0;
			nm++;
		}
		struct month *m = &mo[nm - 1];
		m->balance += nz(s->balance);
		m->paid += nz(s->paid);
		if (!isnan(s->dpd) && s->dpd > m->dpd)
			m->dpd = s->dpd;
	}
	if (nm) {
		f[CX_SF_STMT_MONTHS] = (double)nm;
		f[CX_SF_DPD_LAST] = mo[0].dpd;
		if (nm > 1)
			f[CX_SF_DPD_PREV] = mo[1].dpd;
		double mx3 = 0, mx6 = 0, mx12 = 0;
		int l30_3 = 0, l30_6 = 0, l30_12 = 0, l60 = 0, l90 = 0, zero6 = 0;
		for (size_t k = 0; k < nm; k++) {
			double d = mo[k].dpd;
			if (k < 3 && d > mx3)
				mx3 = d;
			if (k < 6 && d > mx6)
				mx6 = d;
			if (d > mx12)
				mx12 = d;
			if (d >= 30) {
				l30_12++;
				if (k < 6)
					l30_6++;
				if (k < 3)
					l30_3++;
			}
			if (d >= 60)
				l60++;
			if (d >= 90)
				l90++;
			if (k < 6 && mo[k].balance <= 0)
				zero6++;
		}
		f[CX_SF_DPD_MAX_3M] = mx3;
		f[CX_SF_DPD_MAX_6M] = mx6;
		f[CX_SF_DPD_MAX_12M] = mx12;
		f[CX_SF_LATE30_3M] = l30_3;
		f[CX_SF_LATE30_6M] = l30_6;
		f[CX_SF_LATE30_12M] = l30_12;
		f[CX_SF_LATE60_12M] = l60;
		f[CX_SF_LATE90_12M] = l90;
		f[CX_SF_ZERO_BAL_6M] = zero6;
		size_t clean = 0;
		while (clean < nm && mo[clean].dpd <= 0)
			clean++;
		f[CX_SF_MONTHS_CLEAN] = (double)clean;
		f[CX_SF_DELAY_PATTERN] = 10 * month_state(mo, nm, 0) + (nm > 1 ? month_state(mo, nm, 1) : 9);
		if (nm > 1)
			f[CX_SF_DELAY_PATTERN_PREV] =
				10 * month_state(mo, nm, 1) + (nm > 2 ? month_state(mo, nm, 2) : 9);
		size_t w = nm < 6 ? nm : 6;
		if (w > 1) {
			double s = 0;
			for (size_t k = 1; k < w; k++)
				s += mo[k].dpd;
			f[CX_SF_DPD_TREND] = mo[0].dpd - s / (double)(w - 1);
		}
		/* paid in month k against the balance of statement k+1 */
		double p1 = 0, b1 = 0, p3 = 0, b3 = 0, p6 = 0, b6 = 0, paidall = 0;
		int full = 0, none = 0, pairs = 0;
		for (size_t k = 0; k < w; k++) {
			paidall += mo[k].paid;
			if (k + 1 >= nm)
				break;
			double prevb = mo[k + 1].balance, pk = mo[k].paid;
			pairs++;
			if (k < 1) {
				p1 += pk;
				b1 += prevb;
			}
			if (k < 3) {
				p3 += pk;
				b3 += prevb;
			}
			p6 += pk;
			b6 += prevb;
			if (prevb > 0 && pk >= prevb)
				full++;
			if (prevb > 0 && pk <= 0)
				none++;
		}
		f[CX_SF_BAL_LAST] = mo[0].balance;
		f[CX_SF_PAID_LAST] = mo[0].paid;
		if (nm > 1)
			f[CX_SF_PAID_PREV] = mo[1].paid;
		{
			double pmin = INFINITY;
			int mp = 0;
			for (size_t k = 0; k < w; k++) {
				if (mo[k].paid < pmin)
					pmin = mo[k].paid;
				if (mo[k].paid > 0)
					mp++;
			}
			double dsum = 0;
			int rev = 0;
			for (size_t k = 0; k < w; k++) {
				dsum += mo[k].dpd;
				if (month_state(mo, nm, k) == 0)
					rev++;
			}
			f[CX_SF_DPD_SUM_6M] = dsum;
			f[CX_SF_REVOLVING_6M] = rev;
			if (nm > 1 && have_lim)
				f[CX_SF_BAL_CHANGE_1M] = (mo[0].balance - mo[1].balance) / lim;
			f[CX_SF_PAID_AVG_6M] = paidall / (double)w;
			f[CX_SF_PAID_MIN_6M] = pmin;
			f[CX_SF_MONTHS_PAID_6M] = mp;
		}
		if (b1 > 0)
			f[CX_SF_PAY_RATIO_1M] = p1 / b1;
		if (b3 > 0)
			f[CX_SF_PAY_RATIO_3M] = p3 / b3;
		if (b6 > 0)
			f[CX_SF_PAY_RATIO_6M] = p6 / b6;
		if (pairs) {
			f[CX_SF_FULL_PAY_6M] = full;
			f[CX_SF_NO_PAY_6M] = none;
		}
		if (have_lim) {
			double umax = -INFINITY, usum = 0;
			for (size_t k = 0; k < w; k++) {
				double u = mo[k].balance / lim;
				usum += u;
				if (u > umax)
					umax = u;
			}
			f[CX_SF_UTIL_LAST] = mo[0].balance / lim;
			f[CX_SF_UTIL_MAX_6M] = umax;
			f[CX_SF_UTIL_AVG_6M] = usum / (double)w;
			if (w > 1)
				f[CX_SF_UTIL_TREND] = (mo[0].balance - mo[w - 1].balance) / lim;
			f[CX_SF_PAID_TO_LIMIT_6M] = paidall / lim;
		}
	}

	/* ---- contacts in the last 180 days ---- */
	if (c->ncon) {
		int prom = 0, kept = 0, broken = 0, calls = 0, rpc = 0, dig = 0, resp = 0, inb = 0,
		    disp = disputes, eng = 0;
		for (size_t i = 0; i < c->ncon; i++) {
			const struct cx_sf_contact *k = &c->con[i];
			if (k->day == CX_DAY_NONE || k->day > as_of || k->day <= as_of - 180)
				continue;
			const char *ch = k->channel >= 0 ? cx_channel_names[k->channel] : "";
			const char *oc = k->outcome >= 0 ? cx_outcome_names[k->outcome] : "";
			int voice = !strcmp(ch, "call") || !strcmp(ch, "ivr") || !strcmp(ch, "visit");
			int digital = !strcmp(ch, "sms") || !strcmp(ch, "whatsapp") ||
			              !strcmp(ch, "email") || !strcmp(ch, "portal");
			if (!strcmp(oc, "dispute") || !strcmp(oc, "complaint"))
				disp++;
			if (!strcmp(oc, "opened") || !strcmp(oc, "clicked") ||
			    (k->direction == CX_SF_IN && digital))
				eng++;
			if (k->direction == CX_SF_IN) {
				inb++;
			} else if (voice) {
				calls++;
				if (!strcmp(oc, "right_party") || !strcmp(oc, "promise") ||
				    !strcmp(oc, "refused") || !strcmp(oc, "paid") || !strcmp(oc, "dispute") ||
				    !strcmp(oc, "complaint"))
					rpc++;
			} else if (digital || !strcmp(ch, "letter")) {
				dig++;
				if (!strcmp(oc, "opened") || !strcmp(oc, "clicked") || !strcmp(oc, "paid") ||
				    !strcmp(oc, "promise"))
					resp++;
			}
			if (!strcmp(oc, "promise")) {
				prom++;
				cx_day due = k->promise_date != CX_DAY_NONE ? k->promise_date : k->day;
				double want = !isnan(k->promise_amount) && k->promise_amount > 0
				                  ? k->promise_amount
				                  : 0.01;
				double got = 0;
				for (size_t j = 0; j < c->npay; j++)
					if (c->pay[j].date >= k->day && c->pay[j].date <= due + CX_SF_PROMISE_GRACE &&
					    c->pay[j].date <= as_of)
						got += c->pay[j].amount;
				if (got + 1e-9 >= want)
					kept++;
				else if (due + CX_SF_PROMISE_GRACE < as_of)
					broken++;
			}
		}
		f[CX_SF_PROMISES_180D] = prom;
		f[CX_SF_PROMISES_KEPT] = kept;
		f[CX_SF_PROMISES_BROKEN] = broken;
		if (kept + broken)
			f[CX_SF_PROMISE_KEEP_RATE] = (double)kept / (kept + broken);
		if (calls)
			f[CX_SF_RPC_RATE] = (double)rpc / calls;
		if (dig)
			f[CX_SF_RESPONSE_RATE] = (double)resp / dig;
		f[CX_SF_INBOUND_180D] = inb;
		f[CX_SF_DISPUTES_180D] = disp;
		f[CX_SF_DIGITAL_180D] = eng;
	} else if (disputes) {
		f[CX_SF_DISPUTES_180D] = disputes;
	}
	return 0;
}
