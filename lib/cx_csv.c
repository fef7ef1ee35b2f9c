/* cx_csv — raw record reader; see cx_csv.h for the dialect and contract.
 *
 * How it works.  Input is read in 256 KiB chunks into a sliding buffer that
 * always keeps the bytes of the record being read (so a record's raw bytes
 * are contiguous for the reject file, and line numbers are exact).  Outside
 * a record the reader itself skips line ends, counting lines (LF, CRLF and
 * lone CR each end one line) and blank lines.  A record starts at the first
 * other byte:
 *  - fast path: the record's line is copied once and split by hand on the
 *    delimiter and quote bytes (found 64 bytes at a time); a quoted field
 *    that closes on the line is unquoted in place ('""' -> '"') — exactly
 *    what libcsv in strict mode with a keep-bytes space function returns.
 *    For a line of up to WHOLE_MAX bytes (fast_line) the copy, the search
 *    for its line end and the look for control and non-ASCII bytes are the
 *    same pass; the buffer keeps PAD zero bytes after the data for it;
 *  - otherwise (a quoted field runs past the line end, any quote error, any
 *    limit; also a long line that may hit a limit before its end is read)
 *    the record restarts from its first byte in libcsv, which gives the
 *    record, problem or fatal message exactly as CX_CSV_NOFAST does.
 *    libcsv (CSV_STRICT|CSV_STRICT_FINI) is fed one line at a
 *    time (each piece ends at the first CR or LF), so the record ends at the
 *    end of the piece that made libcsv call the record callback.  A quoted
 *    field that holds line ends simply takes several pieces.
 * libcsv's field buffer grows in 64 KiB blocks through a realloc function
 * capped at max_field_bytes (+ one block); hitting the cap is
 * "field exceeds N bytes".  After a strict error the parser is reset with
 * csv_fini(p, NULL, NULL, NULL) (never with callbacks: that would deliver
 * the partial record and clear the error) and the input resynchronised at
 * the next line end.
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cx_csv.h"
#include "cx_mem.h"
#include "cx_utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK (256u << 10)
#define CSV_BLK (64u << 10)
#define PAD 64u     /* zero bytes kept after the data: fast_line reads 64 at a time */

struct scan_cache {
	size_t at;    /* found: position of the byte; else searched up to here */
	int found;
};

struct cx_csv_reader {
	struct cx_input *in;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	char name[256];
	struct cx_csv_opts o;
	int delim;
	int quote;               /* '"' or -1 (TSV) */
	struct csv_parser cp;
	int cp_ready;

	unsigned char *buf;
	size_t cap, pos, end;
	int eof;

	/* record being read */
	int in_rec, slow;
	size_t rec_start, scan;
	long rec_line;
	long line;               /* line of the byte at pos */
	int prev_cr;             /* last byte consumed was CR */
	int term_pending;        /* the next line end terminates the last record */
	struct scan_cache lf, cr;

	/* fields */
	char *fbuf;
	size_t fcap, flen;
	size_t *foff;
	struct cx_field *fields;
	size_t fieldcap, nf;
	char *tbuf;              /* cp1252 -> UTF-8 */
	size_t tcap;
	int cb_got, cb_toomany, cb_toobig, cb_nomem;
	/* what fast_line learnt of the record's bytes (fx set), for
	 * finish_record: no control byte; first byte >= 0x80 at fx_hi;
	 * fx_u8: every such byte is in a well-formed 2-byte sequence;
	 * fx_moji: a C3 82..9F / C3 A2 pair (mojibake may be counted) */
	int fx, fx_u8, fx_moji;
	size_t fx_hi;
	const char *fx_tlo, *fx_thi; /* the span of fbuf holding every high byte, or NULL */

	/* current result */
	size_t raw_off, raw_len;
	long cur_line;
	int problem;
	char reason[160];

	int had_bom;
	size_t header_width;
	int header_seen;
	uint64_t records, problems, blank, mojibake;
};

/* ---- small helpers ---------------------------------------------------- */

const char *
cx_csv_delim_name(int d)
{
	switch (d) {
	case ',': return "','";
	case ';': return "';'";
	case '\t': return "TAB";
	case '|': return "'|'";
	default: return "the delimiter";
	}
}

static size_t csv_cap;  /* libcsv's realloc hook has no user pointer */

static void *
capped_realloc(void *p, size_t n)
{
	if (n > csv_cap)
		return NULL;
	return cx_realloc(p, n);
}

static int
keep_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
nomem(struct cx_csv_reader *r, struct cx_error *err)
{
	return cx_error_set(err, CX_ENOMEM, r->name, 0, "out of memory");
}

/* Position of byte c at or after `from` (absolute), or r->end. */
static size_t
find_byte(struct cx_csv_reader *r, struct scan_cache *sc, int c, size_t from)
{
	const unsigned char *q;
	size_t s;

	if (sc->found && sc->at >= from)
		return sc->at;
	s = (!sc->found && sc->at > from) ? sc->at : from;
	if (s < r->end && (q = memchr(r->buf + s, c, r->end - s)) != NULL) {
		sc->found = 1;
		sc->at = (size_t)(q - r->buf);
		return sc->at;
	}
	sc->found = 0;
	sc->at = r->end;
	return r->end;
}

static size_t
find_eol_here(struct cx_csv_reader *r, size_t from)
{
	size_t a = find_byte(r, &r->lf, '\n', from);
	size_t b = find_byte(r, &r->cr, '\r', from);
	return a < b ? a : b;
}

static void
shift_cache(struct scan_cache *sc, size_t shift)
{
	if (sc->at >= shift)
		sc->at -= shift;
	else
		sc->at = 0, sc->found = 0;
}

static int
record_limit(struct cx_csv_reader *r, struct cx_error *err)
{
	if (r->slow && !r->cb_got && r->line > r->rec_line)
		return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
		    "unterminated quoted field starting at line %ld (record exceeds %zu bytes)",
		    r->rec_line, r->o.max_record_bytes);
	return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
	    "record exceeds %zu bytes", r->o.max_record_bytes);
}

/* Read more input.  Returns >0 bytes added, 0 at end, <0 fatal. */
static int
fill(struct cx_csv_reader *r, struct cx_error *err)
{
	size_t keep, shift, want;
	ssize_t n;

	if (r->eof)
		return 0;
	keep = r->in_rec ? r->rec_start : r->pos;
	if (r->in_rec && r->end - r->rec_start > r->o.max_record_bytes)
		return record_limit(r, err);
	if (keep > 0) {
		shift = keep;
		memmove(r->buf, r->buf + shift, r->end - shift);
		r->end -= shift;
		r->pos -= shift;
		if (r->in_rec) {
			r->rec_start -= shift;
			r->scan -= shift;
		}
		shift_cache(&r->lf, shift);
		shift_cache(&r->cr, shift);
	}
	want = CHUNK;
	if (r->in == NULL && r->mem_len - r->mem_pos < want)
		want = r->mem_len - r->mem_pos + 1;   /* small memory inputs */
	if (r->cap - r->end < want + PAD) {
		size_t ncap = r->cap * 2;
		unsigned char *nb;
		if (ncap < r->end + want + PAD)
			ncap = r->end + want + PAD;
		nb = cx_realloc(r->buf, ncap);
		if (nb == NULL)
			return nomem(r, err);
		r->buf = nb;
		r->cap = ncap;
	}
	if (r->in != NULL) {
		n = cx_input_read(r->in, r->buf + r->end, want, err);
		if (n < 0)
			return (int)n;
	} else {
		size_t k = r->mem_len - r->mem_pos;
		if (k > want)
			k = want;
		memcpy(r->buf + r->end, r->mem + r->mem_pos, k);
		r->mem_pos += k;
		n = (ssize_t)k;
	}
	if (n == 0) {
		r->eof = 1;
		memset(r->buf + r->end, 0, PAD);
		return 0;
	}
	r->end += (size_t)n;
	memset(r->buf + r->end, 0, PAD);
	return 1;
}

/* Count the line end in n bytes consumed from a piece: by construction
 * only the last byte of a piece can be CR or LF. */
static void
count_lines(struct cx_csv_reader *r, const unsigned char *p, size_t n)
{
	unsigned char c;

	if (n == 0)
		return;
	c = p[n - 1];
	if (c == '\r') {
		r->line++;
		r->prev_cr = 1;
	} else {
		if (c == '\n' && (n > 1 || !r->prev_cr))
			r->line++;
		r->prev_cr = 0;
	}
}

/* ---- libcsv callbacks ------------------------------------------------- */

static int
ensure_fields(struct cx_csv_reader *r, size_t need)
{
	size_t c1 = r->fieldcap, c2 = r->fieldcap;

	if (need <= r->fieldcap)
		return 0;
	if (cx_grow((void **)&r->fields, &c1, need, sizeof *r->fields) < 0)
		return -1;
	if (cx_grow((void **)&r->foff, &c2, need, sizeof *r->foff) < 0)
		return -1;
	r->fieldcap = c1 < c2 ? c1 : c2;
	return 0;
}

static void
cb_field(void *f, size_t len, void *data)
{
	struct cx_csv_reader *r = data;

	if (r->nf >= r->o.max_columns) {
		r->cb_toomany = 1;
		return;
	}
	if (len > r->o.max_field_bytes) {
		r->cb_toobig = 1;
		return;
	}
	if ((r->nf >= r->fieldcap && ensure_fields(r, r->nf + 1) < 0) ||
	    (r->flen + len + 1 > r->fcap &&
	     cx_grow((void **)&r->fbuf, &r->fcap, r->flen + len + 1, 1) < 0)) {
		r->cb_nomem = 1;
		return;
	}
	if (len)
		memcpy(r->fbuf + r->flen, f, len);
	r->fbuf[r->flen + len] = '\0';
	r->foff[r->nf] = r->flen;
	r->fields[r->nf].n = len;
	r->nf++;
	r->flen += len + 1;
}

static void
cb_record(int c, void *data)
{
	struct cx_csv_reader *r = data;

	(void)c;
	r->cb_got = 1;
}

/* ---- open ------------------------------------------------------------- */

static int
detect_delim(const unsigned char *p, size_t n, int tsv)
{
	static const int cand[4] = {',', ';', '\t', '|'};
	size_t cnt[4] = {0, 0, 0, 0}, i;
	int inq = 0, k, best = 0;

	for (i = 0; i < n; i++) {
		if (!tsv && p[i] == '"') {
			inq = !inq;
			continue;
		}
		if (inq)
			continue;
		if (p[i] == '\n' || p[i] == '\r')
			break;
		for (k = 0; k < 4; k++)
			if (p[i] == cand[k])
				cnt[k]++;
	}
	for (k = 1; k < 4; k++)
		if (cnt[k] > cnt[best])
			best = k;
	return cand[best];
}

static struct cx_csv_reader *
reader_new(const char *name, const struct cx_csv_opts *opts, struct cx_error *err)
{
	struct cx_csv_reader *r = cx_calloc(1, sizeof *r);

	if (r == NULL) {
		cx_error_set(err, CX_ENOMEM, name, 0, "out of memory");
		return NULL;
	}
	if (opts != NULL)
		r->o = *opts;
	if (r->o.max_field_bytes == 0)
		r->o.max_field_bytes = CX_CSV_DEFAULT_MAX_FIELD;
	if (r->o.max_record_bytes == 0)
		r->o.max_record_bytes = CX_CSV_DEFAULT_MAX_RECORD;
	if (r->o.max_columns == 0)
		r->o.max_columns = CX_CSV_DEFAULT_MAX_COLUMNS;
	snprintf(r->name, sizeof r->name, "%s", name);
	r->line = 1;
	r->quote = (r->o.flags & CX_CSV_TSV) ? -1 : '"';
	return r;
}

static struct cx_csv_reader *
reader_start(struct cx_csv_reader *r, struct cx_error *err)
{
	size_t bom;

	if (r->o.encoding != CX_ENC_UTF8 && r->o.encoding != CX_ENC_CP1252) {
		cx_error_set(err, CX_EUSAGE, r->name, 0, "unknown encoding");
		goto fail;
	}
	if (r->o.flags & CX_CSV_TSV) {
		if (r->o.delim != 0 && r->o.delim != '\t') {
			cx_error_set(err, CX_EUSAGE, r->name, 0, "TSV mode needs the TAB delimiter");
			goto fail;
		}
		r->o.delim = '\t';
	}
	if (r->o.delim != 0 && (r->o.delim == '"' || r->o.delim == '\r' ||
	    r->o.delim == '\n' || r->o.delim == '\0' || r->o.delim < 0 || r->o.delim > 255)) {
		cx_error_set(err, CX_EUSAGE, r->name, 0, "invalid delimiter");
		goto fail;
	}
	/* first bytes: BOMs and delimiter detection */
	while (r->end < 4 && !r->eof)
		if (fill(r, err) < 0)
			goto fail;
	if (cx_bom_utf16(r->buf, r->end)) {
		cx_error_set(err, CX_EDATA, r->name, 1,
		    "input is UTF-16 (byte order mark %s); convert it first with "
		    "'iconv -f UTF-16 -t UTF-8'",
		    cx_bom_utf16(r->buf, r->end) == 1 ? "FF FE" : "FE FF");
		goto fail;
	}
	bom = cx_bom_utf8(r->buf, r->end);
	if (bom) {
		r->had_bom = 1;
		r->pos = bom;
	}
	if (r->o.delim == 0) {
		/* look at the whole first line when it fits in 1 MiB */
		while (!r->eof && memchr(r->buf + r->pos, '\n', r->end - r->pos) == NULL &&
		    memchr(r->buf + r->pos, '\r', r->end - r->pos) == NULL && r->end < (1u << 20))
			if (fill(r, err) < 0)
				goto fail;
		r->delim = detect_delim(r->buf + r->pos, r->end - r->pos, r->quote < 0);
	} else {
		r->delim = r->o.delim;
	}
	if (csv_init(&r->cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		nomem(r, err);
		goto fail;
	}
	r->cp_ready = 1;
	csv_set_delim(&r->cp, (unsigned char)r->delim);
	csv_set_quote(&r->cp, '"');
	csv_set_space_func(&r->cp, keep_space);
	csv_set_realloc_func(&r->cp, capped_realloc);
	csv_set_free_func(&r->cp, cx_free);
	csv_set_blk_size(&r->cp, CSV_BLK);
	return r;
fail:
	cx_csv_close(r);
	return NULL;
}

struct cx_csv_reader *
cx_csv_open(const char *path, const struct cx_csv_opts *opts, struct cx_error *err)
{
	struct cx_input *in;
	struct cx_csv_reader *r;

	in = cx_input_open(path, opts ? &opts->input : NULL, err);
	if (in == NULL)
		return NULL;
	r = reader_new(cx_input_name(in), opts, err);
	if (r == NULL) {
		cx_input_close(in);
		return NULL;
	}
	r->in = in;
	return reader_start(r, err);
}

struct cx_csv_reader *
cx_csv_open_mem(const void *buf, size_t len, const char *name,
                const struct cx_csv_opts *opts, struct cx_error *err)
{
	struct cx_csv_reader *r = reader_new(name ? name : "<memory>", opts, err);

	if (r == NULL)
		return NULL;
	r->mem = buf;
	r->mem_len = len;
	return reader_start(r, err);
}

void
cx_csv_close(struct cx_csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->cp_ready)
		csv_free(&r->cp);
	cx_input_close(r->in);
	cx_free(r->buf);
	cx_free(r->fbuf);
	cx_free(r->foff);
	cx_free(r->fields);
	cx_free(r->tbuf);
	cx_free(r);
}

/* ---- records ---------------------------------------------------------- */

static int
problem(struct cx_csv_reader *r, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
problem(struct cx_csv_reader *r, int kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
	r->problem = kind;
	r->problems++;
	return 2;
}

static void
parser_reset(struct cx_csv_reader *r)
{
	if (csv_fini(&r->cp, NULL, NULL, NULL) != 0) {
		/* an open quoted field: STRICT_FINI refuses; reset without it */
		csv_set_opts(&r->cp, CSV_STRICT);
		csv_fini(&r->cp, NULL, NULL, NULL);
		csv_set_opts(&r->cp, CSV_STRICT | CSV_STRICT_FINI);
	}
}

/* Scan raw bytes: first NUL, first other control, first non-ASCII. */
static void
scan_bytes(const unsigned char *p, size_t n, size_t *nul, size_t *ctl, size_t *hi)
{
	size_t i = 0;

	*nul = *ctl = *hi = (size_t)-1;
#if defined(__SSE2__)
	{
		/* 16 bytes at a time; the rest by the loop below.  One test
		 * per block in the usual case (printable ASCII only): the
		 * signed compare puts bytes >= 0x80 and every control byte
		 * in `low`, and only then are the three kinds told apart. */
		const __m128i c20 = _mm_set1_epi8(0x20), c7f = _mm_set1_epi8(0x7F);
		const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();

		while (i < n && n >= 16) {
			/* the last block overlaps the one before: `valid` drops
			 * the bytes already seen */
			size_t b = i + 16 <= n ? i : n - 16;
			unsigned valid = 0xFFFFu << (i - b) & 0xFFFFu;
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + b));
			unsigned low = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_cmplt_epi8(x, c20), _mm_cmpeq_epi8(x, c7f))) & valid;

			i = b + 16;
			if (!low)
				continue;
			unsigned high = (unsigned)_mm_movemask_epi8(x) & valid;
			unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, lf)), _mm_cmpeq_epi8(x, cr)));
			unsigned z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero)) & valid;
			unsigned c = low & ~high & ~ok & ~z;

			if (high && *hi == (size_t)-1)
				*hi = b + (size_t)__builtin_ctz(high);
			if (z && *nul == (size_t)-1)
				*nul = b + (size_t)__builtin_ctz(z);
			if (c && *ctl == (size_t)-1)
				*ctl = b + (size_t)__builtin_ctz(c);
		}
	}
#endif
	for (; i < n; i++) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			if (*hi == (size_t)-1)
				*hi = i;
		} else if (c == 0) {
			if (*nul == (size_t)-1)
				*nul = i;
		} else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
			if (*ctl == (size_t)-1)
				*ctl = i;
		}
	}
}

/* First byte >= 0x80 in [p, e), or NULL. */
static const char *
find_high(const char *p, const char *e)
{
#if defined(__SSE2__)
	for (; e - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)p));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	for (; p < e; p++)
		if ((unsigned char)*p >= 0x80)
			return p;
	return NULL;
}

/* cp1252 -> UTF-8, only the fields that hold a non-ASCII byte (the others
 * are the same bytes in UTF-8 and stay where they are).  The fields lie in
 * fbuf in order, separated by NUL or quote bytes only, so one scan of that
 * span finds the fields to transcode; [lo, hi), when given, is a part of
 * it known to hold every high byte. */
static int
transcode_fields(struct cx_csv_reader *r, const char *lo, const char *hi)
{
	size_t i = 0, o = 0, bad = 0;
	const char *q, *e;

	if (r->nf == 0)
		return 0;
	q = r->fields[0].p;
	e = r->fields[r->nf - 1].p + r->fields[r->nf - 1].n;
	if (cx_grow((void **)&r->tbuf, &r->tcap, CX_CP1252_MAXOUT((size_t)(e - q)) + r->nf, 1) < 0)
		return -1;
	if (lo != NULL) {
		/* fast_line knows where the high bytes are */
		q = lo;
		e = hi;
	}
	while ((q = find_high(q, e)) != NULL) {
		size_t k;

		while (r->fields[i].p + r->fields[i].n <= q)
			i++;
		k = cx_cp1252_to_utf8(r->fields[i].p, r->fields[i].n, r->tbuf + o, &bad);
		if (k == (size_t)-1) {
			const unsigned char *fp = (const unsigned char *)r->fields[i].p;
			problem(r, CX_CSV_P_ENCODING,
			    "byte 0x%02X in field %zu is not defined in cp1252", fp[bad], i + 1);
			return 1;
		}
		q = r->fields[i].p + r->fields[i].n;
		r->tbuf[o + k] = '\0';
		r->fields[i].p = r->tbuf + o;
		r->fields[i].n = k;
		o += k + 1;
		i++;
	}
	return 0;
}

/* A record is complete: raw = [rec_start, raw_end), fields in place. */
static int
finish_record(struct cx_csv_reader *r, size_t raw_end, struct cx_error *err)
{
	const unsigned char *raw = r->buf + r->rec_start;
	size_t n = raw_end - r->rec_start, nul, ctl, hi, i;
	int first = !r->header_seen, fx = r->fx;

	r->fx = 0;
	r->raw_off = r->rec_start;
	r->raw_len = n;
	r->cur_line = r->rec_line;
	r->problem = CX_CSV_P_NONE;
	r->reason[0] = '\0';
	r->header_seen = 1;

	for (i = 0; i < n && (raw[i] == ' ' || raw[i] == '\t') && raw[i] != r->delim; i++)
		;
	if (i == n) {
		problem(r, CX_CSV_P_WHITESPACE, "whitespace-only line");
		goto bad;
	}
	if (fx) {
		/* fast_line saw no control byte and where the first high one is */
		nul = ctl = (size_t)-1;
		hi = r->fx_hi;
	} else
		scan_bytes(raw, n, &nul, &ctl, &hi);
	if (nul != (size_t)-1) {
		problem(r, CX_CSV_P_CONTROL, "NUL byte");
		goto bad;
	}
	if (ctl != (size_t)-1) {
		problem(r, CX_CSV_P_CONTROL, "control byte 0x%02X", raw[ctl]);
		goto bad;
	}
	if (hi != (size_t)-1) {
		if (r->o.encoding == CX_ENC_UTF8 && fx && r->fx_u8) {
			/* well-formed (2-byte sequences only); a C3 82..9F or C3 A2
			 * pair is where a mojibake count starts */
			if (r->fx_moji && cx_utf8_mojibake_count(raw + hi, n - hi))
				r->mojibake++;
		} else if (r->o.encoding == CX_ENC_UTF8) {
			size_t off = cx_utf8_validate(raw + hi, n - hi);
			if (off != (size_t)-1) {
				problem(r, CX_CSV_P_ENCODING,
				    "invalid UTF-8 at byte %zu; try --encoding=cp1252", hi + off + 1);
				goto bad;
			}
			if (cx_utf8_mojibake_count(raw + hi, n - hi))
				r->mojibake++;
		} else {
			int t = transcode_fields(r, fx ? r->fx_tlo : NULL, fx ? r->fx_thi : NULL);
			if (t < 0)
				return nomem(r, err);
			if (t > 0)
				goto bad;
		}
	}
	if (first && (r->o.flags & CX_CSV_HEADER)) {
		r->header_width = r->nf;
		if (r->nf == 1) {
			static const int cand[4] = {';', ',', '\t', '|'};
			int k;
			for (k = 0; k < 4; k++)
				if (cand[k] != r->delim && strchr(r->fields[0].p, cand[k]) != NULL)
					return cx_error_set(err, CX_EDATA, r->name, r->rec_line,
					    "1 column found; file looks %s-delimited (use --delimiter %s)",
					    cx_csv_delim_name(cand[k]), cx_csv_delim_name(cand[k]));
		}
	} else if ((r->o.flags & (CX_CSV_HEADER | CX_CSV_RAGGED)) == (CX_CSV_HEADER | CX_CSV_RAGGED) &&
	    r->nf != r->header_width) {
		problem(r, CX_CSV_P_WIDTH, "expected %zu fields, got %zu", r->header_width, r->nf);
		return 2;
	}
	r->records++;
	return 1;
bad:
	if (first && (r->o.flags & CX_CSV_HEADER))
		return cx_error_set(err, CX_EDATA, r->name, r->rec_line, "header: %s", r->reason);
	return 2;
}

/* ---- fast path -------------------------------------------------------- */

/* Bit i of the result is set when p[i] is a or b (64 bytes from p). */
static uint64_t
mask2_64(const unsigned char *p, unsigned char a, unsigned char b)
{
#if defined(__SSE2__)
	const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
	uint64_t m = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		unsigned bits = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)));
		m |= (uint64_t)bits << (16 * k);
	}
	return m;
#else
	uint64_t m = 0;
	int k;

	for (k = 0; k < 64; k++)
		m |= (uint64_t)(p[k] == a || p[k] == b) << k;
	return m;
#endif
}

/* Finds the delimiter and quote bytes of a line copied to fbuf (zero padded
 * to a multiple of 64), one 64-byte block mask at a time. */
struct splitter {
	const unsigned char *p;
	size_t len, blk;
	uint64_t m;
	unsigned char a, b;
};

/* Position of the first delimiter or quote at or after `at`, or len. */
static inline size_t
next_special(struct splitter *s, size_t at)
{
	size_t blk = at & ~(size_t)63;
	uint64_t m;

	if (at >= s->len)
		return s->len;
	if (blk != s->blk) {
		s->blk = blk;
		s->m = mask2_64(s->p + blk, s->a, s->b);
	}
	m = s->m & (~(uint64_t)0 << (at & 63));
	while (m == 0) {
		s->blk += 64;
		if (s->blk >= s->len)
			return s->len;
		m = s->m = mask2_64(s->p + s->blk, s->a, s->b);
	}
	at = s->blk + (size_t)__builtin_ctzll(m);
	return at < s->len ? at : s->len;
}

/* Bits of p[0..63] equal to a (*ma) and to b (*mb). */
static void
mask_two_64(const unsigned char *p, unsigned char a, unsigned char b, uint64_t *ma,
            uint64_t *mb)
{
#if defined(__SSE2__)
	const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
	uint64_t x = 0, y = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		x |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, va)) << (16 * k);
		y |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vb)) << (16 * k);
	}
	*ma = x;
	*mb = y;
#else
	uint64_t x = 0, y = 0;
	int k;

	for (k = 0; k < 64; k++) {
		x |= (uint64_t)(p[k] == a) << k;
		y |= (uint64_t)(p[k] == b) << k;
	}
	*ma = x;
	*mb = y;
#endif
}

/* Bit i set when an odd number of bits at or below i are set in x. */
static inline uint64_t
prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

enum { WHOLE_MAX = 4096 };   /* longer lines take split_line's loop */

/* Field [start, e) of the copy b: terminated, and unquoted when it starts
 * with the quote (the line is known valid up to e).  `pairs`: a '""' may
 * be inside; else a quoted field is just its two quotes around the text. */
static inline void
put_field(struct cx_field *fld, unsigned char *b, size_t start, size_t e, int quote,
          int qseen, int pairs)
{
	unsigned char *f = b + start;
	size_t n = e - start;

	b[e] = '\0';
	if (qseen && n && f[0] == quote) {
		unsigned char *c = f + 1, *end = f + n - 1, *w, *qq = NULL;

		if (pairs) {
			for (w = c; w < end; w++)
				if (*w == quote) {
					qq = w;
					break;
				}
			if (qq) {
				w = qq + 1;
				for (c = qq + 2; c < end; c++) {
					*w++ = *c;
					if (*c == quote)
						c++;
				}
				end = w;
			}
		}
		*end = '\0';
		fld->p = (char *)f + 1;
		fld->n = (size_t)(end - (f + 1));
	} else {
		fld->p = (char *)f;
		fld->n = n;
	}
}

/* The common CSV line split from whole-line masks: quotes toggle "inside";
 * delimiters outside are the separators.  The line is first checked to be
 * one split_line's loop accepts as it is (every opening quote at a field
 * start or right after a closing one, as in '""'; every closing quote
 * followed by a separator, a quote or the line end; the line not ending
 * inside quotes; no limit near), with b untouched; only then are fields
 * unquoted and terminated in place, as that loop would.  Returns 0 when
 * done, 1 to let the loop decide (same bytes in b), <0 out of memory. */
static int
split_whole(struct cx_csv_reader *r, unsigned char *b, size_t len, size_t pad)
{
	const unsigned char delim = (unsigned char)r->delim, quote = (unsigned char)r->quote;
	uint64_t inside = 0, prev_sx = 1, prev_x = 0;   /* bit 0 of block 0: line start */
	size_t blk, nf = 0, start = 0, i;
	/* in locals: the stores to the fields and the bytes below could alias
	 * them otherwise, and they would be loaded again at every field */
	const size_t max_field = r->o.max_field_bytes, max_columns = r->o.max_columns;
	struct cx_field *fields = r->fields;
	size_t fieldcap = r->fieldcap;

	if (pad > WHOLE_MAX)
		return 1;
	for (blk = 0; blk < pad; blk += 64) {
		uint64_t d, q, ins, sep, x, o, end_bit;
		mask_two_64(b + blk, delim, quote, &d, &q);
		ins = prefix_xor(q) ^ inside;
		inside = (uint64_t)((int64_t)ins >> 63);
		sep = d & ~ins;
		x = q & ~ins;                   /* closing quotes */
		o = q & ins;                    /* opening quotes */
		end_bit = len - blk < 64 ? (uint64_t)1 << (len - blk) : 0;
		if (o & ~((sep << 1) | (x << 1) | prev_sx))
			return 1;
		if (((x << 1) | prev_x) & ~(sep | q | end_bit))
			return 1;
		prev_sx = ((sep | x) >> 63) & 1;
		prev_x = (x >> 63) & 1;
		while (sep) {
			size_t e = blk + (size_t)__builtin_ctzll(sep);
			sep &= sep - 1;
			if (e - start > max_field || nf + 1 >= max_columns)
				return 1;
			if (nf >= fieldcap) {
				if (ensure_fields(r, nf + 1) < 0)
					return -1;
				fields = r->fields;
				fieldcap = r->fieldcap;
			}
			fields[nf].p = (char *)b + start;
			fields[nf].n = e - start;
			nf++;
			start = e + 1;
		}
	}
	if (inside || len - start > max_field)
		return 1;
	if (nf >= fieldcap) {
		if (ensure_fields(r, nf + 1) < 0)
			return -1;
		fields = r->fields;
	}
	fields[nf].p = (char *)b + start;
	fields[nf].n = len - start;
	nf++;
	/* valid: unquote and terminate */
	for (i = 0; i < nf; i++) {
		size_t at = (size_t)((unsigned char *)fields[i].p - b);
		put_field(fields + i, b, at, at + fields[i].n, quote, 1, 1);
	}
	r->nf = nf;
	return 0;
}

/* ---- one-pass fast path ----------------------------------------------- */

/* Copies 64 bytes from src to dst and returns, one bit a byte, where they
 * are the delimiter (*md), the quote (*mq), and "special": below 0x20, DEL
 * or >= 0x80 (*ms; x + 1 < 0x21 signed), the only bytes that need a closer
 * look (mask_hi_eol) for line ends, control and non-ASCII bytes. */
#if defined(__SSE2__)
static inline void
load16(const unsigned char *src, unsigned char *dst, int k, __m128i vd, __m128i vq,
       uint64_t *d, uint64_t *q, uint64_t *s)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(src + 16 * k));

	_mm_storeu_si128((__m128i *)(void *)(dst + 16 * k), x);
	*d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) << (16 * k);
	*q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)) << (16 * k);
	*s |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(
	    _mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x21))) << (16 * k);
}
#endif

static inline void
load_block(const unsigned char *src, unsigned char *dst, unsigned char delim,
           unsigned char quote, uint64_t *md, uint64_t *mq, uint64_t *ms)
{
#if defined(__SSE2__)
	const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8((char)quote);
	uint64_t d = 0, q = 0, s = 0;

	/* unrolled: constant shifts, no loop */
	load16(src, dst, 0, vd, vq, &d, &q, &s);
	load16(src, dst, 1, vd, vq, &d, &q, &s);
	load16(src, dst, 2, vd, vq, &d, &q, &s);
	load16(src, dst, 3, vd, vq, &d, &q, &s);
	*md = d;
	*mq = q;
	*ms = s;
#else
	uint64_t d = 0, q = 0, s = 0;
	int k;

	for (k = 0; k < 64; k++) {
		unsigned char c = src[k];
		dst[k] = c;
		d |= (uint64_t)(c == delim) << k;
		q |= (uint64_t)(c == quote) << k;
		s |= (uint64_t)(c < 0x20 || c >= 0x7F) << k;
	}
	*md = d;
	*mq = q;
	*ms = s;
#endif
}

/* Bits of p[0..63] that are >= 0x80 (*hi) and CR or LF (*eol). */
static void
mask_hi_eol(const unsigned char *p, uint64_t *hi, uint64_t *eol)
{
#if defined(__SSE2__)
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	uint64_t h = 0, m = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		h |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * k);
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr))) << (16 * k);
	}
	*hi = h;
	*eol = m;
#else
	uint64_t h = 0, m = 0;
	int k;

	for (k = 0; k < 64; k++) {
		h |= (uint64_t)(p[k] >= 0x80) << k;
		m |= (uint64_t)(p[k] == '\n' || p[k] == '\r') << k;
	}
	*hi = h;
	*eol = m;
#endif
}

/* Bits of p[0..63] that are UTF-8 continuation bytes 80..BF (*cont), leads
 * of a 2-byte sequence C2..DF (*lead) and C3 (*c3). */
static void
mask_utf8(const unsigned char *p, uint64_t *cont, uint64_t *lead, uint64_t *c3)
{
#if defined(__SSE2__)
	const __m128i vc0 = _mm_set1_epi8((char)0xC0), vc1 = _mm_set1_epi8((char)0xC1);
	const __m128i ve0 = _mm_set1_epi8((char)0xE0), vc3 = _mm_set1_epi8((char)0xC3);
	uint64_t c = 0, l = 0, t = 0;
	int k;

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		/* signed: 80..BF < C0; C1 < C2..DF < E0 */
		c |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x, vc0)) << (16 * k);
		l |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpgt_epi8(x, vc1), _mm_cmplt_epi8(x, ve0))) << (16 * k);
		t |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vc3)) << (16 * k);
	}
	*cont = c;
	*lead = l;
	*c3 = t;
#else
	uint64_t c = 0, l = 0, t = 0;
	int k;

	for (k = 0; k < 64; k++) {
		c |= (uint64_t)(p[k] >= 0x80 && p[k] <= 0xBF) << k;
		l |= (uint64_t)(p[k] >= 0xC2 && p[k] <= 0xDF) << k;
		t |= (uint64_t)(p[k] == 0xC3) << k;
	}
	*cont = c;
	*lead = l;
	*c3 = t;
#endif
}

/* The common case in one pass: the record's line (its end within
 * WHOLE_MAX bytes of rec_start, already read, or the input's end) is
 * copied to fbuf 64 bytes at a time, and the same block masks give the
 * delimiters, quotes, line end, bytes >= 0x80 and control bytes; fields
 * are split and unquoted as split_whole does, with the same checks.  What
 * it learns of the bytes goes to finish_record (fx*): with no control
 * byte, and every byte >= 0x80 in a well-formed 2-byte UTF-8 sequence,
 * neither scan_bytes nor cx_utf8_validate has anything to find.  Returns 0
 * with the fields set and *eolp at the line end, 1 to leave the record to
 * the general code (only fbuf and the fields were written), 2 when no line
 * end is read yet (nor a reason for 1), <0 out of memory. */
static int
fast_line(struct cx_csv_reader *r, size_t *eolp)
{
	const unsigned char *src = r->buf + r->rec_start;
	const size_t avail = r->end - r->rec_start;
	const unsigned char delim = (unsigned char)r->delim;
	const int quote = r->quote;
	const unsigned char qb = quote >= 0 ? (unsigned char)quote : delim;
	const size_t max_field = r->o.max_field_bytes, max_columns = r->o.max_columns;
	const int utf8 = r->o.encoding == CX_ENC_UTF8;
	uint64_t inside = 0, prev_sx = 1, prev_x = 0, lead_carry = 0;
	size_t blk, nf = 0, start = 0, len = 0, hi_at = (size_t)-1, hi_end = 0;
	int ctl = 0, u8 = 1, moji = 0, qseen = 0, pairs = 0;
	struct cx_field *fields = r->fields;
	unsigned char *b;

	if (r->fcap < WHOLE_MAX + 64 &&
	    cx_grow((void **)&r->fbuf, &r->fcap, WHOLE_MAX + 64, 1) < 0)
		return -1;
	b = (unsigned char *)r->fbuf;
	for (blk = 0;; blk += 64) {
		uint64_t d, q, h = 0, low, keep = ~(uint64_t)0, end_bit = 0, sep, x, o;
		size_t lim = avail - blk;       /* > 0: blk < avail */
		int last = 0;

		if (blk >= WHOLE_MAX)
			return 1;
		load_block(src + blk, b + blk, delim, qb, &d, &q, &low);
		if (lim < 64)
			keep = ((uint64_t)1 << lim) - 1;
		if (low & keep) {
			uint64_t e;
			mask_hi_eol(b + blk, &h, &e);
			e &= keep;
			if (e) {
				lim = (size_t)__builtin_ctzll(e);
				keep = ((uint64_t)1 << lim) - 1;
				last = 1;
			}
			low &= ~h & keep;       /* controls and DEL before the end */
		} else
			low = 0;
		if (!last) {
			if (lim <= 64 && !r->eof)
				return 2;       /* the line goes on past what is read */
			last = lim <= 64;
		}
		if (last) {
			len = blk + lim;
			if (len > r->o.max_record_bytes)
				return 1;
			if (lim < 64)
				end_bit = (uint64_t)1 << lim;
		}
		d &= keep;
		h &= keep;
		q = quote >= 0 ? q & keep : 0;
		if (low && (delim != '\t' || (low & ~d)))
			ctl = 1;                /* finish_record looks closer */
		if (h || lead_carry) {
			if (h && hi_at == (size_t)-1)
				hi_at = blk + (size_t)__builtin_ctzll(h);
			if (h && !utf8)         /* for transcode_fields */
				hi_end = blk + 64 - (size_t)__builtin_clzll(h);
			if (utf8 && u8) {
				uint64_t c, l2, c3, want;
				mask_utf8(b + blk, &c, &l2, &c3);
				c &= keep;
				l2 &= keep;
				c3 &= keep;
				want = (l2 << 1) | lead_carry;
				lead_carry = l2 >> 63;
				if (c != want || (h & ~(c | l2)))
					u8 = 0;
				for (; c3; c3 &= c3 - 1) {
					unsigned char nb = src[blk + (size_t)__builtin_ctzll(c3) + 1];
					if ((nb >= 0x82 && nb <= 0x9F) || nb == 0xA2)
						moji = 1;
				}
			}
		}
		if (!(q | inside | prev_x)) {
			sep = d;
			prev_sx = d >> 63;
		} else {
			uint64_t ins = prefix_xor(q) ^ inside;
			inside = (uint64_t)((int64_t)ins >> 63);
			sep = d & ~ins;
			x = q & ~ins;           /* closing quotes */
			o = q & ins;            /* opening quotes */
			if (o & ~((sep << 1) | (x << 1) | prev_sx))
				return 1;
			if (((x << 1) | prev_x) & ~(sep | q | end_bit))
				return 1;
			if (((x << 1) | prev_x) & o)
				pairs = 1;      /* '""' */
			qseen = 1;
			prev_sx = ((sep | x) >> 63) & 1;
			prev_x = (x >> 63) & 1;
		}
		if (nf + 65 > r->fieldcap) {
			if (ensure_fields(r, nf + 65) < 0)
				return -1;
			fields = r->fields;
		}
		if (blk + 64 > max_field || nf + 65 >= max_columns) {
			/* a limit is near: every field checked */
			while (sep) {
				size_t e = blk + (size_t)__builtin_ctzll(sep);
				sep &= sep - 1;
				if (e - start > max_field || nf + 1 >= max_columns)
					return 1;
				put_field(fields + nf, b, start, e, quote, qseen, pairs);
				nf++;
				start = e + 1;
			}
		} else if (!qseen) {
			/* no quote so far: nothing to unquote */
			struct cx_field *fp = fields + nf;
			while (sep) {
				size_t e = blk + (unsigned)__builtin_ctzll(sep);
				sep &= sep - 1;
				b[e] = '\0';
				fp->p = (char *)b + start;
				fp->n = e - start;
				fp++;
				start = e + 1;
			}
			nf = (size_t)(fp - fields);
		} else if (!pairs) {
			/* a field that starts with a quote is "text" */
			struct cx_field *fp = fields + nf;
			while (sep) {
				size_t e = blk + (unsigned)__builtin_ctzll(sep);
				unsigned char *f = b + start;
				sep &= sep - 1;
				b[e] = '\0';   /* (an empty field: *f is that NUL) */
				if (*f == (unsigned char)quote) {
					b[e - 1] = '\0';
					fp->p = (char *)f + 1;
					fp->n = e - start - 2;
				} else {
					fp->p = (char *)f;
					fp->n = e - start;
				}
				fp++;
				start = e + 1;
			}
			nf = (size_t)(fp - fields);
		} else {
			while (sep) {
				size_t e = blk + (size_t)__builtin_ctzll(sep);
				sep &= sep - 1;
				put_field(fields + nf, b, start, e, quote, 1, pairs);
				nf++;
				start = e + 1;
			}
		}
		if (last)
			break;
	}
	if (inside || len - start > max_field)
		return 1;
	if (lead_carry)
		u8 = 0;                 /* a lead byte ends the line */
	put_field(fields + nf, b, start, len, quote, qseen, pairs);
	r->nf = nf + 1;
	r->fx = !ctl;
	r->fx_hi = hi_at;
	if (!utf8) {
		/* no '""' unescaped: every byte is where it was in the line */
		r->fx_tlo = pairs || hi_at == (size_t)-1 ? NULL : r->fbuf + hi_at;
		r->fx_thi = r->fbuf + hi_end;
	}
	r->fx_u8 = utf8 && u8;
	r->fx_moji = moji;
	*eolp = r->rec_start + len;
	return 0;
}

/* A limit is exceeded on the fast path: in CSV mode the line goes to
 * libcsv instead (returns 1), which reports it exactly as with
 * CX_CSV_NOFAST; in TSV mode (no libcsv) the error is reported here. */
enum { LIM_RECORD, LIM_COLUMNS, LIM_FIELD };

static int
fast_limit(struct cx_csv_reader *r, int which, struct cx_error *err)
{
	if (r->quote >= 0)
		return 1;
	if (which == LIM_RECORD)
		return record_limit(r, err);
	if (which == LIM_COLUMNS)
		return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
		    "more than %zu columns", r->o.max_columns);
	return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
	    "field exceeds %zu bytes", r->o.max_field_bytes);
}

/* The first n bytes of a record whose line end is not read yet: could
 * libcsv have hit a limit in them (a field or the record too long, too
 * many fields)?  Conservative; only asked once per chunk of a long line. */
static int
may_hit_limit(const struct cx_csv_reader *r, size_t n)
{
	const unsigned char *p = r->buf + r->rec_start, *e = p + n;
	size_t k = 0;

	if (n > r->o.max_field_bytes || n > r->o.max_record_bytes)
		return 1;
	if (n < r->o.max_columns)
		return 0;
	while ((p = memchr(p, r->delim, (size_t)(e - p))) != NULL) {
		if (++k >= r->o.max_columns)
			return 1;
		p++;
	}
	return 0;
}

/* Fast path: split the line [rec_start, eol) into fields.  Fields without
 * quotes are split on the delimiter; a quoted field that closes on the same
 * line ('""' inside it is one '"') is unquoted in place.  Returns 0 with the
 * fields set, 1 when the line needs libcsv (a quoted field that goes on past
 * the line end, a quote error of any kind, or any limit hit in CSV mode:
 * libcsv then produces exactly the record, problem or error), <0 fatal. */
static int
split_line(struct cx_csv_reader *r, size_t eol, struct cx_error *err)
{
	size_t len = eol - r->rec_start, nf = 0, pos = 0, pad;
	struct splitter s;
	unsigned char *b;
	const int quote = r->quote;
	/* in locals: the byte stores below could alias them otherwise */
	const size_t max_columns = r->o.max_columns, max_field = r->o.max_field_bytes;
	const unsigned char delim = (unsigned char)r->delim;
	struct cx_field *fields = r->fields;
	size_t fieldcap = r->fieldcap;

	if (len > r->o.max_record_bytes)
		return fast_limit(r, LIM_RECORD, err);
	pad = (len + 64) & ~(size_t)63;
	if (pad > r->fcap && cx_grow((void **)&r->fbuf, &r->fcap, pad, 1) < 0)
		return nomem(r, err);
	b = (unsigned char *)r->fbuf;
	memcpy(b, r->buf + r->rec_start, len);
	memset(b + len, 0, pad - len);
	if (quote >= 0) {
		int w = split_whole(r, b, len, pad);
		if (w <= 0)
			return w < 0 ? nomem(r, err) : 0;
		fields = r->fields;     /* it may have grown them */
		fieldcap = r->fieldcap;
	}
	s.p = b;
	s.len = len;
	s.blk = (size_t)-1;
	s.m = 0;
	s.a = (unsigned char)r->delim;
	s.b = quote >= 0 ? (unsigned char)quote : (unsigned char)r->delim;
	for (;;) {
		size_t start, end, q;

		if (nf >= max_columns)
			return fast_limit(r, LIM_COLUMNS, err);
		if (nf >= fieldcap) {
			if (ensure_fields(r, nf + 1) < 0)
				return nomem(r, err);
			fields = r->fields;
			fieldcap = r->fieldcap;
		}
		if (quote >= 0 && b[pos] == quote) {
			/* quoted: up to the closing quote, '""' kept as one '"' */
			size_t w = 0;    /* write position once a '""' moved bytes */

			start = pos + 1;
			q = start;
			for (;;) {
				size_t from = q;

				do
					q = next_special(&s, q);
				while (q < len && b[q] != quote && (q++, 1));
				if (q >= len)
					return 1;           /* goes on past the line end */
				if (w) {
					memmove(b + w, b + from, q - from);
					w += q - from;
				}
				if (q + 1 < len && b[q + 1] == quote) {
					if (!w)
						w = q + 1;  /* keep b[q] as the '"' */
					else
						b[w++] = (unsigned char)quote;
					q += 2;
					continue;
				}
				break;
			}
			end = w ? w : q;
			q++;                            /* past the closing quote */
			if (q < len && b[q] != delim)
				return 1;               /* character after closing quote */
			if (end - start > max_field)
				return 1;
		} else {
			start = pos;
			q = next_special(&s, pos);
			if (q < len && b[q] == quote)
				return 1;               /* quote inside unquoted field */
			end = q;
			if (end - start > max_field)
				return fast_limit(r, LIM_FIELD, err);
		}
		b[end] = '\0';
		fields[nf].p = (char *)b + start;
		fields[nf].n = end - start;
		nf++;
		if (q >= len)
			break;
		pos = q + 1;
	}
	r->nf = nf;
	return 0;
}

static int
slow_fatal(struct cx_csv_reader *r, struct cx_error *err)
{
	if (r->cb_nomem)
		return nomem(r, err);
	if (r->cb_toomany)
		return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
		    "more than %zu columns", r->o.max_columns);
	if (!r->cb_got && r->line > r->rec_line)
		return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
		    "unterminated quoted field starting at line %ld (field exceeds %zu bytes)",
		    r->rec_line, r->o.max_field_bytes);
	return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
	    "field exceeds %zu bytes", r->o.max_field_bytes);
}

static void
start_slow(struct cx_csv_reader *r)
{
	r->slow = 1;
	r->pos = r->rec_start;
	r->nf = 0;
	r->flen = 0;
	r->cb_got = r->cb_toomany = r->cb_toobig = r->cb_nomem = 0;
}

static void
fix_fields(struct cx_csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		r->fields[i].p = r->fbuf + r->foff[i];
}

int
cx_csv_next(struct cx_csv_reader *r, struct cx_error *err)
{
	int rc;

	r->problem = CX_CSV_P_NONE;
	for (;;) {
		if (!r->in_rec) {
			unsigned char c;

			if (r->pos == r->end) {
				rc = fill(r, err);
				if (rc < 0)
					return rc;
				if (rc > 0)
					continue;
				if ((r->o.flags & CX_CSV_HEADER) && !r->header_seen)
					return cx_error_set(err, CX_EDATA, r->name, 0,
					    "empty input (no header)");
				return 0;
			}
			c = r->buf[r->pos];
			if (c == '\n') {
				if (r->prev_cr) {
					r->prev_cr = 0;
				} else {
					if (r->term_pending)
						r->term_pending = 0;
					else
						r->blank++;
					r->line++;
				}
				r->pos++;
				continue;
			}
			if (c == '\r') {
				if (r->term_pending)
					r->term_pending = 0;
				else
					r->blank++;
				r->line++;
				r->prev_cr = 1;
				r->pos++;
				continue;
			}
			r->prev_cr = 0;
			r->term_pending = 0;
			r->in_rec = 1;
			r->slow = (r->o.flags & CX_CSV_NOFAST) && r->quote >= 0;
			r->rec_start = r->scan = r->pos;
			r->rec_line = r->line;
			if (r->slow)
				start_slow(r);
		}
		if (!r->slow) {
			size_t eol;

			int more = 0;

			if (r->scan == r->rec_start && !(r->o.flags & CX_CSV_NOFUSED)) {
				rc = fast_line(r, &eol);
				if (rc < 0)
					return nomem(r, err);
				if (rc == 0) {
					r->in_rec = 0;
					r->pos = eol;
					r->term_pending = 1;
					return finish_record(r, eol, err);
				}
				more = rc == 2;
			}
			/* after `more`, fast_line tries again once more is read
			 * (a short line: no memchr over the new chunk) */
			eol = more ? r->end : find_eol_here(r, r->scan);

			if (eol == r->end && !r->eof) {
				size_t pend = r->end - r->rec_start;
				if (r->quote >= 0 && may_hit_limit(r, pend)) {
					/* libcsv would see a limit in what is read so
					 * far: let it, for its exact words */
					start_slow(r);
					continue;
				}
				if (r->quote < 0 && pend > r->o.max_field_bytes) {
					/* TSV: an unquoted field larger than the cap */
					const unsigned char *d = memrchr(r->buf + r->rec_start, r->delim, pend);
					size_t flen = d ? (size_t)(r->buf + r->end - d - 1) : pend;
					if (flen > r->o.max_field_bytes)
						return cx_error_set(err, CX_ELIMIT, r->name, r->rec_line,
						    "field exceeds %zu bytes", r->o.max_field_bytes);
				}
				r->scan = more ? r->rec_start : r->end;
				rc = fill(r, err);
				if (rc < 0)
					return rc;
				continue;
			}
			rc = split_line(r, eol, err);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				start_slow(r);
				continue;
			}
			r->in_rec = 0;
			r->pos = eol;
			r->term_pending = 1;
			return finish_record(r, eol, err);
		}
		/* slow path: feed libcsv up to and including the next CR/LF */
		{
			size_t seg, n;
			int first;

			if (r->pos == r->end) {
				rc = fill(r, err);
				if (rc < 0)
					return rc;
				if (rc > 0)
					continue;
				/* end of input inside a record */
				csv_cap = r->o.max_field_bytes + CSV_BLK;
				if (csv_fini(&r->cp, cb_field, cb_record, r) != 0) {
					parser_reset(r);
					r->in_rec = 0;
					return cx_error_set(err, CX_EDATA, r->name, r->rec_line,
					    "unterminated quoted field starting at line %ld", r->rec_line);
				}
				r->in_rec = 0;
				r->slow = 0;
				if (r->cb_toomany || r->cb_toobig || r->cb_nomem)
					return slow_fatal(r, err);
				if (!r->cb_got)
					return 0;
				if (r->end - r->rec_start > r->o.max_record_bytes)
					return record_limit(r, err);
				fix_fields(r);
				return finish_record(r, r->end, err);
			}
			seg = find_eol_here(r, r->pos);
			if (seg < r->end)
				seg++;
			csv_cap = r->o.max_field_bytes + CSV_BLK;
			n = csv_parse(&r->cp, r->buf + r->pos, seg - r->pos, cb_field, cb_record, r);
			count_lines(r, r->buf + r->pos, n);
			if (n < seg - r->pos) {
				int st = csv_error(&r->cp);
				size_t at = r->pos + n, eol;
				int q = r->buf[at] == '"';

				r->pos = at;
				if (st != CSV_EPARSE) {
					if (st == CSV_ENOMEM &&
					    csv_get_buffer_size(&r->cp) >= r->o.max_field_bytes)
						r->cb_toobig = 1;
					else if (st == CSV_ENOMEM)
						r->cb_nomem = 1;
					return slow_fatal(r, err);
				}
				parser_reset(r);
				if (r->line > r->rec_line)
					return cx_error_set(err, CX_EDATA, r->name, r->rec_line,
					    "unterminated quoted field starting at line %ld (quote error at line %ld)",
					    r->rec_line, r->line);
				/* resync: the problem runs to the end of this line */
				r->scan = at;
				for (;;) {
					eol = find_eol_here(r, r->scan);
					if (eol < r->end || r->eof)
						break;
					r->scan = r->end;
					rc = fill(r, err);
					if (rc < 0)
						return rc;
				}
				if (eol - r->rec_start > r->o.max_record_bytes)
					return record_limit(r, err);
				r->raw_off = r->rec_start;
				r->raw_len = eol - r->rec_start;
				r->cur_line = r->rec_line;
				first = !r->header_seen;
				r->header_seen = 1;
				r->in_rec = 0;
				r->slow = 0;
				r->pos = eol;
				r->term_pending = 1;
				r->nf = 0;
				problem(r, CX_CSV_P_QUOTE, q ? "quote inside unquoted field" :
				    "unexpected character after closing quote");
				if (first && (r->o.flags & CX_CSV_HEADER))
					return cx_error_set(err, CX_EDATA, r->name, r->rec_line,
					    "header: %s", r->reason);
				return 2;
			}
			r->pos = seg;
			if (r->cb_toomany || r->cb_toobig || r->cb_nomem)
				return slow_fatal(r, err);
			if (r->cb_got) {
				size_t raw_end = seg - 1;
				if (raw_end - r->rec_start > r->o.max_record_bytes)
					return record_limit(r, err);
				r->in_rec = 0;
				r->slow = 0;
				fix_fields(r);
				return finish_record(r, raw_end, err);
			}
			if (r->pos - r->rec_start > r->o.max_record_bytes)
				return record_limit(r, err);
		}
	}
}

/* ---- accessors -------------------------------------------------------- */

size_t cx_csv_nfields(const struct cx_csv_reader *r) { return r->nf; }
const struct cx_field *cx_csv_fields(const struct cx_csv_reader *r) { return r->fields; }
long cx_csv_line(const struct cx_csv_reader *r) { return r->cur_line; }
const char *cx_csv_reason(const struct cx_csv_reader *r) { return r->reason; }
int cx_csv_problem(const struct cx_csv_reader *r) { return r->problem; }
int cx_csv_delim(const struct cx_csv_reader *r) { return r->delim; }
const char *cx_csv_name(const struct cx_csv_reader *r) { return r->name; }
int cx_csv_had_bom(const struct cx_csv_reader *r) { return r->had_bom; }
uint64_t cx_csv_records(const struct cx_csv_reader *r) { return r->records; }
uint64_t cx_csv_problems(const struct cx_csv_reader *r) { return r->problems; }
uint64_t cx_csv_blank_lines(const struct cx_csv_reader *r) { return r->blank; }
uint64_t cx_csv_mojibake(const struct cx_csv_reader *r) { return r->mojibake; }
size_t cx_csv_header_width(const struct cx_csv_reader *r) { return r->header_width; }

uint64_t
cx_csv_bytes(const struct cx_csv_reader *r)
{
	return r->in ? cx_input_bytes(r->in) : (uint64_t)r->mem_pos;
}

struct cx_field
cx_csv_raw(const struct cx_csv_reader *r)
{
	struct cx_field f;

	f.p = (const char *)r->buf + r->raw_off;
	f.n = r->raw_len;
	return f;
}
