/*
 * phash.h - the perfect hash over literal edges (parent node, segment).
 *
 * Hash and displace: a key's 32-bit hash picks a bucket with its low bits
 * and a slot with the high bits of a second product, XORed with the
 * bucket's displacement.  The builder places the largest buckets first
 * and tries displacements in order; if a bucket fits nowhere it moves on to
 * the next seed, from 0 up, so the same keys always give the same table.
 * The dispatcher computes exactly the same functions (literal_child() in
 * runtime/tr_dispatch.h); a test compiles both and compares.
 */
#ifndef PHASH_H
#define PHASH_H

#include <stddef.h>
#include <stdint.h>

struct phash_key {
    const unsigned char *bytes;
    uint32_t len;
    uint32_t parent;
};

struct phash {
    uint32_t seed;
    uint32_t nbuckets;       /* a power of two */
    uint32_t size;           /* slots, a power of two >= 2 */
    uint32_t size_bits;
    uint32_t *disp;          /* [nbuckets] */
    int32_t *slot_key;       /* [size]: key index, -1 empty */
};

uint32_t phash_bytes(const unsigned char *s, size_t n);
uint32_t phash_mix(uint32_t h, uint32_t parent, uint32_t seed);
uint32_t phash_slot(const struct phash *ph, uint32_t x);

/* Builds the table for n distinct keys; 0, or -1 if no seed worked. */
int phash_build(const struct phash_key *keys, uint32_t n, struct phash *ph);
void phash_free(struct phash *ph);

#endif
