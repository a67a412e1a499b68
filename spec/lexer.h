/* lexer.h - the route-spec lexer's state (see lexer.re). */
#ifndef SPEC_LEXER_H
#define SPEC_LEXER_H

#include "gen.h"

struct spec_lexer {
    struct diag *diag;
    const unsigned char *cur, *mar, *tok, *end;
    const unsigned char *line_start;
    uint32_t line;
    int cond;
};

void spec_lexer_init(struct spec_lexer *lx, struct diag *d);

/* Returns the next token's kind (0 at the end) and fills t. */
int spec_lex(struct spec_lexer *lx, struct token *t);

#endif
