/*
 * emit_main.c - NAME_main.c, unless the spec says `main off`.
 */
#include <string.h>

#include "emit.h"
#include "template.h"

int emit_main(struct emit *e)
{
    const struct settings *s = &e->g->set;
    struct buf banner = { 0 };
    char port[8], addr_port[80];

    if (!s->main_fn)
        return 0;
    emit_banner(e, &banner);
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
