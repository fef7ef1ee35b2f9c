#include <string.h>

#include "cx_hash.h"
#include "cx_mem.h"

uint64_t
cx_hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return cx_hash_fmix64(h);
}

/* The map's own hash: a slot index only, never stored or shown (entries
 * iterate in insertion order), so unlike cx_hash64 it may change.  Eight
 * bytes a step instead of FNV's one: report keys are 30-60 bytes. */
static uint64_t
map_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w = 0;
	const char *end = p + n;

	if (n < 8) {
		memcpy(&w, p, n);
		return cx_hash_fmix64(h ^ w);
	}
	for (; end - p > 8; p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	/* the last eight bytes, overlapping the previous step */
	memcpy(&w, end - 8, 8);
	return cx_hash_fmix64(h ^ w);
}

/* Open addressing with linear probing at <= 50 % load.  Slots hold the
 * hash and an index into the dense entry array (insertion order). */
struct entry {
	uint64_t value;
	size_t off;   /* key offset in keys[] */
	size_t len;
};

struct cx_strmap {
	uint64_t *hashes;   /* 0 = empty slot (hash 0 is remapped to 1) */
	uint32_t *slots;    /* entry index + 1 */
	size_t nslots;
	struct entry *ents;
	size_t nents, ents_cap;
	char *keys;
	size_t keys_len, keys_cap;
};

struct cx_strmap *
cx_strmap_new(size_t expected)
{
	struct cx_strmap *m = cx_calloc(1, sizeof *m);
	size_t n = 64;

	if (m == NULL)
		return NULL;
	while (n < expected * 2)
		n *= 2;
	m->nslots = n;
	m->hashes = cx_calloc(n, sizeof *m->hashes);
	m->slots = cx_calloc(n, sizeof *m->slots);
	if (m->hashes == NULL || m->slots == NULL) {
		cx_strmap_free(m);
		return NULL;
	}
	return m;
}

static int
rehash(struct cx_strmap *m)
{
	size_t n = m->nslots * 2, i, j;
	uint64_t *h = cx_calloc(n, sizeof *h);
	uint32_t *s = cx_calloc(n, sizeof *s);

	if (h == NULL || s == NULL) {
		cx_free(h);
		cx_free(s);
		return -1;
	}
	for (i = 0; i < m->nslots; i++) {
		if (m->slots[i] == 0)
			continue;
		for (j = m->hashes[i] & (n - 1); s[j] != 0; j = (j + 1) & (n - 1))
			;
		h[j] = m->hashes[i];
		s[j] = m->slots[i];
	}
	cx_free(m->hashes);
	cx_free(m->slots);
	m->hashes = h;
	m->slots = s;
	m->nslots = n;
	return 0;
}

uint64_t *
cx_strmap_get(struct cx_strmap *m, const char *key, size_t n, int insert, uint64_t dflt,
              int *inserted)
{
	uint64_t h = map_hash(key, n);
	size_t i;
	struct entry *e;

	if (h == 0)
		h = 1;
	if (inserted != NULL)
		*inserted = 0;
	for (i = h & (m->nslots - 1); m->slots[i] != 0; i = (i + 1) & (m->nslots - 1)) {
		if (m->hashes[i] != h)
			continue;
		e = &m->ents[m->slots[i] - 1];
		if (e->len == n && memcmp(m->keys + e->off, key, n) == 0)
			return &e->value;
	}
	if (!insert)
		return NULL;
	if (m->nents >= 0xfffffffeu)
		return NULL;
	if (cx_grow((void **)&m->ents, &m->ents_cap, m->nents + 1, sizeof *m->ents) < 0 ||
	    cx_grow((void **)&m->keys, &m->keys_cap, m->keys_len + n + 1, 1) < 0)
		return NULL;
	if ((m->nents + 1) * 2 > m->nslots) {
		if (rehash(m) < 0)
			return NULL;
		for (i = h & (m->nslots - 1); m->slots[i] != 0; i = (i + 1) & (m->nslots - 1))
			;
	}
	e = &m->ents[m->nents];
	e->value = dflt;
	e->off = m->keys_len;
	e->len = n;
	memcpy(m->keys + m->keys_len, key, n);
	m->keys[m->keys_len + n] = '\0';
	m->keys_len += n + 1;
	m->hashes[i] = h;
	m->slots[i] = (uint32_t)(++m->nents);
	if (inserted != NULL)
		*inserted = 1;
	return &e->value;
}

size_t cx_strmap_count(const struct cx_strmap *m) { return m->nents; }

const char *
cx_strmap_key(const struct cx_strmap *m, size_t i, size_t *n)
{
	if (n != NULL)
		*n = m->ents[i].len;
	return m->keys + m->ents[i].off;
}

uint64_t cx_strmap_value(const struct cx_strmap *m, size_t i) { return m->ents[i].value; }

void
cx_strmap_free(struct cx_strmap *m)
{
	if (m == NULL)
		return;
	cx_free(m->hashes);
	cx_free(m->slots);
	cx_free(m->ents);
	cx_free(m->keys);
	cx_free(m);
}
