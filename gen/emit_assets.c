/*
 * emit_assets.c - NAME_assets.c, for a spec that mounts directories: each
 * file's bytes and gzip variant as const arrays (flash), each variant's
 * response head built here, and one row per asset route, in route order,
 * for tr_asset.c to serve.  Also the thunk NAME_routes.c calls for them.
 */
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "emit.h"

/* Text in a C comment: nothing in it may open or close one. */
static void comment_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        buf_put(b, s, 1);
        if ((s[0] == '*' && s[1] == '/') || (s[0] == '/' && s[1] == '*'))
            buf_puts(b, "\\");
    }
}

/* Text in a C string literal: quotes, backslashes, '?' (trigraphs) and
 * anything not printable escaped. */
static void string_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c == '?')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            buf_printf(b, "\\%03o", c);
        else
            buf_put(b, s, 1);
    }
}

static void field_line(struct buf *b, const char *name, const char *value, uint32_t *len)
{
    buf_printf(b, "\n    \"%s: ", name);
    string_text(b, value);
    buf_puts(b, "\\r\\n\"");
    *len += (uint32_t)(strlen(name) + 2 + strlen(value) + 2);
}

/* A variant's head: first what a 304 repeats (RFC 9110 §15.4.5: ETag,
 * Cache-Control, Vary), then the rest of a 200's fields.  Returns the
 * length of that first part. */
static uint32_t emit_head(struct buf *b, const struct asset_file *f, int gz, uint32_t id)
{
    uint32_t n = 0, n304;

    buf_printf(b, "static const char head_%u%s[] =", id, gz ? "_gz" : "");
    field_line(b, "ETag", f->v[gz].etag, &n);
    field_line(b, "Cache-Control", f->cache, &n);
    if (f->v[1].len)
        field_line(b, "Vary", "Accept-Encoding", &n);
    n304 = n;
    field_line(b, "Content-Type", f->type, &n);
    if (gz)
        field_line(b, "Content-Encoding", "gzip", &n);
    else
        field_line(b, "Accept-Ranges", "bytes", &n);  /* RFC 9110 §14.3 */
    buf_puts(b, ";\n");
    return n304;
}

static void emit_bytes(struct buf *b, const struct asset_variant *v, uint32_t id, int gz)
{
    buf_printf(b, "static const unsigned char file_%u%s[%zu] = {", id, gz ? "_gz" : "",
               v->len ? v->len : 1);
    for (size_t i = 0; i < v->len; i++)
        buf_printf(b, "%s0x%02x,", i % 16 ? " " : "\n    ", v->data[i]);
    buf_puts(b, v->len ? "\n};\n" : " 0 };\n");
}

static void emit_file(struct buf *b, const struct asset_file *f, uint32_t id, uint32_t n304[2])
{
    buf_printf(b, "/* %u: ", id);
    comment_text(b, f->rel);
    buf_printf(b, ", %zu bytes; gzip -9 %zu%s */\n", f->v[0].len, f->gzip_len,
               f->v[1].len ? "" : ", not kept");
    emit_bytes(b, &f->v[0], id, 0);
    n304[0] = emit_head(b, f, 0, id);
    if (f->v[1].len) {
        emit_bytes(b, &f->v[1], id, 1);
        n304[1] = emit_head(b, f, 1, id);
    }
    buf_puts(b, "\n");
}

static void emit_variant(struct buf *b, const struct asset_file *f, uint32_t id, int gz, uint32_t n304)
{
    const char *sfx = gz ? "_gz" : "";
    if (gz && !f->v[1].len) {
        buf_puts(b, "{ NULL, 0, NULL, 0, 0 }");
        return;
    }
    buf_printf(b, "{ file_%u%s, %zu, head_%u%s, sizeof head_%u%s - 1, %u }", id, sfx, f->v[gz].len,
               id, sfx, id, sfx, n304);
}

int emit_assets(struct emit *e)
{
    struct gen *g = e->g;
    const struct assets *a = g->assets;

    if (!a || !a->nfiles)
        return 0;
    struct buf *b = output_new(g, "%s_assets.c", g->set.name);
    uint32_t (*n304)[2] = xcalloc(a->nfiles, sizeof *n304);
    uint32_t rows = g->nroutes - a->first_route;

    emit_banner(e, b);
    buf_printf(b, "\n/*\n * The files %s mounts: the bytes, a gzip variant where it saves an\n"
                  " * eighth and 64 bytes or more, and each variant's head, all const (flash).\n"
                  " * One row per route that serves a file, in route order from the route\n"
                  " * ASSET_FIRST of %s_routes.c.  Served by tr_asset.c.\n */\n"
                  "#include \"tr_asset.h\"\n\n", e->spec_base, g->set.name);
    for (uint32_t i = 0; i < a->nfiles; i++)
        emit_file(b, &a->files[i], i, n304[i]);
    buf_printf(b, "const struct tr_asset %s_assets[%u] = {\n", g->set.name, rows);
    for (uint32_t i = a->first_route; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        const struct asset_file *f = &a->files[r->asset];
        buf_printf(b, "    /* route %u: GET ", i);
        comment_text(b, r->pattern);
        buf_puts(b, ", ");
        comment_text(b, f->rel);
        buf_puts(b, " */\n    { { ");
        emit_variant(b, f, r->asset, 0, n304[r->asset][0]);
        buf_puts(b, ",\n        ");
        emit_variant(b, f, r->asset, 1, n304[r->asset][1]);
        buf_puts(b, " } },\n");
    }
    buf_puts(b, "};\n");
    free(n304);
    return 0;
}

void emit_asset_thunk(const struct emit *e, uint32_t shape, struct buf *b)
{
    const struct gen *g = e->g;

    buf_printf(b, "/* Shape %u: an embedded file, a row of %s_assets (%s_assets.c). */\n"
                  "#include \"tr_asset.h\"\n"
                  "#define ASSET_FIRST %u  /* the route of the first row */\n"
                  "extern const struct tr_asset %s_assets[%u];\n\n"
                  "static int call_%u(void (*fn)(void), int route, struct tr_request *rq,\n"
                  "                  struct tr_match *m, tr_res *res)\n"
                  "{\n    const tr_str field[TR_ASSET_FIELDS] = {\n",
               shape, g->set.name, g->set.name, g->assets->first_route, g->set.name,
               g->nroutes - g->assets->first_route, shape);
    for (uint32_t i = 0; i < 4; i++)
        buf_printf(b, "        rq->header[%u], /* %s */\n", emit_header_index(e, asset_request_fields[i]),
                   asset_request_fields[i]);
    buf_printf(b, "    };\n    (void)fn;\n    (void)m;\n"
                  "    return tr_asset_serve(res, &%s_assets[route - ASSET_FIRST], rq->method, field);\n"
                  "}\n\n", g->set.name);
}
