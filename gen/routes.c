/*
 * routes.c - dispatch precedence and `tinyroute routes`.
 *
 * Precedence: the segment kinds of two routes are compared left to right
 * and the first difference decides: literal beats typed beats <name>
 * beats <name..>.  Dispatch visits the trie in this same order, so the
 * table printed here is the order in which routes are tried.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "names.h"

static int cmp_u(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

/* A total order: kinds, then literal bytes, then types, then source order. */
int route_precedence_cmp(const struct route *a, const struct route *b)
{
    uint32_t n = a->nsegs < b->nsegs ? a->nsegs : b->nsegs;
    int c;

    for (uint32_t i = 0; i < n; i++) {
        const struct segment *x = &a->segs[i], *y = &b->segs[i];
        if ((c = cmp_u(x->kind, y->kind)))
            return c;
        if (x->kind == SEG_LITERAL) {
            uint32_t m = x->text_len < y->text_len ? x->text_len : y->text_len;
            if ((c = memcmp(x->text, y->text, m)) || (c = cmp_u(x->text_len, y->text_len)))
                return c;
        } else if ((c = cmp_u(x->param.type, y->param.type))) {
            return c;
        }
    }
    if ((c = cmp_u(a->nsegs, b->nsegs)))
        return c;
    return cmp_u(a->index, b->index);
}

static int by_precedence(const void *a, const void *b)
{
    return route_precedence_cmp(*(struct route *const *)a, *(struct route *const *)b);
}

/* Routes sorted by precedence; the caller frees the array. */
struct route **routes_by_precedence(struct gen *g)
{
    struct route **v = xcalloc(g->nroutes, sizeof *v);

    for (uint32_t i = 0; i < g->nroutes; i++)
        v[i] = &g->routes[i];
    qsort(v, g->nroutes, sizeof *v, by_precedence);
    return v;
}

void print_routes(struct gen *g, FILE *out)
{
    struct route **v = routes_by_precedence(g);
    size_t wm = 7, wp = 7, wh = 7, wg = 6;
    struct buf *meth = xcalloc(g->nroutes, sizeof *meth);
    struct buf *guards = xcalloc(g->nroutes, sizeof *guards);
    /* The GUARDS column only in specs that have guards: others print as before. */
    int show_guards = g->nguards > 0;

    for (uint32_t i = 0; i < g->nroutes; i++) {
        methods_text(v[i]->methods, &meth[i]);
        if (meth[i].len > wm) wm = meth[i].len;
        route_guards_text(g, v[i], &guards[i]);
        if (guards[i].len > wg) wg = guards[i].len;
        if (strlen(v[i]->pattern) > wp) wp = strlen(v[i]->pattern);
        if (v[i]->handler && strlen(v[i]->handler) + strlen(g->set.name) + 1 > wh)
            wh = strlen(v[i]->handler) + strlen(g->set.name) + 1;
    }
    fprintf(out, "%-5s %-*s %-*s %-*s ", "ORDER", (int)wm, "METHODS", (int)wp, "PATTERN", (int)wh,
            "HANDLER");
    if (show_guards)
        fprintf(out, "%-*s ", (int)wg, "GUARDS");
    fprintf(out, "PARAMS\n");
    for (uint32_t i = 0; i < g->nroutes; i++) {
        char handler[256];
        struct buf sig = { 0 };
        if (v[i]->action == ACTION_ASSET)   /* an embedded file */
            snprintf(handler, sizeof handler, "(file)");
        else
            snprintf(handler, sizeof handler, "%s_%s", g->set.name, v[i]->handler);
        route_signature(v[i], &sig);
        fprintf(out, "%5u %-*s %-*s %-*s ", i + 1, (int)wm, meth[i].data, (int)wp, v[i]->pattern,
                (int)wh, handler);
        if (show_guards)
            fprintf(out, "%-*s ", (int)wg, guards[i].data);
        fprintf(out, "%s\n", sig.data);
        buf_free(&sig);
        buf_free(&meth[i]);
        buf_free(&guards[i]);
    }
    free(meth);
    free(guards);
    free(v);
}
