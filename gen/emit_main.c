/*
 * emit_main.c - NAME_main.c, unless the spec says `main off`.
 */
#include <string.h>

#include "emit.h"
#include "names.h"
#include "template.h"

int emit_main(const struct emit *e)
{
    const struct settings *s = &e->g->set;
    struct buf banner = { 0 };
    char port[8], addr_port[80];

    buf_puts(&banner, e->banner);
    if (!s->main_fn) {
        /* The file still exists, so the list of outputs never depends on
         * the spec; it only has to be a valid translation unit. */
        struct buf *b = output_new(e->g, "%s_main.c", s->name);
        buf_printf(b, "%s\n/* `main off` in %s: the program calls tr_serve(&%s_app, ...) itself. */\n"
                      "typedef int %s_main_omitted;\n", banner.data, e->spec_base, s->name, s->name);
        buf_free(&banner);
        return 0;
    }
    snprintf(port, sizeof port, "%u", s->port);
    snprintf(addr_port, sizeof addr_port, strchr(s->addr, ':') ? "[%s]:%u" : "%s:%u", s->addr, s->port);
    struct hole holes[] = {
        { "banner", banner.data }, { "spec", e->spec_base }, { "name", s->name },
        { "addr", s->addr }, { "port", port }, { "addr_port", addr_port },
    };
    template_fill(output_new(e->g, "%s_main.c", s->name), "templates/main.c.in", holes,
                  sizeof holes / sizeof holes[0]);
    buf_free(&banner);
    return 0;
}
