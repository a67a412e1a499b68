/* parse.h - glue between the lemon parser and the model (see parse.c). */
#ifndef SPEC_PARSE_H
#define SPEC_PARSE_H

#include "gen.h"

void spec_syntax_error(struct gen *g, const struct token *t, int major);
void g_value(struct gen *g, const struct token *t);
const struct token *g_values(struct gen *g);
int g_nvalues(struct gen *g);
/* A setting line or a route or mount option, to whoever reads it. */
void g_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void g_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);

/* lemon's interface (grammar.c) */
void *spec_parserAlloc(void *(*alloc)(size_t));
void spec_parser(void *parser, int major, struct token minor, struct gen *g);
void spec_parserFree(void *parser, void (*release)(void *));

#endif
