/*
 * cors.c - the spec side of CORS: `cors PREFIX origins="ORIGIN"[,...]
 * [methods=M[,M]] [headers=H[,H]] [credentials] [max-age=D]` lines and
 * the rule each route takes (spec/README.md, "CORS").
 *
 * A route takes the rule of the longest prefix that covers it.  CORS is
 * not a guard: a preflight carries no credentials, so it is answered
 * before any guard runs, and guard=none (a login) keeps its route's rule.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "grammar.h"
#include "names.h"
#include "settings.h"
#include "tr_methods.h"

/* Browsers keep a preflight at most 2 hours (Chromium) or 24 (Firefox). */
#define CORS_MAX_AGE_S 86400u

static int tok_is(const struct token *t, const char *s)
{
    return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

void cors_line_start(struct gen *g, const struct token *kw)
{
    cors_line_reset(g);
    g->cur.is_cors = 1;
    g->cur.loc = kw->loc;
    g->cur.errors_before = g->diag.errors;
    g->cline.loc = kw->loc;
}

void cors_line_reset(struct gen *g)
{
    free(g->cline.origins);
    free(g->cline.headers);
    memset(&g->cline, 0, sizeof g->cline);
}

/* RFC 6454 §6.2: an origin as a browser serializes it in Origin:
 * "scheme://host[:port]", lower case, no path, no trailing '/'. */
static int origin_ok(const char *s, size_t n)
{
    size_t i = n >= 7 && memcmp(s, "http://", 7) == 0 ? 7 : n >= 8 && memcmp(s, "https://", 8) == 0 ? 8 : 0;
    size_t host = i;

    if (!i)
        return 0;
    if (i < n && s[i] == '[') {                 /* an IPv6 literal */
        while (++i < n && (strchr("0123456789abcdef:.", s[i]) && s[i]))
            ;
        if (i >= n || s[i++] != ']')
            return 0;
    } else {
        while (i < n && s[i] && strchr("abcdefghijklmnopqrstuvwxyz0123456789.-", s[i]))
            i++;
    }
    if (i == host)
        return 0;
    if (i < n && s[i] == ':') {
        size_t digits = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == digits || i - digits > 5)
            return 0;
    }
    return i == n;
}

/* Appends s[0..n) to a ", " list. */
static void list_add(char **list, const char *s, size_t n)
{
    size_t old = *list ? strlen(*list) : 0;
    char *l = realloc(*list, old + 2 + n + 1);
    if (!l)
        abort();
    if (old)
        memcpy(l + old, ", ", 2), old += 2;
    memcpy(l + old, s, n);
    l[old + n] = 0;
    *list = l;
}

static void take_origins(struct gen *g, const struct token *vals, int nvals)
{
    struct cors *c = &g->cline;

    for (int i = 0; i < nvals; i++) {
        const struct token *v = &vals[i];
        const char *s = v->s + 1;
        size_t n = v->len >= 2 ? v->len - 2 : 0;
        if (v->kind == TK_STRING && n == 1 && s[0] == '*') {
            c->any = 1;
            continue;
        }
        if (v->kind != TK_STRING || !origin_ok(s, n)) {
            diag_error(&g->diag, v->loc, v->len, "an origin is \"scheme://host[:port]\" in lower case, "
                                                 "without a path: \"https://router.lan\", or \"*\"");
            continue;
        }
        list_add(&c->origins, s, n);
    }
    if (c->any && c->origins)
        diag_error(&g->diag, vals[0].loc, vals[0].len, "\"*\" allows every origin: list no other");
}

static void take_methods(struct gen *g, const struct token *vals, int nvals)
{
    for (int i = 0; i < nvals; i++) {
        int m = vals[i].kind == TK_WORD ? method_lookup(vals[i].s, vals[i].len) : -1;
        if (m < 0 || m == TR_HEAD || m == TR_CONNECT || m == TR_TRACE || m == TR_OPTIONS) {
            diag_error(&g->diag, vals[i].loc, vals[i].len,
                       "'methods=' takes the methods a route may have: GET, POST, PUT, DELETE, PATCH");
            continue;
        }
        g->cline.methods |= (uint16_t)(1u << m);
    }
}

static void take_headers(struct gen *g, const struct token *vals, int nvals)
{
    for (int i = 0; i < nvals; i++) {
        /* A word is an RFC 9110 token already: letters, digits, '_', '.', '-'. */
        if (vals[i].kind != TK_WORD) {
            diag_error(&g->diag, vals[i].loc, vals[i].len, "'headers=' takes header names: headers=Content-Type");
            continue;
        }
        list_add(&g->cline.headers, vals[i].s, vals[i].len);
    }
}

/* An option of a `cors` line: 1 when the line is one (it is then handled). */
int cors_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    struct cors *c = &g->cline;
    uint64_t ms;

    if (!g->cur.is_cors)
        return 0;
    if (tok_is(key, "origins") && nvals > 0 && !c->origins && !c->any) {
        take_origins(g, vals, nvals);
    } else if (tok_is(key, "methods") && nvals > 0 && !c->methods) {
        take_methods(g, vals, nvals);
    } else if (tok_is(key, "headers") && nvals > 0 && !c->headers) {
        take_headers(g, vals, nvals);
    } else if (tok_is(key, "credentials") && nvals == 0) {
        c->credentials = 1;
    } else if (tok_is(key, "max-age")) {
        if (nvals != 1 || settings_scale(&vals[0], 1, &ms) < 0 || ms % 1000 || ms / 1000 > CORS_MAX_AGE_S) {
            diag_error(&g->diag, key->loc, key->len, "'max-age=' takes whole seconds up to 24h: max-age=10m");
            return 1;
        }
        c->has_max_age = 1;
        c->max_age = (uint32_t)(ms / 1000);
    } else {
        diag_error(&g->diag, key->loc, key->len,
                   "unknown, repeated or incomplete cors option '%.*s'; expected origins=\"ORIGIN\"[,...], "
                   "methods=M[,M], headers=H[,H], credentials or max-age=DURATION",
                   (int)key->len, key->s);
    }
    return 1;
}

/* The end of a `cors` line (g->cur holds its prefix as a route's path). */
void cors_line_end(struct gen *g)
{
    struct cors *c = &g->cline;
    struct guard_prefix p = { 0 };

    if (!c->origins && !c->any && g->diag.errors == g->cur.errors_before)
        diag_error(&g->diag, c->loc, 4, "a cors line names the origins it allows: origins=\"https://router.lan\"");
    /* Fetch §3.3.5: a credentialed answer may not allow every origin. */
    if (c->any && c->credentials)
        diag_error(&g->diag, c->loc, 4, "origins=\"*\" cannot go with credentials: list the origins");
    if (guard_prefix_of(g, &g->cur, &p, "cors line") == 0 && g->diag.errors == g->cur.errors_before) {
        c->prefix = p;
        *(struct cors *)VEC_PUSH(g->cors, g->ncors) = *c;
        memset(c, 0, sizeof *c);
    } else {
        guard_prefix_free(&p);
    }
    cors_line_reset(g);
}

/* Each route's rule: the longest prefix that covers it. */
void cors_resolve(struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++) {
        struct route *r = &g->routes[i];
        uint32_t best = 0;
        for (uint32_t k = 0; k < g->ncors; k++)
            if (guard_prefix_covers(&g->cors[k].prefix, r)
                && (!best || g->cors[k].prefix.nsegs > g->cors[best - 1].prefix.nsegs))
                best = k + 1;
        r->cors = best;
    }
}

static int same_prefix(const struct guard_prefix *a, const struct guard_prefix *b)
{
    if (a->nsegs != b->nsegs)
        return 0;
    for (uint32_t i = 0; i < a->nsegs; i++)
        if (strcmp(a->segs[i], b->segs[i]) != 0)
            return 0;
    return 1;
}

unsigned cors_check(struct gen *g)
{
    unsigned before = g->diag.errors;

    for (uint32_t i = 0; i < g->ncors; i++)
        for (uint32_t j = 0; j < i; j++)
            if (same_prefix(&g->cors[i].prefix, &g->cors[j].prefix)) {
                diag_error(&g->diag, g->cors[i].prefix.loc, (uint32_t)strlen(g->cors[i].prefix.text),
                           "a second cors line for prefix '%s'", g->cors[i].prefix.text);
                diag_note(&g->diag, g->cors[j].prefix.loc, (uint32_t)strlen(g->cors[j].prefix.text),
                          "the first is here");
                break;
            }
    /* route_cors holds 1 + a rule's index in a byte. */
    if (g->ncors > 254)
        diag_error(&g->diag, g->cors[254].loc, 4, "more than 254 cors lines");
    return g->diag.errors - before;
}

void cors_free(struct gen *g)
{
    for (uint32_t i = 0; i < g->ncors; i++) {
        guard_prefix_free(&g->cors[i].prefix);
        free(g->cors[i].origins);
        free(g->cors[i].headers);
    }
    free(g->cors);
    cors_line_reset(g);
}
