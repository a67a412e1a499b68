/*
 * emit_dispatch.c - NAME_routes.c: the trie as tables, the perfect hash of
 * literal edges, and the switch that calls each handler with its typed
 * parameters.  Every table row says which node or route it serves.
 */
#include <stdlib.h>
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"
#include "template.h"

static const char *uint_type(uint64_t max)
{
    return max <= 0xff ? "uint8_t" : max <= 0xffff ? "uint16_t" : "uint32_t";
}

static uint64_t uint_max(const char *type)
{
    return strcmp(type, "uint8_t") == 0 ? 0xff : strcmp(type, "uint16_t") == 0 ? 0xffff : 0xffffffff;
}

static void emit_nodes(const struct emit *e, struct buf *b)
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

static void emit_leaves(const struct emit *e, struct buf *b)
{
    const struct trie *t = e->trie;
    const struct columns *c = &e->p->cols;

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

static void emit_literals(const struct emit *e, struct buf *b, struct buf *constants)
{
    const struct literal_table *l = &e->p->lits;
    const struct phash *ph = &l->ph;

    buf_printf(constants, "#define LIT_SEED %uu\n#define LIT_BUCKETS %u\n#define LIT_SLOT_BITS %u\n",
               ph->seed, ph->nbuckets, ph->size_bits);
    buf_printf(constants, "typedef %s litlen_t;\ntypedef %s litoff_t;\n", uint_type(l->longest),
               uint_type(l->pool));
    buf_puts(b, "/* The bytes of every literal segment, back to back. */\n"
                "static const char lit_pool[] =\n");
    for (uint32_t i = 0; i < l->n; i++) {
        buf_puts(b, "    ");
        c_string(b, l->edge[i]->text, l->edge[i]->text_len);
        buf_printf(b, " /* %u */\n", l->off[i]);
    }
    buf_puts(b, "    \"\";\n\n/* Displacement of each hash bucket. */\n"
                "static const uint32_t literal_disp[LIT_BUCKETS] = {");
    for (uint32_t i = 0; i < ph->nbuckets; i++)
        buf_printf(b, "%s%u,", i % 12 ? " " : "\n    ", ph->disp[i]);
    buf_puts(b, "\n};\n\n/* The perfect-hash slots: (parent, child, len, off). */\n"
                "static const struct literal literals[1u << LIT_SLOT_BITS] = {\n");
    for (uint32_t s = 0; s < ph->size; s++) {
        int32_t k = ph->slot_key[s];
        if (k < 0) {
            buf_printf(b, "    /* %5u */ { 0, 0, 0, 0 },\n", s);
            continue;
        }
        struct buf path = { 0 };
        trie_node_path(l->edge[k], &path);
        buf_printf(b, "    /* %5u */ { %u, %u, %u, %u }, /* %s */\n", s, l->edge[k]->parent->id,
                   l->edge[k]->id, l->edge[k]->text_len, l->off[k], path.data);
        buf_free(&path);
    }
    buf_puts(b, "};\n\n");
}

static void emit_route_table(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;

    buf_printf(b, "/* What the runtime needs of each route before calling it. */\n"
                  "static const struct tr_route %s_route_table[%u] = {\n", g->set.name, g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        if (e->p->f.stream)      /* and which streamed route it is, if one */
            buf_printf(b, "    { %u, %u }, /* %u: ", g->routes[i].body_limit, e->p->routes[i].stream, i);
        else
            buf_printf(b, "    { %u }, /* %u: ", g->routes[i].body_limit, i);
        c_comment_str(b, g->routes[i].pattern);
        buf_puts(b, " */\n");
    }
    buf_puts(b, "};\n\n");
    if (!e->p->f.rest)
        return;
    buf_printf(b, "/* Routes whose last segment is a rest parameter. */\n"
                  "static const uint8_t route_has_rest[%u] = {", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        buf_printf(b, "%s%d,", i % 16 ? " " : "\n    ", r->nsegs && r->segs[r->nsegs - 1].kind == SEG_REST);
    }
    buf_puts(b, "\n};\n\n");
}

/* The handler's C type, e.g. "void (*)(tr_res *, int64_t, tr_str)"; a
 * streamed route's begin returns a status and takes its upload. */
static void handler_type(const struct route *r, struct buf *b)
{
    buf_puts(b, r->action == ACTION_STREAM ? "int (*)(tr_res *, tr_upload *" : "void (*)(tr_res *");
    for (uint32_t i = 0; i < r->nargs; i++)
        arg_c_param(&r->args[i], 0, b);
    buf_puts(b, ")");
}

/* The decode_* function (runtime/tr_dispatch.h) of a typed value. */
static const char *decoder(enum param_type t)
{
    return t == PT_INT ? "int" : t == PT_UINT ? "uint" : "bool";
}

static void emit_query_decode(const struct route *r, struct buf *b)
{
    buf_printf(b, "    tr_str q[%u];\n", r->nquery);
    for (uint32_t i = 0; i < r->nargs; i++)
        if (r->args[i].kind == ARG_QUERY && r->args[i].type != PT_STRING)
            buf_printf(b, "    %s v%u = 0;\n", param_ctype(r->args[i].type), r->args[i].index);
    buf_printf(b, "    if (split_query(rq->query, query_lists[calls[route].query], %u, q) < 0)\n"
                  "        return 400;\n", r->nquery);
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *a = &r->args[i];
        if (a->kind != ARG_QUERY || a->type == PT_STRING)
            continue;
        buf_printf(b, "    if (q[%u].ptr && !decode_%s(q[%u].ptr, (uint32_t)q[%u].len, &v%u))\n"
                      "        return 400;\n",
                   a->index, decoder(a->type), a->index, a->index, a->index);
    }
}

/* The JSON kind (TR_JSON_*) of a field's type. */
static const char *json_kind(enum param_type t)
{
    return t == PT_STRING ? "TR_JSON_STR" : t == PT_BOOL ? "TR_JSON_BOOL" : "TR_JSON_NUM";
}

/*
 * A route's fields: from an application/x-www-form-urlencoded body,
 * decoded as a query is, and/or from an application/json object (typed:
 * a str field takes a string, an int or uint one a number, a bool one
 * true or false); their names
 * follow the query's in the route's list.  RFC 9110 §15.5.16: a body of
 * another type is 415; one that does not decode, 400.
 */
static void emit_form_decode(const struct emit *e, const struct route *r, struct buf *b)
{
    const char *names = "query_lists[calls[route].query]";

    buf_printf(b, "    tr_str f[%u];\n", r->nform);
    for (uint32_t i = 0; i < r->nargs; i++)
        if (r->args[i].kind == ARG_FORM && r->args[i].type != PT_STRING)
            buf_printf(b, "    %s fv%u = 0;\n", param_ctype(r->args[i].type), r->args[i].index);
    if (r->fields_in & FIELDS_JSON) {
        buf_printf(b, "    static const uint8_t kinds[%u] = {", r->nform);
        for (uint32_t i = 0; i < r->nargs; i++)
            if (r->args[i].kind == ARG_FORM)
                buf_printf(b, " %s,", json_kind(r->args[i].type));
        buf_puts(b, " };\n");
    }
    if (r->fields_in & FIELDS_FORM)
        buf_printf(b, "    if (is_form(rq->header[%u])) {\n"
                      "        if (split_query(rq->body, %s + %u, %u, f) < 0)\n"
                      "            return 400;\n    } else", e->p->content_type, names, r->nquery, r->nform);
    else
        buf_puts(b, "   ");
    if (r->fields_in & FIELDS_JSON)
        buf_printf(b, " if (is_json(rq->header[%u])) {\n"
                      "        if (tr_json_fields((char *)rq->body.ptr, rq->body.len, %s + %u, %u, kinds, f) < 0)\n"
                      "            return 400;\n    } else", e->p->content_type, names, r->nquery, r->nform);
    buf_puts(b, " {\n        return 415;\n    }\n");
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *a = &r->args[i];
        if (a->kind != ARG_FORM || a->type == PT_STRING)
            continue;
        buf_printf(b, "    if (f[%u].ptr && !decode_%s(f[%u].ptr, (uint32_t)f[%u].len, &fv%u))\n"
                      "        return 400;\n",
                   a->index, decoder(a->type), a->index, a->index, a->index);
    }
}

/* A route's cookies, found by name in its Cookie field (RFC 6265 §5.4: the
 * first of a name wins), typed as query parameters are; not decoded. */
static void emit_cookie_decode(const struct emit *e, const struct route *r, struct buf *b)
{
    buf_printf(b, "    tr_str c[%u];\n", r->ncookies);
    for (uint32_t i = 0; i < r->nargs; i++)
        if (r->args[i].kind == ARG_COOKIE && r->args[i].type != PT_STRING)
            buf_printf(b, "    %s cv%u = 0;\n", param_ctype(r->args[i].type), r->args[i].index);
    buf_printf(b, "    for (unsigned k = 0; k < %u; k++)\n"
                  "        tr_cookie_get(rq->header[%u], cookie_lists[route][k], &c[k]);\n",
               r->ncookies, e->p->cookie_header);
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *a = &r->args[i];
        if (a->kind != ARG_COOKIE || a->type == PT_STRING)
            continue;
        buf_printf(b, "    if (c[%u].ptr && !decode_%s(c[%u].ptr, (uint32_t)c[%u].len, &cv%u))\n"
                      "        return 400;\n",
                   a->index, decoder(a->type), a->index, a->index, a->index);
    }
}

/* The cookie names of each route, by route number (NULL: none). */
static void emit_cookie_lists(const struct gen *g, struct buf *b)
{
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (!r->ncookies)
            continue;
        buf_printf(b, "static const char *const cookies_%u[] = {", i);
        for (uint32_t j = 0; j < r->ncookies; j++) {
            buf_puts(b, " ");
            c_string(b, r->cookies[j].name ? r->cookies[j].name : "", r->cookies[j].name ? strlen(r->cookies[j].name) : 0);
            buf_puts(b, ",");
        }
        buf_puts(b, " };\n");
    }
    buf_printf(b, "static const char *const *const cookie_lists[%u] = {\n", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        if (g->routes[i].ncookies)
            buf_printf(b, "    cookies_%u,\n", i);
        else
            buf_puts(b, "    NULL,\n");
    }
    buf_puts(b, "};\n\n");
}

static void emit_is_form(struct buf *b)
{
    buf_puts(b, "/* Is a Content-Type application/x-www-form-urlencoded (any case, with parameters)? */\n"
                "static int is_form(tr_str type)\n{\n"
                "    static const char want[] = \"application/x-www-form-urlencoded\";\n"
                "    size_t n = sizeof want - 1;\n\n"
                "    if (!type.ptr || type.len < n || (type.len > n && type.ptr[n] != ';' && type.ptr[n] != ' '))\n"
                "        return 0;\n"
                "    for (size_t i = 0; i < n; i++)\n"
                "        if ((type.ptr[i] | (type.ptr[i] >= 'A' && type.ptr[i] <= 'Z' ? 0x20 : 0)) != want[i])\n"
                "            return 0;\n"
                "    return 1;\n}\n\n");
}

static void emit_is_json(struct buf *b)
{
    buf_puts(b, "/* Is a Content-Type application/json (any case, with parameters)? */\n"
                "static int is_json(tr_str type)\n{\n"
                "    static const char want[] = \"application/json\";\n"
                "    size_t n = sizeof want - 1;\n\n"
                "    if (!type.ptr || type.len < n || (type.len > n && type.ptr[n] != ';' && type.ptr[n] != ' '))\n"
                "        return 0;\n"
                "    for (size_t i = 0; i < n; i++)\n"
                "        if ((type.ptr[i] | (type.ptr[i] >= 'A' && type.ptr[i] <= 'Z' ? 0x20 : 0)) != want[i])\n"
                "            return 0;\n"
                "    return 1;\n}\n\n");
}

/* The expression a thunk passes for argument a. */
static void thunk_arg(const struct arg *a, struct buf *b)
{
    uint32_t i = a->index;

    switch (a->kind) {
    case ARG_METHOD: buf_puts(b, ", (enum tr_method)(rq->method == TR_HEAD ? TR_GET : rq->method)"); return;
    case ARG_PATH: buf_printf(b, ", m->param[%u].%s", i, param_field(a->type)); return;
    case ARG_QUERY:
        buf_printf(b, a->type == PT_STRING ? ", q[%u].ptr ? &q[%u] : NULL" : ", q[%u].ptr ? &v%u : NULL", i, i);
        return;
    case ARG_HEADER: buf_printf(b, ", rq->header[header_lists[calls[route].headers][%u]]", i); return;
    case ARG_BODY: buf_puts(b, ", rq->body"); return;
    case ARG_FORM:
        buf_printf(b, a->type == PT_STRING ? ", f[%u].ptr ? &f[%u] : NULL" : ", f[%u].ptr ? &fv%u : NULL", i, i);
        return;
    case ARG_COOKIE:
        buf_printf(b, a->type == PT_STRING ? ", c[%u].ptr ? &c[%u] : NULL" : ", c[%u].ptr ? &cv%u : NULL", i, i);
        return;
    case ARG_GUARD: buf_printf(b, ", m->guard[%u].%s", i, param_field(a->type)); return;
    }
}

static void emit_thunk(const struct emit *e, uint32_t shape, const struct route *r, struct buf *b)
{
    struct buf type = { 0 };

    handler_type(r, &type);
    buf_printf(b, "/* Shape %u: %s */\n"
                  "static int call_%u(void (*fn)(void), int route, struct tr_request *rq,\n"
                  "                  struct tr_match *m, tr_res *res)\n"
                  "{\n    (void)route;\n    (void)rq;\n    (void)m;\n",
               shape, type.data, shape);
    if (r->nquery)
        emit_query_decode(r, b);
    if (r->ncookies)
        emit_cookie_decode(e, r, b);
    if (r->nform)
        emit_form_decode(e, r, b);
    if (r->action == ACTION_STREAM)
        buf_printf(b, "    return ((%s)fn)(res, rq->upload", type.data);
    else
        buf_printf(b, "    ((%s)fn)(res", type.data);
    for (uint32_t i = 0; i < r->nargs; i++)
        thunk_arg(&r->args[i], b);
    buf_puts(b, r->action == ACTION_STREAM ? ");\n}\n\n" : ");\n    return 0;\n}\n\n");
    buf_free(&type);
}

static void route_label(const struct emit *e, const struct route *r, struct buf *b)
{
    methods_text(r->methods, b);
    buf_puts(b, " ");
    c_comment_str(b, r->pattern);
    buf_printf(b, " (%s:%u)", e->spec_base, r->loc.line);
}

/*
 * Per-route data the thunks read: query names, declared header indexes.
 * A route has a list of each only when it reads some; lists are numbered
 * from 1 in route order (0: none), and calls[] holds the numbers, so that
 * a row of it is a few bytes and no pointer.
 */
static void emit_route_lists(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;

    if (e->p->f.query || e->p->nheader_lists)
        buf_puts(b, "/* The query parameter names and declared header indexes routes read. */\n");
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (r->nquery + r->nform) {
            buf_printf(b, "static const char *const query_%u[] = {", i);
            for (uint32_t j = 0; j < r->nquery; j++) {
                buf_puts(b, " ");
                c_string(b, r->query[j].name, strlen(r->query[j].name));
                buf_puts(b, ",");
            }
            for (uint32_t j = 0; j < r->nform; j++) {
                buf_puts(b, " ");
                c_string(b, r->form[j].name ? r->form[j].name : "", r->form[j].name ? strlen(r->form[j].name) : 0);
                buf_puts(b, ",");
            }
            buf_puts(b, " };\n");
        }
        if (r->nheaders) {
            buf_printf(b, "static const hdr_t headers_%u[] = {", i);
            for (uint32_t j = 0; j < r->nheaders; j++)
                buf_printf(b, " %u,", e->p->header_index[i][j]);
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
        if (query ? g->routes[i].nquery + g->routes[i].nform : g->routes[i].nheaders)
            buf_printf(b, "    %s_%u,\n", list, i);
    buf_puts(b, "};\n");
}

/* The spec's bodies for the runtime's own answers (`error` lines,
 * errors.c), in status order; only for a spec that has some. */
static void emit_error_bodies(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;
    if (!e->p->f.error_bodies)
        return;
    buf_puts(b, "\n/* The bodies of the runtime's own answers (tr_app.h), by status. */\n"
                "const struct tr_error_body tr_error_bodies[] = {\n");
    for (uint32_t i = 0; i < g->nerrors; i++) {
        const struct error_body *eb = &g->errors[i];
        buf_printf(b, "    { %u, %zu, ", eb->status, eb->len);
        c_string(b, eb->type, strlen(eb->type));
        buf_printf(b, ", /* %s:%u */\n", e->spec_base, eb->loc.line);
        for (size_t at = 0; at < eb->len || at == 0; at += 64) {
            buf_puts(b, "      ");
            c_string(b, eb->body + at, eb->len - at < 64 ? eb->len - at : 64);
            buf_puts(b, "\n");
        }
        buf_puts(b, "    },\n");
    }
    buf_puts(b, "    { 0, 0, NULL, NULL },\n};\n");
}

static void emit_calls(const struct emit *e, struct buf *b, struct buf *constants)
{
    const struct gen *g = e->g;
    const struct plan *p = e->p;
    const struct shapes *sh = &p->shapes;
    uint32_t q = 0, h = 0;

    buf_printf(constants, "#define SHAPE_COUNT %u\ntypedef %s hdr_t;\n", sh->n,
               uint_type(p->nheaders));
    emit_route_lists(e, b);
    buf_printf(constants, "typedef %s shape_t;\ntypedef %s list_t;\n", uint_type(sh->n),
               uint_type(p->nquery_lists > p->nheader_lists ? p->nquery_lists : p->nheader_lists));
    if (p->f.query)
        emit_list_table(g, "const char *const *", "query_lists", "query", 1, b);
    if (p->nheader_lists)       /* not p->nheaders: those of files are no route's list */
        emit_list_table(g, "const hdr_t *", "header_lists", "headers", 0, b);
    if (p->f.query || p->nheader_lists)
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
        switch (p->routes[i].action) {
        case ACTION_HANDLER:
        case ACTION_STREAM:
        case ACTION_ASSET: buf_printf(b, "    { %u", p->routes[i].shape); break;
        }
        if (p->f.query)
            buf_printf(b, ", %u", r->nquery + r->nform ? ++q : 0);
        if (p->nheaders)
            buf_printf(b, ", %u", r->nheaders ? ++h : 0);
        buf_printf(b, " }, /* %u: ", i);
        route_label(e, r, b);
        buf_puts(b, " */\n");
    }
    buf_puts(b, "};\n\n/* Each route's handler, cast back to its type by its thunk. */\n");
    buf_printf(b, "static void (*const handlers[%u])(void) = {\n", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++)
        switch (p->routes[i].action) {
        case ACTION_HANDLER:
            buf_printf(b, "    (void (*)(void))%s_%s, /* %u */\n", g->set.name, g->routes[i].handler, i);
            break;
        case ACTION_ASSET:
            buf_printf(b, "    NULL, /* %u: a file, served from %s_assets */\n", i, g->set.name);
            break;
        case ACTION_STREAM:
            buf_printf(b, "    (void (*)(void))%s_%s_begin, /* %u: streamed */\n", g->set.name,
                       g->routes[i].handler, i);
            break;
        }
    buf_puts(b, "};\n\n");
    if (p->f.urlencoded)
        emit_is_form(b);
    if (p->f.json_read)
        emit_is_json(b);
    if (p->f.cookie)
        emit_cookie_lists(g, b);
    for (uint32_t i = 0; i < sh->n; i++)
        if (p->routes[sh->example[i]].action == ACTION_ASSET)
            emit_asset_thunk(e, i, b);
        else
            emit_thunk(e, i, &g->routes[sh->example[i]], b);
    buf_puts(b, "static int (*const thunks[SHAPE_COUNT])(void (*)(void), int, struct tr_request *,\n"
                "                                          struct tr_match *, tr_res *) = {\n");
    for (uint32_t i = 0; i < sh->n; i++)
        buf_printf(b, "    call_%u,\n", i);
    buf_puts(b, "};\n");
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

int emit_dispatch(const struct emit *e)
{
    struct gen *g = e->g;
    const struct trie *t = e->trie;
    struct buf banner = { 0 }, constants = { 0 }, leaves = { 0 }, tables = { 0 }, code = { 0 },
               cases = { 0 };
    const char *route_type = uint_type(g->nroutes);
    struct buf guard_field = { 0 }, cors_field = { 0 };

    buf_printf(&guard_field, "\n    %s_guard,", g->set.name);
    struct buf init_field = { 0 };      /* tr_app's init, in a `loop` spec only */
    if (g->set.init)
        buf_printf(&init_field, "\n    %s_%s,", g->set.name, g->set.init);
    else
        buf_puts(&init_field, "\n    0,");
    buf_printf(&cors_field, "\n    %s_cors,", g->set.name);

    buf_puts(&banner, e->banner);
    buf_printf(&constants, "typedef %s node_t;\ntypedef %s leaf_t;\ntypedef %s route_t;\n",
               uint_type(t->nnodes), uint_type(t->nleaves + 1), route_type);
    buf_printf(&constants, "#define NODE_COUNT %u\n#define LEAF_COUNT %u\n#define LEAF_COLUMNS %u\n"
                           "#define NO_ROUTE %lluu\n#define LIT_COUNT %u\n#define HAS_STRING %d\n"
                           "#define HAS_REST %d\n#define ALL_METHODS 0x%04x\n#define HAS_WORD_KEYS %d\n",
               t->nnodes, t->nleaves, e->p->cols.count, (unsigned long long)uint_max(route_type),
               t->nlits, e->p->f.strings, e->p->f.rest, e->p->all_methods, has_word_keys(t));
    buf_puts(&constants, "\n/* The request lexer, in the spec's NAME_lexer.c. */\n"
                         "int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);\n");
    emit_leaves(e, &leaves);
    emit_nodes(e, &tables);
    emit_match_code(e, &code);
    if (t->nlits)
        emit_literals(e, &tables, &constants);
    emit_route_table(e, &leaves);
    emit_calls(e, &cases, &constants);
    emit_guard_calls(e, &cases);
    emit_cors_calls(e, &cases);
    emit_error_bodies(e, &cases);
    emit_stream_table(e, &cases);
    struct buf streams_field = { 0 };
    buf_printf(&streams_field, "\n    %s_streams,", g->set.name);
    struct hole holes[] = {
        { "banner", banner.data }, { "spec", e->spec_base }, { "name", g->set.name },
        { "constants", constants.data }, { "leaves", leaves.data }, { "tables", tables.data },
        { "node code", code.data }, { "calls", cases.data },
        { "app_guard", e->p->f.guard ? guard_field.data : "" },
        { "app_streams", e->p->f.stream ? streams_field.data : "" },
        { "app_init", e->p->f.loop ? init_field.data : "" },
        { "app_cors", e->p->f.cors ? cors_field.data : "" },
    };
    template_fill(output_new(g, "%s_routes.c", g->set.name), "templates/routes.c.in", holes,
                  sizeof holes / sizeof holes[0]);
    buf_free(&banner), buf_free(&constants), buf_free(&leaves), buf_free(&tables), buf_free(&code);
    buf_free(&cases);
    buf_free(&guard_field);
    buf_free(&streams_field);
    buf_free(&init_field);
    buf_free(&cors_field);
    return 0;
}
