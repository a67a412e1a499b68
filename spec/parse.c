/*
 * parse.c - drives the lemon parser with the re2c lexer's tokens.  What
 * the grammar's actions call is in model.c and syntax.c, below this file:
 * the parser never calls back into its driver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "grammar.h"
#include "lexer.h"
#include "parse.h"

int spec_parse(struct gen *g)
{
    struct spec_lexer lx;
    struct token t;
    void *parser = spec_parserAlloc(malloc);
    unsigned errors_before = g->diag.errors;
    int kind, prev = TK_NL;

    spec_lexer_init(&lx, &g->diag);
    do {
        kind = spec_lex(&lx, &t);
        if (kind == 0 && prev != TK_NL) {
            /* A last line without a newline: end it like the others. */
            struct token nl = t;
            nl.kind = TK_NL;
            spec_parser(parser, TK_NL, nl, g);
        }
        spec_parser(parser, kind, t, g);
        prev = g->prev_kind = kind;
        g->prev_end = t.s + t.len;
    } while (kind != 0);
    spec_parserFree(parser, free);
    return g->diag.errors == errors_before ? 0 : -1;
}
