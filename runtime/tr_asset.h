/*
 * tr_asset.h - embedded files as the generator lays them out in
 * NAME_assets.c (const, so in flash), and the call that serves one.
 */
#ifndef TR_ASSET_H
#define TR_ASSET_H

#include "tr_app.h"

/* One stored form of a file. */
struct tr_asset_variant {
    const unsigned char *body;   /* the bytes sent; NULL: no such variant */
    uint32_t len;
    const char *head;            /* its header lines, "Name: value\r\n" each,
                                    checked by the generator; it starts with
                                    the ETag field */
    uint16_t head_len;
    uint16_t head_304;           /* the head's first bytes that a 304 repeats:
                                    ETag, Cache-Control, Vary */
};

/* A file: identity and gzip (RFC 9110 §8.4.1). */
struct tr_asset {
    struct tr_asset_variant v[2];
};

/* Where a head's entity-tag lies: after "ETag: ", 16 hex digits quoted. */
#define TR_ASSET_ETAG_AT 6
#define TR_ASSET_ETAG_LEN 18

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
 * file, sent from where it lies.  field[] holds the request's fields (ptr
 * NULL when absent).  Returns 0.
 */
int tr_asset_serve(tr_res *res, const struct tr_asset *a, unsigned method, const tr_str *field);

#endif
