/*
 * fuzz_fields.c - libFuzzer harness: the generated request lexer of
 * tests/fuzz/fields.routes, which declares request fields, so that
 * repeated ones are joined in place (tr_lex_combine in
 * templates/request.re.in).  The first byte of the input seeds the piece
 * sizes, as in fuzz_request.c.  Invariants checked: a split never changes
 * the answer, the head's length or any view; views lie in the buffer and
 * hold no CR or LF; and the buffer the lexer left, lexed again from its
 * start (as tr_conn.c does with a pipelined head it moves), gives the same
 * answer and the same views.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr_app.h"
#include "pieces.h"

int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);

static void check_view(const char *p, size_t len, const char *buf, size_t n)
{
    if (!p || !len)
        return;
    if (p < buf || p + len > buf + n || memchr(p, '\r', len) || memchr(p, '\n', len))
        abort();
}

/* Views of x into bx and of y into by are at the same offsets. */
static void same_view(const tr_str *x, const char *bx, const tr_str *y, const char *by)
{
    if ((x->ptr == NULL) != (y->ptr == NULL) || x->len != y->len)
        abort();
    if (x->len && x->ptr - bx != y->ptr - by)
        abort();                         /* where an empty value lies does not matter */
}

static void same_request(const struct tr_request *x, const char *bx,
                         const struct tr_request *y, const char *by)
{
    if (x->method != y->method || x->path_len != y->path_len || x->flags != y->flags ||
        y->field_count > x->field_count)
        abort();                         /* a joined line is a field less */
    same_view(&x->host, bx, &y->host, by);
    for (int i = 0; i < TR_DECLARED_HEADERS; i++)
        same_view(&x->header[i], bx, &y->header[i], by);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char a[TR_HEAD_MAX + 64], b[TR_HEAD_MAX + 64], c[TR_HEAD_MAX + 64];
    struct tr_lex lx1, lx2, lx3;
    struct tr_request rq1, rq2, rq3;

    if (size < 1)
        return 0;
    uint32_t seed = 0x9e3779b9u ^ data[0];  /* never 0 */
    size_t n = size - 1 < TR_HEAD_MAX ? size - 1 : TR_HEAD_MAX;
    memcpy(a, data + 1, n);
    memcpy(b, data + 1, n);

    int whole = lex_in_pieces(tr_lex_request, a, n, 0, &lx1, &rq1);
    int split = lex_in_pieces(tr_lex_request, b, n, seed, &lx2, &rq2);
    if (whole != split)
        abort();
    if (whole != TR_LEX_DONE)
        return 0;
    if (lx1.cursor > n || lx1.cursor != lx2.cursor || memcmp(a, b, n) != 0)
        abort();
    same_request(&rq1, a, &rq2, b);
    check_view(rq1.host.ptr, rq1.host.len, a, n);
    for (int i = 0; i < TR_DECLARED_HEADERS; i++)
        check_view(rq1.header[i].ptr, rq1.header[i].len, a, n);

    memcpy(c, a, n);
    if (lex_in_pieces(tr_lex_request, c, n, 0, &lx3, &rq3) != TR_LEX_DONE || lx3.cursor != lx1.cursor ||
        memcmp(a, c, n) != 0)
        abort();
    same_request(&rq1, a, &rq3, c);
    return 0;
}
