/*
 * emit_config.c - tr_config.h: the runtime's configuration for this spec,
 * the settings and the plan's features as macros (see tr_defaults.h).
 */
#include "emit.h"
#include "settings.h"

void emit_config(const struct emit *e)
{
    const struct settings *s = &e->g->set;
    const struct plan *p = e->p;
    struct buf *b = output_new(e->g, "tr_config.h");

    buf_puts(b, e->banner);
    buf_printf(b, "\n/* The runtime's configuration for this spec (see tr_defaults.h). */\n"
                  "#ifndef TR_CONFIG_H\n#define TR_CONFIG_H\n\n");
    for (size_t i = 0; i < settings_count; i++)
        if (settings_table[i].macro)
            buf_printf(b, "#define %s %u\n", settings_table[i].macro, setting_value(s, &settings_table[i]));
    buf_printf(b, "#define TR_BODY_MAX %u\n", p->config.body_max);
    buf_printf(b, "#define TR_DECLARED_HEADERS %u\n", p->nheaders);
    buf_printf(b, "#define TR_MAX_PARAMS %u\n", p->config.max_params);
    buf_printf(b, "#define TR_MAX_SEGMENTS %u\n", p->config.max_segments);
    buf_printf(b, "#define TR_WITH_BODY %d\n", p->f.body);
    buf_printf(b, "#define TR_WITH_CHUNKED %d\n", p->f.body);
    buf_printf(b, "#define TR_WITH_QUERY %d\n", p->f.query);
    buf_printf(b, "#define TR_WITH_INT %d\n", p->f.integers);
    buf_printf(b, "#define TR_WITH_OPTIONS %d\n", p->f.options);
    if (p->f.assets)             /* absent: tr_defaults.h says 0 */
        buf_puts(b, "#define TR_WITH_ASSETS 1\n");
    if (p->f.error_bodies)       /* the same */
        buf_puts(b, "#define TR_WITH_ERROR_BODIES 1\n");
    buf_printf(b, "\n#endif\n");
}
