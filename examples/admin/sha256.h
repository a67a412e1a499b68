/*
 * sha256.h - SHA-256 (FIPS 180-4 §6.2), incremental, for the firmware
 * upload's hash computed while the body streams.  No allocation.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];           /* the hash value H(i) */
    uint64_t bytes;          /* message bytes so far */
    unsigned char block[64]; /* the block being filled */
    size_t fill;             /* bytes in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest; s must be initialised again before reuse. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* The digest as 64 lower-case hex digits and a NUL. */
void sha256_hex(const unsigned char digest[32], char out[65]);

#endif
