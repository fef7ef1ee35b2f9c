/* cx_sortspill — external sort with bounded memory (see cx_sortspill.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cx_mem.h"
#include "cx_sortspill.h"

struct ent { uint64_t key; const char *p; uint64_t len; };

#define BLOCK (8u << 20)
/* p: cap bytes from a 2 MiB boundary inside the allocation at mem (the
 * huge page hint then covers the whole block, not all but its ends) */
#define HUGE_ALIGN ((size_t)2 << 20)
struct block { char *p, *mem; size_t cap, used; };

struct run {
	FILE *f;
	char *rec;
	size_t reclen, cap;
	uint64_t key;
	int live;
};

struct cx_sortspill {
	size_t mem;
	char *tmpdir;
	int deferred;
	cx_sort_cmp cmp;
	cx_sort_key keyfn;     /* NULL: comparison only */
	void *ctx;
	struct block *blk;     /* record bytes, in blocks (no big reallocs) */
	size_t nblk, blkcap, curblk;
	size_t nbuf;           /* record bytes held */
	struct ent *idx;
	size_t nidx, idxcap;
	FILE *spool;           /* deferred mode: unsorted spilled records */
	struct run *runs;
	size_t nruns, runcap;
	size_t *heap, nheap;
	size_t pos;            /* in-memory iteration */
	int finished, merging;
	uint64_t count, spilled;
	int cur_run;           /* run whose record was returned last, -1 */
};

int cx_sortspill_tmpfd(const char *tmpdir, struct cx_error *err)
{
	size_t n;
	char *path;
	int fd;

	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	n = strlen(tmpdir) + 32;
	if (!(path = cx_malloc(n)))
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	snprintf(path, n, "%s/cx-sort.XXXXXX", tmpdir);
	fd = mkstemp(path);
	if (fd < 0) {
		int e = errno;
		cx_error_errno(err, CX_ECREAT, e, tmpdir, "cannot create temporary file");
		cx_free(path);
		return CX_ECREAT;
	}
	unlink(path);
	cx_free(path);
	return fd;
}

static int tmpfile_in(struct cx_sortspill *s, FILE **out, struct cx_error *err)
{
	int fd = cx_sortspill_tmpfd(s->tmpdir, err);
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "w+");
	if (!f) {
		close(fd);
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	*out = f;
	return 0;
}

struct cx_sortspill *cx_sortspill_new(size_t mem_limit, const char *tmpdir, int deferred,
                                      cx_sort_cmp cmp, void *ctx, struct cx_error *err)
{
	struct cx_sortspill *s = cx_calloc(1, sizeof *s);

	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (s)
		s->tmpdir = cx_strdup(tmpdir);
	if (!s || !s->tmpdir) {
		cx_free(s);
		cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	s->mem = mem_limit < (64u << 10) ? (64u << 10) : mem_limit;
	s->deferred = deferred;
	s->cmp = cmp;
	s->ctx = ctx;
	s->cur_run = -1;
	return s;
}

/* Free the empty blocks past the memory limit: the caller may have lowered
 * it (cx_sortspill_set_limit) since they were filled, and a block once
 * filled stays resident until freed. */
static void trim_blocks(struct cx_sortspill *s)
{
	size_t keep = 0, sum = 0, i;

	while (keep < s->nblk && (keep <= s->curblk || sum < s->mem))
		sum += s->blk[keep++].cap;
	for (i = keep; i < s->nblk; i++)
		cx_free(s->blk[i].mem);
	if (keep < s->nblk) {
		s->nblk = keep;
		cx_mem_release();
	}
}

void cx_sortspill_set_limit(struct cx_sortspill *s, size_t mem_limit)
{
	s->mem = mem_limit < (64u << 10) ? (64u << 10) : mem_limit;
	if (!s->merging)
		trim_blocks(s);
}

void cx_sortspill_expect(struct cx_sortspill *s, size_t n)
{
	/* the index never exceeds the memory limit */
	if (n > s->mem / sizeof *s->idx)
		n = s->mem / sizeof *s->idx;
	/* on a 2 MiB boundary, hinted (cx_malloc_huge): only the part that
	 * is filled is touched, a huge page at a time, instead of its first
	 * up to 2 MiB by 4 KiB faults */
	if (n > s->idxcap && s->nidx == 0) {
		struct ent *e = cx_malloc_huge(n * sizeof *s->idx);
		if (e) {
			cx_free(s->idx);
			s->idx = e;
			s->idxcap = n;
		}
	}
}

void cx_sortspill_set_key(struct cx_sortspill *s, cx_sort_key key)
{
	s->keyfn = key;
}

static int write_rec(FILE *f, const void *p, size_t n)
{
	uint32_t len = (uint32_t)n;

	if (fwrite(&len, sizeof len, 1, f) != 1)
		return -1;
	if (n && fwrite(p, 1, n, f) != n)
		return -1;
	return 0;
}

/* 1 = record read into r, 0 = end, <0 error */
static int read_rec(FILE *f, char **rec, size_t *cap, size_t *len, struct cx_error *err)
{
	uint32_t n;
	size_t got = fread(&n, 1, sizeof n, f);

	if (got == 0 && !ferror(f))
		return 0;
	if (got != sizeof n)
		goto ioerr;
	if (cx_grow((void **)rec, cap, (size_t)n + 1, 1) < 0)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (n && fread(*rec, 1, n, f) != n)
		goto ioerr;
	*len = n;
	return 1;
ioerr:
	return cx_error_errno(err, CX_EIO, ferror(f) ? errno : EIO, "temporary file",
	                      "cannot read");
}

static int ent_cmp(const void *a, const void *b, void *arg)
{
	struct cx_sortspill *s = arg;
	const struct ent *x = a, *y = b;

	return s->cmp(x->p, x->len, y->p, y->len, s->ctx);
}

static void insertion_sort(struct ent *a, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct ent v = a[i];
		for (j = i; j > 0 && v.key < a[j - 1].key; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* a[0..n) by the comparison (records of one key) */
static void cmp_sort(struct cx_sortspill *s, struct ent *a, size_t n)
{
	size_t i, j;

	if (n > 24) {
		qsort_r(a, n, sizeof *a, ent_cmp, s);
		return;
	}
	for (i = 1; i < n; i++) {
		struct ent v = a[i];
		for (j = i; j > 0 && s->cmp(v.p, v.len, a[j - 1].p, a[j - 1].len, s->ctx) < 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

#define SMALL 24

/* In-place MSD radix sort (American flag sort) on the key alone, 8 bits a
 * level from the top; small buckets by insertion sort.  Records of equal
 * keys are left for order_ties. */
static void radix_sort(struct ent *a, size_t n, int shift)
{
	size_t cnt[256], next[256], end[256], b, i;

	for (;;) {
		if (n <= SMALL) {
			insertion_sort(a, n);
			return;
		}
		memset(cnt, 0, sizeof cnt);
		for (i = 0; i < n; i++)
			cnt[(a[i].key >> shift) & 255]++;
		if (cnt[(a[0].key >> shift) & 255] != n)
			break;
		/* one bucket: go down a digit without moving anything */
		if (shift == 0)
			return;   /* one key */
		shift -= 8;
	}
	for (b = 0, i = 0; b < 256; b++) {
		next[b] = i;
		i += cnt[b];
		end[b] = i;
	}
	for (b = 0; b < 256; b++)
		while (next[b] < end[b]) {
			struct ent v = a[next[b]];
			size_t d = (v.key >> shift) & 255;
			while (d != b) {
				struct ent t = a[next[d]];
				a[next[d]++] = v;
				v = t;
				d = (v.key >> shift) & 255;
			}
			a[next[b]++] = v;
		}
	if (shift == 0)
		return;
	for (b = 0, i = 0; b < 256; i += cnt[b], b++)
		if (cnt[b] >= 2)
			radix_sort(a + i, cnt[b], shift - 8);
}

/* Runs of equal keys (after radix_sort) ordered by the comparison.  It
 * reads the records, which lie anywhere in the buffer: the heads of those
 * a little ahead that share their key with a neighbour start loading
 * first, instead of each comparison waiting for memory. */
#define TIE_AHEAD 16
static void order_ties(struct cx_sortspill *s, struct ent *a, size_t n)
{
	size_t i = 0, j, pf = 1;   /* a[1..pf) looked at for prefetching */

	while (i < n) {
		for (j = i + 1; j < n && a[j].key == a[i].key; j++)
			;
		for (; pf < n && pf < j + TIE_AHEAD; pf++)
			if (a[pf - 1].key == a[pf].key) {
				__builtin_prefetch(a[pf - 1].p);
				__builtin_prefetch(a[pf].p);
			}
		if (j - i >= 2)
			cmp_sort(s, a + i, j - i);
		i = j;
	}
}

static void sort_buffer(struct cx_sortspill *s)
{
	size_t i;

	if (!s->keyfn) {
		if (s->nidx >= 2)
			qsort_r(s->idx, s->nidx, sizeof *s->idx, ent_cmp, s);
		return;
	}
	/* every key, even of a lone record: cx_sortspill_key returns them */
	for (i = 0; i < s->nidx; i++)
		s->idx[i].key = s->keyfn(s->idx[i].p, s->idx[i].len, s->ctx);
	if (s->nidx >= 2) {
		radix_sort(s->idx, s->nidx, 56);
		order_ties(s, s->idx, s->nidx);
	}
}

static void reset_buffer(struct cx_sortspill *s)
{
	size_t i;

	for (i = 0; i < s->nblk; i++)
		s->blk[i].used = 0;
	s->curblk = 0;
	s->nbuf = 0;
	s->nidx = 0;
	/* an index sized under a higher limit is given back too */
	if (s->idxcap * sizeof *s->idx > s->mem) {
		cx_free(s->idx);
		s->idx = NULL;
		s->idxcap = 0;
	}
	trim_blocks(s);
}

static void free_blocks(struct cx_sortspill *s)
{
	size_t i;

	for (i = 0; i < s->nblk; i++)
		cx_free(s->blk[i].mem);
	cx_free(s->blk);
	s->blk = NULL;
	s->nblk = s->blkcap = s->curblk = 0;
}

/* Sort the buffer and write it as a new run. */
static int flush_run(struct cx_sortspill *s, struct cx_error *err)
{
	struct run *r;
	size_t i;
	int rc;

	if (s->nidx == 0)
		return 0;
	sort_buffer(s);
	if (cx_grow((void **)&s->runs, &s->runcap, s->nruns + 1, sizeof *s->runs) < 0)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	r = &s->runs[s->nruns];
	memset(r, 0, sizeof *r);
	if ((rc = tmpfile_in(s, &r->f, err)) < 0)
		return rc;
	s->nruns++;
	for (i = 0; i < s->nidx; i++)
		if (write_rec(r->f, s->idx[i].p, s->idx[i].len) < 0)
			goto ioerr;
	if (fflush(r->f) != 0)
		goto ioerr;
	s->spilled += s->nbuf;
	reset_buffer(s);
	return 0;
ioerr:
	return cx_error_errno(err, CX_EIO, errno, s->tmpdir, "cannot write temporary file");
}

static int flush_spool(struct cx_sortspill *s, struct cx_error *err)
{
	size_t i;
	int rc;

	if (s->nidx == 0)
		return 0;
	if (!s->spool && (rc = tmpfile_in(s, &s->spool, err)) < 0)
		return rc;
	for (i = 0; i < s->nidx; i++)
		if (write_rec(s->spool, s->idx[i].p, s->idx[i].len) < 0)
			return cx_error_errno(err, CX_EIO, errno, s->tmpdir,
			                      "cannot write temporary file");
	s->spilled += s->nbuf;
	reset_buffer(s);
	return 0;
}

static size_t used(const struct cx_sortspill *s)
{
	return s->nbuf + s->nidx * sizeof(struct ent);
}

/* Room for a record of n bytes in the buffer, indexed; NULL on ENOMEM. */
static char *buffer_room(struct cx_sortspill *s, size_t n, struct cx_error *err)
{
	struct block *b;
	char *d;

	if (s->nidx == s->idxcap &&
	    cx_grow((void **)&s->idx, &s->idxcap, s->nidx + 1, sizeof *s->idx) < 0) {
		cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	while (s->curblk < s->nblk && s->blk[s->curblk].cap - s->blk[s->curblk].used < n)
		s->curblk++;
	if (s->curblk == s->nblk) {
		size_t cap = n > BLOCK ? n : BLOCK;
		char *m;
		/* the 2 MiB of slack before the boundary are address space only */
		if (cx_grow((void **)&s->blk, &s->blkcap, s->nblk + 1, sizeof *s->blk) < 0 ||
		    !(m = cx_malloc(cap + HUGE_ALIGN))) {
			cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
			return NULL;
		}
		s->blk[s->nblk].mem = m;
		s->blk[s->nblk].p = (char *)(((uintptr_t)m + HUGE_ALIGN - 1) &
		                             ~(uintptr_t)(HUGE_ALIGN - 1));
		/* hundreds of MB of rows: far fewer page faults and TLB misses */
		cx_mem_hint_huge(s->blk[s->nblk].p, cap);
		s->blk[s->nblk].cap = cap;
		s->blk[s->nblk].used = 0;
		s->nblk++;
	}
	b = &s->blk[s->curblk];
	d = b->p + b->used;
	s->idx[s->nidx].key = 0;
	s->idx[s->nidx].p = d;
	b->used += n;
	s->idx[s->nidx].len = n;
	s->nidx++;
	s->nbuf += n;
	return d;
}

static int buffer_add(struct cx_sortspill *s, const void *rec, size_t n, struct cx_error *err)
{
	char *d = buffer_room(s, n, err);

	if (!d)
		return CX_ENOMEM;
	if (n)
		memcpy(d, rec, n);
	return 0;
}

void *cx_sortspill_reserve(struct cx_sortspill *s, size_t n, struct cx_error *err)
{
	char *d;

	if (n > UINT32_MAX) {
		cx_error_set(err, CX_ELIMIT, NULL, 0, "record too large to sort");
		return NULL;
	}
	if (s->nidx > 0 && used(s) + n + sizeof(struct ent) > s->mem &&
	    (s->deferred ? flush_spool(s, err) : flush_run(s, err)) < 0)
		return NULL;
	if ((d = buffer_room(s, n, err)) != NULL)
		s->count++;
	return d;
}

void cx_sortspill_shrink(struct cx_sortspill *s, size_t n)
{
	struct ent *e = &s->idx[s->nidx - 1];
	size_t cut = e->len - n;

	/* the last record is the last bytes of the current block */
	s->blk[s->curblk].used -= cut;
	s->nbuf -= cut;
	e->len = n;
#if defined(__GNUC__)
	{
		/* the next record goes right after: its first lines start
		 * coming in (for writing) while the caller prepares it, instead
		 * of each store waiting for memory (fresh memory, mostly) */
		const struct block *b = &s->blk[s->curblk];
		const char *q = b->p + b->used;
		size_t room = b->cap - b->used, k;
		for (k = 0; k < 320 && k < room; k += 64)
			__builtin_prefetch(q + k, 1);
	}
#endif
}

void cx_sortspill_cancel(struct cx_sortspill *s)
{
	cx_sortspill_shrink(s, 0);
	s->nidx--;
	s->count--;
}

int cx_sortspill_add(struct cx_sortspill *s, const void *rec, size_t n, struct cx_error *err)
{
	void *d = cx_sortspill_reserve(s, n, err);

	if (!d)
		return err->code ? err->code : CX_ENOMEM;
	if (n)
		memcpy(d, rec, n);
	return 0;
}

/* next record of a run, with its key */
static int read_run(struct cx_sortspill *s, struct run *r, struct cx_error *err)
{
	int rc = read_rec(r->f, &r->rec, &r->cap, &r->reclen, err);

	if (rc == 1 && s->keyfn)
		r->key = s->keyfn(r->rec, r->reclen, s->ctx);
	return rc;
}

/* heap of run indexes ordered by current record */
static int run_less(struct cx_sortspill *s, size_t a, size_t b)
{
	struct run *x = &s->runs[a], *y = &s->runs[b];
	int c;

	if (x->key != y->key)
		return x->key < y->key;
	c = s->cmp(x->rec, x->reclen, y->rec, y->reclen, s->ctx);

	return c < 0 || (c == 0 && a < b);
}

static void sift_down(struct cx_sortspill *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, t;
		if (l < s->nheap && run_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (r < s->nheap && run_less(s, s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			return;
		t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

int cx_sortspill_finish(struct cx_sortspill *s, struct cx_error *err)
{
	size_t i;
	int rc;

	if (s->finished)
		return 0;
	s->finished = 1;
	if (s->deferred && s->spool) {
		char *rec = NULL;
		size_t cap = 0, len;

		if ((rc = flush_spool(s, err)) < 0)
			return rc;
		if (fflush(s->spool) != 0 || fseek(s->spool, 0, SEEK_SET) != 0)
			return cx_error_errno(err, CX_EIO, errno, s->tmpdir,
			                      "cannot rewind temporary file");
		for (;;) {
			rc = read_rec(s->spool, &rec, &cap, &len, err);
			if (rc < 0) {
				cx_free(rec);
				return rc;
			}
			if (rc == 0)
				break;
			if (s->nidx > 0 && used(s) + len + sizeof(struct ent) > s->mem &&
			    (rc = flush_run(s, err)) < 0) {
				cx_free(rec);
				return rc;
			}
			if ((rc = buffer_add(s, rec, len, err)) < 0) {
				cx_free(rec);
				return rc;
			}
		}
		cx_free(rec);
		fclose(s->spool);
		s->spool = NULL;
	}
	if (s->nruns == 0) {
		sort_buffer(s);
		s->pos = 0;
		return 0;
	}
	if ((rc = flush_run(s, err)) < 0)
		return rc;
	/* the in-memory buffer is no longer needed while merging */
	free_blocks(s);
	cx_free(s->idx);
	s->idx = NULL;
	s->idxcap = 0;
	s->heap = cx_calloc(s->nruns, sizeof *s->heap);
	if (!s->heap)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	for (i = 0; i < s->nruns; i++) {
		struct run *r = &s->runs[i];
		if (fflush(r->f) != 0 || fseek(r->f, 0, SEEK_SET) != 0)
			return cx_error_errno(err, CX_EIO, errno, s->tmpdir,
			                      "cannot rewind temporary file");
		rc = read_run(s, r, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			s->heap[s->nheap++] = i;
	}
	for (i = s->nheap; i-- > 0;)
		sift_down(s, i);
	s->merging = 1;
	return 0;
}

#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 4
#endif
int cx_sortspill_next(struct cx_sortspill *s, const void **rec, size_t *n,
                      struct cx_error *err)
{
	if (!s->merging) {
		if (s->pos >= s->nidx)
			return 0;
#if defined(__GNUC__)
		/* sorted records lie anywhere in the blocks: start loading
		 * the whole of the one a few calls ahead (the caller reads
		 * all of each record; lines past 512 bytes load on demand) */
		if (s->pos + PREFETCH_AHEAD < s->nidx) {
			const struct ent *e = &s->idx[s->pos + PREFETCH_AHEAD];
			const char *q = e->p, *end = e->p + (e->len < 512 ? e->len : 512);
			for (q = (const char *)((uintptr_t)q & ~(uintptr_t)63); q < end; q += 64)
				__builtin_prefetch(q);
		}
#endif
		*rec = s->idx[s->pos].p;
		*n = s->idx[s->pos].len;
		s->pos++;
		return 1;
	}
	if (s->cur_run >= 0) {
		/* advance the run we returned from last time */
		struct run *r = &s->runs[s->cur_run];
		int rc = read_run(s, r, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			s->heap[0] = s->heap[--s->nheap];
		if (s->nheap > 0)
			sift_down(s, 0);
		s->cur_run = -1;
	}
	if (s->nheap == 0)
		return 0;
	s->cur_run = (int)s->heap[0];
	*rec = s->runs[s->cur_run].rec;
	*n = s->runs[s->cur_run].reclen;
	return 1;
}

int cx_sortspill_peek(const struct cx_sortspill *s, size_t k, const void **rec, size_t *n)
{
	/* pos is the index of the record the next call returns */
	if (s->merging || k == 0 || s->pos + k - 1 >= s->nidx)
		return 0;
	*rec = s->idx[s->pos + k - 1].p;
	*n = s->idx[s->pos + k - 1].len;
	return 1;
}

uint64_t cx_sortspill_key(const struct cx_sortspill *s)
{
	if (!s->merging)
		return s->pos > 0 ? s->idx[s->pos - 1].key : 0;
	return s->cur_run >= 0 ? s->runs[s->cur_run].key : 0;
}

uint64_t cx_sortspill_count(const struct cx_sortspill *s)
{
	return s->count;
}

size_t cx_sortspill_runs(const struct cx_sortspill *s)
{
	return s->nruns;
}

uint64_t cx_sortspill_spilled_bytes(const struct cx_sortspill *s)
{
	return s->spilled;
}

void cx_sortspill_free(struct cx_sortspill *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nruns; i++) {
		if (s->runs[i].f)
			fclose(s->runs[i].f);
		cx_free(s->runs[i].rec);
	}
	if (s->spool)
		fclose(s->spool);
	cx_free(s->runs);
	cx_free(s->heap);
	free_blocks(s);
	cx_free(s->idx);
	cx_free(s->tmpdir);
	cx_free(s);
}
