/* cx_tz — TZif reader; see cx_tz.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_mem.h"
#include "cx_tz.h"

#define TZ_MAX_FILE (1u << 20)
#define TZ_MAX_TRANS 100000
#define TZ_MAX_TYPES 256

struct cx_tz {
	char name[128];
	size_t ntrans;
	int64_t *trans;       /* transition instants, ascending */
	uint8_t *idx;         /* type index after each transition */
	size_t ntypes;
	int32_t types[TZ_MAX_TYPES];
	int has_rule;
	struct cx_tz_rule rule;
};

/* ---- calendar helpers (proleptic Gregorian, H. Hinnant's algorithms) -- */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ---- POSIX TZ rule strings ------------------------------------------- */
static const char *
rule_name(const char *s)
{
	if (*s == '<') {
		s++;
		while (*s && *s != '>')
			s++;
		if (*s != '>')
			return NULL;
		return s + 1;
	}
	{
		const char *b = s;
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			s++;
		if (s - b < 3)
			return NULL;
	}
	return s;
}

/* [+-]hh[:mm[:ss]]; hours up to 167 (RFC 8536 extension). */
static const char *
rule_time(const char *s, int32_t *secs)
{
	int sign = 1;
	long h = 0, m = 0, sec = 0;
	int nd = 0;
	if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	while (*s >= '0' && *s <= '9' && nd < 3) {
		h = h * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || h > 167)
		return NULL;
	if (*s == ':') {
		s++;
		if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
			return NULL;
		m = (s[0] - '0') * 10 + (s[1] - '0');
		s += 2;
		if (*s == ':') {
			s++;
			if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
				return NULL;
			sec = (s[0] - '0') * 10 + (s[1] - '0');
			s += 2;
		}
	}
	if (m > 59 || sec > 59)
		return NULL;
	*secs = (int32_t)(sign * (h * 3600 + m * 60 + sec));
	return s;
}

static const char *
rule_num(const char *s, int *v, int lo, int hi)
{
	long x = 0;
	int nd = 0;
	while (*s >= '0' && *s <= '9' && nd < 4) {
		x = x * 10 + (*s++ - '0');
		nd++;
	}
	if (!nd || x < lo || x > hi)
		return NULL;
	*v = (int)x;
	return s;
}

static const char *
rule_date(const char *s, char *kind, int *m, int *w, int *d, int *n, int32_t *secs)
{
	*secs = 7200;
	*m = *w = *d = *n = 0;
	if (*s == 'M') {
		*kind = 'M';
		if (!(s = rule_num(s + 1, m, 1, 12)) || *s != '.')
			return NULL;
		if (!(s = rule_num(s + 1, w, 1, 5)) || *s != '.')
			return NULL;
		if (!(s = rule_num(s + 1, d, 0, 6)))
			return NULL;
	} else if (*s == 'J') {
		*kind = 'J';
		if (!(s = rule_num(s + 1, n, 1, 365)))
			return NULL;
	} else {
		*kind = 'n';
		if (!(s = rule_num(s, n, 0, 365)))
			return NULL;
	}
	if (*s == '/') {
		if (!(s = rule_time(s + 1, secs)))
			return NULL;
	}
	return s;
}

int
cx_tz_rule_parse(const char *s, struct cx_tz_rule *r)
{
	int32_t t;
	memset(r, 0, sizeof *r);
	if (!(s = rule_name(s)) || !(s = rule_time(s, &t)))
		return -1;
	r->std_off = -t;
	if (*s == '\0')
		return 0;
	if (!(s = rule_name(s)))
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!(s = rule_time(s, &t)))
			return -1;
		r->dst_off = -t;
	}
	if (*s == '\0') {
		/* POSIX default rule is implementation-defined; use the US rule. */
		r->start.kind = r->end.kind = 'M';
		r->start.m = 3; r->start.w = 2; r->start.d = 0; r->start.secs = 7200;
		r->end.m = 11; r->end.w = 1; r->end.d = 0; r->end.secs = 7200;
		return 0;
	}
	if (*s != ',')
		return -1;
	if (!(s = rule_date(s + 1, &r->start.kind, &r->start.m, &r->start.w, &r->start.d,
	                    &r->start.n, &r->start.secs)))
		return -1;
	if (*s != ',')
		return -1;
	if (!(s = rule_date(s + 1, &r->end.kind, &r->end.m, &r->end.w, &r->end.d,
	                    &r->end.n, &r->end.secs)))
		return -1;
	return *s == '\0' ? 0 : -1;
}

/* Day number (days since epoch) of a rule date in year y. */
static int64_t
rule_day(int64_t y, char kind, int m, int w, int d, int n)
{
	int64_t first, day;
	int wd, dim;
	if (kind == 'J') {
		day = days_from_civil(y, 1, 1) + n - 1;
		if (is_leap(y) && n >= 60)
			day++;
		return day;
	}
	if (kind == 'n')
		return days_from_civil(y, 1, 1) + n;
	first = days_from_civil(y, m, 1);
	wd = (int)(((first % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday (4) */
	day = first + ((d - wd + 7) % 7);
	dim = (m == 2) ? (is_leap(y) ? 29 : 28)
	      : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
	day += 7 * (w - 1);
	while (day - first >= dim)
		day -= 7;
	return day;
}

int32_t
cx_tz_rule_offset(const struct cx_tz_rule *r, int64_t utc)
{
	int64_t y, start, end;
	int m, d;
	if (!r->has_dst)
		return r->std_off;
	civil_from_days(floordiv(utc + r->std_off, 86400), &y, &m, &d);
	start = rule_day(y, r->start.kind, r->start.m, r->start.w, r->start.d, r->start.n) * 86400
	        + r->start.secs - r->std_off;
	end = rule_day(y, r->end.kind, r->end.m, r->end.w, r->end.d, r->end.n) * 86400
	      + r->end.secs - r->dst_off;
	if (start < end)
		return (utc >= start && utc < end) ? r->dst_off : r->std_off;
	return (utc >= end && utc < start) ? r->std_off : r->dst_off;
}

/* ---- TZif ------------------------------------------------------------ */
static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzhead { uint32_t isut, isstd, leap, time, type, chr; };

static int
read_head(const unsigned char *p, size_t n, struct tzhead *h, int *version)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	*version = p[4] == 0 ? 1 : p[4] - '0';
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chr = be32(p + 40);
	if (h->time > TZ_MAX_TRANS || h->type == 0 || h->type > TZ_MAX_TYPES ||
	    h->leap > 10000 || h->chr > 65536 || (h->isut && h->isut != h->type) ||
	    (h->isstd && h->isstd != h->type))
		return -1;
	return 0;
}

static size_t
block_size(const struct tzhead *h, int tsize)
{
	return (size_t)h->time * tsize + h->time + (size_t)h->type * 6 + h->chr +
	       (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

struct cx_tz *
cx_tz_parse(const unsigned char *p, size_t n, const char *name, struct cx_error *err)
{
	struct tzhead h;
	int version, tsize = 4;
	size_t off = 0, bs, i;
	struct cx_tz *tz;
	const unsigned char *q;
	const char *nm = name ? name : "";

	if (read_head(p, n, &h, &version) < 0)
		goto bad;
	bs = block_size(&h, 4);
	if (version >= 2) {
		if (n - 44 < bs)
			goto bad;
		off = 44 + bs;
		if (read_head(p + off, n - off, &h, &version) < 0)
			goto bad;
		tsize = 8;
		bs = block_size(&h, 8);
	}
	if (n - off - 44 < bs)
		goto bad;
	tz = cx_calloc(1, sizeof *tz);
	if (!tz) {
		cx_error_set(err, CX_ENOMEM, nm, 0, "out of memory");
		return NULL;
	}
	snprintf(tz->name, sizeof tz->name, "%s", nm);
	tz->ntrans = h.time;
	tz->ntypes = h.type;
	tz->trans = cx_calloc(h.time ? h.time : 1, sizeof *tz->trans);
	tz->idx = cx_calloc(h.time ? h.time : 1, 1);
	if (!tz->trans || !tz->idx) {
		cx_tz_free(tz);
		cx_error_set(err, CX_ENOMEM, nm, 0, "out of memory");
		return NULL;
	}
	q = p + off + 44;
	for (i = 0; i < h.time; i++) {
		tz->trans[i] = tsize == 8 ? be64(q) : (int64_t)(int32_t)be32(q);
		if (i && tz->trans[i] <= tz->trans[i - 1])
			goto badfree;
		q += tsize;
	}
	for (i = 0; i < h.time; i++) {
		tz->idx[i] = *q++;
		if (tz->idx[i] >= h.type)
			goto badfree;
	}
	for (i = 0; i < h.type; i++) {
		int32_t o = (int32_t)be32(q);
		if (o < -25 * 3600 || o > 26 * 3600 || q[5] >= h.chr + (h.chr == 0))
			goto badfree;
		tz->types[i] = o;
		q += 6;
	}
	q = p + off + 44 + bs;
	if (version >= 2 && q < p + n && *q == '\n') {
		const unsigned char *e = memchr(q + 1, '\n', (size_t)(p + n - q - 1));
		char buf[128];
		size_t len;
		if (!e)
			goto badfree;
		len = (size_t)(e - q - 1);
		if (len > 0) {
			if (len >= sizeof buf)
				goto badfree;
			memcpy(buf, q + 1, len);
			buf[len] = '\0';
			if (cx_tz_rule_parse(buf, &tz->rule) < 0)
				goto badfree;
			tz->has_rule = 1;
		}
	}
	return tz;
badfree:
	cx_tz_free(tz);
bad:
	cx_error_set(err, CX_EDATA, nm, 0, "malformed TZif time zone file");
	return NULL;
}

static int
name_ok(const char *name)
{
	const char *s;
	if (!*name || *name == '/' || strstr(name, "..") || strlen(name) > 100)
		return 0;
	for (s = name; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

struct cx_tz *
cx_tz_load(const char *dir, const char *name, struct cx_error *err)
{
	char path[512];
	char *buf;
	size_t len;
	struct cx_tz *tz;
	struct cx_error e2;

	if (!name_ok(name))
		return cx_error_set(err, CX_EUSAGE, "", 0, "invalid time zone name"), NULL;
	snprintf(path, sizeof path, "%s/%s", dir ? dir : CX_TZ_DEFAULT_DIR, name);
	cx_error_clear(&e2);
	buf = cx_read_file(path, TZ_MAX_FILE, &len, &e2);
	if (!buf) {
		cx_error_set(err, e2.code == CX_ENOMEM ? CX_ENOMEM : CX_ENOINPUT, "", 0,
		             "unknown time zone '%s' (no file in %s)", name,
		             dir ? dir : CX_TZ_DEFAULT_DIR);
		return NULL;
	}
	tz = cx_tz_parse((const unsigned char *)buf, len, name, err);
	cx_free(buf);
	return tz;
}

const char *
cx_tz_name(const struct cx_tz *tz)
{
	return tz->name;
}

int32_t
cx_tz_offset(const struct cx_tz *tz, int64_t utc)
{
	size_t lo, hi;
	if (tz->ntrans == 0) {
		if (tz->has_rule)
			return cx_tz_rule_offset(&tz->rule, utc);
		return tz->types[0];
	}
	if (utc < tz->trans[0])
		return tz->types[0];
	if (utc >= tz->trans[tz->ntrans - 1] && tz->has_rule)
		return cx_tz_rule_offset(&tz->rule, utc);
	lo = 0;
	hi = tz->ntrans;          /* invariant: trans[lo] <= utc < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return tz->types[tz->idx[lo]];
}

int64_t
cx_tz_from_local(const struct cx_tz *tz, int64_t local, int32_t *offset)
{
	/* Try the offsets in force a day before and a day after; a consistent
	 * one is a valid reading.  Prefer the earlier instant (overlap). */
	int32_t o1 = cx_tz_offset(tz, local - 86400 - 0);
	int32_t o2 = cx_tz_offset(tz, local + 86400);
	int64_t t1 = local - o1, t2 = local - o2;
	int ok1 = cx_tz_offset(tz, t1) == o1, ok2 = cx_tz_offset(tz, t2) == o2;
	int64_t t;
	if (ok1 && ok2)
		t = t1 < t2 ? t1 : t2;
	else if (ok1)
		t = t1;
	else if (ok2)
		t = t2;
	else
		t = t1;   /* gap: wall time read with the earlier offset */
	if (offset)
		*offset = cx_tz_offset(tz, t);
	return t;
}

void
cx_tz_free(struct cx_tz *tz)
{
	if (!tz)
		return;
	cx_free(tz->trans);
	cx_free(tz->idx);
	cx_free(tz);
}

/* ---- cache ----------------------------------------------------------- */
struct tz_entry {
	char *name;
	struct cx_tz *tz;          /* NULL when loading failed */
	struct cx_error err;
};

struct cx_tz_cache {
	char *dir;
	struct tz_entry *v;
	size_t n, cap;
};

struct cx_tz_cache *
cx_tz_cache_new(const char *dir)
{
	struct cx_tz_cache *c = cx_calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (dir && !(c->dir = cx_strdup(dir))) {
		cx_free(c);
		return NULL;
	}
	return c;
}

const struct cx_tz *
cx_tz_cache_get(struct cx_tz_cache *c, const char *name, size_t n, struct cx_error *err)
{
	size_t i;
	struct tz_entry *e;
	for (i = 0; i < c->n; i++) {
		e = &c->v[i];
		if (strlen(e->name) == n && memcmp(e->name, name, n) == 0) {
			if (!e->tz)
				*err = e->err;
			return e->tz;
		}
	}
	if (c->n >= 4096) {   /* a hostile stream naming endless zones */
		cx_error_set(err, CX_ELIMIT, "", 0, "too many distinct time zones");
		return NULL;
	}
	if (cx_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v) < 0)
		return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory"), NULL;
	e = &c->v[c->n];
	memset(e, 0, sizeof *e);
	if (!(e->name = cx_strndup(name, n)))
		return cx_error_set(err, CX_ENOMEM, "", 0, "out of memory"), NULL;
	c->n++;
	e->tz = cx_tz_load(c->dir, e->name, &e->err);
	if (!e->tz)
		*err = e->err;
	return e->tz;
}

void
cx_tz_cache_free(struct cx_tz_cache *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		cx_free(c->v[i].name);
		cx_tz_free(c->v[i].tz);
	}
	cx_free(c->v);
	cx_free(c->dir);
	cx_free(c);
}
