/* cx_err — error values returned by the library, exit codes, and the one
 * diagnostic printer the tools use.
 *
 * Ownership: a struct cx_error is owned by the caller (usually on the stack)
 * and filled by the library; it holds no pointers, so it needs no freeing.
 * The library never prints and never exits: it fills a cx_error and returns
 * a negative CX_E* code (or NULL).  Only cmd/ code calls cx_diag*().
 */
#ifndef CX_ERR_H
#define CX_ERR_H

#include <stdarg.h>

/* Exit statuses, documented in cx(7).  Never use a bare number. */
enum cx_exit {
	CX_EXIT_OK = 0,          /* all records accepted */
	CX_EXIT_REJECTS = 1,     /* finished; some records rejected */
	CX_EXIT_REJECT_BUDGET = 2, /* finished, output published, rejects over --max-rejects */
	CX_EXIT_USAGE = 64,      /* bad options or arguments */
	CX_EXIT_DATAERR = 65,    /* input unusable: structure, header, encoding, gzip */
	CX_EXIT_NOINPUT = 66,    /* input missing or unreadable */
	CX_EXIT_SOFTWARE = 70,   /* internal error, out of memory */
	CX_EXIT_CANTCREAT = 73,  /* cannot create output or temp file */
	CX_EXIT_IOERR = 74       /* read/write/fsync/rename failure, ENOSPC */
};

/* Library error codes (negative so `if (rc < 0)` works everywhere). */
enum cx_errcode {
	CX_OK = 0,
	CX_EUSAGE = -1,   /* caller passed something invalid (maps to 64) */
	CX_EDATA = -2,    /* structural fault in the data (65) */
	CX_ENOINPUT = -3, /* cannot open/read an input (66) */
	CX_ENOMEM = -4,   /* allocation failed (70) */
	CX_EINTERNAL = -5,/* bug (70) */
	CX_ECREAT = -6,   /* cannot create output (73) */
	CX_EIO = -7,      /* I/O failure (74) */
	CX_ELIMIT = -8    /* a configured limit was exceeded (65) */
};

struct cx_error {
	int code;          /* enum cx_errcode; 0 when no error */
	long line;         /* 1-based line in `file`, 0 when not about a line */
	char file[256];    /* input or output name, "" when none */
	char msg[512];     /* lower-case, no final period, never raw cell bytes */
};

/* Fill err and return code.  `line` may be 0 and `file` NULL. */
int cx_error_set(struct cx_error *err, int code, const char *file, long line,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int cx_error_vset(struct cx_error *err, int code, const char *file, long line,
                  const char *fmt, va_list ap);
/* Like cx_error_set, appending ": strerror(errnum)". */
int cx_error_errno(struct cx_error *err, int code, int errnum, const char *file,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void cx_error_clear(struct cx_error *err);

/* Exit status for a library error code. */
int cx_exit_status(int code);

/* ---- tool side (cmd/ only) ------------------------------------------ */

/* Program name used as the prefix of every diagnostic; set once in main. */
void cx_diag_init(const char *progname);
const char *cx_progname(void);
/* "prog: file:line: msg" (parts omitted when empty) on stderr. */
void cx_diag_error(const struct cx_error *err);
/* "prog: " + formatted message on stderr. */
void cx_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message, then "Try 'prog --help'."; returns CX_EXIT_USAGE. */
int cx_diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Quiet flag honoured by cx_diag_warn. */
void cx_diag_set_quiet(int quiet);
void cx_diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Escape a cell for a diagnostic: control bytes as \xNN, cut to `max` bytes
 * with "...".  Writes a NUL-terminated string into out (size outsz). */
void cx_diag_escape(char *out, size_t outsz, const char *p, size_t n, size_t max);

#endif
