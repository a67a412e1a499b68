/*
 * tr_crypt.c - crypt(3)'s SHA-512 scheme ($6$), so that the Basic guard
 * needs no libcrypt: glibc has it only in libxcrypt and some musl builds
 * (Debian's) have no crypt() at all.  Written from FIPS 180-4 (SHA-512)
 * and U. Drepper's "Unix crypt using SHA-256 and SHA-512"; the constants
 * below were computed from their definitions (the cube and square roots of
 * the first primes), and tests/runtime/test_crypt.c checks the output
 * against the C library's crypt() where it has one.  Compiled to nothing
 * unless a route runs the `basic` guard or the spec says `crypt on`
 * (handlers call it through tr_crypt.h).  Nothing is allocated: the
 * caller's buffers and a few hundred bytes of stack.
 */
#include "tr_internal.h"

#if TR_WITH_BASIC || TR_WITH_CRYPT

#include <string.h>

/* FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube
 * roots of the first 80 primes; §5.3.5: of the square roots of the first 8. */
static const uint64_t K[80] = {
    UINT64_C(0x428a2f98d728ae22), UINT64_C(0x7137449123ef65cd), UINT64_C(0xb5c0fbcfec4d3b2f), UINT64_C(0xe9b5dba58189dbbc),
    UINT64_C(0x3956c25bf348b538), UINT64_C(0x59f111f1b605d019), UINT64_C(0x923f82a4af194f9b), UINT64_C(0xab1c5ed5da6d8118),
    UINT64_C(0xd807aa98a3030242), UINT64_C(0x12835b0145706fbe), UINT64_C(0x243185be4ee4b28c), UINT64_C(0x550c7dc3d5ffb4e2),
    UINT64_C(0x72be5d74f27b896f), UINT64_C(0x80deb1fe3b1696b1), UINT64_C(0x9bdc06a725c71235), UINT64_C(0xc19bf174cf692694),
    UINT64_C(0xe49b69c19ef14ad2), UINT64_C(0xefbe4786384f25e3), UINT64_C(0x0fc19dc68b8cd5b5), UINT64_C(0x240ca1cc77ac9c65),
    UINT64_C(0x2de92c6f592b0275), UINT64_C(0x4a7484aa6ea6e483), UINT64_C(0x5cb0a9dcbd41fbd4), UINT64_C(0x76f988da831153b5),
    UINT64_C(0x983e5152ee66dfab), UINT64_C(0xa831c66d2db43210), UINT64_C(0xb00327c898fb213f), UINT64_C(0xbf597fc7beef0ee4),
    UINT64_C(0xc6e00bf33da88fc2), UINT64_C(0xd5a79147930aa725), UINT64_C(0x06ca6351e003826f), UINT64_C(0x142929670a0e6e70),
    UINT64_C(0x27b70a8546d22ffc), UINT64_C(0x2e1b21385c26c926), UINT64_C(0x4d2c6dfc5ac42aed), UINT64_C(0x53380d139d95b3df),
    UINT64_C(0x650a73548baf63de), UINT64_C(0x766a0abb3c77b2a8), UINT64_C(0x81c2c92e47edaee6), UINT64_C(0x92722c851482353b),
    UINT64_C(0xa2bfe8a14cf10364), UINT64_C(0xa81a664bbc423001), UINT64_C(0xc24b8b70d0f89791), UINT64_C(0xc76c51a30654be30),
    UINT64_C(0xd192e819d6ef5218), UINT64_C(0xd69906245565a910), UINT64_C(0xf40e35855771202a), UINT64_C(0x106aa07032bbd1b8),
    UINT64_C(0x19a4c116b8d2d0c8), UINT64_C(0x1e376c085141ab53), UINT64_C(0x2748774cdf8eeb99), UINT64_C(0x34b0bcb5e19b48a8),
    UINT64_C(0x391c0cb3c5c95a63), UINT64_C(0x4ed8aa4ae3418acb), UINT64_C(0x5b9cca4f7763e373), UINT64_C(0x682e6ff3d6b2b8a3),
    UINT64_C(0x748f82ee5defb2fc), UINT64_C(0x78a5636f43172f60), UINT64_C(0x84c87814a1f0ab72), UINT64_C(0x8cc702081a6439ec),
    UINT64_C(0x90befffa23631e28), UINT64_C(0xa4506cebde82bde9), UINT64_C(0xbef9a3f7b2c67915), UINT64_C(0xc67178f2e372532b),
    UINT64_C(0xca273eceea26619c), UINT64_C(0xd186b8c721c0c207), UINT64_C(0xeada7dd6cde0eb1e), UINT64_C(0xf57d4f7fee6ed178),
    UINT64_C(0x06f067aa72176fba), UINT64_C(0x0a637dc5a2c898a6), UINT64_C(0x113f9804bef90dae), UINT64_C(0x1b710b35131c471b),
    UINT64_C(0x28db77f523047d84), UINT64_C(0x32caab7b40c72493), UINT64_C(0x3c9ebe0a15c9bebc), UINT64_C(0x431d67c49c100d4c),
    UINT64_C(0x4cc5d4becb3e42b6), UINT64_C(0x597f299cfc657e2a), UINT64_C(0x5fcb6fab3ad6faec), UINT64_C(0x6c44198c4a475817),
};

static const uint64_t H0[8] = {
    UINT64_C(0x6a09e667f3bcc908), UINT64_C(0xbb67ae8584caa73b), UINT64_C(0x3c6ef372fe94f82b), UINT64_C(0xa54ff53a5f1d36f1),
    UINT64_C(0x510e527fade682d1), UINT64_C(0x9b05688c2b3e6c1f), UINT64_C(0x1f83d9abfb41bd6b), UINT64_C(0x5be0cd19137e2179),
};

struct sha512 {
    uint64_t h[8];
    uint8_t block[128];
    uint64_t total;          /* bytes hashed (messages here are far below 2^64 bits) */
    size_t fill;
};

static uint64_t rotr(uint64_t x, unsigned n)
{
    return x >> n | x << (64 - n);
}

/* FIPS 180-4 §6.4.2: one 1024-bit block. */
static void compress(uint64_t *h, const uint8_t *p)
{
    uint64_t w[80], v[8];

    for (int t = 0; t < 16; t++) {
        w[t] = 0;
        for (int k = 0; k < 8; k++)
            w[t] = w[t] << 8 | p[8 * t + k];
    }
    for (int t = 16; t < 80; t++) {
        uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ w[t - 15] >> 7;
        uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ w[t - 2] >> 6;
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (int t = 0; t < 80; t++) {
        uint64_t t1 = v[7] + (rotr(v[4], 14) ^ rotr(v[4], 18) ^ rotr(v[4], 41)) +
                      ((v[4] & v[5]) ^ (~v[4] & v[6])) + K[t] + w[t];
        uint64_t t2 = (rotr(v[0], 28) ^ rotr(v[0], 34) ^ rotr(v[0], 39)) +
                      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof *v);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

static void sha_init(struct sha512 *s)
{
    memcpy(s->h, H0, sizeof s->h);
    s->total = 0;
    s->fill = 0;
}

static void sha_add(struct sha512 *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    s->total += n;
    while (n) {
        size_t k = 128 - s->fill < n ? 128 - s->fill : n;
        memcpy(s->block + s->fill, p, k);
        s->fill += k, p += k, n -= k;
        if (s->fill == 128) {
            compress(s->h, s->block);
            s->fill = 0;
        }
    }
}

/* FIPS 180-4 §5.1.2: a 1 bit, zeros, the length in bits in 128 bits. */
static void sha_done(struct sha512 *s, uint8_t *out)
{
    uint64_t bits = s->total * 8;
    uint8_t pad[144] = { 0x80 };
    size_t n = (s->fill < 112 ? 112 : 240) - s->fill;
    for (int k = 0; k < 8; k++)
        pad[n + 8 + k] = (uint8_t)(bits >> (56 - 8 * k));
    sha_add(s, pad, n + 16);
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 8; k++)
            out[8 * i + k] = (uint8_t)(s->h[i] >> (56 - 8 * k));
}

/* Adds len bytes of the 64-byte digest d repeated. */
static void add_repeated(struct sha512 *s, const uint8_t *d, size_t len)
{
    for (; len > 64; len -= 64)
        sha_add(s, d, 64);
    sha_add(s, d, len);
}

#if TR_WITH_BASIC && TR_THROTTLE_BASIC
void tr_sha512_keyed(const uint8_t *key, const void *data, size_t n, uint8_t *out)
{
    struct sha512 s;
    sha_init(&s);
    sha_add(&s, key, 32);
    sha_add(&s, data, n);
    sha_done(&s, out);
}
#endif

#define ROUNDS_DEFAULT 5000
#define ROUNDS_MIN 1000
#define ROUNDS_MAX 999999999u
#define SALT_MAX 16

/*
 * crypt(key, setting) for a setting "$6$[rounds=N$]salt[$...]" into out
 * (at least 128 bytes).  Returns out, or NULL for another setting.
 */
char *tr_crypt_sha512(const char *key, size_t klen, const char *setting, char *out)
{
    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /* Drepper, step 22: which digest bytes make each group of 4 characters. */
    static const uint8_t perm[21][3] = {
        { 0, 21, 42 }, { 22, 43, 1 }, { 44, 2, 23 }, { 3, 24, 45 }, { 25, 46, 4 }, { 47, 5, 26 },
        { 6, 27, 48 }, { 28, 49, 7 }, { 50, 8, 29 }, { 9, 30, 51 }, { 31, 52, 10 }, { 53, 11, 32 },
        { 12, 33, 54 }, { 34, 55, 13 }, { 56, 14, 35 }, { 15, 36, 57 }, { 37, 58, 16 }, { 59, 17, 38 },
        { 18, 39, 60 }, { 40, 61, 19 }, { 62, 20, 41 },
    };
    struct sha512 s;
    uint8_t a[64], b[64], dp[64], ds[64];
    uint8_t p[256], sbytes[SALT_MAX];
    uint32_t rounds = ROUNDS_DEFAULT;
    int custom = 0;

    if (strncmp(setting, "$6$", 3) != 0 || klen > sizeof p)
        return NULL;
    const char *salt = setting + 3;
    if (strncmp(salt, "rounds=", 7) == 0) {
        const char *q = salt + 7;
        uint64_t n = 0;
        while (*q >= '0' && *q <= '9' && n <= ROUNDS_MAX)
            n = n * 10 + (uint64_t)(*q++ - '0');
        if (*q != '$' || q == salt + 7)
            return NULL;
        rounds = n < ROUNDS_MIN ? ROUNDS_MIN : n > ROUNDS_MAX ? ROUNDS_MAX : (uint32_t)n;
        custom = 1;
        salt = q + 1;
    }
    size_t slen = 0;
    while (slen < SALT_MAX && salt[slen] && salt[slen] != '$')
        slen++;
    memcpy(sbytes, salt, slen);
    /* Steps 4-8: B = H(key salt key). */
    sha_init(&s);
    sha_add(&s, key, klen), sha_add(&s, salt, slen), sha_add(&s, key, klen);
    sha_done(&s, b);
    /* Steps 1-3, 9-12: A. */
    sha_init(&s);
    sha_add(&s, key, klen), sha_add(&s, salt, slen);
    add_repeated(&s, b, klen);
    for (size_t n = klen; n; n >>= 1)
        n & 1 ? sha_add(&s, b, 64) : sha_add(&s, key, klen);
    sha_done(&s, a);
    /* Steps 13-16: P from DP = H(key x klen). */
    sha_init(&s);
    for (size_t i = 0; i < klen; i++)
        sha_add(&s, key, klen);
    sha_done(&s, dp);
    for (size_t i = 0; i < klen; i++)
        p[i] = dp[i % 64];
    /* Steps 17-20: S from DS = H(salt x (16 + A[0])). */
    sha_init(&s);
    for (unsigned i = 0; i < 16u + a[0]; i++)
        sha_add(&s, sbytes, slen);
    sha_done(&s, ds);
    /* Step 21: the rounds, C starting as A. */
    for (uint32_t r = 0; r < rounds; r++) {
        sha_init(&s);
        r & 1 ? sha_add(&s, p, klen) : sha_add(&s, a, 64);
        if (r % 3)
            sha_add(&s, ds, slen);
        if (r % 7)
            sha_add(&s, p, klen);
        r & 1 ? sha_add(&s, a, 64) : sha_add(&s, p, klen);
        sha_done(&s, a);
    }
    /* Step 22: "$6$[rounds=N$]salt$" and the digest in crypt's base 64. */
    char *o = out;
    memcpy(o, "$6$", 3), o += 3;
    if (custom) {
        char num[12], *q = num + sizeof num;
        uint32_t n = rounds;
        do
            *--q = (char)('0' + n % 10);
        while (n /= 10);
        memcpy(o, "rounds=", 7), o += 7;
        memcpy(o, q, (size_t)(num + sizeof num - q)), o += num + sizeof num - q;
        *o++ = '$';
    }
    memcpy(o, salt, slen), o += slen;
    *o++ = '$';
    for (int g = 0; g < 22; g++) {
        uint32_t w = g < 21 ? (uint32_t)a[perm[g][0]] << 16 | (uint32_t)a[perm[g][1]] << 8 | a[perm[g][2]]
                            : a[63];
        for (int c = 0; c < (g < 21 ? 4 : 2); c++, w >>= 6)
            *o++ = b64[w & 63];
    }
    *o = '\0';
    memset(p, 0, sizeof p);
    return out;
}

#endif
