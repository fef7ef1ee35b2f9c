/* cx_map — a read-only mapping of a plain input file, so that rows read
 * from it can be kept where they are (an offset and a length) instead of
 * copied into fresh memory.
 *
 * The file is read with read(2) as before (cx_tsv, cx_io: limits, errors
 * and line numbers are theirs); the mapping is only used afterwards to
 * copy the rows out again, so a row's bytes are those that were checked
 * only while the file is unchanged.  cx_map_check compares the file's
 * size, modification and change times, inode and device with those seen
 * when it was mapped: a file changed in between is an error, never a
 * silently different output.  A file cut short while its rows are copied
 * would raise SIGBUS; copies are done inside a guard (cx_map_guard_*) that
 * turns that into an error instead (the guard covers the calling thread
 * and the mappings given to it; any other SIGBUS keeps its action).
 *
 * Ownership: cx_map_open returns a map owned by the caller, released with
 * cx_map_free (accepts NULL).  The file descriptor given stays the
 * caller's (the map keeps a duplicate of its own).
 */
#ifndef CX_MAP_H
#define CX_MAP_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cx_err.h"

struct cx_map {
	const char *p;           /* the file's bytes as mapped */
	size_t n;                /* its size when mapped */
	int fd;                  /* a duplicate, for cx_map_check */
	uint64_t dev, ino;
	struct timespec mtime, ctime;
	char name[256];
};

/* fd's regular file mapped read-only (name for messages), or NULL: not a
 * regular file, empty, too large for the address space, or mmap failed
 * (then the caller reads as without a mapping: err is not set). */
struct cx_map *cx_map_open(int fd, const char *name);
/* 0 while the file is the one mapped (same size, times, inode), else
 * CX_EIO "input changed while being read" in err. */
int cx_map_check(const struct cx_map *m, struct cx_error *err);
/* Map every page of m now (before random reads of it: one pass instead
 * of a fault every few pages; a hint, nothing when it cannot be done). */
void cx_map_populate(const struct cx_map *m);
void cx_map_free(struct cx_map *m);

/* A guarded region over maps[0..n): call sigsetjmp(g->jb, 1) in the
 * function that stays active for the whole region, then
 * cx_map_guard_begin; a SIGBUS raised by this thread on an address in
 * one of the maps comes back from that sigsetjmp with 1, and then
 * cx_map_guard_fault ends the guard and fills err.  cx_map_guard_end
 * ends it otherwise.  One guard at a time per process. */
struct cx_map_guard {
	sigjmp_buf jb;
	struct cx_map *const *maps;
	size_t n;
	const struct cx_map *hit;   /* the map the fault was in */
};

int cx_map_guard_begin(struct cx_map_guard *g, struct cx_map *const *maps, size_t n,
                       struct cx_error *err);
void cx_map_guard_end(struct cx_map_guard *g);
int cx_map_guard_fault(struct cx_map_guard *g, struct cx_error *err);

#endif
