/*
 * tr_cookie.c - cookies (RFC 6265): the value of a named cookie in a
 * request's Cookie field, and Set-Cookie with safe defaults.  Compiled to
 * nothing unless the spec uses sessions (TR_WITH_COOKIE).
 */
#include "tr_internal.h"

#if TR_WITH_COOKIE

#include <string.h>

/* RFC 6265 §4.1.1: cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B /
 * %x5D-7E (no CTL, blank, DQUOTE, comma, semicolon or backslash). */
static int cookie_octet(unsigned char c)
{
    return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

/* RFC 6265 §4.1.1: cookie-name is an RFC 2616 token. */
static int token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

int tr_cookie_get(tr_str header, const char *name, tr_str *value)
{
    const char *p = header.ptr, *end = p ? p + header.len : NULL;
    size_t nlen = strlen(name);

    *value = (tr_str){ NULL, 0 };
    /* RFC 6265 §5.4: the user agent sends "name=value" pairs joined by
     * "; ".  The first pair of a name wins (§5.4 orders longer paths first,
     * so the first is the most specific). */
    while (p && p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *semi = memchr(p, ';', (size_t)(end - p)), *pair_end = semi ? semi : end;
        const char *eq = memchr(p, '=', (size_t)(pair_end - p));
        if (eq && (size_t)(eq - p) == nlen && memcmp(p, name, nlen) == 0) {
            const char *v = eq + 1, *ve = pair_end;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            if (ve - v >= 2 && *v == '"' && ve[-1] == '"')  /* §4.1.1: DQUOTE *cookie-octet DQUOTE */
                v++, ve--;
            *value = (tr_str){ v, (size_t)(ve - v) };
            return 0;
        }
        p = semi ? semi + 1 : end;
    }
    return -1;
}

/* Appends s to the buffer at *at if it fits: 0 or -1. */
static int put(char *buf, size_t cap, size_t *at, const char *s, size_t n)
{
    if (n > cap - *at)
        return -1;
    memcpy(buf + *at, s, n);
    *at += n;
    return 0;
}

/* Whether res goes out over TLS: its connection's, not the build's, since
 * one server may listen plain and TLS at once (unit tests have no conn). */
static int over_tls(const tr_res *res)
{
    const struct tr_conn *c = res->ctx;
    (void)c;
    return c != NULL && tr_conn_is_tls(c);
}

int tr_res_set_cookie(tr_res *res, const char *name, const char *value, size_t len, int64_t max_age)
{
    char line[TR_COOKIE_MAX], num[24], *q = num + sizeof num;
    size_t nlen = name ? strlen(name) : 0, at = 0;

    if (nlen == 0 || (len && !value))
        return -1;
    for (size_t i = 0; i < nlen; i++)
        if (!token_char((unsigned char)name[i]))
            return -1;
    for (size_t i = 0; i < len; i++)
        if (!cookie_octet((unsigned char)value[i]))
            return -1;
    /* Safe defaults: no script reads it, no other site's request carries
     * it, every path of the device gets it; Secure once served over TLS. */
    static const char attrs[] = "; Path=/; HttpOnly; SameSite=Strict";
    if (put(line, sizeof line, &at, name, nlen) || put(line, sizeof line, &at, "=", 1) ||
        put(line, sizeof line, &at, value, len) || put(line, sizeof line, &at, attrs, sizeof attrs - 1))
        return -1;
    if (max_age >= 0) {
        uint64_t v = (uint64_t)max_age;
        do
            *--q = (char)('0' + v % 10);
        while (v /= 10);
        if (put(line, sizeof line, &at, "; Max-Age=", 10) ||
            put(line, sizeof line, &at, q, (size_t)(num + sizeof num - q)))
            return -1;
    }
    /* RFC 6265 §4.1.2.5: a cookie set over TLS is never sent back in clear. */
    if ((TR_COOKIE_SECURE || over_tls(res)) && put(line, sizeof line, &at, "; Secure", 8))
        return -1;
    return tr_res_header(res, "Set-Cookie", line, at);
}

#endif
