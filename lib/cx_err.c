#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cx_err.h"

int
cx_error_vset(struct cx_error *err, int code, const char *file, long line,
              const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->line = line;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return code;
}

int
cx_error_set(struct cx_error *err, int code, const char *file, long line,
             const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cx_error_vset(err, code, file, line, fmt, ap);
	va_end(ap);
	return code;
}

int
cx_error_errno(struct cx_error *err, int code, int errnum, const char *file,
               const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	cx_error_vset(err, code, file, 0, fmt, ap);
	va_end(ap);
	if (err != NULL) {
		n = strlen(err->msg);
		snprintf(err->msg + n, sizeof err->msg - n, "%s%s",
		         n ? ": " : "", strerror(errnum));
	}
	return code;
}

void
cx_error_clear(struct cx_error *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->line = 0;
	err->file[0] = '\0';
	err->msg[0] = '\0';
}

int
cx_exit_status(int code)
{
	switch (code) {
	case CX_OK:       return CX_EXIT_OK;
	case CX_EUSAGE:   return CX_EXIT_USAGE;
	case CX_EDATA:    return CX_EXIT_DATAERR;
	case CX_ELIMIT:   return CX_EXIT_DATAERR;
	case CX_ENOINPUT: return CX_EXIT_NOINPUT;
	case CX_ECREAT:   return CX_EXIT_CANTCREAT;
	case CX_EIO:      return CX_EXIT_IOERR;
	default:          return CX_EXIT_SOFTWARE;
	}
}

static const char *progname = "cx";
static int quiet;

void cx_diag_init(const char *name)
{
	const char *slash = strrchr(name, '/');

	progname = slash ? slash + 1 : name;
}

const char *cx_progname(void) { return progname; }
void cx_diag_set_quiet(int q) { quiet = q; }

void
cx_diag_error(const struct cx_error *err)
{
	if (err->file[0] && err->line > 0)
		fprintf(stderr, "%s: %s:%ld: %s\n", progname, err->file, err->line, err->msg);
	else if (err->file[0])
		fprintf(stderr, "%s: %s: %s\n", progname, err->file, err->msg);
	else
		fprintf(stderr, "%s: %s\n", progname, err->msg);
}

/* One diagnostic line in one write: stderr is unbuffered, so separate
 * fprintf calls become separate writes that interleave with the lines of
 * other tools writing to the same stderr (the nightly job's parallel
 * stages).  A line too long for the buffer goes out in pieces. */
static void
diag_line(const char *tag, const char *tail, const char *fmt, va_list ap)
{
	char buf[4096];
	size_t n, m, t = strlen(tail);
	va_list aq;
	int k;

	n = (size_t)snprintf(buf, sizeof buf, "%s: %s", progname, tag);
	va_copy(aq, ap);
	k = n < sizeof buf ? vsnprintf(buf + n, sizeof buf - n, fmt, aq) : -1;
	va_end(aq);
	m = k < 0 ? sizeof buf : (size_t)k;
	if (n + m + t + 1 >= sizeof buf) {
		fprintf(stderr, "%s: %s", progname, tag);
		vfprintf(stderr, fmt, ap);
		fprintf(stderr, "%s\n", tail);
		return;
	}
	memcpy(buf + n + m, tail, t);
	buf[n + m + t] = '\n';
	fwrite(buf, 1, n + m + t + 1, stderr);
}

void
cx_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_line("", "", fmt, ap);
	va_end(ap);
}

void
cx_diag_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	diag_line("warning: ", "", fmt, ap);
	va_end(ap);
}

int
cx_diag_usage(const char *fmt, ...)
{
	char tail[128];
	va_list ap;

	snprintf(tail, sizeof tail, "\nTry '%s --help'.", progname);
	va_start(ap, fmt);
	diag_line("", tail, fmt, ap);
	va_end(ap);
	return CX_EXIT_USAGE;
}

void
cx_diag_escape(char *out, size_t outsz, const char *p, size_t n, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7f || c == '\\') {
			if (o + 5 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			if (o + 2 >= outsz)
				break;
			out[o++] = (char)c;
		}
	}
	if ((i < n) && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
