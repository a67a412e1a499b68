/*
 * fuzz_request.c - libFuzzer harness: the generated request lexer and
 * dispatcher of examples/reference, fed arbitrary bytes in arbitrary
 * pieces.  The first byte of the input seeds the piece sizes (each 1 to
 * 48, drawn one by one, so one input is cut at irregular points), and the
 * fuzzer explores splits as well as contents.  Invariants checked:
 * the lexer answers MORE, DONE or an HTTP status; after DONE the head
 * length is within what was given; views point into the buffer; a split
 * never changes the result; dispatch of the path is a route or a known
 * refusal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr_app.h"
#include "pieces.h"

extern const struct tr_app reference_app;

/* Handlers are linked but never called here. */
void reference_root(tr_res *res) { (void)res; }
void reference_hello(tr_res *res, tr_str name) { (void)res; (void)name; }
void reference_add(tr_res *res, int64_t a, int64_t b) { (void)res; (void)a; (void)b; }
void reference_echo(tr_res *res, tr_str body) { (void)res; (void)body; }
void reference_files(tr_res *res, tr_str path) { (void)res; (void)path; }

static void check_view(const char *p, size_t len, const char *buf, size_t n)
{
    if (p && len && (p < buf || p + len > buf + n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char a[TR_HEAD_MAX + 64], b[TR_HEAD_MAX + 64];
    struct tr_lex lx1, lx2;
    struct tr_request rq1, rq2;
    struct tr_match m;

    if (size < 1)
        return 0;
    uint32_t seed = 0x9e3779b9u ^ data[0];  /* never 0 */
    size_t n = size - 1 < TR_HEAD_MAX ? size - 1 : TR_HEAD_MAX;
    memcpy(a, data + 1, n);
    memcpy(b, data + 1, n);

    int whole = lex_in_pieces(reference_app.lex, a, n, 0, &lx1, &rq1);
    int split = lex_in_pieces(reference_app.lex, b, n, seed, &lx2, &rq2);
    if (whole != split)
        abort();                         /* a split must not change the answer */
    if (whole != TR_LEX_MORE && whole != TR_LEX_DONE && (whole < 400 || whole > 599))
        abort();
    if (whole != TR_LEX_DONE)
        return 0;
    if (lx1.cursor > n || lx1.cursor != lx2.cursor || rq1.method != rq2.method ||
        rq1.path_len != rq2.path_len || rq1.flags != rq2.flags)
        abort();
    /* The path may also be a static "/" for an absolute-form target. */
    if (rq1.path_len && !(rq1.path_len == 1 && rq1.path[0] == '/'))
        check_view(rq1.path, rq1.path_len, a, n);
    check_view(rq1.query.ptr, rq1.query.len, a, n);
    check_view(rq1.host.ptr, rq1.host.len, a, n);
    if (rq1.path_len && rq1.path[0] == '/' && rq1.method < TR_METHOD_COUNT) {
        char path[TR_HEAD_MAX];
        memcpy(path, rq1.path, rq1.path_len);
        rq1.path = path;
        int r = reference_app.dispatch(&rq1, &m);
        if (r < TR_AUTO_OPTIONS || r > 4)
            abort();
    }
    return 0;
}
