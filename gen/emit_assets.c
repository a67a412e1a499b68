/*
 * emit_assets.c - NAME_assets.c, for a spec that mounts directories: each
 * file's bytes and gzip variant as const arrays (flash), the variants'
 * response heads the plan chose (plan_assets.c), and one row per asset
 * route, in route order, for tr_asset.c to serve.  Also the thunk NAME_routes.c calls for them.
 */
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "ctext.h"
#include "emit.h"

/* A head's fields as the lines of a C string literal. */
static void emit_head(struct buf *b, const struct asset_head *h, uint32_t id)
{
    buf_printf(b, "static const char head_%u[] =", id);
    for (uint32_t i = 0; i < h->nfields; i++) {
        buf_printf(b, "\n    \"%s: ", h->name[i]);
        c_string_inside(b, h->value[i], strlen(h->value[i]));
        buf_puts(b, "\\r\\n\"");
    }
    buf_puts(b, ";\n");
}

/* The identity bytes the row stores: none for a gzip-only file. */
static size_t stored_len(const struct asset_file *f)
{
    return f->gzip_only ? 0 : f->v[0].len;
}

static void emit_bytes(struct buf *b, const struct asset_file *f, uint32_t id)
{
    size_t raw = stored_len(f), n = raw + f->v[1].len;

    buf_printf(b, "static const unsigned char file_%u[%zu] = {", id, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = i < raw ? &f->v[0].data[i] : &f->v[1].data[i - raw];
        if (i == raw)
            buf_puts(b, "\n    /* gzip */");
        buf_printf(b, "%s0x%02x,", (i < raw ? i : i - raw) % 16 ? " " : "\n    ", *p);
    }
    buf_puts(b, n ? "\n};\n\n" : " 0 };\n\n");
}

static void emit_file(struct buf *b, const struct asset_file *f, uint32_t id)
{
    buf_printf(b, "/* %u: ", id);
    c_comment_str(b, f->rel);
    buf_printf(b, ", %zu bytes; gzip -9 %zu%s */\n", f->v[0].len, f->gzip_len,
               f->gzip_only ? ", stored alone" : f->v[1].len ? "" : ", not kept");
    emit_bytes(b, f, id);
}

static void emit_etag(struct buf *b, uint64_t hash)
{
    buf_puts(b, "{");
    for (int i = 7; i >= 0; i--)
        buf_printf(b, " 0x%02x%s", (unsigned)(hash >> (8 * i)) & 0xff, i ? "," : " }");
}

int emit_assets(const struct emit *e)
{
    struct gen *g = e->g;
    const struct assets *a = g->assets;

    if (!a || !a->nfiles)
        return 0;
    const struct asset_plan *ap = &e->p->assets;
    struct buf *b = output_new(g, "%s_assets.c", g->set.name), rows = { 0 };
    uint32_t nrows = g->nroutes - a->first_route;

    buf_puts(b, e->banner);
    buf_printf(b, "\n/*\n * The files %s mounts: the bytes, then a gzip variant where it saves an\n"
                  " * eighth and 64 bytes or more; the heads of the variants, each once; and\n"
                  " * a row per route that serves a file, in route order from the route\n"
                  " * ASSET_FIRST of %s_routes.c.  All const (flash); served by tr_asset.c.\n */\n"
                  "#include \"tr_asset.h\"\n\n", e->spec_base, g->set.name);
    for (uint32_t i = 0; i < a->nfiles; i++)
        emit_file(b, &a->files[i], i);
    for (uint32_t i = a->first_route; i < g->nroutes; i++) {
        const struct route *r = &g->routes[i];
        const struct asset_file *f = &a->files[r->asset];
        const uint32_t *heads = ap->route_heads[i - a->first_route];
        buf_printf(&rows, "    /* route %u: GET ", i);
        c_comment_str(&rows, r->pattern);
        buf_puts(&rows, ", ");
        c_comment_str(&rows, f->rel);
        buf_printf(&rows, " */\n    { file_%u, %zu, %zu,\n      { ", r->asset, stored_len(f), f->v[1].len);
        emit_etag(&rows, f->gzip_only ? 0 : f->v[0].hash);
        buf_puts(&rows, ",\n        ");
        emit_etag(&rows, f->v[1].len ? f->v[1].hash : 0);
        buf_printf(&rows, " },\n      { %u, %u } },\n", heads[0], heads[1]);
    }
    for (uint32_t i = 0; i < ap->nheads; i++)
        emit_head(b, &ap->heads[i], i);
    buf_printf(b, "\n/* The heads but the ETag: the lines, their length, what a 304 repeats. */\n"
                  "const struct tr_asset_head %s_asset_heads[%u] = {\n", g->set.name, ap->nheads);
    for (uint32_t i = 0; i < ap->nheads; i++)
        buf_printf(b, "    { head_%u, %u, %u },\n", i, ap->heads[i].len, ap->heads[i].len_304);
    buf_printf(b, "};\n\nconst struct tr_asset %s_assets[%u] = {\n%s};\n", g->set.name, nrows, rows.data);
    buf_free(&rows);
    return 0;
}

void emit_asset_thunk(const struct emit *e, uint32_t shape, struct buf *b)
{
    const struct gen *g = e->g;

    buf_printf(b, "/* Shape %u: an embedded file, a row of %s_assets (%s_assets.c). */\n"
                  "#include \"tr_asset.h\"\n"
                  "#define ASSET_FIRST %u  /* the route of the first row */\n"
                  "extern const struct tr_asset %s_assets[%u];\n"
                  "extern const struct tr_asset_head %s_asset_heads[];\n\n"
                  "static int call_%u(void (*fn)(void), int route, struct tr_request *rq,\n"
                  "                  struct tr_match *m, tr_res *res)\n"
                  "{\n    const tr_str field[TR_ASSET_FIELDS] = {\n",
               shape, g->set.name, g->set.name, g->assets->first_route, g->set.name,
               g->nroutes - g->assets->first_route, g->set.name, shape);
    for (uint32_t i = 0; i < 4; i++)
        buf_printf(b, "        rq->header[%u], /* %s */\n", plan_header_position(e->p, asset_request_fields[i]),
                   asset_request_fields[i]);
    buf_printf(b, "    };\n    (void)fn;\n    (void)m;\n"
                  "    return tr_asset_serve(res, &%s_assets[route - ASSET_FIRST], %s_asset_heads, rq->method,\n"
                  "                          field);\n}\n\n", g->set.name, g->set.name);
}
