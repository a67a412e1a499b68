/*
 * emit_cors.c - the CORS part of NAME_routes.c: the spec's rules as
 * struct tr_cors rows, each route's rule, and NAME_cors, which the
 * runtime calls for a preflight (before any guard) and for every answer
 * of a route (runtime/tr_cors.c).  Nothing for a spec without `cors`.
 */
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"

static void cors_row(const struct emit *e, const struct cors *c, struct buf *b)
{
    struct buf methods = { 0 };

    buf_put(&methods, "", 0);
    for (unsigned m = 0; m < NMETHODS; m++)
        if (c->methods & 1u << m)
            buf_printf(&methods, "%s%s", methods.len ? ", " : "", method_name(m));
    buf_puts(b, "    { ");
    if (c->any)
        buf_puts(b, "NULL, ");
    else
        c_string(b, c->origins, strlen(c->origins)), buf_puts(b, ", ");
    if (c->methods)
        c_string(b, methods.data, methods.len), buf_printf(b, ", 0x%04x, ", c->methods);
    else
        buf_puts(b, "NULL, 0, ");
    if (c->headers)
        c_string(b, c->headers, strlen(c->headers)), buf_puts(b, ", ");
    else
        buf_puts(b, "NULL, ");
    if (c->has_max_age)
        buf_printf(b, "\"%u\", ", c->max_age);
    else
        buf_puts(b, "NULL, ");
    buf_printf(b, "%d }, /* ", c->credentials);
    c_comment_str(b, c->prefix.text);
    buf_printf(b, " (%s:%u) */\n", e->spec_base, c->loc.line);
    buf_free(&methods);
}

void emit_cors_calls(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;
    const uint32_t *h = e->p->cors_header;

    if (!e->p->f.cors)
        return;
    buf_printf(b, "\n/**** Begin CORS ****/\n"
                  "/* origins, methods, method mask, headers, max-age, credentials */\n"
                  "static const struct tr_cors cors_rules[%u] = {\n", g->ncors);
    for (uint32_t i = 0; i < g->ncors; i++)
        cors_row(e, &g->cors[i], b);
    buf_printf(b, "};\n\n/* Each route's rule: 1 + its row in cors_rules, 0 for none. */\n"
                  "static const uint8_t route_cors[%u] = {\n", g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        buf_printf(b, "    %u, /* %u: ", g->routes[i].cors, i);
        c_comment_str(b, g->routes[i].pattern);
        buf_puts(b, " */\n");
    }
    buf_printf(b, "};\n\n"
                  "/* allow != 0: a preflight for a path with those methods, answered (1)\n"
                  " * or not; else the CORS fields of an answer of the route (0). */\n"
                  "static int %s_cors(int route, struct tr_request *rq, tr_res *res, uint16_t allow)\n"
                  "{\n"
                  "    unsigned k = route_cors[route];\n\n"
                  "    if (!k)\n        return 0;\n"
                  "    if (allow)\n"
                  "        return tr_cors_preflight(&cors_rules[k - 1], rq->header[%u], rq->header[%u],\n"
                  "                                 rq->header[%u], allow, res);\n"
                  "    tr_cors_answer(&cors_rules[k - 1], rq->header[%u], res);\n"
                  "    return 0;\n}\n"
                  "/**** End CORS ****/\n",
               g->set.name, h[0], h[1], h[2], h[0]);
}
