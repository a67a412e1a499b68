/*
 * resolve.c - the resolve phase: fills in what the spec left to defaults
 * that depend on other settings or on the routes (a route's `body` without
 * a size, the buffer pools), and builds each route's argument model (what
 * its handler receives, gen.h's struct arg), so that check and every
 * later phase read a complete model and none of them changes it.
 */
#include <string.h>

#include "gen.h"
#include "names.h"

int spec_reads_body(const struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_limit || g->routes[i].body_default)
            return 1;
    return 0;
}

/* Does a route read a body whole, into a body buffer (not streamed)?  A
 * spec whose only bodies are streamed keeps one body buffer of one byte. */
static int spec_buffers_body(const struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if ((g->routes[i].body_limit || g->routes[i].body_default) && g->routes[i].action != ACTION_STREAM)
            return 1;
    return 0;
}

static struct arg *add_arg(struct route *r, enum arg_kind kind, enum param_type type, const char *name,
                           const char *ident, struct loc loc, uint32_t len, uint32_t index)
{
    struct arg *a = VEC_PUSH(r->args, r->nargs);

    *a = (struct arg){ kind, type, name, ident ? xstrndup(ident, strlen(ident)) : NULL, index, loc, len };
    return a;
}

/* The route's arguments in the handler's order: method, path, query,
 * headers, body, the data of its guards (in the order they run). */
static void build_args(const struct gen *g, struct route *r)
{
    uint32_t np = 0;

    if (r->methods & (r->methods - 1))
        add_arg(r, ARG_METHOD, PT_STRING, "method", "method", r->loc, 0, 0);
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct segment *s = &r->segs[i];
        if (s->kind != SEG_LITERAL)
            add_arg(r, ARG_PATH, s->param.type, s->param.name, s->param.name, s->param.loc, s->param.len,
                    np++);
    }
    for (uint32_t i = 0; i < r->nquery; i++)
        add_arg(r, ARG_QUERY, r->query[i].type, r->query[i].name, r->query[i].name, r->query[i].loc,
                r->query[i].len, i);
    for (uint32_t i = 0; i < r->nheaders; i++) {
        struct buf id = { 0 };
        header_ident(r->headers[i], &id);
        add_arg(r, ARG_HEADER, PT_STRING, r->headers[i], id.data, r->header_locs[i],
                (uint32_t)strlen(r->headers[i]), i);
        buf_free(&id);
    }
    for (uint32_t i = 0; i < r->ncookies; i++)
        if (r->cookies[i].name)
            add_arg(r, ARG_COOKIE, r->cookies[i].type, r->cookies[i].name, r->cookies[i].name, r->cookies[i].loc,
                    r->cookies[i].len, i);
    for (uint32_t i = 0; i < r->nform; i++)
        if (r->form[i].name)
            add_arg(r, ARG_FORM, r->form[i].type, r->form[i].name, r->form[i].name, r->form[i].loc,
                    r->form[i].len, i);
    if (r->body_limit && !r->form_body && r->action != ACTION_STREAM)  /* a stream's comes to _data */
        add_arg(r, ARG_BODY, PT_STRING, "body", "body", r->body_loc, 4, 0);
    for (uint32_t i = 0; i < r->nguards; i++) {
        const struct guard *gd = &g->guards[r->guards[i]];
        if (gd->has_data)
            add_arg(r, ARG_GUARD, gd->data_type, gd->name, gd->name, r->handler_loc,
                    (uint32_t)strlen(r->handler), gd->slot);
    }
}

void resolve_defaults(struct gen *g)
{
    guards_resolve(g);
    cors_resolve(g);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        if (g->routes[i].body_default)
            g->routes[i].body_limit = g->set.body_max;
        build_args(g, &g->routes[i]);
    }
    /* A quarter of the connections, at least 8 (or one each, if fewer). */
    if (!g->set.buffers)
        g->set.buffers = g->set.connections / 4 >= 8 ? g->set.connections / 4
                         : g->set.connections < 8 ? g->set.connections : 8;
    /* Half the buffers, so that subscribers never hold them all. */
    if (!g->set.sse_subscribers)
        g->set.sse_subscribers = g->set.buffers / 2 > 0 ? g->set.buffers / 2 : 1;
    if (!g->set.body_buffers)
        g->set.body_buffers = spec_buffers_body(g) ? 2 : spec_reads_body(g) ? 1 : 0;
}
