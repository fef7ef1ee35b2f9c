/* cx_io — opening inputs (file or "-", plain or gzip detected by magic) and
 * publishing outputs atomically (temp file in the target directory, fsync,
 * rename, fsync of the directory; nothing published on failure).
 *
 * Ownership: cx_input_open/cx_output_open return objects owned by the caller,
 * released by cx_input_close / cx_output_commit or cx_output_abort (each
 * accepts NULL and always frees).  Buffers passed in stay the caller's.
 */
#ifndef CX_IO_H
#define CX_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cx_err.h"

#define CX_DEFAULT_MAX_INPUT_BYTES (20ULL << 30)   /* 20 GiB decompressed */
#define CX_DEFAULT_MAX_RATIO 1000                  /* decompressed : compressed */

struct cx_input_opts {
	uint64_t max_input_bytes;  /* decompressed bytes per input; 0 = default */
	unsigned max_ratio;        /* gzip expansion limit; 0 = default */
	int no_thread;             /* tests: inflate in the caller's thread */
	int zlib_inflate;          /* tests: zlib's inflate where ISA-L's is built in */
};

struct cx_input;

/* path "-" (or NULL) is standard input, named "<stdin>" in messages.
 * A directory or unreadable file fails with CX_ENOINPUT.  A gzip regular
 * file is inflated by a second thread, up to 1 MiB ahead of the reads (the
 * same bytes, errors and limits; cx_input_close stops it); stdin and pipes
 * are inflated in the caller's thread. */
struct cx_input *cx_input_open(const char *path, const struct cx_input_opts *opts,
                               struct cx_error *err);
/* Read up to n bytes.  Returns >0 bytes read, 0 at a verified end of input
 * (gzip: every member complete and its CRC checked), or a negative CX_E*
 * code: truncated or corrupt gzip (CX_EDATA), a limit (CX_ELIMIT), I/O
 * (CX_EIO).  Data already returned before an error must be discarded by the
 * caller (outputs are atomic for that reason). */
ssize_t cx_input_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err);
const char *cx_input_name(const struct cx_input *in);
int cx_input_is_gzip(const struct cx_input *in);
/* The file descriptor of a plain (not gzip) input, -1 for gzip; it stays
 * the input's (for cx_map_open: the very file being read). */
int cx_input_plain_fd(const struct cx_input *in);
uint64_t cx_input_bytes(const struct cx_input *in);     /* decompressed so far */
uint64_t cx_input_raw_bytes(const struct cx_input *in); /* on-disk bytes so far */
void cx_input_close(struct cx_input *in);

/* ---- output ---------------------------------------------------------- */

enum {
	CX_OUT_FORCE = 1,    /* replace an existing file (else refuse) */
	CX_OUT_PUBLIC = 2    /* final mode 0644: holds no personal data (a masked
	                        report); every other output is 0600 */
};

struct cx_output;

/* path NULL or "-" is standard output (written directly; the exit status is
 * the contract there).  A file is written to ".<name>.XXXXXX" beside it. */
struct cx_output *cx_output_open(const char *path, unsigned flags, struct cx_error *err);
/* Buffered write (1 MiB); a piece of half of that or more is written
 * directly, after what is buffered (saves a copy).  Returns 0 or a
 * negative CX_E* code. */
int cx_output_write(struct cx_output *out, const void *p, size_t n, struct cx_error *err);
int cx_output_putc(struct cx_output *out, int c, struct cx_error *err);
int cx_output_puts(struct cx_output *out, const char *s, struct cx_error *err);
int cx_output_printf(struct cx_output *out, struct cx_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Direct access to the write buffer for hot loops: returns a pointer to at
 * least `need` free bytes (need <= 64 KiB), or NULL on error; advance with
 * cx_output_advance.  */
char *cx_output_reserve(struct cx_output *out, size_t need, struct cx_error *err);
void cx_output_advance(struct cx_output *out, size_t n);
const char *cx_output_name(const struct cx_output *out);
/* Flush, fsync, rename into place, fsync the directory; for stdout, flush
 * and check.  Frees out in every case.  Returns 0 or a negative code. */
int cx_output_commit(struct cx_output *out, struct cx_error *err);
/* Remove the temporary file (never stdout) and free. */
void cx_output_abort(struct cx_output *out);

/* Refuse to write an output that is one of the inputs (same device and
 * inode).  Returns 0 or CX_EUSAGE. */
int cx_output_check_not_input(const char *out_path, const char *const *in_paths,
                              size_t n_in, struct cx_error *err);

/* SIGINT/SIGTERM/SIGHUP: remove every temp file still open, then re-raise
 * with the default action (exit status 128+n).  Call once from main. */
void cx_io_install_signal_cleanup(void);

/* Read a whole small file (a model, rule or policy file) into a
 * NUL-terminated buffer owned by the caller (cx_free).  Limit in bytes. */
char *cx_read_file(const char *path, size_t limit, size_t *len, struct cx_error *err);

#endif
