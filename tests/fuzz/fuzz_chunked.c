/*
 * fuzz_chunked.c - libFuzzer harness: the runtime's chunked decoder, fed
 * the input whole and in pieces (the first byte chooses the piece size).
 * Both feedings must agree on the result, the decoded bytes and the bytes
 * consumed; nothing may be read or written out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr_internal.h"

#define CAP 4096

static int decode(const uint8_t *in, size_t n, size_t piece, char *out, size_t *out_len, size_t *used)
{
    struct tr_chunked c;
    size_t at = 0;
    int r = TR_CHUNK_MORE;

    memset(&c, 0, sizeof c);
    *out_len = 0;
    while (r == TR_CHUNK_MORE && at < n) {
        size_t take = n - at < piece ? n - at : piece, u = 0;
        r = tr_chunked_decode(&c, (const char *)in + at, take, &u, out, out_len, CAP);
        if (u > take || *out_len > CAP)
            abort();
        at += u;
        if (r == TR_CHUNK_MORE && u != take)
            abort();                     /* MORE means everything was consumed */
    }
    *used = at;
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char a[CAP], b[CAP];
    size_t alen, blen, aused, bused;

    if (size < 1)
        return 0;
    size_t piece = (size_t)(data[0] % 16) + 1;
    int ra = decode(data + 1, size - 1, size, a, &alen, &aused);
    int rb = decode(data + 1, size - 1, piece, b, &blen, &bused);
    if (ra != rb)
        abort();
    if (ra == TR_CHUNK_DONE && (alen != blen || aused != bused || memcmp(a, b, alen) != 0))
        abort();
    return 0;
}
