/*
 * emit.h - what the emitters share: the spec's derived facts.
 */
#ifndef EMIT_H
#define EMIT_H

#include "gen.h"
#include "trie.h"

struct features {
    int body, query, integers, strings, rest, options;
};

struct emit {
    struct gen *g;
    struct trie *trie;
    struct features f;
    char **headers;            /* declared headers, sorted, unique (case-insensitive) */
    uint32_t nheaders;
    char banner[256];
    char spec_base[128];       /* the spec's file name without directories */
};

void emit_banner(const struct emit *e, struct buf *b);
/* The index of a declared header in e->headers. */
uint32_t emit_header_index(const struct emit *e, const char *name);
/* A header name as a C identifier: If-None-Match -> if_none_match. */
void emit_header_ident(const char *name, struct buf *b);
/* The C type of a parameter as the handler receives it. */
const char *emit_param_ctype(enum param_type t);

int emit_header(struct emit *e);
int emit_dispatch(struct emit *e);
/* The match code of NAME_routes.c: a function per trie node (emit_match.c). */
void emit_match_code(const struct emit *e, struct buf *b);
int emit_lexer(struct emit *e);
int emit_main(struct emit *e);
/* NAME_assets.c, for a spec with mounts, and the thunk that serves its
 * rows (emit_assets.c). */
int emit_assets(struct emit *e);
void emit_asset_thunk(const struct emit *e, uint32_t shape, struct buf *b);

#endif
