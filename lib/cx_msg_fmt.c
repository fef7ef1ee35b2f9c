/* cx_msg_fmt — money and date formatting for messages, SMS segment
 * counting and GSM-7 transliteration, message ids (cx_msg.h). */
#include "cx_msg.h"

#include <stdio.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_utf8.h"

const char *const cx_msg_placeholders[] = {
	"first_name", "name", "past_due", "amount_due", "total_owed", "due_date", "days",
	"payment_methods", "pay_link", "reference", "instalments", "instalment_amount",
	"first_due_date", "settlement_amount", "settlement_deadline", "creditor",
	"contact_line", "opt_out", "date", "plan", NULL
};

const char *const cx_msg_kind_names[] = { "sms", "whatsapp", "email", "call", "ivr", "letter",
	                                  NULL };

int
cx_msg_kind_index(const char *s, size_t n)
{
	int i;
	for (i = 0; i < CX_MK_N; i++)
		if (strlen(cx_msg_kind_names[i]) == n && memcmp(cx_msg_kind_names[i], s, n) == 0)
			return i;
	return -1;
}

/* ---- money --------------------------------------------------------------- */

static int
home_country(const char *cur, const char *country)
{
	static const char *const homes[][2] = {
		{ "COP", "CO" }, { "MXN", "MX" }, { "USD", "US" }, { "USD", "PR" },
		{ "USD", "EC" }, { "USD", "SV" }, { "USD", "PA" },
	};
	size_t i;
	if (!country)
		return 0;
	for (i = 0; i < sizeof homes / sizeof homes[0]; i++)
		if (strcmp(homes[i][0], cur) == 0 && strcmp(homes[i][1], country) == 0)
			return 1;
	return 0;
}

size_t
cx_msg_format_money(char *buf, int64_t minor, const char *currency, const char *country)
{
	char digits[32];
	uint64_t u, scale = 1, ip, fp;
	int exp, i, cop = strcmp(currency, "COP") == 0, home = home_country(currency, country);
	char gsep = cop ? '.' : ',', dsep = cop ? ',' : '.';
	size_t n = 0, nd, k;
	exp = cx_currency_exponent(currency, strlen(currency));
	if (exp < 0 || exp > 18)
		exp = 0;
	for (i = 0; i < exp; i++)
		scale *= 10;
	u = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	ip = u / scale;
	fp = u % scale;
	if (minor < 0)
		buf[n++] = '-';
	if (home) {
		buf[n++] = '$';
		if (cop)
			buf[n++] = ' ';
	} else {
		n += (size_t)snprintf(buf + n, 8, "%.3s ", currency);
	}
	nd = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
	for (k = 0; k < nd; k++) {
		if (k && (nd - k) % 3 == 0)
			buf[n++] = gsep;
		buf[n++] = digits[k];
	}
	if (exp > 0 && (!cop || fp != 0)) {
		buf[n++] = dsep;
		n += (size_t)snprintf(buf + n, 24, "%0*llu", exp, (unsigned long long)fp);
	}
	buf[n] = '\0';
	return n;
}

/* ---- dates ---------------------------------------------------------------- */

size_t
cx_msg_format_date(char *buf, cx_day d, const char *lang)
{
	static const char *const es[] = { "enero", "febrero", "marzo", "abril", "mayo", "junio",
		                          "julio", "agosto", "septiembre", "octubre",
		                          "noviembre", "diciembre" };
	static const char *const en[] = { "January", "February", "March", "April", "May",
		                          "June", "July", "August", "September", "October",
		                          "November", "December" };
	int y, m, dd, r;
	cx_day_to_ymd(d, &y, &m, &dd);
	if (m < 1 || m > 12)
		m = 1;
	if (lang && strcmp(lang, "es") == 0)
		r = snprintf(buf, CX_MSG_DATE_BUFSZ, "%d de %s de %d", dd, es[m - 1], y);
	else
		r = snprintf(buf, CX_MSG_DATE_BUFSZ, "%s %d, %d", en[m - 1], dd, y);
	return r < 0 ? 0 : (size_t)r;
}

/* ---- GSM 03.38 ------------------------------------------------------------- */

/* The basic table (3GPP TS 23.038 6.2.1) as Unicode code points, and the
 * extension table reached by ESC (counts 2 septets). */
static const uint16_t gsm_basic[128] = {
	0x40, 0xA3, 0x24, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, 0x0A, 0xD8, 0xF8, 0x0D, 0xC5,
	0xE5, 0x394, 0x5F, 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0xFFFF,
	0xC6, 0xE6, 0xDF, 0xC9, 0x20, 0x21, 0x22, 0x23, 0xA4, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A,
	0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
	0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0xA1, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
	0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
	0x58, 0x59, 0x5A, 0xC4, 0xD6, 0xD1, 0xDC, 0xA7, 0xBF, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
	0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75,
	0x76, 0x77, 0x78, 0x79, 0x7A, 0xE4, 0xF6, 0xF1, 0xFC, 0xE0
};
static const uint16_t gsm_ext[] = { 0x0C, 0x5E, 0x7B, 0x7D, 0x5C, 0x5B, 0x7E, 0x5D, 0x7C,
	                            0x20AC };

/* Septets for cp in GSM-7: 1, 2 (extension) or 0 (not representable). */
static int
gsm_width(uint32_t cp)
{
	size_t i;
	if (cp < 0x80) {
		/* ASCII fast path: printable ASCII is in the basic table except
		 * '`' and the eight extension characters; of the controls only
		 * LF and CR (basic) and FF (extension) */
		if (cp == 0x0A || cp == 0x0D)
			return 1;
		if (cp == 0x0C)
			return 2;
		if (cp < 0x20 || cp == 0x7F || cp == '`')
			return 0;
		return strchr("^{}\\[~]|", (int)cp) ? 2 : 1;
	}
	for (i = 0; i < 128; i++)
		if (i != 0x1B && gsm_basic[i] == cp) /* 0x1B: ESC to the extension */
			return 1;
	for (i = 0; i < sizeof gsm_ext / sizeof gsm_ext[0]; i++)
		if (gsm_ext[i] == cp)
			return 2;
	return 0;
}

void
cx_sms_count(const char *text, size_t n, struct cx_sms_info *out)
{
	size_t i, total = 0, cur;
	int gsm = 1, seg, len;
	uint32_t cp;
	/* pass 1: encoding and total units */
	for (i = 0; i < n; i += (size_t)len) {
		len = cx_utf8_decode(text + i, n - i, &cp);
		if (len <= 0) {
			len = 1;
			cp = 0xFFFD;
		}
		if (gsm && !gsm_width(cp))
			gsm = 0;
	}
	for (i = 0; i < n; i += (size_t)len) {
		len = cx_utf8_decode(text + i, n - i, &cp);
		if (len <= 0) {
			len = 1;
			cp = 0xFFFD;
		}
		total += gsm ? (size_t)gsm_width(cp) : (cp > 0xFFFF ? 2u : 1u);
	}
	out->gsm7 = gsm;
	out->units = total;
	if (total <= (gsm ? 160u : 70u)) {
		out->segments = total ? 1 : 0;
		return;
	}
	/* pass 2: pack into parts of 153/67 without splitting an escape pair
	 * or a surrogate pair */
	seg = 1;
	cur = 0;
	for (i = 0; i < n; i += (size_t)len) {
		size_t w;
		len = cx_utf8_decode(text + i, n - i, &cp);
		if (len <= 0) {
			len = 1;
			cp = 0xFFFD;
		}
		w = gsm ? (size_t)gsm_width(cp) : (cp > 0xFFFF ? 2u : 1u);
		if (cur + w > (gsm ? 153u : 67u)) {
			seg++;
			cur = 0;
		}
		cur += w;
	}
	out->segments = seg;
}

/* Transliterations to GSM-7 for common Latin characters outside it. */
static const struct {
	uint32_t cp;
	const char *to;
} translit[] = {
	{ 0xE1, "a" }, { 0xED, "i" }, { 0xF3, "o" }, { 0xFA, "u" }, { 0xC1, "A" },
	{ 0xCD, "I" }, { 0xD3, "O" }, { 0xDA, "U" }, { 0xC0, "A" }, { 0xC8, "E" },
	{ 0xCC, "I" }, { 0xD2, "O" }, { 0xD9, "U" }, { 0xE2, "a" }, { 0xEA, "e" },
	{ 0xEE, "i" }, { 0xF4, "o" }, { 0xFB, "u" }, { 0xC2, "A" }, { 0xCA, "E" },
	{ 0xCE, "I" }, { 0xD4, "O" }, { 0xDB, "U" }, { 0xE3, "a" }, { 0xF5, "o" },
	{ 0xC3, "A" }, { 0xD5, "O" }, { 0xE7, "c" }, { 0xEB, "e" }, { 0xEF, "i" },
	{ 0xCB, "E" }, { 0xCF, "I" }, { 0xFF, "y" }, { 0xFD, "y" }, { 0xDD, "Y" },
	{ 0xAA, "a" }, { 0xBA, "o" }, { 0xB0, "o" }, { 0xA0, " " }, { 0x2018, "'" },
	{ 0x2019, "'" }, { 0x201C, "\"" }, { 0x201D, "\"" }, { 0xAB, "\"" }, { 0xBB, "\"" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2026, "..." }, { 0x2022, "-" }, { 0x2009, " " },
	{ 0x202F, " " }, { 0x09, " " },
};

char *
cx_sms_transliterate(const char *text, size_t n, size_t *outn)
{
	char *out = cx_malloc(n * 3 + 1);
	size_t i, o = 0, k;
	int len;
	uint32_t cp;
	if (!out)
		return NULL;
	for (i = 0; i < n; i += (size_t)len) {
		const char *rep = NULL;
		len = cx_utf8_decode(text + i, n - i, &cp);
		if (len <= 0)
			len = 1;
		else if (!gsm_width(cp))
			for (k = 0; k < sizeof translit / sizeof translit[0]; k++)
				if (translit[k].cp == cp) {
					rep = translit[k].to;
					break;
				}
		if (rep) {
			memcpy(out + o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			memcpy(out + o, text + i, (size_t)len);
			o += (size_t)len;
		}
	}
	out[o] = '\0';
	if (outn)
		*outn = o;
	return out;
}

void
cx_msg_id(char *buf, cx_day run_date, const char *customer_key, const char *template_id)
{
	char tmp[256];
	char d[16];
	int n;
	cx_date_format(d, run_date);
	n = snprintf(tmp, sizeof tmp, "%s\x1f%s\x1f%s", d, customer_key, template_id);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof tmp)
		n = (int)sizeof tmp - 1;
	snprintf(buf, 18, "m%016llx", (unsigned long long)cx_hash64(tmp, (size_t)n, 0));
}
