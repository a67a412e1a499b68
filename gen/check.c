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

#include "gen.h"
#include "names.h"

static void check_params(struct gen *g, const struct route *r)
{
    for (uint32_t i = 0; i + 1 < r->nsegs; i++)
        if (r->segs[i].kind == SEG_REST)
            diag_error(&g->diag, r->segs[i].loc, r->segs[i].param.len,
                       "rest parameter <%s..> must be the last segment", r->segs[i].param.name);

    /* Duplicate names among path and query parameters. */
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *p = &r->args[i];
        if (!p->name || (p->kind != ARG_PATH && p->kind != ARG_QUERY))
            continue;
        for (uint32_t j = 0; j < i; j++) {
            const struct arg *q = &r->args[j];
            if (q->name && (q->kind == ARG_PATH || q->kind == ARG_QUERY) && strcmp(p->name, q->name) == 0) {
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

/* NAME_handler must not be a name libc or the runtime owns either
 * (name INT64 and handler MAX would define INT64_MAX). */
static void check_handler_owner(struct gen *g, const struct route *r)
{
    struct buf c = { 0 };
    const char *owner;

    if (g->set.name && c_name_owner(g->set.name))
        return;                 /* the name setting has its own message */
    buf_printf(&c, "%s_%s", g->set.name ? g->set.name : "app", r->handler);
    if ((owner = c_name_owner(c.data)))
        diag_error(&g->diag, r->handler_loc, (uint32_t)strlen(r->handler),
                   "handler name '%s' would be '%s', a name owned by %s", r->handler, c.data, owner);
    buf_free(&c);
}

/*
 * Every parameter of the handler must be a C name that is free: not a
 * keyword, not a name the prototype or tr.h already uses, and not the
 * name of another parameter once header fields become C names (X-Token
 * and X_Token are both x_token).  Path and query parameters clashing with
 * each other are check_params's.
 */
static void check_c_names(struct gen *g, const struct route *r)
{
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *p = &r->args[i];
        /* The method and the body have the API's own names. */
        if (!p->ident || p->kind == ARG_METHOD || p->kind == ARG_BODY)
            continue;
        const char *header = p->kind == ARG_HEADER ? p->name : NULL;
        if (IS_LISTED(p->ident, reserved_params)) {
            if (header)
                diag_error(&g->diag, p->loc, p->len,
                           "header '%s' would be the handler parameter '%s', a name C or the "
                           "handler API reserves", header, p->ident);
            else
                diag_error(&g->diag, p->loc, p->len,
                           "parameter name '%s' is reserved by C or the handler API; rename it",
                           p->ident);
            continue;
        }
        const char *owner = c_name_owner(p->ident);
        if (owner) {
            if (header)
                diag_error(&g->diag, p->loc, p->len,
                           "header '%s' would be the handler parameter '%s', a name owned by %s",
                           header, p->ident, owner);
            else
                diag_error(&g->diag, p->loc, p->len,
                           "parameter name '%s' is owned by %s; rename it", p->ident, owner);
            continue;
        }
        for (uint32_t j = 0; header && j < i; j++) {
            const struct arg *q = &r->args[j];
            if (q->ident && q->kind != ARG_METHOD && strcmp(p->ident, q->ident) == 0) {
                diag_error(&g->diag, p->loc, p->len,
                           "header '%s' would be the handler parameter '%s', which this route "
                           "already has", header, p->ident);
                diag_note(&g->diag, q->loc, q->len, "'%s' comes from here", q->ident);
                break;
            }
        }
    }
    if (r->handler && IS_LISTED(r->handler, reserved_handlers))
        diag_error(&g->diag, r->handler_loc, (uint32_t)strlen(r->handler),
                   "handler name '%s' would be '%s_%s', which the generated code defines",
                   r->handler, g->set.name ? g->set.name : "NAME", r->handler);
    else if (r->handler)
        check_handler_owner(g, r);
}

/* Dispatch keeps a segment index in a byte (TR_MAX_SEGMENTS is 1..255,
 * runtime/tr_dispatch_types.h). */
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
        if (!g->routes[i].broken && g->routes[i].action != ACTION_ASSET)
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
        if (first->action != r->action) {
            diag_error(&g->diag, r->handler_loc, (uint32_t)strlen(r->handler),
                       "handler '%s' is used for a streamed body and for another route", r->handler);
            diag_note(&g->diag, first->handler_loc, (uint32_t)strlen(first->handler), "first used here");
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

/* A redirect needs a TLS listener to send to; `tls` settings need one to
 * mean anything. */
static void check_listeners(struct gen *g)
{
    const struct settings *s = &g->set;
    int tls = 0;

    for (uint32_t i = 0; i < s->nlisten; i++)
        tls |= s->listen[i].kind == LISTEN_TLS;
    for (uint32_t i = 0; i < s->nlisten && !tls; i++)
        if (s->listen[i].kind == LISTEN_REDIRECT)
            diag_error(&g->diag, s->listen[i].loc, 6, "a 'redirect' listener needs a 'tls' one to redirect to");
    static const char *const tls_subs[] = { "cert", "key", "connections", "record", "sessions",
                                            "hsts", "handshake", "ciphers", "keys" };
    for (size_t i = 0; i < sizeof tls_subs / sizeof tls_subs[0] && !tls; i++)
        if (setting_loc(g, "tls", tls_subs[i]).line)
            diag_warning(&g->diag, W_UNUSED_SETTING, setting_loc(g, "tls", tls_subs[i]), 3,
                         "'tls %s' is set but no listener is 'tls'", tls_subs[i]);
}

static void check_settings(struct gen *g)
{
    const struct settings *s = &g->set;

    if (s->request_line_max > s->head_max)
        diag_error(&g->diag, setting_loc(g, "limit", "request_line").line
                                 ? setting_loc(g, "limit", "request_line")
                                 : setting_loc(g, "limit", "head"), 5,
                   "'limit request_line' (%u) is larger than 'limit head' (%u), which includes it",
                   s->request_line_max, s->head_max);
    if (!spec_reads_body(g)) {
        if (setting_loc(g, "limit", "body").line)
            diag_warning(&g->diag, W_UNUSED_SETTING, setting_loc(g, "limit", "body"), 10,
                         "'limit body' is set but no route reads a body");
        if (setting_loc(g, "body_buffers", NULL).line)
            diag_warning(&g->diag, W_UNUSED_SETTING, setting_loc(g, "body_buffers", NULL), 12,
                         "'body_buffers' is set but no route reads a body");
    }
    /* Subscribers hold their request buffers for as long as they stay:
     * as many as the buffers would leave none for anyone else. */
    if (s->sse_subscribers >= s->buffers && setting_loc(g, "limit", "subscribers").line)
        diag_error(&g->diag, setting_loc(g, "limit", "subscribers"), 17,
                   "'limit subscribers' (%u) must be below 'buffers' (%u): each subscriber holds a buffer, "
                   "and the others' requests need one",
                   s->sse_subscribers, s->buffers);
    check_listeners(g);
    if (g->nroutes == 0 && g->diag.errors == 0)
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0, "the spec has no routes");
}

unsigned check_spec(struct gen *g)
{
    unsigned before = g->diag.errors;

    for (uint32_t i = 0; i < g->nroutes; i++) {
        check_params(g, &g->routes[i]);
        check_c_names(g, &g->routes[i]);
        check_unreachable(g, &g->routes[i]);
    }
    check_handlers(g);
    guards_check(g);
    cors_check(g);
    check_collisions(g);
    check_settings(g);
    return g->diag.errors - before;
}
