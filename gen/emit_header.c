/*
 * emit_header.c - NAME_routes.h: one prototype per handler, with the
 * routes it serves, for the user to implement.
 */
#include <ctype.h>
#include <string.h>

#include "emit.h"

static int multi_method(const struct route *r)
{
    return (r->methods & (r->methods - 1)) != 0;
}

/* The handler's parameter list, after `tr_res *res`. */
static void handler_params(const struct route *r, struct buf *b)
{
    if (multi_method(r))
        buf_puts(b, ", enum tr_method method");
    for (uint32_t i = 0; i < r->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL)
            buf_printf(b, ", %s %s", emit_param_ctype(r->segs[i].param.type), r->segs[i].param.name);
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_printf(b, ", const %s *%s", emit_param_ctype(r->query[i].type), r->query[i].name);
    for (uint32_t i = 0; i < r->nheaders; i++) {
        buf_puts(b, ", tr_str ");
        emit_header_ident(r->headers[i], b);
    }
    if (r->body_limit)
        buf_puts(b, ", tr_str body");
}

static void route_comment(const struct emit *e, const struct route *r, struct buf *b)
{
    buf_puts(b, " *   ");
    methods_text(r->methods, b);
    buf_printf(b, " %s  (%s:%u)\n", r->pattern, e->spec_base, r->loc.line);
}

int emit_header(struct emit *e)
{
    struct gen *g = e->g;
    const char *name = g->set.name;
    struct buf *b = output_new(g, "%s_routes.h", name), guard = { 0 };

    for (const char *p = name; *p; p++)
        buf_printf(&guard, "%c", toupper((unsigned char)*p));

    emit_banner(e, b);
    buf_printf(b, "\n/*\n * The handlers of %s: implement each one.  String views point into the\n"
                  " * request buffer and are valid until the handler returns; optional query\n"
                  " * parameters are NULL when absent; header views have ptr NULL when absent.\n"
                  " */\n#ifndef %s_ROUTES_H\n#define %s_ROUTES_H\n\n#include \"tr.h\"\n\n",
               e->spec_base, guard.data, guard.data);
    buf_free(&guard);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        int seen = 0;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = strcmp(g->routes[j].handler, r->handler) == 0;
        if (seen)
            continue;
        buf_puts(b, "/*\n");
        for (uint32_t j = i; j < g->nroutes; j++)
            if (strcmp(g->routes[j].handler, r->handler) == 0)
                route_comment(e, &g->routes[j], b);
        buf_printf(b, " */\nvoid %s_%s(tr_res *res", name, r->handler);
        handler_params(r, b);
        buf_puts(b, ");\n\n");
    }
    buf_printf(b, "/* The server: pass it to tr_serve() when the spec says `main off`. */\n"
                  "struct tr_app;\nextern const struct tr_app %s_app;\n\n#endif\n", name);
    return 0;
}
