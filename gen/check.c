/*
 * check.c - the rules that need the whole spec: parameter placement and
 * names, handler signatures, duplicate and ambiguous routes, unreachable
 * routes and settings that contradict each other.
 *
 * Duplicates and ambiguity are found by sorting one key per (route, method)
 * and comparing neighbours: O(n log n), never all pairs, so a spec of
 * 10,000 routes checks as fast as one of ten.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gen.h"

static void check_params(struct gen *g, const struct route *r)
{
    for (uint32_t i = 0; i + 1 < r->nsegs; i++)
        if (r->segs[i].kind == SEG_REST)
            diag_error(&g->diag, r->segs[i].loc, r->segs[i].param.len,
                       "rest parameter <%s..> must be the last segment", r->segs[i].param.name);

    /* Duplicate names among path and query parameters. */
    uint32_t n = r->nsegs + r->nquery;
    for (uint32_t i = 0; i < n; i++) {
        const struct param *p = i < r->nsegs ? &r->segs[i].param : &r->query[i - r->nsegs];
        if (!p->name || (i < r->nsegs && r->segs[i].kind == SEG_LITERAL))
            continue;
        for (uint32_t j = 0; j < i; j++) {
            const struct param *q = j < r->nsegs ? &r->segs[j].param : &r->query[j - r->nsegs];
            if (q->name && (j >= r->nsegs || r->segs[j].kind != SEG_LITERAL) &&
                strcmp(p->name, q->name) == 0) {
                diag_error(&g->diag, p->loc, p->len, "parameter '%s' is declared twice in this route",
                           p->name);
                diag_note(&g->diag, q->loc, q->len, "first declared here");
                break;
            }
        }
    }
}

/* ---- C names ---- */

/* What a handler's parameter may not be called: C's keywords (C89 to
 * C23), the parameters every prototype may already have, and what the
 * generated header and its includes define. */
static const char *const reserved_params[] = {
    "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex", "_Decimal128",
    "_Decimal32", "_Decimal64", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
    "_Thread_local", "alignas", "alignof", "asm", "auto", "bool", "break", "case", "char",
    "const", "constexpr", "continue", "default", "do", "double", "else", "enum", "extern",
    "false", "float", "for", "goto", "if", "inline", "int", "long", "nullptr", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "static_assert", "struct",
    "switch", "thread_local", "true", "typedef", "typeof", "typeof_unqual", "union",
    "unsigned", "void", "volatile", "while",
    /* the handler API */
    "res", "method", "body", "tr_str", "tr_res", "NULL", "int64_t", "uint64_t", "size_t",
};

/* The generated globals a handler's C name (NAME_handler) must not be. */
static const char *const reserved_handlers[] = {
    "app", "dispatch", "invoke", "route_table", "main_omitted",
};

static int is_listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}
#define IS_LISTED(name, list) is_listed((name), (list), sizeof(list) / sizeof *(list))

/* One C parameter of a handler, for the checks below. */
struct c_param {
    char *ident;             /* as it appears in the prototype */
    const char *header;      /* the header field it comes from, or NULL */
    struct loc loc;
    uint32_t len;
};

/*
 * Every parameter of the handler must be a C name that is free: not a
 * keyword, not a name the prototype or tr.h already uses, and not the
 * name of another parameter once header fields become C names (X-Token
 * and X_Token are both x_token).  Path and query parameters clashing with
 * each other are check_params's.
 */
static void check_c_names(struct gen *g, const struct route *r)
{
    struct c_param *v = NULL;
    uint32_t n = 0;

    for (uint32_t i = 0; i < r->nsegs + r->nquery; i++) {
        const struct param *p = i < r->nsegs ? &r->segs[i].param : &r->query[i - r->nsegs];
        if (p->name && (i >= r->nsegs || r->segs[i].kind != SEG_LITERAL))
            *VEC_PUSH(v, n) = (struct c_param){ xstrndup(p->name, strlen(p->name)), NULL,
                                                p->loc, p->len };
    }
    for (uint32_t i = 0; i < r->nheaders; i++) {
        struct buf id = { 0 };
        emit_header_ident(r->headers[i], &id);
        buf_put(&id, "", 0);
        *VEC_PUSH(v, n) = (struct c_param){ id.data, r->headers[i], r->header_locs[i],
                                            (uint32_t)strlen(r->headers[i]) };
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct c_param *p = &v[i];
        if (IS_LISTED(p->ident, reserved_params)) {
            if (p->header)
                diag_error(&g->diag, p->loc, p->len,
                           "header '%s' would be the handler parameter '%s', a name C or the "
                           "handler API reserves", p->header, p->ident);
            else
                diag_error(&g->diag, p->loc, p->len,
                           "parameter name '%s' is reserved by C or the handler API; rename it",
                           p->ident);
            continue;
        }
        for (uint32_t j = 0; p->header && j < i; j++) {
            if (strcmp(p->ident, v[j].ident) == 0) {
                diag_error(&g->diag, p->loc, p->len,
                           "header '%s' would be the handler parameter '%s', which this route "
                           "already has", p->header, p->ident);
                diag_note(&g->diag, v[j].loc, v[j].len, "'%s' comes from here", v[j].ident);
                break;
            }
        }
    }
    for (uint32_t i = 0; i < n; i++)
        free(v[i].ident);
    free(v);
    if (r->handler && IS_LISTED(r->handler, reserved_handlers))
        diag_error(&g->diag, r->handler_loc, (uint32_t)strlen(r->handler),
                   "handler name '%s' would be '%s_%s', which the generated code defines",
                   r->handler, g->set.name ? g->set.name : "NAME", r->handler);
}

/* Dispatch keeps a segment index in a byte (see templates/routes.c.in). */
#define MAX_PATTERN_SEGMENTS 254

static void check_unreachable(struct gen *g, const struct route *r)
{
    if (r->nsegs > MAX_PATTERN_SEGMENTS)
        diag_error(&g->diag, r->path_loc, (uint32_t)strlen(r->pattern),
                   "route '%s' has %u segments; at most %u are allowed", r->pattern, r->nsegs,
                   MAX_PATTERN_SEGMENTS);
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct segment *s = &r->segs[i];
        if (s->kind == SEG_LITERAL && (strcmp(s->text, ".") == 0 || strcmp(s->text, "..") == 0))
            diag_warning(&g->diag, W_UNREACHABLE_ROUTE, s->loc, s->text_len,
                         "route '%s' can never be reached: requests with a '%s' segment are "
                         "refused with 400", r->pattern, s->text);
    }
    /* "GET " + pattern + " HTTP/1.1" must fit in the request line. */
    size_t shortest = strlen(r->pattern) + 14;
    if (shortest > g->set.request_line_max)
        diag_warning(&g->diag, W_UNREACHABLE_ROUTE, r->path_loc, (uint32_t)strlen(r->pattern),
                     "route '%s' can never be reached: its request line is longer than "
                     "'limit request_line' (%u bytes)", r->pattern, g->set.request_line_max);
}

/* A route's handler signature in words, for comparing and for messages. */
void route_signature(const struct route *r, struct buf *b)
{
    if (r->methods & (r->methods - 1))
        buf_puts(b, "method");
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct param *p = &r->segs[i].param;
        if (r->segs[i].kind == SEG_REST)
            buf_printf(b, "%s<%s..>", b->len ? ", " : "", p->name);
        else if (r->segs[i].kind != SEG_LITERAL)
            buf_printf(b, "%s<%s:%s>", b->len ? ", " : "", p->name, param_type_name(p->type));
    }
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_printf(b, "%s?<%s:%s>", b->len ? ", " : "", r->query[i].name,
                   param_type_name(r->query[i].type));
    for (uint32_t i = 0; i < r->nheaders; i++)
        buf_printf(b, "%sheader %s", b->len ? ", " : "", r->headers[i]);
    if (r->body_limit)
        buf_printf(b, "%sbody", b->len ? ", " : "");
    if (!b->len)
        buf_puts(b, "no parameters");
}

static int by_handler(const void *a, const void *b)
{
    const struct route *x = *(struct route *const *)a, *y = *(struct route *const *)b;
    int c = strcmp(x->handler, y->handler);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void check_handlers(struct gen *g)
{
    struct route **v = xcalloc(g->nroutes, sizeof *v);

    uint32_t n = 0;

    for (uint32_t i = 0; i < g->nroutes; i++)
        if (!g->routes[i].broken && g->routes[i].action == ACTION_HANDLER)
            v[n++] = &g->routes[i];
    if (n)
        qsort(v, n, sizeof *v, by_handler);
    /* Compare each route with the first of its handler: one message each. */
    for (uint32_t i = 1, f = 0; i < n; i++) {
        struct route *first = v[f], *r = v[i];
        if (strcmp(first->handler, r->handler) != 0) {
            f = i;
            continue;
        }
        struct buf a = { 0 }, b = { 0 };
        route_signature(first, &a);
        route_signature(r, &b);
        if (strcmp(a.data, b.data) != 0) {
            diag_error(&g->diag, r->handler_loc, (uint32_t)strlen(r->handler),
                       "handler '%s' is used with another signature: (%s) here, (%s) before",
                       r->handler, b.data, a.data);
            diag_note(&g->diag, first->handler_loc, (uint32_t)strlen(first->handler),
                      "first used here");
        }
        buf_free(&a);
        buf_free(&b);
    }
    free(v);
}

/* ---- duplicates and ambiguity ---- */

struct route_key {
    unsigned method;
    struct buf key;          /* kinds and literal texts: equal keys collide */
    const struct route *r;
};

static void build_key(const struct route *r, struct buf *b)
{
    buf_put(b, "", 0);          /* "/" has an empty key; keep data non-NULL */
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct segment *s = &r->segs[i];
        buf_printf(b, "%c", "LTSR"[s->kind]);
        if (s->kind == SEG_LITERAL) {
            buf_printf(b, "%u:", s->text_len);
            buf_put(b, s->text, s->text_len);
        }
    }
}

static int by_key(const void *a, const void *b)
{
    const struct route_key *x = a, *y = b;
    if (x->method != y->method)
        return x->method < y->method ? -1 : 1;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = memcmp(x->key.data, y->key.data, n);
    if (c)
        return c;
    if (x->key.len != y->key.len)
        return x->key.len < y->key.len ? -1 : 1;
    return (x->r->index > y->r->index) - (x->r->index < y->r->index);
}

static int same_types(const struct route *a, const struct route *b)
{
    for (uint32_t i = 0; i < a->nsegs; i++)
        if (a->segs[i].kind != SEG_LITERAL && a->segs[i].param.type != b->segs[i].param.type)
            return 0;
    return 1;
}

/* A request path both routes match: literals as written (encoded where
 * needed), "0" for typed segments (every integer type takes it), "x" else. */
static void example_path(const struct route *r, struct buf *b)
{
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct segment *s = &r->segs[i];
        buf_puts(b, "/");
        if (s->kind == SEG_TYPED)
            buf_puts(b, "0");
        else if (s->kind != SEG_LITERAL)
            buf_puts(b, "x");
        else
            for (uint32_t j = 0; j < s->text_len; j++) {
                unsigned char c = (unsigned char)s->text[j];
                if (c > 0x20 && c < 0x7f && !strchr("%/?#<>\"\\^`{|} ", c))
                    buf_put(b, &s->text[j], 1);
                else
                    buf_printf(b, "%%%02X", c);
            }
    }
    if (!b->len)
        buf_puts(b, "/");
}

static void report_collision(struct gen *g, unsigned m, const struct route *first,
                             const struct route *r)
{
    if (same_types(first, r)) {
        diag_error(&g->diag, r->path_loc, (uint32_t)strlen(r->pattern),
                   "route '%s %s' is defined twice", method_name(m), r->pattern);
        diag_note(&g->diag, first->path_loc, (uint32_t)strlen(first->pattern),
                  "first defined here as '%s %s'", method_name(m), first->pattern);
        return;
    }
    struct buf ex = { 0 };
    example_path(first, &ex);
    diag_error(&g->diag, r->path_loc, (uint32_t)strlen(r->pattern),
               "route '%s %s' is ambiguous with '%s %s': both match '%s' with equal precedence",
               method_name(m), r->pattern, method_name(m), first->pattern, ex.data);
    diag_note(&g->diag, first->path_loc, (uint32_t)strlen(first->pattern), "the other route is here");
    buf_free(&ex);
}

static void check_collisions(struct gen *g)
{
    struct route_key *keys = NULL;
    uint32_t n = 0;

    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (r->broken)
            continue;
        for (unsigned m = 0; m < 16; m++) {
            if (!(r->methods & (1u << m)))
                continue;
            struct route_key *k = VEC_PUSH(keys, n);
            k->method = m;
            k->r = r;
            build_key(r, &k->key);
        }
    }
    if (n)                      /* qsort's pointer must be valid even for 0 */
        qsort(keys, n, sizeof *keys, by_key);
    for (uint32_t i = 1, first = 0; i < n; i++) {
        if (keys[i].method != keys[first].method || keys[i].key.len != keys[first].key.len ||
            memcmp(keys[i].key.data, keys[first].key.data, keys[i].key.len) != 0) {
            first = i;
            continue;
        }
        report_collision(g, keys[i].method, keys[first].r, keys[i].r);
    }
    for (uint32_t i = 0; i < n; i++)
        buf_free(&keys[i].key);
    free(keys);
}

/* ---- settings ---- */

static int uses_body(const struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_limit)
            return 1;
    return 0;
}

static void check_settings(struct gen *g)
{
    struct settings *s = &g->set;

    if (s->request_line_max > s->head_max)
        diag_error(&g->diag, setting_loc(g, "limit", "request_line").line
                                 ? setting_loc(g, "limit", "request_line")
                                 : setting_loc(g, "limit", "head"), 5,
                   "'limit request_line' (%u) is larger than 'limit head' (%u), which includes it",
                   s->request_line_max, s->head_max);
    if (!uses_body(g)) {
        if (setting_loc(g, "limit", "body").line)
            diag_warning(&g->diag, W_UNUSED_SETTING, setting_loc(g, "limit", "body"), 10,
                         "'limit body' is set but no route reads a body");
        if (setting_loc(g, "body_buffers", NULL).line)
            diag_warning(&g->diag, W_UNUSED_SETTING, setting_loc(g, "body_buffers", NULL), 12,
                         "'body_buffers' is set but no route reads a body");
    }
    if (g->nroutes == 0 && g->diag.errors == 0)
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0, "the spec has no routes");
}

static void resolve_defaults(struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_default)
            g->routes[i].body_limit = g->set.body_max;
    if (!g->set.buffers)
        g->set.buffers = g->set.connections / 4 >= 8 ? g->set.connections / 4
                         : g->set.connections < 8 ? g->set.connections : 8;
    if (!g->set.body_buffers)
        g->set.body_buffers = uses_body(g) ? 2 : 0;
}

unsigned check_spec(struct gen *g)
{
    unsigned before = g->diag.errors;

    resolve_defaults(g);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        check_params(g, &g->routes[i]);
        check_c_names(g, &g->routes[i]);
        check_unreachable(g, &g->routes[i]);
    }
    check_handlers(g);
    check_collisions(g);
    check_settings(g);
    return g->diag.errors - before;
}
