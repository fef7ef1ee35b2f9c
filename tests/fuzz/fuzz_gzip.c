/* fuzz_gzip — cx_input over arbitrary bytes as a file.  Oracles: no crash
 * or sanitizer report; every way of inflating (ISA-L's and zlib's inflate,
 * each in a second thread and in the caller's) gives the same bytes and
 * the same ending: a clean end, or the same error code.  Messages are the
 * same between the two threads; between the two inflaters only their kind
 * is (a fault found at a different byte may read as truncated in one and
 * corrupt in the other, and the detail after "corrupt gzip input:" is the
 * inflater's own wording). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_io.h"
#include "fuzz_tmpdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

struct outcome {
	unsigned char *bytes;
	size_t len;
	ssize_t rc;
	char msg[sizeof ((struct cx_error *)0)->msg];
};

/* the way of inflating named by k, and what it gave, for the abort report */
static void report(int k, const struct outcome *o)
{
	fprintf(stderr, "fuzz_gzip: %s, %s: %zu bytes, rc %zd, \"%s\"\n",
	    k >> 1 ? "zlib" : "default inflate", k & 1 ? "caller's thread" : "thread",
	    o->len, o->rc, o->msg);
}

/* Read the whole file in reads of odd sizes; keep at most 4 MiB. */
static void read_all(const char *path, int k, struct outcome *o)
{
	struct cx_input_opts opts = { .no_thread = k & 1, .zlib_inflate = k >> 1,
	                              .max_input_bytes = 4u << 20 };
	struct cx_error err;
	struct cx_input *in;
	size_t step = 1;
	ssize_t r;

	memset(o, 0, sizeof *o);
	in = cx_input_open(path, &opts, &err);
	if (in == NULL) {
		o->rc = err.code;
		snprintf(o->msg, sizeof o->msg, "%s", err.msg);
		return;
	}
	o->bytes = malloc((4u << 20) + 4096);
	if (o->bytes == NULL)
		abort();
	while ((r = cx_input_read(in, o->bytes + o->len, step, &err)) > 0) {
		o->len += (size_t)r;
		step = step % 4093 + 1;
	}
	o->rc = r;
	if (r < 0)
		snprintf(o->msg, sizeof o->msg, "%s", err.msg);
	cx_input_close(in);
}

static int is_gzip_fault(const char *m)
{
	return strncmp(m, "corrupt gzip input", 18) == 0 ||
	       strncmp(m, "truncated gzip input", 20) == 0 ||
	       strcmp(m, "trailing garbage after gzip data") == 0;
}

static int same_kind(const char *a, const char *b)
{
	return strcmp(a, b) == 0 || (is_gzip_fault(a) && is_gzip_fault(b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome first, other;
	char path[128];
	FILE *f;
	int k;

	if (dir[0] == '\0')
		fuzz_tmpdir(dir, "fuzz_gzip");
	snprintf(path, sizeof path, "%s/in", dir);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	read_all(path, 0, &first);
	for (k = 1; k < 4; k++) {
		read_all(path, k, &other);
		/* before an error, how far each got depends on its chunking */
		if (other.rc != first.rc || (k < 2 && strcmp(other.msg, first.msg) != 0) ||
		    (k >= 2 && !same_kind(other.msg, first.msg)) ||
		    (first.rc >= 0 && other.len != first.len) ||
		    memcmp(other.bytes, first.bytes, other.len < first.len ? other.len : first.len) != 0) {
			report(0, &first);
			report(k, &other);
			abort();
		}
		free(other.bytes);
	}
	free(first.bytes);
	return 0;
}
