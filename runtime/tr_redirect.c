/*
 * tr_redirect.c - a plain listener that sends every request to the TLS
 * one: 308 Permanent Redirect (RFC 9110 §15.4.9: the method and body are
 * kept) to https://HOST[:PORT]/PATH?QUERY, HOST being the request's Host
 * without its port and PORT the first TLS listener's (left out for 443).
 * Only with TR_WITH_REDIRECT.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_REDIRECT
/* The host part of a Host value: "[v6]" or a name, without ":port". */
static size_t host_len(const tr_str *h)
{
    if (h->len > 0 && h->ptr[0] == '[') {
        const char *end = memchr(h->ptr, ']', h->len);
        return end ? (size_t)(end - h->ptr) + 1 : h->len;
    }
    const char *colon = memchr(h->ptr, ':', h->len);
    return colon ? (size_t)(colon - h->ptr) : h->len;
}

void tr_redirect(const struct tr_request *rq, tr_res *res)
{
    char loc[TR_HEAD_MAX / 2 + 64], num[8];
    size_t n = 0, hl = rq->host.ptr ? host_len(&rq->host) : 0;
    size_t target = rq->path_len + (rq->query.ptr ? rq->query.len + 1 : 0);

    /* RFC 9112 §3.2: a 1.0 request may lack Host; without one there is no
     * https URL to give. */
    if (hl == 0 || 8 + hl + 6 + target > sizeof loc) {
        tr_res_status(res, hl == 0 ? 400 : 414);
        return;
    }
    memcpy(loc, "https://", 8);
    n = 8;
    memcpy(loc + n, rq->host.ptr, hl);
    n += hl;
    if (tr_srv.tls_port != 443) {
        loc[n++] = ':';
        size_t d = tr_fmt_u64(num, tr_srv.tls_port);
        memcpy(loc + n, num, d);
        n += d;
    }
    /* The raw target: path, then '?' and the query, as the client sent them. */
    memcpy(loc + n, rq->path, rq->path_len);
    n += rq->path_len;
    if (rq->query.ptr) {
        loc[n++] = '?';
        memcpy(loc + n, rq->query.ptr, rq->query.len);
        n += rq->query.len;
    }
    tr_res_status(res, 308);
    tr_res_header(res, "Location", loc, n);
}
#endif
