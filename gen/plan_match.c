/*
 * plan_match.c - the plan of the node code (emit_match.c): how each trie
 * node tells its literal children apart.  They are ordered by length, then
 * by the key of their first 8 bytes; each length is one switch case, and
 * a length with many literals gets a hashed switch whose multiplier is
 * chosen here, its literals put in bucket order.  All linear in the
 * siblings (but for the sorts): each key and bucket is computed once.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* The bytes s[0..n) as a little-endian number. */
static uint64_t le(const unsigned char *s, unsigned n)
{
    uint64_t k = 0;

    for (unsigned i = 0; i < n; i++)
        k |= (uint64_t)s[i] << (8 * i);
    return k;
}

/*
 * The number dispatch computes from a segment's bytes s[0..len), 1 <= len
 * <= 8 (word_key in templates/routes.c.in): byte i at bits 8i, the first
 * and last halves of the segment overlapping when it is not a power of
 * two, so that two literals of one length never share a key.
 */
uint64_t word_key(const unsigned char *s, uint32_t len)
{
    if (len >= 8)
        return le(s, 8);
    if (len > 4)
        return le(s, 4) | le(s + len - 4, 4) << 32;
    if (len == 4)
        return le(s, 4);
    if (len >= 2)
        return le(s, 2) | le(s + len - 2, 2) << 16;
    return s[0];
}

/* word_key of the segment's first 8 bytes (all of a shorter one). */
uint64_t first_key(const struct tnode *n)
{
    return word_key((const unsigned char *)n->text, n->text_len < 8 ? n->text_len : 8);
}

/* Literal children ordered by length, then first key, then bytes: the
 * order of the switch cases.  A total order (siblings differ). */
static int by_length_and_key(const void *pa, const void *pb)
{
    const struct tnode *a = *(const struct tnode *const *)pa, *b = *(const struct tnode *const *)pb;

    if (a->text_len != b->text_len)
        return a->text_len < b->text_len ? -1 : 1;
    uint64_t ka = first_key(a), kb = first_key(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return memcmp(a->text, b->text, a->text_len);
}

/* The bucket of key k among 1 << bits (key_bucket in the template). */
uint32_t key_bucket(uint64_t k, uint32_t mul, unsigned bits)
{
    return ((uint32_t)k ^ (uint32_t)(k >> 32)) * mul >> (32 - bits);
}

/* The fullest bucket for the keys k[0..n) under mul. */
static uint32_t fullest_bucket(const uint64_t *k, uint32_t n, uint32_t mul, unsigned bits, uint32_t *count)
{
    uint32_t most = 0;

    memset(count, 0, (1u << bits) * sizeof *count);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = ++count[key_bucket(k[i], mul, bits)];
        most = c > most ? c : most;
    }
    return most;
}

/*
 * A multiplier that spreads the keys of v[0..n) over 1 << bits buckets
 * with at most two in any (or the best of the ones tried): candidates in a
 * fixed order, so the same spec gives the same code.  The keys are
 * computed once, not once a candidate.
 */
static uint32_t find_multiplier(struct tnode *const *v, uint32_t n, unsigned bits)
{
    uint32_t best = 0, best_most = UINT32_MAX, x = 0;
    uint64_t *k = xcalloc(n, sizeof *k);
    uint32_t *count = xcalloc(1u << bits, sizeof *count);

    for (uint32_t i = 0; i < n; i++)
        k[i] = first_key(v[i]);
    for (unsigned tries = 0; tries < 256 && best_most > 2; tries++) {
        x += 0x9E3779B9u;           /* a Weyl sequence, then a mix: odd, varied */
        uint32_t mul = ((x ^ x >> 16) * 0x85EBCA6Bu) | 1u;
        uint32_t most = fullest_bucket(k, n, mul, bits, count);
        if (most < best_most)
            best = mul, best_most = most;
    }
    free(count);
    free(k);
    return best;
}

struct in_bucket {
    uint32_t bucket;
    struct tnode *n;
    uint32_t i;                /* its place before: ties keep the key order */
};

static int by_bucket(const void *pa, const void *pb)
{
    const struct in_bucket *a = pa, *b = pb;

    if (a->bucket != b->bucket)
        return a->bucket < b->bucket ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The hashed switch of the literals v[0..g->n): its multiplier, and the
 * literals reordered by bucket. */
static void plan_hashed(struct tnode **v, struct literal_group *g)
{
    uint32_t n = g->n;

    g->bits = 1;
    while ((1u << g->bits) < n)
        g->bits++;
    g->mul = find_multiplier(v, n, g->bits);
    struct in_bucket *order = xcalloc(n, sizeof *order);
    for (uint32_t i = 0; i < n; i++)
        order[i] = (struct in_bucket){ key_bucket(first_key(v[i]), g->mul, g->bits), v[i], i };
    qsort(order, n, sizeof *order, by_bucket);
    g->bucket = xcalloc(n, sizeof *g->bucket);
    for (uint32_t i = 0; i < n; i++) {
        v[i] = order[i].n;
        g->bucket[i] = order[i].bucket;
    }
    free(order);
}

static void plan_node(const struct tnode *n, struct node_literals *nl)
{
    if (n->nlits < 2)
        return;                 /* none, or one test of length and keys */
    nl->lits = xcalloc(n->nlits, sizeof *nl->lits);
    memcpy(nl->lits, n->lits, n->nlits * sizeof *nl->lits);
    qsort(nl->lits, n->nlits, sizeof *nl->lits, by_length_and_key);
    for (uint32_t i = 0; i < n->nlits;) {
        uint32_t j = i + 1;
        while (j < n->nlits && nl->lits[j]->text_len == nl->lits[i]->text_len)
            j++;
        struct literal_group *g = VEC_PUSH(nl->groups, nl->ngroups);
        g->start = i;
        g->n = j - i;
        if (g->n > SEARCH_MAX && nl->lits[i]->text_len > 0)
            plan_hashed(nl->lits + i, g);
        i = j;
    }
}

void plan_node_literals(struct plan *p)
{
    const struct trie *t = p->trie;

    p->node_lits = xcalloc(t->nnodes ? t->nnodes : 1, sizeof *p->node_lits);
    for (uint32_t i = 0; i < t->nnodes; i++)
        plan_node(t->nodes[i], &p->node_lits[i]);
}

void plan_node_literals_free(struct plan *p)
{
    for (uint32_t i = 0; p->node_lits && i < p->trie->nnodes; i++) {
        struct node_literals *nl = &p->node_lits[i];
        for (uint32_t j = 0; j < nl->ngroups; j++)
            free(nl->groups[j].bucket);
        free(nl->groups);
        free(nl->lits);
    }
    free(p->node_lits);
}
