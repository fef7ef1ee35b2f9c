/* cx_identity — union-find over accounts (see cx_identity.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cx_hash.h"
#include "cx_identity.h"
#include "cx_mem.h"
#include "cx_sortspill.h"

/* A slot of the open-addressing table: 32 bits of the key's hash (its low
 * bits give the home slot, so a rehash never reads the keys) and a
 * reference: an account ordinal, or LINKBIT | the offset / 4 of a linking
 * value's record in lbytes (its first account, its length, then type +
 * value: one place to load when a value is found again, the usual case).
 * The key bytes are compared only when the hash bits match. */
struct slot {
	uint32_t h;      /* 0 = empty (forced non-zero) */
	uint32_t ref;
};

#define LINKBIT 0x80000000u
#define MAX_ACCOUNTS (LINKBIT - 1)
#define LREC 6           /* link record header: u32 first account, u16 length */

/* Spilled mode: the key log, one record per account in ordinal order, at
 * 8-byte aligned offsets (the table's ref is offset / 8: 32 GiB at most):
 * u32 ordinal, u16 key length, u16 0, u64 content hash, key bytes, padding.
 * Link records (sorted): u64 hash of type + value, u32 ordinal, type +
 * value.  Minimum-key records (sorted): u32 root, key bytes. */
#define LOGHDR 16
#define LOGBUF (1u << 20)
#define LINKHDR 12
#define MAX_LOG ((uint64_t)UINT32_MAX * 8)

struct cx_identity {
	struct slot *tab;
	size_t tabcap, tabn;       /* power of two, used */
	char *bytes;               /* "source\x1faccount" of accounts */
	size_t nbytes, bytescap;
	char *lbytes;              /* records of linking values */
	size_t nlbytes, lbytescap;
	/* accounts */
	uint32_t *parent;
	uint64_t *hk;              /* content hash before finish, customer key after */
	uint32_t *akoff;           /* offset of "source\x1faccount" in bytes */
	uint16_t *aklen;
	size_t n, cap;
	/* distinct linking values */
	size_t nl;                 /* their records in lbytes, one after the other */
	size_t customers;
	int finished;
	/* spilling (cx_identity_set_spill) */
	size_t limit;              /* 0: never */
	char *tmpdir;
	int spilled;
	int logfd;
	char *wbuf;                /* LOGBUF bytes: key log writes, then reads */
	size_t wn;                 /* bytes in wbuf */
	uint64_t flushed;          /* key log bytes on disk */
	char *rbuf;                /* a key log record read back */
	size_t rcap;
	struct cx_sortspill *links;
	size_t tabwant;            /* cx_identity_expect: the next rehash's size at least */
};

/* A 4-byte load read as little-endian, whatever the machine's order. */
static inline uint32_t le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

uint64_t cx_identity_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
		h ^= h >> 29;
		b += 8;
		n -= 8;
	}
	if (n) {
		/* the last 1..7 bytes as one little-endian word, from fixed-size
		 * loads (a memcpy of n bytes is a library call) */
		uint64_t w;
		if (n >= 4) {
			uint32_t lo, hi;
			memcpy(&lo, b, 4);
			memcpy(&hi, b + n - 4, 4);
			w = (uint64_t)le32(lo) | (uint64_t)le32(hi) << (8 * (n - 4));
		} else
			w = (uint64_t)b[0] | (uint64_t)b[n / 2] << (8 * (n / 2)) |
			    (uint64_t)b[n - 1] << (8 * (n - 1));
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
	}
	return cx_hash_fmix64(h);
}

/* Four independent lanes of 8 bytes: the multiplies of one lane do not
 * wait for the previous word of another, so a 250-byte line hashes in
 * about a quarter of cx_identity_hash's serial chain. */
uint64_t cx_identity_content_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	const uint64_t m1 = 0x87c37b91114253d5ULL, m2 = 0x4cf5ad432745937fULL;
	uint64_t h0 = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
	uint64_t h1 = h0 ^ 0x6a09e667f3bcc909ULL, h2 = h0 ^ 0xbb67ae8584caa73bULL;
	uint64_t h3 = h0 ^ 0x3c6ef372fe94f82bULL;

	while (n >= 32) {
		uint64_t w0, w1, w2, w3;
		memcpy(&w0, b, 8);
		memcpy(&w1, b + 8, 8);
		memcpy(&w2, b + 16, 8);
		memcpy(&w3, b + 24, 8);
		h0 = (h0 ^ (w0 * m1)) * m2;
		h1 = (h1 ^ (w1 * m1)) * m2;
		h2 = (h2 ^ (w2 * m1)) * m2;
		h3 = (h3 ^ (w3 * m1)) * m2;
		h0 ^= h0 >> 29;
		h1 ^= h1 >> 29;
		h2 ^= h2 >> 29;
		h3 ^= h3 >> 29;
		b += 32;
		n -= 32;
	}
	h0 = cx_hash_fmix64(h0) ^ cx_hash_fmix64(h1 + 0x9e3779b97f4a7c15ULL) * 3 ^
	     cx_hash_fmix64(h2 + 0x3c6ef372fe94f82bULL) * 5 ^
	     cx_hash_fmix64(h3 + 0xa54ff53a5f1d36f1ULL) * 7;
	/* the tail (under 32 bytes) through the serial hash */
	return cx_hash_fmix64(h0 ^ cx_identity_hash(b, n));
}

struct cx_identity *cx_identity_new(void)
{
	struct cx_identity *id = cx_calloc(1, sizeof *id);

	if (!id)
		return NULL;
	id->tabcap = 1024;
	id->tab = cx_calloc(id->tabcap, sizeof *id->tab);
	if (!id->tab) {
		cx_free(id);
		return NULL;
	}
	return id;
}

void cx_identity_free(struct cx_identity *id)
{
	if (!id)
		return;
	cx_free(id->tab);
	cx_free(id->bytes);
	cx_free(id->lbytes);
	cx_free(id->parent);
	cx_free(id->hk);
	cx_free(id->akoff);
	cx_free(id->aklen);
	cx_free(id->tmpdir);
	cx_free(id->wbuf);
	cx_free(id->rbuf);
	cx_sortspill_free(id->links);
	if (id->spilled && id->logfd >= 0)
		close(id->logfd);
	cx_free(id);
}

int cx_identity_set_spill(struct cx_identity *id, size_t limit, const char *tmpdir,
                          struct cx_error *err)
{
	cx_free(id->tmpdir);
	id->tmpdir = NULL;
	if (tmpdir && !(id->tmpdir = cx_strdup(tmpdir)))
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	id->limit = limit;
	return 0;
}

static int rehash(struct cx_identity *id);

/* *p (its first `used` bytes kept) moved to a new array of n bytes from
 * cx_malloc_huge; 0, or CX_ENOMEM leaving *p as it was. */
static int regrow(void **p, size_t used, size_t n)
{
	void *q = cx_malloc_huge(n);

	if (!q)
		return CX_ENOMEM;
	if (used)
		memcpy(q, *p, used);
	cx_free(*p);
	*p = q;
	return 0;
}

void cx_identity_expect(struct cx_identity *id, size_t accounts)
{
	size_t keys, ncap = id->tabcap;

	if (id->spilled || id->finished || id->n == 0 || accounts <= id->n)
		return;
	/* keys per account as seen so far, and a sixteenth more */
	keys = (size_t)((uint64_t)accounts * id->tabn / id->n);
	keys += keys / 16;
	while ((keys + 1) * 4 >= ncap * 3 && ncap < ((size_t)1 << 31))
		ncap *= 2;
	/* an index that will spill anyway grows as before (a big table early
	 * would only take memory from the caller's other buffers sooner) */
	if (id->limit && ncap * sizeof *id->tab > id->limit / 4)
		return;
	if (ncap > id->tabcap) {
		id->tabwant = ncap;
		(void)rehash(id);   /* a hint: on ENOMEM it grows as before */
		id->tabwant = 0;
	}
	/* the per-account arrays and the key bytes too, a sixteenth more than
	 * expected, on huge pages from the start (cx_malloc_huge): grown by
	 * doubling, each of them took a 4 KiB page fault per 4 KiB filled */
	accounts += accounts / 16;
	if (accounts > MAX_ACCOUNTS)
		accounts = MAX_ACCOUNTS;
	/* ... unless that would bring the index near its limit (it would
	 * spill sooner than when grown as needed) */
	if (id->limit && id->tabcap * sizeof *id->tab +
	    (uint64_t)accounts * (sizeof *id->parent + sizeof *id->hk + sizeof *id->akoff +
	                          sizeof *id->aklen) +
	    (uint64_t)accounts * (id->nbytes + id->nlbytes) / id->n > id->limit / 2)
		return;
	if (accounts > id->cap &&
	    regrow((void **)&id->parent, id->n * sizeof *id->parent,
	           accounts * sizeof *id->parent) == 0 &&
	    regrow((void **)&id->hk, id->n * sizeof *id->hk, accounts * sizeof *id->hk) == 0 &&
	    regrow((void **)&id->akoff, id->n * sizeof *id->akoff,
	           accounts * sizeof *id->akoff) == 0 &&
	    regrow((void **)&id->aklen, id->n * sizeof *id->aklen,
	           accounts * sizeof *id->aklen) == 0)
		id->cap = accounts;
	keys = (size_t)((uint64_t)accounts * id->nbytes / id->n);
	if (keys > id->bytescap && keys <= UINT32_MAX &&
	    regrow((void **)&id->bytes, id->nbytes, keys) == 0)
		id->bytescap = keys;
	keys = (size_t)((uint64_t)accounts * id->nlbytes / id->n);
	if (keys > id->lbytescap && keys <= UINT32_MAX &&
	    regrow((void **)&id->lbytes, id->nlbytes, keys) == 0)
		id->lbytescap = keys;
}

/* The table, and when it is close to growing the new table too (old and
 * new are both held while rehashing): announced a little early, so that
 * the caller's other buffers make room before the rehash. */
#define NEAR_GROWTH 8192
static size_t table_bytes(const struct cx_identity *id)
{
	size_t t = id->tabcap * sizeof *id->tab;

	return (id->tabn + NEAR_GROWTH) * 4 >= id->tabcap * 3 ? 3 * t : t;
}

/* Spilled: the table and the union-find parents, the key log buffer, and
 * the link sort buffer gets what is left of the limit (at least 64 KiB),
 * but at most a quarter of it: a buffer that shrinks as the table grows
 * would hold on to the memory of its first fill until its next spill. */
static size_t spill_fixed(const struct cx_identity *id)
{
	return table_bytes(id) + id->cap * sizeof *id->parent + LOGBUF;
}

static size_t share_of(size_t limit, size_t fixed)
{
	size_t floor = 64u << 10, l = limit > fixed + floor ? limit - fixed : floor;

	return l > limit / 4 && limit / 4 > floor ? limit / 4 : l;
}

static size_t spill_share(const struct cx_identity *id)
{
	return share_of(id->limit, spill_fixed(id));
}

size_t cx_identity_memory(const struct cx_identity *id)
{
	if (id->finished)
		return id->cap * sizeof *id->hk;
	if (id->spilled)
		return spill_fixed(id) + spill_share(id);
	return table_bytes(id) + id->bytescap +
	       id->cap * (sizeof *id->parent + sizeof *id->hk + sizeof *id->akoff +
	                  sizeof *id->aklen) +
	       id->lbytescap;
}

static int rehash(struct cx_identity *id)
{
	size_t ncap = id->tabcap * 2 > id->tabwant ? id->tabcap * 2 : id->tabwant, i;
	struct slot *nt;

	if (ncap > ((size_t)1 << 32))
		return CX_ELIMIT;
	if (ncap > SIZE_MAX / sizeof *nt)
		return CX_ENOMEM;
	/* all of it on huge pages when large (not all but its unaligned ends) */
	nt = cx_malloc_huge(ncap * sizeof *nt);
	if (!nt)
		return CX_ENOMEM;
	memset(nt, 0, ncap * sizeof *nt);
	for (i = 0; i < id->tabcap; i++) {
		struct slot *s = &id->tab[i];
		size_t j;
		if (!s->h)
			continue;
		for (j = s->h & (ncap - 1); nt[j].h; j = (j + 1) & (ncap - 1))
			;
		nt[j] = *s;
	}
	cx_free(id->tab);
	id->tab = nt;
	id->tabcap = ncap;
	if (id->links)
		cx_sortspill_set_limit(id->links, spill_share(id));
	return 0;
}

static const char *ref_bytes(const struct cx_identity *id, uint32_t ref, size_t *len)
{
	if (ref & LINKBIT) {
		const char *rec = id->lbytes + (size_t)(ref & ~LINKBIT) * 4;
		uint16_t l;
		memcpy(&l, rec + 4, 2);
		*len = l;
		return rec + LREC;
	}
	*len = id->aklen[ref];
	return id->bytes + id->akoff[ref];
}

/* Find key k (an account's "source\x1faccount" when is_link is 0, else
 * type + value); *slot gets its slot or the empty slot where it goes.
 * Returns 1 when found. */
/* The table's hash of a key: 32 bits, never 0 (0 marks an empty slot). */
static uint32_t slot_hash(const char *k, size_t klen)
{
	return (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
}

static int probe(const struct cx_identity *id, const char *k, size_t klen, int is_link,
                 uint32_t h, size_t *slot)
{
	size_t j;

	for (j = h & (id->tabcap - 1);; j = (j + 1) & (id->tabcap - 1)) {
		const struct slot *s = &id->tab[j];
		const char *b;
		size_t bl;
		if (!s->h)
			break;
		if (s->h != h || !(s->ref & LINKBIT) != !is_link)
			continue;
		b = ref_bytes(id, s->ref, &bl);
		if (bl == klen && memcmp(b, k, klen) == 0) {
			*slot = j;
			return 1;
		}
	}
	*slot = j;
	return 0;
}

static int add_bytes(struct cx_identity *id, const char *a, size_t an, const char *b,
                     size_t bn, int two, uint32_t *off)
{
	size_t klen = an + (two ? 1 + bn : 0);

	if (id->nbytes + klen > UINT32_MAX)
		return CX_ELIMIT;
	if (cx_grow((void **)&id->bytes, &id->bytescap, id->nbytes + klen, 1) < 0)
		return CX_ENOMEM;
	memcpy(id->bytes + id->nbytes, a, an);
	if (two) {
		id->bytes[id->nbytes + an] = '\x1f';
		memcpy(id->bytes + id->nbytes + an + 1, b, bn);
	}
	*off = (uint32_t)id->nbytes;
	id->nbytes += klen;
	return 0;
}

/* A linking value's record (first account, length, type + value) at a
 * 4-byte aligned offset of lbytes. */
static int add_link_rec(struct cx_identity *id, uint32_t first, const char *k, size_t klen,
                        uint32_t *off)
{
	size_t at = (id->nlbytes + 3) & ~(size_t)3;
	uint16_t l = (uint16_t)klen;

	if (at + LREC + klen > UINT32_MAX)
		return CX_ELIMIT;
	if (cx_grow((void **)&id->lbytes, &id->lbytescap, at + LREC + klen, 1) < 0)
		return CX_ENOMEM;
	memcpy(id->lbytes + at, &first, 4);
	memcpy(id->lbytes + at + 4, &l, 2);
	memcpy(id->lbytes + at + LREC, k, klen);
	*off = (uint32_t)at;
	id->nlbytes = at + LREC + klen;
	return 0;
}

/* Make room for one more key in the table (before probing for it). */
static int reserve_slot(struct cx_identity *id)
{
	if ((id->tabn + 1) * 4 >= id->tabcap * 3)
		return rehash(id);
	return 0;
}

static int resize(void *pp, size_t n, size_t el)
{
	void **p = pp;
	void *q = cx_realloc(*p, n * el);

	if (!q)
		return -1;
	*p = q;
	return 0;
}

static int fail(struct cx_error *err, int rc)
{
	if (rc == CX_ELIMIT)
		return cx_error_set(err, CX_ELIMIT, NULL, 0,
		                    "identity index limit reached (4 GiB of keys)");
	return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
}

/* ---- spilled mode ---------------------------------------------------------- */

static int io_fail(const struct cx_identity *id, struct cx_error *err, int e, const char *what)
{
	return cx_error_errno(err, CX_EIO, e, id->tmpdir ? id->tmpdir : "", "cannot %s the "
	                      "temporary file of the identity index", what);
}

static int log_flush(struct cx_identity *id, struct cx_error *err)
{
	size_t o = 0;

	while (o < id->wn) {
		ssize_t w = write(id->logfd, id->wbuf + o, id->wn - o);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return io_fail(id, err, errno, "write");
		}
		o += (size_t)w;
	}
	id->flushed += id->wn;
	id->wn = 0;
	return 0;
}

static int log_append(struct cx_identity *id, uint32_t ord, const char *k, size_t klen,
                      uint64_t content_hash, uint32_t *off8, struct cx_error *err)
{
	size_t rl = (LOGHDR + klen + 7) & ~(size_t)7;
	uint64_t off = id->flushed + id->wn;
	uint16_t kl = (uint16_t)klen, z = 0;
	char *d;
	int rc;

	if (off + rl > MAX_LOG)
		return cx_error_set(err, CX_ELIMIT, NULL, 0,
		                    "identity index limit reached (32 GiB of spilled keys)");
	if (id->wn + rl > LOGBUF && (rc = log_flush(id, err)) < 0)
		return rc;
	d = id->wbuf + id->wn;
	memcpy(d, &ord, 4);
	memcpy(d + 4, &kl, 2);
	memcpy(d + 6, &z, 2);
	memcpy(d + 8, &content_hash, 8);
	memcpy(d + LOGHDR, k, klen);
	memset(d + LOGHDR + klen, 0, rl - LOGHDR - klen);
	id->wn += rl;
	*off8 = (uint32_t)(off / 8);
	return 0;
}

/* The key log record at off8 (from the write buffer if not yet on disk):
 * *rec points to its header, the key follows. */
static int log_read(struct cx_identity *id, uint32_t off8, const char **rec,
                    struct cx_error *err)
{
	uint64_t off = (uint64_t)off8 * 8;
	size_t got = 0, want = LOGHDR + 240;
	uint16_t kl;

	if (off >= id->flushed) {
		*rec = id->wbuf + (off - id->flushed);
		return 0;
	}
	if (!id->rbuf) {
		id->rcap = LOGHDR + UINT16_MAX + 8;
		if (!(id->rbuf = cx_malloc(id->rcap)))
			return fail(err, CX_ENOMEM);
	}
	for (;;) {
		while (got < want) {
			ssize_t k = pread(id->logfd, id->rbuf + got, want - got, (off_t)(off + got));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return io_fail(id, err, errno, "read");
			if (k == 0)
				break;
			got += (size_t)k;
		}
		if (got < LOGHDR)
			return cx_error_set(err, CX_EINTERNAL, NULL, 0,
			                    "internal error: identity key log truncated");
		memcpy(&kl, id->rbuf + 4, 2);
		if (got >= LOGHDR + (size_t)kl)
			break;
		if (want >= LOGHDR + (size_t)kl)
			return cx_error_set(err, CX_EINTERNAL, NULL, 0,
			                    "internal error: identity key log truncated");
		want = LOGHDR + kl;
	}
	*rec = id->rbuf;
	return 0;
}

static uint64_t link_key(const void *rec, size_t n, void *ctx)
{
	uint64_t h;

	(void)n;
	(void)ctx;
	memcpy(&h, rec, 8);
	return h;
}

static int link_cmp(const void *a, size_t an, const void *b, size_t bn, void *ctx)
{
	uint64_t x = link_key(a, an, ctx), y = link_key(b, bn, ctx);

	if (x != y)
		return x < y ? -1 : 1;
	return cx_sort_bytes_cmp((const char *)a + LINKHDR, an - LINKHDR, (const char *)b + LINKHDR,
	                 bn - LINKHDR);
}

/* Minimum-key records: the root, then the first 4 key bytes (zero padded,
 * which keeps byte order with shorter keys first). */
static uint64_t min_key(const void *rec, size_t n, void *ctx)
{
	const unsigned char *p = rec;
	uint32_t r;
	uint64_t k;
	size_t i;

	(void)ctx;
	memcpy(&r, p, 4);
	k = (uint64_t)r << 32;
	for (i = 0; i < 4; i++)
		k |= (uint64_t)(4 + i < n ? p[4 + i] : 0) << (24 - 8 * i);
	return k;
}

static int min_cmp(const void *a, size_t an, const void *b, size_t bn, void *ctx)
{
	uint32_t x, y;

	(void)ctx;
	memcpy(&x, a, 4);
	memcpy(&y, b, 4);
	if (x != y)
		return x < y ? -1 : 1;
	return cx_sort_bytes_cmp((const char *)a + 4, an - 4, (const char *)b + 4, bn - 4);
}

static int link_spilled(struct cx_identity *id, uint32_t ordinal, const char *k, size_t klen,
                        struct cx_error *err)
{
	char *d = cx_sortspill_reserve(id->links, LINKHDR + klen, err);
	uint64_t h = cx_identity_hash(k, klen);

	if (!d)
		return err->code ? err->code : CX_ENOMEM;
	memcpy(d, &h, 8);
	memcpy(d + 8, &ordinal, 4);
	memcpy(d + LINKHDR, k, klen);
	return 0;
}

/* The in-memory index grew past the limit: its accounts go to the key log
 * (the table keeps only account slots, referring to the log), its linking
 * values become link records (value, first account; the later accounts of
 * that value are already joined to it). */
static int to_spill(struct cx_identity *id, struct cx_error *err)
{
	size_t ncap, i, f;
	struct slot *nt;
	int rc;

	for (ncap = 1024; (id->n + 1) * 4 >= ncap * 3; ncap *= 2)
		;
	f = ncap * sizeof *id->tab + id->cap * sizeof *id->parent + LOGBUF;
	id->links = cx_sortspill_new(share_of(id->limit, f), id->tmpdir, 0, link_cmp, NULL, err);
	if (!id->links)
		return err->code ? err->code : CX_ENOMEM;
	cx_sortspill_set_key(id->links, link_key);
	if (!(id->wbuf = cx_malloc(LOGBUF)))
		return fail(err, CX_ENOMEM);
	if ((id->logfd = cx_sortspill_tmpfd(id->tmpdir, err)) < 0)
		return id->logfd;
	id->spilled = 1;
	/* the old table goes first and the new one is filled from the keys
	 * (hashed again), then the account arrays go before the link records
	 * take memory: the conversion stays within what the index held */
	cx_free(id->tab);
	id->tab = NULL;
	id->tabcap = id->tabn = 0;
	if (!(nt = cx_calloc(ncap, sizeof *nt)))
		return fail(err, CX_ENOMEM);
	cx_mem_hint_huge(nt, ncap * sizeof *nt);
	id->tab = nt;
	id->tabcap = ncap;
	for (i = 0; i < id->n; i++) {
		const char *k = id->bytes + id->akoff[i];
		uint32_t off8, h = slot_hash(k, id->aklen[i]);
		size_t j;
		if ((rc = log_append(id, (uint32_t)i, k, id->aklen[i], id->hk[i], &off8, err)) < 0)
			return rc;
		for (j = h & (ncap - 1); nt[j].h; j = (j + 1) & (ncap - 1))
			;
		nt[j].h = h;
		nt[j].ref = off8;
	}
	id->tabn = id->n;
	cx_free(id->hk);
	cx_free(id->aklen);
	cx_free(id->akoff);
	id->hk = NULL;
	id->aklen = NULL;
	id->akoff = NULL;
	for (i = 0, f = 0; i < id->nl; i++) {
		const char *rec = id->lbytes + f;
		uint32_t first;
		uint16_t l;
		memcpy(&first, rec, 4);
		memcpy(&l, rec + 4, 2);
		if ((rc = link_spilled(id, first, rec + LREC, l, err)) < 0)
			return rc;
		f = (f + LREC + l + 3) & ~(size_t)3;
	}
	cx_free(id->bytes);
	cx_free(id->lbytes);
	id->bytes = id->lbytes = NULL;
	id->nbytes = id->bytescap = id->nlbytes = id->lbytescap = id->nl = 0;
	cx_sortspill_set_limit(id->links, spill_share(id));
	cx_mem_release();
	return 0;
}

static int add_spilled(struct cx_identity *id, const char *k, size_t klen, uint32_t h,
                       uint64_t content_hash, uint32_t *ordinal, struct cx_error *err)
{
	size_t j;
	uint32_t off8;
	int rc;

	for (j = h & (id->tabcap - 1); id->tab[j].h; j = (j + 1) & (id->tabcap - 1)) {
		const char *rec = NULL;
		uint16_t kl;
		uint64_t ch;
		if (id->tab[j].h != h)
			continue;
		if ((rc = log_read(id, id->tab[j].ref, &rec, err)) < 0)
			return rc;
		memcpy(&kl, rec + 4, 2);
		if (kl != klen || memcmp(rec + LOGHDR, k, klen) != 0)
			continue;
		memcpy(ordinal, rec, 4);
		memcpy(&ch, rec + 8, 8);
		return ch == content_hash ? CX_ID_DUPLICATE : CX_ID_CONFLICT;
	}
	if (id->n == id->cap) {
		size_t c = id->cap ? id->cap * 2 : 1024;
		if (resize(&id->parent, c, sizeof *id->parent) < 0)
			return fail(err, CX_ENOMEM);
		id->cap = c;
		cx_sortspill_set_limit(id->links, spill_share(id));
	}
	if ((rc = log_append(id, (uint32_t)id->n, k, klen, content_hash, &off8, err)) < 0)
		return rc;
	id->parent[id->n] = (uint32_t)id->n;
	id->tab[j].h = h;
	id->tab[j].ref = off8;
	id->tabn++;
	*ordinal = (uint32_t)id->n;
	id->n++;
	if ((id->n & 1023) == 0)
		cx_sortspill_set_limit(id->links, spill_share(id));
	return CX_ID_NEW;
}


int cx_identity_add(struct cx_identity *id, const char *source, size_t sn,
                    const char *account, size_t an, uint64_t content_hash,
                    uint32_t *ordinal, struct cx_error *err)
{
	return cx_identity_add_h(id, source, sn, account, an, 0, content_hash, ordinal, err);
}

int cx_identity_add_h(struct cx_identity *id, const char *source, size_t sn,
                      const char *account, size_t an, uint32_t h, uint64_t content_hash,
                      uint32_t *ordinal, struct cx_error *err)
{
	char stackbuf[512];
	size_t klen = sn + 1 + an, j;
	char *k;
	uint32_t off;
	int rc;

	if (id->n >= MAX_ACCOUNTS)
		return cx_error_set(err, CX_ELIMIT, NULL, 0, "more than %u accounts",
		                    (unsigned)(MAX_ACCOUNTS - 1));
	if (klen > UINT16_MAX)
		return cx_error_set(err, CX_ELIMIT, NULL, 0, "account key too long");
	if ((rc = reserve_slot(id)) < 0)
		return fail(err, rc);
	k = klen <= sizeof stackbuf ? stackbuf : cx_malloc(klen);
	if (!k)
		return fail(err, CX_ENOMEM);
	memcpy(k, source, sn);
	k[sn] = '\x1f';
	memcpy(k + sn + 1, account, an);
	if (!h)
		h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
	if (id->spilled) {
		rc = add_spilled(id, k, klen, h, content_hash, ordinal, err);
		if (k != stackbuf)
			cx_free(k);
		return rc;
	}
	if (probe(id, k, klen, 0, h, &j)) {
		if (k != stackbuf)
			cx_free(k);
		*ordinal = id->tab[j].ref;
		return id->hk[*ordinal] == content_hash ? CX_ID_DUPLICATE : CX_ID_CONFLICT;
	}
	if (k != stackbuf)
		cx_free(k);
	if (id->n == id->cap) {
		size_t c = id->cap ? id->cap * 2 : 1024;
		if (resize(&id->parent, c, sizeof *id->parent) < 0 ||
		    resize(&id->hk, c, sizeof *id->hk) < 0 ||
		    resize(&id->akoff, c, sizeof *id->akoff) < 0 ||
		    resize(&id->aklen, c, sizeof *id->aklen) < 0)
			return fail(err, CX_ENOMEM);
		id->cap = c;
	}
	if ((rc = add_bytes(id, source, sn, account, an, 1, &off)) < 0)
		return fail(err, rc);
	id->parent[id->n] = (uint32_t)id->n;
	id->hk[id->n] = content_hash;
	id->akoff[id->n] = off;
	id->aklen[id->n] = (uint16_t)klen;
	id->tab[j].h = h;
	id->tab[j].ref = (uint32_t)id->n;
	id->tabn++;
	*ordinal = (uint32_t)id->n;
	id->n++;
	if (id->limit && cx_identity_memory(id) > id->limit && (rc = to_spill(id, err)) < 0)
		return rc;
	return CX_ID_NEW;
}

uint32_t cx_identity_slot_hash(int type, const char *a, size_t an, const char *b, size_t bn)
{
	char stackbuf[512], *k = stackbuf;
	size_t klen = type == 0 ? an + 1 + bn : an + 1;
	uint32_t h;

	if (klen > sizeof stackbuf && !(k = cx_malloc(klen)))
		return 0;   /* then the add or link hashes the key itself */
	if (type == 0) {
		memcpy(k, a, an);
		k[an] = '\x1f';
		memcpy(k + an + 1, b, bn);
	} else {
		k[0] = type == CX_LINK_ID ? 'I' : type == CX_LINK_EMAIL ? 'E' : 'P';
		memcpy(k + 1, a, an);
	}
	h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
	if (k != stackbuf)
		cx_free(k);
	return h;
}

void cx_identity_prefetch(const struct cx_identity *id, int type, const char *a, size_t an,
                          const char *b, size_t bn)
{
	if (!id->tab || (type != 0 && id->spilled) || (type != 0 && an == 0) ||
	    (type == 0 ? an + 1 + bn : an + 1) > 256)
		return;
	__builtin_prefetch(&id->tab[cx_identity_slot_hash(type, a, an, b, bn) & (id->tabcap - 1)]);
}

void cx_identity_prefetch_h(const struct cx_identity *id, int type, uint32_t h, int deep)
{
	const struct slot *s;

	if (!id->tab || (type != 0 && id->spilled) || !h)
		return;
	s = &id->tab[h & (id->tabcap - 1)];
	if (!deep) {
		__builtin_prefetch(s);
		return;
	}
	/* the slot is loaded by now: the record of a value found at its home,
	 * then (the record loaded too) the union-find parent of its account */
	if (type != 0 && s->h == h && (s->ref & LINKBIT)) {
		const char *rec = id->lbytes + (size_t)(s->ref & ~LINKBIT) * 4;
		uint32_t first;
		if (deep == 1) {
			__builtin_prefetch(rec);
			return;
		}
		memcpy(&first, rec, 4);
		if (first < id->n)
			__builtin_prefetch(&id->parent[first]);
	}
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void unite(uint32_t *parent, uint32_t x, uint32_t y)
{
	uint32_t a = find(parent, x), b = find(parent, y);

	/* smaller ordinal becomes the root: deterministic shape */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

int cx_identity_link(struct cx_identity *id, uint32_t ordinal, int type,
                     const char *value, size_t n, struct cx_error *err)
{
	return cx_identity_link_h(id, ordinal, type, value, n, 0, err);
}

int cx_identity_link_h(struct cx_identity *id, uint32_t ordinal, int type, const char *value,
                       size_t n, uint32_t h, struct cx_error *err)
{
	char stackbuf[512];
	size_t klen = n + 1, j;
	char *k;
	uint32_t off;
	int rc;

	if (n == 0)
		return 0;
	if (klen > UINT16_MAX)
		return 0;   /* no real id, email or phone is that long */
	k = klen <= sizeof stackbuf ? stackbuf : cx_malloc(klen);
	if (!k)
		return fail(err, CX_ENOMEM);
	k[0] = type == CX_LINK_ID ? 'I' : type == CX_LINK_EMAIL ? 'E' : 'P';
	memcpy(k + 1, value, n);
	if (id->spilled) {
		rc = link_spilled(id, ordinal, k, klen, err);
		if (k != stackbuf)
			cx_free(k);
		return rc;
	}
	if ((rc = reserve_slot(id)) < 0) {
		if (k != stackbuf)
			cx_free(k);
		return fail(err, rc);
	}
	if (!h)
		h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
	if (probe(id, k, klen, 1, h, &j)) {
		if (k != stackbuf)
			cx_free(k);
		uint32_t first;
		memcpy(&first, id->lbytes + (size_t)(id->tab[j].ref & ~LINKBIT) * 4, 4);
		unite(id->parent, ordinal, first);
		return 0;
	}
	if (id->nl >= MAX_ACCOUNTS) {
		if (k != stackbuf)
			cx_free(k);
		return fail(err, CX_ELIMIT);
	}
	rc = add_link_rec(id, ordinal, k, klen, &off);
	if (k != stackbuf)
		cx_free(k);
	if (rc < 0)
		return fail(err, rc);
	id->tab[j].h = h;
	id->tab[j].ref = LINKBIT | (off / 4);
	id->tabn++;
	id->nl++;
	if (id->limit && cx_identity_memory(id) > id->limit)
		return to_spill(id, err);
	return 0;
}

static int akey_cmp(const struct cx_identity *id, uint32_t a, uint32_t b)
{
	return cx_sort_bytes_cmp(id->bytes + id->akoff[a], id->aklen[a], id->bytes + id->akoff[b],
	                         id->aklen[b]);
}

/* Spilled finish: the sorted link records join accounts of one value; the
 * key log read in order gives each account's key: a customer of one
 * account takes its key's hash at once, the keys of larger customers are
 * sorted by (root, key) so that the first of each root is its minimum. */
static int finish_spilled(struct cx_identity *id, struct cx_error *err)
{
	const void *rec;
	size_t rn, gn = 0, gcap = 0, have = 0, i, f;
	char *gk = NULL;
	uint64_t gh = 0, pos = 0, end;
	uint32_t gord = 0;
	struct cx_sortspill *ms;
	int rc;

	if ((rc = log_flush(id, err)) < 0)
		return rc;
	cx_free(id->tab);
	id->tab = NULL;
	id->tabcap = id->tabn = 0;
	if ((rc = cx_sortspill_finish(id->links, err)) < 0)
		return rc;
	while ((rc = cx_sortspill_next(id->links, &rec, &rn, err)) == 1) {
		const char *p = rec;
		uint64_t h;
		uint32_t o;
		memcpy(&h, p, 8);
		memcpy(&o, p + 8, 4);
		if (have && h == gh && rn - LINKHDR == gn && memcmp(p + LINKHDR, gk, gn) == 0) {
			unite(id->parent, gord, o);
			continue;
		}
		if (cx_grow((void **)&gk, &gcap, rn - LINKHDR + 1, 1) < 0) {
			rc = fail(err, CX_ENOMEM);
			break;
		}
		gn = rn - LINKHDR;
		memcpy(gk, p + LINKHDR, gn);
		gh = h;
		gord = o;
		have = 1;
	}
	cx_free(gk);
	if (rc < 0)
		return rc;
	cx_sortspill_free(id->links);
	id->links = NULL;
	cx_mem_release();
	/* customer sizes first, counted in hk */
	if (!(id->hk = cx_calloc(id->n ? id->n : 1, sizeof *id->hk)))
		return fail(err, CX_ENOMEM);
	for (i = 0; i < id->n; i++)
		id->hk[find(id->parent, (uint32_t)i)]++;
	f = id->cap * sizeof *id->parent + id->n * sizeof *id->hk + LOGBUF;
	ms = cx_sortspill_new(id->limit > f ? id->limit - f : 0, id->tmpdir, 0, min_cmp, NULL,
	                      err);
	if (!ms)
		return err->code ? err->code : CX_ENOMEM;
	cx_sortspill_set_key(ms, min_key);
	id->customers = 0;
	/* the key log, read in order through the write buffer */
	end = id->flushed;
	id->wn = 0;
	while (pos < end) {
		size_t k = 0, got;
		ssize_t r;
		do
			r = pread(id->logfd, id->wbuf + id->wn, LOGBUF - id->wn, (off_t)pos);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			rc = io_fail(id, err, errno, "read");
			goto out;
		}
		if (r == 0) {
			rc = cx_error_set(err, CX_EINTERNAL, NULL, 0,
			                  "internal error: identity key log truncated");
			goto out;
		}
		pos += (uint64_t)r;
		got = id->wn + (size_t)r;
		for (;;) {
			const char *d = id->wbuf + k;
			uint32_t o, root;
			uint16_t kl;
			size_t rl;
			if (got - k < LOGHDR)
				break;
			memcpy(&kl, d + 4, 2);
			rl = (LOGHDR + (size_t)kl + 7) & ~(size_t)7;
			if (got - k < rl)
				break;
			memcpy(&o, d, 4);
			root = find(id->parent, o);
			if (root == o && id->hk[o] == 1) {
				id->hk[o] = cx_hash64(d + LOGHDR, kl, 0);
				id->customers++;
			} else {
				char *m = cx_sortspill_reserve(ms, 4 + (size_t)kl, err);
				if (!m) {
					rc = err->code ? err->code : CX_ENOMEM;
					goto out;
				}
				memcpy(m, &root, 4);
				memcpy(m + 4, d + LOGHDR, kl);
			}
			k += rl;
		}
		memmove(id->wbuf, id->wbuf + k, got - k);
		id->wn = got - k;
	}
	if ((rc = cx_sortspill_finish(ms, err)) < 0)
		goto out;
	have = 0;
	gord = 0;
	while ((rc = cx_sortspill_next(ms, &rec, &rn, err)) == 1) {
		uint32_t root;
		memcpy(&root, rec, 4);
		if (have && root == gord)
			continue;
		id->hk[root] = cx_hash64((const char *)rec + 4, rn - 4, 0);
		id->customers++;
		gord = root;
		have = 1;
	}
	if (rc < 0)
		goto out;
	for (i = 0; i < id->n; i++) {
		uint32_t r = find(id->parent, (uint32_t)i);
		if (r != i)
			id->hk[i] = id->hk[r];
	}
	rc = 0;
out:
	cx_sortspill_free(ms);
	if (rc < 0)
		return rc;
	close(id->logfd);
	id->logfd = -1;
	cx_free(id->parent);
	cx_free(id->wbuf);
	cx_free(id->rbuf);
	id->parent = NULL;
	id->wbuf = id->rbuf = NULL;
	id->cap = id->n;
	id->finished = 1;
	cx_mem_release();
	return 0;
}

int cx_identity_finish(struct cx_identity *id, struct cx_error *err)
{
	uint32_t *minord;
	size_t i;

	if (id->finished)
		return 0;
	if (id->spilled)
		return finish_spilled(id, err);
	/* the lookup table and the linking values are no longer needed: the
	 * table's memory (more slots than accounts, 8 bytes each) holds the
	 * minimum ordinals instead of fresh pages */
	minord = (uint32_t *)id->tab;
	id->tab = NULL;
	id->tabcap = 0;
	cx_free(id->lbytes);
	id->lbytes = NULL;
	id->nlbytes = id->lbytescap = 0;
	for (i = 0; i < id->n; i++)
		minord[i] = UINT32_MAX;
	id->customers = 0;
	for (i = 0; i < id->n; i++) {
		uint32_t r = find(id->parent, (uint32_t)i);
		if (minord[r] == UINT32_MAX) {
			minord[r] = (uint32_t)i;
			id->customers++;
		} else if (akey_cmp(id, (uint32_t)i, minord[r]) < 0)
			minord[r] = (uint32_t)i;
	}
	for (i = 0; i < id->n; i++)
		if (minord[i] != UINT32_MAX) {
			uint32_t m = minord[i];
			id->hk[i] = cx_hash64(id->bytes + id->akoff[m], id->aklen[m], 0);
		}
	for (i = 0; i < id->n; i++) {
		uint32_t r = find(id->parent, (uint32_t)i);
		if (r != i)
			id->hk[i] = id->hk[r];
	}
	cx_free(minord);
	/* only the customer keys are used from here on */
	cx_free(id->bytes);
	cx_free(id->parent);
	cx_free(id->akoff);
	cx_free(id->aklen);
	id->bytes = NULL;
	id->parent = NULL;
	id->akoff = NULL;
	id->aklen = NULL;
	id->bytescap = id->nbytes = 0;
	id->finished = 1;
	return 0;
}

uint64_t cx_identity_key(const struct cx_identity *id, uint32_t ordinal)
{
	return id->hk[ordinal];
}

/* The 8 hex digits of a 32-bit value, most significant first, as the
 * bytes of a 64-bit word in memory order: written once per output row, so
 * eight nibbles are spread and turned into digits together. */
static uint64_t hex8(uint32_t x)
{
	uint64_t v = x, letters;

	v = (v | v << 16) & 0x0000ffff0000ffffULL;
	v = (v | v << 8) & 0x00ff00ff00ff00ffULL;
	v = (v | v << 4) & 0x0f0f0f0f0f0f0f0fULL;   /* one nibble a byte, least significant last */
	letters = ((v + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;   /* nibble > 9 */
	v += 0x3030303030303030ULL + letters * ('a' - '0' - 10);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

size_t cx_identity_key_text(uint64_t key, char *buf)
{
	uint64_t hi = hex8((uint32_t)(key >> 32)), lo = hex8((uint32_t)key);

	buf[0] = 'c';
	memcpy(buf + 1, &hi, 8);
	memcpy(buf + 9, &lo, 8);
	buf[17] = '\0';
	return 17;
}

size_t cx_identity_accounts(const struct cx_identity *id)
{
	return id->n;
}

size_t cx_identity_customers(const struct cx_identity *id)
{
	return id->customers;
}
