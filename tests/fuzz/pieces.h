/*
 * pieces.h - for the request-lexer harnesses (fuzz_request.c,
 * fuzz_fields.c): a head given to a lexer in pieces whose sizes a seed
 * draws, so that one input is cut at irregular points.
 */
#ifndef FUZZ_PIECES_H
#define FUZZ_PIECES_H

#include <stddef.h>
#include <stdint.h>

#include "tr_app.h"

typedef int lex_fn(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);

/* The next piece size, 1 to 48, from a xorshift state (seed 0: whole). */
static size_t next_piece(uint32_t *state, size_t n)
{
    if (*state == 0)
        return n ? n : 1;
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return (size_t)(*state % 48) + 1;
}

/* Lexes buf[0..n) with lex, given in pieces drawn from seed. */
static int lex_in_pieces(lex_fn *lex, char *buf, size_t n, uint32_t seed, struct tr_lex *lx,
                         struct tr_request *rq)
{
    int r = TR_LEX_MORE;
    size_t len = 0;

    tr_lex_reset(lx, rq);
    while (r == TR_LEX_MORE) {
        len += next_piece(&seed, n);
        if (len > n)
            len = n;
        r = lex(lx, rq, buf, (uint32_t)len);
        if (len == n)
            break;
    }
    return r;
}

#endif
