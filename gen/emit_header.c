/*
 * emit_header.c - NAME_routes.h: one prototype per handler, with the
 * routes it serves, for the user to implement.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"

/* The handler's parameter list, after `tr_res *res`. */
static void handler_params(const struct route *r, struct buf *b)
{
    for (uint32_t i = 0; i < r->nargs; i++)
        arg_c_param(&r->args[i], 1, b);
}

static void route_comment(const struct emit *e, const struct route *r, struct buf *b)
{
    buf_puts(b, " *   ");
    methods_text(r->methods, b);
    buf_puts(b, " ");
    c_comment_str(b, r->pattern);
    buf_printf(b, "  (%s:%u)\n", e->spec_base, r->loc.line);
}

static int by_handler_then_index(const void *a, const void *b)
{
    const struct route *x = *(struct route *const *)a, *y = *(struct route *const *)b;
    int c = strcmp(x->handler, y->handler);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

struct handler_group {
    uint32_t first;          /* source index of the handler's first route */
    uint32_t start, count;   /* its routes in the sorted array */
};

static int by_first_route(const void *a, const void *b)
{
    const struct handler_group *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* One prototype per handler, in the order handlers first appear, each
 * with the routes it serves: two sorts, no quadratic search. */
static void emit_prototypes(const struct emit *e, struct buf *b)
{
    struct gen *g = e->g;
    struct route **v = xcalloc(g->nroutes, sizeof *v);
    struct handler_group *groups = xcalloc(g->nroutes, sizeof *groups);
    uint32_t n = 0;

    uint32_t nv = 0;

    for (uint32_t i = 0; i < g->nroutes; i++)
        if (e->p->routes[i].action == ACTION_HANDLER)   /* only handlers have prototypes */
            v[nv++] = &g->routes[i];
    if (nv)
        qsort(v, nv, sizeof *v, by_handler_then_index);
    for (uint32_t i = 0; i < nv; i++) {
        if (i == 0 || strcmp(v[i - 1]->handler, v[i]->handler) != 0)
            groups[n++] = (struct handler_group){ v[i]->index, i, 0 };
        groups[n - 1].count++;
    }
    qsort(groups, n, sizeof *groups, by_first_route);
    for (uint32_t k = 0; k < n; k++) {
        const struct route *r = v[groups[k].start];
        buf_puts(b, "/*\n");
        for (uint32_t j = 0; j < groups[k].count; j++)
            route_comment(e, v[groups[k].start + j], b);
        buf_printf(b, " */\nvoid %s_%s(tr_res *res", g->set.name, r->handler);
        handler_params(r, b);
        buf_puts(b, ");\n\n");
    }
    free(groups);
    free(v);
}

int emit_header(const struct emit *e)
{
    struct gen *g = e->g;
    const char *name = g->set.name;
    struct buf *b = output_new(g, "%s_routes.h", name), guard = { 0 };

    for (const char *p = name; *p; p++)
        buf_printf(&guard, "%c", toupper((unsigned char)*p));
    buf_puts(b, e->banner);
    buf_printf(b, "\n/*\n * The handlers of %s: implement each one.  String views point into the\n"
                  " * request buffer and are valid until the handler returns; optional query\n"
                  " * parameters are NULL when absent; header views have ptr NULL when absent.\n"
                  " */\n#ifndef %s_ROUTES_H\n#define %s_ROUTES_H\n\n#include \"tr.h\"\n\n",
               e->spec_base, guard.data, guard.data);
    buf_free(&guard);
    if (e->p->f.session || e->p->f.throttle || e->p->f.cookie)
        buf_puts(b, "#include \"tr_cookie.h\"\n\n");
    if (g->set.json || e->p->f.json_read)
        buf_puts(b, "#include \"tr_json.h\"\n\n");
    if (g->set.crypt)
        buf_puts(b, "#include \"tr_crypt.h\"\n\n");
    if (e->p->f.basic_credentials)
        buf_puts(b, "#include \"tr_basic.h\"\n\n");
    emit_prototypes(e, b);
    emit_stream_prototypes(e, b);
    emit_guard_prototypes(e, b);
    if (g->set.init)
        buf_printf(b, "/* The app's start-up (`init`): runs once the listeners are open, before the\n"
                      " * first accept; it may add descriptors and timers (tr_loop_*).  0 to go on,\n"
                      " * else the server stops before it serves (tr_serve returns 1). */\n"
                      "int %s_%s(void);\n\n", name, g->set.init);
    buf_printf(b, "/* The server: pass it to tr_serve() when the spec says `main off`. */\n"
                  "struct tr_app;\nextern const struct tr_app %s_app;\n\n#endif\n", name);
    return 0;
}
