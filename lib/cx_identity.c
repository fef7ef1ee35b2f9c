/* cx_identity — union-find over accounts (see cx_identity.h). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "cx_hash.h"
#include "cx_identity.h"
#include "cx_mem.h"

/* A slot of the open-addressing table: 32 bits of the key's hash (its low
 * bits give the home slot, so a rehash never reads the keys) and a
 * reference: an account ordinal, or LINKBIT | index of a linking value.
 * The key bytes are compared only when the hash bits match. */
struct slot {
	uint32_t h;      /* 0 = empty (forced non-zero) */
	uint32_t ref;
};

#define LINKBIT 0x80000000u
#define MAX_ACCOUNTS (LINKBIT - 1)

struct cx_identity {
	struct slot *tab;
	size_t tabcap, tabn;       /* power of two, used */
	char *bytes;               /* "source\x1faccount" of accounts, type + value of links */
	size_t nbytes, bytescap;
	/* accounts */
	uint32_t *parent;
	uint64_t *hk;              /* content hash before finish, customer key after */
	uint32_t *akoff;           /* offset of "source\x1faccount" in bytes */
	uint16_t *aklen;
	size_t n, cap;
	/* distinct linking values */
	uint32_t *loff, *lval;     /* offset of type + value; first account */
	uint16_t *llen;
	size_t nl, lcap;
	size_t customers;
	int finished;
};

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
		uint64_t w = 0;
		memcpy(&w, b, n);
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
	}
	return cx_hash_fmix64(h);
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
	cx_free(id->parent);
	cx_free(id->hk);
	cx_free(id->akoff);
	cx_free(id->aklen);
	cx_free(id->loff);
	cx_free(id->lval);
	cx_free(id->llen);
	cx_free(id);
}

size_t cx_identity_memory(const struct cx_identity *id)
{
	if (id->finished)
		return id->cap * sizeof *id->hk;
	return id->tabcap * sizeof *id->tab + id->bytescap +
	       id->cap * (sizeof *id->parent + sizeof *id->hk + sizeof *id->akoff +
	                  sizeof *id->aklen) +
	       id->lcap * (sizeof *id->loff + sizeof *id->lval + sizeof *id->llen);
}

static void hint_huge(void *p, size_t n)
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

static int rehash(struct cx_identity *id)
{
	size_t ncap = id->tabcap * 2, i;
	struct slot *nt;

	if (ncap > ((size_t)1 << 32))
		return CX_ELIMIT;
	nt = cx_calloc(ncap, sizeof *nt);
	if (!nt)
		return CX_ENOMEM;
	hint_huge(nt, ncap * sizeof *nt);
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
	return 0;
}

static const char *ref_bytes(const struct cx_identity *id, uint32_t ref, size_t *len)
{
	if (ref & LINKBIT) {
		*len = id->llen[ref & ~LINKBIT];
		return id->bytes + id->loff[ref & ~LINKBIT];
	}
	*len = id->aklen[ref];
	return id->bytes + id->akoff[ref];
}

/* Find key k (an account's "source\x1faccount" when is_link is 0, else
 * type + value); *slot gets its slot or the empty slot where it goes.
 * Returns 1 when found. */
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

int cx_identity_add(struct cx_identity *id, const char *source, size_t sn,
                    const char *account, size_t an, uint64_t content_hash,
                    uint32_t *ordinal, struct cx_error *err)
{
	char stackbuf[512];
	size_t klen = sn + 1 + an, j;
	char *k;
	uint32_t h, off;
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
	h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
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
	return CX_ID_NEW;
}

void cx_identity_prefetch(const struct cx_identity *id, int type, const char *a, size_t an,
                          const char *b, size_t bn)
{
	char k[256];
	size_t klen;
	uint32_t h;

	if (!id->tab)
		return;
	if (type == 0) {
		klen = an + 1 + bn;
		if (klen > sizeof k)
			return;
		memcpy(k, a, an);
		k[an] = '\x1f';
		memcpy(k + an + 1, b, bn);
	} else {
		klen = an + 1;
		if (klen > sizeof k || an == 0)
			return;
		k[0] = type == CX_LINK_ID ? 'I' : type == CX_LINK_EMAIL ? 'E' : 'P';
		memcpy(k + 1, a, an);
	}
	h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
	__builtin_prefetch(&id->tab[h & (id->tabcap - 1)]);
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

int cx_identity_link(struct cx_identity *id, uint32_t ordinal, int type,
                     const char *value, size_t n, struct cx_error *err)
{
	char stackbuf[512];
	size_t klen = n + 1, j;
	char *k;
	uint32_t h, off;
	int rc;

	if (n == 0)
		return 0;
	if (klen > UINT16_MAX)
		return 0;   /* no real id, email or phone is that long */
	if ((rc = reserve_slot(id)) < 0)
		return fail(err, rc);
	k = klen <= sizeof stackbuf ? stackbuf : cx_malloc(klen);
	if (!k)
		return fail(err, CX_ENOMEM);
	k[0] = type == CX_LINK_ID ? 'I' : type == CX_LINK_EMAIL ? 'E' : 'P';
	memcpy(k + 1, value, n);
	h = (uint32_t)(cx_identity_hash(k, klen) >> 32) | 1;
	if (probe(id, k, klen, 1, h, &j)) {
		uint32_t a, b;
		if (k != stackbuf)
			cx_free(k);
		a = find(id->parent, ordinal);
		b = find(id->parent, id->lval[id->tab[j].ref & ~LINKBIT]);
		if (a != b) {
			/* smaller ordinal becomes the root: deterministic shape */
			if (a < b)
				id->parent[b] = a;
			else
				id->parent[a] = b;
		}
		return 0;
	}
	if (id->nl == id->lcap) {
		size_t c = id->lcap ? id->lcap * 2 : 1024;
		if (c > MAX_ACCOUNTS ||
		    resize(&id->loff, c, sizeof *id->loff) < 0 ||
		    resize(&id->lval, c, sizeof *id->lval) < 0 ||
		    resize(&id->llen, c, sizeof *id->llen) < 0) {
			if (k != stackbuf)
				cx_free(k);
			return fail(err, c > MAX_ACCOUNTS ? CX_ELIMIT : CX_ENOMEM);
		}
		id->lcap = c;
	}
	rc = add_bytes(id, k, klen, NULL, 0, 0, &off);
	if (k != stackbuf)
		cx_free(k);
	if (rc < 0)
		return fail(err, rc);
	id->loff[id->nl] = off;
	id->lval[id->nl] = ordinal;
	id->llen[id->nl] = (uint16_t)klen;
	id->tab[j].h = h;
	id->tab[j].ref = LINKBIT | (uint32_t)id->nl;
	id->tabn++;
	id->nl++;
	return 0;
}

static int akey_cmp(const struct cx_identity *id, uint32_t a, uint32_t b)
{
	size_t la = id->aklen[a], lb = id->aklen[b];
	int c = memcmp(id->bytes + id->akoff[a], id->bytes + id->akoff[b], la < lb ? la : lb);

	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

int cx_identity_finish(struct cx_identity *id, struct cx_error *err)
{
	uint32_t *minord;
	size_t i;

	if (id->finished)
		return 0;
	/* the lookup table and the linking values are no longer needed */
	cx_free(id->tab);
	id->tab = NULL;
	id->tabcap = 0;
	cx_free(id->loff);
	cx_free(id->lval);
	cx_free(id->llen);
	id->loff = id->lval = NULL;
	id->llen = NULL;
	id->lcap = 0;
	minord = cx_malloc((id->n ? id->n : 1) * sizeof *minord);
	if (!minord)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
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

size_t cx_identity_key_text(uint64_t key, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	buf[0] = 'c';
	for (i = 0; i < 16; i++)
		buf[1 + i] = hex[(key >> (60 - 4 * i)) & 15];
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
