/* cx_hash — one documented 64-bit hash, and a string-keyed hash map.
 *
 * cx_hash64 is the hash behind customer keys, experiment arms and shards,
 * so it is part of the data contract (cx(7)) and must never change: FNV-1a
 * 64 over the bytes (offset basis 0xcbf29ce484222325 XOR seed, prime
 * 0x100000001b3), then the MurmurHash3 fmix64 finaliser for avalanche.
 *
 * Ownership: a cx_strmap copies keys into its own storage; values are
 * plain uint64_t.  cx_strmap_free accepts NULL.
 */
#ifndef CX_HASH_H
#define CX_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t cx_hash64(const void *p, size_t n, uint64_t seed);
/* MurmurHash3's fmix64 finaliser; inline: the hot hashes end with it */
static inline uint64_t cx_hash_fmix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

struct cx_strmap;
struct cx_strmap *cx_strmap_new(size_t expected);
/* Find key; when absent and `insert` is set, add it with value `dflt`.
 * Returns a pointer to the value slot (stable until the next insert), or
 * NULL when absent (insert = 0) or out of memory (insert = 1). */
uint64_t *cx_strmap_get(struct cx_strmap *m, const char *key, size_t n, int insert,
                        uint64_t dflt, int *inserted);
size_t cx_strmap_count(const struct cx_strmap *m);
/* Iterate in insertion order: i from 0 to count-1. */
const char *cx_strmap_key(const struct cx_strmap *m, size_t i, size_t *n);
uint64_t cx_strmap_value(const struct cx_strmap *m, size_t i);
void cx_strmap_free(struct cx_strmap *m);

#endif
