/*
 * context.c - the life of one `struct gen`: made ready for a spec, and
 * freed with everything every phase hung on it.  It sits above the model
 * and the assets, so that neither has to call the other to clean up.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "settings.h"

void gen_init(struct gen *g, const char *file, const char *src, size_t len, FILE *diag_out)
{
    memset(g, 0, sizeof *g);
    g->diag.file = file;
    g->diag.src = src;
    g->diag.src_len = len;
    g->diag.out = diag_out;
    diag_defaults(&g->diag);
    settings_defaults(&g->set);
    g->re2c = "re2c";
}

void gen_free(struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        route_free(&g->routes[i]);
    route_free(&g->cur);
    free(g->routes);
    assets_free(g);
    guards_free(g);
    cors_free(g);
    errors_free(g);
    for (uint32_t i = 0; i < g->noutputs; i++) {
        free(g->outputs[i].name);
        buf_free(&g->outputs[i].text);
    }
    free(g->outputs);
    free(g->set.name);
    free(g->set.addr);
    for (uint32_t i = 0; i < g->set.nlisten; i++)
        free(g->set.listen[i].addr);
    free(g->set.tls_cert);
    free(g->set.tls_key);
    free(g->set.init);
}
