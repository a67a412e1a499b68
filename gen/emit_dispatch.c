/*
 * emit_dispatch.c - NAME_routes.c: the trie as tables, the perfect hash of
 * literal edges, and the switch that calls each handler with its typed
 * parameters.  Every table row says which node or route it serves.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "phash.h"
#include "template.h"

static const char *uint_type(uint64_t max)
{
    return max <= 0xff ? "uint8_t" : max <= 0xffff ? "uint16_t" : "uint32_t";
}

static uint64_t uint_max(const char *type)
{
    return strcmp(type, "uint8_t") == 0 ? 0xff : strcmp(type, "uint16_t") == 0 ? 0xffff : 0xffffffff;
}

/* The methods the spec routes, as leaf_routes columns. */
struct columns {
    int of_method[NMETHODS];  /* -1: no column */
    unsigned count;
};

static void find_columns(const struct gen *g, struct columns *c)
{
    uint16_t used = 0;

    for (uint32_t i = 0; i < g->nroutes; i++)
        used |= g->routes[i].methods;
    c->count = 0;
    for (unsigned m = 0; m < NMETHODS; m++)
        c->of_method[m] = used & (1u << m) ? (int)c->count++ : -1;
    c->of_method[1] = c->of_method[0];   /* HEAD is served by GET routes */
}

static void c_string(struct buf *b, const char *s, uint32_t n)
{
    buf_puts(b, "\"");
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '?')
            buf_printf(b, "\\%03o", c);
        else
            buf_put(b, &s[i], 1);
    }
    buf_puts(b, "\"");
}

static void emit_nodes(struct emit *e, struct buf *b)
{
    const struct trie *t = e->trie;

    buf_printf(b, "/*             alts   int  uint   str  rest  leaf    path */\n"
                  "static const struct node nodes[NODE_COUNT] = {\n");
    for (uint32_t i = 0; i < t->nnodes; i++) {
        const struct tnode *n = t->nodes[i];
        struct buf path = { 0 };
        trie_node_path(n, &path);
        unsigned alts = (n->nlits > 0) | (n->typed[0] ? 2 : 0) | (n->typed[1] ? 4 : 0) |
                        (n->str ? 8 : 0) | (n->rest ? 16 : 0);
        buf_printf(b, "    /* %5u */ { 0x%02x, %5u, %5u, %5u, %5u, %5d }, /* %s */\n", n->id,
                   alts, n->typed[0] ? n->typed[0]->id : 0, n->typed[1] ? n->typed[1]->id : 0,
                   n->str ? n->str->id : 0, n->rest ? n->rest->id : 0, n->leaf_id + 1, path.data);
        buf_free(&path);
    }
    buf_puts(b, "};\n\n");
}

static void emit_leaves(struct emit *e, const struct columns *c, struct buf *b)
{
    const struct trie *t = e->trie;

    buf_puts(b, "/* The route each leaf serves, by method column; NO_ROUTE where none. */\n"
                "static const route_t leaf_routes[LEAF_COUNT][LEAF_COLUMNS] = {\n");
    for (uint32_t i = 0; i < t->nnodes; i++) {
        const struct tnode *n = t->nodes[i];
        if (n->leaf_id < 0)
            continue;
        buf_printf(b, "    /* %5d */ {", n->leaf_id);
        for (unsigned m = 0; m < NMETHODS; m++) {
            if (m == 1 || c->of_method[m] < 0)
                continue;
            if (n->leaf[m])
                buf_printf(b, " %u,", n->leaf[m]->index);
            else
                buf_puts(b, " NO_ROUTE,");
        }
        buf_printf(b, " }, /* node %u */\n", n->id);
    }
    buf_puts(b, "};\n\n/* Methods each leaf has (bit = enum tr_method), for 405 and OPTIONS. */\n"
                "static const uint16_t leaf_methods[LEAF_COUNT] = {\n");
    for (uint32_t i = 0; i < t->nnodes; i++)
        if (t->nodes[i]->leaf_id >= 0)
            buf_printf(b, "    0x%04x, /* leaf %d */\n", t->nodes[i]->leaf_methods, t->nodes[i]->leaf_id);
    buf_puts(b, "};\n\n/* enum tr_method (and unknown, last) to a leaf_routes column. */\n"
                "static const uint8_t method_column[TR_METHOD_COUNT + 1] = {\n");
    for (unsigned m = 0; m <= NMETHODS; m++)
        buf_printf(b, "    %d, /* %s */\n", m < NMETHODS && c->of_method[m] >= 0 ? c->of_method[m] : (int)c->count,
                   m < NMETHODS ? method_name(m) : "unknown");
    buf_puts(b, "};\n\n");
}

static int emit_literals(struct emit *e, struct buf *b, struct buf *constants)
{
    const struct trie *t = e->trie;
    struct phash_key *keys = xcalloc(t->nlits, sizeof *keys);
    const struct tnode **edge = xcalloc(t->nlits, sizeof *edge);
    uint32_t n = 0, *offs = xcalloc(t->nlits, sizeof *offs), pool = 0, longest = 0;
    struct phash ph;

    for (uint32_t i = 0; i < t->nnodes; i++) {
        const struct tnode *nd = t->nodes[i];
        if (nd->kind != SEG_LITERAL || !nd->parent)
            continue;
        keys[n] = (struct phash_key){ (const unsigned char *)nd->text, nd->text_len, nd->parent->id };
        offs[n] = pool;
        pool += nd->text_len;
        if (nd->text_len > longest)
            longest = nd->text_len;
        edge[n++] = nd;
    }
    if (phash_build(keys, n, &ph) < 0) {
        diag_error(&e->g->diag, (struct loc){ 0, 0 }, 0, "no perfect hash found for %u literal segments", n);
        free(keys), free(edge), free(offs);
        return -1;
    }
    buf_printf(constants, "#define LIT_SEED %uu\n#define LIT_BUCKETS %u\n#define LIT_SLOT_BITS %u\n",
               ph.seed, ph.nbuckets, ph.size_bits);
    buf_printf(constants, "typedef %s litlen_t;\ntypedef %s litoff_t;\n", uint_type(longest),
               uint_type(pool));
    buf_puts(b, "/* The bytes of every literal segment, back to back. */\n"
                "static const char lit_pool[] =\n");
    for (uint32_t i = 0; i < n; i++) {
        buf_puts(b, "    ");
        c_string(b, edge[i]->text, edge[i]->text_len);
        buf_printf(b, " /* %u */\n", offs[i]);
    }
    buf_puts(b, "    \"\";\n\n/* Displacement of each hash bucket. */\n"
                "static const uint32_t literal_disp[LIT_BUCKETS] = {");
    for (uint32_t i = 0; i < ph.nbuckets; i++)
        buf_printf(b, "%s%u,", i % 12 ? " " : "\n    ", ph.disp[i]);
    buf_puts(b, "\n};\n\n/* The perfect-hash slots: (parent, child, len, off). */\n"
                "static const struct literal literals[1u << LIT_SLOT_BITS] = {\n");
    for (uint32_t s = 0; s < ph.size; s++) {
        int32_t k = ph.slot_key[s];
        if (k < 0) {
            buf_printf(b, "    /* %5u */ { 0, 0, 0, 0 },\n", s);
            continue;
        }
        struct buf path = { 0 };
        trie_node_path(edge[k], &path);
        buf_printf(b, "    /* %5u */ { %u, %u, %u, %u }, /* %s */\n", s, edge[k]->parent->id, edge[k]->id,
                   edge[k]->text_len, offs[k], path.data);
        buf_free(&path);
    }
    buf_puts(b, "};\n\n");
    phash_free(&ph);
    free(keys), free(edge), free(offs);
    return 0;
}

static void emit_route_table(struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;

    buf_printf(b, "/* What the runtime needs of each route before calling it. */\n"
                  "static const struct tr_route %s_route_table[%u] = {\n", g->set.name, g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++)
        buf_printf(b, "    { %u }, /* %u: %s */\n", g->routes[i].body_limit, i, g->routes[i].pattern);
    buf_puts(b, "};\n\n");
    if (!e->f.rest)
        return;
    buf_printf(b, "/* Routes whose last segment is a rest parameter. */\n"
                  "static const uint8_t route_has_rest[%u] = {", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        buf_printf(b, "%s%d,", i % 16 ? " " : "\n    ", r->nsegs && r->segs[r->nsegs - 1].kind == SEG_REST);
    }
    buf_puts(b, "\n};\n\n");
}

static const char *param_field(enum param_type t)
{
    return t == PT_INT ? "i" : t == PT_UINT ? "u" : "s";
}

/*
 * Handlers are called through one thunk per call shape (the C types of
 * the arguments), not through a switch with a case per route: a switch of
 * ten thousand calls takes gcc minutes to compile and costs a call site of
 * flash per route, while a thunk per shape and a table row per route grow
 * linearly in both.
 */
static void shape_key(const struct route *r, struct buf *b)
{
    if (r->action == ACTION_ASSET) {
        buf_puts(b, "asset");   /* every file: one thunk (emit_assets.c) */
        return;
    }
    if (r->methods & (r->methods - 1))
        buf_puts(b, "m");
    for (uint32_t i = 0; i < r->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL)
            buf_puts(b, param_field(r->segs[i].param.type));
    buf_puts(b, "/");
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_puts(b, param_field(r->query[i].type));
    buf_printf(b, "/%u%s", r->nheaders, r->body_limit ? "b" : "");
}

struct shapes {
    char **keys;             /* in order of first use */
    uint32_t n;
    uint32_t *of_route;      /* route index -> shape */
    uint32_t *example;       /* shape -> the first route of that shape */
};

/* Shapes are argument type lists, so there are few: a linear search. */
static void find_shapes(const struct gen *g, struct shapes *sh)
{
    sh->n = 0;
    sh->keys = xcalloc(g->nroutes, sizeof *sh->keys);
    sh->of_route = xcalloc(g->nroutes, sizeof *sh->of_route);
    sh->example = xcalloc(g->nroutes, sizeof *sh->example);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        struct buf k = { 0 };
        uint32_t j = 0;
        shape_key(&g->routes[i], &k);
        while (j < sh->n && strcmp(sh->keys[j], k.data) != 0)
            j++;
        if (j == sh->n) {
            sh->example[sh->n] = i;
            sh->keys[sh->n++] = k.data;
        } else {
            buf_free(&k);
        }
        sh->of_route[i] = j;
    }
}

static void free_shapes(struct shapes *sh)
{
    for (uint32_t i = 0; i < sh->n; i++)
        free(sh->keys[i]);
    free(sh->keys);
    free(sh->of_route);
    free(sh->example);
}

/* The handler's C type, e.g. "void (*)(tr_res *, int64_t, tr_str)". */
static void handler_type(const struct route *r, struct buf *b)
{
    buf_puts(b, "void (*)(tr_res *");
    if (r->methods & (r->methods - 1))
        buf_puts(b, ", enum tr_method");
    for (uint32_t i = 0; i < r->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL)
            buf_printf(b, ", %s", emit_param_ctype(r->segs[i].param.type));
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_printf(b, ", const %s *", emit_param_ctype(r->query[i].type));
    for (uint32_t i = 0; i < r->nheaders; i++)
        buf_puts(b, ", tr_str");
    if (r->body_limit)
        buf_puts(b, ", tr_str");
    buf_puts(b, ")");
}

static void emit_query_decode(const struct route *r, struct buf *b)
{
    buf_printf(b, "    tr_str q[%u];\n", r->nquery);
    for (uint32_t i = 0; i < r->nquery; i++)
        if (r->query[i].type != PT_STRING)
            buf_printf(b, "    %s v%u = 0;\n", emit_param_ctype(r->query[i].type), i);
    buf_printf(b, "    if (split_query(rq->query, query_lists[calls[route].query], %u, q) < 0)\n"
                  "        return 400;\n", r->nquery);
    for (uint32_t i = 0; i < r->nquery; i++) {
        if (r->query[i].type == PT_STRING)
            continue;
        buf_printf(b, "    if (q[%u].ptr && !decode_%s(q[%u].ptr, (uint32_t)q[%u].len, &v%u))\n"
                      "        return 400;\n",
                   i, r->query[i].type == PT_INT ? "int" : "uint", i, i, i);
    }
}

static void emit_thunk(uint32_t shape, const struct route *r, struct buf *b)
{
    uint32_t np = 0;
    struct buf type = { 0 };

    handler_type(r, &type);
    buf_printf(b, "/* Shape %u: %s */\n"
                  "static int call_%u(void (*fn)(void), int route, struct tr_request *rq,\n"
                  "                  struct tr_match *m, tr_res *res)\n"
                  "{\n    (void)route;\n    (void)rq;\n    (void)m;\n",
               shape, type.data, shape);
    if (r->nquery)
        emit_query_decode(r, b);
    buf_printf(b, "    ((%s)fn)(res", type.data);
    if (r->methods & (r->methods - 1))
        buf_puts(b, ", (enum tr_method)(rq->method == TR_HEAD ? TR_GET : rq->method)");
    for (uint32_t i = 0; i < r->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL)
            buf_printf(b, ", m->param[%u].%s", np++, param_field(r->segs[i].param.type));
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_printf(b, r->query[i].type == PT_STRING ? ", q[%u].ptr ? &q[%u] : NULL" : ", q[%u].ptr ? &v%u : NULL",
                   i, i);
    for (uint32_t i = 0; i < r->nheaders; i++)
        buf_printf(b, ", rq->header[header_lists[calls[route].headers][%u]]", i);
    if (r->body_limit)
        buf_puts(b, ", rq->body");
    buf_puts(b, ");\n    return 0;\n}\n\n");
    buf_free(&type);
}

static void route_label(const struct emit *e, const struct route *r, struct buf *b)
{
    methods_text(r->methods, b);
    buf_printf(b, " %s (%s:%u)", r->pattern, e->spec_base, r->loc.line);
}

/*
 * Per-route data the thunks read: query names, declared header indexes.
 * A route has a list of each only when it reads some; lists are numbered
 * from 1 in route order (0: none), and calls[] holds the numbers, so that
 * a row of it is a few bytes and no pointer.  Returns the count of each.
 */
static void emit_route_lists(struct emit *e, struct buf *b, uint32_t *nquery, uint32_t *nheaders)
{
    const struct gen *g = e->g;

    *nquery = *nheaders = 0;
    if (e->f.query || e->nheaders)
        buf_puts(b, "/* The query parameter names and declared header indexes routes read. */\n");
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (r->nquery) {
            ++*nquery;
            buf_printf(b, "static const char *const query_%u[] = {", i);
            for (uint32_t j = 0; j < r->nquery; j++)
                buf_printf(b, " \"%s\",", r->query[j].name);
            buf_puts(b, " };\n");
        }
        if (r->nheaders) {
            ++*nheaders;
            buf_printf(b, "static const hdr_t headers_%u[] = {", i);
            for (uint32_t j = 0; j < r->nheaders; j++)
                buf_printf(b, " %u,", emit_header_index(e, r->headers[j]));
            buf_puts(b, " };\n");
        }
    }
}

/* The table of one kind of list: NULL for number 0, then the lists. */
static void emit_list_table(const struct gen *g, const char *type, const char *table, const char *list,
                            int query, struct buf *b)
{
    buf_printf(b, "static %sconst %s[] = {\n    NULL,\n", type, table);
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (query ? g->routes[i].nquery : g->routes[i].nheaders)
            buf_printf(b, "    %s_%u,\n", list, i);
    buf_puts(b, "};\n");
}

static void emit_calls(struct emit *e, struct buf *b, struct buf *constants)
{
    const struct gen *g = e->g;
    struct shapes sh;
    uint32_t nquery, nheaders, q = 0, h = 0;

    find_shapes(g, &sh);
    buf_printf(constants, "#define SHAPE_COUNT %u\ntypedef %s hdr_t;\n", sh.n,
               uint_type(e->nheaders));
    emit_route_lists(e, b, &nquery, &nheaders);
    buf_printf(constants, "typedef %s shape_t;\ntypedef %s list_t;\n", uint_type(sh.n),
               uint_type(nquery > nheaders ? nquery : nheaders));
    if (e->f.query)
        emit_list_table(g, "const char *const *", "query_lists", "query", 1, b);
    if (nheaders)               /* not e->nheaders: those of files are no route's list */
        emit_list_table(g, "const hdr_t *", "header_lists", "headers", 0, b);
    if (e->f.query || e->nheaders)
        buf_puts(b, "\n");
    buf_puts(b, "/* How each route's handler is called: its thunk, its lists' numbers. */\n"
                "struct call {\n"
                "    shape_t shape;              /* which thunk */\n"
                "#if TR_WITH_QUERY\n    list_t query;               /* in query_lists */\n#endif\n"
                "#if TR_DECLARED_HEADERS > 0\n    list_t headers;             /* in header_lists */\n#endif\n"
                "};\n\n");
    buf_printf(b, "static const struct call calls[%u] = {\n", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        buf_printf(b, "    { %u", sh.of_route[i]);
        if (e->f.query)
            buf_printf(b, ", %u", r->nquery ? ++q : 0);
        if (e->nheaders)
            buf_printf(b, ", %u", r->nheaders ? ++h : 0);
        buf_printf(b, " }, /* %u: ", i);
        route_label(e, r, b);
        buf_puts(b, " */\n");
    }
    buf_puts(b, "};\n\n/* Each route's handler, cast back to its type by its thunk. */\n");
    buf_printf(b, "static void (*const handlers[%u])(void) = {\n", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].action == ACTION_ASSET)
            buf_printf(b, "    NULL, /* %u: a file, served from %s_assets */\n", i, g->set.name);
        else
            buf_printf(b, "    (void (*)(void))%s_%s, /* %u */\n", g->set.name, g->routes[i].handler, i);
    buf_puts(b, "};\n\n");
    for (uint32_t i = 0; i < sh.n; i++)
        if (g->routes[sh.example[i]].action == ACTION_ASSET)
            emit_asset_thunk(e, i, b);
        else
            emit_thunk(i, &g->routes[sh.example[i]], b);
    buf_puts(b, "static int (*const thunks[SHAPE_COUNT])(void (*)(void), int, struct tr_request *,\n"
                "                                          struct tr_match *, tr_res *) = {\n");
    for (uint32_t i = 0; i < sh.n; i++)
        buf_printf(b, "    call_%u,\n", i);
    buf_puts(b, "};\n");
    free_shapes(&sh);
}

/* Does the node code compare words?  Not for a spec whose only literal
 * segments are empty ("/dir/"). */
static int has_word_keys(const struct trie *t)
{
    for (uint32_t i = 1; i < t->nnodes; i++)
        if (t->nodes[i]->kind == SEG_LITERAL && t->nodes[i]->text_len)
            return 1;
    return 0;
}

int emit_dispatch(struct emit *e)
{
    struct gen *g = e->g;
    const struct trie *t = e->trie;
    struct buf banner = { 0 }, constants = { 0 }, leaves = { 0 }, tables = { 0 }, code = { 0 },
               cases = { 0 };
    struct columns c;
    const char *route_type = uint_type(g->nroutes);
    int rc = 0;

    find_columns(g, &c);
    uint16_t all = 0;
    for (uint32_t i = 0; i < g->nroutes; i++)
        all |= g->routes[i].methods;
    emit_banner(e, &banner);
    buf_printf(&constants, "typedef %s node_t;\ntypedef %s leaf_t;\ntypedef %s route_t;\n",
               uint_type(t->nnodes), uint_type(t->nleaves + 1), route_type);
    buf_printf(&constants, "#define NODE_COUNT %u\n#define LEAF_COUNT %u\n#define LEAF_COLUMNS %u\n"
                           "#define NO_ROUTE %lluu\n#define LIT_COUNT %u\n#define HAS_STRING %d\n"
                           "#define HAS_REST %d\n#define ALL_METHODS 0x%04x\n#define HAS_WORD_KEYS %d\n",
               t->nnodes, t->nleaves, c.count, (unsigned long long)uint_max(route_type), t->nlits,
               e->f.strings, e->f.rest, all, has_word_keys(t));
    buf_puts(&constants, "\n/* The request lexer, in the spec's NAME_lexer.c. */\n"
                         "int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);\n");
    emit_leaves(e, &c, &leaves);
    emit_nodes(e, &tables);
    emit_match_code(e, &code);
    if (t->nlits && emit_literals(e, &tables, &constants) < 0)
        rc = -1;
    emit_route_table(e, &leaves);
    emit_calls(e, &cases, &constants);
    if (rc == 0) {
        struct hole holes[] = {
            { "banner", banner.data }, { "spec", e->spec_base }, { "name", g->set.name },
            { "constants", constants.data }, { "leaves", leaves.data }, { "tables", tables.data },
            { "node code", code.data }, { "calls", cases.data },
        };
        template_fill(output_new(g, "%s_routes.c", g->set.name), "templates/routes.c.in", holes,
                      sizeof holes / sizeof holes[0]);
    }
    buf_free(&banner), buf_free(&constants), buf_free(&leaves), buf_free(&tables), buf_free(&code);
    buf_free(&cases);
    return rc;
}
