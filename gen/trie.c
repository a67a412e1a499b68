/*
 * trie.c - builds the dispatch trie from the checked routes.
 */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "trie.h"

static struct tnode *node_new(struct tnode *parent, const struct segment *s)
{
    struct tnode *n = xcalloc(1, sizeof *n);

    n->parent = parent;
    n->leaf_id = -1;
    if (parent) {
        n->depth = parent->depth + 1;
        n->kind = s->kind;
        n->type = s->param.type;
        if (s->kind == SEG_LITERAL) {
            n->text = xstrndup(s->text, s->text_len);
            n->text_len = s->text_len;
        }
    }
    return n;
}

static int lit_cmp(const struct tnode *n, const char *text, uint32_t len)
{
    uint32_t m = n->text_len < len ? n->text_len : len;
    int c = memcmp(n->text, text, m);
    return c ? c : (n->text_len > len) - (n->text_len < len);
}

/* The literal child with these bytes, inserted in sorted place if new. */
static struct tnode *literal_child(struct tnode *p, const struct segment *s, struct trie *t)
{
    uint32_t lo = 0, hi = p->nlits;

    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        int c = lit_cmp(p->lits[mid], s->text, s->text_len);
        if (c == 0)
            return p->lits[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    p->lits = xrealloc(p->lits, (p->nlits + 1) * sizeof *p->lits);
    memmove(&p->lits[lo + 1], &p->lits[lo], (p->nlits - lo) * sizeof *p->lits);
    p->nlits++;
    t->nlits++;
    return p->lits[lo] = node_new(p, s);
}

static struct tnode *child(struct tnode *p, const struct segment *s, struct trie *t)
{
    struct tnode **slot;

    switch (s->kind) {
    case SEG_LITERAL: return literal_child(p, s, t);
    case SEG_TYPED: slot = &p->typed[s->param.type == PT_UINT]; break;
    case SEG_STRING: slot = &p->str; break;
    default: slot = &p->rest; break;
    }
    if (!*slot)
        *slot = node_new(p, s);
    return *slot;
}

static void insert(struct trie *t, struct tnode *root, const struct route *r)
{
    struct tnode *n = root;
    uint32_t params = 0;

    for (uint32_t i = 0; i < r->nsegs; i++) {
        n = child(n, &r->segs[i], t);
        params += r->segs[i].kind != SEG_LITERAL;
    }
    for (unsigned m = 0; m < NMETHODS; m++)
        if ((r->methods & (1u << m)) && !n->leaf[m])
            n->leaf[m] = r;     /* checks made sure no other route is here */
    n->leaf_methods |= r->methods;
    if (r->nsegs > t->max_depth)
        t->max_depth = r->nsegs;
    if (params > t->max_params)
        t->max_params = params;
}

/* Numbers nodes breadth-first, children in precedence order. */
static void number(struct trie *t, struct tnode *root)
{
    uint32_t head = 0;

    t->nodes = NULL;
    t->nnodes = 0;
    *VEC_PUSH(t->nodes, t->nnodes) = root;
    while (head < t->nnodes) {
        struct tnode *n = t->nodes[head++];
        n->id = head - 1;
        if (n->leaf_methods)
            n->leaf_id = (int32_t)t->nleaves++;
        for (uint32_t i = 0; i < n->nlits; i++)
            *VEC_PUSH(t->nodes, t->nnodes) = n->lits[i];
        struct tnode *rest[] = { n->typed[0], n->typed[1], n->str, n->rest };
        for (size_t i = 0; i < 4; i++)
            if (rest[i])
                *VEC_PUSH(t->nodes, t->nnodes) = rest[i];
    }
}

struct trie *trie_build(const struct gen *g)
{
    struct trie *t = xcalloc(1, sizeof *t);
    struct tnode *root = node_new(NULL, NULL);

    for (uint32_t i = 0; i < g->nroutes; i++)
        insert(t, root, &g->routes[i]);
    number(t, root);
    return t;
}

void trie_free(struct trie *t)
{
    for (uint32_t i = 0; i < t->nnodes; i++) {
        free(t->nodes[i]->text);
        free(t->nodes[i]->lits);
        free(t->nodes[i]);
    }
    free(t->nodes);
    free(t);
}

void trie_node_path(const struct tnode *n, struct buf *b)
{
    if (!n->parent) {
        if (!b->len)
            buf_puts(b, "/");
        return;
    }
    struct buf head = { 0 };
    if (n->parent->parent)
        trie_node_path(n->parent, &head);
    buf_put(b, head.data ? head.data : "", head.len);
    buf_free(&head);
    buf_puts(b, "/");
    if (n->kind == SEG_LITERAL) {
        for (uint32_t i = 0; i < n->text_len; i++) {
            unsigned char c = (unsigned char)n->text[i];
            /* Keep comments printable and free of comment terminators. */
            if (c < 0x21 || c > 0x7e || c == '*' || c == '%')
                buf_printf(b, "%%%02X", c);
            else
                buf_put(b, &n->text[i], 1);
        }
    } else {
        buf_printf(b, "<%s>", n->kind == SEG_REST ? ".." : param_type_name(n->type));
    }
}
