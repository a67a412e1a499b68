/*
 * plan_assets.c - the plan of NAME_assets.c (emit_assets.c): the response
 * heads of the embedded files' variants, each distinct head once, and the
 * two each file route sends.  The ETag is per file and not part of them.
 */
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "plan.h"

static void add_field(struct asset_head *h, const char *name, const char *value)
{
    h->name[h->nfields] = name;
    h->value[h->nfields++] = value;
    h->len += (uint32_t)(strlen(name) + 2 + strlen(value) + 2);
}

static int same_head(const struct asset_head *a, const struct asset_head *b)
{
    if (a->nfields != b->nfields || a->len_304 != b->len_304)
        return 0;
    for (uint32_t i = 0; i < a->nfields; i++)
        if (strcmp(a->name[i], b->name[i]) || strcmp(a->value[i], b->value[i]))
            return 0;
    return 1;
}

/* The head of f's identity (gz 0) or gzip variant: its index in ap. */
static uint32_t head_of(struct asset_plan *ap, const struct asset_file *f, int gz)
{
    struct asset_head h = { 0 };

    add_field(&h, "Cache-Control", f->cache);
    if (f->v[1].len)
        add_field(&h, "Vary", "Accept-Encoding");
    h.len_304 = h.len;
    add_field(&h, "Content-Type", f->type);
    if (gz)
        add_field(&h, "Content-Encoding", "gzip");
    else
        add_field(&h, "Accept-Ranges", "bytes");  /* RFC 9110 §14.3 */
    for (uint32_t i = 0; i < ap->nheads; i++)
        if (same_head(&ap->heads[i], &h))
            return i;
    *VEC_PUSH(ap->heads, ap->nheads) = h;
    return ap->nheads - 1;
}

void plan_assets(const struct gen *g, struct plan *p)
{
    const struct assets *a = g->assets;
    struct asset_plan *ap = &p->assets;

    if (!a || !a->nfiles)
        return;
    ap->route_heads = xrealloc(NULL, (g->nroutes - a->first_route + 1) * sizeof *ap->route_heads);
    for (uint32_t i = a->first_route; i < g->nroutes; i++) {
        const struct asset_file *f = &a->files[g->routes[i].asset];
        uint32_t *rh = ap->route_heads[i - a->first_route];

        rh[0] = f->gzip_only ? 0 : head_of(ap, f, 0);
        rh[1] = f->v[1].len ? head_of(ap, f, 1) : 0;
    }
}

void plan_assets_free(struct plan *p)
{
    free(p->assets.heads);
    free(p->assets.route_heads);
}
