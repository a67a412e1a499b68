/*
 * guards.c - the spec side of guards: `guard PREFIX NAME [OPTION ...]`
 * lines, the routes' guard=... options, and the list of guards each route
 * runs, in order (spec/README.md, "Guards").
 *
 * Order, outermost first: the guards of the prefixes that cover a route,
 * shorter prefix first and in source order within one length, then the
 * route's own guard=... in the order written; a guard named twice runs
 * once, where it first comes.  guard=none drops the prefixes' guards, so
 * opting out is written on the route and shown by `tinyroute routes`.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen.h"
#include "grammar.h"
#include "names.h"
#include "settings.h"

static int tok_is(const struct token *t, const char *s)
{
    return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

static int guard_find(const struct gen *g, const char *name, size_t len)
{
    for (uint32_t i = 0; i < g->nguards; i++)
        if (strlen(g->guards[i].name) == len && memcmp(g->guards[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

/* A new guard named name: the built-in one if the name is a built-in's. */
static struct guard *guard_add(struct gen *g, const char *name, size_t len, struct loc at)
{
    struct guard *gd = VEC_PUSH(g->guards, g->nguards);

    gd->name = xstrndup(name, len);
    gd->loc = at;
    gd->kind = strcmp(gd->name, "basic") == 0 ? GUARD_BASIC
             : strcmp(gd->name, "session") == 0 ? GUARD_SESSION
             : strcmp(gd->name, "throttle") == 0 ? GUARD_THROTTLE : GUARD_USER;
    /* RFC 7617 §2: Basic credentials come in Authorization; a session in
     * its cookie, and CSRF is told by the other three. */
    static const char *const basic[] = { "Authorization" };
    static const char *const session[] = { "Cookie", "Origin", "Referer", "Sec-Fetch-Site" };
    const char *const *h = gd->kind == GUARD_BASIC ? basic : session;
    uint32_t n = gd->kind == GUARD_BASIC ? 1 : gd->kind == GUARD_SESSION ? 4 : 0;
    gd->headers = n ? xcalloc(n, sizeof *gd->headers) : NULL;
    gd->header_locs = n ? xcalloc(n, sizeof *gd->header_locs) : NULL;
    for (uint32_t i = 0; i < n; i++)
        gd->headers[i] = xstrndup(h[i], strlen(h[i]));
    gd->nheaders = n;
    gd->data_type = gd->kind == GUARD_SESSION || gd->kind == GUARD_THROTTLE ? PT_UINT : PT_STRING;
    /* The throttle's routes report each attempt with the client key it hands on. */
    gd->has_data = gd->kind == GUARD_THROTTLE;
    return gd;
}

/* RFC 9110 §5.1: a field name is a token. */
static int header_name_ok(const struct token *t)
{
    for (uint32_t i = 0; i < t->len; i++)
        if (!(isalnum((unsigned char)t->s[i]) || strchr("!#$%&'*+-.^_`|~", t->s[i])))
            return 0;
    return t->len > 0;
}

static const struct {
    const char *word;
    enum param_type type;
} data_types[] = {
    { "int", PT_INT }, { "uint", PT_UINT }, { "str", PT_STRING },
};

/* data=TYPE or realm=WORD on a `guard` line: 1 when handled here. */
int guard_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    struct guard *gl = &g->gline;

    if (tok_is(key, "data")) {
        g->gline_opts = 1;
        gl->has_data = 1;
        gl->data_type = PT_STRING;
        if (nvals == 0)
            return 1;           /* a built-in's own type: basic hands on the user name */
        for (size_t i = 0; nvals == 1 && i < sizeof data_types / sizeof *data_types; i++)
            if (tok_is(&vals[0], data_types[i].word)) {
                gl->data_type = data_types[i].type;
                gl->slot = 1;   /* typed explicitly */
                return 1;
            }
        diag_error(&g->diag, vals[0].loc, vals[0].len, "'data=' takes a type: int, uint or str");
        gl->slot = 1;           /* said once */
        return 1;
    }
    static const char *const throttle_words[] = { "after", "max" };
    for (int w = 0; w < 2; w++) {
        uint64_t v;
        if (!tok_is(key, throttle_words[w]))
            continue;
        g->gline_opts = 1;
        gl->kind = GUARD_THROTTLE;  /* said of a throttle guard: checked at the line's end */
        if (nvals != 1 || settings_scale(&vals[0], w, &v) < 0 || v == 0 || v > (w ? 0x7fffffffu : 1000)) {
            diag_error(&g->diag, key->loc, key->len, w ? "'%s=' takes a duration such as 15m"
                                                       : "'%s=' takes a number of failures, 1 to 1000",
                       throttle_words[w]);
            return 1;
        }
        *(w == 0 ? &gl->after : &gl->max_ms) = (uint32_t)v;
        return 1;
    }
    static const char *const session_words[] = { "sessions", "idle", "lifetime" };
    for (int w = 0; w < 3; w++) {
        uint64_t v;
        if (!tok_is(key, session_words[w]))
            continue;
        g->gline_opts = 1;
        gl->kind = GUARD_SESSION;   /* said of a session guard: checked at the line's end */
        if (nvals != 1 || settings_scale(&vals[0], w > 0, &v) < 0 || v == 0 || v > (w ? 0x7fffffffu : 4096)) {
            diag_error(&g->diag, key->loc, key->len, w ? "'%s=' takes a duration such as 15m or 8h"
                                                         : "'%s=' takes a number of sessions, 1 to 4096",
                       session_words[w]);
            return 1;
        }
        *(w == 0 ? &gl->sessions : w == 1 ? &gl->idle_ms : &gl->lifetime_ms) = (uint32_t)v;
        return 1;
    }
    if (tok_is(key, "csrf-token")) {
        /* csrf-token[=Header-Name]: a per-session token the unsafe methods
         * send in that header (X-CSRF-Token by default). */
        g->gline_opts = 1;
        gl->kind = GUARD_SESSION;   /* said of a session guard: checked at the line's end */
        const char *h = "X-CSRF-Token";
        size_t n = strlen(h);
        if (nvals > 1 || (nvals == 1 && (vals[0].kind != TK_WORD || !header_name_ok(&vals[0])))) {
            diag_error(&g->diag, nvals ? vals[0].loc : key->loc, nvals ? vals[0].len : key->len,
                       "'csrf-token' takes one header field name: csrf-token or csrf-token=X-CSRF-Token");
            return 1;
        }
        if (nvals == 1) {
            h = vals[0].s;
            n = vals[0].len;
        }
        static const char *const taken[] = { "Cookie", "Origin", "Referer", "Sec-Fetch-Site", "Host",
                                             "Content-Length", "Transfer-Encoding", "Connection", "Expect" };
        for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
            if (strlen(taken[i]) == n && strncasecmp(taken[i], h, n) == 0) {
                diag_error(&g->diag, vals[0].loc, vals[0].len, "'%s' cannot carry the CSRF token: it has its own meaning",
                           taken[i]);
                return 1;
            }
        free(gl->token_header);
        gl->token_header = xstrndup(h, n);
        return 1;
    }
    if (tok_is(key, "check")) {
        /* check=NAME: the basic guard hands the credentials to NAME_check. */
        g->gline_opts = 1;
        if (nvals != 1 || vals[0].kind != TK_WORD || !c_is_ident(vals[0].s, vals[0].len)) {
            diag_error(&g->diag, nvals ? vals[0].loc : key->loc, nvals ? vals[0].len : key->len,
                       "'check' takes the C name of your check: check=login");
            return 1;
        }
        free(gl->check);
        gl->check = xstrndup(vals[0].s, vals[0].len);
        gl->check_loc = vals[0].loc;
        return 1;
    }
    if (tok_is(key, "realm")) {
        g->gline_opts = 1;
        if (nvals != 1 || (vals[0].kind != TK_WORD && vals[0].kind != TK_NUMBER)) {
            diag_error(&g->diag, key->loc, key->len, "'realm' takes one word: realm=router");
            return 1;
        }
        free(gl->realm);
        gl->realm = xstrndup(vals[0].s, vals[0].len);
        gl->loc = vals[0].loc;
        return 1;
    }
    return 0;
}

/* The prefix of a `guard` or `cors` line (what is "guard" or "cors
 * line", for messages): literal segments, no query, no body. */
int guard_prefix_of(struct gen *g, const struct route *r, struct guard_prefix *p, const char *what)
{
    int ok = 1;

    if (r->nquery) {
        diag_error(&g->diag, r->query[0].loc, r->query[0].len, "a %s's prefix takes no query", what);
        ok = 0;
    }
    if (r->body_loc.line) {
        diag_error(&g->diag, r->body_loc, 4, "a guard reads no body");
        ok = 0;
    }
    if (r->nguard_words) {
        diag_error(&g->diag, r->guard_words[0].loc, r->guard_words[0].len,
                   "a guard line names one guard; give each its own line");
        ok = 0;
    }
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct segment *s = &r->segs[i];
        if (s->kind != SEG_LITERAL) {
            diag_error(&g->diag, s->loc, s->param.len,
                       "a %s's prefix is literal segments, not a parameter", what);
            ok = 0;
        } else if (s->text_len == 0) {
            diag_error(&g->diag, s->loc, 1, "a %s's prefix does not end in '/': write it without", what);
            ok = 0;
        }
    }
    if (!ok)
        return -1;
    p->text = xstrndup(r->pat_start, (size_t)(r->pat_end - r->pat_start));
    p->segs = xcalloc(r->nsegs ? r->nsegs : 1, sizeof *p->segs);
    for (uint32_t i = 0; i < r->nsegs; i++)
        p->segs[i] = xstrndup(r->segs[i].text, r->segs[i].text_len);
    p->nsegs = r->nsegs;
    p->loc = r->path_loc;
    return 0;
}

/* Gives a new guard what its first line says: headers, data, realm. */
static void guard_take_options(struct gen *g, struct guard *gd, struct route *r)
{
    struct guard *gl = &g->gline;

    if (gl->kind == GUARD_SESSION && gd->kind != GUARD_SESSION)
        diag_error(&g->diag, r->loc, 5, "only the session guard takes sessions=, idle=, lifetime= and csrf-token");
    if (gd->kind == GUARD_SESSION && gl->token_header) {
        /* The token's header, read as the guard's fifth. */
        gd->headers = xrealloc(gd->headers, (gd->nheaders + 1) * sizeof *gd->headers);
        gd->header_locs = xrealloc(gd->header_locs, (gd->nheaders + 1) * sizeof *gd->header_locs);
        gd->header_locs[gd->nheaders] = r->loc;
        gd->headers[gd->nheaders++] = gl->token_header;
        gd->token_header = gl->token_header;
        gl->token_header = NULL;
    }
    if (gd->kind == GUARD_SESSION && r->nheaders)
        diag_error(&g->diag, r->header_locs[0], (uint32_t)strlen(r->headers[0]),
                   "the session guard reads its cookie; it takes no header=");
    if (gd->kind == GUARD_SESSION && gl->has_data && gl->slot && gl->data_type != PT_UINT)
        diag_error(&g->diag, r->loc, 5, "the session guard hands on the user number: 'data' or 'data=uint'");
    if (gl->kind == GUARD_THROTTLE && gd->kind != GUARD_THROTTLE)
        diag_error(&g->diag, r->loc, 5, "only the throttle guard takes after= and max=");
    if (gd->kind == GUARD_THROTTLE && (r->nheaders || gl->has_data))
        diag_error(&g->diag, r->loc, 5, "the throttle guard reads no header and always hands on 'throttle'");
    gd->after = gl->after;
    gd->max_ms = gl->max_ms;
    gd->sessions = gl->sessions;
    gd->idle_ms = gl->idle_ms;
    gd->lifetime_ms = gl->lifetime_ms;
    if (gl->realm && gd->kind != GUARD_BASIC)
        diag_error(&g->diag, gl->loc, (uint32_t)strlen(gl->realm), "only the basic guard takes a realm");
    if (gd->kind == GUARD_BASIC && r->nheaders)
        diag_error(&g->diag, r->header_locs[0], (uint32_t)strlen(r->headers[0]),
                   "the basic guard reads Authorization; it takes no header=");
    if (gd->kind == GUARD_BASIC && gl->has_data && gl->data_type != PT_STRING)
        diag_error(&g->diag, g->gline.loc, 4, "the basic guard hands on the user name: 'data' or 'data=str'");
    if (gd->kind == GUARD_USER && gl->has_data && !gl->slot)
        diag_error(&g->diag, r->loc, 5, "a guard of yours says its data's type: data=int, uint or str");
    gd->has_data = gl->has_data || gd->kind == GUARD_THROTTLE;
    if (gd->kind == GUARD_USER || gl->slot)
        gd->data_type = gl->data_type;
    gd->realm = gl->realm;
    gl->realm = NULL;
    if (gl->check && gd->kind != GUARD_BASIC)
        diag_error(&g->diag, gl->check_loc, (uint32_t)strlen(gl->check), "only the basic guard takes check=");
    else
        gd->check = gl->check, gd->check_loc = gl->check_loc;
    if (gd->check)
        gl->check = NULL;
    if (gd->kind == GUARD_USER) {
        gd->headers = r->headers;
        gd->header_locs = r->header_locs;
        gd->nheaders = r->nheaders;
        r->headers = NULL;
        r->header_locs = NULL;
        r->nheaders = 0;
    }
}

/* The end of a `guard` line (g->cur holds it as a route): a prefix for a
 * new guard, or another prefix for one declared before. */
void guard_line_end(struct gen *g)
{
    struct route *r = &g->cur;
    struct guard_prefix p = { 0 };
    int found;

    if (!r->handler)
        goto out;
    if (strcmp(r->handler, "none") == 0) {
        diag_error(&g->diag, r->handler_loc, 4, "'none' is guard=none's: name the guard otherwise");
        goto out;
    }
    if (guard_prefix_of(g, r, &p, "guard") < 0)
        goto out;
    found = guard_find(g, r->handler, strlen(r->handler));
    struct guard *gd = found >= 0 ? &g->guards[found] : guard_add(g, r->handler, strlen(r->handler), r->loc);
    if (found >= 0 && (g->gline_opts || r->nheaders)) {
        diag_error(&g->diag, r->loc, 5, "guard '%s' was declared before; a later line only adds a prefix",
                   gd->name);
        diag_note(&g->diag, gd->loc, 5, "declared here");
    } else if (found < 0) {
        gd->loc = r->loc;
        guard_take_options(g, gd, r);
    }
    *(struct guard_prefix *)VEC_PUSH(gd->prefixes, gd->nprefixes) = p;
    p.text = NULL;
out:
    free(p.text);
    free(g->gline.realm);
    free(g->gline.check);
    free(g->gline.token_header);
    memset(&g->gline, 0, sizeof g->gline);
    g->gline_opts = 0;
}

/* ---- resolve ---- */

int guard_prefix_covers(const struct guard_prefix *p, const struct route *r)
{
    if (p->nsegs > r->nsegs)
        return 0;
    for (uint32_t i = 0; i < p->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL || strcmp(r->segs[i].text, p->segs[i]) != 0)
            return 0;
    return 1;
}

struct cover {
    uint32_t guard, nsegs;
    struct loc at;
};

/* Shorter prefix first, then source order: a total order on distinct lines. */
static int by_depth(const void *a, const void *b)
{
    const struct cover *x = a, *y = b;
    if (x->nsegs != y->nsegs)
        return x->nsegs < y->nsegs ? -1 : 1;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    return (x->at.col > y->at.col) - (x->at.col < y->at.col);
}

static void route_add_guard(struct route *r, uint32_t gi)
{
    for (uint32_t i = 0; i < r->nguards; i++)
        if (r->guards[i] == gi)
            return;
    *(uint32_t *)VEC_PUSH(r->guards, r->nguards) = gi;
}

static void route_prefix_guards(struct gen *g, struct route *r)
{
    struct cover *v = NULL;
    uint32_t n = 0;

    for (uint32_t i = 0; i < g->nguards; i++)
        for (uint32_t j = 0; j < g->guards[i].nprefixes; j++)
            if (guard_prefix_covers(&g->guards[i].prefixes[j], r))
                *(struct cover *)VEC_PUSH(v, n) = (struct cover){ i, g->guards[i].prefixes[j].nsegs,
                                                                   g->guards[i].prefixes[j].loc };
    if (n)
        qsort(v, n, sizeof *v, by_depth);
    for (uint32_t i = 0; i < n; i++)
        route_add_guard(r, v[i].guard);
    free(v);
}

/* Each route's guard list; a name only a guard= gives is a guard of the
 * user's (or the built-in of that name) with no headers and no data. */
void guards_resolve(struct gen *g)
{
    uint32_t slot = 0;

    for (uint32_t i = 0; i < g->nroutes; i++) {
        struct route *r = &g->routes[i];
        for (uint32_t j = 0; j < r->nguard_words; j++)
            r->unguarded |= tok_is(&r->guard_words[j], "none");
        if (!r->unguarded)
            route_prefix_guards(g, r);
        for (uint32_t j = 0; j < r->nguard_words; j++) {
            const struct token *t = &r->guard_words[j];
            if (tok_is(t, "none") || t->kind != TK_WORD || !c_is_ident(t->s, t->len))
                continue;
            int k = guard_find(g, t->s, t->len);
            if (k < 0) {
                guard_add(g, t->s, t->len, t->loc);
                k = (int)g->nguards - 1;
            }
            route_add_guard(r, (uint32_t)k);
        }
    }
    for (uint32_t i = 0; i < g->nguards; i++) {
        struct guard *gd = &g->guards[i];
        gd->slot = gd->has_data ? slot++ : 0;
        if (gd->kind == GUARD_BASIC && !gd->realm)
            gd->realm = xstrndup(g->set.name, strlen(g->set.name));
        /* The session table's defaults: 16 sessions, 15 minutes idle, 8 hours in all. */
        /* Throttling's: 5 failures free, blocks up to 15 minutes. */
        if (gd->kind == GUARD_THROTTLE) {
            gd->after = gd->after ? gd->after : 5;
            gd->max_ms = gd->max_ms ? gd->max_ms : 15 * 60000;
        }
        if (gd->kind == GUARD_SESSION) {
            gd->sessions = gd->sessions ? gd->sessions : 16;
            gd->idle_ms = gd->idle_ms ? gd->idle_ms : 15 * 60000;
            gd->lifetime_ms = gd->lifetime_ms ? gd->lifetime_ms : 8 * 3600000;
        }
    }
}

/* ---- check ---- */

static void check_route_words(struct gen *g, const struct route *r)
{
    for (uint32_t j = 0; j < r->nguard_words; j++) {
        const struct token *t = &r->guard_words[j];
        if (t->kind != TK_WORD || !c_is_ident(t->s, t->len))
            diag_error(&g->diag, t->loc, t->len, "'%.*s' is not a guard name", (int)t->len, t->s);
    }
    /* A guard's data arrives as a parameter named after the guard; form
     * fields are parameters too (path and query clashes are check.c's). */
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *a = &r->args[i];
        for (uint32_t j = 0; (a->kind == ARG_GUARD || a->kind == ARG_FORM || a->kind == ARG_COOKIE) && j < i;
             j++) {
            if (!r->args[j].ident || strcmp(r->args[j].ident, a->ident) != 0)
                continue;
            if (a->kind == ARG_GUARD)
                diag_error(&g->diag, r->args[j].loc, r->args[j].len,
                           "'%s' is also the name of guard '%s', whose data the handler receives",
                           a->ident, a->name);
            else
                diag_error(&g->diag, a->loc, a->len, "%s '%s' has the name of another parameter",
                           a->kind == ARG_FORM ? "form field" : "cookie", a->ident);
            break;
        }
    }
}

/* A basic guard's check=NAME is the C function NAME_check: no other function's name. */
static void check_check_name(struct gen *g, const struct guard *gd)
{
    struct buf c = { 0 };
    const char *owner;
    uint32_t len = (uint32_t)strlen(gd->check);

    buf_printf(&c, "%s_%s", g->set.name, gd->check);
    if ((owner = c_name_owner(c.data)))
        diag_error(&g->diag, gd->check_loc, len, "check '%s' would be '%s', a name owned by %s", gd->check,
                   c.data, owner);
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].action == ACTION_HANDLER && g->routes[i].handler &&
            strcmp(g->routes[i].handler, gd->check) == 0) {
            diag_error(&g->diag, gd->check_loc, len, "check '%s' is also the handler of route '%s'", gd->check,
                       g->routes[i].pattern);
            diag_note(&g->diag, g->routes[i].handler_loc, (uint32_t)strlen(g->routes[i].handler), "handler here");
            break;
        }
    for (uint32_t i = 0; i < g->nguards; i++)
        if (g->guards[i].kind == GUARD_USER && strcmp(g->guards[i].name, gd->check) == 0)
            diag_error(&g->diag, gd->check_loc, len, "check '%s' is also the name of a guard of yours", gd->check);
    buf_free(&c);
}

unsigned guards_check(struct gen *g)
{
    unsigned before = g->diag.errors;

    for (uint32_t i = 0; i < g->nguards; i++) {
        const struct guard *gd = &g->guards[i];
        struct buf c = { 0 };
        const char *owner;
        buf_printf(&c, "%s_%s", g->set.name, gd->name);
        if (gd->kind == GUARD_USER && (owner = c_name_owner(c.data)))
            diag_error(&g->diag, gd->loc, 5, "guard '%s' would be '%s', a name owned by %s", gd->name,
                       c.data, owner);
        buf_free(&c);
        if (gd->check)
            check_check_name(g, gd);
    }
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (!g->routes[i].broken)
            check_route_words(g, &g->routes[i]);
    /* run_guard's numbers are bytes, 0xff ending a list. */
    if (g->nguards > 254)
        diag_error(&g->diag, g->guards[254].loc, 5, "more than 254 guards");
    return g->diag.errors - before;
}

/* ---- the rest ---- */

void route_guards_text(const struct gen *g, const struct route *r, struct buf *b)
{
    buf_put(b, "", 0);
    if (r->unguarded)
        buf_puts(b, r->nguards ? "none+" : "none");
    for (uint32_t i = 0; i < r->nguards; i++)
        buf_printf(b, "%s%s", i ? "," : "", g->guards[r->guards[i]].name);
    if (!b->len)
        buf_puts(b, "-");
}

void guard_prefix_free(struct guard_prefix *p)
{
    for (uint32_t k = 0; k < p->nsegs; k++)
        free(p->segs[k]);
    free(p->segs);
    free(p->text);
}

void guards_free(struct gen *g)
{
    for (uint32_t i = 0; i < g->nguards; i++) {
        struct guard *gd = &g->guards[i];
        for (uint32_t j = 0; j < gd->nprefixes; j++)
            guard_prefix_free(&gd->prefixes[j]);
        free(gd->prefixes);
        for (uint32_t j = 0; j < gd->nheaders; j++)
            free(gd->headers[j]);
        free(gd->headers);
        free(gd->header_locs);
        free(gd->name);
        free(gd->realm);
        free(gd->check);
    }
    free(g->guards);
    free(g->gline.realm);
    free(g->gline.check);
    free(g->gline.token_header);
}
