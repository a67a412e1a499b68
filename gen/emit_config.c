/*
 * emit_config.c - tr_config.h: the runtime's configuration for this spec,
 * the settings and the plan's features as macros (see tr_defaults.h).
 */
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "settings.h"

/* Whether tr_config.h gets a setting's macro: a feature's own settings
 * only in specs with the feature, so the others' file stays as it was. */
static int setting_applies(const struct plan *p, const struct setting_def *d)
{
    if (!d->macro)
        return 0;
    if (strcmp(d->key, "tls") == 0)
        return p->f.tls;
    if (d->sub && strcmp(d->sub, "defer") == 0)
        return p->f.defer;
    if (d->sub && (strcmp(d->sub, "heartbeat") == 0 || strcmp(d->sub, "subscribers") == 0))
        return p->f.sse;
    return 1;
}

void emit_config(const struct emit *e)
{
    const struct settings *s = &e->g->set;
    const struct plan *p = e->p;
    struct buf *b = output_new(e->g, "tr_config.h");

    buf_puts(b, e->banner);
    buf_printf(b, "\n/* The runtime's configuration for this spec (see tr_defaults.h). */\n"
                  "#ifndef TR_CONFIG_H\n#define TR_CONFIG_H\n\n");
    for (size_t i = 0; i < settings_count; i++)
        if (setting_applies(p, &settings_table[i]))
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
    if (p->f.guard)             /* only then: other specs' tr_config.h stays as it was */
        buf_printf(b, "#define TR_WITH_GUARD 1\n#define TR_GUARD_DATA %u\n#define TR_WITH_BASIC %d\n",
                   p->guard_data, p->f.basic);
    if (s->json)                /* only then: other specs' tr_config.h stays as it was */
        buf_puts(b, "#define TR_WITH_JSON 1\n");
    if (s->crypt)               /* the same */
        buf_puts(b, "#define TR_WITH_CRYPT 1\n");
    if (p->f.basic_credentials) /* the same */
        buf_puts(b, "#define TR_WITH_BASIC_CREDENTIALS 1\n");
    if (p->f.throttle)
        buf_printf(b, "#define TR_WITH_THROTTLE 1\n#define TR_THROTTLE_AFTER %u\n#define TR_THROTTLE_MAX_MS %u\n",
                   p->f.throttle_guard->after, p->f.throttle_guard->max_ms);
    if (p->f.cookie && !p->f.session)
        buf_puts(b, "#define TR_WITH_COOKIE 1\n");
    if (p->f.session)
        buf_printf(b, "#define TR_WITH_COOKIE 1\n#define TR_WITH_SESSION 1\n#define TR_SESSIONS %u\n"
                      "#define TR_SESSION_IDLE_MS %u\n#define TR_SESSION_LIFETIME_MS %u\n",
                   p->f.session_guard->sessions, p->f.session_guard->idle_ms, p->f.session_guard->lifetime_ms);
    if (p->f.session && p->f.session_guard->token_header) {
        buf_puts(b, "#define TR_SESSION_TOKEN 1\n#define TR_SESSION_TOKEN_HEADER ");
        c_string(b, p->f.session_guard->token_header, strlen(p->f.session_guard->token_header));
        buf_puts(b, "\n");
    }
    /* Only in specs that have them: the others' tr_config.h is as before. */
    if (p->f.listeners)
        buf_printf(b, "#define TR_LISTENERS %u\n", s->nlisten);
    if (p->f.tls)
        buf_printf(b, "#define TR_WITH_TLS 1\n");
    if (p->f.redirect)
        buf_printf(b, "#define TR_WITH_REDIRECT 1\n");
    if (p->f.stream)             /* the same */
        buf_puts(b, "#define TR_WITH_STREAM 1\n");
    if (p->f.multipart)
        buf_printf(b, "#define TR_WITH_MULTIPART 1\n#define TR_CONTENT_TYPE_FIELD %u\n", p->content_type);
    if (p->f.json_read)
        buf_puts(b, "#define TR_WITH_JSON_READ 1\n");
    if (p->f.cors)
        buf_puts(b, "#define TR_WITH_CORS 1\n");
    if (p->f.error_bodies)       /* the same */
        buf_puts(b, "#define TR_WITH_ERROR_BODIES 1\n");
    if (p->f.defer)
        buf_puts(b, "#define TR_WITH_DEFER 1\n");
    if (p->f.pull)
        buf_puts(b, "#define TR_WITH_PULL 1\n");
    if (p->f.file)
        buf_puts(b, "#define TR_WITH_FILE 1\n");
    if (p->f.loop)
        buf_puts(b, "#define TR_WITH_LOOP 1\n");
    if (p->f.sse)
        buf_puts(b, "#define TR_WITH_SSE 1\n");
    buf_printf(b, "\n#endif\n");
}
