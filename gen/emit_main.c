/*
 * emit_main.c - NAME_main.c, unless the spec says `main off`.
 */
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"
#include "template.h"

static const char *const kind_word[] = { "plain", "tls", "redirect" };
static const char *const kind_macro[] = { "TR_LISTEN_PLAIN", "TR_LISTEN_TLS", "TR_LISTEN_REDIRECT" };

/* "0.0.0.0:8080" or "[::]:8443" of a listener. */
static void addr_port_of(char *out, size_t n, const char *addr, unsigned port)
{
    snprintf(out, n, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr, port);
}

/* A file name of the spec as a C string, or NULL. */
static void c_path(struct buf *b, const char *path)
{
    if (path)
        c_string(b, path, strlen(path));
    else
        buf_puts(b, "NULL");
}

/* main() of a spec with several listeners or a TLS one (main_listen.c.in). */
static void emit_main_listen(const struct emit *e, const char *banner)
{
    const struct settings *s = &e->g->set;
    struct buf list = { 0 }, table = { 0 }, defaults = { 0 }, cert = { 0 }, key = { 0 };
    char count[8], ap[80];

    for (uint32_t i = 0; i < s->nlisten; i++) {
        const struct listener *l = &s->listen[i];
        addr_port_of(ap, sizeof ap, l->addr, l->port);
        buf_printf(&list, " *   %s %s\n", ap, kind_word[l->kind]);
        buf_printf(&defaults, "%s%s", i ? " " : "", ap);
        buf_printf(&table, "    { \"%s\", %u, %s },\n", l->addr, l->port, kind_macro[l->kind]);
    }
    snprintf(count, sizeof count, "%u", s->nlisten);
    c_path(&cert, s->tls_cert);
    c_path(&key, s->tls_key);
    struct hole holes[] = {
        { "banner", banner }, { "spec", e->spec_base }, { "name", s->name }, { "list", list.data },
        { "count", count }, { "table", table.data }, { "defaults", defaults.data },
        { "cert", cert.data }, { "key", key.data },
    };
    template_fill(output_new(e->g, "%s_main.c", s->name), "templates/main_listen.c.in", holes,
                  sizeof holes / sizeof holes[0]);
    buf_free(&list);
    buf_free(&table);
    buf_free(&defaults);
    buf_free(&cert);
    buf_free(&key);
}

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
    if (e->p->f.listeners) {
        emit_main_listen(e, banner.data);
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
