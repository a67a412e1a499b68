/*
 * tr_asset.c - serving an embedded file (NAME_assets.c): content coding
 * by Accept-Encoding, conditional GET by If-None-Match, byte ranges.
 * The generator did the rest: bytes, gzip, ETags and heads are const.
 * Compiled to nothing unless the spec mounts a directory.
 *
 * If-Modified-Since is ignored: a device often has no clock, and an ETag
 * from the content says more than a date (RFC 9110 §13.1.3 lets a server
 * with If-None-Match ignore it anyway).
 */
#include "tr_internal.h"

#if TR_WITH_ASSETS

#include <string.h>

#include "tr_asset.h"
#include "tr_range.h"

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Is the qvalue at p "0", "0." or "0.0", "0.00", "0.000" (RFC 9110 §12.4.2)? */
static int q_zero(const char *p, const char *end)
{
    if (p >= end || *p++ != '0')
        return 0;
    if (p < end && *p == '.')
        for (p++; p < end && *p == '0'; p++)
            ;
    return p == end || *p == ',' || *p == ';' || is_ows(*p);
}

/*
 * The next element of a comma-separated list (RFC 9110 §5.6.1) at or
 * after *p, blanks trimmed, as [start, *e); *p moves past it.  NULL when
 * none is left.  A quoted string holding a comma is cut there: harmless,
 * since no piece of one can equal a whole tag or coding matched here.
 */
static const char *element(const char **p, const char *end, const char **e)
{
    const char *s = *p, *t;
    while (s < end && (is_ows(*s) || *s == ','))
        s++;
    for (t = s; t < end && *t != ','; t++)
        ;
    *p = t;
    while (t > s && is_ows(t[-1]))
        t--;
    *e = t;
    return s < t ? s : NULL;
}

/*
 * Does Accept-Encoding take gzip (RFC 9110 §12.5.3)?  "gzip" or "x-gzip"
 * with a q above 0, or "*" above 0 when gzip is not named.  No field: no.
 */
static int takes_gzip(tr_str v)
{
    const char *p = v.ptr, *end = p + v.len, *s, *e;
    int gzip = -1, star = -1;

    while (p && (s = element(&p, end, &e)) != NULL) {
        const char *n = s;
        int q = 1;
        while (n < e && *n != ';' && !is_ows(*n))
            n++;
        for (const char *c = n; c < e; c++) {
            if (*c != ';')
                continue;
            while (c + 1 < e && is_ows(c[1]))
                c++;
            if (e - c > 2 && (c[1] | 0x20) == 'q' && c[2] == '=')
                q = !q_zero(c + 3, e);
        }
        if (range_word(s, (size_t)(n - s), "gzip") || range_word(s, (size_t)(n - s), "x-gzip"))
            gzip = q;
        else if (n - s == 1 && *s == '*')
            star = q;
    }
    return gzip >= 0 ? gzip : star > 0;
}

/* "ETag: \"<16 hex digits>\"\r\n" */
#define ETAG_LINE 26
#define ETAG_AT 6                /* the quoted tag in it */
#define ETAG_LEN 18

static void etag_line(char *p, const uint8_t *tag)
{
    static const char hex[] = "0123456789abcdef";
    memcpy(p, "ETag: \"", 7);
    for (int i = 0; i < 8; i++) {
        p[7 + 2 * i] = hex[tag[i] >> 4];
        p[8 + 2 * i] = hex[tag[i] & 15];
    }
    memcpy(p + 23, "\"\r\n", 3);
}

/* Does If-None-Match list etag, or say "*"?  Weak comparison (RFC 9110
 * §13.1.2): a W/ in front of a tag does not matter. */
static int none_match_lists(tr_str v, const char *etag)
{
    const char *p = v.ptr, *end = p + v.len, *s, *e;

    while ((s = element(&p, end, &e)) != NULL) {
        if (*s == '*')
            return 1;
        if (e - s > 2 && s[0] == 'W' && s[1] == '/')
            s += 2;
        if (e - s == ETAG_LEN && memcmp(s, etag, ETAG_LEN) == 0)
            return 1;
    }
    return 0;
}

/* Reads up to 18 digits (no overflow) into *n; returns how many. */
int tr_asset_serve(tr_res *res, const struct tr_asset *a, const struct tr_asset_head *heads,
                   unsigned method, const tr_str *field)
{
    int gz = a->gz_len && takes_gzip(field[TR_ASSET_ACCEPT_ENCODING]);
    const struct tr_asset_head *h = &heads[a->head[gz]];
    const unsigned char *body = a->body + (gz ? a->len : 0);
    uint32_t len = gz ? a->gz_len : a->len;
    tr_str if_range = field[TR_ASSET_IF_RANGE];
    tr_rlen from = 0, to = 0;
    int range = 0;
    char etag[ETAG_LINE];

    /* A file stored as gzip alone (store=gzip): 406 to a client that does
     * not take it, with Vary, since another Accept-Encoding would do. */
    if (!gz && !a->len && a->gz_len) {
        tr_res_status(res, 406);
        tr_res_fields(res, "Vary: Accept-Encoding\r\n", 23);
        return 0;
    }
    etag_line(etag, a->etag[gz]);
    /* RFC 9110 §13.2.2: If-None-Match first; a 304 repeats what a cache
     * needs and sends no content. */
    if (field[TR_ASSET_IF_NONE_MATCH].ptr && none_match_lists(field[TR_ASSET_IF_NONE_MATCH], etag + ETAG_AT)) {
        tr_res_status(res, 304);
        tr_res_fields(res, etag, ETAG_LINE);
        tr_res_fields(res, h->lines, h->len_304);
        return 0;
    }
    /* §14.2: ranges of GET only, here of the identity bytes only; §13.1.5:
     * If-Range with a strong comparison, and a date never matches. */
    if (method == TR_GET && !gz && field[TR_ASSET_RANGE].ptr &&
        (!if_range.ptr || (if_range.len == ETAG_LEN && memcmp(if_range.ptr, etag + ETAG_AT, ETAG_LEN) == 0)))
        range = range_one(field[TR_ASSET_RANGE], len, &from, &to);
    if (range < 0) {
        tr_res_status(res, 416);
        range_field(res, 0, 0, 0, len);
        return 0;
    }
    tr_res_fields(res, etag, ETAG_LINE);
    tr_res_fields(res, h->lines, h->len);
    if (range > 0) {
        tr_res_status(res, 206);
        range_field(res, 1, from, to, len);
        body += from;
        len = to - from + 1;
    }
    tr_res_body_static(res, body, len);
    return 0;
}

#else
typedef int tr_asset_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_ASSETS */
