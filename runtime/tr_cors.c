/*
 * tr_cors.c - CORS (the Fetch standard, §3.2): the answers to preflights
 * and the fields of actual answers for routes under a `cors` prefix.
 * Compiled to nothing unless a spec has a `cors` line (TR_WITH_CORS).
 *
 * A preflight carries no credentials, so tr_conn.c answers it before any
 * guard runs.  Origins are compared byte for byte: a browser sends the
 * serialized origin, lower case, and the generator only accepts those.
 * A request the rule does not allow gets no CORS field at all, which is
 * how a browser learns the answer: the runtime refuses nothing here.
 */
#include "tr_internal.h"

#if TR_WITH_CORS

#include <string.h>
#include <strings.h>

/* Does the ", "-separated list hold s[0..n)?  Case-insensitively for
 * field names (RFC 9110 §5.1), exactly for origins. */
static int in_list(const char *list, const char *s, size_t n, int fold)
{
    while (*list) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        if (len == n && (fold ? strncasecmp(list, s, n) : memcmp(list, s, n)) == 0)
            return 1;
        if (!end)
            break;
        list = end + 1 + (end[1] == ' ');
    }
    return 0;
}

/* The bit of a method token, 0 for one the runtime does not know. */
static uint16_t method_bit(tr_str m)
{
    static const char names[][8] = {
#define TR_METHOD_TEXT(name, route) #name,
        TR_METHODS(TR_METHOD_TEXT)
#undef TR_METHOD_TEXT
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == m.len && memcmp(names[i], m.ptr, m.len) == 0)
            return (uint16_t)(1u << i);
    return 0;
}

/* Is every name of Access-Control-Request-Headers allowed?  The list is
 * "#field-name": commas, with optional whitespace around them. */
static int headers_ok(const struct tr_cors *p, tr_str h)
{
    size_t i = 0;

    while (i < h.len) {
        while (i < h.len && (h.ptr[i] == ' ' || h.ptr[i] == '\t' || h.ptr[i] == ','))
            i++;
        size_t start = i;
        while (i < h.len && h.ptr[i] != ',' && h.ptr[i] != ' ' && h.ptr[i] != '\t')
            i++;
        if (i > start && (!p->headers || !in_list(p->headers, h.ptr + start, i - start, 1)))
            return 0;
    }
    return 1;
}

static int origin_ok(const struct tr_cors *p, tr_str origin)
{
    return origin.ptr && (!p->origins || in_list(p->origins, origin.ptr, origin.len, 0));
}

/* Access-Control-Allow-Origin (and what goes with it) for an allowed origin. */
static void allow_origin(const struct tr_cors *p, tr_str origin, tr_res *res)
{
    if (p->origins)
        tr_res_header(res, "Access-Control-Allow-Origin", origin.ptr, origin.len);
    else
        tr_res_header(res, "Access-Control-Allow-Origin", "*", 1);
    if (p->credentials)
        tr_res_header(res, "Access-Control-Allow-Credentials", "true", 4);
}

int tr_cors_preflight(const struct tr_cors *p, tr_str origin, tr_str method, tr_str headers,
                      uint16_t allow, tr_res *res)
{
    uint16_t bit = method.ptr ? method_bit(method) : 0;
    uint16_t methods = p->method_mask ? (uint16_t)(p->method_mask & allow) : allow;

    /* Fetch §4.8: a preflight is OPTIONS with Origin and
     * Access-Control-Request-Method; anything else is a plain OPTIONS. */
    if (!origin_ok(p, origin) || !(bit & methods) || (headers.ptr && !headers_ok(p, headers)))
        return 0;
    allow_origin(p, origin, res);
    if (p->origins)
        tr_res_header(res, "Vary", "Origin", 6);
    if (p->methods)
        tr_res_header(res, "Access-Control-Allow-Methods", p->methods, strlen(p->methods));
    else
        tr_res_header(res, "Access-Control-Allow-Methods", method.ptr, method.len);
    if (p->headers && headers.ptr)
        tr_res_header(res, "Access-Control-Allow-Headers", p->headers, strlen(p->headers));
    if (p->max_age)
        tr_res_header(res, "Access-Control-Max-Age", p->max_age, strlen(p->max_age));
    return 1;
}

void tr_cors_answer(const struct tr_cors *p, tr_str origin, tr_res *res)
{
    /* The answer differs by Origin: a cache must key it so (Fetch §3.2.5). */
    if (p->origins)
        tr_res_header(res, "Vary", "Origin", 6);
    if (origin_ok(p, origin))
        allow_origin(p, origin, res);
}

#endif /* TR_WITH_CORS */
