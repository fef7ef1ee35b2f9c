#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cx_hash.h"
#include "cx_mem.h"
#include "cx_money.h"
#include "cx_tsv.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CHUNK (1024 * 1024)

struct cx_tsv_reader {
	struct cx_input *in;
	char *buf;             /* read buffer */
	size_t cap, start, end;/* unread bytes are buf[start..end) */
	int eof;
	size_t max_line;
	size_t ncols;
	char **colnames;
	char *rowbuf;          /* unescaped copy of the current row */
	size_t rowcap;
	struct cx_field *fields;
	struct cx_field raw;
	long line;
	uint64_t bytes;
	/* shard filter (cx_tsv_shard): rows of shard_k of shard_n by column
	 * shard_col; shard_n 0 = every row.  The verdict on the last key seen
	 * is kept: one customer's rows are consecutive. */
	unsigned shard_k, shard_n;
	int shard_col;
	int last_keep;         /* -1 = no key remembered */
	size_t last_n;
	char last_key[64];
};

/* Find the next line; sets *p and *n (without LF).  1 = line, 0 = EOF. */
static int
next_line(struct cx_tsv_reader *r, const char **p, size_t *n, struct cx_error *err)
{
	char *nl;
	ssize_t got;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			*p = r->buf + r->start;
			*n = (size_t)(nl - *p);
			r->start += *n + 1;
			r->bytes += *n + 1;
			break;
		}
		if (r->eof) {
			if (r->start == r->end)
				return 0;
			*p = r->buf + r->start;   /* last line without LF */
			*n = r->end - r->start;
			r->start = r->end;
			r->bytes += *n;
			break;
		}
		if (r->end - r->start > r->max_line)
			return cx_error_set(err, CX_ELIMIT, cx_input_name(r->in), r->line + 1,
			    "line longer than %zu bytes", r->max_line);
		/* Move the partial line to the front, grow if it fills the buffer. */
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->cap - r->end < CHUNK / 2) {
			char *nb;
			if (r->cap > r->max_line + 2 * (size_t)CHUNK)
				return cx_error_set(err, CX_ELIMIT, cx_input_name(r->in), r->line + 1,
				    "line longer than %zu bytes", r->max_line);
			nb = cx_realloc(r->buf, r->cap * 2);
			if (nb == NULL)
				return cx_error_set(err, CX_ENOMEM, cx_input_name(r->in), 0,
				    "out of memory");
			r->buf = nb;
			r->cap *= 2;
		}
		got = cx_input_read(r->in, r->buf + r->end, r->cap - r->end, err);
		if (got < 0)
			return (int)got;
		if (got == 0)
			r->eof = 1;
		r->end += (size_t)got;
	}
	r->line++;
	return 1;
}

unsigned
cx_tsv_shard_of(const char *key, size_t n, unsigned nshards)
{
	return (unsigned)(cx_hash64(key, n, 0) % nshards);
}

void
cx_tsv_shard(struct cx_tsv_reader *r, int key_col, unsigned k, unsigned nshards)
{
	r->shard_col = key_col;
	r->shard_k = k;
	r->shard_n = nshards > 1 ? nshards : 0;
	r->last_keep = -1;
}

/* The shard filter's verdict on an escaped line: 1 = keep, 0 = another
 * shard's, -1 = split it first (the key holds an escape or a CR, or the
 * line has fewer fields than the key's column: its errors belong to a
 * reader that splits it), then ask shard_mine. */
static int
shard_keep(struct cx_tsv_reader *r, const char *p, size_t n)
{
	const char *e = p + n, *k = p, *t;
	size_t kn, i;
	int keep;

	for (int c = 0; c < r->shard_col; c++) {
		if ((t = memchr(k, '\t', (size_t)(e - k))) == NULL)
			return -1;
		k = t + 1;
	}
	t = memchr(k, '\t', (size_t)(e - k));
	kn = (size_t)((t ? t : e) - k);
	if (r->last_keep >= 0 && kn == r->last_n && memcmp(k, r->last_key, kn) == 0)
		return r->last_keep;
	for (i = 0; i < kn; i++)
		if (k[i] == '\\' || k[i] == '\r')
			return -1;
	keep = cx_tsv_shard_of(k, kn, r->shard_n) == r->shard_k;
	r->last_keep = kn <= sizeof r->last_key ? keep : -1;
	r->last_n = kn;
	if (r->last_keep >= 0)
		memcpy(r->last_key, k, kn);
	return keep;
}

/* After a split: whether the row's (unescaped) key is in the shard. */
static int
shard_mine(const struct cx_tsv_reader *r, const struct cx_field *f)
{
	return cx_tsv_shard_of(f[r->shard_col].p, f[r->shard_col].n, r->shard_n) == r->shard_k;
}

/* The high bit of every byte of x that equals c (the "has a zero byte"
 * test on x XOR c): the lowest flag is exact, flags above it may be false
 * positives, so only whether any is set, or the lowest, may be used. */
static inline uint64_t
bytes_eq(uint64_t x, unsigned char c)
{
	uint64_t t = x ^ (0x0101010101010101u * c);
	return (t - 0x0101010101010101u) & ~t & 0x8080808080808080u;
}

/* Record the end of field k at d[o] (NUL-terminated there) and start field
 * k + 1 after it; an error when the row already has `expect` fields. */
#define FIELD_END(o_) do { \
		if (k + 1 >= expect) \
			return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line, \
			    "expected %zu fields, got more", expect); \
		f[k].n = (size_t)(d + (o_) - f[k].p); \
		d[(o_)] = '\0'; \
		f[++k].p = d + (o_) + 1; \
	} while (0)

/* Split an escaped line into f[] (at most expect fields), writing the
 * unescaped, NUL-terminated copy to d (n + 16 bytes: blocks of sixteen
 * are stored whole).  Bytes of the reader's buffer after the line, up to
 * r->buf + r->end, may be loaded (and ignored) to finish it in a block. */
static int
split_line(struct cx_tsv_reader *r, const char *p, size_t n, size_t expect, char *d,
           struct cx_field *f, size_t *nf, struct cx_error *err)
{
	size_t i = 0, k = 0, o = 0;

	f[0].p = d;
	for (;;) {
#ifdef __SSE2__
		/* Sixteen bytes at a time: copy them, then end a field at each
		 * tab before the first backslash or CR (until one, the copy is
		 * byte for byte, so a tab at p[i + b] is at d[o + b]). */
		while (i < n) {
			size_t len = n - i;
			unsigned lim;
			if (len >= 16)
				lim = 0xffff;
			else if (p + i + 16 <= r->buf + r->end)
				lim = (1u << len) - 1;
			else
				break;
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			unsigned tabs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))) & lim;
			unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')))) & lim;
			_mm_storeu_si128((__m128i *)(void *)(d + o), x);
			if (stop)
				tabs &= (1u << __builtin_ctz(stop)) - 1;
			while (tabs) {
				FIELD_END(o + (size_t)__builtin_ctz(tabs));
				tabs &= tabs - 1;
			}
			if (stop) {
				size_t skip = (size_t)__builtin_ctz(stop);
				i += skip;
				o += skip;
				break;
			}
			len = len < 16 ? len : 16;
			i += len;
			o += len;
		}
#endif
		/* The rest (or, after a backslash or CR, one byte) plainly. */
		if (i == n)
			break;
		char c = p[i];
		if (c == '\t') {
			FIELD_END(o);
			o++;
		} else if (c == '\\') {
			if (++i == n)
				return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line,
				    "backslash at end of line");
			switch (p[i]) {
			case '\\': d[o++] = '\\'; break;
			case 't': d[o++] = '\t'; break;
			case 'n': d[o++] = '\n'; break;
			case 'r': d[o++] = '\r'; break;
			default:
				return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line,
				    "invalid escape '\\%c' in field %zu", p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?', k + 1);
			}
		} else if (c == '\r') {
			return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line,
			    "carriage return in a canonical stream (CRLF line ends?)");
		} else {
			d[o++] = c;
		}
		i++;
	}
	f[k].n = (size_t)(d + o - f[k].p);
	d[o] = '\0';
	*nf = k + 1;
	return 0;
}
#undef FIELD_END

/* Split into the reader's own row buffer and field array. */
static int
split_row(struct cx_tsv_reader *r, const char *p, size_t n, size_t expect, size_t *nf,
          struct cx_error *err)
{
	if (n + 16 > r->rowcap) {
		size_t cap = r->rowcap;
		if (cx_grow((void **)&r->rowbuf, &cap, n + 16, 1) < 0)
			return cx_error_set(err, CX_ENOMEM, cx_input_name(r->in), 0, "out of memory");
		r->rowcap = cap;
	}
	return split_line(r, p, n, expect, r->rowbuf, r->fields, nf, err);
}

struct cx_tsv_reader *
cx_tsv_open(const char *path, const struct cx_tsv_opts *opts, struct cx_error *err)
{
	struct cx_tsv_reader *r;
	const char *p;
	size_t n, i, nf, maxcols;
	int rc;

	r = cx_calloc(1, sizeof *r);
	if (r == NULL) {
		cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	r->max_line = opts && opts->max_line_bytes ? opts->max_line_bytes
	                                           : CX_TSV_DEFAULT_MAX_LINE;
	maxcols = opts && opts->max_columns ? opts->max_columns : CX_TSV_DEFAULT_MAX_COLUMNS;
	r->in = cx_input_open(path, opts ? &opts->input : NULL, err);
	if (r->in == NULL)
		goto fail;
	r->cap = 2 * CHUNK;
	r->buf = cx_malloc(r->cap);
	if (r->buf == NULL) {
		cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
		goto fail;
	}
	rc = next_line(r, &p, &n, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		cx_error_set(err, CX_EDATA, cx_input_name(r->in), 0, "empty input (no header)");
		goto fail;
	}
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		cx_error_set(err, CX_EDATA, cx_input_name(r->in), 1,
		    "byte order mark in a canonical stream (use cx-ingest --kind table)");
		goto fail;
	}
	/* Count columns first to size the field array. */
	r->ncols = 1;
	for (i = 0; i < n; i++)
		if (p[i] == '\t' && ++r->ncols > maxcols) {
			cx_error_set(err, CX_ELIMIT, cx_input_name(r->in), 1,
			    "more than %zu columns (see --max-columns)", maxcols);
			goto fail;
		}
	r->fields = cx_calloc(r->ncols, sizeof *r->fields);
	r->colnames = cx_calloc(r->ncols, sizeof *r->colnames);
	if (r->fields == NULL || r->colnames == NULL) {
		cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
		goto fail;
	}
	if (split_row(r, p, n, r->ncols, &nf, err) < 0)
		goto fail;
	for (i = 0; i < r->ncols; i++) {
		size_t j;
		if (r->fields[i].n == 0) {
			cx_error_set(err, CX_EDATA, cx_input_name(r->in), 1,
			    "empty column name (column %zu)", i + 1);
			goto fail;
		}
		r->colnames[i] = cx_strndup(r->fields[i].p, r->fields[i].n);
		if (r->colnames[i] == NULL) {
			cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcmp(r->colnames[j], r->colnames[i]) == 0) {
				char esc[96];
				cx_diag_escape(esc, sizeof esc, r->colnames[i], strlen(r->colnames[i]), 60);
				cx_error_set(err, CX_EDATA, cx_input_name(r->in), 1,
				    "duplicate column name '%s'", esc);
				goto fail;
			}
	}
	return r;
fail:
	cx_tsv_close(r);
	return NULL;
}

int
cx_tsv_next(struct cx_tsv_reader *r, struct cx_error *err)
{
	const char *p;
	size_t n;
	int rc, keep;

	for (;;) {
		rc = next_line(r, &p, &n, err);
		if (rc <= 0)
			return rc;
		keep = r->shard_n ? shard_keep(r, p, n) : 1;
		if (keep == 0)
			continue;
		r->raw.p = p;
		r->raw.n = n;
		if ((rc = cx_tsv_split_raw(r, err)) < 0)
			return rc;
		if (keep > 0 || shard_mine(r, r->fields))
			return 1;
	}
}

/* cx_tsv_next in two steps, for a reader that needs a few fields of wide
 * rows: the next line only (cx_tsv_raw), then, when the caller cannot use
 * the raw bytes as they are, the split with cx_tsv_next's checks and
 * errors. */
int
cx_tsv_next_raw(struct cx_tsv_reader *r, struct cx_error *err)
{
	const char *p;
	size_t n;
	int rc = next_line(r, &p, &n, err);

	if (rc <= 0)
		return rc;
	r->raw.p = p;
	r->raw.n = n;
	return 1;
}

int
cx_tsv_split_raw(struct cx_tsv_reader *r, struct cx_error *err)
{
	size_t nf;

	if (split_row(r, r->raw.p, r->raw.n, r->ncols, &nf, err) < 0)
		return err ? err->code : CX_EDATA;
	if (nf != r->ncols)
		return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line,
		    "expected %zu fields, got %zu", r->ncols, nf);
	return 1;
}

size_t cx_tsv_ncols(const struct cx_tsv_reader *r) { return r->ncols; }
const struct cx_field *cx_tsv_fields(const struct cx_tsv_reader *r) { return r->fields; }
const char *cx_tsv_colname(const struct cx_tsv_reader *r, size_t i) { return r->colnames[i]; }
long cx_tsv_line(const struct cx_tsv_reader *r) { return r->line; }
const char *cx_tsv_name(const struct cx_tsv_reader *r) { return cx_input_name(r->in); }
struct cx_field cx_tsv_raw(const struct cx_tsv_reader *r) { return r->raw; }
uint64_t cx_tsv_bytes(const struct cx_tsv_reader *r) { return r->bytes; }
const struct cx_input *cx_tsv_input(const struct cx_tsv_reader *r) { return r->in; }

int
cx_tsv_col(const struct cx_tsv_reader *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->colnames[i], name) == 0)
			return (int)i;
	return -1;
}

int
cx_tsv_require(const struct cx_tsv_reader *r, const char *const *names, size_t n,
               int *idx, struct cx_error *err)
{
	char missing[256] = "", have[240] = "";
	size_t i, mlen = 0, hlen = 0;
	int nmiss = 0;

	for (i = 0; i < n; i++) {
		idx[i] = cx_tsv_col(r, names[i]);
		if (idx[i] < 0) {
			mlen += (size_t)snprintf(missing + mlen, mlen < sizeof missing ? sizeof missing - mlen : 0,
			    "%s'%s'", nmiss ? ", " : "", names[i]);
			if (mlen >= sizeof missing)
				mlen = sizeof missing - 1;
			nmiss++;
		}
	}
	if (nmiss == 0)
		return 0;
	for (i = 0; i < r->ncols && hlen < sizeof have - 1; i++) {
		char esc[64];
		cx_diag_escape(esc, sizeof esc, r->colnames[i], strlen(r->colnames[i]), 40);
		hlen += (size_t)snprintf(have + hlen, sizeof have - hlen, "%s%s", i ? ", " : "", esc);
	}
	return cx_error_set(err, CX_EDATA, cx_input_name(r->in), 1,
	    "missing required column%s %s; the file has: %s", nmiss > 1 ? "s" : "", missing, have);
}

void
cx_tsv_close(struct cx_tsv_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	cx_input_close(r->in);
	if (r->colnames != NULL)
		for (i = 0; i < r->ncols; i++)
			cx_free(r->colnames[i]);
	cx_free(r->colnames);
	cx_free(r->fields);
	cx_free(r->rowbuf);
	cx_free(r->buf);
	cx_free(r);
}

/* ---- grouper ------------------------------------------------------------ */

/* Rows are split straight from the read buffer into an arena (one copy,
 * no per-field allocation).  Two arenas alternate: the row that ends a
 * group is the first of the next one and must outlive the reset of the
 * arena that held the group before it. */
struct cx_tsv_grouper {
	struct cx_tsv_reader *r;
	int key_col;
	int sorted;
	int have_pending, done;
	size_t max_rows;
	struct cx_arena *arena[2];
	int cur;                  /* arena of the group being built */
	struct cx_tsv_group g;
	size_t rows_cap;
	struct cx_field *pend;    /* first row of the next group (in the other arena) */
	struct cx_field pend_raw;
	long pend_line;
	char *prev_key;
	size_t prev_cap;
};

struct cx_tsv_grouper *
cx_tsv_grouper_new(struct cx_tsv_reader *r, int key_col, size_t max_rows, struct cx_error *err)
{
	struct cx_tsv_grouper *gr = cx_calloc(1, sizeof *gr);

	if (gr == NULL || (gr->arena[0] = cx_arena_new(1 << 20)) == NULL ||
	    (gr->arena[1] = cx_arena_new(1 << 20)) == NULL) {
		if (gr != NULL)
			cx_arena_free(gr->arena[0]);
		cx_free(gr);
		cx_error_set(err, CX_ENOMEM, cx_tsv_name(r), 0, "out of memory");
		return NULL;
	}
	gr->r = r;
	gr->key_col = key_col;
	gr->sorted = 1;
	gr->max_rows = max_rows ? max_rows : 100000;
	gr->g.ncols = r->ncols;
	return gr;
}

void cx_tsv_grouper_sorted(struct cx_tsv_grouper *gr, int sorted) { gr->sorted = sorted; }

/* Read the next row into the current arena: *f its fields, *raw a copy of
 * its escaped line.  1 = row, 0 = end, <0 = error (as cx_tsv_next). */
static int
group_read(struct cx_tsv_grouper *gr, struct cx_field **f, struct cx_field *raw,
           struct cx_error *err)
{
	struct cx_tsv_reader *r = gr->r;
	struct cx_arena *a = gr->arena[gr->cur];
	const char *p;
	size_t n, nf;
	char *d;
	int rc, keep;

	for (;;) {
		rc = next_line(r, &p, &n, err);
		if (rc <= 0)
			return rc;
		keep = r->shard_n ? shard_keep(r, p, n) : 1;
		if (keep > 0)
			break;
		if (keep < 0) {
			/* rare (an escaped key): split a scratch copy to decide; a
			 * row that does not split is reported by the split below */
			if (split_row(r, p, n, r->ncols, &nf, err) < 0 || nf != r->ncols ||
			    shard_mine(r, r->fields))
				break;
		}
	}
	*f = cx_arena_alloc(a, r->ncols * sizeof **f);
	d = cx_arena_alloc(a, 2 * n + 17);   /* fields (n + 16, see split_line), raw */
	if (*f == NULL || d == NULL)
		return cx_error_set(err, CX_ENOMEM, cx_tsv_name(r), 0, "out of memory");
	memcpy(d + n + 16, p, n);
	d[2 * n + 16] = '\0';
	raw->p = d + n + 16;
	raw->n = n;
	/* The reader's current row is this one too (raw, line). */
	r->raw = *raw;
	if (split_line(r, p, n, r->ncols, d, *f, &nf, err) < 0)
		return err ? err->code : CX_EDATA;
	if (nf != r->ncols)
		return cx_error_set(err, CX_EDATA, cx_input_name(r->in), r->line,
		    "expected %zu fields, got %zu", r->ncols, nf);
	return 1;
}

/* Append a row already in an arena to the group. */
static int
group_push(struct cx_tsv_grouper *gr, struct cx_field *f, const struct cx_field *raw,
           long line, struct cx_error *err)
{
	struct cx_tsv_group *g = &gr->g;

	if (g->nrows == gr->max_rows)
		return cx_error_set(err, CX_ELIMIT, cx_tsv_name(gr->r), line,
		    "more than %zu rows for one customer", gr->max_rows);
	if (g->nrows == gr->rows_cap) {
		size_t c1 = gr->rows_cap, c2 = gr->rows_cap, c3 = gr->rows_cap;
		if (cx_grow((void **)&g->rows, &c1, g->nrows + 1, sizeof *g->rows) < 0 ||
		    cx_grow((void **)&g->raw, &c2, g->nrows + 1, sizeof *g->raw) < 0 ||
		    cx_grow((void **)&g->lines, &c3, g->nrows + 1, sizeof *g->lines) < 0)
			return cx_error_set(err, CX_ENOMEM, cx_tsv_name(gr->r), 0, "out of memory");
		gr->rows_cap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
	}
	g->raw[g->nrows] = *raw;
	g->lines[g->nrows] = line;
	g->rows[g->nrows++] = f;
	return 0;
}

int
cx_tsv_grouper_next(struct cx_tsv_grouper *gr, const struct cx_tsv_group **out,
                    struct cx_error *err)
{
	struct cx_tsv_reader *r = gr->r;
	struct cx_tsv_group *g = &gr->g;
	struct cx_field *f, raw;
	const struct cx_field *key;
	size_t keylen;
	int rc;

	if (gr->done)
		return 0;
	/* The pending row lives in the arena of the previous group; the other
	 * one held the group before it and is free now. */
	gr->cur ^= 1;
	cx_arena_reset(gr->arena[gr->cur]);
	g->nrows = 0;
	if (gr->have_pending) {
		f = gr->pend;
		raw = gr->pend_raw;
	} else {
		rc = group_read(gr, &f, &raw, err);
		if (rc <= 0) {
			gr->done = 1;
			return rc;
		}
		gr->pend_line = r->line;
	}
	/* That row starts the group. */
	key = &f[gr->key_col];
	if (key->n == 0)
		return cx_error_set(err, CX_EDATA, cx_tsv_name(r), gr->pend_line,
		    "empty '%s'", r->colnames[gr->key_col]);
	if (gr->prev_key != NULL && gr->sorted && strcmp(key->p, gr->prev_key) <= 0)
		return cx_error_set(err, CX_EDATA, cx_tsv_name(r), gr->pend_line,
		    "input not sorted by '%s'", r->colnames[gr->key_col]);
	if ((rc = group_push(gr, f, &raw, gr->pend_line, err)) < 0)
		return rc;
	g->key = key->p;
	keylen = key->n;
	for (;;) {
		rc = group_read(gr, &f, &raw, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			gr->have_pending = 0;
			gr->done = 1;
			break;
		}
		key = &f[gr->key_col];
		if (key->n != keylen || memcmp(key->p, g->key, keylen) != 0) {
			gr->have_pending = 1;
			gr->pend = f;
			gr->pend_raw = raw;
			gr->pend_line = r->line;
			break;
		}
		if ((rc = group_push(gr, f, &raw, r->line, err)) < 0)
			return rc;
	}
	if (cx_grow((void **)&gr->prev_key, &gr->prev_cap, keylen + 1, 1) < 0)
		return cx_error_set(err, CX_ENOMEM, cx_tsv_name(r), 0, "out of memory");
	memcpy(gr->prev_key, g->key, keylen + 1);
	/* When the next group was read, its first row is pending: the done
	 * flag must not hide it. */
	if (gr->have_pending)
		gr->done = 0;
	*out = g;
	return 1;
}

int
cx_tsv_grouper_seek(struct cx_tsv_grouper *gr, const struct cx_tsv_group **g, const char *key,
                    long *skipped, struct cx_error *err)
{
	int rc;

	for (;;) {
		if (*g == NULL) {
			rc = cx_tsv_grouper_next(gr, g, err);
			if (rc <= 0) {
				*g = NULL;
				return rc;
			}
		}
		if (strcmp((*g)->key, key) >= 0)
			return 1;
		(*skipped)++;
		*g = NULL;
	}
}

void
cx_tsv_grouper_free(struct cx_tsv_grouper *gr)
{
	if (gr == NULL)
		return;
	cx_arena_free(gr->arena[0]);
	cx_arena_free(gr->arena[1]);
	cx_free(gr->g.rows);
	cx_free(gr->g.raw);
	cx_free(gr->g.lines);
	cx_free(gr->prev_key);
	cx_free(gr);
}

/* ---- writer ------------------------------------------------------------- */

struct cx_tsv_writer {
	struct cx_output *out;
	int in_row;
	int failed;
	struct cx_error err;
};

struct cx_tsv_writer *
cx_tsv_writer_new(struct cx_output *out, struct cx_error *err)
{
	struct cx_tsv_writer *w = cx_calloc(1, sizeof *w);

	if (w == NULL) {
		cx_error_set(err, CX_ENOMEM, cx_output_name(out), 0, "out of memory");
		return NULL;
	}
	w->out = out;
	return w;
}

size_t
cx_tsv_escape(char *dst, const char *src, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		/* Eight bytes at a time while none is a backslash, tab, LF or
		 * CR; only bytes of the result are written. */
		while (i + 8 <= n) {
			uint64_t x;
			memcpy(&x, src + i, 8);
			if (bytes_eq(x, '\\') | bytes_eq(x, '\t') | bytes_eq(x, '\n') | bytes_eq(x, '\r'))
				break;
			memcpy(dst + o, src + i, 8);
			o += 8;
			i += 8;
		}
		if (i == n)
			break;
		char c = src[i];
		switch (c) {
		case '\\': dst[o++] = '\\'; dst[o++] = '\\'; break;
		case '\t': dst[o++] = '\\'; dst[o++] = 't'; break;
		case '\n': dst[o++] = '\\'; dst[o++] = 'n'; break;
		case '\r': dst[o++] = '\\'; dst[o++] = 'r'; break;
		default: dst[o++] = c;
		}
	}
	return o;
}

long
cx_tsv_unescape(char *buf, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\\') {
			buf[o++] = buf[i];
			continue;
		}
		if (++i == n)
			return -1;
		switch (buf[i]) {
		case '\\': buf[o++] = '\\'; break;
		case 't': buf[o++] = '\t'; break;
		case 'n': buf[o++] = '\n'; break;
		case 'r': buf[o++] = '\r'; break;
		default: return -1;
		}
	}
	return (long)o;
}

static int
w_fail(struct cx_tsv_writer *w)
{
	w->failed = 1;
	return w->err.code ? w->err.code : CX_EIO;
}

static int
put_bytes(struct cx_tsv_writer *w, const char *p, size_t n, int escape)
{
	char *d;

	if (w->failed)
		return w->err.code;
	if (w->in_row && cx_output_putc(w->out, '\t', &w->err) < 0)
		return w_fail(w);
	w->in_row = 1;
	while (n > 0) {
		size_t k = n > 16384 ? 16384 : n;
		d = cx_output_reserve(w->out, 2 * k, &w->err);
		if (d == NULL)
			return w_fail(w);
		if (escape && (memchr(p, '\\', k) || memchr(p, '\t', k) || memchr(p, '\n', k) ||
		               memchr(p, '\r', k)))
			cx_output_advance(w->out, cx_tsv_escape(d, p, k));
		else {
			memcpy(d, p, k);
			cx_output_advance(w->out, k);
		}
		p += k;
		n -= k;
	}
	return 0;
}

int cx_tsv_put(struct cx_tsv_writer *w, const char *p, size_t n) { return put_bytes(w, p, n, 1); }
int cx_tsv_puts(struct cx_tsv_writer *w, const char *s) { return put_bytes(w, s, strlen(s), 1); }
int cx_tsv_put_raw(struct cx_tsv_writer *w, const char *p, size_t n) { return put_bytes(w, p, n, 0); }

int
cx_tsv_put_i64(struct cx_tsv_writer *w, int64_t v)
{
	char buf[24], *e = buf + sizeof buf, *s = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		*--s = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--s = '-';
	return put_bytes(w, s, (size_t)(e - s), 0);
}

int
cx_tsv_put_money(struct cx_tsv_writer *w, int64_t minor, int exponent)
{
	char buf[CX_MONEY_BUFSZ];

	return put_bytes(w, buf, cx_money_format(buf, minor, exponent), 0);
}

int
cx_tsv_end_row(struct cx_tsv_writer *w)
{
	if (w->failed)
		return w->err.code;
	w->in_row = 0;
	if (cx_output_putc(w->out, '\n', &w->err) < 0)
		return w_fail(w);
	return 0;
}

int
cx_tsv_put_row(struct cx_tsv_writer *w, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cx_tsv_puts(w, fields[i] ? fields[i] : "") < 0)
			return w->err.code;
	return cx_tsv_end_row(w);
}

int
cx_tsv_writer_error(const struct cx_tsv_writer *w, struct cx_error *err)
{
	if (!w->failed)
		return 0;
	if (err != NULL)
		*err = w->err;
	return w->err.code ? w->err.code : CX_EIO;
}

void cx_tsv_writer_free(struct cx_tsv_writer *w) { cx_free(w); }
