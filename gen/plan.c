/*
 * plan.c - the plan phase: every decision the emitters print, made once
 * from the checked model (see plan.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assets.h"
#include "names.h"
#include "plan.h"

static void find_features(const struct gen *g, struct features *f)
{
    f->options = 1;
    f->assets = g->assets && g->assets->nfiles;
    for (uint32_t i = 0; i < g->set.nlisten; i++) {
        f->tls |= g->set.listen[i].kind == LISTEN_TLS;
        f->redirect |= g->set.listen[i].kind == LISTEN_REDIRECT;
    }
    f->listeners = g->set.nlisten > 1 || f->tls || f->redirect;
    f->error_bodies = g->nerrors > 0;
    f->loop = g->set.loop || g->set.init;
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        f->body |= r->body_limit > 0;
        f->stream |= r->action == ACTION_STREAM;
        f->multipart |= r->action == ACTION_STREAM && r->stream == STREAM_MULTIPART;
        f->defer |= r->defer || r->pull;     /* a stream's handle is a deferral's */
        f->pull |= r->pull;
        f->sse |= r->events;
        f->loop |= r->events;                /* the heartbeat is a loop timer */
        f->file |= r->file;
        f->query |= r->nquery > 0 || r->nform > 0;   /* a form is decoded as a query is */
        f->form |= r->nform > 0;
        f->urlencoded |= r->nform > 0 && (r->fields_in & FIELDS_FORM);
        f->json_read |= r->nform > 0 && (r->fields_in & FIELDS_JSON);
        f->cookie |= r->ncookies > 0;
        f->cors |= r->cors > 0;
        for (uint32_t j = 0; j < r->ncookies; j++)
            f->integers |= r->cookies[j].type == PT_INT || r->cookies[j].type == PT_UINT;
        for (uint32_t j = 0; j < r->nform; j++)
            f->integers |= r->form[j].type == PT_INT || r->form[j].type == PT_UINT;
        for (uint32_t j = 0; j < r->nsegs; j++) {
            f->integers |= r->segs[j].kind == SEG_TYPED;
            f->strings |= r->segs[j].kind == SEG_STRING;
            f->rest |= r->segs[j].kind == SEG_REST;
        }
        for (uint32_t j = 0; j < r->nquery; j++)
            f->integers |= r->query[j].type == PT_INT || r->query[j].type == PT_UINT;
        for (uint32_t j = 0; j < r->nguards; j++) {
            f->guard = 1;
            f->basic |= g->guards[r->guards[j]].kind == GUARD_BASIC && !g->guards[r->guards[j]].check;
            f->basic_check |= g->guards[r->guards[j]].kind == GUARD_BASIC && g->guards[r->guards[j]].check;
            if (g->guards[r->guards[j]].kind == GUARD_THROTTLE) {
                f->throttle = 1;
                f->throttle_guard = &g->guards[r->guards[j]];
            }
            if (g->guards[r->guards[j]].kind == GUARD_SESSION) {
                f->session = 1;
                f->session_guard = &g->guards[r->guards[j]];
            }
        }
    }
    f->basic_credentials = f->basic_check || g->set.basic_credentials;
}

static void find_methods(const struct gen *g, struct plan *p)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        p->all_methods |= g->routes[i].methods;
    p->cols.count = 0;
    for (unsigned m = 0; m < NMETHODS; m++)
        p->cols.of_method[m] = p->all_methods & (1u << m) ? (int)p->cols.count++ : -1;
    p->cols.of_method[TR_HEAD] = p->cols.of_method[TR_GET];  /* HEAD is served by GET routes */
}

static int by_name_ci(const void *a, const void *b)
{
    int c = strcasecmp(*(char *const *)a, *(char *const *)b);
    return c ? c : strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of a declared header among the sorted, unique p->headers. */
uint32_t plan_header_position(const struct plan *p, const char *name)
{
    uint32_t lo = 0, hi = p->nheaders;

    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        int c = strcasecmp(p->headers[mid], name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;                  /* not reached: every route's header is listed */
}

static void collect_headers(const struct gen *g, struct plan *p)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        for (uint32_t j = 0; j < g->routes[i].nheaders; j++)
            *(char **)VEC_PUSH(p->headers, p->nheaders) = g->routes[i].headers[j];
    /* Embedded files are served by what these fields say (tr_asset.c). */
    for (uint32_t j = 0; p->f.assets && j < sizeof asset_request_fields / sizeof *asset_request_fields; j++)
        *(char **)VEC_PUSH(p->headers, p->nheaders) = (char *)asset_request_fields[j];
    for (uint32_t i = 0; i < g->nguards; i++)
        for (uint32_t j = 0; j < g->guards[i].nheaders; j++)
            *(char **)VEC_PUSH(p->headers, p->nheaders) = g->guards[i].headers[j];
    static char content_type[] = "Content-Type";
    if (p->f.form || p->f.multipart)    /* the splitter needs the boundary */
        *(char **)VEC_PUSH(p->headers, p->nheaders) = content_type;
    static char cookie[] = "Cookie";
    if (p->f.cookie)
        *(char **)VEC_PUSH(p->headers, p->nheaders) = cookie;
    static char *cors[] = { "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers" };
    for (uint32_t j = 0; p->f.cors && j < 3; j++)
        *(char **)VEC_PUSH(p->headers, p->nheaders) = cors[j];
    if (p->nheaders)
        qsort(p->headers, p->nheaders, sizeof *p->headers, by_name_ci);
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nheaders; i++)
        if (n == 0 || strcasecmp(p->headers[n - 1], p->headers[i]) != 0)
            p->headers[n++] = p->headers[i];
    p->nheaders = n;
    p->nroutes = g->nroutes;
    p->header_index = xcalloc(g->nroutes ? g->nroutes : 1, sizeof *p->header_index);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        p->nquery_lists += r->nquery + r->nform > 0;
        p->nheader_lists += r->nheaders > 0;
        if (!r->nheaders)
            continue;
        p->header_index[i] = xcalloc(r->nheaders, sizeof **p->header_index);
        for (uint32_t j = 0; j < r->nheaders; j++)
            p->header_index[i][j] = plan_header_position(p, r->headers[j]);
    }
    if (p->f.form || p->f.multipart)
        p->content_type = plan_header_position(p, "Content-Type");
    if (p->f.cookie)
        p->cookie_header = plan_header_position(p, "Cookie");
    for (uint32_t j = 0; p->f.cors && j < 3; j++)
        p->cors_header[j] = plan_header_position(p, cors[j]);
    p->nguards = g->nguards;
    p->guard_header_index = xcalloc(g->nguards ? g->nguards : 1, sizeof *p->guard_header_index);
    for (uint32_t i = 0; i < g->nguards; i++) {
        const struct guard *gd = &g->guards[i];
        p->guard_data += gd->has_data;
        p->guard_header_index[i] = xcalloc(gd->nheaders ? gd->nheaders : 1, sizeof **p->guard_header_index);
        for (uint32_t j = 0; j < gd->nheaders; j++)
            p->guard_header_index[i][j] = plan_header_position(p, gd->headers[j]);
    }
}

/* The literal edges in node order, their offsets in the pool, and the
 * perfect hash of (parent, bytes) over them. */
static int build_literals(struct gen *g, struct plan *p)
{
    const struct trie *t = p->trie;
    struct literal_table *l = &p->lits;
    struct phash_key *keys = xcalloc(t->nlits ? t->nlits : 1, sizeof *keys);
    int rc = 0;

    l->edge = xcalloc(t->nlits ? t->nlits : 1, sizeof *l->edge);
    l->off = xcalloc(t->nlits ? t->nlits : 1, sizeof *l->off);
    for (uint32_t i = 0; i < t->nnodes; i++) {
        const struct tnode *nd = t->nodes[i];
        if (nd->kind != SEG_LITERAL || !nd->parent)
            continue;
        keys[l->n] = (struct phash_key){ (const unsigned char *)nd->text, nd->text_len, nd->parent->id };
        l->off[l->n] = l->pool;
        l->pool += nd->text_len;
        if (nd->text_len > l->longest)
            l->longest = nd->text_len;
        l->edge[l->n++] = nd;
    }
    if (l->n && phash_build(keys, l->n, &l->ph) < 0) {
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0,
                   "no perfect hash found for %u literal segments", l->n);
        rc = -1;
    }
    free(keys);
    return rc;
}

/* The C types of a route's arguments, one letter each ("m" the method,
 * then i, u, s for path parameters, q and the letter for query ones, h a
 * header, b the body: "mi", "sqsqi", "hhb"); routes with equal keys share
 * a thunk. */
static void shape_key(const struct route *r, struct buf *b)
{
    static const char *const kind_letter[] = {
        [ARG_METHOD] = "m", [ARG_PATH] = "", [ARG_QUERY] = "q", [ARG_HEADER] = "h", [ARG_BODY] = "b", [ARG_FORM] = "f", [ARG_COOKIE] = "c",
        [ARG_GUARD] = "",
    };

    buf_put(b, "", 0);
    if (r->action == ACTION_STREAM)
        buf_puts(b, "S");       /* a begin: int (tr_res *, tr_upload *, ...) */
    if (r->action == ACTION_ASSET) {
        buf_puts(b, "asset");   /* every file: one thunk (emit_assets.c) */
        return;
    }
    for (uint32_t i = 0; i < r->nargs; i++) {
        const struct arg *a = &r->args[i];
        buf_puts(b, kind_letter[a->kind]);
        /* A thunk reads a guard's data from its slot: the slot is part of the shape. */
        if (a->kind == ARG_GUARD)
            buf_printf(b, "g%u", a->index);
        if (a->kind == ARG_PATH || a->kind == ARG_QUERY || a->kind == ARG_GUARD || a->kind == ARG_FORM ||
            a->kind == ARG_COOKIE)
            buf_puts(b, param_field(a->type));
    }
    /* Fields read from a JSON body, or from either: another thunk. */
    if (r->nform && r->fields_in != FIELDS_FORM)
        buf_printf(b, "/%s", r->fields_in == FIELDS_JSON ? "json" : "form+json");
}

/* Shapes are argument type lists, so there are few: a linear search. */
static void find_shapes(const struct gen *g, struct shapes *sh)
{
    uint32_t n = g->nroutes ? g->nroutes : 1;

    sh->n = 0;
    sh->keys = xcalloc(n, sizeof *sh->keys);
    sh->of_route = xcalloc(n, sizeof *sh->of_route);
    sh->example = xcalloc(n, sizeof *sh->example);
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

/* Each route's plan entry: by the kind of its action. */
static void plan_routes(const struct gen *g, struct plan *p)
{
    p->routes = xcalloc(g->nroutes ? g->nroutes : 1, sizeof *p->routes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        struct route_plan *rp = &p->routes[i];
        rp->action = g->routes[i].action;
        switch (rp->action) {
        case ACTION_STREAM: rp->stream = ++p->nstreams; /* fall through */
        case ACTION_HANDLER:
        case ACTION_ASSET: rp->shape = p->shapes.of_route[i]; break;
        }
    }
}

static void find_config(const struct gen *g, struct plan *p)
{
    /* The body buffers' size: a streamed body needs none (tr_stream.c);
     * with only streamed ones the pool is one buffer of one byte. */
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_limit > p->config.body_max && g->routes[i].action != ACTION_STREAM)
            p->config.body_max = g->routes[i].body_limit;
    if (p->f.stream && p->config.body_max == 0)
        p->config.body_max = 1;
    /* One more than the deepest pattern: a deeper path is only ever a
     * rest parameter's tail, which dispatch decodes without recording. */
    p->config.max_segments = p->trie->max_depth + 1;
    /* A spec with int query values only has TR_WITH_INT and no path
     * parameter: runtime/tr_dispatch.h skips the walk's integer decoding
     * then, as it could only write m->param. */
    p->config.max_params = p->trie->max_params;
}

int plan_build(struct gen *g, struct plan *p)
{
    const char *slash = strrchr(g->diag.file, '/');

    memset(p, 0, sizeof *p);
    snprintf(p->spec_base, sizeof p->spec_base, "%s", slash ? slash + 1 : g->diag.file);
    p->trie = trie_build(g);
    find_features(g, &p->f);
    find_methods(g, p);
    collect_headers(g, p);
    find_shapes(g, &p->shapes);
    plan_routes(g, p);
    find_config(g, p);
    plan_node_literals(p);
    plan_assets(g, p);
    return build_literals(g, p);
}

void plan_free(struct plan *p)
{
    for (uint32_t i = 0; p->header_index && i < p->nroutes; i++)
        free(p->header_index[i]);
    free(p->header_index);
    for (uint32_t i = 0; p->guard_header_index && i < p->nguards; i++)
        free(p->guard_header_index[i]);
    free(p->guard_header_index);
    if (p->trie) {
        plan_node_literals_free(p);
        trie_free(p->trie);
    }
    if (p->lits.n)
        phash_free(&p->lits.ph);
    free(p->lits.edge);
    free(p->lits.off);
    for (uint32_t i = 0; i < p->shapes.n; i++)
        free(p->shapes.keys[i]);
    free(p->shapes.keys);
    free(p->shapes.of_route);
    free(p->shapes.example);
    free(p->routes);
    free(p->headers);
    plan_assets_free(p);
    memset(p, 0, sizeof *p);
}
