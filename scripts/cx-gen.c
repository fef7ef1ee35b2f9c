/* cx-gen — deterministic synthetic collections portfolios.
 *
 * Writes the four canonical streams (accounts, payments, contacts,
 * statements) exactly as cx-ingest would, or the messy raw exports a bank
 * would send (an English card system, a Spanish loan system in
 * Windows-1252 with ';' and decimal commas, a '|' billing system), from a
 * seed.  Customers have latent capacity and willingness that drive their
 * payments, delinquency and responses to contacts.
 *
 * Determinism: every customer i draws from its own generator seeded from
 * (seed, i), so the output depends only on the options.  Canonical streams
 * are written in customer_key order: pass 1 computes every customer's key
 * (16 bytes per customer), sorts, and pass 2 regenerates each customer in
 * key order.  Memory is flat apart from that array.
 *
 * This is a developer tool (scripts/): it prints and exits itself.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <zlib.h>

#include "cx_date.h"
#include "cx_err.h"
#include "cx_hash.h"
#include "cx_identity.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_opt.h"
#include "cx_schema.h"
#include "cx_tz.h"

#define PROG "cx-gen"
#define MAXACC 5
#define MAXITEMS 48
#define MAXSTMT 12
#define MAXPAY 40
#define MAXCONT 96

/* ------------------------------------------------------------------ */
/* random numbers: splitmix64 seeding, xoshiro256**                     */

struct rng { uint64_t s[4]; };

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_init(struct rng *r, uint64_t seed, uint64_t i, uint64_t stream)
{
	uint64_t x = cx_hash_fmix64(seed ^ 0x5851f42d4c957f2dULL) ^
	             cx_hash_fmix64((i + 1) * 0x9e3779b97f4a7c15ULL + stream);
	int k;

	for (k = 0; k < 4; k++)
		r->s[k] = splitmix(&x);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rnext(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = rotl(s[3], 45);
	return res;
}

static inline double
runif(struct rng *r)
{
	return (double)(rnext(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in [0, n) */
static inline int
rint_(struct rng *r, int n)
{
	return n <= 1 ? 0 : (int)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

static double
rnorm(struct rng *r)
{
	double u = runif(r), v = runif(r);

	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static int
rpick(struct rng *r, const double *w, int n)
{
	double u = runif(r), acc = 0;
	int i;

	for (i = 0; i < n - 1; i++) {
		acc += w[i];
		if (u < acc)
			return i;
	}
	return n - 1;
}

static inline double
sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* Bijection of [0, m) (for i < m): affine map with a multiplier coprime to m. */
__extension__ typedef unsigned __int128 u128;
static uint64_t
perm(uint64_t i, uint64_t m, uint64_t k, uint64_t c)
{
	return (uint64_t)(((u128)(i % m) * k + c) % m);
}

/* ------------------------------------------------------------------ */
/* dates (proleptic Gregorian day numbers, 0 = 1970-01-01)              */

typedef cx_day day_t;

static day_t
days_from_ymd(int y, int m, int d)
{
	cx_day out = 0;

	(void)cx_day_from_ymd(y, m, d, &out);
	return out;
}

#define ymd_from_days cx_day_to_ymd
#define days_in_month cx_days_in_month
#define weekday cx_day_weekday

/* the date with day-of-month `dom` (clamped), `k` months after (y, m) */
static day_t
month_day(int y, int m, int k, int dom)
{
	int t = y * 12 + (m - 1) + k, yy = t / 12, mm = t % 12 + 1;
	int dim = days_in_month(yy, mm);

	return days_from_ymd(yy, mm, dom > dim ? dim : dom);
}

/* ------------------------------------------------------------------ */
/* output buffers and sinks (plain or gzip), published atomically       */

struct sink {
	struct cx_output *out;
	int gz;
	z_stream z;
	char *buf;
	size_t n, cap;
	uint64_t bytes;   /* uncompressed bytes written */
	long lines;       /* lines written (for bad-row line numbers) */
	char path[1024];
};

/* open outputs, removed (nothing published) when the run fails */
#define MAXOPEN 16
static struct cx_output *open_outs[MAXOPEN];

static void
abort_outputs(void)
{
	int k;

	for (k = 0; k < MAXOPEN; k++)
		if (open_outs[k]) {
			cx_output_abort(open_outs[k]);
			open_outs[k] = NULL;
		}
}

static void
die_err(const struct cx_error *err)
{
	cx_diag_error(err);
	abort_outputs();
	exit(cx_exit_status(err->code));
}

static void
die_oom(void)
{
	cx_diag("out of memory");
	abort_outputs();
	exit(CX_EXIT_SOFTWARE);
}

#define SINK_CAP (1u << 20)

static void
sink_open(struct sink *s, const char *dir, const char *name, int gz, int force)
{
	struct cx_error err;

	memset(s, 0, sizeof *s);
	snprintf(s->path, sizeof s->path, "%s/%s%s", dir, name, gz ? ".gz" : "");
	s->out = cx_output_open(s->path, force ? CX_OUT_FORCE : 0, &err);
	if (!s->out)
		die_err(&err);
	for (int k = 0; k < MAXOPEN; k++)
		if (!open_outs[k]) {
			open_outs[k] = s->out;
			break;
		}
	s->cap = SINK_CAP + 65536;
	s->buf = cx_malloc(s->cap);
	if (!s->buf)
		die_oom();
	s->gz = gz;
	if (gz && deflateInit2(&s->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die_oom();
}

static void
sink_drain(struct sink *s, int finish)
{
	struct cx_error err;
	unsigned char zb[65536];
	int rc;

	s->bytes += s->n;
	if (!s->gz) {
		if (s->n && cx_output_write(s->out, s->buf, s->n, &err) < 0)
			die_err(&err);
		s->n = 0;
		return;
	}
	s->z.next_in = (unsigned char *)s->buf;
	s->z.avail_in = (unsigned)s->n;
	do {
		s->z.next_out = zb;
		s->z.avail_out = sizeof zb;
		rc = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
		if (rc == Z_STREAM_ERROR) {
			cx_diag("%s: deflate failed", s->path);
			exit(CX_EXIT_SOFTWARE);
		}
		if (sizeof zb - s->z.avail_out &&
		    cx_output_write(s->out, zb, sizeof zb - s->z.avail_out, &err) < 0)
			die_err(&err);
	} while (s->z.avail_out == 0 || (finish && rc != Z_STREAM_END));
	s->n = 0;
}

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;

/* A sink without an output is a growable memory buffer (a chunk's part of
 * one file, filled by a worker thread and written out in order). */
static char *
sk_grow(struct sink *s, size_t k)
{
	size_t cap = s->cap ? s->cap : 65536;
	char *p;

	while (cap < s->n + k)
		cap *= 2;
	pthread_mutex_lock(&g_mu);   /* cx_mem's counters are not thread safe */
	p = cx_realloc(s->buf, cap);
	pthread_mutex_unlock(&g_mu);
	if (!p)
		die_oom();
	s->buf = p;
	s->cap = cap;
	return s->buf + s->n;
}

static inline char *
sk_need(struct sink *s, size_t k)
{
	if (s->n + k > s->cap) {
		if (!s->out)
			return sk_grow(s, k);
		sink_drain(s, 0);
		if (k > s->cap) {
			cx_diag("row too long");
			exit(CX_EXIT_SOFTWARE);
		}
	}
	return s->buf + s->n;
}

/* Append a chunk's bytes to an output sink. */
static void
sink_put(struct sink *s, const char *p, size_t n)
{
	struct cx_error err;

	if (s->n + n <= s->cap) {
		memcpy(s->buf + s->n, p, n);
		s->n += n;
		return;
	}
	sink_drain(s, 0);
	if (!s->gz) {
		if (n && cx_output_write(s->out, p, n, &err) < 0)
			die_err(&err);
		s->bytes += n;
		return;
	}
	while (n > 0) {
		size_t k = n < s->cap ? n : s->cap;
		memcpy(s->buf, p, k);
		s->n = k;
		sink_drain(s, 0);
		p += k;
		n -= k;
	}
}

static void
sink_close(struct sink *s)
{
	struct cx_error err;

	if (!s->out)
		return;
	sink_drain(s, 1);
	if (s->gz)
		deflateEnd(&s->z);
	for (int k = 0; k < MAXOPEN; k++)
		if (open_outs[k] == s->out)
			open_outs[k] = NULL;
	if (cx_output_commit(s->out, &err) < 0)
		die_err(&err);
	s->out = NULL;
	cx_free(s->buf);
	s->buf = NULL;
}

/* Row builder: a small line buffer, copied into a sink when complete.
 * Fields are appended with a style that decides the raw formats. */
struct line {
	char b[4096];
	size_t n;
	char sep;       /* field separator */
	int nf;         /* fields so far */
	size_t off[48]; /* start of each field (for corrupting copies) */
};

static inline void
ln_start(struct line *l, char sep)
{
	l->n = 0;
	l->nf = 0;
	l->sep = sep;
}

static inline void
ln_raw(struct line *l, const char *p, size_t n)
{
	if (l->n + n >= sizeof l->b - 8)
		n = sizeof l->b - 8 - l->n;
	memcpy(l->b + l->n, p, n);
	l->n += n;
}

static inline void
ln_sep(struct line *l)
{
	if (l->nf)
		l->b[l->n++] = l->sep;
	if (l->nf < 48)
		l->off[l->nf] = l->n;
	l->nf++;
}

static inline void
ln_str(struct line *l, const char *s)
{
	ln_sep(l);
	ln_raw(l, s, strlen(s));
}

/* CSV-quoted string (raw formats): quoted when it holds sep, quote or CR/LF */
static void
ln_csv(struct line *l, const char *s)
{
	const char *p;
	int q = 0;

	for (p = s; *p; p++)
		if (*p == l->sep || *p == '"' || *p == '\n' || *p == '\r')
			q = 1;
	ln_sep(l);
	if (!q) {
		ln_raw(l, s, strlen(s));
		return;
	}
	l->b[l->n++] = '"';
	for (p = s; *p && l->n < sizeof l->b - 8; p++) {
		if (*p == '"')
			l->b[l->n++] = '"';
		l->b[l->n++] = *p;
	}
	l->b[l->n++] = '"';
}

static inline size_t
fmt_u64(char *out, uint64_t v)
{
	char t[24];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	return n;
}

static inline void
ln_i64(struct line *l, int64_t v)
{
	ln_sep(l);
	if (v < 0) {
		l->b[l->n++] = '-';
		l->n += fmt_u64(l->b + l->n, (uint64_t)(-(v + 1)) + 1);
	} else
		l->n += fmt_u64(l->b + l->n, (uint64_t)v);
}

enum money_style { M_CANON, M_EN, M_ES, M_PLAIN_COMMA };

/* money: canonical "1234.56", English "1,234.56", Spanish "1.234,56" */
static size_t
fmt_money(char *out, int64_t v, int exp, enum money_style st)
{
	char d[24];
	uint64_t a, ip, fp, pw = 1;
	size_t n = 0, nd, i;
	int e;

	for (e = 0; e < exp; e++)
		pw *= 10;
	if (v < 0) {
		out[n++] = '-';
		a = (uint64_t)(-(v + 1)) + 1;
	} else
		a = (uint64_t)v;
	ip = a / pw;
	fp = a % pw;
	nd = fmt_u64(d, ip);
	for (i = 0; i < nd; i++) {
		if ((st == M_EN || st == M_ES) && i > 0 && (nd - i) % 3 == 0)
			out[n++] = st == M_EN ? ',' : '.';
		out[n++] = d[i];
	}
	if (exp > 0) {
		out[n++] = (st == M_ES || st == M_PLAIN_COMMA) ? ',' : '.';
		for (e = exp - 1; e >= 0; e--) {
			out[n + (size_t)e] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)exp;
	}
	return n;
}

static inline void
ln_money(struct line *l, int64_t v, int exp, enum money_style st)
{
	char t[40];
	size_t n = fmt_money(t, v, exp, st);

	ln_sep(l);
	if (st == M_EN && memchr(t, ',', n) && l->sep == ',') {
		l->b[l->n++] = '"';
		ln_raw(l, t, n);
		l->b[l->n++] = '"';
	} else if ((st == M_ES || st == M_PLAIN_COMMA) && l->sep == ',') {
		l->b[l->n++] = '"';
		ln_raw(l, t, n);
		l->b[l->n++] = '"';
	} else
		ln_raw(l, t, n);
}

enum date_style { D_ISO, D_DMY };

static day_t date_base;          /* cache of formatted dates */
static char (*date_cache)[11];
static int date_cache_n;

static void
fmt_date(char *out, day_t d, enum date_style st)
{
	int y, m, dd;

	if (st == D_ISO && d >= date_base && d < date_base + date_cache_n) {
		memcpy(out, date_cache[d - date_base], 10);
		return;
	}
	ymd_from_days(d, &y, &m, &dd);
	if (st == D_ISO)
		snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
	else
		snprintf(out, 11, "%02d/%02d/%04d", dd, m, y);
}

static inline void
ln_date(struct line *l, day_t d, enum date_style st)
{
	ln_sep(l);
	fmt_date(l->b + l->n, d, st);
	l->n += 10;
}

static inline void
ln_empty(struct line *l)
{
	ln_sep(l);
}

static inline void
sink_line(struct sink *s, const struct line *l, int crlf)
{
	char *p = sk_need(s, l->n + 2);

	memcpy(p, l->b, l->n);
	p += l->n;
	if (crlf)
		*p++ = '\r';
	*p = '\n';
	s->n += l->n + 1 + (crlf != 0);
	s->lines++;
}

/* ------------------------------------------------------------------ */
/* the world: countries, zones, products, names                         */

enum { CO, MX, US, NCOUNTRY };
static const char *const country_code[] = { "CO", "MX", "US" };
static const double country_w[] = { 0.45, 0.30, 0.25 };
static const double fx[] = { 4000.0, 18.0, 1.0 };   /* units per USD */
enum { CUR_COP, CUR_MXN, CUR_USD };
static const char *const cur_code[] = { "COP", "MXN", "USD" };
static const int cur_exp[] = { 2, 2, 2 };

static const char *const tz_name[] = {
	"America/Bogota", "America/Mexico_City", "America/Tijuana",
	"America/New_York", "America/Chicago", "America/Los_Angeles"
};
#define NTZ 6
static const struct cx_tz *tz_zone[NTZ];

enum { P_CARD, P_LOAN, P_AUTO, P_MORTGAGE, P_TELCO, P_UTILITY, NPROD };
static const char *const prod_code[] = { "CARD", "LOAN", "AUTO", "MORTGAGE", "TELCO", "UTILITY" };
static const double prod_w[NCOUNTRY][NPROD] = {
	{ 0.38, 0.22, 0.07, 0.05, 0.16, 0.12 },
	{ 0.40, 0.20, 0.08, 0.04, 0.16, 0.12 },
	{ 0.45, 0.12, 0.12, 0.08, 0.13, 0.10 },
};
enum { S_BILLING, S_CARDS, S_LOANS };   /* byte order of the source labels */
static const char *const src_name[] = { "billing", "cards", "loans" };
static const int prod_src[] = { S_CARDS, S_LOANS, S_LOANS, S_LOANS, S_BILLING, S_BILLING };
static const char *const prod_prefix[] = { "00", "LN", "VH", "HP", "TEL", "SRV" };

/* flags and channels in vocabulary order (cx_schema.h) */
enum { F_DISPUTE, F_BANKRUPTCY, F_DECEASED, F_HARDSHIP, F_CEASE, F_LEGAL, F_FRAUD, NFLAG };
static const char *const flag_name[] = {
	"dispute", "bankruptcy", "deceased", "hardship", "cease", "legal", "fraud"
};
static const double flag_w[] = { 0.25, 0.10, 0.08, 0.25, 0.12, 0.12, 0.08 };
enum { C_SMS, C_WHATSAPP, C_EMAIL, C_CALL, C_IVR, C_LETTER, C_VISIT, C_PORTAL, NCHAN };
static const char *const chan_name[] = {
	"sms", "whatsapp", "email", "call", "ivr", "letter", "visit", "portal"
};
enum { O_DELIVERED, O_FAILED, O_OPENED, O_CLICKED, O_NO_ANSWER, O_VOICEMAIL, O_RIGHT_PARTY,
       O_THIRD_PARTY, O_PROMISE, O_REFUSED, O_DISPUTE, O_COMPLAINT, O_OPT_OUT, O_PAID };
static const char *const outcome_name[] = {
	"delivered", "failed", "opened", "clicked", "no_answer", "voicemail", "right_party",
	"third_party", "promise", "refused", "dispute", "complaint", "opt_out", "paid"
};
static const char *const pref_hours[] = {
	"08:00-12:00", "12:00-14:00", "14:00-18:00", "18:00-20:00", "09:00-17:00", "07:00-09:00"
};
static const int pref_lo[] = { 8, 12, 14, 18, 9, 7 }, pref_hi[] = { 12, 14, 18, 20, 17, 9 };

static const char *const method_name[NCOUNTRY][5] = {
	{ "pse", "transfer", "cash", "debit", "card" },
	{ "spei", "oxxo", "cash", "debit", "card" },
	{ "ach", "card", "check", "cash", "debit" },
};
static const double method_w[] = { 0.35, 0.25, 0.2, 0.12, 0.08 };

static const char *const es_female[] = {
	"María", "Ana", "Luisa", "Carolina", "Paula", "Valentina", "Daniela", "Sofía", "Camila",
	"Laura", "Ángela", "Natalia", "Lucía", "Gabriela", "Andrea", "Mariana", "Juliana",
	"Fernanda", "Patricia", "Rocío", "Claudia", "Isabel", "Adriana", "Verónica", "Beatriz"
};
static const char *const es_male[] = {
	"José", "Juan", "Carlos", "Luis", "Andrés", "Jorge", "Miguel", "Santiago", "Sebastián",
	"Alejandro", "Diego", "Felipe", "Javier", "Ricardo", "Óscar", "Héctor", "Fernando",
	"Manuel", "Pablo", "Raúl", "Mauricio", "Eduardo", "Nicolás", "Iván", "Jesús"
};
static const char *const es_last[] = {
	"García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez",
	"Ramírez", "Torres", "Gómez", "Díaz", "Moreno", "Muñoz", "Rojas", "Vargas", "Castro",
	"Ortiz", "Jiménez", "Peña", "Castaño", "Ospina", "Zuluaga", "Restrepo", "Cárdenas",
	"Quintero", "Salazar", "Mejía", "Villegas", "Ibáñez", "Núñez", "Aguilar", "Medina",
	"Guzmán", "Ruiz", "Álvarez", "Mendoza", "Cruz", "Reyes", "Flores"
};
static const char *const en_female[] = {
	"Mary", "Jennifer", "Linda", "Patricia", "Elizabeth", "Susan", "Jessica", "Sarah",
	"Karen", "Emily", "Michelle", "Amanda", "Melissa", "Ashley", "Rebecca", "Laura"
};
static const char *const en_male[] = {
	"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
	"Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Kevin"
};
static const char *const en_last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
	"Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
	"Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
	"O'Brien", "Nguyen", "Baker"
};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const mx_area[] = { "55", "33", "81", "664", "222", "442", "999", "477" };
static const char *const us_area[] = {
	"212", "718", "305", "312", "713", "213", "415", "617", "404", "602", "206", "214",
	"646", "773", "512", "619", "702", "303", "615", "503"
};

/* prefix + v as exactly `width` digits with leading zeros (v < 10^width) */
static void
fmt_padded(char *out, const char *prefix, uint64_t v, int width)
{
	size_t n = strlen(prefix);
	int k;

	memcpy(out, prefix, n);
	for (k = width - 1; k >= 0; k--) {
		out[n + (size_t)k] = (char)('0' + v % 10);
		v /= 10;
	}
	out[n + (size_t)width] = 0;
}

/* ------------------------------------------------------------------ */
/* customer skeleton (pass 1 and pass 2 compute the same thing)         */

struct skel {
	int country;
	int nacc;
	int prod[MAXACC];
	char id[MAXACC][20];
};

static uint64_t g_seed;
static double g_hold_rate = 0.02;

static void
skeleton(uint64_t i, int maxacc, struct skel *sk)
{
	static const double nacc_w[] = { 0.28, 0.27, 0.20, 0.13, 0.12 };
	struct rng r;
	int j, has_mortgage = 0;

	rng_init(&r, g_seed, i, 0);
	sk->country = rpick(&r, country_w, NCOUNTRY);
	sk->nacc = 1 + rpick(&r, nacc_w, 5);
	if (sk->nacc > maxacc)
		sk->nacc = maxacc;
	for (j = 0; j < sk->nacc; j++) {
		int p = rpick(&r, prod_w[sk->country], NPROD);
		uint64_t num;

		if (p == P_MORTGAGE && has_mortgage)
			p = P_CARD;
		has_mortgage |= p == P_MORTGAGE;
		sk->prod[j] = p;
		num = perm(i * MAXACC + (uint64_t)j, 10000000000ULL, 6364136223ULL, 1234567891ULL);
		fmt_padded(sk->id[j], prod_prefix[p], num, 10);
	}
}

static uint64_t
skel_key(const struct skel *sk)
{
	char best[40], cur[40];
	size_t bn = 0, cn;
	int j;

	for (j = 0; j < sk->nacc; j++) {
		const char *s = src_name[prod_src[sk->prod[j]]];
		cn = (size_t)snprintf(cur, sizeof cur, "%s\x1f%s", s, sk->id[j]);
		if (j == 0 || strcmp(cur, best) < 0) {
			memcpy(best, cur, cn + 1);
			bn = cn;
		}
	}
	return cx_hash64(best, bn, 0);
}

/* ------------------------------------------------------------------ */
/* full customer                                                        */

struct stmt { day_t date; int64_t bal, mindue, paid; int dpd; };
struct pay { day_t date; int64_t amt; int method; };
struct item { day_t due; int64_t rem; };

struct acct {
	int prod, src, cur;
	char id[20];
	char srccust[20];
	int64_t bal, pastdue, mindue, limit, lastpay_amt;
	day_t due, open, lastpay;
	int dpd;
	unsigned flags;
	int nstmt, npay;
	struct stmt st[MAXSTMT];
	struct pay pay[MAXPAY];
	int late_in_window;   /* some payment in the last 30 days came after its due date */
};

struct contact {
	int acc;
	int64_t utc;
	int off;              /* minutes east */
	int chan, in, outcome, agent;
	int64_t pamt;
	day_t pdate;
};

struct cust {
	uint64_t idx;
	uint64_t key;
	char keytext[20];
	int country, tz, lang, female;
	char name[96], natid[24], email[96], phone[24];
	double cap, will;
	unsigned flags, consents;
	int pref_chan, pref_hours;
	int nacc;
	struct acct a[MAXACC];
	int order_src[MAXACC];   /* accounts in (source, account_id) order */
	int order_id[MAXACC];    /* accounts in account_id order */
	int ncont;
	struct contact c[MAXCONT];
};

static day_t g_asof;

static int64_t
conv(double usd, int cur, int64_t gran_major)
{
	double major = usd * fx[cur];
	int64_t g = gran_major * 100;   /* all three currencies have exponent 2 */
	int64_t v = (int64_t)llround(major * 100.0 / (double)g) * g;

	return v < g ? g : v;
}

static int64_t
round_to(int64_t v, int64_t g)
{
	int64_t r = (v + g / 2) / g * g;

	return r < g ? g : r;
}

static int64_t
gran(int cur)   /* payment granularity in minor units */
{
	return cur == CUR_COP ? 100 * 100 : 100;   /* 100 pesos, 1 peso, 1 dollar */
}

static void
make_person(struct cust *c, struct rng *r)
{
	const char *first, *l1, *l2;
	char local[64], *p;
	const char *q;
	uint64_t u;

	c->female = rint_(r, 2);
	if (c->country == US && c->lang == 1) {   /* English speaker */
		first = c->female ? en_female[rint_(r, NELEM(en_female))]
		                  : en_male[rint_(r, NELEM(en_male))];
		l1 = en_last[rint_(r, NELEM(en_last))];
		snprintf(c->name, sizeof c->name, "%s %s", first, l1);
		l2 = NULL;
	} else {
		first = c->female ? es_female[rint_(r, NELEM(es_female))]
		                  : es_male[rint_(r, NELEM(es_male))];
		l1 = es_last[rint_(r, NELEM(es_last))];
		l2 = es_last[rint_(r, NELEM(es_last))];
		if (c->country == US)
			snprintf(c->name, sizeof c->name, "%s %s", first, l1);
		else
			snprintf(c->name, sizeof c->name, "%s %s %s", first, l1, l2);
	}
	/* national id: unique by construction (a bijection of the index) */
	switch (c->country) {
	case CO:
		u = perm(c->idx, 1000000000ULL, 2654435761ULL, 23571113ULL);
		snprintf(c->natid, sizeof c->natid, "1%09llu", (unsigned long long)u);
		break;
	case MX: {
		/* CURP-like: letters from the name, birth date, sex, state, then
		 * five characters that encode the index (unique below 12M) */
		static const char cons[] = "BCDFGHJKLMNPQRSTVWXYZ";
		static const char *const st[] = { "DF", "JC", "NL", "BC", "PL", "QT", "YN", "GT" };
		static const char al[] = "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";
		char a4[5];
		int y = 50 + rint_(r, 50), mo = 1 + rint_(r, 12), d = 1 + rint_(r, 28);
		u = perm(c->idx, 21ULL * 21 * 21 * 35 * 35, 7919ULL, 104729ULL);
		a4[0] = 'A' + (char)rint_(r, 26); a4[1] = 'A' + (char)rint_(r, 26);
		a4[2] = 'A' + (char)rint_(r, 26); a4[3] = 'A' + (char)rint_(r, 26); a4[4] = 0;
		snprintf(c->natid, sizeof c->natid, "%s%02d%02d%02d%c%s%c%c%c%c%c", a4, y, mo, d,
		         c->female ? 'M' : 'H', st[rint_(r, 8)], cons[u % 21], cons[u / 21 % 21],
		         cons[u / 441 % 21], al[u / 9261 % 35], al[u / (9261 * 35) % 35]);
		break;
	}
	default:
		u = perm(c->idx, 899000000ULL, 2654435761ULL, 12345ULL) + 100000000ULL;
		snprintf(c->natid, sizeof c->natid, "%09llu", (unsigned long long)u);
	}
	/* phone E.164, unique by construction */
	switch (c->country) {
	case CO:
		/* 30x/31x mobile prefixes */
		snprintf(c->phone, sizeof c->phone, "+573%09llu",
		         (unsigned long long)perm(c->idx, 200000000ULL, 2654435761ULL, 123456789ULL));
		break;
	case MX: {
		int a = (int)(c->idx % (uint64_t)NELEM(mx_area));
		size_t al = strlen(mx_area[a]);
		uint64_t m = al == 2 ? 100000000ULL : 10000000ULL;
		u = perm(c->idx, m, 2654435761ULL, 35551234ULL % m);
		snprintf(c->phone, sizeof c->phone, "+52%s%0*llu", mx_area[a], al == 2 ? 8 : 7,
		         (unsigned long long)u);
		break;
	}
	default: {
		int a = (int)(c->idx % (uint64_t)NELEM(us_area));
		u = perm(c->idx, 8000000ULL, 2654435761ULL, 3550123ULL);
		snprintf(c->phone, sizeof c->phone, "+1%s%d%06llu", us_area[a],
		         2 + (int)(u / 1000000), (unsigned long long)(u % 1000000));
	}
	}
	if (runif(r) < 0.03)
		c->phone[0] = 0;
	/* email: ascii-folded first.last plus a unique number */
	p = local;
	for (q = first; *q && p < local + 20; q++) {
		unsigned char ch = (unsigned char)*q;
		if (ch == 0xc3 && q[1]) {   /* fold the Latin-1 letters we use */
			static const char from[] = "\xa1\xa9\xad\xb3\xba\xb1\x81\x89\x8d\x93\x9a";
			static const char to[] = "aeiounAEIOU";
			const char *f = strchr(from, q[1]);
			ch = f ? (unsigned char)to[f - from] : 'x';
			q++;
		}
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z'))
			*p++ = (char)ch;
	}
	*p++ = '.';
	for (q = l1; *q && p < local + 44; q++) {
		unsigned char ch = (unsigned char)*q;
		if (ch == 0xc3 && q[1]) {
			static const char from[] = "\xa1\xa9\xad\xb3\xba\xb1\x81\x89\x8d\x93\x9a";
			static const char to[] = "aeiounAEIOU";
			const char *f = strchr(from, q[1]);
			ch = f ? (unsigned char)to[f - from] : 'x';
			q++;
		}
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if (ch >= 'a' && ch <= 'z')
			*p++ = (char)ch;
	}
	*p = 0;
	{
		static const char *const dom[] = { "example.com", "example.net", "example.org",
		                                   "correo.example", "mail.example" };
		snprintf(c->email, sizeof c->email, "%s%llu@%s", local,
		         (unsigned long long)(c->idx % 100000 * 100 + c->idx / 100000 % 100 +
		                              c->idx / 10000000 * 10000000),
		         dom[rint_(r, NELEM(dom))]);
	}
	if (runif(r) < 0.12)
		c->email[0] = 0;
}

/* US-style and Mexican zones from the tz database via cx_tz */
static int
tz_offset_min(int tz, day_t d, int secs)
{
	int32_t off;

	(void)cx_tz_from_local(tz_zone[tz], (int64_t)d * 86400 + secs, &off);
	return off / 60;
}

static int
cmp_item_due(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return (x->due > y->due) - (x->due < y->due);
}

/* apply a payment FIFO to the open items */
static void
apply_pay(struct item *it, int nit, int64_t amt)
{
	int k;

	for (k = 0; k < nit && amt > 0; k++) {
		int64_t t = it[k].rem < amt ? it[k].rem : amt;
		it[k].rem -= t;
		amt -= t;
	}
}

static void
sim_account(struct cust *c, struct acct *a, struct rng *r, int shock_lo, int shock_hi)
{
	struct item it[MAXITEMS];
	int nit = 0, n, k, mob, sd, grace, ly, lm, ld, j, term = 0;
	double cap = c->cap, will = c->will, rate = 0, dq;
	int64_t B, I = 0, floor_ = conv(25, a->cur, 1), paid_since = 0;
	day_t S[MAXSTMT + 1], D[MAXSTMT + 1];

	if (c->flags & ((1u << F_DECEASED) | (1u << F_BANKRUPTCY))) {
		cap *= 0.25;
		will *= 0.5;
	}
	if (c->flags & (1u << F_HARDSHIP))
		cap *= 0.4;
	if (a->flags & (1u << F_DISPUTE))
		will *= 0.4;

	/* statement calendar */
	n = 6 + rint_(r, 7);
	switch (a->prod) {
	case P_CARD: mob = 6 + rint_(r, 175); grace = 20; break;
	case P_LOAN: term = 24 + 12 * rint_(r, 4); mob = 6 + rint_(r, term - 9); grace = 15; break;
	case P_AUTO: term = 36 + 12 * rint_(r, 4); mob = 6 + rint_(r, term - 9); grace = 15; break;
	case P_MORTGAGE: term = 120 + 60 * rint_(r, 5); mob = 12 + rint_(r, term - 24); grace = 15;
		break;
	default: mob = 6 + rint_(r, 115); grace = 15; break;
	}
	if (n > mob)
		n = mob;
	sd = 1 + rint_(r, 28);
	ymd_from_days(g_asof, &ly, &lm, &ld);
	if (sd > ld)   /* last statement in the previous month */
		S[n - 1] = month_day(ly, lm, -1, sd);
	else
		S[n - 1] = month_day(ly, lm, 0, sd);
	{
		int sy, sm, sdd;
		ymd_from_days(S[n - 1], &sy, &sm, &sdd);
		for (k = 0; k <= n; k++)
			S[k] = month_day(sy, sm, k - (n - 1), sd);
		a->open = month_day(sy, sm, -mob, sd) - rint_(r, 25);
	}
	for (k = 0; k <= n; k++)
		D[k] = S[k] + grace;

	/* amounts */
	switch (a->prod) {
	case P_CARD: {
		double L = 2500.0 * (0.4 + cap) * exp(0.7 * rnorm(r)), util;
		if (L < 300) L = 300;
		if (L > 50000) L = 50000;
		a->limit = conv(L, a->cur, a->cur == CUR_COP ? 100000 : 100);
		util = 0.15 + 0.6 * (1 - cap) + 0.2 * rnorm(r);
		if (util < 0.02) util = 0.02;
		if (util > 1.05) util = 1.05;
		B = round_to((int64_t)((double)a->limit * util), gran(a->cur));
		rate = 0.022 + 0.008 * (1 - cap);
		break;
	}
	case P_LOAN: case P_AUTO: case P_MORTGAGE: {
		double P0 = a->prod == P_LOAN ? 5000 : a->prod == P_AUTO ? 18000 : 120000;
		int T = term;
		double inst, rem;
		int paid_m;
		P0 *= (0.5 + cap) * exp(0.5 * rnorm(r));
		rate = a->prod == P_LOAN ? 0.02 : a->prod == P_AUTO ? 0.012 : 0.009;
		inst = P0 * rate / (1 - pow(1 + rate, -T));
		paid_m = mob - n;
		rem = P0 * pow(1 + rate, paid_m) - inst * (pow(1 + rate, paid_m) - 1) / rate;
		if (rem < inst)
			rem = inst * 3;
		I = conv(inst, a->cur, 1);
		B = conv(rem, a->cur, 1);
		a->limit = -1;
		break;
	}
	default: {
		double bill = (a->prod == P_TELCO ? 40.0 : 60.0) * exp(0.4 * rnorm(r));
		I = conv(bill, a->cur, a->cur == CUR_COP ? 100 : 1);
		B = 0;
		a->limit = -1;
		break;
	}
	}

	/* arrears before the window */
	dq = (1 - will) * 0.7 + (1 - cap) * 0.3;
	if (runif(r) < 0.03 + 0.30 * dq * dq) {
		int k0 = 1 + (int)(-log(1 - runif(r) * 0.999) * (1.0 + 6.0 * dq));
		int64_t inst0 = a->prod == P_CARD ? (B / 25 > floor_ ? B / 25 : floor_) : I;
		if (k0 > MAXITEMS - MAXSTMT - 2)
			k0 = MAXITEMS - MAXSTMT - 2;
		if (k0 > mob - n)   /* not due before the account was opened */
			k0 = mob - n;
		for (j = k0; j >= 1; j--) {
			{
				int sy, sm, sdd;
				ymd_from_days(S[0], &sy, &sm, &sdd);
				it[nit].due = month_day(sy, sm, -j, sd) + grace;
			}
			it[nit].rem = round_to(inst0, gran(a->cur));
			if (a->prod == P_TELCO || a->prod == P_UTILITY)
				B += it[nit].rem;
			nit++;
		}
	}

	a->npay = 0;
	a->nstmt = 0;
	a->late_in_window = 0;
	for (k = 0; k < n; k++) {
		int64_t inst, pd = 0, owed, amt = 0;
		day_t oldest = 0;
		int has_old = 0, nold = 0, months_ago, shock;

		if (B < 0)
			B = 0;
		/* snapshot at the statement date */
		for (j = 0; j < nit; j++)
			if (it[j].rem > 0 && it[j].due < S[k]) {
				pd += it[j].rem;
				if (!has_old)
					oldest = it[j].due, has_old = 1;
				nold++;
			}
		if (a->prod == P_TELCO || a->prod == P_UTILITY) {
			inst = round_to((int64_t)((double)I * (0.8 + 0.4 * runif(r))), gran(a->cur));
			B += inst;
		} else if (a->prod == P_CARD) {
			inst = B / 25;
			if (inst < floor_)
				inst = floor_;
			if (inst > B)
				inst = B;
			inst = inst > 0 ? round_to(inst, a->cur == CUR_COP ? 10000 : 100) : 0;
			if (inst > B)
				inst = B;
		} else
			inst = I < B ? I : B;
		if (B < 0)
			B = 0;
		a->st[a->nstmt].date = S[k];
		a->st[a->nstmt].bal = B;
		a->st[a->nstmt].mindue = inst + pd;
		a->st[a->nstmt].paid = paid_since;
		a->st[a->nstmt].dpd = has_old ? S[k] - oldest : 0;
		a->nstmt++;
		paid_since = 0;
		if (inst > 0 && nit < MAXITEMS) {
			it[nit].due = D[k];
			it[nit].rem = inst;
			nit++;
		}

		/* the customer's decision for this cycle */
		months_ago = (int)((g_asof - S[k]) / 30);
		shock = months_ago >= shock_lo && months_ago <= shock_hi;
		{
			double ce = cap * (shock ? 0.35 : 1.0);
			double p = sigmoid(-1.9 + 3.4 * will + 2.6 * ce - 0.12 * nold);
			day_t P;

			owed = 0;
			for (j = 0; j < nit; j++)
				owed += it[j].rem;
			if (a->flags & (1u << F_DISPUTE))
				p *= 0.5;
			if (owed > 0 && runif(r) < p) {
				double u = runif(r);
				if (u < ce * 0.85) {
					amt = owed;
					if (a->prod == P_CARD && nold == 0 && runif(r) < ce * 0.5)
						amt = B;   /* a transactor pays the statement in full */
				} else if (u < 0.88) {
					amt = inst > 0 ? (inst < owed ? inst : owed) : owed;
				} else {
					amt = round_to((int64_t)((double)owed * (0.2 + 0.6 * runif(r))),
					               gran(a->cur));
					if (amt > owed)
						amt = owed;
				}
				if (runif(r) < 0.30 + 0.65 * will)
					P = D[k] - rint_(r, 12);
				else
					P = D[k] + 1 + rint_(r, 7);
				if (P <= S[k])
					P = S[k] + 1;
				if (P >= S[k + 1])
					P = S[k + 1] - 1;
				if (P <= g_asof && amt > 0 && a->npay < MAXPAY) {
					struct pay *py = &a->pay[a->npay++];
					py->date = P;
					py->amt = amt;
					py->method = rpick(r, method_w, 5);
					apply_pay(it, nit, amt);
					paid_since += amt;
					B -= amt;
					if (P > D[k] && P >= g_asof - 30)
						a->late_in_window = 1;
				} else
					amt = 0;
			}
		}
		/* to the next statement: purchases, interest, fees */
		if (k < n - 1) {
			if (a->prod == P_CARD) {
				int64_t room = a->limit - B;
				if (nold < 2 && room > 0 && runif(r) < 0.8)
					B += round_to((int64_t)((double)room * 0.25 * runif(r) * (0.3 + cap)),
					              gran(a->cur));
				if (B > 0)
					B += (int64_t)((double)B * rate);
				if (amt < inst && inst > 0)
					B += conv(30, a->cur, 1);   /* late fee */
			} else if (a->prod == P_LOAN || a->prod == P_AUTO || a->prod == P_MORTGAGE) {
				B += (int64_t)((double)B * rate);
			}
		}
		/* compact paid items */
		{
			int w = 0;
			for (j = 0; j < nit; j++)
				if (it[j].rem > 0)
					it[w++] = it[j];
			nit = w;
		}
	}
	if (B < 0)
		B = 0;

	/* the account as of the run date */
	qsort(it, (size_t)nit, sizeof *it, cmp_item_due);
	a->pastdue = 0;
	a->mindue = 0;
	for (j = 0; j < nit; j++) {
		if (it[j].due < g_asof)
			a->pastdue += it[j].rem;
		a->mindue += it[j].rem;
	}
	if (nit > 0) {
		a->due = it[0].due;
	} else {
		/* nothing owed now: the next instalment falls due at the next cycle */
		a->due = D[n];
		if (a->prod == P_CARD && B > 0)
			a->mindue = B / 25 < floor_ ? (floor_ < B ? floor_ : B) : B / 25;
		else if (a->prod != P_CARD)
			a->mindue = a->prod == P_TELCO || a->prod == P_UTILITY ? 0 : (I < B ? I : B);
		if (a->mindue > 0)
			a->mindue = round_to(a->mindue, a->cur == CUR_COP ? 10000 : 100);
		if (a->mindue > B)
			a->mindue = B;
	}
	if (B < a->mindue)
		B = a->mindue;
	a->bal = B;
	a->dpd = g_asof - a->due;
	if (a->npay > 0) {
		a->lastpay = a->pay[a->npay - 1].date;
		a->lastpay_amt = a->pay[a->npay - 1].amt;
	} else {
		a->lastpay = 0;
		a->lastpay_amt = -1;
	}
}

static const char *
bucket(int dpd)
{
	if (dpd <= 0) return "current";
	if (dpd <= 30) return "1-30";
	if (dpd <= 60) return "31-60";
	if (dpd <= 90) return "61-90";
	if (dpd <= 120) return "91-120";
	if (dpd <= 180) return "121-180";
	return "180+";
}

static int
cmp_contact(const void *x, const void *y)
{
	const struct contact *a = x, *b = y;

	if (a->acc != b->acc)
		return a->acc - b->acc;   /* acc is the rank in account_id order */
	return (a->utc > b->utc) - (a->utc < b->utc);
}

static void
add_contact(struct cust *c, struct rng *r, int acc, day_t d, int hlo, int hhi, int chan, int in,
            int outcome, int64_t pamt, day_t pdate)
{
	struct contact *k;
	int secs, wd = weekday(d);

	if (c->ncont >= MAXCONT)
		return;
	if (wd == 7)   /* no Sunday contacts */
		d -= 1, wd = 6;
	if (wd == 6 && hhi > 15)
		hhi = 15;
	if (hlo >= hhi)
		hlo = hhi - 1;
	k = &c->c[c->ncont++];
	secs = (hlo + rint_(r, hhi - hlo)) * 3600 + rint_(r, 60) * 60 + rint_(r, 60);
	k->acc = acc;
	k->off = tz_offset_min(c->tz, d, secs);
	k->utc = (int64_t)d * 86400 + secs - (int64_t)k->off * 60;
	k->chan = chan;
	k->in = in;
	k->outcome = outcome;
	k->agent = (chan == C_CALL || chan == C_VISIT) ? c->country * 100 + 1 + rint_(r, 60) : -1;
	if (in && chan == C_CALL)
		k->agent = c->country * 100 + 61 + rint_(r, 20);
	k->pamt = pamt;
	k->pdate = pdate;
}

static int
pick_channel(struct cust *c, struct rng *r, int digital_first)
{
	static const int dig[] = { C_SMS, C_WHATSAPP, C_EMAIL };
	int cand[NCHAN], n = 0, i;

	if (digital_first) {
		for (i = 0; i < 3; i++)
			if (c->consents & (1u << dig[i]))
				cand[n++] = dig[i];
		if (n)
			return cand[rint_(r, n)];
	}
	if (c->consents & (1u << C_CALL))
		return C_CALL;
	for (i = 0; i < 3; i++)
		if (c->consents & (1u << dig[i]))
			cand[n++] = dig[i];
	if (n)
		return cand[rint_(r, n)];
	return C_LETTER;
}

static void
gen_contacts(struct cust *c, struct rng *r)
{
	int worst = -100000, wa = -1, j, k, natt, hold;
	day_t w0 = g_asof - 30;
	int hlo = 8, hhi = 20;

	c->ncont = 0;
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[c->order_id[j]];
		if (a->dpd > worst && (a->bal > 0 || a->dpd > 0))
			worst = a->dpd, wa = j;
	}
	if (wa < 0)
		wa = 0;
	hold = (c->flags & ((1u << F_DECEASED) | (1u << F_BANKRUPTCY) | (1u << F_CEASE) |
	                    (1u << F_LEGAL) | (1u << F_FRAUD))) != 0;
	if (c->pref_hours >= 0)
		hlo = pref_lo[c->pref_hours], hhi = pref_hi[c->pref_hours];

	/* holds arrive as inbound contacts */
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[c->order_id[j]];
		if (a->flags & (1u << F_DISPUTE))
			add_contact(c, r, j, w0 + rint_(r, 30), 9, 17, runif(r) < 0.5 ? C_CALL : C_LETTER,
			            1, O_DISPUTE, -1, 0);
	}
	if (c->flags & (1u << F_CEASE))
		add_contact(c, r, wa, w0 + rint_(r, 30), 9, 17, C_LETTER, 1, O_OPT_OUT, -1, 0);

	/* promises that precede real payments (kept) and inbound "paid" notes */
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[c->order_id[j]];
		for (k = 0; k < a->npay; k++) {
			struct pay *p = &a->pay[k];
			if (p->date < w0 + 3 || p->date >= g_asof)
				continue;
			if (a->late_in_window && !hold && runif(r) < 0.55 &&
			    (c->consents & (1u << C_CALL))) {
				day_t d = p->date - 1 - rint_(r, 4);
				int64_t pa = p->amt;
				if (runif(r) < 0.3)
					pa = round_to(pa * 9 / 10, gran(a->cur));
				add_contact(c, r, j, d, hlo, hhi, C_CALL, 0, O_PROMISE, pa,
				            p->date + rint_(r, 3));
			}
			if (runif(r) < 0.08)
				add_contact(c, r, j, p->date, 8, 20, runif(r) < 0.6 ? C_PORTAL : C_CALL, 1,
				            O_PAID, -1, 0);
		}
	}

	/* outbound collection attempts */
	if (hold || c->flags & (1u << F_DISPUTE && c->nacc == 1))
		natt = 0;
	else if (worst > 90)
		natt = 5 + rint_(r, 10);
	else if (worst > 30)
		natt = 4 + rint_(r, 7);
	else if (worst > 0)
		natt = 2 + rint_(r, 4);
	else if (worst >= -7 && runif(r) < 0.5)
		natt = 1 + rint_(r, 2);   /* pre-due reminders */
	else
		natt = 0;
	if (natt) {
		day_t days[16];
		int n = natt > 16 ? 16 : natt, i, x;
		struct acct *a = &c->a[c->order_id[wa]];
		for (i = 0; i < n; i++)
			days[i] = w0 + rint_(r, 30);
		for (i = 1; i < n; i++)   /* insertion sort: chronological */
			for (x = i; x > 0 && days[x - 1] > days[x]; x--) {
				day_t t = days[x]; days[x] = days[x - 1]; days[x - 1] = t;
			}
		for (i = 0; i < n; i++) {
			int dig = worst <= 0 || runif(r) < (worst <= 30 ? 0.8 : worst <= 90 ? 0.5 : 0.3);
			int ch = pick_channel(c, r, dig), oc;
			double u = runif(r);
			int h0 = runif(r) < 0.6 ? hlo : 8, h1 = h0 == hlo ? hhi : 20;
			switch (ch) {
			case C_SMS: oc = u < 0.92 ? O_DELIVERED : O_FAILED; break;
			case C_WHATSAPP: oc = u < 0.35 ? O_DELIVERED : u < 0.9 ? O_OPENED : O_FAILED; break;
			case C_EMAIL:
				oc = u < 0.55 ? O_DELIVERED : u < 0.85 ? O_OPENED : u < 0.95 ? O_CLICKED
				                                                         : O_FAILED;
				break;
			case C_CALL:
				if (u < 0.42) oc = O_NO_ANSWER;
				else if (u < 0.57) oc = O_VOICEMAIL;
				else if (u < 0.64) oc = O_THIRD_PARTY;
				else {
					double v = runif(r);
					if (v < 0.15 + 0.45 * c->will)
						oc = O_PROMISE;
					else if (v < 0.75)
						oc = O_RIGHT_PARTY;
					else if (v < 0.97)
						oc = O_REFUSED;
					else
						oc = O_DISPUTE;
				}
				break;
			default: oc = O_DELIVERED;
			}
			if (oc == O_PROMISE) {
				/* kept if a payment follows within the promised date */
				day_t d = days[i] + 1 + rint_(r, 7), pd = 0;
				int64_t amt = a->pastdue > 0 ? a->pastdue : a->mindue;
				for (k = 0; k < a->npay; k++)
					if (a->pay[k].date >= days[i] && a->pay[k].date <= days[i] + 10) {
						pd = a->pay[k].date;
						if (a->pay[k].amt < amt)
							amt = a->pay[k].amt;
						break;
					}
				if (pd)
					d = pd + rint_(r, 2);
				if (amt <= 0)
					amt = conv(20, a->cur, 1);
				add_contact(c, r, wa, days[i], h0, h1, ch, 0, oc, amt, d);
			} else
				add_contact(c, r, wa, days[i], h0, h1, ch, 0, oc, -1, 0);
			/* replies: opt-outs and complaints */
			if ((ch == C_SMS || ch == C_WHATSAPP || ch == C_EMAIL) && oc != O_FAILED &&
			    runif(r) < 0.012) {
				add_contact(c, r, wa, days[i], h0, h1, ch, 1, O_OPT_OUT, -1, 0);
				c->consents &= ~(1u << ch);
			}
			if (ch == C_CALL && runif(r) < 0.003)
				add_contact(c, r, wa, days[i] + 1 < g_asof ? days[i] + 1 : days[i], 9, 17,
				            C_CALL, 1, O_COMPLAINT, -1, 0);
		}
	}
	/* some customers call in or use the portal on their own */
	if (runif(r) < 0.03)
		add_contact(c, r, wa, w0 + rint_(r, 30), 8, 20, runif(r) < 0.5 ? C_PORTAL : C_CALL, 1,
		            O_RIGHT_PARTY, -1, 0);
	/* drop contacts at or after the run date (Sunday shifts never move forward) */
	for (j = k = 0; j < c->ncont; j++)
		if (c->c[j].utc + (int64_t)c->c[j].off * 60 < (int64_t)g_asof * 86400)
			c->c[k++] = c->c[j];
	c->ncont = k;
	if (c->pref_chan >= 0 && !(c->consents & (1u << c->pref_chan)))
		c->pref_chan = -1;
	qsort(c->c, (size_t)c->ncont, sizeof c->c[0], cmp_contact);
}

static void
gen_customer(uint64_t i, int maxacc, struct cust *c)
{
	struct skel sk;
	struct rng r;
	double z1, z2;
	int j, k, shock_lo = -1, shock_hi = -2;

	skeleton(i, maxacc, &sk);
	rng_init(&r, g_seed, i, 1);
	memset(c, 0, offsetof(struct cust, a));
	c->idx = i;
	c->country = sk.country;
	c->nacc = sk.nacc;
	switch (c->country) {
	case CO: c->tz = 0; c->lang = 0; break;
	case MX: c->tz = runif(&r) < 0.85 ? 1 : 2; c->lang = 0; break;
	default: {
		static const double w[] = { 0.45, 0.30, 0.25 };
		c->tz = 3 + rpick(&r, w, 3);
		c->lang = runif(&r) < 0.8 ? 1 : 0;
	}
	}
	make_person(c, &r);

	/* latent capacity and willingness, mildly correlated */
	z1 = rnorm(&r);
	z2 = rnorm(&r);
	c->cap = sigmoid(0.3 + 1.2 * z1);
	c->will = sigmoid(1.0 + 1.4 * (0.3 * z1 + 0.95 * z2));
	if (runif(&r) < 0.15) {   /* a hardship episode some months ago */
		shock_lo = rint_(&r, 8);
		shock_hi = shock_lo + 1 + rint_(&r, 3);
	}

	/* holds */
	c->flags = 0;
	if (runif(&r) < g_hold_rate) {
		int f = rpick(&r, flag_w, NFLAG);
		c->flags = 1u << f;
		if (f == F_HARDSHIP || f == F_BANKRUPTCY || f == F_DECEASED)
			c->cap *= 0.5;
	}

	/* consents and preferences */
	c->consents = 0;
	if (c->phone[0] && runif(&r) < 0.80) c->consents |= 1u << C_SMS;
	if (c->phone[0] && runif(&r) < (c->country == US ? 0.2 : 0.7)) c->consents |= 1u << C_WHATSAPP;
	if (c->email[0] && runif(&r) < 0.75) c->consents |= 1u << C_EMAIL;
	if (c->phone[0] && runif(&r) < 0.85) c->consents |= 1u << C_CALL;
	if (c->phone[0] && runif(&r) < 0.3) c->consents |= 1u << C_IVR;
	if (runif(&r) < 0.95) c->consents |= 1u << C_LETTER;
	if (c->country == CO && runif(&r) < 0.05) c->consents |= 1u << C_VISIT;
	if (runif(&r) < 0.4) c->consents |= 1u << C_PORTAL;
	c->pref_chan = -1;
	if (c->consents && runif(&r) < 0.7) {
		int cand[NCHAN], n = 0;
		for (k = 0; k < NCHAN; k++)
			if ((c->consents & (1u << k)) && k != C_LETTER && k != C_VISIT)
				cand[n++] = k;
		if (n)
			c->pref_chan = cand[rint_(&r, n)];
	}
	c->pref_hours = runif(&r) < 0.4 ? rint_(&r, NELEM(pref_hours)) : -1;

	/* accounts */
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[j];
		int cur = c->country;
		a->prod = sk.prod[j];
		a->src = prod_src[a->prod];
		memcpy(a->id, sk.id[j], sizeof a->id);
		if (c->country != US && a->prod == P_CARD && runif(&r) < 0.05)
			cur = CUR_USD;   /* a dollar card */
		a->cur = cur;
		a->flags = c->flags & ~(1u << F_DISPUTE);
		{
			uint64_t sc = perm(i, 1000000000ULL, 2246822519ULL, (uint64_t)a->src * 7919 + 17);
			static const char *const pre[] = { "BL", "CL", "" };
			fmt_padded(a->srccust, pre[a->src], a->src == S_LOANS ? sc : sc % 100000000ULL,
			           a->src == S_LOANS ? 9 : 8);
		}
	}
	if (c->flags & (1u << F_DISPUTE))
		c->a[rint_(&r, c->nacc)].flags |= 1u << F_DISPUTE;
	for (j = 0; j < c->nacc; j++) {
		struct rng ra;
		rng_init(&ra, g_seed, i, 2 + (uint64_t)j);
		sim_account(c, &c->a[j], &ra, shock_lo, shock_hi);
	}
	/* orders: (source, id) for the accounts stream, id for the events */
	for (j = 0; j < c->nacc; j++)
		c->order_src[j] = c->order_id[j] = j;
	for (j = 1; j < c->nacc; j++)
		for (k = j; k > 0; k--) {
			struct acct *x = &c->a[c->order_src[k - 1]], *y = &c->a[c->order_src[k]];
			if (x->src > y->src || (x->src == y->src && strcmp(x->id, y->id) > 0)) {
				int t = c->order_src[k]; c->order_src[k] = c->order_src[k - 1];
				c->order_src[k - 1] = t;
			} else
				break;
		}
	for (j = 1; j < c->nacc; j++)
		for (k = j; k > 0; k--) {
			if (strcmp(c->a[c->order_id[k - 1]].id, c->a[c->order_id[k]].id) > 0) {
				int t = c->order_id[k]; c->order_id[k] = c->order_id[k - 1];
				c->order_id[k - 1] = t;
			} else
				break;
		}
	gen_contacts(c, &r);
}

/* ------------------------------------------------------------------ */
/* canonical writer                                                     */

enum { ST_ACCOUNTS, ST_PAYMENTS, ST_CONTACTS, ST_STATEMENTS, NSTREAM };
static const char *const stream_name[] = { "accounts", "payments", "contacts", "statements" };

static void
set_str(char *out, size_t outsz, unsigned set, const char *const *names, int n)
{
	size_t len = 0;
	int k;

	out[0] = 0;
	for (k = 0; k < n; k++)
		if (set & (1u << k))
			len += (size_t)snprintf(out + len, outsz - len, "%s%s", len ? "," : "", names[k]);
}

static void
fmt_ts(char *out, int64_t utc, int off)
{
	int64_t loc = utc + (int64_t)off * 60;
	day_t d = (day_t)(loc >= 0 ? loc / 86400 : -((-loc + 86399) / 86400));
	int s = (int)(loc - (int64_t)d * 86400), a = off < 0 ? -off : off;

	int v[5] = { s / 3600, s / 60 % 60, s % 60, a / 60 % 100, a % 60 }, q;
	char *p = out + 10;

	fmt_date(out, d, D_ISO);
	for (q = 0; q < 5; q++) {
		*p++ = q == 0 ? 'T' : q == 3 ? (off < 0 ? '-' : '+') : ':';
		*p++ = (char)('0' + v[q] / 10);
		*p++ = (char)('0' + v[q] % 10);
	}
	*p = 0;
}

static void
write_canonical(struct cust *c, struct sink *out, const int *want)
{
	struct line l;
	char buf[128];
	int j, k;

	if (want[ST_ACCOUNTS])
		for (j = 0; j < c->nacc; j++) {
			struct acct *a = &c->a[c->order_src[j]];
			ln_start(&l, '\t');
			ln_str(&l, c->keytext);
			ln_str(&l, a->id);
			ln_str(&l, src_name[a->src]);
			ln_str(&l, a->srccust);
			ln_str(&l, c->natid);
			ln_str(&l, c->name);
			ln_str(&l, c->email);
			ln_str(&l, c->phone);
			ln_str(&l, country_code[c->country]);
			ln_str(&l, tz_name[c->tz]);
			ln_str(&l, c->lang ? "en" : "es");
			ln_str(&l, prod_code[a->prod]);
			ln_str(&l, cur_code[a->cur]);
			ln_money(&l, a->bal, cur_exp[a->cur], M_CANON);
			ln_money(&l, a->pastdue, cur_exp[a->cur], M_CANON);
			ln_money(&l, a->mindue, cur_exp[a->cur], M_CANON);
			if (a->limit >= 0)
				ln_money(&l, a->limit, cur_exp[a->cur], M_CANON);
			else
				ln_empty(&l);
			ln_date(&l, a->due, D_ISO);
			ln_i64(&l, a->dpd);
			ln_str(&l, bucket(a->dpd));
			ln_date(&l, a->open, D_ISO);
			if (a->lastpay_amt >= 0) {
				ln_date(&l, a->lastpay, D_ISO);
				ln_money(&l, a->lastpay_amt, cur_exp[a->cur], M_CANON);
			} else {
				ln_empty(&l);
				ln_empty(&l);
			}
			set_str(buf, sizeof buf, a->flags, flag_name, NFLAG);
			ln_str(&l, buf);
			set_str(buf, sizeof buf, c->consents, chan_name, NCHAN);
			ln_str(&l, buf);
			ln_str(&l, c->pref_chan >= 0 ? chan_name[c->pref_chan] : "");
			ln_str(&l, c->pref_hours >= 0 ? pref_hours[c->pref_hours] : "");
			sink_line(&out[ST_ACCOUNTS], &l, 0);
		}
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[c->order_id[j]];
		const char *cur = cur_code[a->cur];
		int e = cur_exp[a->cur];
		if (want[ST_PAYMENTS])
			for (k = 0; k < a->npay; k++) {
				ln_start(&l, '\t');
				ln_str(&l, c->keytext);
				ln_str(&l, a->id);
				ln_date(&l, a->pay[k].date, D_ISO);
				ln_money(&l, a->pay[k].amt, e, M_CANON);
				ln_str(&l, cur);
				ln_str(&l, method_name[c->country][a->pay[k].method]);
				sink_line(&out[ST_PAYMENTS], &l, 0);
			}
		if (want[ST_CONTACTS])
			for (k = 0; k < c->ncont; k++) {
				struct contact *t = &c->c[k];
				if (t->acc != j)
					continue;
				ln_start(&l, '\t');
				ln_str(&l, c->keytext);
				ln_str(&l, a->id);
				fmt_ts(buf, t->utc, t->off);
				ln_str(&l, buf);
				ln_str(&l, chan_name[t->chan]);
				ln_str(&l, t->in ? "in" : "out");
				ln_str(&l, outcome_name[t->outcome]);
				if (t->agent >= 0) {
					fmt_padded(buf, "AG", (uint64_t)t->agent, 4);
					ln_str(&l, buf);
				} else
					ln_str(&l, t->chan == C_PORTAL || t->chan == C_LETTER ? "" : "system");
				if (t->pamt >= 0) {
					ln_money(&l, t->pamt, e, M_CANON);
					ln_date(&l, t->pdate, D_ISO);
					ln_str(&l, cur);
				} else {
					ln_empty(&l);
					ln_empty(&l);
					ln_empty(&l);
				}
				sink_line(&out[ST_CONTACTS], &l, 0);
			}
		if (want[ST_STATEMENTS])
			for (k = 0; k < a->nstmt; k++) {
				ln_start(&l, '\t');
				ln_str(&l, c->keytext);
				ln_str(&l, a->id);
				ln_date(&l, a->st[k].date, D_ISO);
				ln_money(&l, a->st[k].bal, e, M_CANON);
				ln_money(&l, a->st[k].mindue, e, M_CANON);
				ln_money(&l, a->st[k].paid, e, M_CANON);
				ln_i64(&l, a->st[k].dpd);
				ln_str(&l, cur);
				sink_line(&out[ST_STATEMENTS], &l, 0);
			}
	}
}

/* ------------------------------------------------------------------ */
/* raw exports: three source systems and a CRM, with optional bad rows  */

enum { R_CARDS_ACC, R_CARDS_PAY, R_CARDS_STMT, R_LOANS_ACC, R_LOANS_PAY, R_LOANS_STMT,
       R_BILL_ACC, R_BILL_PAY, R_BILL_STMT, R_CONTACTS, NRAW };
static const char *const raw_file[NRAW] = {
	"cards.csv", "cards_payments.csv", "cards_statements.csv",
	"loans.csv", "loans_payments.csv", "loans_statements.csv",
	"billing.txt", "billing_payments.txt", "billing_statements.txt",
	"contacts.csv"
};
static const char *const raw_header[NRAW] = {
	"account_number,customer_id,national_id,full_name,email,mobile_phone,country,time_zone,"
	"language,product,currency,balance,past_due_amount,minimum_payment,credit_limit,"
	"payment_due_date,days_past_due,open_date,last_payment_date,last_payment_amount,"
	"status_flags,consents,preferred_channel,preferred_hours",
	"account_number,payment_date,amount,currency,payment_method",
	"account_number,statement_date,balance,minimum_payment,payments,days_past_due,currency",
	"cedula;nombre;obligacion;producto;moneda;saldo;valor_mora;pago_minimo;fecha_vencimiento;"
	"dias_mora;fecha_apertura;fecha_ultimo_pago;valor_ultimo_pago;codigo_cliente;correo;"
	"celular;pais;zona_horaria;idioma;marcas;autorizaciones;canal_preferido;horario_preferido",
	"obligacion;fecha_pago;valor_pago;moneda;medio_pago",
	"obligacion;fecha_corte;saldo;pago_minimo;valor_pagado;dias_mora;moneda",
	"account_id|customer_id|national_id|name|email|phone|country|timezone|language|product|"
	"currency|balance|past_due|minimum_due|due_date|days_past_due|open_date|last_payment_date|"
	"last_payment_amount|flags|consents|preferred_channel|preferred_hours",
	"account_id|date|amount|currency|method",
	"account_id|statement_date|balance|minimum_due|amount_paid|days_past_due|currency",
	"account_id,timestamp,channel,direction,outcome,agent,promise_amount,promise_date,currency"
};
/* per file: separator, money style, date style, cp1252 + CRLF */
static const char raw_sep[NRAW] = { ',', ',', ',', ';', ';', ';', '|', '|', '|', ',' };
static const int raw_es[NRAW] = { 0, 0, 0, 1, 1, 1, 0, 0, 0, 0 };

/* field positions used by the corruptions: id, name, amount, date, currency, dpd */
struct rawpos { int id, name, amount, date, cur, dpd; };
static const struct rawpos raw_pos[NRAW] = {
	{ 0, 3, 11, 15, 10, 16 }, { 0, -1, 2, 1, 3, -1 }, { 0, -1, 2, 1, 6, 5 },
	{ 2, 1, 5, 8, 4, 9 }, { 0, -1, 2, 1, 3, -1 }, { 0, -1, 2, 1, 6, 5 },
	{ 0, 3, 11, 14, 10, 15 }, { 0, -1, 2, 1, 3, -1 }, { 0, -1, 2, 1, 6, 5 },
	{ 0, -1, 6, 1, 8, -1 },
};

struct badrec { int f, kind; long line; char id[20]; };

struct rawctx {
	struct sink s[NRAW];
	double bad_rate;
	const int *want;
	struct rng br;      /* bad-row decisions: reseeded for each customer */
	struct badrec *bad; /* lines relative to this chunk */
	size_t nbad, badcap;
};

/* UTF-8 (Latin-1 range only) to Windows-1252 in place; returns new length */
static size_t
to_cp1252(char *b, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if ((c == 0xc2 || c == 0xc3) && i + 1 < n) {
			b[o++] = (char)((c == 0xc3 ? 0xc0 : 0x80) | ((unsigned char)b[i + 1] & 0x3f));
			i++;
		} else
			b[o++] = (char)c;
	}
	return o;
}

static void
raw_emit(struct rawctx *x, int f, struct line *l)
{
	if (raw_es[f])
		l->n = to_cp1252(l->b, l->n);
	sink_line(&x->s[f], l, raw_es[f]);
}

/* the text of field k of a line */
static void
field_span(const struct line *l, int k, size_t *a, size_t *b)
{
	*a = l->off[k];
	*b = k + 1 < l->nf ? l->off[k + 1] - 1 : l->n;
}

static void
replace_field(struct line *dst, const struct line *src, int k, const char *with, size_t wn)
{
	size_t a, b;

	field_span(src, k, &a, &b);
	memcpy(dst->b, src->b, a);
	memcpy(dst->b + a, with, wn);
	memcpy(dst->b + a + wn, src->b + b, src->n - b);
	dst->n = a + wn + (src->n - b);
	dst->nf = src->nf;
	dst->sep = src->sep;
}

enum { K_QUOTE_IN_FIELD, K_JUNK_AFTER_QUOTE, K_SHORT, K_LONG, K_BLANK, K_WHITESPACE,
       K_BOM_IN_ID, K_LATIN1, K_NUL, K_CONTROL, K_HEADER_AGAIN, K_DUP_CONFLICT,
       K_DUP_IDENTICAL, K_SCI_ID, K_WRONG_DECIMAL, K_BAD_DATE, K_DPD_RANGE, K_BAD_CURRENCY,
       K_NO_AMOUNT, NKIND };
static const char *const kind_name[NKIND] = {
	"03-quote-in-unquoted-field", "04-junk-after-closing-quote", "07-short-row",
	"08-long-row", "12-blank-line", "13-whitespace-only-line", "17-bom-in-id",
	"19-latin1-in-utf8", "22-nul-byte", "30-control-byte", "31-header-repeated",
	"32-duplicate-key-different-values", "duplicate-identical-row",
	"33-scientific-notation-id", "34-wrong-decimal-convention", "35-invalid-date",
	"36-days-past-due-out-of-range", "unknown-currency", "required-amount-missing"
};
static const char *const kind_expect[NKIND] = {
	"reject", "reject", "reject", "reject", "blank", "reject-or-blank", "reject", "reject",
	"reject", "reject", "reject", "reject", "duplicate", "reject", "reject", "reject",
	"reject-or-duplicate", "reject", "reject"
};

/* Write a corrupted copy of `good` (already written) after it. */
static void
raw_bad(struct rawctx *x, int f, const struct line *good, const char *id, int64_t money, int exp)
{
	const struct rawpos *p = &raw_pos[f];
	struct line b;
	int kind;
	char t[64];
	size_t a, e, tn;

	for (;;) {
		kind = rint_(&x->br, NKIND);
		if ((kind == K_QUOTE_IN_FIELD || kind == K_JUNK_AFTER_QUOTE) && p->name < 0)
			continue;
		if ((kind == K_BOM_IN_ID || kind == K_LATIN1) && raw_es[f])
			continue;
		if (kind == K_DPD_RANGE && p->dpd < 0)
			continue;
		if (kind == K_WRONG_DECIMAL && raw_es[f])
			continue;
		/* events have no primary key; days past due is only checked on accounts */
		if ((kind == K_DUP_CONFLICT || kind == K_DPD_RANGE) &&
		    f != R_CARDS_ACC && f != R_LOANS_ACC && f != R_BILL_ACC)
			continue;
		if (kind == K_NO_AMOUNT && money < 0)
			continue;
		break;
	}
	b = *good;
	switch (kind) {
	case K_QUOTE_IN_FIELD:
		replace_field(&b, good, p->name, "Luis \"Lucho\" G\xc3\xb3mez", 19);
		break;
	case K_JUNK_AFTER_QUOTE:
		replace_field(&b, good, p->name, "\"Luis\"G\xc3\xb3mez", 12);
		break;
	case K_SHORT:
		b.n = good->off[4] - 1;
		break;
	case K_LONG:
		b.b[b.n++] = good->sep;
		memcpy(b.b + b.n, "extra", 5);
		b.n += 5;
		break;
	case K_BLANK:
		b.n = 0;
		break;
	case K_WHITESPACE:
		memcpy(b.b, "   ", 3);
		b.n = 3;
		break;
	case K_BOM_IN_ID:
		field_span(good, p->id, &a, &e);
		tn = (size_t)snprintf(t, sizeof t, "\xef\xbb\xbf%.*s", (int)(e - a), good->b + a);
		replace_field(&b, good, p->id, t, tn);
		break;
	case K_LATIN1:
		field_span(good, p->name >= 0 ? p->name : p->cur, &a, &e);
		replace_field(&b, good, p->name >= 0 ? p->name : p->cur,
		              p->name >= 0 ? "Jos\xe9 Pe\xf1""a" : "US\xc4", p->name >= 0 ? 9 : 3);
		break;
	case K_NUL:
		replace_field(&b, good, p->id, "", 0);
		{
			size_t k0 = good->off[p->id];
			memmove(b.b + k0 + 6, b.b + k0, b.n - k0);
			memcpy(b.b + k0, "AB\0" "CD", 5);
			b.b[k0 + 5] = '1';
			b.n += 6;
		}
		break;
	case K_CONTROL:
		field_span(good, p->id, &a, &e);
		tn = (size_t)snprintf(t, sizeof t, "%.*s\x1b[2J", (int)(e - a), good->b + a);
		replace_field(&b, good, p->id, t, tn);
		break;
	case K_HEADER_AGAIN:
		b.n = strlen(raw_header[f]);
		memcpy(b.b, raw_header[f], b.n);
		break;
	case K_DUP_CONFLICT:
		tn = fmt_money(t, money + 100, exp, raw_es[f] ? M_ES : M_CANON);
		if (good->sep == ',' && raw_es[f]) {
			memmove(t + 1, t, tn); t[0] = '"'; t[tn + 1] = '"'; tn += 2;
		}
		replace_field(&b, good, p->amount, t, tn);
		break;
	case K_DUP_IDENTICAL:
		break;
	case K_SCI_ID:
		replace_field(&b, good, p->id, "1.02E+09", 8);
		break;
	case K_WRONG_DECIMAL:
		if (good->sep == ',')
			replace_field(&b, good, p->amount, "\"150.000,00\"", 12);
		else
			replace_field(&b, good, p->amount, "150.000,00", 10);
		break;
	case K_BAD_DATE:
		if (raw_es[f])
			replace_field(&b, good, p->date, "30/02/2024", 10);
		else
			replace_field(&b, good, p->date, "2024-02-30", 10);
		break;
	case K_DPD_RANGE:
		replace_field(&b, good, p->dpd, "99999", 5);
		break;
	case K_BAD_CURRENCY:
		replace_field(&b, good, p->cur, "ZZZ", 3);
		break;
	case K_NO_AMOUNT:
		replace_field(&b, good, p->amount, "", 0);
		break;
	}
	if (raw_es[f] && kind != K_HEADER_AGAIN)
		b.n = to_cp1252(b.b, b.n);
	/* the side file: file, line, kind, expected outcome, account */
	if (x->nbad == x->badcap) {
		size_t cap = x->badcap;
		int rc;
		pthread_mutex_lock(&g_mu);
		rc = cx_grow((void **)&x->bad, &cap, x->nbad + 1, sizeof *x->bad);
		pthread_mutex_unlock(&g_mu);
		if (rc < 0)
			die_oom();
		x->badcap = cap;
	}
	x->bad[x->nbad].f = f;
	x->bad[x->nbad].kind = kind;
	x->bad[x->nbad].line = x->s[f].lines + 1;
	snprintf(x->bad[x->nbad].id, sizeof x->bad[x->nbad].id, "%s", id);
	sink_line(&x->s[f], &b, raw_es[f]);
	x->nbad++;
}

static void
raw_row(struct rawctx *x, int f, struct line *l, const char *id, int64_t money, int exp)
{
	struct line good;
	int bad = x->bad_rate > 0 && runif(&x->br) < x->bad_rate;

	if (bad)
		good = *l;
	raw_emit(x, f, l);
	if (bad)
		raw_bad(x, f, &good, id, money, exp);
}

/* formatted helpers for raw identity fields */
static void
raw_natid(char *out, size_t n, const struct cust *c, int style)
{
	const char *s = c->natid;

	if (c->country == US && style == 0)   /* 123-45-6789 */
		snprintf(out, n, "%.3s-%.2s-%.4s", s, s + 3, s + 5);
	else if (c->country == CO && style == 1)   /* 1.023.456.789 */
		snprintf(out, n, "%.1s.%.3s.%.3s.%.3s", s, s + 1, s + 4, s + 7);
	else
		snprintf(out, n, "%s", s);
}

static void
raw_phone(char *out, size_t n, const struct cust *c, int style)
{
	const char *p = c->phone;
	size_t cc = c->country == US ? 2 : 3;

	if (!*p) {
		out[0] = 0;
		return;
	}
	if (style == 0) {   /* "+57 300 123 4567" */
		const char *r = p + cc;
		size_t rn = strlen(r);
		snprintf(out, n, "%.*s %.3s %.3s %s", (int)cc, p, r, r + 3, rn > 6 ? r + 6 : "");
	} else
		snprintf(out, n, "%s", p);
}

static void
write_raw(struct cust *c, struct rawctx *x)
{
	struct line l;
	char buf[160], b2[64];
	int j, k;

	if (x->bad_rate > 0)
		rng_init(&x->br, g_seed, c->idx, 99);
	for (j = 0; j < c->nacc; j++) {
		struct acct *a = &c->a[j];
		int e = cur_exp[a->cur], fa, fp, fs;
		enum money_style ms;
		enum date_style ds;

		if (a->src == S_CARDS) {
			fa = R_CARDS_ACC; fp = R_CARDS_PAY; fs = R_CARDS_STMT; ms = M_EN; ds = D_ISO;
			ln_start(&l, ',');
			ln_str(&l, a->id);
			ln_str(&l, a->srccust);
			raw_natid(buf, sizeof buf, c, 0);
			ln_str(&l, buf);
			ln_csv(&l, c->name);
			snprintf(buf, sizeof buf, "%s", c->email);
			if ((c->idx & 3) == 1 && buf[0] >= 'a' && buf[0] <= 'z')
				buf[0] = (char)(buf[0] - 'a' + 'A');   /* exports keep what was typed */
			ln_str(&l, buf);
			raw_phone(buf, sizeof buf, c, 0);
			ln_str(&l, buf);
			ln_str(&l, country_code[c->country]);
			ln_str(&l, tz_name[c->tz]);
			ln_str(&l, c->lang ? "en" : "es");
			ln_str(&l, prod_code[a->prod]);
			ln_str(&l, cur_code[a->cur]);
			ln_money(&l, a->bal, e, ms);
			ln_money(&l, a->pastdue, e, ms);
			ln_money(&l, a->mindue, e, ms);
			ln_money(&l, a->limit, e, ms);
			ln_date(&l, a->due, ds);
			ln_i64(&l, a->dpd);
			ln_date(&l, a->open, ds);
		} else if (a->src == S_LOANS) {
			fa = R_LOANS_ACC; fp = R_LOANS_PAY; fs = R_LOANS_STMT; ms = M_ES; ds = D_DMY;
			ln_start(&l, ';');
			raw_natid(buf, sizeof buf, c, 1);
			ln_str(&l, buf);
			ln_csv(&l, c->name);
			ln_str(&l, a->id);
			ln_str(&l, a->prod == P_LOAN ? "loan" : a->prod == P_AUTO ? "auto" : "mortgage");
			ln_str(&l, cur_code[a->cur]);
			ln_money(&l, a->bal, e, ms);
			ln_money(&l, a->pastdue, e, ms);
			ln_money(&l, a->mindue, e, ms);
			ln_date(&l, a->due, ds);
			ln_i64(&l, a->dpd);
			ln_date(&l, a->open, ds);
		} else {
			fa = R_BILL_ACC; fp = R_BILL_PAY; fs = R_BILL_STMT; ms = M_CANON; ds = D_ISO;
			ln_start(&l, '|');
			ln_str(&l, a->id);
			ln_str(&l, a->srccust);
			ln_str(&l, c->natid);
			ln_str(&l, c->name);
			ln_str(&l, c->email);
			ln_str(&l, c->phone);
			ln_str(&l, country_code[c->country]);
			ln_str(&l, tz_name[c->tz]);
			ln_str(&l, c->lang ? "en" : "es");
			ln_str(&l, a->prod == P_TELCO ? "telco" : "utility");
			ln_str(&l, cur_code[a->cur]);
			ln_money(&l, a->bal, e, ms);
			ln_money(&l, a->pastdue, e, ms);
			ln_money(&l, a->mindue, e, ms);
			ln_date(&l, a->due, ds);
			ln_i64(&l, a->dpd);
			ln_date(&l, a->open, ds);
		}
		if (a->lastpay_amt >= 0) {
			ln_date(&l, a->lastpay, ds);
			ln_money(&l, a->lastpay_amt, e, ms);
		} else {
			ln_empty(&l);
			ln_empty(&l);
		}
		if (a->src == S_LOANS) {
			ln_str(&l, a->srccust);
			ln_str(&l, c->email);
			raw_phone(buf, sizeof buf, c, 1);
			ln_str(&l, buf);
			ln_str(&l, country_code[c->country]);
			ln_str(&l, tz_name[c->tz]);
			ln_str(&l, c->lang ? "en" : "es");
		}
		set_str(buf, sizeof buf, a->flags, flag_name, NFLAG);
		ln_csv(&l, buf);
		set_str(buf, sizeof buf, c->consents, chan_name, NCHAN);
		ln_csv(&l, buf);
		ln_str(&l, c->pref_chan >= 0 ? chan_name[c->pref_chan] : "");
		ln_str(&l, c->pref_hours >= 0 ? pref_hours[c->pref_hours] : "");
		if (x->want[ST_ACCOUNTS])
			raw_row(x, fa, &l, a->id, a->bal, e);

		for (k = 0; x->want[ST_PAYMENTS] && k < a->npay; k++) {
			ln_start(&l, raw_sep[fp]);
			ln_str(&l, a->id);
			ln_date(&l, a->pay[k].date, ds);
			ln_money(&l, a->pay[k].amt, e, ms);
			ln_str(&l, cur_code[a->cur]);
			ln_str(&l, method_name[c->country][a->pay[k].method]);
			raw_row(x, fp, &l, a->id, a->pay[k].amt, e);
		}
		for (k = 0; x->want[ST_STATEMENTS] && k < a->nstmt; k++) {
			ln_start(&l, raw_sep[fs]);
			ln_str(&l, a->id);
			ln_date(&l, a->st[k].date, ds);
			ln_money(&l, a->st[k].bal, e, ms);
			ln_money(&l, a->st[k].mindue, e, ms);
			ln_money(&l, a->st[k].paid, e, ms);
			ln_i64(&l, a->st[k].dpd);
			ln_str(&l, cur_code[a->cur]);
			raw_row(x, fs, &l, a->id, a->st[k].bal, e);
		}
	}
	for (k = 0; x->want[ST_CONTACTS] && k < c->ncont; k++) {
		struct contact *t = &c->c[k];
		struct acct *a = &c->a[c->order_id[t->acc]];
		ln_start(&l, ',');
		ln_str(&l, a->id);
		fmt_ts(buf, t->utc, t->off);
		ln_str(&l, buf);
		ln_str(&l, chan_name[t->chan]);
		ln_str(&l, t->in ? "in" : "out");
		ln_str(&l, outcome_name[t->outcome]);
		if (t->agent >= 0) {
			fmt_padded(b2, "AG", (uint64_t)t->agent, 4);
			ln_str(&l, b2);
		} else
			ln_str(&l, t->chan == C_PORTAL || t->chan == C_LETTER ? "" : "system");
		if (t->pamt >= 0) {
			ln_money(&l, t->pamt, cur_exp[a->cur], M_CANON);
			ln_date(&l, t->pdate, D_ISO);
			ln_str(&l, cur_code[a->cur]);
		} else {
			ln_empty(&l);
			ln_empty(&l);
			ln_empty(&l);
		}
		raw_row(x, R_CONTACTS, &l, a->id, t->pamt, cur_exp[a->cur]);
	}
}

/* ------------------------------------------------------------------ */
/* chunks of customers, generated by worker threads                     */

#define CHUNK 1024
#define NSLOT 8
#define MAXTHREADS 16
enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };
/* the canonical stream of each raw file (for --streams) */
static const int raw_stream[NRAW] = {
	ST_ACCOUNTS, ST_PAYMENTS, ST_STATEMENTS, ST_ACCOUNTS, ST_PAYMENTS, ST_STATEMENTS,
	ST_ACCOUNTS, ST_PAYMENTS, ST_STATEMENTS, ST_CONTACTS
};

struct keyent { uint64_t key; uint64_t idx; };

struct slot {
	int state;
	uint64_t chunk;
	struct rawctx x;    /* x.s[] are the chunk's buffers (canonical uses the first 4) */
};

struct gen_job {
	int raw;
	const struct keyent *keys;
	uint64_t ncust, nchunks, next;
	int last_maxacc;
	const int *want;
	double bad_rate;
	struct slot slot[NSLOT];
};

static void *
gen_worker(void *arg)
{
	struct gen_job *job = arg;
	struct cust *c;

	pthread_mutex_lock(&g_mu);   /* cx_mem's counters are not thread safe */
	c = cx_malloc(sizeof *c);
	pthread_mutex_unlock(&g_mu);
	if (!c)
		die_oom();
	for (;;) {
		uint64_t ck, i, i0, i1;
		struct slot *sl;
		int k;

		pthread_mutex_lock(&g_mu);
		if (job->next >= job->nchunks) {
			pthread_mutex_unlock(&g_mu);
			break;
		}
		ck = job->next++;
		sl = &job->slot[ck % NSLOT];
		while (sl->state != SLOT_FREE)
			pthread_cond_wait(&g_cv, &g_mu);
		sl->state = SLOT_BUSY;
		pthread_mutex_unlock(&g_mu);

		for (k = 0; k < NRAW; k++) {
			sl->x.s[k].n = 0;
			sl->x.s[k].lines = 0;
		}
		sl->x.nbad = 0;
		sl->x.bad_rate = job->bad_rate;
		i0 = ck * CHUNK;
		i1 = i0 + CHUNK < job->ncust ? i0 + CHUNK : job->ncust;
		for (i = i0; i < i1; i++) {
			uint64_t idx = job->raw ? i : job->keys[i].idx;
			gen_customer(idx, idx == job->ncust - 1 ? job->last_maxacc : MAXACC, c);
			if (job->raw) {
				write_raw(c, &sl->x);
			} else {
				c->key = job->keys[i].key;
				cx_identity_key_text(c->key, c->keytext);
				write_canonical(c, sl->x.s, job->want);
			}
		}
		pthread_mutex_lock(&g_mu);
		sl->chunk = ck;
		sl->state = SLOT_READY;
		pthread_cond_broadcast(&g_cv);
		pthread_mutex_unlock(&g_mu);
	}
	pthread_mutex_lock(&g_mu);
	cx_free(c);
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* driver                                                               */

static int
cmp_keyent(const void *x, const void *y)
{
	const struct keyent *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* LSD radix sort on the key (8 passes of 8 bits); ties keep index order */
static void
sort_keys(struct keyent *v, size_t n)
{
	struct keyent *tmp;
	size_t cnt[256], i;
	int pass;

	if (n < 2)
		return;   /* also: qsort must not get a NULL array (0 accounts) */
	if (n < 4096) {
		qsort(v, n, sizeof *v, cmp_keyent);
		return;
	}
	tmp = cx_malloc(n * sizeof *v);
	if (!tmp) {
		qsort(v, n, sizeof *v, cmp_keyent);
		return;
	}
	for (pass = 0; pass < 8; pass++) {
		struct keyent *src = (pass & 1) ? tmp : v, *dst = (pass & 1) ? v : tmp;
		size_t sum = 0;
		int sh = pass * 8;
		memset(cnt, 0, sizeof cnt);
		for (i = 0; i < n; i++)
			cnt[(src[i].key >> sh) & 255]++;
		for (i = 0; i < 256; i++) {
			size_t t = cnt[i];
			cnt[i] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i].key >> sh) & 255]++] = src[i];
	}
	cx_free(tmp);
}

static void
usage(FILE *f)
{
	fputs("Usage: cx-gen --accounts N --as-of YYYY-MM-DD --out DIR [options]\n"
	      "Write a deterministic synthetic collections portfolio.\n"
	      "\n"
	      "  -n, --accounts N       number of accounts (required)\n"
	      "  -s, --seed S           random seed (default 1)\n"
	      "  -a, --as-of DATE       run date YYYY-MM-DD (required)\n"
	      "  -o, --out DIR          output directory (created if missing)\n"
	      "  -F, --format FMT       canonical (default) or raw\n"
	      "      --streams LIST     canonical streams to write (default\n"
	      "                         accounts,payments,contacts,statements)\n"
	      "  -z, --gzip             gzip every output file\n"
	      "      --bad-rate R       raw: probability of a bad row after each row\n"
	      "                         (default 0); listed in bad_rows.tsv\n"
	      "      --hold-rate R      share of customers with a hold (default 0.02)\n"
	      "  -j, --threads N        worker threads (default: the number of CPUs);\n"
	      "                         the output does not depend on it\n"
	      "  -f, --force            replace existing output files\n"
	      "  -v, --verbose          print counts and throughput to stderr\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "accounts", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "streams", required_argument, NULL, 'S' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "bad-rate", required_argument, NULL, 'b' },
		{ "hold-rate", required_argument, NULL, 'H' },
		{ "threads", required_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *outdir = NULL, *asof = NULL;
	long long naccounts = -1;
	int raw = 0, gz = 0, force = 0, verbose = 0, opt_threads = 0, ch, want[NSTREAM] = { 1, 1, 1, 1 }, k;
	double bad_rate = 0;
	char *end;
	struct cx_tz_cache *tzc;
	struct cx_error err;
	uint64_t ncust = 0, total = 0;
	struct keyent *keys = NULL;
	size_t kcap = 0;
	struct timespec t0, t1;
	static struct sink out[NRAW], badout;
	int nout, last_maxacc = MAXACC, nthreads;
	uint64_t rows = 0, bytes = 0, nbad = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	cx_diag_init(PROG);
	cx_io_install_signal_cleanup();
	g_seed = 1;
	while ((ch = getopt_long(argc, argv, "n:s:a:o:F:j:zfvhV", lo, NULL)) != -1) {
		switch (ch) {
		case 'n':
			errno = 0;
			naccounts = strtoll(optarg, &end, 10);
			if (errno || *end || naccounts < 0 || naccounts > 1000000000LL)
				return cx_diag_usage("invalid --accounts '%s'", optarg);
			break;
		case 's':
			errno = 0;
			g_seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-')
				return cx_diag_usage("invalid --seed '%s'", optarg);
			break;
		case 'a': asof = optarg; break;
		case 'o': outdir = optarg; break;
		case 'F':
			if (strcmp(optarg, "raw") == 0)
				raw = 1;
			else if (strcmp(optarg, "canonical") == 0)
				raw = 0;
			else
				return cx_diag_usage("unknown --format '%s' (canonical or raw)", optarg);
			break;
		case 'S': {
			char tmp[256], *tok, *save;
			if (strlen(optarg) >= sizeof tmp)
				return cx_diag_usage("invalid --streams");
			strcpy(tmp, optarg);
			memset(want, 0, sizeof want);
			for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				for (k = 0; k < NSTREAM; k++)
					if (strcmp(tok, stream_name[k]) == 0)
						break;
				if (k == NSTREAM)
					return cx_diag_usage("unknown stream '%s' in --streams", tok);
				want[k] = 1;
			}
			break;
		}
		case 'z': gz = 1; break;
		case 'b':
			errno = 0;
			bad_rate = strtod(optarg, &end);
			if (errno || *end || !(bad_rate >= 0 && bad_rate <= 1))
				return cx_diag_usage("invalid --bad-rate '%s' (0 to 1)", optarg);
			break;
		case 'H':
			errno = 0;
			g_hold_rate = strtod(optarg, &end);
			if (errno || *end || !(g_hold_rate >= 0 && g_hold_rate <= 1))
				return cx_diag_usage("invalid --hold-rate '%s' (0 to 1)", optarg);
			break;
		case 'j':
			errno = 0;
			opt_threads = (int)strtol(optarg, &end, 10);
			if (errno || *end || opt_threads < 1 || opt_threads > MAXTHREADS)
				return cx_diag_usage("invalid --threads '%s' (1 to %d)", optarg, MAXTHREADS);
			break;
		case 'f': force = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': return cx_opt_version(PROG);
		default:
			fprintf(stderr, "Try 'cx-gen --help'.\n");
			return CX_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cx_diag_usage("unexpected argument '%s'", argv[optind]);
	if (naccounts < 0)
		return cx_diag_usage("--accounts is required");
	if (!asof || cx_opt_date(asof, &g_asof) < 0)
		return cx_diag_usage(asof ? "invalid --as-of '%s' (YYYY-MM-DD)" : "--as-of is required",
		                     asof);
	if (!outdir)
		return cx_diag_usage("--out is required");
	if (bad_rate > 0 && !raw)
		return cx_diag_usage("--bad-rate needs --format raw");
	if (mkdir(outdir, 0777) < 0 && errno != EEXIST) {
		cx_error_errno(&err, CX_ECREAT, errno, outdir, "cannot create directory");
		die_err(&err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* time zones from the system tz database */
	tzc = cx_tz_cache_new(NULL);
	if (!tzc)
		die_oom();
	for (k = 0; k < NTZ; k++) {
		tz_zone[k] = cx_tz_cache_get(tzc, tz_name[k], strlen(tz_name[k]), &err);
		if (!tz_zone[k])
			die_err(&err);
	}
	/* formatted dates from 60 years before to 3 years after the run date */
	date_base = g_asof - 60 * 366;
	date_cache_n = 63 * 366;
	date_cache = cx_malloc((size_t)date_cache_n * sizeof *date_cache);
	if (!date_cache)
		die_oom();
	for (k = 0; k < date_cache_n; k++) {
		int y, m, d;
		ymd_from_days(date_base + k, &y, &m, &d);
		snprintf(date_cache[k], 11, "%04d-%02d-%02d", y, m, d);
	}
	nthreads = opt_threads > 0 ? opt_threads : ncpu < 1 ? 1 : ncpu > MAXTHREADS ? MAXTHREADS : (int)ncpu;

	/* pass 1: customers, their account counts and (canonical) keys */
	for (total = 0; total < (uint64_t)naccounts; ncust++) {
		struct skel sk;
		last_maxacc = (int)((uint64_t)naccounts - total < MAXACC ?
		                    (uint64_t)naccounts - total : MAXACC);
		skeleton(ncust, last_maxacc, &sk);
		if (!raw) {
			if (ncust >= kcap && cx_grow((void **)&keys, &kcap, ncust + 1, sizeof *keys) < 0)
				die_oom();
			keys[ncust].key = skel_key(&sk);
			keys[ncust].idx = ncust;
		}
		total += (uint64_t)sk.nacc;
	}
	if (!raw)
		sort_keys(keys, ncust);

	/* outputs and their headers */
	nout = raw ? NRAW : NSTREAM;
	for (k = 0; k < nout; k++) {
		struct line l;
		char fname[64];
		int st = raw ? raw_stream[k] : k;
		if (!want[st])
			continue;
		if (raw) {
			snprintf(fname, sizeof fname, "%s", raw_file[k]);
			sink_open(&out[k], outdir, fname, gz, force);
			ln_start(&l, raw_sep[k]);
			ln_raw(&l, raw_header[k], strlen(raw_header[k]));
			if (raw_es[k])
				l.n = to_cp1252(l.b, l.n);
			sink_line(&out[k], &l, raw_es[k]);
		} else {
			size_t nc, m;
			const struct cx_column *cols = cx_schema_columns((enum cx_kind)k, &nc);
			snprintf(fname, sizeof fname, "%s.tsv", stream_name[k]);
			sink_open(&out[k], outdir, fname, gz, force);
			ln_start(&l, '\t');
			for (m = 0; m < nc; m++)
				ln_str(&l, cols[m].name);
			sink_line(&out[k], &l, 0);
		}
	}
	if (raw && bad_rate > 0) {
		struct line l;
		sink_open(&badout, outdir, "bad_rows.tsv", 0, force);
		ln_start(&l, '\t');
		ln_raw(&l, "file\tline\tkind\texpect\taccount_id", 32);
		sink_line(&badout, &l, 0);
	}

	/* pass 2: worker threads fill chunks of customers, this thread writes
	 * them in order; the output does not depend on the number of threads */
	{
		struct gen_job job;
		pthread_t th[MAXTHREADS];
		uint64_t ck;
		int t;

		memset(&job, 0, sizeof job);
		job.raw = raw;
		job.keys = keys;
		job.ncust = ncust;
		job.last_maxacc = last_maxacc;
		job.nchunks = (ncust + CHUNK - 1) / CHUNK;
		job.want = want;
		job.bad_rate = bad_rate;
		for (t = 0; t < NSLOT; t++)
			job.slot[t].x.want = want;
		for (t = 0; t < nthreads; t++)
			if (pthread_create(&th[t], NULL, gen_worker, &job) != 0) {
				cx_diag("cannot start a thread");
				exit(CX_EXIT_SOFTWARE);
			}
		for (ck = 0; ck < job.nchunks; ck++) {
			struct slot *sl = &job.slot[ck % NSLOT];
			size_t q;
			pthread_mutex_lock(&g_mu);
			while (!(sl->state == SLOT_READY && sl->chunk == ck))
				pthread_cond_wait(&g_cv, &g_mu);
			pthread_mutex_unlock(&g_mu);
			for (q = 0; q < sl->x.nbad; q++) {
				struct badrec *br = &sl->x.bad[q];
				struct line l;
				ln_start(&l, '\t');
				ln_str(&l, raw_file[br->f]);
				ln_i64(&l, out[br->f].lines + br->line);
				ln_str(&l, kind_name[br->kind]);
				ln_str(&l, kind_expect[br->kind]);
				ln_str(&l, br->id);
				sink_line(&badout, &l, 0);
			}
			nbad += sl->x.nbad;
			for (k = 0; k < nout; k++)
				if (out[k].out && sl->x.s[k].n) {
					sink_put(&out[k], sl->x.s[k].buf, sl->x.s[k].n);
					out[k].lines += sl->x.s[k].lines;
				}
			pthread_mutex_lock(&g_mu);
			sl->state = SLOT_FREE;
			pthread_cond_broadcast(&g_cv);
			pthread_mutex_unlock(&g_mu);
		}
		for (t = 0; t < nthreads; t++)
			pthread_join(th[t], NULL);
		for (t = 0; t < NSLOT; t++) {
			for (k = 0; k < NRAW; k++)
				cx_free(job.slot[t].x.s[k].buf);
			cx_free(job.slot[t].x.bad);
		}
	}
	for (k = 0; k < nout; k++)
		if (out[k].out) {
			rows += (uint64_t)out[k].lines - 1;
			bytes += out[k].bytes + out[k].n;
			sink_close(&out[k]);
		}
	if (badout.out)
		sink_close(&badout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (verbose) {
		double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		fprintf(stderr, "cx-gen: %llu customers, %llu accounts, %llu rows, %llu bad rows, "
		        "%.1f MB in %.2f s (%.0f accounts/s, %.1f MB/s)\n", (unsigned long long)ncust,
		        (unsigned long long)total, (unsigned long long)rows, (unsigned long long)nbad,
		        (double)bytes / 1e6, sec, (double)total / sec, (double)bytes / 1e6 / sec);
	}
	cx_free(keys);
	cx_free(date_cache);
	cx_tz_cache_free(tzc);
	return 0;
}
