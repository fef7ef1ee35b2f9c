/* cx_identity — union-find over accounts (see cx_identity.h). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "cx_hash.h"
#include "cx_identity.h"
#include "cx_mem.h"

struct slot {
	uint64_t h;      /* 0 = empty (hashes are forced non-zero) */
	uint64_t off;    /* offset of the key bytes in id->bytes */
	uint32_t len;
	uint32_t val;    /* account ordinal */
};

struct cx_identity {
	struct slot *tab;
	size_t tabcap, tabn;       /* power of two, used */
	char *bytes;
	size_t nbytes, bytescap;
	uint32_t *parent;
	uint64_t *hk;              /* content hash before finish, customer key after */
	uint64_t *akoff;           /* offset of "source\x1faccount" */
	uint32_t *aklen;
	size_t n, cap;             /* accounts */
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
	cx_free(id);
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
	struct slot *nt = cx_calloc(ncap, sizeof *nt);

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

/* Find (type, a [, sep, b]); insert with value `val` when absent.  Returns
 * the slot, *found set; NULL on ENOMEM. */
static struct slot *lookup(struct cx_identity *id, char type, const char *a, size_t an,
                           const char *b, size_t bn, int two, uint32_t val, int *found)
{
	size_t klen = 1 + an + (two ? 1 + bn : 0), j;
	char stackbuf[512];
	char *k = klen <= sizeof stackbuf ? stackbuf : cx_malloc(klen);
	uint64_t h;
	struct slot *s;

	if (!k)
		return NULL;
	k[0] = type;
	memcpy(k + 1, a, an);
	if (two) {
		k[1 + an] = '\x1f';
		memcpy(k + 2 + an, b, bn);
	}
	h = cx_identity_hash(k, klen) | 1;
	for (j = h & (id->tabcap - 1);; j = (j + 1) & (id->tabcap - 1)) {
		s = &id->tab[j];
		if (!s->h)
			break;
		if (s->h == h && s->len == klen && memcmp(id->bytes + s->off, k, klen) == 0) {
			*found = 1;
			if (k != stackbuf)
				cx_free(k);
			return s;
		}
	}
	*found = 0;
	if (cx_grow((void **)&id->bytes, &id->bytescap, id->nbytes + klen, 1) < 0) {
		if (k != stackbuf)
			cx_free(k);
		return NULL;
	}
	memcpy(id->bytes + id->nbytes, k, klen);
	if (k != stackbuf)
		cx_free(k);
	s->h = h;
	s->off = id->nbytes;
	s->len = (uint32_t)klen;
	s->val = val;
	id->nbytes += klen;
	id->tabn++;
	if (id->tabn * 4 >= id->tabcap * 3) {
		size_t off = s->off;
		if (rehash(id) < 0)
			return NULL;
		/* find the slot again after the move */
		for (j = h & (id->tabcap - 1); id->tab[j].off != off || !id->tab[j].h;
		     j = (j + 1) & (id->tabcap - 1))
			;
		s = &id->tab[j];
	}
	return s;
}

int cx_identity_add(struct cx_identity *id, const char *source, size_t sn,
                    const char *account, size_t an, uint64_t content_hash,
                    uint32_t *ordinal, struct cx_error *err)
{
	int found;
	struct slot *s;

	if (id->n >= UINT32_MAX - 1)
		return cx_error_set(err, CX_ELIMIT, NULL, 0, "more than %u accounts",
		                    (unsigned)(UINT32_MAX - 2));
	s = lookup(id, 'A', source, sn, account, an, 1, (uint32_t)id->n, &found);
	if (!s)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (found) {
		*ordinal = s->val;
		return id->hk[s->val] == content_hash ? CX_ID_DUPLICATE : CX_ID_CONFLICT;
	}
	if (id->n == id->cap) {
		size_t c = id->cap ? id->cap * 2 : 1024;
		uint32_t *p = cx_realloc(id->parent, c * sizeof *p);
		if (p)
			id->parent = p;
		uint64_t *h = p ? cx_realloc(id->hk, c * sizeof *h) : NULL;
		if (h)
			id->hk = h;
		uint64_t *o = h ? cx_realloc(id->akoff, c * sizeof *o) : NULL;
		if (o)
			id->akoff = o;
		uint32_t *l = o ? cx_realloc(id->aklen, c * sizeof *l) : NULL;
		if (!l)
			return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		id->aklen = l;
		id->cap = c;
	}
	id->parent[id->n] = (uint32_t)id->n;
	id->hk[id->n] = content_hash;
	id->akoff[id->n] = s->off + 1;
	id->aklen[id->n] = s->len - 1;
	*ordinal = (uint32_t)id->n;
	id->n++;
	return CX_ID_NEW;
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
	int found;
	struct slot *s;
	char t = type == CX_LINK_ID ? 'I' : type == CX_LINK_EMAIL ? 'E' : 'P';

	if (n == 0)
		return 0;
	s = lookup(id, t, value, n, NULL, 0, 0, ordinal, &found);
	if (!s)
		return cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
	if (found) {
		uint32_t a = find(id->parent, ordinal), b = find(id->parent, s->val);
		if (a != b) {
			/* smaller ordinal becomes the root: deterministic shape */
			if (a < b)
				id->parent[b] = a;
			else
				id->parent[a] = b;
		}
	}
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
	/* the lookup table is no longer needed */
	cx_free(id->tab);
	id->tab = NULL;
	id->tabcap = 0;
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
