/* test_phash.c - the perfect-hash builder. */
#include <criterion/criterion.h>

#include "gen.h"
#include "phash.h"

/* Builds keys "k0".."k(n-1)" under a few parents and checks every key has
 * its own slot, and that lookups of non-keys land on another key's slot or
 * an empty one (so one memcmp decides). */
static void check_perfect(uint32_t n)
{
    struct phash_key *keys = calloc(n, sizeof *keys);
    char (*text)[16] = calloc(n, sizeof *text);
    struct phash ph;

    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(text[i], sizeof text[i], "k%u", i);
        keys[i] = (struct phash_key){ (unsigned char *)text[i], (uint32_t)len, i % 7 };
    }
    cr_assert_eq(phash_build(keys, n, &ph), 0, "no table for %u keys", n);
    cr_assert(ph.size >= n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = phash_mix(phash_bytes(keys[i].bytes, keys[i].len), keys[i].parent, ph.seed);
        uint32_t s = phash_slot(&ph, x);
        cr_assert_lt(s, ph.size);
        cr_assert_eq(ph.slot_key[s], (int32_t)i, "key %u is not in its slot", i);
    }
    uint32_t used = 0;
    for (uint32_t s = 0; s < ph.size; s++)
        used += ph.slot_key[s] >= 0;
    cr_assert_eq(used, n, "every key has exactly one slot");
    phash_free(&ph);
    free(keys);
    free(text);
}

Test(phash, places_every_key_for_sizes_from_one_to_twenty_thousand)
{
    uint32_t sizes[] = { 1, 2, 3, 5, 17, 100, 1000, 20000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_perfect(sizes[i]);
}

Test(phash, the_same_keys_give_the_same_table)
{
    struct phash_key keys[3] = {
        { (const unsigned char *)"users", 5, 0 },
        { (const unsigned char *)"new", 3, 1 },
        { (const unsigned char *)"", 0, 1 },
    };
    struct phash a, b;
    cr_assert_eq(phash_build(keys, 3, &a), 0);
    cr_assert_eq(phash_build(keys, 3, &b), 0);
    cr_assert_eq(a.seed, b.seed);
    cr_assert_eq(a.size, b.size);
    cr_assert_arr_eq(a.slot_key, b.slot_key, a.size * sizeof *a.slot_key);
    cr_assert_arr_eq(a.disp, b.disp, a.nbuckets * sizeof *a.disp);
    phash_free(&a);
    phash_free(&b);
}

Test(phash, the_same_bytes_under_different_parents_are_different_keys)
{
    struct phash_key keys[2] = {
        { (const unsigned char *)"id", 2, 1 },
        { (const unsigned char *)"id", 2, 2 },
    };
    struct phash ph;
    cr_assert_eq(phash_build(keys, 2, &ph), 0);
    uint32_t s0 = phash_slot(&ph, phash_mix(phash_bytes(keys[0].bytes, 2), 1, ph.seed));
    uint32_t s1 = phash_slot(&ph, phash_mix(phash_bytes(keys[1].bytes, 2), 2, ph.seed));
    cr_assert_neq(s0, s1);
    phash_free(&ph);
}
