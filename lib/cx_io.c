#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef CX_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "cx_io.h"
#include "cx_mem.h"

#define GZ_INBUF (256 * 1024)
#define OUTBUF (1024 * 1024)
#define TH_SLOTS 4              /* inflated chunks queued by the inflate thread */
#define TH_CHUNK (256 * 1024)

/* One result of gz_read made by the inflate thread: data (rc > 0 bytes),
 * the end (rc 0) or an error (rc < 0, err). */
struct th_slot {
	unsigned char *p;
	ssize_t rc;
	uint64_t raw;             /* compressed bytes read when it was made */
	struct cx_error err;
};

struct cx_input {
	int fd;
	int gzip;
	int eof;          /* underlying file at EOF */
	int member_done;  /* gzip: last member ended exactly at a boundary */
	char name[256];
	uint64_t bytes, raw_bytes, max_bytes;
	unsigned max_ratio;
	z_stream zs;
	unsigned char *zbuf;
#ifdef CX_HAVE_ISAL
	/* ISA-L's inflate (about 3x zlib's speed) when built in; NULL: zlib */
	struct inflate_state *isal;
	int member_start;  /* a member's header is next, not yet checked */
#endif
	/* bytes read while sniffing the magic, handed out first (plain input) */
	unsigned char peek[2];
	size_t npeek, peek_pos;
	/* gzip from a regular file: inflate runs in a second thread, TH_SLOTS
	 * chunks ahead of the reader.  The thread alone touches zs, zbuf, eof,
	 * member_done and raw_bytes; the reader sees raw_seen (raw_bytes as of
	 * the chunk it is reading), so limits are checked as without it. */
	int threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct th_slot slot[TH_SLOTS];
	unsigned head, tail;      /* next slot to read / to fill (mod TH_SLOTS) */
	size_t off;               /* bytes of slot[head] already handed out */
	int stop;
	uint64_t raw_seen;
};

static ssize_t gz_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err);
static int th_start(struct cx_input *in, const struct cx_input_opts *opts);

/* Set up inflating of a gzip input whose first two bytes are in zbuf. */
static int
gz_init(struct cx_input *in, const struct cx_input_opts *opts, struct cx_error *err)
{
#ifdef CX_HAVE_ISAL
	if (opts == NULL || !opts->zlib_inflate) {
		in->isal = cx_malloc(sizeof *in->isal);
		if (in->isal == NULL)
			goto nomem;
		isal_inflate_init(in->isal);
		in->isal->crc_flag = ISAL_GZIP;  /* parse the header, verify CRC and size */
		in->isal->next_in = in->zbuf;
		in->isal->avail_in = 2;
		in->member_start = 1;
		return 0;
	}
#else
	(void)opts;
#endif
	in->zs.next_in = in->zbuf;
	in->zs.avail_in = 2;
	if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK) {
		cx_error_set(err, CX_ENOMEM, in->name, 0, "cannot initialise zlib");
		goto fail;
	}
	return 0;
#ifdef CX_HAVE_ISAL
nomem:
	cx_error_set(err, CX_ENOMEM, in->name, 0, "out of memory");
#endif
fail:
	cx_free(in->zbuf);
	in->zbuf = NULL;
	return -1;
}

static void
gz_end(struct cx_input *in)
{
#ifdef CX_HAVE_ISAL
	if (in->isal != NULL) {
		cx_free(in->isal);
		in->isal = NULL;
	} else
#endif
		inflateEnd(&in->zs);
	cx_free(in->zbuf);
	in->zbuf = NULL;
}

static ssize_t
read_full(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

struct cx_input *
cx_input_open(const char *path, const struct cx_input_opts *opts, struct cx_error *err)
{
	struct cx_input *in;
	struct stat st;
	ssize_t r;

	in = cx_calloc(1, sizeof *in);
	if (in == NULL) {
		cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	in->max_bytes = opts && opts->max_input_bytes ? opts->max_input_bytes
	                                              : CX_DEFAULT_MAX_INPUT_BYTES;
	in->max_ratio = opts && opts->max_ratio ? opts->max_ratio : CX_DEFAULT_MAX_RATIO;
	if (path == NULL || strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		snprintf(in->name, sizeof in->name, "<stdin>");
	} else {
		snprintf(in->name, sizeof in->name, "%s", path);
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			cx_error_errno(err, CX_ENOINPUT, errno, in->name, "%s", "");
			goto fail;
		}
	}
	if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		cx_error_set(err, CX_ENOINPUT, in->name, 0, "is a directory");
		goto fail;
	}
	/* Sniff the gzip magic 1f 8b.  Reading two bytes one at a time keeps
	 * pipes working when the first read returns a single byte. */
	while (in->npeek < 2) {
		r = read_full(in->fd, in->peek + in->npeek, 2 - in->npeek);
		if (r < 0) {
			cx_error_errno(err, CX_EIO, errno, in->name, "read");
			goto fail;
		}
		if (r == 0) {
			in->eof = 1;
			break;
		}
		in->npeek += (size_t)r;
	}
	in->raw_bytes = in->npeek;
	if (in->npeek == 2 && in->peek[0] == 0x1f && in->peek[1] == 0x8b) {
		in->gzip = 1;
		in->zbuf = cx_malloc(GZ_INBUF);
		if (in->zbuf == NULL) {
			cx_error_set(err, CX_ENOMEM, in->name, 0, "out of memory");
			goto fail;
		}
		memcpy(in->zbuf, in->peek, 2);
		in->npeek = 0;
		if (gz_init(in, opts, err) < 0)
			goto fail;
		if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) && th_start(in, opts) < 0) {
			cx_error_set(err, CX_ENOMEM, in->name, 0, "out of memory");
			gz_end(in);
			goto fail;
		}
	}
	return in;
fail:
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	cx_free(in);
	return NULL;
}

static int
check_limits(struct cx_input *in, struct cx_error *err)
{
	if (in->bytes > in->max_bytes)
		return cx_error_set(err, CX_ELIMIT, in->name, 0,
		    "input exceeds %llu bytes (see --max-input-bytes)",
		    (unsigned long long)in->max_bytes);
	/* Ratio guard against gzip bombs; allow small files a fixed margin. */
	uint64_t raw = cx_input_raw_bytes(in);

	if (in->gzip && in->bytes > (64u << 20) && in->bytes / (raw ? raw : 1) > in->max_ratio)
		return cx_error_set(err, CX_ELIMIT, in->name, 0,
		    "gzip expands more than %u:1 (see --max-ratio)", in->max_ratio);
	return 0;
}

/* More compressed bytes into zbuf from offset off: how many (0 at the end
 * of the file, which sets eof), or a negative CX_EIO. */
static ssize_t
gz_fill(struct cx_input *in, size_t off, struct cx_error *err)
{
	ssize_t r = read_full(in->fd, in->zbuf + off, GZ_INBUF - off);

	if (r < 0)
		return cx_error_errno(err, CX_EIO, errno, in->name, "read");
	if (r == 0)
		in->eof = 1;
	in->raw_bytes += (uint64_t)r;
	return r;
}

static ssize_t
zlib_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err)
{
	ssize_t r;
	int zr;

	if (n > INT_MAX)
		n = INT_MAX;
	in->zs.next_out = buf;
	in->zs.avail_out = (uInt)n;
	while (in->zs.avail_out == n) {
		if (in->zs.avail_in == 0 && !in->eof) {
			if ((r = gz_fill(in, 0, err)) < 0)
				return r;
			in->zs.next_in = in->zbuf;
			in->zs.avail_in = (uInt)r;
		}
		if (in->member_done) {
			/* Between members: more data must be another gzip member. */
			if (in->zs.avail_in == 0 && in->eof)
				return 0;
			if (in->zs.avail_in == 0)
				continue;
			if (in->zs.next_in[0] != 0x1f)
				return cx_error_set(err, CX_EDATA, in->name, 0,
				    "trailing garbage after gzip data");
			inflateReset(&in->zs);
			in->member_done = 0;
		}
		if (in->zs.avail_in == 0 && in->eof)
			return cx_error_set(err, CX_EDATA, in->name, 0,
			    "truncated gzip input (unexpected end of file)");
		zr = inflate(&in->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			in->member_done = 1;
		} else if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR) {
			return cx_error_set(err, CX_EDATA, in->name, 0, "corrupt gzip input: %s",
			    in->zs.msg ? in->zs.msg : "data error");
		} else if (zr == Z_MEM_ERROR) {
			return cx_error_set(err, CX_ENOMEM, in->name, 0, "out of memory");
		} else if (zr == Z_BUF_ERROR && in->zs.avail_in == 0 && in->eof) {
			return cx_error_set(err, CX_EDATA, in->name, 0,
			    "truncated gzip input (unexpected end of file)");
		}
	}
	return (ssize_t)(n - in->zs.avail_out);
}

#ifdef CX_HAVE_ISAL
/* ISA-L's errors in zlib's words for the nearest fault (a checksum, a
 * header), so the common diagnostics read the same with either inflate;
 * ISA-L has fewer kinds of corrupt data than zlib has messages. */
static const char *
isal_message(int rc)
{
	switch (rc) {
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	case ISAL_INVALID_WRAPPER: return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_SYMBOL: return "invalid code";
	default: return "invalid block";
	}
}

/* At the start of a member, have its first 4 bytes in view (fewer only at
 * the end of the input), moving what is left to the front of zbuf. */
static int
isal_member_start(struct cx_input *in, struct cx_error *err)
{
	struct inflate_state *st = in->isal;
	ssize_t r;

	while (st->avail_in < 4 && !in->eof) {
		memmove(in->zbuf, st->next_in, st->avail_in);
		st->next_in = in->zbuf;
		if ((r = gz_fill(in, st->avail_in, err)) < 0)
			return (int)r;
		st->avail_in += (uint32_t)r;
	}
	/* ISA-L ignores the reserved flag bits, which zlib (and RFC 1952)
	 * refuse: a member zlib would not read is not read here either. */
	if (st->avail_in >= 4 && st->next_in[0] == 0x1f && st->next_in[1] == 0x8b &&
	    st->next_in[2] == 8 && (st->next_in[3] & 0xe0) != 0)
		return cx_error_set(err, CX_EDATA, in->name, 0,
		    "corrupt gzip input: unknown header flags set");
	in->member_start = 0;
	return 0;
}

/* zlib_read's twin over ISA-L: the same members, ends and errors. */
static ssize_t
isal_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err)
{
	struct inflate_state *st = in->isal;
	ssize_t r;
	int rc;

	if (n > INT_MAX)
		n = INT_MAX;
	st->next_out = buf;
	st->avail_out = (uint32_t)n;
	while (st->avail_out == n) {
		if (st->avail_in == 0 && !in->eof) {
			if ((r = gz_fill(in, 0, err)) < 0)
				return r;
			st->next_in = in->zbuf;
			st->avail_in = (uint32_t)r;
		}
		if (in->member_done) {
			if (st->avail_in == 0 && in->eof)
				return 0;
			if (st->avail_in == 0)
				continue;
			if (st->next_in[0] != 0x1f)
				return cx_error_set(err, CX_EDATA, in->name, 0,
				    "trailing garbage after gzip data");
			/* reset keeps the input and output pointers */
			isal_inflate_reset(st);
			st->crc_flag = ISAL_GZIP;
			in->member_done = 0;
			in->member_start = 1;
		}
		if (in->member_start && (rc = isal_member_start(in, err)) < 0)
			return rc;
		if (st->avail_in == 0 && in->eof)
			return cx_error_set(err, CX_EDATA, in->name, 0,
			    "truncated gzip input (unexpected end of file)");
		rc = isal_inflate(st);
		if (rc < 0 || rc == ISAL_NEED_DICT)
			return cx_error_set(err, CX_EDATA, in->name, 0, "corrupt gzip input: %s",
			    isal_message(rc));
		if (st->block_state == ISAL_BLOCK_FINISH)
			in->member_done = 1;
	}
	return (ssize_t)(n - st->avail_out);
}
#endif

static ssize_t
gz_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err)
{
#ifdef CX_HAVE_ISAL
	if (in->isal != NULL)
		return isal_read(in, buf, n, err);
#endif
	return zlib_read(in, buf, n, err);
}

/* ---- the inflate thread --------------------------------------------- */

static void *
th_main(void *arg)
{
	struct cx_input *in = arg;

	for (;;) {
		struct th_slot *s;

		pthread_mutex_lock(&in->mu);
		while (in->tail - in->head == TH_SLOTS && !in->stop)
			pthread_cond_wait(&in->cv, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			return NULL;
		}
		s = &in->slot[in->tail % TH_SLOTS];
		pthread_mutex_unlock(&in->mu);

		cx_error_clear(&s->err);
		s->rc = gz_read(in, s->p, TH_CHUNK, &s->err);
		s->raw = in->raw_bytes;

		pthread_mutex_lock(&in->mu);
		in->tail++;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
		if (s->rc <= 0)
			return NULL;    /* the end or an error: the last slot */
	}
}

/* Start the inflate thread.  -1 when its buffers cannot be allocated; if
 * the thread itself cannot be made the input stays single-threaded.
 * Signals stay with the other threads. */
static int
th_start(struct cx_input *in, const struct cx_input_opts *opts)
{
	sigset_t all, old;
	int k, rc;

	if (opts != NULL && opts->no_thread)
		return 0;
	for (k = 0; k < TH_SLOTS; k++)
		if ((in->slot[k].p = cx_malloc(TH_CHUNK)) == NULL) {
			rc = -1;
			goto undo;
		}
	rc = 0;
	if (pthread_mutex_init(&in->mu, NULL) != 0)
		goto undo;
	if (pthread_cond_init(&in->cv, NULL) != 0) {
		pthread_mutex_destroy(&in->mu);
		goto undo;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	k = pthread_create(&in->th, NULL, th_main, in);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (k != 0) {
		pthread_cond_destroy(&in->cv);
		pthread_mutex_destroy(&in->mu);
		goto undo;
	}
	in->threaded = 1;
	return 0;
undo:
	for (k = 0; k < TH_SLOTS; k++) {
		cx_free(in->slot[k].p);
		in->slot[k].p = NULL;
	}
	return rc;
}

/* Hand out bytes of the chunk at the head of the queue (waiting for it). */
static ssize_t
th_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err)
{
	struct th_slot *s;
	size_t k;

	pthread_mutex_lock(&in->mu);
	while (in->tail == in->head)
		pthread_cond_wait(&in->cv, &in->mu);
	s = &in->slot[in->head % TH_SLOTS];
	pthread_mutex_unlock(&in->mu);
	in->raw_seen = s->raw;
	if (s->rc <= 0) {
		/* stays at the head: every later read says the same */
		if (s->rc < 0 && err != NULL)
			*err = s->err;
		return s->rc;
	}
	k = (size_t)s->rc - in->off;
	if (k > n)
		k = n;
	memcpy(buf, s->p + in->off, k);
	in->off += k;
	if (in->off == (size_t)s->rc) {
		in->off = 0;
		pthread_mutex_lock(&in->mu);
		in->head++;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
	}
	return (ssize_t)k;
}

static void
th_stop(struct cx_input *in)
{
	int k;

	pthread_mutex_lock(&in->mu);
	in->stop = 1;
	pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
	pthread_join(in->th, NULL);
	pthread_cond_destroy(&in->cv);
	pthread_mutex_destroy(&in->mu);
	for (k = 0; k < TH_SLOTS; k++)
		cx_free(in->slot[k].p);
	in->threaded = 0;
}

ssize_t
cx_input_read(struct cx_input *in, void *buf, size_t n, struct cx_error *err)
{
	ssize_t r;

	if (n == 0)
		return 0;
	if (in->threaded) {
		r = th_read(in, buf, n, err);
		if (r < 0)
			return r;
	} else if (in->gzip) {
		r = gz_read(in, buf, n, err);
	} else if (in->peek_pos < in->npeek) {
		size_t k = in->npeek - in->peek_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->peek + in->peek_pos, k);
		in->peek_pos += k;
		r = (ssize_t)k;
	} else if (in->eof) {
		r = 0;
	} else {
		r = read_full(in->fd, buf, n);
		if (r < 0)
			return cx_error_errno(err, CX_EIO, errno, in->name, "read");
		if (r == 0)
			in->eof = 1;
		in->raw_bytes += (uint64_t)r;
	}
	if (r > 0) {
		in->bytes += (uint64_t)r;
		if (check_limits(in, err) < 0)
			return err ? err->code : CX_ELIMIT;
	}
	return r;
}

const char *cx_input_name(const struct cx_input *in) { return in->name; }
int cx_input_is_gzip(const struct cx_input *in) { return in->gzip; }
int cx_input_plain_fd(const struct cx_input *in) { return in->gzip ? -1 : in->fd; }
uint64_t cx_input_bytes(const struct cx_input *in) { return in->bytes; }

uint64_t
cx_input_raw_bytes(const struct cx_input *in)
{
	return in->threaded ? in->raw_seen : in->raw_bytes;
}

void
cx_input_close(struct cx_input *in)
{
	if (in == NULL)
		return;
	if (in->threaded)
		th_stop(in);
	if (in->gzip)
		gz_end(in);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	cx_free(in);
}

/* ---- output ---------------------------------------------------------- */

struct cx_output {
	int fd;
	int is_stdout;
	int failed;
	unsigned flags;
	char *buf;
	size_t len;
	char *final_path;
	char *tmp_path;
	struct cx_output *next_open;   /* registry for the signal handler */
	uint64_t written, kicked;      /* bytes written to fd; of those, handed to writeback */
};

/* Temp files still open, removed by the signal handler.  The list is only
 * changed with signals blocked. */
static struct cx_output *open_outputs;

static void
registry_change(struct cx_output *o, int add)
{
	sigset_t all, old;
	struct cx_output **pp;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (add) {
		o->next_open = open_outputs;
		open_outputs = o;
	} else {
		for (pp = &open_outputs; *pp != NULL; pp = &(*pp)->next_open)
			if (*pp == o) {
				*pp = o->next_open;
				break;
			}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
cleanup_handler(int sig)
{
	struct cx_output *o;

	for (o = open_outputs; o != NULL; o = o->next_open)
		if (o->tmp_path != NULL)
			unlink(o->tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
cx_io_install_signal_cleanup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cleanup_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct cx_output *
cx_output_open(const char *path, unsigned flags, struct cx_error *err)
{
	struct cx_output *o;
	const char *slash, *base;
	size_t dirlen;
	struct stat st;

	o = cx_calloc(1, sizeof *o);
	if (o == NULL || (o->buf = cx_malloc(OUTBUF)) == NULL) {
		cx_free(o);
		cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	o->flags = flags;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->is_stdout = 1;
		return o;
	}
	if (!(flags & CX_OUT_FORCE) && lstat(path, &st) == 0 && !S_ISCHR(st.st_mode) &&
	    !S_ISFIFO(st.st_mode)) {
		cx_error_set(err, CX_EUSAGE, path, 0, "file exists (use --force to replace it)");
		goto fail;
	}
	if (lstat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		/* /dev/null, /dev/full, a named pipe: write in place. */
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (o->fd < 0) {
			cx_error_errno(err, CX_ECREAT, errno, path, "%s", "");
			goto fail;
		}
		o->final_path = cx_strdup(path);
		if (o->final_path == NULL)
			goto oom;
		return o;
	}
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	o->final_path = cx_strdup(path);
	o->tmp_path = cx_malloc(dirlen + strlen(base) + 10);
	if (o->final_path == NULL || o->tmp_path == NULL)
		goto oom;
	memcpy(o->tmp_path, path, dirlen);
	sprintf(o->tmp_path + dirlen, ".%s.XXXXXX", base);
	o->fd = mkostemp(o->tmp_path, O_CLOEXEC);
	if (o->fd < 0) {
		cx_error_errno(err, CX_ECREAT, errno, path, "cannot create temporary file");
		cx_free(o->tmp_path);
		o->tmp_path = NULL;
		goto fail;
	}
	registry_change(o, 1);
	return o;
oom:
	cx_error_set(err, CX_ENOMEM, path, 0, "out of memory");
fail:
	cx_free(o->final_path);
	cx_free(o->tmp_path);
	cx_free(o->buf);
	cx_free(o);
	return NULL;
}

/* Written bytes of a temp file are handed to writeback every KICK bytes
 * (sync_file_range, which does not wait): the disk writes them while the
 * rest is made, and the fsync of cx_output_commit finds little left to
 * do.  A hint only: its errors are the fsync's to report. */
#define KICK (8u << 20)

static int
write_all(struct cx_output *o, const char *p, size_t n, struct cx_error *err)
{
	size_t off = 0;
	ssize_t w;

	if (o->failed)
		return err ? cx_error_set(err, CX_EIO, cx_output_name(o), 0, "earlier write failed")
		           : CX_EIO;
	while (off < n) {
		w = write(o->fd, p + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->failed = 1;
			return cx_error_errno(err, CX_EIO, errno, cx_output_name(o), "write");
		}
		off += (size_t)w;
	}
	o->written += n;
#ifdef SYNC_FILE_RANGE_WRITE
	if (o->tmp_path != NULL && o->written - o->kicked >= KICK) {
		(void)sync_file_range(o->fd, (off_t)o->kicked, (off_t)(o->written - o->kicked),
		                      SYNC_FILE_RANGE_WRITE);
		o->kicked = o->written;
	}
#endif
	return 0;
}

static int
flush_buf(struct cx_output *o, struct cx_error *err)
{
	int rc = write_all(o, o->buf, o->len, err);

	if (rc == 0)
		o->len = 0;
	return rc;
}

int
cx_output_write(struct cx_output *o, const void *p, size_t n, struct cx_error *err)
{
	const char *s = p;

	/* a piece about as large as the buffer (a writer thread's block)
	 * goes to the file from where it is, after what is buffered: copying
	 * it through the buffer first would only add a pass over its bytes
	 * (and the buffer's first touch); the file's bytes are the same */
	if (n >= OUTBUF / 2) {
		if (o->len && flush_buf(o, err) < 0)
			return CX_EIO;
		return write_all(o, s, n, err) < 0 ? CX_EIO : 0;
	}
	while (n > 0) {
		size_t room = OUTBUF - o->len, k = n < room ? n : room;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == OUTBUF && flush_buf(o, err) < 0)
			return CX_EIO;
	}
	return 0;
}

int
cx_output_putc(struct cx_output *o, int c, struct cx_error *err)
{
	if (o->len == OUTBUF && flush_buf(o, err) < 0)
		return CX_EIO;
	o->buf[o->len++] = (char)c;
	return 0;
}

int
cx_output_puts(struct cx_output *o, const char *s, struct cx_error *err)
{
	return cx_output_write(o, s, strlen(s), err);
}

int
cx_output_printf(struct cx_output *o, struct cx_error *err, const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return cx_error_set(err, CX_EINTERNAL, cx_output_name(o), 0, "format error");
	if ((size_t)n < sizeof small)
		return cx_output_write(o, small, (size_t)n, err);
	big = cx_malloc((size_t)n + 1);
	if (big == NULL)
		return cx_error_set(err, CX_ENOMEM, cx_output_name(o), 0, "out of memory");
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = cx_output_write(o, big, (size_t)n, err);
	cx_free(big);
	return rc;
}

char *
cx_output_reserve(struct cx_output *o, size_t need, struct cx_error *err)
{
	if (need > OUTBUF)
		return NULL;
	if (OUTBUF - o->len < need && flush_buf(o, err) < 0)
		return NULL;
	return o->buf + o->len;
}

void cx_output_advance(struct cx_output *o, size_t n) { o->len += n; }

const char *
cx_output_name(const struct cx_output *o)
{
	return o->is_stdout ? "<stdout>" : o->final_path;
}

static void
output_free(struct cx_output *o)
{
	if (o->tmp_path != NULL)
		registry_change(o, 0);
	cx_free(o->final_path);
	cx_free(o->tmp_path);
	cx_free(o->buf);
	cx_free(o);
}

int
cx_output_commit(struct cx_output *o, struct cx_error *err)
{
	int rc = 0, dfd;
	char *slash;

	if (o == NULL)
		return 0;
	if (flush_buf(o, err) < 0) {
		rc = CX_EIO;
		goto out;
	}
	if (o->is_stdout)
		goto out;   /* never fsync or close stdout: it may be a pipe or tty */
	if (o->tmp_path == NULL) {   /* device or fifo */
		if (close(o->fd) < 0)
			rc = cx_error_errno(err, CX_EIO, errno, o->final_path, "close");
		o->fd = -1;
		goto out;
	}
	if (fchmod(o->fd, (o->flags & CX_OUT_PUBLIC) ? 0644 : 0600) < 0 ||
	    fsync(o->fd) < 0) {
		rc = cx_error_errno(err, CX_EIO, errno, o->final_path, "fsync");
		goto out;
	}
	if (close(o->fd) < 0) {
		o->fd = -1;
		rc = cx_error_errno(err, CX_EIO, errno, o->final_path, "close");
		goto out;
	}
	o->fd = -1;
	if (rename(o->tmp_path, o->final_path) < 0) {
		rc = cx_error_errno(err, CX_EIO, errno, o->final_path, "rename");
		goto out;
	}
	registry_change(o, 0);
	cx_free(o->tmp_path);
	o->tmp_path = NULL;
	/* Make the rename durable. */
	slash = strrchr(o->final_path, '/');
	if (slash != NULL) {
		*slash = '\0';
		dfd = open(slash == o->final_path ? "/" : o->final_path, O_RDONLY | O_DIRECTORY);
		*slash = '/';
	} else {
		dfd = open(".", O_RDONLY | O_DIRECTORY);
	}
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	if (rc < 0 && o->tmp_path != NULL) {
		if (o->fd >= 0)
			close(o->fd);
		unlink(o->tmp_path);
	}
	output_free(o);
	return rc;
}

void
cx_output_abort(struct cx_output *o)
{
	if (o == NULL)
		return;
	if (o->tmp_path != NULL) {
		close(o->fd);
		unlink(o->tmp_path);
	} else if (!o->is_stdout && o->fd >= 0) {
		close(o->fd);
	} else if (o->is_stdout) {
		flush_buf(o, NULL);   /* stdout cannot be taken back; the status tells */
	}
	output_free(o);
}

int
cx_output_check_not_input(const char *out_path, const char *const *in_paths,
                          size_t n_in, struct cx_error *err)
{
	struct stat so, si;
	size_t i;

	if (out_path == NULL || strcmp(out_path, "-") == 0 || stat(out_path, &so) < 0)
		return 0;
	for (i = 0; i < n_in; i++) {
		if (in_paths[i] == NULL || strcmp(in_paths[i], "-") == 0)
			continue;
		if (stat(in_paths[i], &si) == 0 && si.st_dev == so.st_dev &&
		    si.st_ino == so.st_ino && S_ISREG(so.st_mode))
			return cx_error_set(err, CX_EUSAGE, out_path, 0,
			    "output is the same file as input '%s'", in_paths[i]);
	}
	return 0;
}

char *
cx_read_file(const char *path, size_t limit, size_t *len, struct cx_error *err)
{
	struct cx_input *in;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;

	in = cx_input_open(path, NULL, err);
	if (in == NULL)
		return NULL;
	for (;;) {
		if (cx_grow((void **)&buf, &cap, n + 65536 + 1, 1) < 0) {
			cx_error_set(err, CX_ENOMEM, cx_input_name(in), 0, "out of memory");
			goto fail;
		}
		r = cx_input_read(in, buf + n, cap - n - 1, err);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > limit) {
			cx_error_set(err, CX_ELIMIT, cx_input_name(in), 0,
			    "file larger than %zu bytes", limit);
			goto fail;
		}
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	cx_input_close(in);
	return buf;
fail:
	cx_free(buf);
	cx_input_close(in);
	return NULL;
}
