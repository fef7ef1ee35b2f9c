/* cx_report_int — internal interface between the accumulation
 * (cx_report.c) and rendering (cx_report_render.c) halves of cx_report.
 * Not for use outside cx_report*.c.
 *
 * Ownership: a struct rstore owns its cells, keys and notes (rs_free).
 * A struct cut only borrows its strings.
 */
#ifndef CX_REPORT_INT_H
#define CX_REPORT_INT_H

#include "cx_report.h"
#include "cx_report_math.h"

#define RS_SEP '\x1f'
#define RS_NF 7    /* measure, segment, product, arm, currency, dim1, dim2 */

struct cut {
	const char *seg, *prod, *arm, *cur;
};

struct rcell {
	char *key;    /* the RS_NF fields joined by RS_SEP */
	cx_i128 v;
	char *note;   /* violation detail text, or NULL */
};

struct rstore {
	struct cx_strmap *map;  /* key -> index in cells */
	struct rcell *cells;
	size_t n, cap;
	char *kbuf;
	size_t kcap;
	int oom;                /* a lookup could not build its key */
};

int rs_add(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2, cx_i128 delta, const char *note);
cx_i128 rs_get(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
               const char *d2);
int rs_has(struct rstore *s, const char *measure, const struct cut *c, const char *d1,
           const char *d2);
void rs_free(struct rstore *s);

int rp_accumulate(const struct cx_report_opts *o, struct rstore *st, struct cx_error *err);

#endif
