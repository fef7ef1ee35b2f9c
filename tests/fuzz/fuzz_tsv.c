/* Fuzz target: the canonical TSV reader and the customer grouper.  Any input
 * must give rows or a clean error, never a crash, leak or hang; every row
 * read must survive write-then-read unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cx_tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
open_mem(const uint8_t *data, size_t size, char *path, size_t pathsz)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, pathsz, "/proc/self/fd/%d", fd);
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err;
	struct cx_tsv_reader *r;
	struct cx_tsv_grouper *g;
	const struct cx_tsv_group *grp;
	struct cx_tsv_opts o = { .max_line_bytes = 4096, .max_columns = 64 };
	char path[64];
	int fd, rc;

	fd = open_mem(data, size, path, sizeof path);
	if (fd < 0)
		return 0;
	/* Pass 1: rows, with an escape round trip of every field. */
	r = cx_tsv_open(path, &o, &err);
	if (r != NULL) {
		while ((rc = cx_tsv_next(r, &err)) == 1) {
			const struct cx_field *f = cx_tsv_fields(r);
			size_t i;
			for (i = 0; i < cx_tsv_ncols(r); i++) {
				char buf[2 * 4096 + 2];
				size_t n = cx_tsv_escape(buf, f[i].p, f[i].n);
				long m = cx_tsv_unescape(buf, n);
				if (m != (long)f[i].n || memcmp(buf, f[i].p, f[i].n) != 0)
					__builtin_trap();
			}
		}
		cx_tsv_close(r);
	}
	/* Pass 2: grouping on the first column. */
	r = cx_tsv_open(path, &o, &err);
	if (r != NULL) {
		g = cx_tsv_grouper_new(r, 0, 50, &err);
		if (g != NULL)
			while (cx_tsv_grouper_next(g, &grp, &err) == 1)
				if (grp->nrows == 0)
					__builtin_trap();
		cx_tsv_grouper_free(g);
		cx_tsv_close(r);
	}
	close(fd);
	return 0;
}
