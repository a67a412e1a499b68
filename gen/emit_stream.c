/*
 * emit_stream.c - the streamed routes' part of NAME_routes.c and of
 * NAME_routes.h (ACTION_STREAM, runtime/tr_stream.c): the table of each
 * streamed route's data, end and part calls, and their prototypes.  Their
 * begin is called through a thunk as a handler is (emit_dispatch.c).
 * Nothing for a spec without a streamed route.
 */
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"

/* The first streamed route that uses r's handler: its calls are emitted
 * once, there. */
static int first_of_handler(const struct emit *e, const struct route *r)
{
    for (uint32_t i = 0; i < r->index; i++)
        if (e->p->routes[i].action == ACTION_STREAM && strcmp(e->g->routes[i].handler, r->handler) == 0)
            return 0;
    return 1;
}

void emit_stream_table(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;
    if (!e->p->f.stream)
        return;
    buf_printf(b, "\n/* Each streamed route's calls after its begin (tr_app.h), by tr_route.stream - 1. */\n"
                  "static const struct tr_stream %s_streams[%u] = {\n", g->set.name, e->p->nstreams);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (e->p->routes[i].action != ACTION_STREAM)
            continue;
        buf_printf(b, "    { %s_%s_data, %s_%s_end, ", g->set.name, r->handler, g->set.name, r->handler);
        if (r->stream == STREAM_MULTIPART)
            buf_printf(b, "%s_%s_part", g->set.name, r->handler);
        else
            buf_puts(b, "NULL");
        buf_printf(b, " }, /* route %u: ", i);
        c_comment_str(b, r->pattern);
        buf_puts(b, " */\n");
    }
    buf_puts(b, "};\n");
}

void emit_stream_prototypes(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;
    const char *n = g->set.name;
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        if (e->p->routes[i].action != ACTION_STREAM || !first_of_handler(e, r))
            continue;
        buf_puts(b, "/*\n");
        for (uint32_t j = i; j < g->nroutes; j++) {
            const struct route *o = &g->routes[j];
            if (e->p->routes[j].action != ACTION_STREAM || strcmp(o->handler, r->handler) != 0)
                continue;
            buf_puts(b, " *   ");
            methods_text(o->methods, b);
            buf_puts(b, " ");
            c_comment_str(b, o->pattern);
            buf_printf(b, "  (%s:%u)\n", e->spec_base, o->loc.line);
        }
        buf_printf(b, " * A streamed body, up to %u bytes (tr.h): begin, then %s in pieces, then end once.\n */\n",
                   r->body_limit, r->stream == STREAM_MULTIPART ? "part and data" : "data");
        buf_printf(b, "int %s_%s_begin(tr_res *res, tr_upload *up", n, r->handler);
        for (uint32_t k = 0; k < r->nargs; k++)
            arg_c_param(&r->args[k], 1, b);
        buf_puts(b, ");\n");
        if (r->stream == STREAM_MULTIPART)
            buf_printf(b, "int %s_%s_part(tr_upload *up, const tr_part *part);\n", n, r->handler);
        buf_printf(b, "int %s_%s_data(tr_upload *up, const char *data, size_t len);\n"
                      "void %s_%s_end(tr_res *res, tr_upload *up, int how);\n\n",
                   n, r->handler, n, r->handler);
    }
}
