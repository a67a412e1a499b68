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

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Is name[0..n) the lowercase word w, in any case (coding names are
 * case-insensitive: RFC 9110 §8.4.1)? */
static int is_word(const char *name, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if ((name[i] | 0x20) != w[i])
            return 0;
    return i == n && !w[i];
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
 * Does Accept-Encoding take gzip (RFC 9110 §12.5.3)?  "gzip" or "x-gzip"
 * with a q above 0, or "*" above 0 when gzip is not named.  No field: no.
 */
static int takes_gzip(tr_str v)
{
    const char *p = v.ptr, *end = p + v.len;
    int gzip = -1, star = -1;

    while (p && p < end) {
        while (p < end && (is_ows(*p) || *p == ','))
            p++;
        const char *name = p;
        while (p < end && *p != ';' && *p != ',' && !is_ows(*p))
            p++;
        size_t n = (size_t)(p - name);
        int q = 1;
        while (p < end && *p != ',') {
            if (*p++ != ';')
                continue;
            while (p < end && is_ows(*p))
                p++;
            if (end - p >= 2 && (p[0] | 0x20) == 'q' && p[1] == '=')
                q = !q_zero(p + 2, end);
        }
        if (is_word(name, n, "gzip") || is_word(name, n, "x-gzip"))
            gzip = q;
        else if (n == 1 && name[0] == '*')
            star = q;
    }
    return gzip >= 0 ? gzip : star > 0;
}

/* Does If-None-Match list etag, or say "*"?  Weak comparison (RFC 9110
 * §13.1.2): a W/ in front of a tag does not matter. */
static int none_match_lists(tr_str v, const char *etag)
{
    const char *p = v.ptr, *end = p + v.len;

    while (p < end) {
        while (p < end && (is_ows(*p) || *p == ','))
            p++;
        if (p < end && *p == '*')
            return 1;
        if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *tag = p;
        if (p < end && *p == '"')
            for (p++; p < end && *p != '"'; p++)
                ;
        if (p < end)
            p++;                /* the closing quote */
        if (p - tag == TR_ASSET_ETAG_LEN && memcmp(tag, etag, TR_ASSET_ETAG_LEN) == 0)
            return 1;
        while (p < end && *p != ',')
            p++;
    }
    return 0;
}

/* Reads digits (at most 18: no overflow); -1 when there are none. */
static int64_t digits(const char **pp, const char *end)
{
    const char *p = *pp;
    int64_t n = 0;
    while (p < end && *p >= '0' && *p <= '9' && p - *pp < 18)
        n = n * 10 + (*p++ - '0');
    if (p == *pp || (p < end && *p >= '0' && *p <= '9'))
        return -1;
    *pp = p;
    return n;
}

/*
 * A Range of len bytes (RFC 9110 §14.1.2): 1 and [*from, *to] for one
 * satisfiable range, -1 when it is unsatisfiable, 0 to send the whole
 * file (another unit, bad syntax, or several ranges: §14.2 lets a
 * server ignore those).
 */
static int one_range(tr_str v, uint32_t len, uint32_t *from, uint32_t *to)
{
    const char *p = v.ptr, *end = p + v.len;
    if (v.len < 7 || !is_word(p, 5, "bytes") || p[5] != '=')
        return 0;
    p += 6;
    int64_t first = p < end && *p == '-' ? -2 : digits(&p, end), last = -2;
    if (first == -1 || p >= end || *p++ != '-')
        return 0;
    if (p < end && *p >= '0' && *p <= '9')
        last = digits(&p, end);
    if (last == -1 || p != end || (first == -2 && last == -2) || (first >= 0 && last >= 0 && last < first))
        return 0;
    if (first == -2) {          /* "-N": the last N bytes */
        if (last == 0 || len == 0)
            return -1;
        *from = last >= len ? 0 : len - (uint32_t)last;
        *to = len - 1;
        return 1;
    }
    if (first >= len)
        return -1;
    *from = (uint32_t)first;
    *to = last < 0 || last >= len ? len - 1 : (uint32_t)last;
    return 1;
}

/* Adds "Content-Range: bytes FROM-TO/LEN", or "bytes * /LEN" for a 416. */
static void content_range(tr_res *res, int ok, uint32_t from, uint32_t to, uint32_t len)
{
    char v[48] = "bytes ";
    size_t n = 6;
    if (ok) {
        n += tr_fmt_u64(v + n, from);
        v[n++] = '-';
        n += tr_fmt_u64(v + n, to);
    } else {
        v[n++] = '*';
    }
    v[n++] = '/';
    n += tr_fmt_u64(v + n, len);
    tr_res_header(res, "Content-Range", v, n);
}

int tr_asset_serve(tr_res *res, const struct tr_asset *a, unsigned method, const tr_str *field)
{
    const struct tr_asset_variant *v = &a->v[a->v[1].body && takes_gzip(field[TR_ASSET_ACCEPT_ENCODING])];
    const char *etag = v->head + TR_ASSET_ETAG_AT;
    tr_str if_range = field[TR_ASSET_IF_RANGE];
    uint32_t from = 0, to = 0;
    int range = 0;

    /* RFC 9110 §13.2.2: If-None-Match first; a 304 repeats what a cache
     * needs and sends no content. */
    if (field[TR_ASSET_IF_NONE_MATCH].ptr && none_match_lists(field[TR_ASSET_IF_NONE_MATCH], etag)) {
        tr_res_status(res, 304);
        tr_res_fields(res, v->head, v->head_304);
        return 0;
    }
    /* §14.2: ranges of GET only, here of the identity bytes only; §13.1.5:
     * If-Range with a strong comparison, and a date never matches. */
    if (method == TR_GET && v == &a->v[0] && field[TR_ASSET_RANGE].ptr &&
        (!if_range.ptr || (if_range.len == TR_ASSET_ETAG_LEN && memcmp(if_range.ptr, etag, TR_ASSET_ETAG_LEN) == 0)))
        range = one_range(field[TR_ASSET_RANGE], v->len, &from, &to);
    if (range < 0) {
        tr_res_status(res, 416);
        content_range(res, 0, 0, 0, v->len);
        return 0;
    }
    tr_res_fields(res, v->head, v->head_len);
    if (range > 0) {
        tr_res_status(res, 206);
        content_range(res, 1, from, to, v->len);
        tr_res_body_static(res, v->body + from, (size_t)(to - from) + 1);
        return 0;
    }
    tr_res_body_static(res, v->body, v->len);
    return 0;
}

#else
typedef int tr_asset_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_ASSETS */
