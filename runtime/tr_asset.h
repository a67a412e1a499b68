/*
 * tr_asset.h - embedded files as the generator lays them out in
 * NAME_assets.c (const, so in flash), and the call that serves one.
 */
#ifndef TR_ASSET_H
#define TR_ASSET_H

#include "tr_app.h"

/*
 * The header lines of a variant but its ETag, "Name: value\r\n" each,
 * built and checked by the generator: one per set of fields, shared by
 * every file that sends the same ones.
 */
struct tr_asset_head {
    const char *lines;
    uint16_t len;
    uint16_t len_304;            /* the first bytes, which a 304 repeats:
                                    Cache-Control, Vary (RFC 9110 §15.4.5) */
};

/* A file: 32 bytes on a 32-bit target besides its bytes. */
struct tr_asset {
    const unsigned char *body;   /* the identity bytes, then the gzip ones */
    uint32_t len;                /* identity bytes */
    uint32_t gz_len;             /* gzip bytes; 0: no gzip variant.  len 0 with
                                    gz_len > 0: stored as gzip alone */
    uint8_t etag[2][8];          /* each variant's strong ETag, 16 hex digits
                                    when sent: a hash of its bytes */
    uint16_t head[2];            /* each variant's row in the heads table */
};

/* The request fields tr_asset_serve reads, in this order. */
enum {
    TR_ASSET_ACCEPT_ENCODING,
    TR_ASSET_IF_NONE_MATCH,
    TR_ASSET_RANGE,
    TR_ASSET_IF_RANGE,
    TR_ASSET_FIELDS
};

/*
 * Answers a GET or HEAD of a: the gzip variant when Accept-Encoding takes
 * it, 304 when If-None-Match lists its ETag, 206 or 416 for a Range of
 * the identity variant (If-Range permitting), else 200 with the whole
 * file, sent from where it lies.  heads is the spec's table of heads;
 * field[] holds the request's fields (ptr NULL when absent).  Returns 0.
 */
int tr_asset_serve(tr_res *res, const struct tr_asset *a, const struct tr_asset_head *heads,
                   unsigned method, const tr_str *field);

#endif
