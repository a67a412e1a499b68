/*
 * asset_gzip.c - gzip (RFC 1952) of an embedded file at generation time:
 * zlib's deflate at level 9 with the largest window and memory level, in
 * a header written here so that it holds no time, no name and no OS of
 * the build host: the same file gives the same bytes on every machine.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "assets.h"

static void put32le(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

size_t asset_gzip(const unsigned char *data, size_t len, unsigned char **out)
{
    /* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=2 (maximum compression) OS=255 (unknown) */
    static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255 };
    z_stream z;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = sizeof head + deflateBound(&z, (uLong)len) + 8;
    unsigned char *p = xcalloc(cap, 1);
    memcpy(p, head, sizeof head);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = p + sizeof head;
    z.avail_out = (uInt)(cap - sizeof head - 8);
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t n = sizeof head + z.total_out;
    deflateEnd(&z);
    put32le(p + n, (uint32_t)crc32(crc32(0, Z_NULL, 0), data, (uInt)len));
    put32le(p + n + 4, (uint32_t)len);  /* ISIZE: the length mod 2^32 */
    *out = p;
    return n + 8;
}
