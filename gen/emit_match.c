/*
 * emit_match.c - the match code of NAME_routes.c: one static function per
 * trie node, for builds not optimized for size (TR_DISPATCH_CODE).
 *
 * A node's function knows its depth and how many parameters lie above it,
 * so it reads its segment and writes its parameter at constant offsets.  It
 * ends a route if the path ends there (w->nseg is its depth: a longer path
 * has TR_MAX_SEGMENTS recorded, more than any node's depth, and the tables'
 * check of w->tail is not needed), else tries its children in
 * precedence order: a literal by its length and word keys (constants the
 * compiler compares in a register; a switch when there are several, on a
 * hash of the key when there are many), then int, uint, <name> and
 * <name..>.  A child that fails returns 0 and the next kind is tried, so
 * backtracking is the return; the last child is a tail call.  The tables
 * of the generic walk (emitted by emit_dispatch.c, walked by
 * runtime/tr_dispatch.h) serve -Os builds.
 *
 * Node functions are never inlined (NOINLINE): each is called from one
 * place, so gcc would inline whole subtrees into their parents; measured,
 * a function per node with tail calls between them runs fewer
 * instructions than that, and compiles faster.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "names.h"

static void key_literal(uint64_t k, struct buf *b)
{
    buf_printf(b, "0x%llxu", (unsigned long long)k);
}

/* Parameters on the path from the root to n: the index of n's own. */
static uint32_t params_above(const struct tnode *n)
{
    uint32_t np = 0;

    for (const struct tnode *p = n; p->parent; p = p->parent)
        np += p->kind != SEG_LITERAL;
    return np;
}

static int has_others(const struct tnode *n)
{
    return n->typed[0] || n->typed[1] || n->str || n->rest;
}

/* One comment line per route ending at n, after `lead`: "GET,POST
 * res0_list (spec.routes:3)". */
static void leaf_lines(const struct emit *e, const struct tnode *n, const char *lead, struct buf *b)
{
    const struct route *done[NMETHODS];
    unsigned ndone = 0;

    for (unsigned m = 0; m < NMETHODS; m++) {
        const struct route *r = n->leaf[m];
        unsigned j = 0;
        while (r && j < ndone && done[j] != r)
            j++;
        if (!r || j < ndone)
            continue;
        done[ndone++] = r;
        buf_puts(b, lead);
        methods_text(r->methods, b);
        buf_printf(b, " %s (%s:%u)", r->handler, e->spec_base, r->loc.line);
    }
}

/* A node with no children is matched in its parent's function, not a
 * function of its own: half the functions gcc compiles, and no call. */
static int inline_leaf(const struct tnode *n)
{
    return !n->nlits && !has_others(n);
}

/* The comment naming a child: its pattern, e.g. "/users/<:uint>", and
 * when it is matched here (inline_leaf), the routes it ends. */
static void node_comment(const struct emit *e, const struct tnode *n, const char *indent, struct buf *b)
{
    struct buf path = { 0 }, lead = { 0 };

    trie_node_path(n, &path);
    buf_printf(b, "%s/* %s", indent, path.data);
    if (inline_leaf(n)) {
        buf_printf(&lead, "\n%s *   ", indent);
        leaf_lines(e, n, lead.data, b);
        buf_free(&lead);
    }
    buf_puts(b, " */\n");
    buf_free(&path);
}

/* The call that goes on into child c: its function, or the end of the path
 * at it (inline_leaf).  Leaves are numbered from 1 for at_leaf. */
static void child_call(const struct tnode *c, struct buf *b)
{
    if (inline_leaf(c))
        buf_printf(b, "w->nseg == %u && at_leaf(w, %d)", c->depth, c->leaf_id + 1);
    else
        buf_printf(b, "node_%u(w)", c->id);
}

/* How a node goes into a child once its test passed. */
enum entry {
    GO_ON,          /* not the node's last alternative: a failed child falls through */
    LAST,           /* the node's last alternative: return the child's answer */
    LAST_OF_MANY    /* the same, among tests of which only one can pass */
};

/*
 * Going into child c when cond holds (cond "" for always).  The last
 * alternative returns the child's answer, a tail call; an earlier one
 * returns only a match and lets the next kind be tried.
 */
static void enter(const char *indent, const char *cond, const struct tnode *c, enum entry how,
                  struct buf *b)
{
    struct buf call = { 0 };
    int leaf = inline_leaf(c);

    child_call(c, &call);
    if (how == GO_ON)
        buf_printf(b, "%sif (%s%s%s)\n%s    return 1;\n", indent, cond, *cond ? " && " : "", call.data,
                   indent);
    else if (!*cond)
        buf_printf(b, "%sreturn %s;\n", indent, call.data);
    else if (how == LAST)
        buf_printf(b, "%sreturn %s ? %s%s%s : 0;\n", indent, cond, leaf ? "(" : "", call.data,
                   leaf ? ")" : "");
    else
        buf_printf(b, "%sif (%s)\n%s    return %s;\n", indent, cond, indent, call.data);
    buf_free(&call);
}

/* "k == K && word_key(s + 8, 2) == K2": the test of literal c's bytes
 * beyond those its switch case already compared (first: the key of its
 * first 8 bytes is still to compare, as `key`). */
static void literal_test(const struct tnode *c, const char *key, struct buf *b)
{
    const char *sep = "";

    if (key) {
        buf_printf(b, "%s == ", key);
        key_literal(first_key(c), b);
        sep = " && ";
    }
    for (uint32_t i = 8; i < c->text_len; i += 8) {
        uint32_t m = c->text_len - i < 8 ? c->text_len - i : 8;
        buf_printf(b, "%sword_key(s + %u, %u) == ", sep, i, m);
        key_literal(word_key((const unsigned char *)c->text + i, m), b);
        sep = " && ";
    }
}

/* A node's only literal child: one test of length and keys. */
static void emit_one_literal(const struct emit *e, const struct tnode *c, int last, struct buf *b)
{
    struct buf cond = { 0 }, key = { 0 };

    node_comment(e, c, "    ", b);
    buf_printf(&cond, "len == %u", c->text_len);
    if (c->text_len) {
        buf_printf(&key, "word_key(s, %u)", c->text_len < 8 ? c->text_len : 8);
        buf_puts(&cond, " && ");
        literal_test(c, key.data, &cond);
    }
    enter("    ", cond.data, c, last ? LAST : GO_ON, b);
    buf_free(&cond);
    buf_free(&key);
}

/* A switch case for literals of one length and first key (several only
 * when longer than 8 bytes): the rest compared, if any, then the child. */
static void emit_same_key(const struct emit *e, struct tnode **v, uint32_t n, int last,
                          const char *indent, struct buf *b)
{
    for (uint32_t i = 0; i < n; i++) {
        struct buf cond = { 0 };
        literal_test(v[i], NULL, &cond);
        node_comment(e, v[i], indent, b);
        enter(indent, cond.data ? cond.data : "", v[i], last ? LAST_OF_MANY : GO_ON, b);
        buf_free(&cond);
    }
    if (!last || v[0]->text_len > 8)
        buf_printf(b, "%sbreak;\n", indent);
}

/* The hashed switch the plan chose for the literals v[0..g->n) of one
 * length, already in bucket order. */
static void emit_hashed(const struct emit *e, struct tnode **v, const struct literal_group *g, int last,
                        struct buf *b)
{
    uint32_t n = g->n;

    buf_printf(b, "        switch (key_bucket(k, 0x%08xu, %u)) { /* %u literals, %u buckets */\n", g->mul,
               g->bits, n, 1u << g->bits);
    for (uint32_t j = 0; j < n; j++) {
        if (j == 0 || g->bucket[j - 1] != g->bucket[j])
            buf_printf(b, "        case %u:\n", g->bucket[j]);
        struct buf cond = { 0 };
        literal_test(v[j], "k", &cond);
        node_comment(e, v[j], "            ", b);
        enter("            ", cond.data, v[j], last ? LAST_OF_MANY : GO_ON, b);
        buf_free(&cond);
        if (j + 1 == n || g->bucket[j + 1] != g->bucket[j])
            buf_puts(b, "            break;\n");
    }
    buf_puts(b, "        }\n");
}

/* Literals of one length: a switch on the first key, or on its bucket. */
static void emit_same_length(const struct emit *e, struct tnode **v, const struct literal_group *g, int last,
                             struct buf *b)
{
    uint32_t len = v[0]->text_len, n = g->n;

    if (len == 0) {             /* an empty segment, as in "/dir/" */
        buf_puts(b, "    case 0:\n");
        emit_same_key(e, v, 1, last, "        ", b);
        return;
    }
    if (g->bits) {
        buf_printf(b, "    case %u: {\n        uint64_t k = word_key(s, %u);\n", len, len < 8 ? len : 8);
        emit_hashed(e, v, g, last, b);
        buf_puts(b, "        break;\n    }\n");
        return;
    }
    buf_printf(b, "    case %u:\n        switch (word_key(s, %u)) {\n", len, len < 8 ? len : 8);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        uint64_t k = first_key(v[i]);
        while (j < n && first_key(v[j]) == k)
            j++;
        buf_puts(b, "        case ");
        key_literal(k, b);
        buf_puts(b, ":\n");
        emit_same_key(e, v + i, j - i, last, "            ", b);
        i = j;
    }
    buf_puts(b, "        }\n        break;\n");
}

/* Literal children: by length, then by key, as the plan ordered them. */
static void emit_literals(const struct emit *e, const struct tnode *n, struct buf *b)
{
    const struct node_literals *nl = &e->p->node_lits[n->id];
    int last = !has_others(n);

    if (n->nlits == 1) {
        emit_one_literal(e, n->lits[0], last, b);
        return;
    }
    buf_puts(b, "    switch (len) {\n");
    for (uint32_t i = 0; i < nl->ngroups; i++)
        emit_same_length(e, nl->lits + nl->groups[i].start, &nl->groups[i], last, b);
    buf_puts(b, "    }\n");
    if (last)
        buf_puts(b, "    return 0;\n");
}

/* int, uint, <name>, <name..>, in that order, after the literals. */
static void emit_params(const struct emit *e, const struct tnode *n, uint32_t np, struct buf *b)
{
    static const char *const decoder[2] = { "decode_int", "decode_uint" };
    static const char *const field[2] = { "i", "u" };

    for (int t = 0; t < 2; t++) {
        const struct tnode *c = n->typed[t];
        if (!c)
            continue;
        struct buf cond = { 0 };
        buf_printf(&cond, "%s(s, len, &w->m->param[%u].%s)", decoder[t], np, field[t]);
        node_comment(e, c, "    ", b);
        int last = !n->str && !n->rest && !(t == 0 && n->typed[1]);
        enter("    ", cond.data, c, last ? LAST : GO_ON, b);
        buf_free(&cond);
        if (last)
            return;
    }
    if (n->str) {
        node_comment(e, n->str, "    ", b);
        buf_printf(b, "    if (len) {\n        w->m->param[%u].s = (tr_str){ s, len };\n", np);
        enter("        ", "", n->str, n->rest ? GO_ON : LAST, b);
        buf_puts(b, "    }\n");
    }
    if (n->rest) {
        struct buf path = { 0 };
        trie_node_path(n->rest, &path);
        buf_printf(b, "    /* %s:", path.data);
        leaf_lines(e, n->rest, "\n     *   ", b);
        buf_printf(b, " */\n    return rest_match(w, %u, %u, %d);\n", n->depth, np, n->rest->leaf_id + 1);
        buf_free(&path);
        return;
    }
    buf_puts(b, "    return 0;\n");
}

static void emit_node(const struct emit *e, const struct tnode *n, struct buf *b)
{
    struct buf path = { 0 };
    int children = n->nlits || has_others(n);

    trie_node_path(n, &path);
    buf_printf(b, "/* node %u: %s", n->id, path.data);
    leaf_lines(e, n, "\n *   ", b);
    buf_printf(b, " */\nstatic NOINLINE int node_%u(struct walk *w)\n{\n", n->id);
    buf_free(&path);
    if (!children) {
        buf_printf(b, "    return w->nseg == %u && at_leaf(w, %d);\n}\n\n", n->depth, n->leaf_id + 1);
        return;
    }
    if (n->leaf_id >= 0)
        buf_printf(b, "    if (w->nseg == %u)\n        return at_leaf(w, %d);\n", n->depth, n->leaf_id + 1);
    else
        buf_printf(b, "    if (w->nseg == %u)\n        return 0;\n", n->depth);
    int reads_bytes = n->typed[0] || n->typed[1] || n->str;
    for (uint32_t i = 0; i < n->nlits; i++)
        reads_bytes |= n->lits[i]->text_len > 0;   /* not the empty segment of "/dir/" */
    if (reads_bytes)
        buf_printf(b, "    const char *s = w->path + w->off[%u];\n", n->depth);
    if (n->nlits || reads_bytes)
        buf_printf(b, "    uint32_t len = w->len[%u];\n\n", n->depth);
    if (n->nlits)
        emit_literals(e, n, b);
    if (has_others(n))
        emit_params(e, n, params_above(n), b);
    buf_puts(b, "}\n\n");
}

void emit_match_code(const struct emit *e, struct buf *b)
{
    const struct trie *t = e->trie;

    buf_puts(b, "/* A function per trie node with children, by node number (the root is 0):\n"
                " * 1 when a route at or below it matched (w->route), 0 to go on with the\n"
                " * next kind.  A node without children is matched in its parent's. */\n");
    for (uint32_t i = 0; i < t->nnodes; i++)
        if (t->nodes[i]->kind != SEG_REST && (i == 0 || !inline_leaf(t->nodes[i])))
            buf_printf(b, "static int node_%u(struct walk *w);\n", i);
    buf_puts(b, "\n");
    for (uint32_t i = 0; i < t->nnodes; i++)
        if (t->nodes[i]->kind != SEG_REST && (i == 0 || !inline_leaf(t->nodes[i])))
            emit_node(e, t->nodes[i], b);
}
