/* fuzz_csv — the raw record reader (lib/cx_csv) on arbitrary bytes.
 *
 * The first input byte picks the dialect:
 *   bit 0  TSV mode (no quoting)        bit 1  header + ragged-row check
 *   bit 3  encoding cp1252              bits 4-5 delimiter: auto , ; |
 *   bit 6  tiny limits (field 64 B, record 256 B, 8 columns)
 * The rest is the file.  Every input is read with the fast path and again
 * without its one-pass split (CX_CSV_NOFUSED), and in CSV mode a third
 * time with every line through libcsv (CX_CSV_NOFAST); the runs must agree
 * record for record (same return codes, lines, fields, reasons, fatal
 * messages, final counters, mojibake count); a disagreement aborts.  Also
 * checks invariants: fields never hold NUL (they would have been a "NUL
 * byte" problem), fields are valid UTF-8, and the counters add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cx_csv.h"
#include "cx_utf8.h"

#define MAXLOG 4096

struct ev {
	int rc;
	long line;
	uint64_t hash;
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static size_t
run(const uint8_t *data, size_t size, const struct cx_csv_opts *o, struct ev *log)
{
	struct cx_error err;
	struct cx_csv_reader *r;
	size_t n = 0, i;
	int rc;

	cx_error_clear(&err);
	r = cx_csv_open_mem(data, size, "fuzz", o, &err);
	if (r == NULL) {
		log[0].rc = err.code;
		log[0].line = err.line;
		log[0].hash = 0;
		return 1;
	}
	for (;;) {
		rc = cx_csv_next(r, &err);
		if (n < MAXLOG) {
			uint64_t h = 0xcbf29ce484222325ULL;
			log[n].rc = rc;
			log[n].line = rc > 0 ? cx_csv_line(r) : err.line;
			if (rc == 1) {
				for (i = 0; i < cx_csv_nfields(r); i++) {
					const struct cx_field *f = &cx_csv_fields(r)[i];
					if (memchr(f->p, 0, f->n) != NULL || f->p[f->n] != '\0')
						abort();
					if (!cx_utf8_valid(f->p, f->n))
						abort();
					h = fnv(h, f->p, f->n + 1);
				}
			} else if (rc == 2) {
				struct cx_field raw = cx_csv_raw(r);
				h = fnv(h, cx_csv_reason(r), strlen(cx_csv_reason(r)));
				h = fnv(h, raw.p, raw.n);
				if (cx_csv_problem(r) == CX_CSV_P_NONE)
					abort();
			}
			else if (rc < 0)
				h = fnv(h, err.msg, strlen(err.msg));
			else
				h = fnv(h, (uint64_t[4]){cx_csv_records(r), cx_csv_problems(r),
				    cx_csv_blank_lines(r), cx_csv_mojibake(r)}, 4 * sizeof(uint64_t));
			log[n].hash = h;
			n++;
		}
		if (rc <= 0)
			break;
	}
	if (rc == 0 && cx_csv_records(r) + cx_csv_problems(r) + 0 > n)
		abort();
	cx_csv_close(r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two reads of one input must give the same results, lines and bytes. */
static void
same_events(const struct ev *a, size_t na, const struct ev *b, size_t nb)
{
	size_t i;

	if (na != nb)
		abort();
	for (i = 0; i < na; i++)
		if (a[i].rc != b[i].rc || a[i].line != b[i].line || a[i].hash != b[i].hash)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ev a[MAXLOG], b[MAXLOG];
	static const int delims[4] = {0, ',', ';', '|'};
	struct cx_csv_opts o;
	unsigned sel;
	size_t na, nb;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	memset(&o, 0, sizeof o);
	if (sel & 1)
		o.flags |= CX_CSV_TSV;
	else
		o.delim = delims[(sel >> 4) & 3];
	if (sel & 2)
		o.flags |= CX_CSV_HEADER | CX_CSV_RAGGED;
	if (sel & 8)
		o.encoding = CX_ENC_CP1252;
	if (sel & 64) {
		o.max_field_bytes = 64;
		o.max_record_bytes = 256;
		o.max_columns = 8;
	}
	na = run(data, size, &o, a);
	/* the one-pass split against copy-then-split (TSV mode too) */
	o.flags |= CX_CSV_NOFUSED;
	nb = run(data, size, &o, b);
	same_events(a, na, b, nb);
	if (o.flags & CX_CSV_TSV)
		return 0;
	o.flags &= ~(unsigned)CX_CSV_NOFUSED;
	o.flags |= CX_CSV_NOFAST;
	nb = run(data, size, &o, b);
	same_events(a, na, b, nb);
	return 0;
}
