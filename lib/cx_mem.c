#include <stdint.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cx_err.h"
#include "cx_mem.h"

/* Atomic: reader and writer threads (cx_ahead, cx_plan_ev, cx_io,
 * cx-ingest) allocate too; the count is then the order in which the
 * threads happened to allocate. */
static long fail_at = -1;    /* -1: not read from the environment yet */
static long alloc_count;

static int
should_fail(void)
{
	long f = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);

	if (f < 0) {
		const char *e = getenv("CX_FAIL_ALLOC");
		f = e ? strtol(e, NULL, 10) : 0;
		if (f < 0)
			f = 0;
		__atomic_store_n(&fail_at, f, __ATOMIC_RELAXED);
	}
	return __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED) == f && f > 0;
}

void cx_mem_fail_after(long n)
{
	__atomic_store_n(&alloc_count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_at, n > 0 ? n : 0, __ATOMIC_RELAXED);
}
long cx_mem_count(void) { return __atomic_load_n(&alloc_count, __ATOMIC_RELAXED); }

void *
cx_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
cx_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *
cx_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

int
cx_grow(void **pp, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return CX_ENOMEM;
		ncap *= 2;
	}
	if (size && ncap > SIZE_MAX / size)
		return CX_ENOMEM;
	np = cx_realloc(*pp, ncap * size);
	if (np == NULL)
		return CX_ENOMEM;
	/* arrays that grow past a few MiB (identity keys, sort indexes) are
	 * filled densely: huge pages take a page fault per 2 MiB, not per 4 KiB */
	if (ncap * size >= (8u << 20))
		cx_mem_hint_huge(np, ncap * size);
	*pp = np;
	*cap = ncap;
	return 0;
}

char *
cx_strndup(const char *s, size_t n)
{
	char *d = cx_malloc(n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *cx_strdup(const char *s) { return cx_strndup(s, strlen(s)); }
void cx_free(void *p) { free(p); }

void cx_mem_release(void)
{
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
}

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	/* data follows, 8-byte aligned */
};

struct cx_arena {
	struct arena_block *head;   /* current block */
	struct arena_block *first;
	size_t block;
	size_t used;
};

#define BLOCK_HDR ((sizeof(struct arena_block) + 7) & ~(size_t)7)

struct cx_arena *
cx_arena_new(size_t block)
{
	struct cx_arena *a = cx_calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	a->block = block < 4096 ? 4096 : block;
	return a;
}

void *
cx_arena_alloc(struct cx_arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + 7) & ~(size_t)7;
	void *p;

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		/* Reuse blocks kept by cx_arena_reset before allocating. */
		if (b != NULL && b->next != NULL && b->next->size >= need) {
			b = b->next;
			b->used = 0;
		} else {
			size_t sz = need > a->block ? need : a->block;
			struct arena_block *nb;
			if (sz > SIZE_MAX - BLOCK_HDR)
				return NULL;
			nb = cx_malloc(BLOCK_HDR + sz);
			if (nb == NULL)
				return NULL;
			nb->size = sz;
			nb->used = 0;
			if (b == NULL) {
				nb->next = NULL;
				a->first = nb;
			} else {
				nb->next = b->next;
				b->next = nb;
			}
			b = nb;
		}
		a->head = b;
	}
	p = (char *)b + BLOCK_HDR + b->used;
	b->used += need;
	a->used += need;
	return p;
}

char *
cx_arena_strndup(struct cx_arena *a, const char *s, size_t n)
{
	char *d = cx_arena_alloc(a, n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
cx_arena_reset(struct cx_arena *a)
{
	struct arena_block *b;

	if (a == NULL)
		return;
	for (b = a->first; b != NULL; b = b->next)
		b->used = 0;
	a->head = a->first;
	a->used = 0;
}

size_t cx_arena_used(const struct cx_arena *a) { return a->used; }

void
cx_arena_free(struct cx_arena *a)
{
	struct arena_block *b, *next;

	if (a == NULL)
		return;
	for (b = a->first; b != NULL; b = next) {
		next = b->next;
		cx_free(b);
	}
	cx_free(a);
}

void
cx_mem_hint_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)((2u << 20) - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *
cx_malloc_huge(size_t n)
{
	const size_t huge = (size_t)2 << 20;
	void *p;

	if (n < huge / 4)
		return cx_malloc(n);
	if (n > SIZE_MAX - huge)
		return NULL;
	n = (n + huge - 1) & ~(huge - 1);
	if (should_fail() || posix_memalign(&p, huge, n) != 0)
		return NULL;
	cx_mem_hint_huge(p, n);
	return p;
}
