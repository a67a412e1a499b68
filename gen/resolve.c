/*
 * resolve.c - the resolve phase: fills in what the spec left to defaults
 * that depend on other settings or on the routes (a route's `body` without
 * a size, the buffer pools), so that check and every later phase read a
 * complete model and none of them changes it.
 */
#include "gen.h"

int spec_reads_body(const struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_limit || g->routes[i].body_default)
            return 1;
    return 0;
}

void resolve_defaults(struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        if (g->routes[i].body_default)
            g->routes[i].body_limit = g->set.body_max;
    /* A quarter of the connections, at least 8 (or one each, if fewer). */
    if (!g->set.buffers)
        g->set.buffers = g->set.connections / 4 >= 8 ? g->set.connections / 4
                         : g->set.connections < 8 ? g->set.connections : 8;
    if (!g->set.body_buffers)
        g->set.body_buffers = spec_reads_body(g) ? 2 : 0;
}
