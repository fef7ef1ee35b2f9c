/* cx_tsv — the canonical stream format every cx tool reads and writes.
 *
 * Format (documented in cx(7)): UTF-8 text, LF line ends, one header line
 * of column names, fields separated by TAB.  Inside a field, four bytes are
 * escaped as in PostgreSQL's text COPY format: backslash as "\\", TAB as
 * "\t", LF as "\n", CR as "\r".  No other escapes exist; a backslash
 * followed by anything else is a structural error.  An empty field means
 * "no value".  Rows must have exactly as many fields as the header.
 *
 * Ownership: readers and writers are owned by the caller and released with
 * cx_tsv_close / cx_tsv_writer_free (accept NULL).  Field pointers returned
 * by a reader are borrowed: valid until the next cx_tsv_next() on it.
 * Fields are NUL-terminated (after unescaping) for convenience.
 */
#ifndef CX_TSV_H
#define CX_TSV_H

#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_io.h"

struct cx_field {
	const char *p;   /* NUL-terminated; never NULL ("" when empty) */
	size_t n;
};

#define CX_TSV_DEFAULT_MAX_LINE (8u << 20)   /* 8 MiB per row */
#define CX_TSV_DEFAULT_MAX_COLUMNS 4096

struct cx_tsv_opts {
	struct cx_input_opts input;
	size_t max_line_bytes;  /* 0 = default */
	size_t max_columns;     /* 0 = default */
};

struct cx_tsv_reader;

/* Opens path ("-" = stdin, gzip by magic) and reads the header line.
 * An empty input is CX_EDATA "empty input (no header)". */
struct cx_tsv_reader *cx_tsv_open(const char *path, const struct cx_tsv_opts *opts,
                                  struct cx_error *err);
/* Next data row: 1 = row, 0 = end of input, <0 = error (err filled with
 * file and line).  A row with the wrong number of fields is CX_EDATA. */
int cx_tsv_next(struct cx_tsv_reader *r, struct cx_error *err);
/* cx_tsv_next in two steps (a reader of a few fields of wide rows checks
 * the raw line itself): cx_tsv_next_raw reads the next line, only its raw
 * bytes are set (1 / 0 / <0 as cx_tsv_next); cx_tsv_split_raw then splits
 * that line into cx_tsv_fields with cx_tsv_next's checks (1 or <0). */
int cx_tsv_next_raw(struct cx_tsv_reader *r, struct cx_error *err);
int cx_tsv_split_raw(struct cx_tsv_reader *r, struct cx_error *err);
size_t cx_tsv_ncols(const struct cx_tsv_reader *r);
const struct cx_field *cx_tsv_fields(const struct cx_tsv_reader *r); /* current row */
const char *cx_tsv_colname(const struct cx_tsv_reader *r, size_t i);
/* Column index by exact name, or -1. */
int cx_tsv_col(const struct cx_tsv_reader *r, const char *name);
/* Line number of the current row (header = 1). */
long cx_tsv_line(const struct cx_tsv_reader *r);
const char *cx_tsv_name(const struct cx_tsv_reader *r);
/* The current row's raw line (escaped form, without the LF): for copying a
 * row through unchanged, which is faster than re-escaping. */
struct cx_field cx_tsv_raw(const struct cx_tsv_reader *r);
/* Bytes read so far (header and line ends included): before cx_tsv_next,
 * the offset of the line it reads in a plain input. */
uint64_t cx_tsv_bytes(const struct cx_tsv_reader *r);
/* The input read (borrowed). */
const struct cx_input *cx_tsv_input(const struct cx_tsv_reader *r);
void cx_tsv_close(struct cx_tsv_reader *r);

/* ---- shards: customers partitioned by a hash of their key ------------- */

#define CX_TSV_MAX_SHARDS 4096

/* The shard of a key (unescaped bytes) among nshards: cx_hash64(key, seed
 * 0) mod nshards, part of the data contract (cx(7), cx-shard(1)), so that
 * every stream of one customer lands in the same shard. */
unsigned cx_tsv_shard_of(const char *key, size_t n, unsigned nshards);
/* Keep only the rows of shard k of nshards, by the value of column key_col:
 * cx_tsv_next and a grouper on r see exactly the rows cx-shard would write
 * to shard k, in order.  Rows of other shards are passed over without
 * being split or checked (the reader of their own shard checks them): one
 * memchr per field up to the key, and a hash only when the key differs
 * from the previous line's.  nshards <= 1 keeps every row.  Call before
 * the first row is read.  (cx_tsv_next_raw reads every line.) */
void cx_tsv_shard(struct cx_tsv_reader *r, int key_col, unsigned k, unsigned nshards);

/* Require columns by name; on a miss fills err with CX_EDATA
 * "missing required column(s) 'a', 'b'; the file has: x, y, ..." and
 * returns it.  idx[i] receives the index of names[i]. */
int cx_tsv_require(const struct cx_tsv_reader *r, const char *const *names, size_t n,
                   int *idx, struct cx_error *err);

/* ---- grouping: all consecutive rows sharing the key column ------------ */

/* A group holds copies of the rows of one customer (rows of one key are
 * contiguous in canonical streams).  Rows are split straight into one of
 * two arenas used in turn (the row that ends a group starts the next), so
 * memory is bounded by the two largest customers. */
struct cx_tsv_group {
	size_t nrows;
	size_t ncols;
	struct cx_field **rows;   /* rows[i][j], borrowed until the next group */
	struct cx_field *raw;     /* raw[i]: escaped line of row i */
	long *lines;              /* lines[i]: input line of row i */
	const char *key;          /* key value of this group */
};

struct cx_tsv_grouper;
struct cx_tsv_grouper *cx_tsv_grouper_new(struct cx_tsv_reader *r, int key_col,
                                          size_t max_rows, struct cx_error *err);
/* 1 = a group is ready in *g, 0 = end, <0 = error.  By default the stream
 * must be sorted by key (as cx-ingest writes it): a key lower than the
 * previous one is CX_EDATA "input not sorted by 'customer_key'", which also
 * catches a customer split in two.  cx_tsv_grouper_sorted(gr, 0) accepts
 * any order of contiguous groups (a split customer then goes unnoticed).
 * An empty key is CX_EDATA.  More than max_rows rows (0 = 100000) in one
 * group is CX_ELIMIT. */
int cx_tsv_grouper_next(struct cx_tsv_grouper *gr, const struct cx_tsv_group **g,
                        struct cx_error *err);
void cx_tsv_grouper_sorted(struct cx_tsv_grouper *gr, int sorted);
/* For an event stream read alongside a driving stream: make *g the first
 * group whose key is >= key (strcmp order), starting from *g when it is
 * not NULL (a group not yet used) and reading on otherwise.  Groups passed
 * over are counted in *skipped.  1 = *g is that group (its key may be
 * greater), 0 = end (*g NULL), <0 = error. */
int cx_tsv_grouper_seek(struct cx_tsv_grouper *gr, const struct cx_tsv_group **g,
                        const char *key, long *skipped, struct cx_error *err);
void cx_tsv_grouper_free(struct cx_tsv_grouper *gr);

/* ---- writer ------------------------------------------------------------ */

struct cx_tsv_writer;
struct cx_tsv_writer *cx_tsv_writer_new(struct cx_output *out, struct cx_error *err);
/* Append one field (escaped) to the current row; the separator is added
 * automatically.  cx_tsv_end_row writes the LF. */
int cx_tsv_put(struct cx_tsv_writer *w, const char *p, size_t n);
int cx_tsv_puts(struct cx_tsv_writer *w, const char *s);
int cx_tsv_put_i64(struct cx_tsv_writer *w, int64_t v);
/* Money in minor units with the currency exponent (see cx_money.h). */
int cx_tsv_put_money(struct cx_tsv_writer *w, int64_t minor, int exponent);
/* A field already in escaped form (copied from cx_tsv_raw or a raw field). */
int cx_tsv_put_raw(struct cx_tsv_writer *w, const char *p, size_t n);
int cx_tsv_end_row(struct cx_tsv_writer *w);
/* Write a whole header or row of NUL-terminated strings. */
int cx_tsv_put_row(struct cx_tsv_writer *w, const char *const *fields, size_t n);
/* The first error seen by the writer (0 if none), with err filled. */
int cx_tsv_writer_error(const struct cx_tsv_writer *w, struct cx_error *err);
void cx_tsv_writer_free(struct cx_tsv_writer *w);

/* Escape/unescape helpers (for tests and other formats).  escape writes at
 * most 2n bytes; unescape returns the new length or -1 on a bad escape. */
size_t cx_tsv_escape(char *dst, const char *src, size_t n);
long cx_tsv_unescape(char *buf, size_t n);

#endif
