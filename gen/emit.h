/*
 * emit.h - what the emitters share: the model to print and the plan that
 * decided everything about it.  Emitters read both and append text to the
 * outputs; they decide nothing.
 */
#ifndef EMIT_H
#define EMIT_H

#include "gen.h"
#include "plan.h"

struct emit {
    struct gen *g;             /* the model, and the outputs the emitters add */
    const struct plan *p;
    const struct trie *trie;   /* p->trie */
    const char *spec_base;     /* p->spec_base, safe in a comment (ctext.h) */
    const char *banner;        /* the first line of every output */
};

/* emit.c: every output, in memory; 0 or -1 (with a diagnostic). */
int emit_all(struct gen *g, const struct plan *p);

/* One emitter per output file. */
void emit_config(const struct emit *e);     /* emit_config.c: tr_config.h */
int emit_header(const struct emit *e);      /* NAME_routes.h */
int emit_dispatch(const struct emit *e);    /* NAME_routes.c */
/* The match code of NAME_routes.c: a function per trie node (emit_match.c). */
void emit_match_code(const struct emit *e, struct buf *b);
int emit_lexer(const struct emit *e);       /* NAME_lexer.re and NAME_lexer.c */
int emit_main(const struct emit *e);        /* NAME_main.c */
void emit_runtime(const struct emit *e);    /* emit_runtime.c: the runtime's files */
/* NAME_assets.c, for a spec with mounts, and the thunk that serves its
 * rows (emit_assets.c). */
int emit_assets(const struct emit *e);
void emit_asset_thunk(const struct emit *e, uint32_t shape, struct buf *b);
/* emit_guard.c: the guards' part of NAME_routes.c and of NAME_routes.h
 * (nothing when no route runs a guard). */
void emit_guard_calls(const struct emit *e, struct buf *b);
void emit_guard_prototypes(const struct emit *e, struct buf *b);
/* emit_stream.c: the streamed routes' table in NAME_routes.c and their
 * prototypes in NAME_routes.h (nothing without a streamed route). */
void emit_stream_table(const struct emit *e, struct buf *b);
void emit_stream_prototypes(const struct emit *e, struct buf *b);

/* emit_cors.c: the CORS rules of NAME_routes.c (nothing without `cors`). */
void emit_cors_calls(const struct emit *e, struct buf *b);

#endif
