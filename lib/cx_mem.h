/* cx_mem — every allocation of the project goes through here, so that tests
 * can fail the Nth allocation (out-of-memory injection) and check that each
 * caller fails cleanly.
 *
 * Ownership: memory returned by cx_malloc/cx_calloc/cx_realloc/cx_strdup is
 * owned by the caller and released with cx_free (which accepts NULL).
 * The functions return NULL on failure and never exit.
 */
#ifndef CX_MEM_H
#define CX_MEM_H

#include <stddef.h>

void *cx_malloc(size_t n);
void *cx_calloc(size_t count, size_t size);   /* overflow-checked */
void *cx_realloc(void *p, size_t n);
/* Grow an array of `*cap` elements of `size` bytes to hold at least `need`;
 * returns 0 or CX_ENOMEM (leaving *pp untouched). */
int cx_grow(void **pp, size_t *cap, size_t need, size_t size);
char *cx_strdup(const char *s);
char *cx_strndup(const char *s, size_t n);
void cx_free(void *p);
/* Give memory freed so far back to the system: glibc keeps freed blocks
 * below its (self-raising) mmap threshold resident otherwise, which a
 * memory budget that lowers a sort buffer would not see go away.  For
 * rare calls only (it walks the allocator's free lists). */
void cx_mem_release(void);
/* Ask for transparent huge pages on the whole 2 MiB pages inside [p, p+n):
 * far fewer page faults and TLB misses for a large buffer read or written
 * at random (a hash table of millions of slots).  Only a hint; best done
 * before the pages are first touched. */
void cx_mem_hint_huge(void *p, size_t n);
/* An array of n bytes that will be filled densely (an index sized from
 * the expected row count): from 512 KiB on, it is allocated on a 2 MiB
 * boundary, its size rounded up to whole 2 MiB pages, and hinted as
 * above, so that all of it (not all but its ends) can take huge pages:
 * on a VM, every 4 KiB first touch is a costly fault.  Untouched pages
 * stay address space only.  Smaller n: cx_malloc.  Contents undefined;
 * released with cx_free, cx_realloc works on it (the result may lose
 * the alignment). */
void *cx_malloc_huge(size_t n);

/* Test hook: make the Nth allocation from now on fail (1 = the next one);
 * 0 disables.  Also read from the environment variable CX_FAIL_ALLOC at the
 * first allocation, so command-line tests can inject failures. */
void cx_mem_fail_after(long n);
/* Number of allocations made so far (for tests that loop over N). */
long cx_mem_count(void);

/* Arena: many small allocations freed together (rows of one customer,
 * strings of one model file).  cx_arena_free accepts NULL. */
struct cx_arena;
struct cx_arena *cx_arena_new(size_t block);
void *cx_arena_alloc(struct cx_arena *a, size_t n);       /* 8-byte aligned */
char *cx_arena_strndup(struct cx_arena *a, const char *s, size_t n);
void cx_arena_reset(struct cx_arena *a);   /* keeps the first block */
size_t cx_arena_used(const struct cx_arena *a);
void cx_arena_free(struct cx_arena *a);

#endif
