/*
 * emit_guard.c - the guards of NAME_routes.c (each route's list, in the
 * order they run, and NAME_guard, which the runtime calls after dispatch
 * and before the query, 100-continue and the body) and the prototypes of
 * the user's guards in NAME_routes.h.  Nothing at all for a spec whose
 * routes run no guard, so its output stays what it was.
 */
#include <stdlib.h>
#include <string.h>

#include "ctext.h"
#include "emit.h"
#include "names.h"

/* Is guard i run by some route? */
static int guard_used(const struct gen *g, uint32_t i)
{
    for (uint32_t r = 0; r < g->nroutes; r++)
        for (uint32_t j = 0; j < g->routes[r].nguards; j++)
            if (g->routes[r].guards[j] == i)
                return 1;
    return 0;
}

static void guard_params(const struct guard *gd, struct buf *b)
{
    buf_puts(b, "tr_res *res");
    for (uint32_t j = 0; j < gd->nheaders; j++) {
        struct buf id = { 0 };
        header_ident(gd->headers[j], &id);
        buf_printf(b, ", tr_str %s", id.data);
        buf_free(&id);
    }
    if (gd->has_data)
        buf_printf(b, ", %s *%s", param_ctype(gd->data_type), gd->name);
}

void emit_guard_prototypes(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;

    for (uint32_t i = 0; i < g->nguards; i++) {
        const struct guard *gd = &g->guards[i];
        if (gd->kind == GUARD_BASIC && gd->check && guard_used(g, i)) {
            buf_printf(b, "/*\n * Basic guard %s's check (%s:%u): the user-id and password of\n"
                          " * `Authorization: Basic`, decoded (views into the request).  Returns 0 to\n"
                          " * pass; anything else answers 401 with WWW-Authenticate.  Compare in\n"
                          " * constant time (tr_crypt_sha512 of `crypt on` keeps a hash).\n */\n"
                          "int %s_%s(tr_res *res, tr_str user, tr_str password);\n\n",
                       gd->name, e->spec_base, gd->check_loc.line, g->set.name, gd->check);
            continue;
        }
        if (gd->kind != GUARD_USER || !guard_used(g, i))
            continue;
        buf_printf(b, "/*\n * Guard %s (%s:%u): runs after dispatch, before the query is decoded,\n"
                      " * before 100-continue and before any body byte.  Returns 0 to pass%s, or\n"
                      " * the status to answer with (401 with WWW-Authenticate, 403, 429 with\n"
                      " * Retry-After, a 3xx with Location: headers added to res go with it).\n */\n"
                      "int %s_%s(",
                   gd->name, e->spec_base, gd->loc.line,
                   gd->has_data ? " (and sets the data the handler gets)" : "", g->set.name, gd->name);
        guard_params(gd, b);
        buf_puts(b, ");\n\n");
    }
}

/* One case of run_guard: the call of guard i. */
static void guard_case(const struct emit *e, uint32_t i, struct buf *b)
{
    const struct gen *g = e->g;
    const struct guard *gd = &g->guards[i];

    buf_printf(b, "    case %u: /* %s */\n        %s", i, gd->name,
               gd->kind == GUARD_BASIC && e->p->f.throttle ? "st = " : "return ");
    if (gd->kind == GUARD_THROTTLE) {
        buf_puts(b, "tr_throttle_guard(res, rq->client");
    } else if (gd->kind == GUARD_BASIC) {
        struct buf ch = { 0 };
        /* RFC 7617 §2, §2.1: the challenge, built here once. */
        buf_printf(&ch, "Basic realm=\"%s\", charset=\"UTF-8\"", gd->realm);
        buf_printf(b, "%s(res, rq->header[%u], ", gd->check ? "tr_basic_check_guard" : "tr_basic_guard",
                   e->p->guard_header_index[i][0]);
        c_string(b, ch.data, ch.len);
        if (gd->check)
            buf_printf(b, ", %s_%s", g->set.name, gd->check);
        buf_free(&ch);
    } else if (gd->kind == GUARD_SESSION) {
        buf_puts(b, gd->token_header ? "tr_session_guard_token(res, rq->method, rq->host"
                                     : "tr_session_guard(res, rq->method, rq->host");
        for (uint32_t j = 0; j < gd->nheaders; j++)
            buf_printf(b, ", rq->header[%u]", e->p->guard_header_index[i][j]);
    } else {
        buf_printf(b, "%s_%s(res", g->set.name, gd->name);
        for (uint32_t j = 0; j < gd->nheaders; j++)
            buf_printf(b, ", rq->header[%u]", e->p->guard_header_index[i][j]);
    }
    if (gd->has_data)
        buf_printf(b, ", &m->guard[%u].%s", gd->slot, param_field(gd->data_type));
    else if (gd->kind != GUARD_USER)
        buf_puts(b, ", NULL");
    buf_puts(b, ");\n");
    /* With a throttle in the spec, a failed Basic login counts as one. */
    if (gd->kind == GUARD_BASIC && e->p->f.throttle)
        buf_puts(b, "        if (st)\n            tr_throttle_failed(rq->client);\n"
                    "        else\n            tr_throttle_passed(rq->client);\n        return st;\n");
}

/* Each route's list, as a number sequence ended by GUARD_END; equal lists
 * are one.  Returns the offsets by route. */
static uint32_t *guard_sequences(const struct gen *g, struct buf *seq, uint32_t *len)
{
    uint32_t *at = xcalloc(g->nroutes ? g->nroutes : 1, sizeof *at);
    struct buf *keys = xcalloc(g->nroutes + 1, sizeof *keys);
    uint32_t *offs = xcalloc(g->nroutes + 1, sizeof *offs), nkeys = 0;

    *len = 0;
    for (uint32_t r = 0; r <= g->nroutes; r++) {
        struct buf k = { 0 }, names = { 0 };
        const struct route *rt = r ? &g->routes[r - 1] : NULL;   /* 0: the empty list */
        buf_put(&k, "", 0);
        for (uint32_t j = 0; rt && j < rt->nguards; j++) {
            buf_printf(&k, "%u, ", rt->guards[j]);
            buf_printf(&names, "%s%s", j ? ", " : "", g->guards[rt->guards[j]].name);
        }
        uint32_t f = 0;
        while (f < nkeys && strcmp(keys[f].data, k.data) != 0)
            f++;
        if (f == nkeys) {
            offs[nkeys] = *len;
            keys[nkeys++] = k;
            buf_printf(seq, "    %sGUARD_END, /* %u: %s */\n", k.data, *len, rt ? names.data : "none");
            *len += (rt ? rt->nguards : 0) + 1;
        } else {
            buf_free(&k);
        }
        if (rt)
            at[r - 1] = offs[f];
        buf_free(&names);
    }
    for (uint32_t i = 0; i < nkeys; i++)
        buf_free(&keys[i]);
    free(keys);
    free(offs);
    return at;
}

void emit_guard_calls(const struct emit *e, struct buf *b)
{
    const struct gen *g = e->g;
    struct buf seq = { 0 };
    uint32_t len;

    if (!e->p->f.guard)
        return;
    uint32_t *at = guard_sequences(g, &seq, &len);
    buf_puts(b, "\n/**** Begin guards ****/\n"
                "#define GUARD_END 0xffu\n\n"
                "/* Guard numbers, each route's from its offset to GUARD_END, in the order they run. */\n"
                "static const uint8_t guard_seq[] = {\n");
    buf_puts(b, seq.data);
    buf_printf(b, "};\n\nstatic const %s route_guards[%u] = {\n", len <= 0xffff ? "uint16_t" : "uint32_t",
               g->nroutes);
    for (uint32_t i = 0; i < g->nroutes; i++) {
        buf_printf(b, "    %u, /* %u: ", at[i], i);
        c_comment_str(b, g->routes[i].pattern);
        buf_puts(b, " */\n");
    }
    buf_puts(b, "};\n\nstatic int run_guard(unsigned guard, struct tr_request *rq, struct tr_match *m, "
                "tr_res *res)\n{\n    (void)rq;\n    (void)m;\n");
    if (e->p->f.throttle && (e->p->f.basic || e->p->f.basic_check))
        buf_puts(b, "    int st;\n\n");
    buf_puts(b, "    switch (guard) {\n");
    for (uint32_t i = 0; i < g->nguards; i++)
        if (guard_used(g, i))
            guard_case(e, i, b);
    buf_printf(b, "    }\n    return 500;\n}\n\n"
                  "/* 0 when every guard of the route passes, else the first refusal's status. */\n"
                  "static int %s_guard(int route, struct tr_request *rq, struct tr_match *m, tr_res *res)\n"
                  "{\n"
                  "    for (const uint8_t *g = guard_seq + route_guards[route]; *g != GUARD_END; g++) {\n"
                  "        int st = run_guard(*g, rq, m, res);\n"
                  "        if (st)\n            return st;\n    }\n    return 0;\n}\n"
                  "/**** End guards ****/\n",
               g->set.name);
    buf_free(&seq);
    free(at);
}
