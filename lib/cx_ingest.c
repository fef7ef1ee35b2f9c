/* cx_ingest — raw exports to canonical streams (see cx_ingest.h). */
#include <stddef.h>
#include <stdio.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cx_ahead.h"
#include "cx_csv.h"
#include "cx_identity.h"
#include "cx_ingest.h"
#include "cx_io.h"
#include "cx_map.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_norm.h"
#include "cx_pseudo.h"
#include "cx_sortspill.h"
#include "cx_tsv.h"
#include "cx_utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- small helpers exported for tests ------------------------------------ */

void cx_ingest_opts_init(struct cx_ingest_opts *o)
{
	memset(o, 0, sizeof *o);
	o->kind = CX_KIND_ACCOUNTS;
	o->encoding = CX_ENC_UTF8;
	o->date_order = CX_DATE_ISO;
	o->tz_offset_min = CX_NO_OFFSET;
	o->link = CX_LINK_ID;
	o->as_of = CX_DAY_NONE;
	o->max_rejects = -1;
}

int cx_ingest_parse_buckets(struct cx_ingest_opts *o, const char *s)
{
	size_t n = 0;
	long prev = 0;

	while (*s) {
		char *end;
		long v;
		if (*s < '0' || *s > '9')
			return -1;
		v = strtol(s, &end, 10);
		if (v <= prev || v > CX_INGEST_MAX_DPD || n >= CX_INGEST_MAX_BUCKETS)
			return -1;
		o->buckets[n++] = (int)v;
		prev = v;
		s = end;
		if (*s == ',') {
			s++;
			if (!*s)
				return -1;
		} else if (*s)
			return -1;
	}
	if (n == 0)
		return -1;
	o->nbuckets = n;
	return 0;
}

int cx_ingest_parse_link(const char *s, unsigned *mask)
{
	unsigned m = 0;

	while (*s) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if (n == 2 && memcmp(s, "id", 2) == 0)
			m |= CX_LINK_ID;
		else if (n == 5 && memcmp(s, "email", 5) == 0)
			m |= CX_LINK_EMAIL;
		else if (n == 5 && memcmp(s, "phone", 5) == 0)
			m |= CX_LINK_PHONE;
		else if (!(n == 4 && memcmp(s, "none", 4) == 0))
			return -1;
		if (!c)
			break;
		s = c + 1;
		if (!*s)
			return -1;
	}
	*mask = m;
	return 0;
}

static const int default_buckets[] = { 30, 60, 90, 120, 180 };

size_t cx_ingest_bucket(const struct cx_ingest_opts *o, long dpd, char *buf)
{
	const int *b = o->nbuckets ? o->buckets : default_buckets;
	size_t nb = o->nbuckets ? o->nbuckets : 5, i;
	long lo = 1;
	int w;

	if (dpd <= 0) {
		memcpy(buf, "current", 8);
		return 7;
	}
	for (i = 0; i < nb; i++) {
		if (dpd <= b[i]) {
			w = snprintf(buf, 32, "%ld-%d", lo, b[i]);
			return (size_t)w;
		}
		lo = b[i] + 1;
	}
	w = snprintf(buf, 32, "%d+", b[nb - 1]);
	return (size_t)w;
}

void cx_ingest_source_from_path(const char *path, char *buf, size_t bufsz)
{
	const char *b;
	size_t o = 0;

	if (!path || strcmp(path, "-") == 0) {
		snprintf(buf, bufsz, "stdin");
		return;
	}
	b = strrchr(path, '/');
	b = b ? b + 1 : path;
	for (; *b && *b != '.' && *b != '_' && o + 1 < bufsz; b++) {
		unsigned char c = (unsigned char)*b;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			c = '_';
		buf[o++] = (char)c;
	}
	if (o == 0)
		buf[o++] = '_';
	buf[o] = '\0';
}

/* lower-case ASCII, Latin-1 accents removed, everything else dropped */
static size_t fold2(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			out[o++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = (char)c;
		else if (c == 0xC3 && i + 1 < n) {
			char f[2];
			cx_colmap_fold(s + i, 2, f, sizeof f);
			if (f[0])
				out[o++] = f[0];
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

struct vsyn { const char *word; int idx; };

static int vsyn_find(const struct vsyn *t, const char *s, size_t n)
{
	char f[64];
	size_t i;

	if (n >= sizeof f * 2)
		return -1;
	fold2(s, n, f, sizeof f);
	if (!f[0])
		return -1;
	for (i = 0; t[i].word; i++)
		if (strcmp(t[i].word, f) == 0)
			return t[i].idx;
	return -1;
}

/* indexes into cx_outcome_names */
enum { O_DEL, O_FAIL, O_OPEN, O_CLICK, O_NOANS, O_VM, O_RPC, O_TPC, O_PROM, O_REF, O_DISP,
       O_COMPL, O_OPTOUT, O_PAID };
static const struct vsyn outcome_syn[] = {
	{ "delivered", O_DEL }, { "entregado", O_DEL }, { "entregada", O_DEL }, { "sent", O_DEL },
	{ "enviado", O_DEL },
	{ "failed", O_FAIL }, { "fallido", O_FAIL }, { "fallo", O_FAIL }, { "error", O_FAIL },
	{ "bounced", O_FAIL }, { "rebotado", O_FAIL }, { "noentregado", O_FAIL },
	{ "undelivered", O_FAIL }, { "numeroerrado", O_FAIL }, { "wrongnumber", O_FAIL },
	{ "opened", O_OPEN }, { "abierto", O_OPEN }, { "leido", O_OPEN }, { "read", O_OPEN },
	{ "clicked", O_CLICK }, { "click", O_CLICK }, { "clic", O_CLICK },
	{ "noanswer", O_NOANS }, { "nocontesta", O_NOANS }, { "sinrespuesta", O_NOANS },
	{ "noresponde", O_NOANS }, { "busy", O_NOANS }, { "ocupado", O_NOANS },
	{ "voicemail", O_VM }, { "buzon", O_VM }, { "buzondevoz", O_VM },
	{ "contestadora", O_VM }, { "maquina", O_VM },
	{ "rightparty", O_RPC }, { "rpc", O_RPC }, { "titular", O_RPC },
	{ "contactotitular", O_RPC }, { "contactodirecto", O_RPC },
	{ "thirdparty", O_TPC }, { "tercero", O_TPC }, { "contactotercero", O_TPC },
	{ "familiar", O_TPC },
	{ "promise", O_PROM }, { "ptp", O_PROM }, { "promesa", O_PROM },
	{ "promesadepago", O_PROM }, { "promesapago", O_PROM }, { "compromiso", O_PROM },
	{ "compromisodepago", O_PROM }, { "acuerdodepago", O_PROM },
	{ "refused", O_REF }, { "refusal", O_REF }, { "rechazo", O_REF }, { "seniega", O_REF },
	{ "niegapago", O_REF }, { "renuente", O_REF },
	{ "dispute", O_DISP }, { "disputa", O_DISP }, { "desconocedeuda", O_DISP },
	{ "complaint", O_COMPL }, { "queja", O_COMPL }, { "reclamo", O_COMPL },
	{ "pqr", O_COMPL },
	{ "optout", O_OPTOUT }, { "baja", O_OPTOUT }, { "nocontactar", O_OPTOUT },
	{ "stop", O_OPTOUT }, { "unsubscribe", O_OPTOUT }, { "darsedebaja", O_OPTOUT },
	{ "paid", O_PAID }, { "pago", O_PAID }, { "pagado", O_PAID }, { "yapago", O_PAID },
	{ "pagorealizado", O_PAID },
	{ NULL, 0 }
};

static const struct vsyn direction_syn[] = {
	{ "out", 0 }, { "outbound", 0 }, { "saliente", 0 }, { "salida", 0 }, { "o", 0 },
	{ "emitida", 0 }, { "in", 1 }, { "inbound", 1 }, { "entrante", 1 }, { "entrada", 1 },
	{ "i", 1 }, { "recibida", 1 }, { NULL, 0 }
};

int cx_ingest_norm_outcome(const char *s, size_t n)
{
	return vsyn_find(outcome_syn, s, n);
}

int cx_ingest_norm_direction(const char *s, size_t n)
{
	return vsyn_find(direction_syn, s, n);
}

static int parse_clock(const char **pp, const char *end, int *mins)
{
	const char *p = *pp;
	int h = 0, m = 0, nd = 0;

	while (p < end && *p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (p < end && (*p == ':' || *p == '.' || *p == 'h')) {
		int k;
		p++;
		if (end - p >= 2 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') {
			m = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		} else if (p[-1] != 'h')
			return -1;
		for (k = 0; p < end && *p == ' ' && k < 2; k++)
			p++;
	}
	while (p < end && *p == ' ')
		p++;
	if (end - p >= 2 && (p[0] == 'a' || p[0] == 'p' || p[0] == 'A' || p[0] == 'P') &&
	    (p[1] == 'm' || p[1] == 'M')) {
		int pm = p[0] == 'p' || p[0] == 'P';
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
		p += 2;
	}
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*mins = h * 60 + m;
	*pp = p;
	return 0;
}

int cx_ingest_norm_hours(const char *s, size_t n, char *out)
{
	const char *p = s, *end = s + n;
	int a, b;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (parse_clock(&p, end, &a) < 0)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-')
		p++;
	else if (end - p >= 3 && memcmp(p, "\xe2\x80\x93", 3) == 0)
		p += 3;
	else if (p < end && (*p == 'a' || *p == 'A') && p + 1 < end && p[1] == ' ')
		p++;
	else if (end - p >= 2 && (memcmp(p, "to", 2) == 0 || memcmp(p, "TO", 2) == 0))
		p += 2;
	else
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (parse_clock(&p, end, &b) < 0 || p != end || b <= a)
		return -1;
	{
		int v[4] = { a / 60, a % 60, b / 60, b % 60 }, i;
		for (i = 0; i < 4; i++) {
			out[3 * i] = (char)('0' + v[i] / 10);
			out[3 * i + 1] = (char)('0' + v[i] % 10);
			out[3 * i + 2] = i == 0 ? ':' : i == 1 ? '-' : ':';
		}
		out[11] = '\0';
	}
	return 11;
}

/* ---- the run ---------------------------------------------------------------- */

enum role {
	R_OTHER, R_CUSTKEY, R_ACCOUNT, R_SOURCE, R_SRCCUST, R_NATID, R_NAME, R_EMAIL,
	R_PHONE, R_COUNTRY, R_TZ, R_LANG, R_PRODUCT, R_CURRENCY, R_MONEY, R_DATE, R_DPD,
	R_BUCKET, R_FLAGS, R_CONSENTS, R_CHANNEL, R_HOURS, R_TIMESTAMP, R_DIRECTION,
	R_OUTCOME, R_AGENT, R_METHOD
};

#define MAXCOLS 40

struct rhdr {            /* header of an event sort record; then account, line */
	uint64_t ckey;       /* events: the sort key of the account join (amap_key) */
	int64_t t;
	int64_t money;
	uint32_t ordinal;
	uint16_t srclen, acclen;
	char cur[4];
	uint32_t flags;      /* 1 = money present, 2 = customer key present, 4 = the
	                      * account is the start of the line, not stored before it */
};

/* Header of an accounts sort record (no customer key nor time: the key is
 * the ordinal's, found at sort time).  Then source and account, then the
 * line; or with flag 4 only the line, whose first two fields are
 * account_id and source (ids, never escaped, no tab): srclen and acclen
 * still give their lengths.  With flag 8 (and 4) the line stays in the
 * input's mapping (struct mref, then a copy of the line's account_id,
 * tab and source only, for sort_cmp). */
struct ahdr {
	int64_t money;
	uint32_t ordinal;
	char cur[4];
	uint16_t srclen, acclen;
	uint32_t flags;      /* 1 = money present, 4 = source and account in the line,
	                      * 8 = the line in r->maps */
};

/* Where a flag-8 record's line is: bytes off..off+len of r->maps[map]. */
struct mref {
	uint64_t off;
	uint32_t len, map;
};

/* The accounts header of h (its money, currency, ordinal and flags). */
static void put_ahdr(char *d, const struct rhdr *h, size_t sn, size_t an, uint32_t flags)
{
	struct ahdr a;

	memset(&a, 0, sizeof a);
	a.money = h->money;
	a.ordinal = h->ordinal;
	memcpy(a.cur, h->cur, 4);
	a.srclen = (uint16_t)sn;
	a.acclen = (uint16_t)an;
	a.flags = (h->flags & 1) | flags;
	memcpy(d, &a, sizeof a);
}

/* An event record's header as stored: rhdr's fields without its padding
 * and unused ordinal (32 bytes, not 40): ckey (first: sort_key reads it
 * at offset 0), t, money, srclen, acclen, cur (3 bytes), flags (1). */
#define EHDR_SIZE 32

static void put_ehdr(char *d, const struct rhdr *h)
{
	memcpy(d, &h->ckey, 8);
	memcpy(d + 8, &h->t, 8);
	memcpy(d + 16, &h->money, 8);
	memcpy(d + 24, &h->srclen, 2);
	memcpy(d + 26, &h->acclen, 2);
	memcpy(d + 28, h->cur, 3);
	d[31] = (char)h->flags;
}

static void get_ehdr(const char *d, struct rhdr *h)
{
	memset(h, 0, sizeof *h);
	memcpy(&h->ckey, d, 8);
	memcpy(&h->t, d + 8, 8);
	memcpy(&h->money, d + 16, 8);
	memcpy(&h->srclen, d + 24, 2);
	memcpy(&h->acclen, d + 26, 2);
	memcpy(h->cur, d + 28, 3);
	h->flags = (unsigned char)d[31];
}

/* A sort record of either kind: its header as an rhdr and its line. */
static void rec_view(int accounts, const char *rec, size_t n, struct rhdr *h,
                     const char **line, size_t *ln)
{
	size_t pre;

	if (accounts) {
		struct ahdr a;
		memcpy(&a, rec, sizeof a);
		memset(h, 0, sizeof *h);
		h->money = a.money;
		h->ordinal = a.ordinal;
		memcpy(h->cur, a.cur, 4);
		h->flags = a.flags & (1 | 8);
		/* flag 8: the struct mref (write_sorted follows it) */
		pre = sizeof a + (a.flags & 4 ? 0 : (size_t)a.srclen + a.acclen);
		if (a.flags & 8) {
			*line = rec + pre;
			*ln = sizeof(struct mref);
			return;
		}
	} else {
		get_ehdr(rec, h);
		pre = EHDR_SIZE + (h->flags & 4 ? 0 : (size_t)h->srclen + h->acclen);
	}
	*line = rec + pre;
	*ln = n - pre;
}

/* A row value: in the scratch buffer at off, or borrowed (ext: a raw field
 * of the record, a memo entry or a constant, all alive until the row is
 * written); wide: 16 bytes are readable at ext. */
struct val { size_t off, n; const char *ext; unsigned char set, wide; };

/* Columns with few distinct values (country, language, time zone, flag
 * and channel sets, codes, vocabulary words) are normalised once per
 * distinct raw value: a direct-mapped memo of raw bytes -> normal form,
 * per column.  Only successful normalisations are kept; a miss or a
 * collision takes the normal path. */
#define MEMO_BITS 9
#define MEMO_SLOTS (1u << MEMO_BITS)
#define MEMO_LEN 62
struct memo {
	unsigned char n, outn;
	char in[MEMO_LEN], out[MEMO_LEN];
	const char *aux;         /* country: the code cx_norm_country gave */
};

/* Dates repeat (due dates, payment dates): a direct-mapped memo per date
 * column of 10-byte raw values that passed every check of that column,
 * under the date order they were read in -> the day and its ISO form. */
#define DMEMO_BITS 11
#define DMEMO_SLOTS (1u << DMEMO_BITS)
struct dmemo {
	char in[10], out[10];
	unsigned char order, used;
	cx_day day;
};
/* a borrowed out (do_date) is read as 16 bytes by line_into */
_Static_assert(offsetof(struct dmemo, out) + 16 <= sizeof(struct dmemo), "dmemo out: 16 bytes");

struct run {
	const struct cx_ingest_opts *o;
	struct cx_ingest_result *res;
	struct cx_error *err;
	const struct cx_column *cols;
	size_t ncols;
	enum role role[MAXCOLS];
	int required[MAXCOLS];
	int raw[MAXCOLS];        /* per current file */
	int nonneg[MAXCOLS];
	int past_only[MAXCOLS];  /* dates that cannot be after --as-of */
	int escape[MAXCOLS];     /* values that may hold '\\', tab, CR or LF */
	size_t c_tz, c_lang, c_natid;   /* their columns (one of each role), 0 = none */
	size_t pf_acc_at, pf_nat_at;    /* norm_row prefetches these keys' identity slots
	                                 * before column pf_*_at (SIZE_MAX: never) */
	struct memo *memo[MAXCOLS];
	struct dmemo *dmemo[MAXCOLS];   /* date columns */
	/* language and time zone defaults of each two-letter country code
	 * ("AA".."ZZ"), looked up the first time it is seen */
	struct cdef { const char *lang, *tz; int known; } cdef[26 * 26];
	int cur_exp;             /* minor unit digits of cur */
	char bucket_label[CX_INGEST_MAX_BUCKETS + 2][32];
	int c_money, c_currency, c_country, c_dpd, c_bucket, c_due, c_account, c_source,
	    c_sortdate;
	const char *measure;     /* ledger money measure prefix */
	struct cx_identity *id;
	struct cx_sortspill *sort;
	struct cx_output *out, *rej, *lo;
	struct cx_ledger *led;
	/* per row */
	char *sc;
	size_t scn, sccap;
	size_t extn;             /* bytes of the row's borrowed values (put_ref) */
	struct val v[MAXCOLS];
	int64_t money;
	int has_money;
	char cur[4];
	int64_t sortt;
	uint32_t hacc, hnat;     /* identity table hashes from those prefetches, 0 = none */
	char reason[256];
	char *line;
	size_t linen, linecap;
	char *esc;
	size_t esccap;
	/* per file */
	int dec_comma;
	enum cx_date_order date_order;
	const char *fname;
	char source[128];
	size_t sourcen;
	/* event lookup */
	struct amap *amap;
	const char *pf_p;        /* the raw account of the row (acc_prefetch), or NULL */
	size_t pf_n;
	uint32_t pf_h;
	/* currencies seen and money sums per measure */
	char curs[256][4];
	int64_t msum[256][4];
	size_t ncurs, lastcur;
	uint64_t rejects;
	/* accounts: input bytes (regular files), and those of the first
	 * EXPECT_AT rows, to size the identity index once (cx_identity_expect;
	 * early: what it held before is grown in 4 KiB pages) */
	uint64_t in_bytes, seen_bytes;
	/* plain canonical accounts inputs mapped (read_canonical): the rows
	 * facc_take keeps there; cur_map is the file being read's, or -1 */
	struct cx_map **maps;
	size_t nmaps, mapcap;
	int cur_map;
	/* events without --accounts: what the account ids added so far have
	 * in common, for sort_key (struct acckey) */
	struct acckey {
		size_t seen, lcp;      /* ids noted; bytes all of them begin with */
		int digits;            /* every byte past lcp is 0-9 */
		char first[64];        /* the first id's first bytes */
	} ak;
};

#define EXPECT_AT 1024

/* A row of n bytes read (rows_in counted already): after the first
 * EXPECT_AT, the identity index is sized for the input's rows. */
static void expect_from_row(struct run *r, size_t n)
{
	if (!r->id || r->res->rows_in > EXPECT_AT)
		return;
	r->seen_bytes += n + 1;
	if (r->res->rows_in == EXPECT_AT && r->in_bytes)
		cx_identity_expect(r->id, (size_t)(r->in_bytes * EXPECT_AT / r->seen_bytes));
}

static enum role role_of(enum cx_kind kind, const struct cx_column *c)
{
	static const struct { const char *name; enum role r; } t[] = {
		{ "customer_key", R_CUSTKEY }, { "account_id", R_ACCOUNT }, { "source", R_SOURCE },
		{ "source_customer_id", R_SRCCUST }, { "national_id", R_NATID },
		{ "name", R_NAME }, { "email", R_EMAIL }, { "phone", R_PHONE },
		{ "country", R_COUNTRY }, { "timezone", R_TZ }, { "language", R_LANG },
		{ "product", R_PRODUCT }, { "currency", R_CURRENCY },
		{ "days_past_due", R_DPD }, { "bucket", R_BUCKET }, { "flags", R_FLAGS },
		{ "consents", R_CONSENTS }, { "preferred_channel", R_CHANNEL },
		{ "channel", R_CHANNEL }, { "preferred_hours", R_HOURS },
		{ "direction", R_DIRECTION }, { "outcome", R_OUTCOME }, { "agent", R_AGENT },
		{ "method", R_METHOD }, { NULL, R_OTHER }
	};
	size_t i;

	(void)kind;
	for (i = 0; t[i].name; i++)
		if (strcmp(t[i].name, c->name) == 0)
			return t[i].r;
	if (c->type == CX_T_MONEY)
		return R_MONEY;
	if (c->type == CX_T_DATE)
		return R_DATE;
	if (c->type == CX_T_TIMESTAMP)
		return R_TIMESTAMP;
	return R_OTHER;
}

static int oom(struct run *r)
{
	return cx_error_set(r->err, CX_ENOMEM, NULL, 0, "out of memory");
}

/* Money is summed here per currency and measure (in, out, rejected,
 * duplicate) and copied into the ledger at the end; row counts live in
 * res.  The hot path does no string lookups. */
static int cur_index(struct run *r, const char *cur)
{
	size_t i;

	if (r->lastcur < r->ncurs && memcmp(r->curs[r->lastcur], cur, 4) == 0)
		return (int)r->lastcur;
	for (i = 0; i < r->ncurs; i++)
		if (memcmp(r->curs[i], cur, 4) == 0)
			return (int)(r->lastcur = i);
	if (r->ncurs >= sizeof r->curs / sizeof r->curs[0])
		return -1;
	memcpy(r->curs[r->ncurs], cur, 4);
	memset(r->msum[r->ncurs], 0, sizeof r->msum[0]);
	return (int)(r->lastcur = r->ncurs++);
}

enum { M_IN, M_OUT, M_REJ, M_DUP };

static int led_money(struct run *r, int which, const char *cur, int64_t v)
{
	int i = cur_index(r, cur);

	if (i < 0)
		return cx_error_set(r->err, CX_ELIMIT, NULL, 0, "more than 256 currencies");
	if (cx_money_add(&r->msum[i][which], v) < 0)
		return cx_error_set(r->err, CX_EDATA, r->fname, 0,
		                    "%s total in %s overflows 64 bits", r->measure, cur);
	return 0;
}

static int led_fill(struct run *r)
{
	static const char *const sfx[] = { "in", "out", "rejected", "duplicate" };
	const struct cx_ingest_result *res = r->res;
	char m[64];
	size_t i, k;
	int bad = 0;

	bad |= cx_ledger_add(r->led, "rows_in", "", (int64_t)res->rows_in);
	bad |= cx_ledger_add(r->led, "rows_out", "", (int64_t)res->rows_out);
	bad |= cx_ledger_add(r->led, "rows_rejected", "", (int64_t)res->rows_rejected);
	bad |= cx_ledger_add(r->led, "rows_duplicate", "", (int64_t)res->rows_duplicate);
	bad |= cx_ledger_add(r->led, "rows_blank", "", (int64_t)res->rows_blank);
	if (r->o->kind != CX_KIND_TABLE)
		bad |= cx_ledger_add(r->led, "customers_out", "", (int64_t)res->customers_out);
	for (i = 0; i < r->ncurs && r->measure; i++)
		for (k = 0; k < 4; k++) {
			snprintf(m, sizeof m, "%s_%s", r->measure, sfx[k]);
			bad |= cx_ledger_add(r->led, m, r->curs[i], r->msum[i][k]);
		}
	return bad ? oom(r) : 0;
}

/* ---- per-row normalisation -------------------------------------------------- */

/* Room for a value of up to n bytes and its NUL at the end of the scratch
 * buffer, and SC_WIDE bytes beyond its start: line_into copies a value of
 * up to SC_WIDE bytes as one fixed-size block. */
#define SC_WIDE 16
static char *sc_reserve(struct run *r, size_t n)
{
	size_t need = r->scn + (n + 1 > SC_WIDE ? n + 1 : SC_WIDE);

	if (need > r->sccap && cx_grow((void **)&r->sc, &r->sccap, need, 1) < 0)
		return NULL;
	return r->sc + r->scn;
}

static void setv(struct run *r, size_t c, size_t n)
{
	r->v[c].off = r->scn;
	r->v[c].n = n;
	r->v[c].ext = NULL;
	r->v[c].set = 1;
	r->scn += n;
	r->sc[r->scn++] = '\0';
}

static const char *V(struct run *r, size_t c)
{
	return r->v[c].ext ? r->v[c].ext : r->sc + r->v[c].off;
}

static inline void trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t k = *n;

	/* the usual case: nothing to trim (' ' and tab are both <= 0x20) */
	if (k == 0 || ((unsigned char)p[0] > 0x20 && (unsigned char)p[k - 1] > 0x20))
		return;
	while (k > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		k--;
	}
	while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'))
		k--;
	*s = p;
	*n = k;
}

static inline struct memo *memo_slot(struct memo *m, const char *s, size_t n)
{
	/* the first and the last eight bytes (overlapping when shorter): values
	 * of one column often share their length and their first, middle and
	 * last bytes ("07:00-09:00", "12:00-14:00"; channel sets) */
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		a = lo;
		b = hi;
	} else if (n > 0)
		a = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	a = (a ^ (b * 0xff51afd7ed558ccdULL) ^ n) * 0x9e3779b97f4a7c15ULL;
	return &m[a >> (64 - MEMO_BITS)];
}

/* the memo entry of raw value s of column c, or NULL */
static const struct memo *memo_get(const struct run *r, size_t c, const char *s, size_t n)
{
	const struct memo *e;
	size_t i;

	if (!r->memo[c] || n > MEMO_LEN)
		return NULL;
	e = memo_slot(r->memo[c], s, n);
	if (e->n != n || n == 0)
		return NULL;
	/* short values: whole words, the last one overlapping, beat a call
	 * to memcmp and a loop over the tail's bytes */
	if (n >= 8) {
		uint64_t a, b;
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&a, e->in + i, 8);
			memcpy(&b, s + i, 8);
			if (a != b)
				return NULL;
		}
		memcpy(&a, e->in + n - 8, 8);
		memcpy(&b, s + n - 8, 8);
		return a == b ? e : NULL;
	}
	if (n >= 4) {
		uint32_t a0, b0, a1, b1;
		memcpy(&a0, e->in, 4);
		memcpy(&b0, s, 4);
		memcpy(&a1, e->in + n - 4, 4);
		memcpy(&b1, s + n - 4, 4);
		return a0 == b0 && a1 == b1 ? e : NULL;
	}
	/* 1..3 bytes: the first, middle and last are all of them */
	return e->in[0] == s[0] && e->in[n / 2] == s[n / 2] && e->in[n - 1] == s[n - 1] ? e : NULL;
}

static void memo_put(struct run *r, size_t c, const char *s, size_t n, const char *out,
                     size_t outn, const char *aux)
{
	struct memo *e;

	if (!r->memo[c] || n == 0 || n > MEMO_LEN || outn > MEMO_LEN)
		return;
	e = memo_slot(r->memo[c], s, n);
	e->n = (unsigned char)n;
	e->outn = (unsigned char)outn;
	memcpy(e->in, s, n);
	memcpy(e->out, out, outn);
	e->aux = aux;
}

static int rejectf(struct run *r, const char *col, const char *why)
{
	snprintf(r->reason, sizeof r->reason, "%s: %s", col, why);
	return 1;
}

/* Value c is s..s+n, borrowed, not copied (see struct val). */
static void put_ref(struct run *r, size_t c, const char *s, size_t n, int wide)
{
	r->v[c].ext = s;
	r->v[c].n = n;
	r->extn += n;
	r->v[c].set = 1;
	r->v[c].wide = (unsigned char)wide;
}

static int put_text(struct run *r, size_t c, const char *s, size_t n)
{
	char *d = sc_reserve(r, n);
	if (!d)
		return -1;
	memcpy(d, s, n);
	setv(r, c, n);
	return 0;
}

static int code_upper(struct run *r, size_t c, const char *s, size_t n, int lower)
{
	char *d = sc_reserve(r, n);
	size_t i, o = 0;
	int sep = 0;

	if (!d)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
			if (sep && o)
				d[o++] = '_';
			sep = 0;
			if (lower && ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			else if (!lower && ch >= 'a' && ch <= 'z')
				ch = (unsigned char)(ch - 'a' + 'A');
			d[o++] = (char)ch;
		} else if (ch == '-' || ch == '_' || ch == ' ' || ch == '.' || ch == '/')
			sep = 1;
		else
			return 1;   /* not a code */
	}
	setv(r, c, o);
	return 0;
}

/* money of column c from raw s; currency must be known */
static int do_money(struct run *r, size_t c, const char *s, size_t n, int64_t *out)
{
	int exp;
	const char *why = NULL;
	int64_t v;
	char *d;
	int k;

	if (!r->cur[0])
		return rejectf(r, r->cols[r->c_currency >= 0 ? (size_t)r->c_currency : c].name,
		               "missing (needed for the amounts; use --currency)");
	exp = r->cur_exp;
	d = sc_reserve(r, CX_MONEY_BUFSZ);
	if (!d)
		return -1;
	/* parsed and written in one pass; d is only kept by setv */
	k = cx_money_parse_format(s, n, exp, CX_MONEY_LENIENT |
	                          (r->dec_comma ? CX_MONEY_DECIMAL_COMMA : 0), &v, d, &why);
	if (k < 0)
		return rejectf(r, r->cols[c].name, why ? why : "not an amount");
	if (r->nonneg[c] && v < 0)
		return rejectf(r, r->cols[c].name, "negative amount");
	setv(r, c, (size_t)k);
	if (out)
		*out = v;
	return 0;
}

#define DIG(ch) ((unsigned)((ch) - '0') < 10u)
/* digits at the places a..h of s */
#define DIGITS8(s, a, b, c, d, e, f, g, h) (DIG(s[a]) && DIG(s[b]) && DIG(s[c]) && \
	DIG(s[d]) && DIG(s[e]) && DIG(s[f]) && DIG(s[g]) && DIG(s[h]))

static inline struct dmemo *dmemo_slot(struct dmemo *t, const char *s)
{
	uint64_t a;
	uint16_t b;

	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 2);
	return &t[((a ^ ((uint64_t)b << 40)) * 0x9e3779b97f4a7c15ULL) >> (64 - DMEMO_BITS)];
}

static int do_date(struct run *r, size_t c, const char *s, size_t n, cx_day *out)
{
	cx_day d;
	const char *why = NULL, *ys = NULL, *ms = NULL, *ds = NULL;
	int y, m, dd;
	char *p;
	struct dmemo *e = NULL;

	if (n == 10 && r->dmemo[c]) {
		uint64_t a, b;
		uint16_t a2, b2;
		e = dmemo_slot(r->dmemo[c], s);
		memcpy(&a, e->in, 8);
		memcpy(&b, s, 8);
		memcpy(&a2, e->in + 8, 2);
		memcpy(&b2, s + 8, 2);
		if (e->used && e->order == (unsigned char)r->date_order && a == b && a2 == b2) {
			/* borrowed: the slot changes only when this column's next
			 * value misses; 16 bytes from out lie within the entry */
			put_ref(r, c, e->out, 10, 1);
			*out = e->day;
			return 0;
		}
	}
	if (cx_date_parse(s, n, r->date_order, &d, &why) < 0)
		return rejectf(r, r->cols[c].name, why ? why : "not a date");
	/* The usual 10-byte forms were parsed from these very digits: the
	 * output is built from them (no day -> y/m/d round trip).  ISO is
	 * tried first in every order; "dd/mm/yyyy" (or '-', '.') only in
	 * the d/m/y orders. */
	if (n == 10 && s[4] == '-' && s[7] == '-' && DIGITS8(s, 0, 1, 2, 3, 5, 6, 8, 9)) {
		ys = s;
		ms = s + 5;
		ds = s + 8;
	} else if (n == 10 && r->date_order != CX_DATE_ISO && s[2] == s[5] &&
	           (s[2] == '/' || s[2] == '-' || s[2] == '.') &&
	           DIGITS8(s, 0, 1, 3, 4, 6, 7, 8, 9)) {
		ys = s + 6;
		ms = r->date_order == CX_DATE_DMY ? s + 3 : s;
		ds = r->date_order == CX_DATE_DMY ? s : s + 3;
	}
	if (ys) {
		y = (ys[0] - '0') * 1000 + (ys[1] - '0') * 100 + (ys[2] - '0') * 10 + (ys[3] - '0');
	} else {
		cx_day_to_ymd(d, &y, &m, &dd);
	}
	if (y < 1900 || y > 2200)
		return rejectf(r, r->cols[c].name, "year out of range 1900..2200");
	if (r->o->as_of != CX_DAY_NONE && d > r->o->as_of && r->past_only[c])
		return rejectf(r, r->cols[c].name, "after the --as-of date");
	p = sc_reserve(r, 11);
	if (!p)
		return -1;
	if (ys) {
		memcpy(p, ys, 4);
		p[4] = '-';
		p[5] = ms[0];
		p[6] = ms[1];
		p[7] = '-';
		p[8] = ds[0];
		p[9] = ds[1];
		p[10] = '\0';
		goto done;
	}
	cx_date_format(p, d);   /* year checked 1900..2200 above */
done:
	if (e) {
		memcpy(e->in, s, 10);
		memcpy(e->out, p, 10);
		e->order = (unsigned char)r->date_order;
		e->day = d;
		e->used = 1;
	}
	setv(r, c, 10);
	*out = d;
	return 0;
}

static const char *default_language(const char *cc)
{
	static const char *const es[] = { "CO", "MX", "ES", "PE", "CL", "AR", "EC", "VE", "BO",
		"PY", "UY", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "CU", "PR", NULL };
	static const char *const en[] = { "US", "CA", "GB", "IE", "AU", "NZ", NULL };
	static const char *const pt[] = { "BR", "PT", NULL };
	size_t i;

	for (i = 0; es[i]; i++)
		if (strcmp(es[i], cc) == 0)
			return "es";
	for (i = 0; en[i]; i++)
		if (strcmp(en[i], cc) == 0)
			return "en";
	for (i = 0; pt[i]; i++)
		if (strcmp(pt[i], cc) == 0)
			return "pt";
	return NULL;
}

/* The slot hash of an identity key (cx_identity_slot_hash), its slot
 * starting to load. */
static uint32_t id_prefetch(const struct cx_identity *id, int type, const char *a,
                            size_t an, const char *b, size_t bn)
{
	uint32_t h = cx_identity_slot_hash(type, a, an, b, bn);

	cx_identity_prefetch_h(id, type, h, 0);
	return h;
}

/* The identity slots of the row's account (source, account_id) and of its
 * national id start loading as soon as those are normalised: the rest of
 * the row is normalised while they load, and process_record reuses the
 * hashes. */
static void prefetch_keys(struct run *r, size_t c)
{
	if (c == r->pf_acc_at && r->v[r->c_source].set && r->v[r->c_account].set)
		r->hacc = id_prefetch(r->id, 0, V(r, (size_t)r->c_source),
		                      r->v[r->c_source].n, V(r, (size_t)r->c_account),
		                      r->v[r->c_account].n);
	if (c == r->pf_nat_at && r->v[r->c_natid].set)
		r->hnat = id_prefetch(r->id, CX_LINK_ID, V(r, r->c_natid),
		                      r->v[r->c_natid].n, NULL, 0);
}

/* A timestamp cx_timestamp_parse read as offset off is written back as
 * it is by cx_timestamp_format: "YYYY-MM-DDTHH:MM:SS" then "Z", or a
 * non-zero offset as "+HH:MM" / "-HH:MM" (the parse checked the digits and
 * ranges; 't', ' ', fractions, "z", "+0000" or "+00:00" are written
 * otherwise). */
static int ts_canonical(const char *s, size_t n, int off)
{
	if ((n != 20 && n != 25) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return 0;
	if (n == 20)
		return s[19] == 'Z';
	return (s[19] == '+' || s[19] == '-') && s[22] == ':' && off != 0;
}

/* days_past_due as written: decimal, '-' for days until due; returns the
 * length (at most 21 bytes, no NUL) */
static size_t dpd_format(long dpd, char *buf)
{
	char tmp[24];
	size_t w = 0, k;
	unsigned long u = dpd < 0 ? (unsigned long)-dpd : (unsigned long)dpd;

	do {
		tmp[w++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (dpd < 0)
		tmp[w++] = '-';
	for (k = 0; k < w; k++)
		buf[k] = tmp[w - 1 - k];
	return w;
}

/* the aging bucket of dpd days past due (current when not past due) */
static const char *bucket_of(const struct run *r, long dpd)
{
	const int *b = r->o->nbuckets ? r->o->buckets : default_buckets;
	size_t nb = r->o->nbuckets ? r->o->nbuckets : 5, i = 0;

	if (dpd <= 0)
		return r->bucket_label[0];
	while (i < nb && dpd > b[i])
		i++;
	return r->bucket_label[i + 1];
}

/* Returns 0 ok, 1 reject (reason set), -1 out of memory. */
static int norm_row(struct run *r, const struct cx_field *f, size_t nf, uint32_t *link_natid,
                    const char **natid, size_t *natidn)
{
	size_t c;
	const char *why;
	char buf[256];
	cx_day due = CX_DAY_NONE;
	long dpd = 0;
	int have_dpd = 0;
	const char *country = r->o->country;
	const char *dpd_s = NULL;
	size_t dpd_n = 0;
	int rc;

	(void)link_natid;
	r->scn = 0;
	r->extn = 0;
	r->has_money = 0;
	r->cur[0] = '\0';
	r->sortt = 0;
	r->hacc = r->hnat = 0;
	*natid = NULL;
	*natidn = 0;
	for (c = 0; c < r->ncols; c++)
		r->v[c].set = 0;
#define RAW(c, s, n) do { if (r->raw[c] >= 0 && (size_t)r->raw[c] < nf) { \
		s = f[r->raw[c]].p; n = f[r->raw[c]].n; trim(&s, &n); } else { s = ""; n = 0; } } while (0)
	/* currency and country first: amounts and phones depend on them */
	if (r->c_currency >= 0) {
		const char *s;
		size_t n;
		size_t cc = (size_t)r->c_currency;
		RAW(cc, s, n);
		if (n == 0 && r->o->currency) {
			s = r->o->currency;
			n = strlen(s);
		}
		if (n > 0) {
			char up[8];
			size_t i;
			if (n == 1 && (s[0] == '$'))
				return rejectf(r, "currency", "'$' is ambiguous (use a code such as USD, MXN, COP)");
			if (n != 3)
				return rejectf(r, "currency", "not an ISO 4217 code");
			for (i = 0; i < 3; i++)
				up[i] = (char)((s[i] >= 'a' && s[i] <= 'z') ? s[i] - 'a' + 'A' : s[i]);
			up[3] = '\0';
			if ((r->cur_exp = cx_currency_exponent(up, 3)) < 0)
				return rejectf(r, "currency", "unknown ISO 4217 code");
			memcpy(r->cur, up, 4);
			if (put_text(r, cc, up, 3) < 0)
				return -1;
		} else if (r->required[cc])
			return rejectf(r, "currency", "missing");
	}
	if (r->c_country >= 0) {
		const char *s;
		size_t n;
		size_t cc = (size_t)r->c_country;
		const struct memo *e;
		RAW(cc, s, n);
		size_t cn = 0;
		if (n > 0 && (e = memo_get(r, cc, s, n)) != NULL) {
			country = e->aux;
			cn = e->outn;
		} else if (n > 0) {
			country = cx_norm_country(s, n);
			if (!country)
				return rejectf(r, "country", "unknown country");
			cn = strlen(country);
			memo_put(r, cc, s, n, country, cn, country);
		} else if (country)
			cn = strlen(country);
		if (country)
			put_ref(r, cc, country, cn, 0);
	}
	for (c = 0; c < r->ncols; c++) {
		const char *s;
		size_t n;
		char *d;
		int k;

		if (c == r->pf_acc_at || c == r->pf_nat_at)
			prefetch_keys(r, c);
		if (r->v[c].set || r->role[c] == R_CUSTKEY || r->role[c] == R_BUCKET)
			continue;
		RAW(c, s, n);
		if (r->role[c] == R_SOURCE && n == 0) {
			s = r->source;
			n = r->sourcen;
		}
		if (n == 0) {
			if (r->required[c])
				return rejectf(r, r->cols[c].name, "missing");
			continue;
		}
		if (r->memo[c]) {
			const struct memo *e = memo_get(r, c, s, n);
			if (e) {
				/* n <= 16 is read as 16 bytes of out[MEMO_LEN] */
				put_ref(r, c, e->out, e->outn, 1);
				continue;
			}
		}
		switch (r->role[c]) {
		case R_ACCOUNT:
		case R_SOURCE:
		case R_SRCCUST:
		case R_AGENT:
			d = sc_reserve(r, n);
			if (!d)
				return -1;
			k = cx_norm_id(s, n, d, n + 1, &why);
			if (k < 0)
				return rejectf(r, r->cols[c].name, why);
			if (r->role[c] == R_SOURCE && k > 64)
				return rejectf(r, r->cols[c].name, "longer than 64 bytes");
			if (k > 256)
				return rejectf(r, r->cols[c].name, "longer than 256 bytes");
			setv(r, c, (size_t)k);
			break;
		case R_NATID:
			d = sc_reserve(r, n + 1);
			if (!d)
				return -1;
			k = cx_norm_national_id(s, n, d, n + 1, &why);
			if (k < 0)
				return rejectf(r, r->cols[c].name, why);
			setv(r, c, (size_t)k);
			*natid = V(r, c);
			*natidn = (size_t)k;
			break;
		case R_NAME:
		case R_OTHER:
			put_ref(r, c, s, n, 0);
			break;
		case R_EMAIL:
			d = sc_reserve(r, n + 1);
			if (!d)
				return -1;
			k = cx_norm_email(s, n, d, n + 1, &why);
			if (k < 0)
				r->res->values_dropped++;
			else
				setv(r, c, (size_t)k);
			break;
		case R_PHONE:
			d = sc_reserve(r, CX_PHONE_BUFSZ + 1);
			if (!d)
				return -1;
			k = cx_norm_phone(s, n, country, d, CX_PHONE_BUFSZ + 1, &why);
			if (k < 0)
				r->res->values_dropped++;
			else
				setv(r, c, (size_t)k);
			break;
		case R_TZ:
			if (!cx_timezone_valid(s, n))
				return rejectf(r, r->cols[c].name, "not an IANA time zone name");
			put_ref(r, c, s, n, 0);
			break;
		case R_LANG: {
			const char *l = cx_norm_language(s, n);
			if (!l)
				return rejectf(r, r->cols[c].name, "unknown language");
			put_ref(r, c, l, strlen(l), 0);
			break;
		}
		case R_PRODUCT:
		case R_METHOD:
			k = code_upper(r, c, s, n, r->role[c] == R_METHOD);
			if (k < 0)
				return -1;
			if (k > 0)
				return rejectf(r, r->cols[c].name, "not a code ([A-Za-z0-9_-])");
			break;
		case R_MONEY: {
			int64_t v;
			rc = do_money(r, c, s, n, &v);
			if (rc)
				return rc;
			if ((int)c == r->c_money) {
				r->money = v;
				r->has_money = 1;
			}
			break;
		}
		case R_DATE: {
			cx_day dd;
			rc = do_date(r, c, s, n, &dd);
			if (rc)
				return rc;
			if ((int)c == r->c_due)
				due = dd;
			if ((int)c == r->c_sortdate)
				r->sortt = dd;
			break;
		}
		case R_TIMESTAMP: {
			int64_t utc;
			int off;
			if (cx_timestamp_parse(s, n, r->o->tz_offset_min, &utc, &off, &why) < 0)
				return rejectf(r, r->cols[c].name,
				               why && strstr(why, "offset") &&
				               r->o->tz_offset_min == CX_NO_OFFSET ?
				               "no UTC offset (use --tz-offset)" :
				               why ? why : "not a timestamp");
			if (r->o->as_of != CX_DAY_NONE && cx_timestamp_day(utc, off) > r->o->as_of)
				return rejectf(r, r->cols[c].name, "after the --as-of date");
			r->sortt = utc;
			if (ts_canonical(s, n, off)) {
				/* the bytes cx_timestamp_format would write (no printf) */
				put_ref(r, c, s, n, 0);
				break;
			}
			d = sc_reserve(r, 32);
			if (!d)
				return -1;
			setv(r, c, cx_timestamp_format(d, utc, off));
			break;
		}
		case R_DPD:
			/* validated below, unless recomputed from the due date */
			dpd_s = s;
			dpd_n = n;
			break;
		case R_FLAGS:
		case R_CONSENTS: {
			unsigned mask;
			const char *const *vocab = r->role[c] == R_FLAGS ? cx_flag_names
			                                                 : cx_channel_names;
			k = r->role[c] == R_FLAGS ? cx_norm_flag_set(s, n, &mask, &why)
			                          : cx_norm_channel_set(s, n, &mask, &why);
			if (k < 0)
				return rejectf(r, r->cols[c].name, why);
			k = cx_norm_set_format(buf, sizeof buf, vocab, mask);
			if (k < 0 || put_text(r, c, buf, (size_t)k) < 0)
				return -1;
			break;
		}
		case R_CHANNEL:
			k = cx_norm_channel(s, n);
			if (k < 0)
				return rejectf(r, r->cols[c].name, "unknown channel");
			put_ref(r, c, cx_channel_names[k], strlen(cx_channel_names[k]), 0);
			break;
		case R_HOURS:
			if (cx_ingest_norm_hours(s, n, buf) < 0)
				r->res->values_dropped++;
			else if (put_text(r, c, buf, 11) < 0)
				return -1;
			break;
		case R_DIRECTION:
			k = cx_ingest_norm_direction(s, n);
			if (k < 0)
				return rejectf(r, r->cols[c].name, "not 'out' or 'in'");
			put_ref(r, c, cx_direction_names[k], strlen(cx_direction_names[k]), 0);
			break;
		case R_OUTCOME:
			k = cx_ingest_norm_outcome(s, n);
			if (k < 0)
				return rejectf(r, r->cols[c].name, "unknown outcome");
			put_ref(r, c, cx_outcome_names[k], strlen(cx_outcome_names[k]), 0);
			break;
		default:
			break;
		}
		if (r->memo[c] && r->v[c].set)
			memo_put(r, c, s, n, V(r, c), r->v[c].n, NULL);
	}
#undef RAW
	/* derived values (accounts) */
	if (r->o->kind == CX_KIND_ACCOUNTS) {
		if (r->c_country >= 0 && r->v[r->c_country].set) {
			size_t ctz = r->c_tz, cl;
			const char *cc = V(r, (size_t)r->c_country), *lg, *tz;
			size_t ccn = r->v[r->c_country].n;
			unsigned a = (unsigned char)cc[0] - 'A', b = (unsigned char)cc[1] - 'A';
			if (ccn == 2 && a < 26 && b < 26) {
				struct cdef *d = &r->cdef[a * 26 + b];
				if (!d->known) {
					d->lang = default_language(cc);
					d->tz = cx_default_timezone(cc);
					d->known = 1;
				}
				lg = d->lang;
				tz = d->tz;
			} else {
				lg = default_language(cc);
				tz = cx_default_timezone(cc);
			}
			cl = r->c_lang;
			if (cl && !r->v[cl].set && lg)
				put_ref(r, cl, lg, 2, 0);
			if (ctz && !r->v[ctz].set && tz)
				put_ref(r, ctz, tz, strlen(tz), 0);
		}
		if (r->o->as_of != CX_DAY_NONE && due != CX_DAY_NONE) {
			long x = (long)r->o->as_of - (long)due;
			if (x > CX_INGEST_MAX_DPD || x < -CX_INGEST_MAX_DPD)
				return rejectf(r, "due_date", "more than 36500 days from the --as-of date");
			dpd = x;
			have_dpd = 1;
			dpd_s = NULL;
		}
	}
	if (dpd_s) {
		long x = 0;
		size_t i;
		for (i = 0; i < dpd_n; i++) {
			if (dpd_s[i] < '0' || dpd_s[i] > '9' || x > 100000000L)
				return rejectf(r, "days_past_due", dpd_s[0] == '-' ?
				               "negative (give due_date and --as-of for days until due)" :
				               "not a whole number of days");
			x = x * 10 + (dpd_s[i] - '0');
		}
		if (x > CX_INGEST_MAX_DPD)
			return rejectf(r, "days_past_due", "out of range 0..36500");
		dpd = x;
		have_dpd = 1;
	}
	if (r->o->kind == CX_KIND_ACCOUNTS || r->o->kind == CX_KIND_STATEMENTS) {
		if (have_dpd && r->c_dpd >= 0) {
			size_t w = dpd_format(dpd, buf);
			r->v[r->c_dpd].set = 0;
			if (put_text(r, (size_t)r->c_dpd, buf, w) < 0)
				return -1;
			if (r->c_bucket >= 0) {
				const char *lab = bucket_of(r, dpd);
				put_ref(r, (size_t)r->c_bucket, lab, strlen(lab), 0);
			}
		}
	} else if (r->o->kind == CX_KIND_CONTACTS) {
		if (r->c_money >= 0 && r->v[r->c_money].set && !r->cur[0])
			return rejectf(r, "currency", "missing (needed for promise_amount)");
	}
	return 0;
}

/* ---- output helpers ------------------------------------------------------- */

static int line_add(struct run *r, const char *p, size_t n, int escape)
{
	if (r->linen + 2 * n + 2 > r->linecap &&
	    cx_grow((void **)&r->line, &r->linecap, r->linen + 2 * n + 2, 1) < 0)
		return -1;
	if (escape)
		r->linen += cx_tsv_escape(r->line + r->linen, p, n);
	else {
		memcpy(r->line + r->linen, p, n);
		r->linen += n;
	}
	return 0;
}

/* Upper bound of the line build_line writes: every value lies in the
 * scratch buffer (scn bytes with their NULs) or is borrowed (extn bytes),
 * escaping at most doubles it, plus the tabs; and SC_WIDE bytes more, so
 * that line_into may always copy a short value as a block of SC_WIDE. */
static size_t line_bound(const struct run *r)
{
	return 2 * (r->scn + r->extn) + r->ncols + SC_WIDE;
}

/* canonical line from the row values, without customer_key (the first
 * column of every kind: write_sorted puts the key in front), into d (room
 * for line_bound bytes); returns its length */
static size_t line_into(const struct run *r, char *d)
{
	char *o = d;
	/* in locals: the byte stores below could alias them otherwise */
	const char *sc = r->sc;
	const size_t ncols = r->ncols;
	const struct val *v = r->v;
	size_t c;

	for (c = 1; c < ncols; c++) {
		size_t n = v[c].n;
		const char *p = v[c].ext;
		if (v[c].set) {
			/* a value in the scratch buffer has SC_WIDE bytes readable
			 * (sc_reserve), a borrowed one when marked wide */
			int wide = !p || v[c].wide;
			if (!p)
				p = sc + v[c].off;
			if (r->escape[c])
				o += cx_tsv_escape(o, p, n);
			else if (n <= SC_WIDE && wide) {
				/* most values are short: one fixed-size copy instead of
				 * a call (the bytes past n are overwritten by what
				 * follows or lie in the bound's SC_WIDE spare bytes) */
				memcpy(o, p, SC_WIDE);
				o += n;
			} else {
				memcpy(o, p, n);
				o += n;
			}
		}
		*o++ = '\t';
	}
	return ncols > 1 ? (size_t)(o - d) - 1 : 0;   /* no tab after the last */
}

static int build_line(struct run *r)
{
	size_t need = line_bound(r);

	if (need > r->linecap && cx_grow((void **)&r->line, &r->linecap, need, 1) < 0)
		return -1;
	r->linen = line_into(r, r->line);
	return 0;
}

static int write_reject(struct run *r, long line, const char *reason, const char *raw,
                        size_t rawn)
{
	char num[32];
	size_t fl = strlen(r->fname);

	r->res->rows_rejected++;
	r->rejects++;
	if (r->o->max_rejects >= 0 && r->rejects > (uint64_t)r->o->max_rejects)
		r->res->over_budget = 1;
	if (r->o->on_reject)
		r->o->on_reject(r->o->ctx, r->fname, line, reason);
	if (!r->rej)
		return 0;
	if (r->o->pseudo)
		rawn = 0;   /* the raw record holds personal data: withheld */
	if (cx_grow((void **)&r->esc, &r->esccap, 2 * (rawn + fl + strlen(reason)) + 64, 1) < 0)
		return oom(r);
	{
		size_t o = cx_tsv_escape(r->esc, r->fname, fl);
		int w = snprintf(num, sizeof num, "\t%ld\t", line);
		memcpy(r->esc + o, num, (size_t)w);
		o += (size_t)w;
		o += cx_tsv_escape(r->esc + o, reason, strlen(reason));
		r->esc[o++] = '\t';
		o += cx_tsv_escape(r->esc + o, raw, rawn);
		r->esc[o++] = '\n';
		return cx_output_write(r->rej, r->esc, o, r->err);
	}
}

/* Source and account of an accounts sort record (p: after the header):
 * stored before the line, or (flag 4) its first two fields, account_id
 * then source. */
static void rec_keys(const struct ahdr *h, const char *p, const char **src, const char **acc)
{
	if (h->flags & 8)
		p += sizeof(struct mref);
	if (h->flags & 4) {
		*acc = p;
		*src = p + h->acclen + 1;
	} else {
		*src = p;
		*acc = p + h->srclen;
	}
}

static int sort_cmp(const void *a, size_t an, const void *b, size_t bn, void *ctx)
{
	struct run *r = ctx;
	struct rhdr x, y;
	const char *pa = (const char *)a + EHDR_SIZE, *pb = (const char *)b + EHDR_SIZE;
	uint64_t ka, kb;
	int c;

	if (r->o->kind == CX_KIND_ACCOUNTS) {
		/* the sorter compares sort_key first and asks this only about
		 * records of equal keys (cx_sortspill.h): no second look-up of
		 * the customer keys here */
		struct ahdr ax, ay;
		const char *sa, *sb, *aa, *ab;
		memcpy(&ax, a, sizeof ax);
		memcpy(&ay, b, sizeof ay);
		rec_keys(&ax, (const char *)a + sizeof ax, &sa, &aa);
		rec_keys(&ay, (const char *)b + sizeof ay, &sb, &ab);
		if ((c = cx_sort_bytes_cmp(sa, ax.srclen, sb, ay.srclen)) != 0)
			return c;
		return cx_sort_bytes_cmp(aa, ax.acclen, ab, ay.acclen);
	}
	get_ehdr(a, &x);
	get_ehdr(b, &y);
	ka = x.ckey;
	kb = y.ckey;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	{
		/* the line starts after the stored account, or with it (flag 4) */
		size_t la = x.flags & 4 ? 0 : (size_t)x.srclen + x.acclen,
		       lb = y.flags & 4 ? 0 : (size_t)y.srclen + y.acclen;
		const char *aa = x.flags & 4 ? pa : pa + x.srclen,
		           *ab = y.flags & 4 ? pb : pb + y.srclen;
		if ((c = cx_sort_bytes_cmp(aa, x.acclen, ab, y.acclen)) != 0)
			return c;
		if (x.t != y.t)
			return x.t < y.t ? -1 : 1;
		return cx_sort_bytes_cmp(pa + la, an - EHDR_SIZE - la, pb + lb, bn - EHDR_SIZE - lb);
	}
}

/* --memory is shared by the sort buffer and the index of the run (the
 * identity index of accounts, the account map of events): the sort gets
 * what the index leaves, but never less than an eighth.  The identity
 * index spills past half of it (cx_identity_set_spill). */
static size_t budget(const struct run *r)
{
	return r->o->memory ? (size_t)r->o->memory : (size_t)CX_INGEST_DEFAULT_MEMORY;
}

static void share_memory(struct run *r, size_t index_bytes)
{
	size_t m = budget(r), floor = m / 8;

	cx_sortspill_set_limit(r->sort, m > index_bytes + floor ? m - index_bytes : floor);
}

/* An event row's account id (an bytes at acc) is going into the sort, no
 * --accounts given: the ids' common prefix and alphabet kept up to date
 * for acc_key.  Both only ever shrink, so a key computed later orders the
 * records sorted earlier (into spilled runs) as it did then. */
static void acckey_note(struct acckey *k, const char *acc, size_t an)
{
	size_t i, l;

	if (k->seen++ == 0) {
		k->lcp = an < sizeof k->first ? an : sizeof k->first;
		memcpy(k->first, acc, k->lcp);
		k->digits = 1;
	}
	for (l = 0; l < k->lcp && l < an && acc[l] == k->first[l]; l++)
		;
	if (!k->digits)
		k->lcp = l;
	for (; k->lcp > l; k->lcp--)   /* the earlier ids' bytes now past lcp */
		if (k->first[k->lcp - 1] < '0' || k->first[k->lcp - 1] > '9')
			k->digits = 0;
	for (i = k->lcp; k->digits && i < an; i++)
		if (acc[i] < '0' || acc[i] > '9')
			k->digits = 0;
}

/* A key in the byte order of the account ids (cx_sort_bytes_cmp) of the
 * rows noted: their bytes after the common prefix, 4 bits each when all
 * are digits (16 of them), else 8 (8 of them), 0 past the end (a shorter
 * id goes first).  Ids equal in those bytes share a key and are left to
 * sort_cmp; without it every row of an unjoined stream would be. */
static uint64_t acc_key(const struct acckey *k, const char *acc, size_t an)
{
	const unsigned char *p = (const unsigned char *)acc + k->lcp;
	size_t i, m = an - k->lcp;
	uint64_t key = 0;

	if (k->digits) {
		for (i = 0; i < 16; i++)
			key = key << 4 | (i < m ? (uint64_t)(p[i] - '0' + 1) : 0);
		return key;
	}
	for (i = 0; i < 8; i++)
		key = key << 8 | (i < m ? p[i] : 0);
	return key;
}

/* The 64-bit prefix of sort_cmp's order: the customer key; for events
 * without --accounts (no customer key: ckey 0), acc_key. */
static uint64_t sort_key(const void *rec, size_t n, void *ctx)
{
	const struct run *r = ctx;
	uint64_t k;
	uint32_t ord;

	(void)n;
	if (r->o->kind == CX_KIND_ACCOUNTS) {
		memcpy(&ord, (const char *)rec + offsetof(struct ahdr, ordinal), sizeof ord);
		return cx_identity_key(r->id, ord);
	}
	if (!r->amap) {
		struct rhdr h;
		const char *p = (const char *)rec + EHDR_SIZE;
		get_ehdr(rec, &h);
		return acc_key(&r->ak, h.flags & 4 ? p : p + h.srclen, h.acclen);
	}
	memcpy(&k, rec, sizeof k);   /* put_ehdr's ckey */
	return k;
}

/* Sort record: header, source, account, then the line (without
 * customer_key), written straight into the sort buffer. */
static int add_sorted(struct run *r, struct rhdr *h, const char *src, size_t sn,
                      const char *acc, size_t an, const char *line, size_t ln)
{
	int accounts = r->o->kind == CX_KIND_ACCOUNTS;
	size_t hn = accounts ? sizeof(struct ahdr) : EHDR_SIZE;
	char *d = cx_sortspill_reserve(r->sort, hn + sn + an + ln, r->err);

	if (!d)
		return r->err->code ? r->err->code : CX_ENOMEM;
	h->srclen = (uint16_t)sn;
	h->acclen = (uint16_t)an;
	if (accounts)
		put_ahdr(d, h, sn, an, 0);
	else
		put_ehdr(d, h);
	memcpy(d + hn, src, sn);
	memcpy(d + hn + sn, acc, an);
	memcpy(d + hn + sn + an, line, ln);
	return 0;
}

/* ---- event account lookup --------------------------------------------------- */

#define MAX_LOOKUP_KEY 512

#ifndef __SSE2__
/* Value of each lower-case hex digit, 0x80 for any other byte. */
static const unsigned char hexval[256] = {
#define X8 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80
	X8, X8, X8, X8, X8, X8,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	X8, X8, X8, X8,
	0x80, 10, 11, 12, 13, 14, 15, 0x80, X8, X8, X8,
	X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8
#undef X8
};
#endif

/* "c" and 16 lower-case hex digits (every account row and merged event
 * row has one: no branch per digit). */
static int parse_ckey(const char *s, size_t n, uint64_t *out)
{
	if (n != 17 || s[0] != 'c')
		return -1;
#ifdef __SSE2__
	{
		/* the 16 digits at once: classes, values (a-f: low nibble + 9),
		 * then pairs of nibbles into bytes, most significant first */
		const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
		const __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
		                                  _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
		const __m128i af = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
		                                 _mm_cmplt_epi8(x, _mm_set1_epi8('f' + 1)));
		__m128i nib, b;
		uint64_t v;

		if (_mm_movemask_epi8(_mm_or_si128(dig, af)) != 0xFFFF)
			return -1;
		nib = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0F)),
		                   _mm_and_si128(af, _mm_set1_epi8(9)));
		b = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(nib, 4), _mm_srli_epi16(nib, 8)),
		                  _mm_set1_epi16(0x00FF));
		_mm_storel_epi64((__m128i *)(void *)&v, _mm_packus_epi16(b, b));
		*out = __builtin_bswap64(v);   /* x86: the first byte is the lowest */
		return 0;
	}
#else
	{
		const unsigned char *u = (const unsigned char *)s + 1;
		uint64_t v = 0;
		unsigned bad = 0;
		size_t i;

		for (i = 0; i < 16; i++) {
			unsigned d = hexval[u[i]];
			bad |= d;
			v = v << 4 | (d & 15);
		}
		if (bad & 0x80)
			return -1;
		*out = v;
		return 0;
	}
#endif
}

/* Accounts of the --accounts stream for the event join: one entry per
 * account row, found by the hash of its account_id.  An entry is a 32-byte
 * slot (two per cache line, at most 3/4 of the table used) holding the
 * account's rank and, for ids of up to AINL bytes (nearly all), the id
 * itself: a lookup reads the one slot its row prefetched, not a second
 * place for the id.  Longer ids and the sources are kept in bytes[]
 * (u16 length, then the bytes); a source is stored once per run of rows
 * that share it (sources are few).  The table is sized once from the
 * first ASTAGE rows and the stream's size (grown if that was short, as
 * for a gzip or piped stream) and filled ABATCH rows at a time, the slots
 * of the next AHEAD prefetched: at 10M accounts the table is far larger
 * than the caches, and inserting row by row waited on a cache and TLB miss
 * per row (so did prefetching one row's slot while reading the next: the
 * misses must overlap).  A lookup without a source matches every row of that
 * id, with one the rows of that source and id; rows that match with
 * different customer keys make the account ambiguous. */
#define AINL 19
#define AMULTI 0x80      /* in aent.an: the id has other entries (other sources) */
#define AHEAD 16
#define ABATCH 512
#define ASTAGE 4096

struct aent {
	uint32_t rank;       /* ckeys[rank] is the customer key */
	uint32_t h;          /* 32 bits of the account_id's hash | 1; 0 = empty */
	uint32_t src;        /* in bytes[]: the source */
	uint8_t an;          /* id length; AINL + 1: longer, in bytes[] at the offset in
	                      * id; | AMULTI */
	char id[AINL];
};

/* The sort key of an event row (rhdr.ckey, sort_key): when the accounts
 * stream is in its own order (customer keys never decreasing, as cx-ingest
 * writes it), the ranks number the distinct (customer key, account_id)
 * pairs in sort_cmp's order of customer key then account, and the key is
 * the rank in the high bits and the row's sort time (clamped to a range,
 * never decreasing with it) in the low kbits: the radix sort then orders
 * the rows of one customer too, and sort_cmp is left the rows of one
 * account and time (it compares the same key first, then the same fields
 * as ever).  Otherwise the key is the customer key (kbits 0).  amap_ckey
 * gives the customer key back. */
struct amap {
	struct aent *tab;
	size_t cap, used;    /* cap: 0 or at least 1024 slots, at most 3/4 used */
	char *bytes;
	size_t nbytes, bytescap;
	uint64_t *ckeys;     /* customer key of each rank */
	size_t nranks, ckeycap;
	unsigned kbits, tshift;
	int64_t tlo;         /* sort time of the low part 0 */
	uint64_t tmax;       /* the highest low part before tshift */
	/* while loading */
	int unordered;       /* a customer key was lower than the one before */
	size_t rows;         /* rows added */
	struct aent *grp;    /* rows of the current customer key, grpkey */
	size_t ngrp, grpcap;
	uint64_t grpkey;
	struct aent *stage;  /* the first ASTAGE entries, before the table is sized */
	size_t nstage;
	size_t est;          /* rows expected (0: unknown) */
	struct aent batch[ABATCH]; /* inserts to make */
	size_t nbatch;
	uint32_t lastsrc;    /* the source stored last (nbytes > 0) */
};

static uint32_t amap_hash(const char *acc, size_t an)
{
	return (uint32_t)(cx_identity_hash(acc, an) >> 32) | 1;
}

/* The first slot of hash h (tables of any size: no power of two). */
static inline size_t amap_slot(const struct amap *m, uint32_t h)
{
	return (size_t)(((uint64_t)h * m->cap) >> 32);
}

static size_t amap_memory(const struct amap *m)
{
	return m->cap * sizeof *m->tab + m->bytescap + m->ckeycap * sizeof *m->ckeys;
}

static void amap_free(struct amap *m)
{
	if (!m)
		return;
	cx_free(m->tab);
	cx_free(m->bytes);
	cx_free(m->ckeys);
	cx_free(m->grp);
	cx_free(m->stage);
	cx_free(m);
}

/* Bytes p of length n appended to bytes[] (u16 length first): their offset. */
static int amap_put(struct amap *m, const char *p, size_t n, uint32_t *off)
{
	uint16_t len = (uint16_t)n;

	if (m->nbytes + sizeof len + n > UINT32_MAX)
		return CX_ELIMIT;
	if (cx_grow((void **)&m->bytes, &m->bytescap, m->nbytes + sizeof len + n, 1) < 0)
		return CX_ENOMEM;
	memcpy(m->bytes + m->nbytes, &len, sizeof len);
	memcpy(m->bytes + m->nbytes + sizeof len, p, n);
	*off = (uint32_t)m->nbytes;
	m->nbytes += sizeof len + n;
	return 0;
}

/* Does the entry of bytes[] at off hold p, n? */
static int amap_eq(const struct amap *m, uint32_t off, const char *p, size_t n)
{
	uint16_t len;

	memcpy(&len, m->bytes + off, sizeof len);
	return len == n && memcmp(m->bytes + off + sizeof len, p, n) == 0;
}

/* The account_id of an entry. */
static const char *amap_id(const struct amap *m, const struct aent *e, size_t *n)
{
	uint32_t off;
	uint16_t len;

	if ((e->an & ~AMULTI) <= AINL) {
		*n = e->an & ~AMULTI;
		return e->id;
	}
	memcpy(&off, e->id, sizeof off);
	memcpy(&len, m->bytes + off, sizeof len);
	*n = len;
	return m->bytes + off + sizeof len;
}

static int amap_id_cmp(const struct amap *m, const struct aent *a, const struct aent *b)
{
	size_t an, bn;
	const char *pa = amap_id(m, a, &an), *pb = amap_id(m, b, &bn);

	return cx_sort_bytes_cmp(pa, an, pb, bn);
}

/* Put e in its slot.  mark: the entries of one id are marked, so that a
 * lookup of any other id stops at its first match. */
static void amap_place(struct amap *m, struct aent *e, int mark)
{
	size_t j;

	for (j = amap_slot(m, e->h); m->tab[j].h; j = j + 1 == m->cap ? 0 : j + 1)
		if (mark && m->tab[j].h == e->h && amap_id_cmp(m, &m->tab[j], e) == 0) {
			m->tab[j].an |= AMULTI;
			e->an |= AMULTI;
		}
	m->tab[j] = *e;
	m->used++;
}

/* A table of cap slots holding the entries of the old one. */
static int amap_resize(struct amap *m, size_t cap)
{
	struct aent *old = m->tab;
	size_t ocap = m->cap, i;

	if (!(m->tab = cx_calloc(cap, sizeof *m->tab))) {
		m->tab = old;
		return CX_ENOMEM;
	}
	cx_mem_hint_huge(m->tab, cap * sizeof *m->tab);
	m->cap = cap;
	m->used = 0;
	for (i = 0; i < ocap; i++)
		if (old[i].h)
			amap_place(m, &old[i], 0);
	cx_free(old);
	return 0;
}

/* The batch into the table. */
static int amap_drain(struct amap *m)
{
	size_t i;
	int rc;

	if ((m->used + m->nbatch) * 4 > m->cap * 3 && (rc = amap_resize(m, m->cap * 2)) < 0)
		return rc;
	for (i = 0; i < m->nbatch; i++) {
		if (i + AHEAD < m->nbatch)
			__builtin_prefetch(&m->tab[amap_slot(m, m->batch[i + AHEAD].h)], 1);
		amap_place(m, &m->batch[i], 1);
	}
	m->nbatch = 0;
	return 0;
}

static int amap_size(struct amap *m, size_t rows);

/* Insert e (amap_drain completes the inserts). */
static int amap_insert(struct amap *m, const struct aent *e)
{
	int rc;

	if (!m->tab && m->nstage == ASTAGE &&
	    (rc = amap_size(m, m->est > 2 * ASTAGE ? m->est : 4 * ASTAGE)) < 0)
		return rc;
	if (!m->tab) {
		if (!m->stage && !(m->stage = cx_malloc(ASTAGE * sizeof *m->stage)))
			return CX_ENOMEM;
		m->stage[m->nstage++] = *e;
		return 0;
	}
	if (m->nbatch == ABATCH && (rc = amap_drain(m)) < 0)
		return rc;
	m->batch[m->nbatch++] = *e;
	return 0;
}

/* The table, sized for about rows entries, with the staged ones. */
static int amap_size(struct amap *m, size_t rows)
{
	size_t cap = rows / 3 * 4 + 64, i;
	int rc;

	if (cap < 1024)
		cap = 1024;
	if (!(m->tab = cx_calloc(cap, sizeof *m->tab)))
		return CX_ENOMEM;
	cx_mem_hint_huge(m->tab, cap * sizeof *m->tab);
	m->cap = cap;
	for (i = 0; i < m->nstage; i++)
		if ((rc = amap_insert(m, &m->stage[i])) < 0)
			return rc;
	cx_free(m->stage);
	m->stage = NULL;
	m->nstage = 0;
	return 0;
}

/* The rows of one customer key get their ranks (in account_id order when
 * the stream is in customer key order: insertion, a customer has a few
 * accounts; one rank per distinct id) and go to the table. */
static int amap_group(struct amap *m)
{
	size_t i, j;
	int rc;

	if (!m->unordered)
		for (i = 1; i < m->ngrp; i++) {
			struct aent e = m->grp[i];
			for (j = i; j > 0 && amap_id_cmp(m, &m->grp[j - 1], &e) > 0; j--)
				m->grp[j] = m->grp[j - 1];
			m->grp[j] = e;
		}
	for (i = 0; i < m->ngrp; i++) {
		if (i == 0 || m->unordered || amap_id_cmp(m, &m->grp[i - 1], &m->grp[i]) != 0) {
			if (cx_grow((void **)&m->ckeys, &m->ckeycap, m->nranks + 1,
			            sizeof *m->ckeys) < 0)
				return CX_ENOMEM;
			m->ckeys[m->nranks++] = m->grpkey;
		}
		m->grp[i].rank = (uint32_t)(m->nranks - 1);
		if ((rc = amap_insert(m, &m->grp[i])) < 0)
			return rc;
	}
	m->ngrp = 0;
	return 0;
}

/* Add one account row; sn + an is at most MAX_LOOKUP_KEY.  amap_finish
 * completes the table. */
static int amap_add(struct amap *m, const char *src, size_t sn, const char *acc, size_t an,
                    uint64_t ckey)
{
	struct aent *e;
	int rc;

	if (m->rows >= (size_t)1 << 31)
		return CX_ELIMIT;
	if (m->ngrp > 0 && ckey != m->grpkey) {
		if (ckey < m->grpkey)
			m->unordered = 1;
		if ((rc = amap_group(m)) < 0)
			return rc;
	}
	if (cx_grow((void **)&m->grp, &m->grpcap, m->ngrp + 1, sizeof *m->grp) < 0)
		return CX_ENOMEM;
	m->grpkey = ckey;
	e = &m->grp[m->ngrp];
	memset(e, 0, sizeof *e);
	e->h = amap_hash(acc, an);
	if (m->nbytes == 0 || !amap_eq(m, m->lastsrc, src, sn)) {
		if ((rc = amap_put(m, src, sn, &m->lastsrc)) < 0)
			return rc;
	}
	e->src = m->lastsrc;
	if (an <= AINL) {
		e->an = (uint8_t)an;
		memcpy(e->id, acc, an);
	} else {
		uint32_t off;
		if ((rc = amap_put(m, acc, an, &off)) < 0)
			return rc;
		e->an = AINL + 1;
		memcpy(e->id, &off, sizeof off);
	}
	m->ngrp++;
	m->rows++;
	return 0;
}

/* The last group and inserts in flight; the sort key's layout. */
static int amap_finish(struct amap *m, int kind_contacts)
{
	size_t rb = 1;
	int rc;

	if (m->ngrp && (rc = amap_group(m)) < 0)
		return rc;
	if (!m->tab && m->nstage && (rc = amap_size(m, m->nstage)) < 0)
		return rc;
	if ((rc = amap_drain(m)) < 0)
		return rc;
	cx_free(m->grp);
	m->grp = NULL;
	m->grpcap = 0;
	if (m->nranks && m->nranks < m->ckeycap) {
		/* what the doubling left over is not counted against --memory */
		uint64_t *k = cx_realloc(m->ckeys, m->nranks * sizeof *m->ckeys);
		if (k) {
			m->ckeys = k;
			m->ckeycap = m->nranks;
		}
	}
	if (m->unordered || m->nranks == 0)
		return 0;
	while (rb < 63 && ((uint64_t)1 << rb) < m->nranks)
		rb++;
	m->kbits = 64 - (unsigned)rb;
	if (kind_contacts) {
		m->tlo = -2208988800;   /* 1900-01-01T00:00:00Z, in seconds */
		m->tmax = ((uint64_t)1 << 34) - 1;
	} else {
		m->tlo = -25567;        /* 1900-01-01, in days */
		m->tmax = ((uint64_t)1 << 17) - 1;
	}
	m->tshift = m->tmax >> m->kbits ? 64 - (unsigned)__builtin_clzll(m->tmax) - m->kbits : 0;
	return 0;
}

/* The sort key of a row of account rank and sort time t. */
static uint64_t amap_key(const struct amap *m, uint32_t rank, int64_t t)
{
	uint64_t u;

	if (!m->kbits)
		return m->ckeys[rank];
	u = t < m->tlo ? 0 : (uint64_t)t - (uint64_t)m->tlo;
	if (u > m->tmax)
		u = m->tmax;
	return (uint64_t)rank << m->kbits | u >> m->tshift;
}

/* The customer key of a sort key. */
static uint64_t amap_ckey(const struct amap *m, uint64_t key)
{
	return m->kbits ? m->ckeys[key >> m->kbits] : key;
}

/* 0 found (*rank), 1 unknown, 2 ambiguous.  src NULL: any source.  Rows
 * of one id and customer key have one rank. */
static int amap_find(const struct amap *m, uint32_t h, const char *src, size_t sn,
                     const char *acc, size_t an, uint32_t *rank)
{
	size_t j;
	int found = 0;

	if (m->cap == 0)
		return 1;
	for (j = amap_slot(m, h); m->tab[j].h; j = j + 1 == m->cap ? 0 : j + 1) {
		const struct aent *e = &m->tab[j];
		if (e->h != h)
			continue;
		if (an <= AINL) {
			if ((e->an & ~AMULTI) != an || memcmp(e->id, acc, an) != 0)
				continue;
		} else {
			uint32_t off;
			memcpy(&off, e->id, sizeof off);
			if ((e->an & ~AMULTI) != AINL + 1 || !amap_eq(m, off, acc, an))
				continue;
		}
		if (!(e->an & AMULTI)) {
			/* the only entry of this id */
			if (src && !amap_eq(m, e->src, src, sn))
				return 1;
			*rank = e->rank;
			return 0;
		}
		if (src && !amap_eq(m, e->src, src, sn))
			continue;
		if (found && m->ckeys[e->rank] != m->ckeys[*rank])
			return 2;
		*rank = e->rank;
		found = 1;
	}
	return found ? 0 : 1;
}

/* Start of fields 0..upto + 1 of a raw canonical line that has exactly
 * ncols fields and no escape or CR (field j is p + start[j] up to the
 * byte before start[j + 1]): 1, or 0 when the line is anything else and
 * must be split by the TSV reader (which also words its errors).  Only
 * tabs are looked for past field upto: the load reads three fields of the
 * accounts stream's 27. */
static int split_few(const char *p, size_t n, size_t ncols, size_t upto, size_t *start)
{
	size_t i = 0, k = 0;   /* k: tabs so far */

	start[0] = 0;
#ifdef __SSE2__
	{
		const __m128i tab = _mm_set1_epi8('\t'), bs = _mm_set1_epi8('\\'),
		              cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
		__m128i cnt = zero, stop = zero;
		size_t blocks = 0;

		/* the tabs that end the wanted fields, one by one */
		for (; i + 16 <= n && k <= upto; i += 16) {
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			unsigned tabs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, tab));
			if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, bs),
			                                   _mm_cmpeq_epi8(x, cr))))
				return 0;
			for (; tabs; tabs &= tabs - 1, k++)
				if (k <= upto)
					start[k + 1] = i + (size_t)__builtin_ctz(tabs) + 1;
		}
		/* then only counted: a byte counter per lane (summed before it
		 * can wrap), escapes and CR gathered and looked at once */
		for (; i + 16 <= n; i += 16) {
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			cnt = _mm_sub_epi8(cnt, _mm_cmpeq_epi8(x, tab));
			stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(x, bs),
			                                       _mm_cmpeq_epi8(x, cr)));
			if (++blocks == 255 || i + 32 > n) {
				const __m128i sum = _mm_sad_epu8(cnt, zero);
				k += (size_t)_mm_cvtsi128_si32(sum) +
				     (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
				cnt = zero;
				blocks = 0;
			}
		}
		if (_mm_movemask_epi8(stop))
			return 0;
		if (i < n && n >= 16) {
			/* the rest: the line's last 16 bytes, those already
			 * looked at masked off */
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16));
			const unsigned fresh = 0xFFFFu << (16 - (n - i));
			unsigned tabs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, tab)) & fresh;
			if ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, bs),
			                                             _mm_cmpeq_epi8(x, cr))) & fresh)
				return 0;
			for (; tabs; tabs &= tabs - 1, k++)
				if (k <= upto)
					start[k + 1] = n - 16 + (size_t)__builtin_ctz(tabs) + 1;
			i = n;
		}
	}
#endif
	for (; i < n; i++) {
		if (p[i] == '\t') {
			if (k <= upto)
				start[k + 1] = i + 1;
			k++;
		} else if (p[i] == '\\' || p[i] == '\r')
			return 0;
	}
	if (k + 1 != ncols)
		return 0;
	if (k <= upto)
		start[k + 1] = n + 1;
	return 1;
}

/* Only customer_key, account_id and source of each row are read: the
 * other columns are skipped (tabs counted, so a row of the wrong width is
 * still the reader's error) unless a row needs the reader's split. */
static int load_accounts(struct run *r)
{
	enum { FEW = 32 };
	struct cx_tsv_opts to;
	struct cx_tsv_reader *t;
	static const char *const need[] = { "customer_key", "account_id" };
	int idx[3], rc;
	size_t ncols, upto, start[FEW + 2], k;
	struct stat st;
	uint64_t size = 0;

	memset(&to, 0, sizeof to);
	t = cx_tsv_open(r->o->accounts, &to, r->err);
	if (!t)
		return r->err->code ? r->err->code : CX_ENOINPUT;
	if ((rc = cx_tsv_require(t, need, 2, idx, r->err)) < 0) {
		cx_tsv_close(t);
		return rc;
	}
	idx[2] = cx_tsv_col(t, "source");
	ncols = cx_tsv_ncols(t);
	if (strcmp(r->o->accounts, "-") != 0 && stat(r->o->accounts, &st) == 0 &&
	    S_ISREG(st.st_mode))
		size = (uint64_t)st.st_size;
	upto = 0;
	for (k = 0; k < 3; k++)
		if (idx[k] >= 0 && (size_t)idx[k] > upto)
			upto = (size_t)idx[k];
	r->amap = cx_calloc(1, sizeof *r->amap);
	if (!r->amap) {
		cx_tsv_close(t);
		return oom(r);
	}
	while ((rc = cx_tsv_next_raw(t, r->err)) == 1) {
		struct cx_field raw = cx_tsv_raw(t), f[3] = { { "", 0 }, { "", 0 }, { "", 0 } };
		uint64_t ck;

		if (upto < FEW && split_few(raw.p, raw.n, ncols, upto, start)) {
			for (k = 0; k < 3; k++)
				if (idx[k] >= 0) {
					f[k].p = raw.p + start[idx[k]];
					f[k].n = start[idx[k] + 1] - start[idx[k]] - 1;
				}
		} else {
			const struct cx_field *all;
			if ((rc = cx_tsv_split_raw(t, r->err)) < 0)
				break;
			all = cx_tsv_fields(t);
			for (k = 0; k < 3; k++)
				if (idx[k] >= 0)
					f[k] = all[idx[k]];
		}
		if (parse_ckey(f[0].p, f[0].n, &ck) < 0) {
			rc = cx_error_set(r->err, CX_EDATA, cx_tsv_name(t), cx_tsv_line(t),
			                  "bad customer_key (not c + 16 hex digits)");
			break;
		}
		if (f[1].n + f[2].n + 2 > MAX_LOOKUP_KEY || f[1].n == 0)
			continue;
		if ((rc = amap_add(r->amap, f[2].p, f[2].n, f[1].p, f[1].n, ck)) < 0) {
			rc = rc == CX_ENOMEM ? oom(r) :
			     cx_error_set(r->err, rc, cx_tsv_name(t), cx_tsv_line(t),
			                  "accounts stream too large for the event join");
			break;
		}
		if (r->amap->rows == ASTAGE / 2 && size > 0) {
			/* the rows to come, from the bytes of these */
			uint64_t per = cx_tsv_bytes(t) / r->amap->rows;
			if (per > 0)
				r->amap->est = (size_t)(size / per + size / per / 50);
		}
	}
	if (rc >= 0 && (rc = amap_finish(r->amap, r->o->kind == CX_KIND_CONTACTS)) < 0)
		rc = rc == CX_ENOMEM ? oom(r) :
		     cx_error_set(r->err, rc, cx_tsv_name(t), 0,
		                  "accounts stream too large for the event join");
	cx_tsv_close(t);
	return rc < 0 ? rc : 0;
}

/* The source an event's account is looked up under: the row's source
 * (events have no source column), else --source, else none. */
static const char *lookup_source(struct run *r, size_t *sn)
{
	*sn = 0;
	if (r->c_source >= 0 && r->v[r->c_source].set) {
		*sn = r->v[r->c_source].n;
		return V(r, (size_t)r->c_source);
	}
	if (r->o->source) {
		*sn = strlen(r->o->source);
		return r->o->source;
	}
	return NULL;
}

/* Sort key of an event row (its customer key, see struct amap; the row's
 * sort time is r->sortt) from its account in the --accounts stream: 0 and
 * *key, or 1 with the reject reason set. */
static int lookup_ckey(struct run *r, uint32_t h, const char *acc, size_t an, uint64_t *key)
{
	size_t sn;
	const char *src = lookup_source(r, &sn);
	uint32_t rank = 0;

	if (an + sn + 2 > MAX_LOOKUP_KEY)
		return rejectf(r, "account_id", "too long");
	switch (amap_find(r->amap, h, sn ? src : NULL, sn, acc, an, &rank)) {
	case 0:
		*key = amap_key(r->amap, rank, r->sortt);
		return 0;
	case 1:
		return rejectf(r, "account_id", "unknown account (not in --accounts)");
	default:
		return rejectf(r, "account_id",
		               "in several sources with different customers (give --source)");
	}
}

/* Start loading the slot of an event's account (as its raw field hashes;
 * it mostly is the normalised value) while the row is normalised: the
 * lookup waits on it otherwise.  The hash is kept for acc_hash. */
static void acc_prefetch(struct run *r, const struct cx_field *f, size_t nf)
{
	const struct cx_field *a;

	r->pf_p = NULL;
	if (!r->amap || !r->amap->cap || r->o->kind == CX_KIND_ACCOUNTS || r->c_account < 0 ||
	    r->raw[r->c_account] < 0 || (size_t)r->raw[r->c_account] >= nf)
		return;
	a = &f[r->raw[r->c_account]];
	r->pf_p = a->p;
	r->pf_n = a->n;
	r->pf_h = amap_hash(a->p, a->n);
	__builtin_prefetch(&r->amap->tab[amap_slot(r->amap, r->pf_h)]);
}

/* amap_hash of the normalised account: acc_prefetch's when the same bytes. */
static uint32_t acc_hash(struct run *r, const char *acc, size_t an)
{
	if (r->pf_p && r->pf_n == an && memcmp(r->pf_p, acc, an) == 0)
		return r->pf_h;
	return amap_hash(acc, an);
}

/* ---- reading ------------------------------------------------------------------ */

static int link_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 5)
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] != s[0])
			return 1;
	return 0;   /* "0000000", "9999999": placeholders */
}

/* --pseudonymise: national_id, email and phone values of the row replaced
 * by their pseudonyms (after identity linking used the real values). */
static int pseudo_row(struct run *r)
{
	size_t c;

	for (c = 0; c < r->ncols; c++) {
		char *d;
		int k;
		if ((r->role[c] != R_NATID && r->role[c] != R_EMAIL && r->role[c] != R_PHONE) ||
		    !r->v[c].set)
			continue;
		if (!(d = sc_reserve(r, CX_PSEUDO_BUFSZ)))
			return oom(r);
		/* V(r, c) stays valid: sc_reserve above was the last move */
		k = cx_pseudo_value(r->o->pseudo, r->cols[c].name, V(r, c), r->v[c].n, d);
		if (k < 0)
			return k == CX_ENOMEM ? oom(r) : cx_error_set(r->err, k, r->fname, 0,
			    "cannot compute the pseudonym of column '%s'", r->cols[c].name);
		setv(r, c, (size_t)k);
	}
	return 0;
}

static int process_record(struct run *r, const struct cx_field *f, size_t nf, long line,
                          struct cx_field raw)
{
	const char *natid;
	size_t natidn;
	int rc;

	acc_prefetch(r, f, nf);
	rc = norm_row(r, f, nf, NULL, &natid, &natidn);
	struct rhdr h;
	size_t c;

	if (rc < 0)
		return oom(r);
	/* the scratch buffer may have moved while the row was normalised */
	natid = NULL;
	natidn = 0;
	if (r->c_natid && r->v[r->c_natid].set) {
		natid = V(r, r->c_natid);
		natidn = r->v[r->c_natid].n;
	}
	memset(&h, 0, sizeof h);
	if (r->has_money) {
		memcpy(h.cur, r->cur, 4);
		h.money = r->money;
		h.flags |= 1;
		int lrc = led_money(r, M_IN, r->cur, r->money);
		if (lrc < 0)
			return lrc;
	}
	if (rc == 0 && r->o->kind != CX_KIND_ACCOUNTS && r->amap) {
		/* customer key from the accounts stream */
		rc = lookup_ckey(r, acc_hash(r, V(r, (size_t)r->c_account), r->v[r->c_account].n),
		                 V(r, (size_t)r->c_account), r->v[r->c_account].n, &h.ckey);
		if (rc == 0)
			h.flags |= 2;
	}
	if (rc == 0 && r->o->kind == CX_KIND_ACCOUNTS) {
		uint32_t ord;
		const char *src = V(r, (size_t)r->c_source);
		size_t sn = r->v[r->c_source].n;
		const char *acc = V(r, (size_t)r->c_account);
		size_t an = r->v[r->c_account].n;
		uint32_t hacc, hnat = 0;   /* table hashes: computed once, with the prefetch */
		int st;

		char *rec = NULL;   /* the sort record, line built in place */
		/* the line begins with account_id and source (canonical column
		 * order, neither escaped): not stored again before it (flag 4) */
		int inl = r->c_account == 1 && r->c_source == 2 && !r->escape[1] &&
		          !r->escape[2];
		size_t pre = inl ? sizeof(struct ahdr) : sizeof(struct ahdr) + sn + an;

		/* the index slots load while the line is built, unless norm_row
		 * started them already */
		hacc = r->hacc ? r->hacc : id_prefetch(r->id, 0, src, sn, acc, an);
		if ((r->o->link & CX_LINK_ID) && natid)
			hnat = r->hnat ? r->hnat :
			       id_prefetch(r->id, CX_LINK_ID, natid, natidn, NULL, 0);
		if (r->o->pseudo) {
			/* the line is rebuilt from the pseudonyms below */
			if (build_line(r) < 0)
				return oom(r);
		} else {
			if (!(rec = cx_sortspill_reserve(r->sort, pre + line_bound(r), r->err)))
				return r->err->code ? r->err->code : CX_ENOMEM;
			r->linen = line_into(r, rec + pre);
		}
		st = cx_identity_add_h(r->id, src, sn, acc, an, hacc,
		                       cx_identity_content_hash(rec ? rec + pre : r->line, r->linen),
		                       &ord, r->err);
		if (st < 0)
			return st;
		if (rec && st != CX_ID_NEW)
			cx_sortspill_cancel(r->sort);
		if ((r->res->rows_in & 1023) == 0)
			share_memory(r, cx_identity_memory(r->id));
		if (st == CX_ID_DUPLICATE) {
			r->res->rows_duplicate++;
			if (r->has_money)
				return led_money(r, M_DUP, r->cur, r->money);
			return 0;
		}
		if (st == CX_ID_CONFLICT)
			rc = rejectf(r, "account_id", "same source and account_id as an earlier "
			             "row with different values");
		else {
			if ((r->o->link & CX_LINK_ID) && natid && link_ok(natid, natidn) &&
			    (rc = cx_identity_link_h(r->id, ord, CX_LINK_ID, natid, natidn, hnat,
			                             r->err)) < 0)
				return rc;
			if (r->o->link & (CX_LINK_EMAIL | CX_LINK_PHONE)) {
				for (c = 0; c < r->ncols; c++) {
					int t = r->role[c] == R_EMAIL ? CX_LINK_EMAIL :
					        r->role[c] == R_PHONE ? CX_LINK_PHONE : 0;
					if (t && (r->o->link & (unsigned)t) && r->v[c].set &&
					    link_ok(V(r, c), r->v[c].n) &&
					    (rc = cx_identity_link(r->id, ord, t, V(r, c), r->v[c].n,
					                           r->err)) < 0)
						return rc;
				}
			}
			h.ordinal = ord;
			if (rec) {
				cx_sortspill_shrink(r->sort, pre + r->linen);
				put_ahdr(rec, &h, sn, an, inl ? 4 : 0);
				if (!inl) {
					memcpy(rec + sizeof(struct ahdr), src, sn);
					memcpy(rec + sizeof(struct ahdr) + sn, acc, an);
				}
				return 0;
			}
			if (r->o->pseudo) {
				if ((rc = pseudo_row(r)) < 0)
					return rc;
				if (build_line(r) < 0)
					return oom(r);
				/* the scratch buffer may have moved */
				src = V(r, (size_t)r->c_source);
				acc = V(r, (size_t)r->c_account);
			}
			if ((rc = add_sorted(r, &h, src, sn, acc, an, r->line, r->linen)) < 0)
				return rc;
			return 0;
		}
	}
	if (rc == 0) {
		/* event row: the line without customer_key (written from h.ckey),
		 * built in place in the sort record; it begins with account_id
		 * (column 1, never escaped), which is then not stored before it */
		const char *acc = V(r, (size_t)r->c_account);
		int inl = r->c_account == 1 && !r->escape[1];
		size_t an = r->v[r->c_account].n, pre = EHDR_SIZE + (inl ? 0 : an);
		char *rec = cx_sortspill_reserve(r->sort, pre + line_bound(r), r->err);

		if (!rec)
			return r->err->code ? r->err->code : CX_ENOMEM;
		r->linen = line_into(r, rec + pre);
		cx_sortspill_shrink(r->sort, pre + r->linen);
		h.t = r->sortt;
		h.srclen = 0;
		h.acclen = (uint16_t)an;
		h.flags |= inl ? 4 : 0;
		put_ehdr(rec, &h);
		if (!inl)
			memcpy(rec + EHDR_SIZE, acc, an);
		if (!r->amap)
			acckey_note(&r->ak, acc, an);
		return 0;
	}
	/* rejected */
	if (r->has_money && (rc = led_money(r, M_REJ, r->cur, r->money)) < 0)
		return rc;
	return write_reject(r, line, r->reason, raw.p, raw.n);
}

struct tblhdr { char **names; size_t *lens; size_t n; size_t *pidx, npidx; };

static int write_table_row(struct run *r, const struct tblhdr *th, const struct cx_field *f,
                           size_t nf)
{
	size_t i, k = 0;

	r->linen = 0;
	for (i = 0; i < nf; i++) {
		const char *p = f[i].p;
		size_t n = f[i].n;
		char ps[CX_PSEUDO_BUFSZ];
		if (i && line_add(r, "\t", 1, 0) < 0)
			return oom(r);
		/* --pseudonymise: columns named national_id, email, phone (pidx
		 * is in the order of the names list: look it up) */
		for (k = 0; k < th->npidx && th->pidx[k] != i; k++)
			;
		if (k < th->npidx) {
			int w = cx_pseudo_value(r->o->pseudo, th->names[i], p, n, ps);
			if (w < 0)
				return w == CX_ENOMEM ? oom(r) : cx_error_set(r->err, w, r->fname, 0,
				    "cannot compute the pseudonym of column '%s'", th->names[i]);
			p = ps;
			n = (size_t)w;
		}
		if (line_add(r, p, n, 1) < 0)
			return oom(r);
	}
	if (line_add(r, "\n", 1, 0) < 0)
		return oom(r);
	return cx_output_write(r->out, r->line, r->linen, r->err);
}

static int write_header(struct run *r, const char *const *names, const size_t *lens, size_t n)
{
	size_t i;

	r->linen = 0;
	for (i = 0; i < n; i++) {
		if (i && line_add(r, "\t", 1, 0) < 0)
			return oom(r);
		if (line_add(r, names[i], lens ? lens[i] : strlen(names[i]), 1) < 0)
			return oom(r);
	}
	if (line_add(r, "\n", 1, 0) < 0)
		return oom(r);
	return cx_output_write(r->out, r->line, r->linen, r->err);
}

/* ---- canonical event fast path --------------------------------------------- */

/* An event stream whose header is exactly the canonical columns of its
 * kind (a file cx-ingest wrote) is joined without normalising it again:
 * each field is only checked to be a value the normaliser maps to itself
 * (so the output bytes are those of the full path), the money of the
 * ledger measure and the sort date are read, and the rest of the line
 * after customer_key is copied as it is.  A row with any other value
 * (blank required field, spaces, non-canonical amount, future date,
 * unknown account, ...) goes through process_record, which rejects or
 * normalises it as for any input. */
static int fast_header(const struct run *r, const char *const *hdr, size_t nh)
{
	size_t c;

	if ((r->o->kind != CX_KIND_PAYMENTS && r->o->kind != CX_KIND_STATEMENTS) ||
	    nh != r->ncols || r->c_currency < 0 ||
	    (r->o->map && r->o->map->n > 0))
		return 0;
	for (c = 0; c < nh; c++) {
		if (strcmp(hdr[c], r->cols[c].name) != 0)
			return 0;
		switch (r->role[c]) {
		case R_CUSTKEY: case R_ACCOUNT: case R_CURRENCY: case R_MONEY: case R_DATE:
		case R_METHOD: case R_DPD:
			break;
		default:
			return 0;
		}
	}
	return 1;
}

/* canonical amount of exponent exp: -?(0|[1-9][0-9]*)(.[0-9]{exp})?, not -0 */
static int fast_money(const char *s, size_t n, int exp, int64_t *out)
{
	size_t i = 0, ip;
	int neg = 0;
	uint64_t v = 0;

	if (n && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	ip = i;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	if (i == ip || (s[ip] == '0' && i - ip > 1))
		return -1;
	if (exp > 0) {
		int k;
		if (i >= n || s[i] != '.')
			return -1;
		for (i++, k = 0; k < exp; k++, i++) {
			if (i >= n || s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
	}
	/* far from the edge of the range: the full path decides there */
	if (i != n || v > 100000000000000000ull || (neg && v == 0))
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* canonical lower-case code: [a-z0-9]+ joined by single '_' */
static int fast_code(const char *s, size_t n)
{
	size_t i;

	if (s[0] == '_' || s[n - 1] == '_')
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			continue;
		if (ch != '_' || s[i + 1] == '_')
			return -1;
	}
	return 0;
}

/* Returns 1 when the row was handled, 0 to take the full path, <0 error. */
static int fast_event(struct run *r, const struct cx_field *f, size_t nf, struct cx_field raw)
{
	struct rhdr h;
	const char *acc = NULL, *tab;
	size_t an = 0, c;
	uint32_t ah = 0;
	int exp;
	char idbuf[260];
	const char *why;

	if (nf != r->ncols)
		return 0;
	memset(&h, 0, sizeof h);
	{
		const struct cx_field *cf = &f[r->c_currency];
		if (cf->n != 3 || cf->p[0] < 'A' || cf->p[0] > 'Z' || cf->p[1] < 'A' ||
		    cf->p[1] > 'Z' || cf->p[2] < 'A' || cf->p[2] > 'Z' ||
		    (exp = cx_currency_exponent(cf->p, 3)) < 0)
			return 0;
		memcpy(h.cur, cf->p, 3);
	}
	r->sortt = 0;
	for (c = 0; c < nf; c++) {
		const char *p = f[c].p;
		size_t n = f[c].n;
		if (n == 0) {
			if (r->required[c])
				return 0;
			continue;
		}
		switch (r->role[c]) {
		case R_ACCOUNT:
			if (n > 256 || cx_norm_id(p, n, idbuf, sizeof idbuf, &why) != (int)n)
				return 0;
			acc = p;
			an = n;
			/* start loading the account's slot while the row is checked */
			ah = amap_hash(p, n);
			if (r->amap && r->amap->cap)
				__builtin_prefetch(&r->amap->tab[amap_slot(r->amap, ah)]);
			break;
		case R_MONEY: {
			int64_t v;
			if (fast_money(p, n, exp, &v) < 0 || (r->nonneg[c] && v < 0))
				return 0;
			if ((int)c == r->c_money) {
				h.money = v;
				h.flags |= 1;
			}
			break;
		}
		case R_DATE: {
			cx_day d;
			if (n != 10 || cx_date_parse_iso(p, n, &d, &why) < 0 ||
			    d < -25567 /* 1900-01-01 */ || d > 84370 /* 2200-12-31 */ ||
			    (r->o->as_of != CX_DAY_NONE && d > r->o->as_of && r->past_only[c]))
				return 0;
			if ((int)c == r->c_sortdate)
				r->sortt = d;
			break;
		}
		case R_METHOD:
			if (fast_code(p, n) < 0)
				return 0;
			break;
		case R_DPD: {
			size_t i;
			long x = 0;
			if (n > 5 || (p[0] == '0' && n > 1))
				return 0;
			for (i = 0; i < n; i++) {
				if (p[i] < '0' || p[i] > '9')
					return 0;
				x = x * 10 + (p[i] - '0');
			}
			if (x > CX_INGEST_MAX_DPD)
				return 0;
			break;
		}
		default:   /* customer_key: recomputed; currency: checked above */
			break;
		}
	}
	if (!acc)
		return 0;
	if (r->amap) {
		int k = lookup_ckey(r, ah, acc, an, &h.ckey);
		if (k != 0)
			return 0;   /* reject: the full path words it */
		h.flags |= 2;
	}
	/* the line after customer_key, already escaped (no field above holds a
	 * byte that needs an escape) */
	tab = memchr(raw.p, '\t', raw.n);
	if (!tab)
		return 0;
	if (h.flags & 1) {
		int lrc = led_money(r, M_IN, h.cur, h.money);
		if (lrc < 0)
			return lrc;
	}
	h.t = r->sortt;
	{
		/* the line starts with the account (fast_header: column 1), as
		 * it is unless escaped: then it is stored before the line */
		size_t ln = raw.n - (size_t)(tab + 1 - raw.p);
		int inl = ln > an && tab[1 + an] == '\t' && memcmp(tab + 1, acc, an) == 0;
		size_t pre = EHDR_SIZE + (inl ? 0 : an);
		char *rec = cx_sortspill_reserve(r->sort, pre + ln, r->err);
		if (!rec)
			return r->err->code ? r->err->code : CX_ENOMEM;
		h.acclen = (uint16_t)an;
		h.flags |= inl ? 4 : 0;
		put_ehdr(rec, &h);
		if (!inl)
			memcpy(rec + EHDR_SIZE, acc, an);
		memcpy(rec + pre, tab + 1, ln);
		if (!r->amap)
			acckey_note(&r->ak, acc, an);
		return 1;
	}
}

/* ---- canonical accounts fast path ------------------------------------------ */

/* An accounts stream whose header is exactly the canonical accounts columns
 * (per-source outputs of cx-ingest, given back for the identity pass) is
 * checked, not normalised again: a row whose every field is a value the
 * normaliser maps to itself (and whose days_past_due and bucket are the
 * ones --as-of gives) is linked and its line after customer_key copied as
 * it is; any other row goes through process_record, which rejects or
 * normalises it as for any input, so output, rejects and ledger are those
 * of the full path.  Columns of few distinct values are checked once per
 * value (struct canon). */
#define CANON_SLOTS 256
#define CANON_LEN 54
struct canon {
	unsigned char n;
	char v[CANON_LEN + 1];
	const char *aux;         /* country: cx_norm_country's static code */
};

struct facc {
	struct canon *canon[MAXCOLS];
};

static void facc_free(struct facc *fa)
{
	size_t c;

	if (!fa)
		return;
	for (c = 0; c < MAXCOLS; c++)
		cx_free(fa->canon[c]);
	cx_free(fa);
}

/* The fast path's state when the header allows it, else NULL (also when
 * out of memory: the full path gives the same result). */
static struct facc *facc_new(const struct run *r, const char *const *hdr, size_t nh)
{
	struct facc *fa;
	size_t c;

	if (r->o->kind != CX_KIND_ACCOUNTS || nh != r->ncols || r->o->pseudo ||
	    (r->o->map && r->o->map->n > 0) || r->c_account != 1 || r->c_source != 2 ||
	    r->c_currency < 0 || r->c_country < 0 || r->c_money < 0)
		return NULL;
	for (c = 0; c < nh; c++)
		if (strcmp(hdr[c], r->cols[c].name) != 0 || r->raw[c] != (int)c)
			return NULL;
	if (!(fa = cx_calloc(1, sizeof *fa)))
		return NULL;
	for (c = 0; c < nh; c++) {
		switch (r->role[c]) {
		case R_COUNTRY: case R_TZ: case R_LANG: case R_FLAGS: case R_CONSENTS:
		case R_CHANNEL: case R_HOURS:
			if (!(fa->canon[c] = cx_calloc(CANON_SLOTS, sizeof *fa->canon[c]))) {
				facc_free(fa);
				return NULL;
			}
			break;
		case R_CUSTKEY: case R_ACCOUNT: case R_SOURCE: case R_SRCCUST: case R_NATID:
		case R_NAME: case R_EMAIL: case R_PHONE: case R_PRODUCT: case R_CURRENCY:
		case R_MONEY: case R_DATE: case R_DPD: case R_BUCKET:
			break;
		default:   /* a role this path does not check */
			facc_free(fa);
			return NULL;
		}
	}
	return fa;
}

/* 1 when value (p, n) of column c (non-empty) normalises to itself; *aux
 * gets the country code for the country column. */
static int canon_value(const struct run *r, struct facc *fa, size_t c, const char *p, size_t n,
                       const char **aux)
{
	struct canon *e;
	const char *why, *s = NULL;
	char buf[256];
	int k, ok = 0;

	{
		/* the first and last 8 bytes (or all of a shorter value) and
		 * the length: enough to tell these short values apart */
		uint64_t a = 0, b = 0, x;
		memcpy(&a, p, n < 8 ? n : 8);
		if (n > 8)
			memcpy(&b, p + n - 8, 8);
		x = (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL) ^ n;
		e = &fa->canon[c][(x ^ (x >> 29) ^ (x >> 47)) & (CANON_SLOTS - 1)];
	}
	if (e->n == n && memcmp(e->v, p, n) == 0) {
		*aux = e->aux;
		return 1;
	}
	switch (r->role[c]) {
	case R_COUNTRY:
		s = cx_norm_country(p, n);
		ok = s && strlen(s) == n && memcmp(s, p, n) == 0;
		break;
	case R_TZ:
		ok = cx_timezone_valid(p, n);
		break;
	case R_LANG:
		s = cx_norm_language(p, n);
		ok = s && strlen(s) == n && memcmp(s, p, n) == 0;
		s = NULL;
		break;
	case R_FLAGS:
	case R_CONSENTS: {
		unsigned mask;
		k = r->role[c] == R_FLAGS ? cx_norm_flag_set(p, n, &mask, &why)
		                          : cx_norm_channel_set(p, n, &mask, &why);
		if (k >= 0)
			k = cx_norm_set_format(buf, sizeof buf, r->role[c] == R_FLAGS ?
			                       cx_flag_names : cx_channel_names, mask);
		ok = k >= 0 && (size_t)k == n && memcmp(buf, p, n) == 0;
		break;
	}
	case R_CHANNEL:
		k = cx_norm_channel(p, n);
		ok = k >= 0 && strlen(cx_channel_names[k]) == n &&
		     memcmp(cx_channel_names[k], p, n) == 0;
		break;
	case R_HOURS:
		ok = n == 11 && cx_ingest_norm_hours(p, n, buf) == 11 && memcmp(buf, p, 11) == 0;
		break;
	default:
		break;
	}
	if (ok && n <= CANON_LEN) {
		e->n = (unsigned char)n;
		memcpy(e->v, p, n);
		e->aux = s;
	}
	*aux = s;
	return ok;
}

/* canonical code of code_upper: [A-Z0-9]+ joined by single '_' */
static int canon_code_upper(const char *s, size_t n)
{
	size_t i;

	if (s[0] == '_' || s[n - 1] == '_')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
			continue;
		if (ch != '_' || s[i + 1] == '_')
			return 0;
	}
	return 1;
}

/* What facc_check read from a canonical row. */
struct fa_row {
	int64_t money;
	int has_money;
	char cur[4];
	uint64_t chash;          /* content hash of the line */
	uint32_t hacc, hnat;     /* slot hashes of the account and the national id (0: none) */
};

/* 1 when every field of the row is canonical (o filled), else 0.  Reads r
 * but changes nothing in it (it runs in the reader thread, see
 * read_canonical): only fa's value sets. */
static int facc_check(const struct run *r, struct facc *fa, const struct cx_field *f,
                      size_t nf, struct cx_field raw, struct fa_row *o)
{
	const char *country = NULL, *why;
	cx_day due = CX_DAY_NONE;
	char buf[264], cur[4];
	size_t c, sum = 0;
	int64_t money = 0;
	int has_money = 0, exp;

	if (nf != r->ncols)
		return 0;
	/* no escape in the line: every field is its raw bytes (and then no
	 * value holds a byte that needs one) */
	for (c = 0; c < nf; c++)
		sum += f[c].n;
	if (sum + nf - 1 != raw.n)
		return 0;
	{
		const struct cx_field *cf = &f[r->c_currency];
		if (cf->n != 3 || cf->p[0] < 'A' || cf->p[0] > 'Z' || cf->p[1] < 'A' ||
		    cf->p[1] > 'Z' || cf->p[2] < 'A' || cf->p[2] > 'Z' ||
		    (exp = cx_currency_exponent(cf->p, 3)) < 0)
			return 0;
		memcpy(cur, cf->p, 4);
	}
	if (f[r->c_country].n == 0 ||
	    !canon_value(r, fa, (size_t)r->c_country, f[r->c_country].p, f[r->c_country].n,
	                 &country) || !country)
		return 0;
	for (c = 1; c < nf; c++) {
		const char *p = f[c].p, *aux;
		size_t n = f[c].n;
		int k;
		if (n == 0) {
			if (r->required[c])
				return 0;
			switch (r->role[c]) {
			case R_SOURCE: case R_DPD: case R_BUCKET:
				return 0;   /* filled in by the full path */
			case R_TZ:
				if (cx_default_timezone(country))
					return 0;
				break;
			case R_LANG:
				if (default_language(country))
					return 0;
				break;
			default:
				break;
			}
			continue;
		}
		switch (r->role[c]) {
		case R_ACCOUNT:
		case R_SOURCE:
		case R_SRCCUST:
			if (n > (r->role[c] == R_SOURCE ? 64u : 256u) ||
			    cx_norm_id(p, n, buf, sizeof buf, &why) != (int)n)
				return 0;
			break;
		case R_NATID:
			if (n >= sizeof buf ||
			    (k = cx_norm_national_id(p, n, buf, sizeof buf, &why)) != (int)n ||
			    memcmp(buf, p, n) != 0)
				return 0;
			break;
		case R_NAME:
			if (p[0] == ' ' || p[n - 1] == ' ')
				return 0;   /* trimmed by the full path */
			break;
		case R_EMAIL:
			if (n >= sizeof buf ||
			    (k = cx_norm_email(p, n, buf, sizeof buf, &why)) != (int)n ||
			    memcmp(buf, p, n) != 0)
				return 0;
			break;
		case R_PHONE:
			if (n > CX_PHONE_BUFSZ ||
			    (k = cx_norm_phone(p, n, country, buf, CX_PHONE_BUFSZ + 1, &why)) != (int)n ||
			    memcmp(buf, p, n) != 0)
				return 0;
			break;
		case R_COUNTRY:
		case R_CURRENCY:
			break;   /* checked above */
		case R_TZ: case R_LANG: case R_FLAGS: case R_CONSENTS: case R_CHANNEL:
		case R_HOURS:
			if (!canon_value(r, fa, c, p, n, &aux))
				return 0;
			break;
		case R_PRODUCT:
			if (!canon_code_upper(p, n))
				return 0;
			break;
		case R_MONEY: {
			int64_t v;
			if (fast_money(p, n, exp, &v) < 0 || (r->nonneg[c] && v < 0))
				return 0;
			if ((int)c == r->c_money) {
				money = v;
				has_money = 1;
			}
			break;
		}
		case R_DATE: {
			cx_day d;
			if (n != 10 || p[4] != '-' || p[7] != '-' || !DIGITS8(p, 0, 1, 2, 3, 5, 6, 8, 9) ||
			    cx_date_parse(p, n, CX_DATE_ISO, &d, &why) < 0 ||
			    p[0] < '1' || (p[0] == '1' && p[1] < '9') || memcmp(p, "2200", 4) > 0 ||
			    (r->o->as_of != CX_DAY_NONE && d > r->o->as_of && r->past_only[c]))
				return 0;
			if ((int)c == r->c_due)
				due = d;
			break;
		}
		default:   /* days_past_due and bucket: below */
			break;
		}
	}
	/* days_past_due and bucket as --as-of and due_date give them */
	if (r->o->as_of == CX_DAY_NONE || due == CX_DAY_NONE || r->c_dpd < 0)
		return 0;
	{
		long x = (long)r->o->as_of - (long)due;
		size_t w;
		if (x > CX_INGEST_MAX_DPD || x < -CX_INGEST_MAX_DPD)
			return 0;
		w = dpd_format(x, buf);
		if (w != f[r->c_dpd].n || memcmp(buf, f[r->c_dpd].p, w) != 0)
			return 0;
		if (r->c_bucket >= 0) {
			const char *lab = bucket_of(r, x);
			if (strlen(lab) != f[r->c_bucket].n ||
			    memcmp(lab, f[r->c_bucket].p, f[r->c_bucket].n) != 0)
				return 0;
		}
	}
	o->money = money;
	o->has_money = has_money;
	memcpy(o->cur, cur, 4);
	/* what facc_take's index look-ups need, computed here (in the reader
	 * thread when there is one) */
	o->chash = cx_identity_content_hash(raw.p + f[0].n + 1, raw.n - f[0].n - 1);
	o->hacc = cx_identity_slot_hash(0, f[2].p, f[2].n, f[1].p, f[1].n);
	o->hnat = 0;
	if ((r->o->link & CX_LINK_ID) && r->c_natid && link_ok(f[r->c_natid].p, f[r->c_natid].n))
		o->hnat = cx_identity_slot_hash(CX_LINK_ID, f[r->c_natid].p, f[r->c_natid].n, NULL, 0);
	return 1;
}

#define NO_OFF UINT64_MAX

/* A row facc_check passed, linked and added as process_record would (the
 * line after customer_key is the canonical line; account_id and source
 * first: flag 4).  Only the fields' bytes are used (f may point into raw).
 * off is the line's offset in the file being read when that file is
 * mapped (r->cur_map), else NO_OFF: then the line stays in the mapping
 * (flag 8) and the record holds only where it is, account_id and source,
 * so that the input's bytes are not copied into fresh memory.  Returns 1,
 * or <0 on error. */
static int facc_take(struct run *r, const struct fa_row *a, const struct cx_field *f,
                     size_t nf, struct cx_field raw, long line, uint64_t off)
{
	const char *lp = raw.p + f[0].n + 1;
	size_t c, ln = raw.n - f[0].n - 1, pre = sizeof(struct ahdr);
	int64_t money = a->money;
	int has_money = a->has_money, st;
	const char *cur = a->cur;
	uint32_t ord;
	struct rhdr h;
	char *rec;
	int mapped = off != NO_OFF && r->cur_map >= 0 &&
	             off <= r->maps[r->cur_map]->n &&
	             raw.n <= r->maps[r->cur_map]->n - off && ln <= UINT32_MAX;
	size_t keep = mapped ? sizeof(struct mref) + f[1].n + 1 + f[2].n : ln;

	memset(&h, 0, sizeof h);
	if (has_money) {
		int lrc;
		memcpy(h.cur, cur, 4);
		h.money = money;
		h.flags |= 1;
		if ((lrc = led_money(r, M_IN, cur, money)) < 0)
			return lrc;
	}
	cx_identity_prefetch_h(r->id, 0, a->hacc, 0);
	cx_identity_prefetch_h(r->id, CX_LINK_ID, a->hnat, 0);
	if (!(rec = cx_sortspill_reserve(r->sort, pre + keep, r->err)))
		return r->err->code ? r->err->code : CX_ENOMEM;
	if (mapped) {
		struct mref m;
		m.off = off + f[0].n + 1;
		m.len = (uint32_t)ln;
		m.map = (uint32_t)r->cur_map;
		memcpy(rec + pre, &m, sizeof m);
		memcpy(rec + pre + sizeof m, lp, f[1].n + 1 + f[2].n);
	} else
		memcpy(rec + pre, lp, ln);
	st = cx_identity_add_h(r->id, f[2].p, f[2].n, f[1].p, f[1].n, a->hacc, a->chash, &ord,
	                       r->err);
	if (st < 0)
		return st;
	if (st != CX_ID_NEW) {
		cx_sortspill_cancel(r->sort);
		r->res->rows_fast++;
	}
	if ((r->res->rows_in & 1023) == 0)
		share_memory(r, cx_identity_memory(r->id));
	if (st == CX_ID_DUPLICATE) {
		r->res->rows_duplicate++;
		return has_money && (st = led_money(r, M_DUP, cur, money)) < 0 ? st : 1;
	}
	if (st == CX_ID_CONFLICT) {
		int rc;
		rejectf(r, "account_id", "same source and account_id as an earlier row with "
		        "different values");
		if (has_money && (rc = led_money(r, M_REJ, cur, money)) < 0)
			return rc;
		return (rc = write_reject(r, line, r->reason, raw.p, raw.n)) < 0 ? rc : 1;
	}
	for (c = 1; c < nf; c++) {
		int t = r->role[c] == R_NATID ? CX_LINK_ID : r->role[c] == R_EMAIL ? CX_LINK_EMAIL :
		        r->role[c] == R_PHONE ? CX_LINK_PHONE : 0;
		int rc;
		if (t && (r->o->link & (unsigned)t) && link_ok(f[c].p, f[c].n) &&
		    (rc = cx_identity_link_h(r->id, ord, t, f[c].p, f[c].n,
		                             t == CX_LINK_ID ? a->hnat : 0, r->err)) < 0)
			return rc;
	}
	h.ordinal = ord;
	put_ahdr(rec, &h, f[2].n, f[1].n, mapped ? 4 | 8 : 4);
	r->res->rows_fast++;
	r->res->rows_mapped += (unsigned)mapped;
	return 1;
}

/* Serial form: check, then take or leave to the full path (1 handled, 0
 * not canonical, <0 error). */
static int fast_account(struct run *r, struct facc *fa, const struct cx_field *f, size_t nf,
                        struct cx_field raw, long line)
{
	struct fa_row a;

	return facc_check(r, fa, f, nf, raw, &a) ? facc_take(r, &a, f, nf, raw, line, NO_OFF) : 0;
}

/* A canonical accounts stream is read in two threads: a reader thread
 * reads, splits and checks rows (cx_tsv_next, facc_check) a few batches
 * ahead, while the calling thread links, sorts or rejects them
 * (facc_take, process_record) in input order, so everything that decides
 * the output (identity, duplicates, rejects, ledger, the first error) is
 * as in one thread.  The reader thread touches only the TSV reader, the
 * value sets of fa and the batches it fills. */
#define FB_N 4                 /* batches in flight */
#define FB_ROWS 2048
#define FB_BYTES (1u << 20)

struct fb_row {
	struct fa_row a;
	int ok;
	long line;
	size_t raw, base;          /* offsets in buf: the raw line; the fields */
	size_t rawn;
	uint64_t off;              /* the line's offset in the input */
};

/* A batch: the rows' raw lines, and for rows that are not canonical the
 * unescaped fields too (NUL-separated as the TSV reader leaves them;
 * those of a canonical row are its raw line's bytes, tab-separated);
 * field lengths in len.  Offsets, not pointers: buf grows while filled. */
struct fbatch {
	char *buf;
	size_t n, cap;
	size_t *len;               /* FB_ROWS * ncols */
	struct fb_row rows[FB_ROWS];
	size_t nrows;
	int end, rc;               /* the last batch: cx_tsv_next's 0 or error */
	struct cx_error err;
};

struct fpipe {
	const struct run *r;
	struct facc *fa;
	struct cx_tsv_reader *t;
	size_t nf;
	struct fbatch b[FB_N];
	struct cx_ahead *ahead;    /* fills b[] in the reader thread */
};

static int fb_room(struct fbatch *b, size_t n)
{
	return b->n + n <= b->cap || cx_grow((void **)&b->buf, &b->cap, b->n + n, 1) == 0;
}

static void fb_fill(struct fpipe *pp, struct fbatch *b)
{
	b->n = b->nrows = 0;
	b->end = b->rc = 0;
	while (b->nrows < FB_ROWS && b->n < FB_BYTES) {
		uint64_t off = cx_tsv_bytes(pp->t);
		int rc = cx_tsv_next(pp->t, &b->err);
		const struct cx_field *f;
		struct cx_field raw;
		struct fb_row *w = &b->rows[b->nrows];
		size_t k, un = 0;

		if (rc <= 0) {
			b->end = 1;
			b->rc = rc;
			return;
		}
		f = cx_tsv_fields(pp->t);
		raw = cx_tsv_raw(pp->t);
		w->ok = facc_check(pp->r, pp->fa, f, pp->nf, raw, &w->a);
		if (!w->ok)
			w->a.hacc = w->a.hnat = 0;
		if (!w->ok)
			un = (size_t)(f[pp->nf - 1].p + f[pp->nf - 1].n + 1 - f[0].p);
		if (!fb_room(b, raw.n + 1 + un)) {
			b->end = 1;
			b->rc = cx_error_set(&b->err, CX_ENOMEM, NULL, 0, "out of memory");
			return;
		}
		w->raw = b->n;
		w->rawn = raw.n;
		memcpy(b->buf + b->n, raw.p, raw.n);
		b->buf[b->n + raw.n] = '\0';
		b->n += raw.n + 1;
		w->base = w->raw;
		if (!w->ok) {
			w->base = b->n;
			memcpy(b->buf + b->n, f[0].p, un);
			b->n += un;
		}
		for (k = 0; k < pp->nf; k++)
			b->len[b->nrows * pp->nf + k] = f[k].n;
		w->line = cx_tsv_line(pp->t);
		w->off = off;
		b->nrows++;
	}
}

/* cx_ahead's fill: 1 while more batches follow */
static int fb_next(void *ctx, void *batch)
{
	struct fbatch *b = batch;

	fb_fill(ctx, b);
	return !b->end;
}

static void fpipe_free(struct fpipe *pp)
{
	size_t i;

	if (!pp)
		return;
	for (i = 0; i < FB_N; i++) {
		cx_free(pp->b[i].buf);
		cx_free(pp->b[i].len);
	}
	cx_free(pp);
}

/* The reader thread started on t, or NULL when out of memory (then the
 * caller reads in one thread: same result). */
static struct fpipe *fpipe_start(const struct run *r, struct facc *fa, struct cx_tsv_reader *t,
                                 size_t nf)
{
	struct fpipe *pp = cx_calloc(1, sizeof *pp);
	void *batches[FB_N];
	struct cx_error err;
	size_t i;

	if (!pp)
		return NULL;
	pp->r = r;
	pp->fa = fa;
	pp->t = t;
	pp->nf = nf;
	for (i = 0; i < FB_N; i++) {
		if (!(pp->b[i].len = cx_calloc(FB_ROWS * nf, sizeof *pp->b[i].len))) {
			fpipe_free(pp);
			return NULL;
		}
		batches[i] = &pp->b[i];
	}
	if (!(pp->ahead = cx_ahead_new(fb_next, pp, batches, FB_N, &err))) {
		fpipe_free(pp);
		return NULL;
	}
	return pp;
}

/* The rows of the batches in order, as read_canonical's loop does them. */
static int fpipe_run(struct run *r, struct fpipe *pp)
{
	struct cx_field f[MAXCOLS];
	size_t nf = pp->nf;

	for (;;) {
		struct fbatch *b = cx_ahead_next(pp->ahead);
		size_t i, k;

		if (!b)
			return 0;   /* not reached: the last batch ends the loop */
		for (i = 0; i < b->nrows; i++) {
			const struct fb_row *w = &b->rows[i];
			struct cx_field raw;
			const char *p = b->buf + w->base;
			int rc;
			/* the index slots of the rows a little ahead, then the
			 * records their national ids lead to */
			if (i + 8 < b->nrows) {
				cx_identity_prefetch_h(r->id, 0, w[8].a.hacc, 0);
				cx_identity_prefetch_h(r->id, CX_LINK_ID, w[8].a.hnat, 0);
			}
			if (i + 5 < b->nrows)
				cx_identity_prefetch_h(r->id, CX_LINK_ID, w[5].a.hnat, 1);
			if (i + 2 < b->nrows)
				cx_identity_prefetch_h(r->id, CX_LINK_ID, w[2].a.hnat, 2);
			for (k = 0; k < nf; k++) {
				f[k].p = p;
				f[k].n = b->len[i * nf + k];
				p += f[k].n + 1;
			}
			raw.p = b->buf + w->raw;
			raw.n = w->rawn;
			r->res->rows_in++;
			expect_from_row(r, raw.n);
			rc = w->ok ? facc_take(r, &w->a, f, nf, raw, w->line, w->off)
			           : process_record(r, f, nf, w->line, raw);
			if (rc < 0)
				return rc;
		}
		if (b->end) {
			if (b->rc < 0) {
				*r->err = b->err;
				return b->rc;
			}
			return 0;
		}
	}
}

/* Stop the reader thread (when the run ended early) and free the pipe. */
static void fpipe_end(struct fpipe *pp)
{
	cx_ahead_free(pp->ahead);
	fpipe_free(pp);
}

/* A canonical stream given back to cx-ingest (to merge sources that were
 * ingested separately): read with the TSV reader, ISO dates and canonical
 * amounts, customer_key recomputed; rows already canonical copied by
 * fast_event or fast_account. */
static int read_canonical(struct run *r, const char *path)
{
	struct cx_tsv_opts to;
	struct cx_tsv_reader *t;
	const char *hdr[MAXCOLS * 4];
	size_t hlen[MAXCOLS * 4], nh, i;
	int rc, fast;
	struct facc *fa = NULL;
	struct fpipe *pp;

	memset(&to, 0, sizeof to);
	to.input.max_input_bytes = r->o->max_input_bytes;
	to.max_columns = r->o->max_columns;
	t = cx_tsv_open(path, &to, r->err);
	if (!t)
		return r->err->code ? r->err->code : CX_ENOINPUT;
	r->fname = cx_tsv_name(t);
	r->dec_comma = 0;
	r->date_order = CX_DATE_ISO;
	nh = cx_tsv_ncols(t);
	if (nh > sizeof hdr / sizeof hdr[0]) {
		rc = cx_error_set(r->err, CX_ELIMIT, r->fname, 1, "too many columns");
		goto out;
	}
	for (i = 0; i < nh; i++) {
		hdr[i] = cx_tsv_colname(t, i);
		hlen[i] = strlen(hdr[i]);
	}
	if ((rc = cx_colmap_build(r->o->map, r->cols, r->ncols, r->required, hdr, hlen, nh,
	                          r->raw, r->fname, r->err)) < 0)
		goto out;
	fast = fast_header(r, hdr, nh);
	fa = facc_new(r, hdr, nh);
	if (fa && strcmp(path, "-") != 0 && r->nmaps < 65536 &&
	    cx_grow((void **)&r->maps, &r->mapcap, r->nmaps + 1, sizeof *r->maps) == 0) {
		/* a plain file (not gzip, not standard input) is mapped for the
		 * rows facc_take keeps there; read as before otherwise */
		struct cx_map *m = cx_map_open(cx_input_plain_fd(cx_tsv_input(t)), r->fname);
		if (m) {
			r->cur_map = (int)r->nmaps;
			r->maps[r->nmaps++] = m;
		}
	}
	if (fa && (pp = fpipe_start(r, fa, t, nh)) != NULL) {
		rc = fpipe_run(r, pp);
		fpipe_end(pp);
		goto out;
	}
	while ((rc = cx_tsv_next(t, r->err)) == 1) {
		r->res->rows_in++;
		expect_from_row(r, cx_tsv_raw(t).n);
		if (fast && (rc = fast_event(r, cx_tsv_fields(t), nh, cx_tsv_raw(t))) != 0) {
			if (rc < 0)
				goto out;
			continue;
		}
		if (fa && (rc = fast_account(r, fa, cx_tsv_fields(t), nh, cx_tsv_raw(t),
		                             cx_tsv_line(t))) != 0) {
			if (rc < 0)
				goto out;
			continue;
		}
		if ((rc = process_record(r, cx_tsv_fields(t), nh, cx_tsv_line(t),
		                         cx_tsv_raw(t))) < 0)
			goto out;
	}
out:
	r->cur_map = -1;
	facc_free(fa);
	cx_tsv_close(t);
	r->fname = "";
	return rc < 0 ? rc : 0;
}

/* ---- merge of joined event streams ----------------------------------------- */

/* cx_ingest_merge: event streams cx-ingest wrote, each already in the order
 * of write_sorted (customer_key, account_id, sort date or timestamp, then
 * the line), merged into the stream one run over all their sources would
 * write: that order is total on distinct lines, so a k-way merge of the
 * sorted streams is the sort of their union, and a line equal to the one
 * before it is a duplicate as in write_sorted.  Lines are copied as they
 * are; only what the order and the ledger need is read (key, account, sort
 * time, money), and an input that is not in that order, or whose header is
 * not the kind's canonical one, stops the merge (file:line). */

static int check_ledger(struct run *r);
static int setup(struct run *r, const struct cx_ingest_opts *o);

struct mhead {
	struct cx_tsv_reader *t;
	uint64_t key;
	int has_key, has_money;
	int64_t t_sort, money;
	char cur[4];
	const char *acc, *line;   /* line: the raw line after customer_key */
	size_t an, ln;
};

/* the order of sort_cmp for event records; a row without a customer key
 * (key 0) goes before one with key c0000000000000000, so that rows which
 * compare equal are the same bytes */
static int mhead_cmp(const struct mhead *a, const struct mhead *b)
{
	int c;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->has_key != b->has_key)
		return a->has_key < b->has_key ? -1 : 1;
	if ((c = cx_sort_bytes_cmp(a->acc, a->an, b->acc, b->an)) != 0)
		return c;
	if (a->t_sort != b->t_sort)
		return a->t_sort < b->t_sort ? -1 : 1;
	return cx_sort_bytes_cmp(a->line, a->ln, b->line, b->ln);
}

/* Reads the next row of h: 1 row, 0 end, <0 error. */
static int mhead_next(struct run *r, struct mhead *h, int c_time)
{
	const struct cx_field *f;
	struct cx_field raw, few[MAXCOLS];
	const char *why = NULL, *col = NULL, *tab;
	size_t start[MAXCOLS + 2], upto = (size_t)r->c_account, k;
	int rc = cx_tsv_next_raw(h->t, r->err);

	if (rc <= 0)
		return rc;
	r->res->rows_in++;
	raw = cx_tsv_raw(h->t);
	/* only the fields read below, found in place (no escape in the line:
	 * their bytes are as written); any other line is split by the TSV
	 * reader, with its checks and errors */
	if (c_time > (int)upto)
		upto = (size_t)c_time;
	if (r->c_money > (int)upto)
		upto = (size_t)r->c_money;
	if (r->c_currency > (int)upto)
		upto = (size_t)r->c_currency;
	if (upto < MAXCOLS && split_few(raw.p, raw.n, cx_tsv_ncols(h->t), upto, start)) {
		for (k = 0; k <= upto; k++) {
			few[k].p = raw.p + start[k];
			few[k].n = start[k + 1] - start[k] - 1;
		}
		f = few;
	} else {
		if ((rc = cx_tsv_split_raw(h->t, r->err)) < 0)
			return rc;
		f = cx_tsv_fields(h->t);
	}
	h->has_key = f[0].n != 0;
	h->key = 0;
	if (h->has_key && parse_ckey(f[0].p, f[0].n, &h->key) < 0) {
		col = "customer_key";
		why = "not c + 16 hex digits";
	}
	h->acc = f[r->c_account].p;
	h->an = f[r->c_account].n;
	h->t_sort = 0;
	if (!why && c_time >= 0 && f[c_time].n) {
		cx_day d;
		int off;
		col = r->cols[c_time].name;
		if (r->role[c_time] == R_TIMESTAMP) {
			if (cx_timestamp_parse(f[c_time].p, f[c_time].n, CX_NO_OFFSET, &h->t_sort, &off,
			                       &why) == 0)
				why = NULL;
			else if (!why)
				why = "not a timestamp";
		} else if (cx_date_parse_iso(f[c_time].p, f[c_time].n, &d, &why) == 0) {
			h->t_sort = d;
			why = NULL;
		} else if (!why)
			why = "not a date";
	}
	h->has_money = 0;
	if (!why && r->c_money >= 0 && f[r->c_money].n) {
		const struct cx_field *cf = &f[r->c_currency];
		int exp = cf->n == 3 ? cx_currency_exponent(cf->p, 3) : -1;
		col = r->measure;
		if (exp < 0)
			why = "no known currency";
		else if (cx_money_parse(f[r->c_money].p, f[r->c_money].n, exp, &h->money, &why) == 0) {
			memcpy(h->cur, cf->p, 3);
			h->cur[3] = '\0';
			h->has_money = 1;
			why = NULL;
		} else if (!why)
			why = "not an amount";
	}
	if (why)
		return cx_error_set(r->err, CX_EDATA, cx_tsv_name(h->t), cx_tsv_line(h->t),
		                    "%s: %s (not a stream cx-ingest wrote)", col, why);
	/* customer_key never holds a byte that is escaped */
	tab = memchr(raw.p, '\t', raw.n);
	if (!tab)
		return cx_error_set(r->err, CX_EINTERNAL, cx_tsv_name(h->t), cx_tsv_line(h->t),
		                    "internal error: row without a TAB");
	h->line = tab + 1;
	h->ln = raw.n - (size_t)(h->line - raw.p);
	if (h->has_money)
		return (rc = led_money(r, M_IN, h->cur, h->money)) < 0 ? rc : 1;
	return 1;
}

/* binary min-heap of input numbers by mhead_cmp */
static void mheap_down(const struct mhead *hd, size_t *heap, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, x;
		if (l < n && mhead_cmp(&hd[heap[l]], &hd[heap[m]]) < 0)
			m = l;
		if (l + 1 < n && mhead_cmp(&hd[heap[l + 1]], &hd[heap[m]]) < 0)
			m = l + 1;
		if (m == i)
			return;
		x = heap[i];
		heap[i] = heap[m];
		heap[m] = x;
		i = m;
	}
}

static int merge_streams(struct run *r, const char *const *inputs, size_t n)
{
	struct cx_tsv_opts to;
	struct mhead *hd = cx_calloc(n ? n : 1, sizeof *hd), prev;
	size_t *heap = cx_calloc(n ? n : 1, sizeof *heap), nh = 0, i, c;
	char *pbuf = NULL;
	size_t pcap = 0;
	int have_prev = 0, c_time = r->c_sortdate, rc = 0;
	uint64_t lastkey = 0;
	int have_key = 0;

	if (!hd || !heap) {
		rc = oom(r);
		goto out;
	}
	for (c = 0; c < r->ncols; c++)
		if (r->role[c] == R_TIMESTAMP)
			c_time = (int)c;
	memset(&to, 0, sizeof to);
	to.input.max_input_bytes = r->o->max_input_bytes;
	for (i = 0; i < n; i++) {
		struct mhead *h = &hd[i];
		if (!(h->t = cx_tsv_open(inputs[i], &to, r->err))) {
			rc = r->err->code ? r->err->code : CX_ENOINPUT;
			goto out;
		}
		for (c = 0; c < r->ncols && cx_tsv_ncols(h->t) == r->ncols; c++)
			if (strcmp(cx_tsv_colname(h->t, c), r->cols[c].name) != 0)
				break;
		if (c < r->ncols || cx_tsv_ncols(h->t) != r->ncols) {
			rc = cx_error_set(r->err, CX_EDATA, cx_tsv_name(h->t), 1,
			                  "header is not the canonical %s header",
			                  cx_kind_name(r->o->kind));
			goto out;
		}
		if ((rc = mhead_next(r, h, c_time)) < 0)
			goto out;
		if (rc == 1)
			heap[nh++] = i;
	}
	for (i = nh; i-- > 0;)
		mheap_down(hd, heap, nh, i);
	memset(&prev, 0, sizeof prev);
	while (nh > 0) {
		struct mhead *h = &hd[heap[0]];
		if (have_prev && mhead_cmp(&prev, h) > 0) {
			/* the row before h in the output came from h's input (the
			 * first descent of a merge is one inside an input) */
			rc = cx_error_set(r->err, CX_EDATA, cx_tsv_name(h->t), cx_tsv_line(h->t),
			                  "not in the order of the previous row (customer_key, "
			                  "account_id, %s): merge only streams cx-ingest wrote",
			                  c_time >= 0 ? r->cols[c_time].name : "line");
			goto out;
		}
		if (have_prev && prev.ln == h->ln && memcmp(prev.line, h->line, h->ln) == 0) {
			r->res->rows_duplicate++;
			if (h->has_money && (rc = led_money(r, M_DUP, h->cur, h->money)) < 0)
				goto out;
		} else {
			struct cx_field raw = cx_tsv_raw(h->t);
			if (h->has_key && (!have_key || h->key != lastkey)) {
				r->res->customers_out++;
				lastkey = h->key;
				have_key = 1;
			}
			r->res->rows_out++;
			if (h->has_money && (rc = led_money(r, M_OUT, h->cur, h->money)) < 0)
				goto out;
			if ((rc = cx_output_write(r->out, raw.p, raw.n, r->err)) < 0 ||
			    (rc = cx_output_putc(r->out, '\n', r->err)) < 0)
				goto out;
			/* the previous row outlives its reader's buffer: a copy */
			if (cx_grow((void **)&pbuf, &pcap, h->an + h->ln + 1, 1) < 0) {
				rc = oom(r);
				goto out;
			}
			prev = *h;
			memcpy(pbuf, h->acc, h->an);
			memcpy(pbuf + h->an, h->line, h->ln);
			prev.acc = pbuf;
			prev.line = pbuf + h->an;
			have_prev = 1;
		}
		if ((rc = mhead_next(r, h, c_time)) < 0)
			goto out;
		if (rc == 0)
			heap[0] = heap[--nh];
		mheap_down(hd, heap, nh, 0);
	}
	rc = 0;
out:
	for (i = 0; hd && i < n; i++)
		cx_tsv_close(hd[i].t);
	cx_free(hd);
	cx_free(heap);
	cx_free(pbuf);
	return rc < 0 ? rc : 0;
}

/* A run's fields and its ledger; r NULL (no memory) is reported too. */
static int run_start(struct run *r, const struct cx_ingest_opts *o,
                     struct cx_ingest_result *res, struct cx_error *err)
{
	memset(res, 0, sizeof *res);
	if (!r)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	r->o = o;
	r->res = res;
	r->err = err;
	r->fname = "";
	r->cur_map = -1;
	res->ledger = r->led = cx_ledger_new();
	return r->led ? 0 : oom(r);
}

/* Everything a run owns (setup's memos, the index, the sort, buffers). */
static void run_free(struct run *r)
{
	cx_identity_free(r->id);
	cx_sortspill_free(r->sort);
	amap_free(r->amap);
	for (size_t i = 0; i < r->nmaps; i++)
		cx_map_free(r->maps[i]);
	cx_free(r->maps);
	for (size_t i = 0; i < MAXCOLS; i++) {
		cx_free(r->memo[i]);
		cx_free(r->dmemo[i]);
	}
	cx_free(r->sc);
	cx_free(r->line);
	cx_free(r->esc);
	cx_free(r);
}

/* Balance the ledger, then publish rejects, output and ledger in that
 * order.  Everything that can fail for lack of memory happens before the
 * first file is published; each output is set to NULL once committed, so
 * the caller aborts only what is left. */
static int publish(struct run *r)
{
	struct cx_output **outs[3] = { &r->rej, &r->out, &r->lo };
	int rc;

	if ((rc = led_fill(r)) < 0 || (rc = check_ledger(r)) < 0)
		return rc;
	if (r->lo && (rc = cx_ledger_write(r->led, r->lo, r->err)) < 0)
		return rc;
	for (size_t i = 0; i < 3; i++) {
		if (!*outs[i])
			continue;
		rc = cx_output_commit(*outs[i], r->err);
		*outs[i] = NULL;
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cx_ingest_merge(const struct cx_ingest_opts *o, struct cx_ingest_result *res,
                    struct cx_error *err)
{
	struct run *r = cx_calloc(1, sizeof *r);
	static const char *const stdin_only[] = { "-" };
	const char *const *inputs = o->ninputs ? o->inputs : stdin_only;
	size_t ninputs = o->ninputs ? o->ninputs : 1, i;
	unsigned oflags = o->force ? CX_OUT_FORCE : 0;
	const char *hn[MAXCOLS];
	int rc;

	if ((rc = run_start(r, o, res, err)) < 0) {
		if (!r)
			return rc;
		goto fail;
	}
	if (o->kind != CX_KIND_PAYMENTS && o->kind != CX_KIND_CONTACTS &&
	    o->kind != CX_KIND_STATEMENTS) {
		rc = cx_error_set(err, CX_EUSAGE, NULL, 0,
		                  "only payments, contacts and statements streams are merged");
		goto fail;
	}
	if ((rc = setup(r, o)) < 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		const char *p = i == 0 ? o->output : o->ledger;
		if (p && strcmp(p, "-") != 0 &&
		    (rc = cx_output_check_not_input(p, inputs, ninputs, err)) < 0)
			goto fail;
	}
	if (!(r->out = cx_output_open(o->output, oflags, err))) {
		rc = err->code ? err->code : CX_ECREAT;
		goto fail;
	}
	if (o->ledger && !(r->lo = cx_output_open(o->ledger, oflags, err))) {
		rc = err->code ? err->code : CX_ECREAT;
		goto fail;
	}
	for (i = 0; i < r->ncols; i++)
		hn[i] = r->cols[i].name;
	if ((rc = write_header(r, hn, NULL, r->ncols)) < 0 ||
	    (rc = merge_streams(r, inputs, ninputs)) < 0 || (rc = publish(r)) < 0)
		goto fail;
	goto done;
fail:
	cx_output_abort(r->out);
	cx_output_abort(r->lo);
done:
	run_free(r);
	return rc;
}

static int read_file(struct run *r, const char *path, struct tblhdr *th)
{
	struct cx_csv_opts co;
	struct cx_csv_reader *cr;
	const char *hdr[4096];
	size_t hlen[4096];
	size_t nh, i;
	int rc;

	memset(&co, 0, sizeof co);
	co.input.max_input_bytes = r->o->max_input_bytes;
	co.flags = CX_CSV_HEADER | CX_CSV_RAGGED | (r->o->tsv ? CX_CSV_TSV : 0);
	co.delim = r->o->tsv ? '\t' : r->o->delim;
	co.encoding = r->o->encoding;
	co.max_field_bytes = r->o->max_field_bytes;
	co.max_record_bytes = r->o->max_record_bytes;
	co.max_columns = r->o->max_columns;
	cr = cx_csv_open(path, &co, r->err);
	if (!cr)
		return r->err->code ? r->err->code : CX_ENOINPUT;
	r->fname = cx_csv_name(cr);
	r->dec_comma = r->o->decimal_comma;
	r->date_order = r->o->date_order;
	if (r->o->source)
		snprintf(r->source, sizeof r->source, "%s", r->o->source);
	else
		cx_ingest_source_from_path(path, r->source, sizeof r->source);
	r->sourcen = strlen(r->source);
	rc = cx_csv_next(cr, r->err);
	if (rc == 0)
		rc = cx_error_set(r->err, CX_EDATA, r->fname, 1, "empty input (no header)");
	if (rc == 2)
		rc = cx_error_set(r->err, CX_EDATA, r->fname, cx_csv_line(cr), "header: %s",
		                  cx_csv_reason(cr));
	if (rc < 0)
		goto out;
	nh = cx_csv_nfields(cr);
	if (nh > sizeof hdr / sizeof hdr[0]) {
		rc = cx_error_set(r->err, CX_ELIMIT, r->fname, 1, "more than %zu columns",
		                  sizeof hdr / sizeof hdr[0]);
		goto out;
	}
	{
		const struct cx_field *f = cx_csv_fields(cr);
		for (i = 0; i < nh; i++) {
			hdr[i] = f[i].p;
			hlen[i] = f[i].n;
		}
	}
	if (r->o->kind == CX_KIND_TABLE) {
		if (!th->names) {
			th->names = cx_calloc(nh ? nh : 1, sizeof *th->names);
			th->lens = cx_calloc(nh ? nh : 1, sizeof *th->lens);
			if (!th->names || !th->lens) {
				rc = oom(r);
				goto out;
			}
			th->n = nh;
			for (i = 0; i < nh; i++) {
				if (hlen[i] == 0 && !(r->o->map && r->o->map->allow_trailing_empty &&
				                      i + 1 == nh && i > 0)) {
					rc = cx_error_set(r->err, CX_EDATA, r->fname, 1,
					                  "empty column name (column %zu)", i + 1);
					goto out;
				}
				th->names[i] = cx_strndup(hdr[i], hlen[i]);
				th->lens[i] = hlen[i];
				if (!th->names[i]) {
					rc = oom(r);
					goto out;
				}
			}
			if (r->o->pseudo) {
				th->pidx = cx_calloc(nh ? nh : 1, sizeof *th->pidx);
				if (!th->pidx) {
					rc = oom(r);
					goto out;
				}
				if ((rc = cx_pseudo_columns((const char *const *)th->names, nh, NULL,
				                            th->pidx, &th->npidx, r->err)) < 0)
					goto out;
			}
			if ((rc = write_header(r, (const char *const *)th->names, th->lens, nh)) < 0)
				goto out;
		} else {
			int same = th->n == nh;
			for (i = 0; same && i < nh; i++)
				same = th->lens[i] == hlen[i] && memcmp(th->names[i], hdr[i], hlen[i]) == 0;
			if (!same) {
				rc = cx_error_set(r->err, CX_EDATA, r->fname, 1,
				                  "header differs from the first input's");
				goto out;
			}
		}
	} else if (nh > 1 && hlen[0] == 12 && memcmp(hdr[0], "customer_key", 12) == 0 &&
	           cx_csv_delim(cr) == '\t' && strcmp(path, "-") != 0) {
		cx_csv_close(cr);
		return read_canonical(r, path);
	} else {
		if ((rc = cx_colmap_build(r->o->map, r->cols, r->ncols, r->required, hdr, hlen, nh,
		                          r->raw, r->fname, r->err)) < 0)
			goto out;
	}
	for (;;) {
		struct cx_field raw;
		long line;
		int got;

		rc = cx_csv_next(cr, r->err);
		if (rc <= 0)
			break;
		got = rc;
		r->res->rows_in++;
		raw = cx_csv_raw(cr);
		line = cx_csv_line(cr);
		expect_from_row(r, raw.n);
		if (got == 2) {
			if ((rc = write_reject(r, line, cx_csv_reason(cr), raw.p, raw.n)) < 0)
				goto out;
		} else if (r->o->kind == CX_KIND_TABLE) {
			r->res->rows_out++;
			if ((rc = write_table_row(r, th, cx_csv_fields(cr), cx_csv_nfields(cr))) < 0)
				goto out;
		} else if ((rc = process_record(r, cx_csv_fields(cr), cx_csv_nfields(cr), line,
		                                raw)) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	{
		uint64_t b = cx_csv_blank_lines(cr);
		r->res->rows_blank += b;
		r->res->rows_in += b;
	}
out:
	cx_csv_close(cr);
	r->fname = "";
	return rc < 0 ? rc : 0;
}

/* ---- phase 2: sorted output ------------------------------------------------ */

/* write_sorted's output: lines are built in one buffer while a writer
 * thread gives the other to cx_output_write, so that the copy into the
 * page cache (the larger part of writing a big file) runs beside the
 * building.  Bytes and their order are those of writing in one thread. */
#define WP_BUF (1u << 20)

struct wpipe {
	struct cx_output *out;
	char *buf[2];
	size_t n[2], cap[2];
	int cur;                  /* the buffer being built */
	int full[2], stop;
	int rc;                   /* the writer's first error (then it writes no more) */
	struct cx_error err;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *wp_main(void *arg)
{
	struct wpipe *wp = arg;
	int k = 0;

	for (;;) {
		int rc = 0;
		pthread_mutex_lock(&wp->mu);
		while (!wp->full[k] && !wp->stop)
			pthread_cond_wait(&wp->cv, &wp->mu);
		if (!wp->full[k]) {
			pthread_mutex_unlock(&wp->mu);
			break;
		}
		pthread_mutex_unlock(&wp->mu);
		if (wp->rc == 0)
			rc = cx_output_write(wp->out, wp->buf[k], wp->n[k], &wp->err);
		pthread_mutex_lock(&wp->mu);
		if (rc < 0)
			wp->rc = rc;
		wp->full[k] = 0;
		pthread_cond_broadcast(&wp->cv);
		pthread_mutex_unlock(&wp->mu);
		k ^= 1;
	}
	return NULL;
}

static void wpipe_free(struct wpipe *wp)
{
	cx_free(wp->buf[0]);
	cx_free(wp->buf[1]);
	cx_free(wp);
}

/* The writer thread on out, or NULL (then write_sorted writes itself). */
static struct wpipe *wpipe_start(struct cx_output *out)
{
	struct wpipe *wp = cx_calloc(1, sizeof *wp);
	sigset_t all, old;
	int k;

	if (!wp)
		return NULL;
	wp->out = out;
	/* on a huge page each (cx_malloc_huge): not 256 faults of 4 KiB */
	if (!(wp->buf[0] = cx_malloc_huge(WP_BUF)) || !(wp->buf[1] = cx_malloc_huge(WP_BUF)) ||
	    pthread_mutex_init(&wp->mu, NULL) != 0) {
		wpipe_free(wp);
		return NULL;
	}
	wp->cap[0] = wp->cap[1] = WP_BUF;
	if (pthread_cond_init(&wp->cv, NULL) != 0) {
		pthread_mutex_destroy(&wp->mu);
		wpipe_free(wp);
		return NULL;
	}
	/* signals stay with the calling thread, but a write to a closed pipe
	 * ends the process as it does without this thread */
	sigfillset(&all);
	sigdelset(&all, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	k = pthread_create(&wp->th, NULL, wp_main, wp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (k != 0) {
		pthread_cond_destroy(&wp->cv);
		pthread_mutex_destroy(&wp->mu);
		wpipe_free(wp);
		return NULL;
	}
	return wp;
}

/* Hand the buffer built to the writer and take the other one once it is
 * written; the writer's error, if any, into err. */
static int wp_submit(struct wpipe *wp, struct cx_error *err)
{
	int k = wp->cur, rc;

	pthread_mutex_lock(&wp->mu);
	wp->full[k] = 1;
	pthread_cond_broadcast(&wp->cv);
	while (wp->full[k ^ 1])
		pthread_cond_wait(&wp->cv, &wp->mu);
	rc = wp->rc;
	pthread_mutex_unlock(&wp->mu);
	wp->cur = k ^ 1;
	wp->n[wp->cur] = 0;
	if (rc < 0)
		*err = wp->err;   /* the writer no longer touches it */
	return rc;
}

/* Room for need bytes of output (cx_output_reserve's contract; any size). */
static char *out_reserve(struct run *r, struct wpipe *wp, size_t need)
{
	int k;

	if (!wp)
		return cx_output_reserve(r->out, need, r->err);
	k = wp->cur;
	if (wp->cap[k] - wp->n[k] < need) {
		if (wp->n[k] && wp_submit(wp, r->err) < 0)
			return NULL;
		k = wp->cur;
		if (need > wp->cap[k] && cx_grow((void **)&wp->buf[k], &wp->cap[k], need, 1) < 0) {
			cx_error_set(r->err, CX_ENOMEM, NULL, 0, "out of memory");
			return NULL;
		}
	}
	return wp->buf[k] + wp->n[k];
}

static void out_advance(struct run *r, struct wpipe *wp, size_t n)
{
	if (wp)
		wp->n[wp->cur] += n;
	else
		cx_output_advance(r->out, n);
}

/* The rest written, the thread joined; rc, or the writer's error. */
static int wpipe_end(struct run *r, struct wpipe *wp, int rc)
{
	if (rc == 0 && wp->n[wp->cur])
		rc = wp_submit(wp, r->err);
	pthread_mutex_lock(&wp->mu);
	wp->stop = 1;
	pthread_cond_broadcast(&wp->cv);
	pthread_mutex_unlock(&wp->mu);
	pthread_join(wp->th, NULL);
	if (rc == 0 && wp->rc < 0) {
		*r->err = wp->err;
		rc = wp->rc;
	}
	pthread_cond_destroy(&wp->cv);
	pthread_mutex_destroy(&wp->mu);
	wpipe_free(wp);
	return rc;
}

/* The line a flag-8 record's struct mref (at p) points to, and its length. */
static const char *mapped_line(const struct run *r, const char *p, size_t *ln)
{
	struct mref m;

	memcpy(&m, p, sizeof m);
	*ln = m.len;
	return r->maps[m.map]->p + m.off;
}

/* Start loading the mapped line of sort record rec (any record: only a
 * flag-8 one has one), its first 512 bytes. */
static void map_prefetch(const struct run *r, const char *rec)
{
	struct ahdr a;
	const char *q, *end;
	size_t n;

	memcpy(&a, rec, sizeof a);
	if (!(a.flags & 8))
		return;
	q = mapped_line(r, rec + sizeof a, &n);
	end = q + (n < 512 ? n : 512);
	for (q = (const char *)((uintptr_t)q & ~(uintptr_t)63); q < end; q += 64)
		__builtin_prefetch(q);
}

/* The sorted records written (write_sorted's loop). */
static int write_rows(struct run *r, struct wpipe *wp)
{
	const void *rec;
	size_t n;
	int rc;
	char *prev = NULL;
	size_t prevn = 0, prevcap = 0;
	int have_prev = 0;
	uint64_t lastkey = 0;
	int have_key = 0;

	while ((rc = cx_sortspill_next(r->sort, &rec, &n, r->err)) == 1) {
		struct rhdr h;
		const char *line;
		size_t ln;
		uint64_t key;
		int has_key;

		rec_view(r->o->kind == CX_KIND_ACCOUNTS, rec, n, &h, &line, &ln);
		if (h.flags & 8) {
			/* the line in an input's mapping (facc_take); lines
			 * there lie anywhere in the files: start loading the
			 * one a few records ahead, whose record was started
			 * a few records before that */
			const void *ahead;
			size_t an;
			if (cx_sortspill_peek(r->sort, 8, &ahead, &an))
				__builtin_prefetch(ahead);
			if (cx_sortspill_peek(r->sort, 4, &ahead, &an))
				map_prefetch(r, ahead);
			line = mapped_line(r, line, &ln);
		}
		if (r->o->kind == CX_KIND_ACCOUNTS) {
			key = cx_sortspill_key(r->sort);   /* sort_key's */
			has_key = 1;
		} else {
			has_key = (h.flags & 2) != 0;
			key = has_key ? amap_ckey(r->amap, h.ckey) : 0;
			/* identical event rows are adjacent after the sort */
			if (have_prev && prevn == ln && memcmp(prev, line, ln) == 0) {
				r->res->rows_duplicate++;
				if ((h.flags & 1) && (rc = led_money(r, M_DUP, h.cur, h.money)) < 0)
					break;
				continue;
			}
			if (cx_grow((void **)&prev, &prevcap, ln + 1, 1) < 0) {
				rc = oom(r);
				break;
			}
			memcpy(prev, line, ln);
			prevn = ln;
			have_prev = 1;
		}
		if (has_key && (!have_key || key != lastkey)) {
			r->res->customers_out++;
			lastkey = key;
			have_key = 1;
		}
		r->res->rows_out++;
		if ((h.flags & 1) && (rc = led_money(r, M_OUT, h.cur, h.money)) < 0)
			break;
		/* customer_key: the first column of every kind */
		if (ln <= (64u << 10) || wp) {
			/* the whole output line in one piece of the buffer */
			size_t kl = has_key ? 17 : 0;
			char *d = out_reserve(r, wp, kl + 1 + ln + 1);
			if (!d) {
				rc = r->err->code ? r->err->code : CX_EIO;
				break;
			}
			if (has_key)
				cx_identity_key_text(key, d);
			d[kl] = '\t';
			memcpy(d + kl + 1, line, ln);
			d[kl + 1 + ln] = '\n';
			out_advance(r, wp, kl + 1 + ln + 1);
			continue;
		}
		if (has_key) {
			char *d = cx_output_reserve(r->out, 18, r->err);
			if (!d) {
				rc = r->err->code ? r->err->code : CX_EIO;
				break;
			}
			cx_identity_key_text(key, d);
			d[17] = '\t';
			cx_output_advance(r->out, 18);
		} else if ((rc = cx_output_putc(r->out, '\t', r->err)) < 0)
			break;
		if ((rc = cx_output_write(r->out, line, ln, r->err)) < 0 ||
		    (rc = cx_output_putc(r->out, '\n', r->err)) < 0)
			break;
	}
	cx_free(prev);
	return rc < 0 ? rc : 0;
}

/* The output, after the header.  Lines kept in an input's mapping are
 * copied out only while that file is the one read (cx_map_check before
 * and after) and inside a SIGBUS guard: a file changed or cut short
 * meanwhile is an error (CX_EIO), never other bytes or a crash. */
static int write_sorted(struct run *r)
{
	struct wpipe *volatile wp = cx_sortspill_count(r->sort) > 0 ? wpipe_start(r->out) : NULL;
	struct cx_map_guard g;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nmaps && rc == 0; i++)
		rc = cx_map_check(r->maps[i], r->err);
	if (rc == 0 && r->nmaps > 0) {
		/* nothing this frame changes after sigsetjmp is read after a
		 * fault but wp (set before) and rc (set after it) */
		if (sigsetjmp(g.jb, 1) != 0) {
			rc = cx_map_guard_fault(&g, r->err);
			goto end;
		}
		/* every page mapped in one pass, not a fault every few
		 * random reads */
		for (i = 0; i < r->nmaps; i++)
			cx_map_populate(r->maps[i]);
		if ((rc = cx_map_guard_begin(&g, r->maps, r->nmaps, r->err)) == 0) {
			rc = write_rows(r, wp);
			cx_map_guard_end(&g);
		}
		for (i = 0; i < r->nmaps && rc == 0; i++)
			rc = cx_map_check(r->maps[i], r->err);
	} else if (rc == 0)
		rc = write_rows(r, wp);
end:
	if (wp)
		rc = wpipe_end(r, wp, rc < 0 ? rc : 0);
	return rc < 0 ? rc : 0;
}

static int check_ledger(struct run *r)
{
	struct cx_ledger *l = r->led;
	int64_t in = cx_ledger_get(l, "rows_in", ""), out = cx_ledger_get(l, "rows_out", ""),
	        rej = cx_ledger_get(l, "rows_rejected", ""),
	        dup = cx_ledger_get(l, "rows_duplicate", ""),
	        blank = cx_ledger_get(l, "rows_blank", "");
	size_t i;
	char m[4][64];

	if (in != out + rej + dup + blank)
		return cx_error_set(r->err, CX_EINTERNAL, NULL, 0,
		                    "internal error: ledger does not balance: rows_in %lld != "
		                    "out %lld + rejected %lld + duplicate %lld + blank %lld",
		                    (long long)in, (long long)out, (long long)rej, (long long)dup,
		                    (long long)blank);
	if (r->o->kind == CX_KIND_TABLE)
		return 0;
	snprintf(m[0], sizeof m[0], "%s_in", r->measure);
	snprintf(m[1], sizeof m[1], "%s_out", r->measure);
	snprintf(m[2], sizeof m[2], "%s_rejected", r->measure);
	snprintf(m[3], sizeof m[3], "%s_duplicate", r->measure);
	for (i = 0; i < r->ncurs; i++) {
		const char *c = r->curs[i];
		int64_t a = cx_ledger_get(l, m[0], c), b = cx_ledger_get(l, m[1], c),
		        d = cx_ledger_get(l, m[2], c), e = cx_ledger_get(l, m[3], c), s = b;
		if (cx_money_add(&s, d) < 0 || cx_money_add(&s, e) < 0 || s != a)
			return cx_error_set(r->err, CX_EINTERNAL, NULL, 0,
			                    "internal error: ledger does not balance for %s in %s",
			                    r->measure, c);
	}
	return 0;
}

static int setup(struct run *r, const struct cx_ingest_opts *o)
{
	size_t c;

	if (o->kind == CX_KIND_TABLE) {
		r->ncols = 0;
		return 0;
	}
	r->cols = cx_schema_columns(o->kind, &r->ncols);
	if (!r->cols || r->ncols > MAXCOLS)
		return cx_error_set(r->err, CX_EINTERNAL, NULL, 0, "bad schema");
	r->c_money = r->c_currency = r->c_country = r->c_dpd = r->c_bucket = r->c_due = -1;
	r->c_account = r->c_source = r->c_sortdate = -1;
	r->pf_acc_at = r->pf_nat_at = SIZE_MAX;
	for (c = 0; c < r->ncols; c++) {
		const char *n = r->cols[c].name;
		r->role[c] = role_of(o->kind, &r->cols[c]);
		r->required[c] = r->cols[c].required && !cx_colmap_is_derived(o->kind, n);
		if (r->role[c] == R_CURRENCY) {
			r->c_currency = (int)c;
			if (o->currency)
				r->required[c] = 0;
		}
		if (r->role[c] == R_COUNTRY)
			r->c_country = (int)c;
		if (r->role[c] == R_DPD)
			r->c_dpd = (int)c;
		if (r->role[c] == R_BUCKET)
			r->c_bucket = (int)c;
		if (r->role[c] == R_ACCOUNT)
			r->c_account = (int)c;
		if (r->role[c] == R_SOURCE)
			r->c_source = (int)c;
		if (strcmp(n, "due_date") == 0)
			r->c_due = (int)c;
		if (strcmp(n, "date") == 0 || strcmp(n, "statement_date") == 0)
			r->c_sortdate = (int)c;
		r->nonneg[c] = r->role[c] == R_MONEY && strcmp(n, "balance") != 0;
		r->past_only[c] = r->role[c] == R_DATE && strcmp(n, "due_date") != 0 &&
		                  strcmp(n, "promise_date") != 0;
		/* every other role is normalised to bytes that need no TSV
		 * escape (ids, codes, numbers, dates, vocabulary words, emails:
		 * no '\\' or control byte passes cx_norm_email); the
		 * pseudonymised ones are escaped like free text */
		r->escape[c] = r->role[c] == R_NAME || r->role[c] == R_OTHER ||
		               (o->pseudo && (r->role[c] == R_NATID || r->role[c] == R_EMAIL ||
		                              r->role[c] == R_PHONE));
		if (r->role[c] == R_TZ)
			r->c_tz = c;
		if (r->role[c] == R_LANG)
			r->c_lang = c;
		if (r->role[c] == R_NATID)
			r->c_natid = c;
		switch (r->role[c]) {
		case R_COUNTRY: case R_TZ: case R_LANG: case R_PRODUCT: case R_METHOD:
		case R_FLAGS: case R_CONSENTS: case R_CHANNEL: case R_HOURS: case R_DIRECTION:
		case R_OUTCOME:
			if (!(r->memo[c] = cx_calloc(MEMO_SLOTS, sizeof *r->memo[c])))
				return cx_error_set(r->err, CX_ENOMEM, NULL, 0, "out of memory");
			break;
		case R_DATE:
			if (!(r->dmemo[c] = cx_calloc(DMEMO_SLOTS, sizeof *r->dmemo[c])))
				return cx_error_set(r->err, CX_ENOMEM, NULL, 0, "out of memory");
			break;
		default:
			break;
		}
	}
	{
		const int *b = o->nbuckets ? o->buckets : default_buckets;
		size_t nb = o->nbuckets ? o->nbuckets : 5, i;
		cx_ingest_bucket(o, 0, r->bucket_label[0]);
		for (i = 0; i < nb; i++)
			cx_ingest_bucket(o, b[i], r->bucket_label[i + 1]);
		cx_ingest_bucket(o, (long)b[nb - 1] + 1, r->bucket_label[nb + 1]);
	}
	switch (o->kind) {
	case CX_KIND_PAYMENTS: r->measure = "amount"; break;
	case CX_KIND_CONTACTS: r->measure = "promise_amount"; break;
	default: r->measure = "balance"; break;
	}
	for (c = 0; c < r->ncols; c++)
		if (strcmp(r->cols[c].name, r->measure) == 0)
			r->c_money = (int)c;
	if (r->c_account < 0 || (o->kind == CX_KIND_ACCOUNTS && r->c_source < 0) ||
	    r->role[0] != R_CUSTKEY)
		return cx_error_set(r->err, CX_EINTERNAL, NULL, 0, "bad schema");
	return 0;
}

/* The sort index sized from the input files' bytes (no export row is
 * under 32 bytes; over-estimates cost address space only), capped at
 * what the memory budget can hold (records of a header at least). */
static void expect_rows(struct run *r, const char *const *inputs, size_t ninputs)
{
	size_t i, bytes = 0, n;
	struct stat st;

	for (i = 0; i < ninputs; i++)
		if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 &&
		    S_ISREG(st.st_mode))
			bytes += (size_t)st.st_size;
	r->in_bytes = bytes;
	n = bytes / 32;
	if (n > budget(r) / (24 + sizeof(struct rhdr)))
		n = budget(r) / (24 + sizeof(struct rhdr));
	if (n > 0)
		cx_sortspill_expect(r->sort, n);
}

int cx_ingest_run(const struct cx_ingest_opts *o, struct cx_ingest_result *res,
                  struct cx_error *err)
{
	struct run *r = cx_calloc(1, sizeof *r);
	struct tblhdr th = { NULL, NULL, 0, NULL, 0 };
	static const char *const stdin_only[] = { "-" };
	const char *const *inputs = o->ninputs ? o->inputs : stdin_only;
	size_t ninputs = o->ninputs ? o->ninputs : 1, i;
	unsigned oflags = o->force ? CX_OUT_FORCE : 0;
	int rc;

	if ((rc = run_start(r, o, res, err)) < 0) {
		if (!r)
			return rc;
		goto fail;
	}
	if ((rc = setup(r, o)) < 0)
		goto fail;
	for (i = 0; i < 3; i++) {
		const char *p = i == 0 ? o->output : i == 1 ? o->rejects : o->ledger;
		if (p && strcmp(p, "-") != 0 &&
		    (rc = cx_output_check_not_input(p, inputs, ninputs, err)) < 0)
			goto fail;
	}
	if (o->accounts && o->kind != CX_KIND_ACCOUNTS && o->kind != CX_KIND_TABLE &&
	    (rc = load_accounts(r)) < 0)
		goto fail;
	r->out = cx_output_open(o->output, oflags, err);
	if (!r->out) {
		rc = err->code ? err->code : CX_ECREAT;
		goto fail;
	}
	if (o->ledger) {
		r->lo = cx_output_open(o->ledger, oflags, err);
		if (!r->lo) {
			rc = err->code ? err->code : CX_ECREAT;
			goto fail;
		}
	}
	if (o->rejects) {
		r->rej = cx_output_open(o->rejects, oflags, err);
		if (!r->rej) {
			rc = err->code ? err->code : CX_ECREAT;
			goto fail;
		}
		if ((rc = cx_output_puts(r->rej, "file\tline\treason\trecord\n", err)) < 0)
			goto fail;
	}
	if (o->kind == CX_KIND_ACCOUNTS) {
		r->id = cx_identity_new();
		if (!r->id) {
			rc = oom(r);
			goto fail;
		}
		/* half of --memory for the index, the rest for the row sort */
		if ((rc = cx_identity_set_spill(r->id, budget(r) / 2, o->tmpdir, err)) < 0)
			goto fail;
		if (r->c_account >= 0 && r->c_source >= 0)
			r->pf_acc_at = (size_t)(r->c_account > r->c_source ? r->c_account
			                                                   : r->c_source) + 1;
		if ((o->link & CX_LINK_ID) && r->c_natid)
			r->pf_nat_at = r->c_natid + 1;
	}
	if (o->kind != CX_KIND_TABLE) {
		r->sort = cx_sortspill_new(budget(r), o->tmpdir, o->kind == CX_KIND_ACCOUNTS,
		                           sort_cmp, r, err);
		if (!r->sort) {
			rc = err->code ? err->code : CX_ENOMEM;
			goto fail;
		}
		cx_sortspill_set_key(r->sort, sort_key);
		if (r->amap)
			share_memory(r, amap_memory(r->amap));
		expect_rows(r, inputs, ninputs);
	}
	for (i = 0; i < ninputs; i++)
		if ((rc = read_file(r, inputs[i], &th)) < 0)
			goto fail;
	if (o->kind != CX_KIND_TABLE) {
		const char *const *names;
		size_t c;
		const char *hn[MAXCOLS];
		(void)names;
		for (c = 0; c < r->ncols; c++)
			hn[c] = r->cols[c].name;
		if ((rc = write_header(r, hn, NULL, r->ncols)) < 0)
			goto fail;
		if (r->id) {
			if ((rc = cx_identity_finish(r->id, err)) < 0)
				goto fail;
			share_memory(r, cx_identity_memory(r->id));
		}
		if ((rc = cx_sortspill_finish(r->sort, err)) < 0)
			goto fail;
		if ((rc = write_sorted(r)) < 0)
			goto fail;
		res->spill_runs = cx_sortspill_runs(r->sort);
	}
	if (th.names == NULL && o->kind == CX_KIND_TABLE) {
		rc = cx_error_set(err, CX_EDATA, NULL, 0, "no input");
		goto fail;
	}
	if ((rc = publish(r)) < 0)
		goto fail;
	goto done;
fail:
	cx_output_abort(r->out);
	cx_output_abort(r->rej);
	cx_output_abort(r->lo);
	r->out = r->rej = r->lo = NULL;
done:
	for (i = 0; i < th.n; i++)
		cx_free(th.names[i]);
	cx_free(th.names);
	cx_free(th.lens);
	cx_free(th.pidx);
	run_free(r);
	return rc;
}
