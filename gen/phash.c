/*
 * phash.c - deterministic perfect-hash construction (see phash.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "phash.h"

#define MAX_SEEDS 1000u

/* FNV-1a over little-endian 32-bit words, then the last bytes one by one:
 * a quarter of the multiplies of byte-wise FNV, and the same value on
 * every CPU.  literal_child() in runtime/tr_dispatch.h computes exactly
 * this. */
uint32_t phash_bytes(const unsigned char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i = 0;

    for (; i + 4 <= n; i += 4)
        h = (h ^ ((uint32_t)s[i] | (uint32_t)s[i + 1] << 8 | (uint32_t)s[i + 2] << 16 |
                  (uint32_t)s[i + 3] << 24)) * 16777619u;
    for (; i < n; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

/* Folds in the parent node and the seed, then avalanches (a 32-bit
 * finaliser in the style of murmur3's) so the low and high bits are both
 * usable. */
uint32_t phash_mix(uint32_t h, uint32_t parent, uint32_t seed)
{
    uint32_t x = h ^ seed ^ (parent * 0x9E3779B1u);

    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static uint32_t slot_base(const struct phash *ph, uint32_t x)
{
    return (x * 0x9E3779B1u) >> (32 - ph->size_bits);
}

uint32_t phash_slot(const struct phash *ph, uint32_t x)
{
    return slot_base(ph, x) ^ ph->disp[x & (ph->nbuckets - 1)];
}

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

struct bucket {
    uint32_t index;
    uint32_t count;
    uint32_t first;          /* into the keys-by-bucket order */
};

static int by_size(const void *a, const void *b)
{
    const struct bucket *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Tries one seed; 0 when every bucket found a displacement. */
static int try_seed(const struct phash_key *keys, uint32_t n, struct phash *ph, uint32_t *x,
                    uint32_t *order, struct bucket *b)
{
    int rc = 0;

    for (uint32_t i = 0; i < n; i++)
        x[i] = phash_mix(phash_bytes(keys[i].bytes, keys[i].len), keys[i].parent, ph->seed);
    memset(b, 0, ph->nbuckets * sizeof *b);
    for (uint32_t i = 0; i < ph->nbuckets; i++)
        b[i].index = i;
    for (uint32_t i = 0; i < n; i++)
        b[x[i] & (ph->nbuckets - 1)].count++;
    for (uint32_t i = 0, pos = 0; i < ph->nbuckets; i++) {
        b[i].first = pos;
        pos += b[i].count;
        b[i].count = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct bucket *k = &b[x[i] & (ph->nbuckets - 1)];
        order[k->first + k->count++] = i;
    }
    qsort(b, ph->nbuckets, sizeof *b, by_size);
    for (uint32_t i = 0; i < ph->size; i++)
        ph->slot_key[i] = -1;
    for (uint32_t i = 0; i < ph->nbuckets && b[i].count; i++) {
        uint32_t d;
        for (d = 0; d < ph->size; d++) {
            uint32_t j;
            for (j = 0; j < b[i].count; j++) {
                uint32_t s = slot_base(ph, x[order[b[i].first + j]]) ^ d;
                if (ph->slot_key[s] >= 0)
                    break;
                ph->slot_key[s] = (int32_t)order[b[i].first + j];
            }
            if (j == b[i].count)
                break;
            while (j-- > 0)      /* undo this bucket's partial placement */
                ph->slot_key[slot_base(ph, x[order[b[i].first + j]]) ^ d] = -1;
        }
        if (d == ph->size) {
            rc = -1;
            break;
        }
        ph->disp[b[i].index] = d;
    }
    return rc;
}

int phash_build(const struct phash_key *keys, uint32_t n, struct phash *ph)
{
    uint32_t *x = xcalloc(n, sizeof *x), *order = xcalloc(n, sizeof *order);
    struct bucket *b;
    int rc = -1;

    memset(ph, 0, sizeof *ph);
    ph->size = pow2_at_least(n < 2 ? 2 : n);
    if (ph->size < n + n / 4)
        ph->size <<= 1;      /* keep some slack: placement stays fast */
    while ((1u << ph->size_bits) < ph->size)
        ph->size_bits++;
    ph->nbuckets = pow2_at_least(n / 3 ? n / 3 : 1);
    ph->disp = xcalloc(ph->nbuckets, sizeof *ph->disp);
    ph->slot_key = xcalloc(ph->size, sizeof *ph->slot_key);
    b = xcalloc(ph->nbuckets, sizeof *b);
    for (ph->seed = 0; ph->seed < MAX_SEEDS; ph->seed++) {
        memset(ph->disp, 0, ph->nbuckets * sizeof *ph->disp);
        if (try_seed(keys, n, ph, x, order, b) == 0) {
            rc = 0;
            break;
        }
    }
    free(b);
    free(x);
    free(order);
    return rc;
}

void phash_free(struct phash *ph)
{
    free(ph->disp);
    free(ph->slot_key);
    memset(ph, 0, sizeof *ph);
}
