/* cx_csv — the raw record reader for exports from outside (CSV with ',',
 * ';', TAB or '|'; TSV without quoting; plain or gzip; UTF-8 or cp1252).
 * Used by cx-ingest (every --kind, including --kind table).
 *
 * Ownership: a reader is owned by the caller and released with
 * cx_csv_close (accepts NULL).  Everything returned by the accessors
 * (fields, raw bytes, reason) is BORROWED from the reader: valid until the
 * next cx_csv_next() or cx_csv_close() on it.  The options struct is copied
 * at open.
 *
 * Dialect (documented in cx-ingest(1)):
 *  - Quoting is RFC 4180: a field may be enclosed in '"', a '"' inside is
 *    written '""', and a quoted field may hold the delimiter, CR and LF.
 *    libcsv runs in CSV_STRICT|CSV_STRICT_FINI mode.  A line whose quoted
 *    fields all close on it takes an equivalent fast path (split on the
 *    delimiter, '""' unescaped in place); anything else — a quoted field
 *    that holds a line end, a quote error, a limit — goes through libcsv,
 *    so records, problems, line numbers and messages are the same.
 *  - Whitespace: bytes are kept exactly (no trimming).  Consequently a space
 *    after a closing quote ("ab" ,) or before an opening quote ( "ab") is a
 *    quote error, not a quoted field (catalogue 05, 06).
 *  - Empty and absent are the same: ',,' and ',"",' both give "".
 *  - Line ends: LF, CRLF and lone CR, mixed freely; all count as one line
 *    each for line numbers.  A final line without a line end is a record.
 *  - Blank lines (nothing between two line ends) are skipped and counted
 *    (cx_csv_blank_lines).  A whitespace-only line (only spaces and tabs,
 *    none of them the delimiter) is a record-level problem
 *    "whitespace-only line" (never silently dropped).
 *  - BOM: a UTF-8 BOM (EF BB BF) is stripped at byte 0 of the stream only;
 *    anywhere else it is data.  A UTF-16 BOM (FF FE or FE FF) at byte 0 is
 *    fatal with the hint "iconv -f UTF-16 -t UTF-8".
 *  - Delimiter: given, or auto-detected from the first line: the most
 *    frequent of ',' ';' TAB '|' outside quotes (ties in that order; ','
 *    when none occurs).  With CX_CSV_HEADER, when the header yields a single
 *    column and contains one of the other candidates, the open fails with
 *    "1 column found; file looks ';'-delimited (use --delimiter ';')".
 *  - TSV mode (CX_CSV_TSV): TAB delimiter and no quoting at all: '"' is data.
 *    A field cannot contain TAB, CR or LF then.
 *  - Encoding: UTF-8 by default: a record that is not well-formed UTF-8 is a
 *    record-level problem "invalid UTF-8 at byte N; try --encoding=cp1252"
 *    (N is 1-based within the record's raw bytes).  CX_ENC_CP1252 transcodes
 *    every field to UTF-8; an undefined cp1252 byte is a record-level
 *    problem.  Control bytes other than TAB, CR, LF (and DEL) in a record are
 *    a record-level problem ("NUL byte", "control byte 0x1B").
 *
 * Errors.  cx_csv_next returns:
 *   1  a record: fields via cx_csv_nfields/cx_csv_fields;
 *   2  a record-level problem: cx_csv_reason() says why (lower case, no raw
 *      cell bytes), cx_csv_raw() gives the record's raw bytes and
 *      cx_csv_line() its start line; the reader has already moved past it
 *      (after a quote error it resynchronises at the next line end), so the
 *      caller may write a reject and continue — or treat it as fatal;
 *   0  end of input (a verified end: gzip complete and CRC checked);
 *  <0  fatal (CX_EDATA, CX_ELIMIT, CX_EIO, CX_ENOMEM): err holds file, line
 *      and message; the reader cannot continue.  Fatal cases: unterminated
 *      quoted field at EOF and a quote error after a quoted field swallowed
 *      line ends ("unterminated quoted field starting at line 3"), field
 *      over max_field_bytes ("field exceeds N bytes"), record over
 *      max_record_bytes, more than max_columns fields, UTF-16 input,
 *      gzip/limit/I/O errors from cx_input, and (with CX_CSV_HEADER) an
 *      empty input ("empty input (no header)").
 * Records with problems are never merged with their neighbours, and every
 * line of the input is either in a record, in a problem's raw bytes, or
 * counted as blank.
 *
 * Limits: memory per reader is bounded by max_record_bytes + 256 KiB (read
 * buffer) plus max_field_bytes + 64 KiB (libcsv's field buffer) plus the
 * fields of one record (and, for a gzip file, the 1.25 MiB of cx_input's
 * inflate thread), whatever the input size.
 * Threads: readers may be used one at a time from one thread (libcsv's
 * realloc hook has no user pointer, so the field cap is a file static set
 * before each libcsv call); several readers interleaved in one thread are
 * fine.
 */
#ifndef CX_CSV_H
#define CX_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_io.h"
#include "cx_tsv.h"    /* struct cx_field */
#include "cx_utf8.h"   /* enum cx_encoding */

#define CX_CSV_DEFAULT_MAX_FIELD (1u << 20)     /* 1 MiB */
#define CX_CSV_DEFAULT_MAX_RECORD (8u << 20)    /* 8 MiB */
#define CX_CSV_DEFAULT_MAX_COLUMNS 4096

enum {
	CX_CSV_HEADER = 1,   /* first record is a header: empty input is fatal,
	                        the ';'-delimited check applies, and with
	                        CX_CSV_RAGGED every record must match its width */
	CX_CSV_TSV = 2,      /* TAB-separated, no quoting ('"' is data) */
	CX_CSV_RAGGED = 4,   /* field count != header's -> problem
	                        "expected 7 fields, got 4" (needs CX_CSV_HEADER) */
	CX_CSV_NOFAST = 8,   /* tests only: every line through libcsv */
	CX_CSV_NOFUSED = 16  /* tests only: no one-pass line split (the fast
	                        path copies, then splits the line) */
};

struct cx_csv_opts {
	struct cx_input_opts input; /* decompressed-size and ratio limits */
	unsigned flags;             /* CX_CSV_* */
	int delim;                  /* ',', ';', '\t', '|'; 0 = auto-detect */
	int encoding;               /* CX_ENC_UTF8 (default) or CX_ENC_CP1252 */
	size_t max_field_bytes;     /* 0 = CX_CSV_DEFAULT_MAX_FIELD */
	size_t max_record_bytes;    /* raw bytes; 0 = CX_CSV_DEFAULT_MAX_RECORD */
	size_t max_columns;         /* 0 = CX_CSV_DEFAULT_MAX_COLUMNS */
};

/* Kinds of record-level problem (cx_csv_problem). */
enum cx_csv_problem {
	CX_CSV_P_NONE = 0,
	CX_CSV_P_QUOTE,        /* quote inside unquoted field / after closing quote */
	CX_CSV_P_ENCODING,     /* invalid UTF-8 or undefined cp1252 byte */
	CX_CSV_P_CONTROL,      /* NUL or other control byte */
	CX_CSV_P_WHITESPACE,   /* whitespace-only line */
	CX_CSV_P_WIDTH         /* field count differs from the header (CX_CSV_RAGGED) */
};

struct cx_csv_reader;

/* Open path ("-" or NULL = stdin; gzip by magic).  Reads the first chunk to
 * check the BOM and detect the delimiter.  NULL on failure (err filled). */
struct cx_csv_reader *cx_csv_open(const char *path, const struct cx_csv_opts *opts,
                                  struct cx_error *err);
/* Same over a memory buffer (borrowed: must outlive the reader; no gzip
 * detection).  `name` is used in messages.  For tests and fuzzers. */
struct cx_csv_reader *cx_csv_open_mem(const void *buf, size_t len, const char *name,
                                      const struct cx_csv_opts *opts, struct cx_error *err);
/* Next record: 1 record, 2 record-level problem, 0 end, <0 fatal. */
int cx_csv_next(struct cx_csv_reader *r, struct cx_error *err);

size_t cx_csv_nfields(const struct cx_csv_reader *r);
/* Array of cx_csv_nfields() fields, each NUL-terminated UTF-8 (transcoded
 * when the encoding is cp1252). */
const struct cx_field *cx_csv_fields(const struct cx_csv_reader *r);
/* Start line (1-based) of the current record or problem. */
long cx_csv_line(const struct cx_csv_reader *r);
/* Raw bytes of the current record or problem as read (after gunzip, before
 * transcoding), without its final line end.  NOT NUL-terminated (it may even
 * hold NUL bytes): use .n. */
struct cx_field cx_csv_raw(const struct cx_csv_reader *r);
/* Reason and kind of the current problem (after a return of 2). */
const char *cx_csv_reason(const struct cx_csv_reader *r);
int cx_csv_problem(const struct cx_csv_reader *r);

int cx_csv_delim(const struct cx_csv_reader *r);        /* in use (detected) */
const char *cx_csv_name(const struct cx_csv_reader *r); /* input name */
int cx_csv_had_bom(const struct cx_csv_reader *r);
uint64_t cx_csv_records(const struct cx_csv_reader *r); /* returns of 1, header included */
uint64_t cx_csv_problems(const struct cx_csv_reader *r);/* returns of 2 */
uint64_t cx_csv_blank_lines(const struct cx_csv_reader *r);
uint64_t cx_csv_mojibake(const struct cx_csv_reader *r); /* records with "Ã©"-like text */
uint64_t cx_csv_bytes(const struct cx_csv_reader *r);    /* decompressed bytes read */
/* Header width (fields of the first record) with CX_CSV_HEADER, else 0. */
size_t cx_csv_header_width(const struct cx_csv_reader *r);
void cx_csv_close(struct cx_csv_reader *r);

/* Name of a delimiter for messages: "','", "';'", "TAB", "'|'".  The
 * "looks ;-delimited" message reads
 * "1 column found; file looks ';'-delimited (use --delimiter ';')"
 * (or "TAB-delimited (use --delimiter TAB)"). */
const char *cx_csv_delim_name(int delim);

#endif
