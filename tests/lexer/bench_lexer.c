/*
 * bench_lexer.c - lexes the 550-byte browser GET once, for callgrind
 * (callgrind.sh counts tr_lex_request's instructions, -O2).
 */
#include <stdlib.h>
#include <string.h>

#include "browser_request.h"
#include "tr_app.h"

int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);

int main(void)
{
    static const char req[] = BROWSER_REQUEST;
    char *buf = malloc(sizeof req - 1);
    struct tr_lex lx;
    struct tr_request rq;
    int r;

    if (buf == NULL)
        return 1;
    memcpy(buf, req, sizeof req - 1);
    tr_lex_reset(&lx, &rq);
    r = tr_lex_request(&lx, &rq, buf, sizeof req - 1);
    free(buf);
    return r == TR_LEX_DONE && lx.cursor == sizeof req - 1 ? 0 : 1;
}
