/*
 * tr_response.c - building a response in a connection's output buffer.
 *
 * A handler's header lines and copied body go straight into the output
 * buffer behind TR_RES_RESERVE free bytes; tr_res_finish then writes the
 * status line and the runtime's own fields into that reserve and closes
 * the gap, so nothing is copied twice and nothing is allocated.
 */
#include <string.h>

#include "tr_internal.h"

/*
 * Reason phrases (RFC 9110 §15).  Each code is one byte, the hundreds in
 * its top three bits and the rest in the low five (no code here ends above
 * 31), and the phrases are one string in the same order: no table of
 * pointers, no digits.  No 1xx: a handler cannot send one (tr_res_finish),
 * and 100 Continue is tr_body.c's own line.
 */
#define TR_REASONS(X)                                                                      \
    X(200, "OK") X(201, "Created") X(202, "Accepted") X(204, "No Content")                 \
    X(206, "Partial Content") X(301, "Moved Permanently") X(302, "Found")                  \
    X(303, "See Other") X(304, "Not Modified") X(307, "Temporary Redirect")                \
    X(308, "Permanent Redirect") X(400, "Bad Request") X(401, "Unauthorized")              \
    X(403, "Forbidden") X(404, "Not Found") X(405, "Method Not Allowed")                   \
    X(408, "Request Timeout") X(411, "Length Required") X(413, "Content Too Large")        \
    X(414, "URI Too Long") X(415, "Unsupported Media Type") TR_ASSET_REASONS(X)            \
    X(417, "Expectation Failed") X(422, "Unprocessable Content")                           \
    X(429, "Too Many Requests") X(431, "Request Header Fields Too Large")                  \
    X(500, "Internal Server Error") X(501, "Not Implemented") X(503, "Service Unavailable") \
    X(505, "HTTP Version Not Supported")
#if TR_WITH_ASSETS /* only embedded files answer these: no other spec pays for them */
#define TR_ASSET_REASONS(X) X(406, "Not Acceptable") X(416, "Range Not Satisfiable")
#else
#define TR_ASSET_REASONS(X)
#endif
#define REASON_CODE(code, text) (uint8_t)((code) / 100 << 5 | (code) % 100),
#define REASON_TEXT(code, text) text "\0"
static const uint8_t reason_code[] = { TR_REASONS(REASON_CODE) };
static const char reason_text[] = TR_REASONS(REASON_TEXT);

const char *tr_res_reason(int status)
{
    const char *p = reason_text;
    for (size_t i = 0; i < sizeof reason_code; i++, p += strlen(p) + 1) {
        if ((reason_code[i] >> 5) * 100 + (reason_code[i] & 31) == status)
            return p;
    }
    return NULL;
}

/*
 * v / 10 by shifts and adds (Hacker's Delight, divu10): at -Os gcc calls
 * libgcc for a division by a constant, and on 32-bit ARM without a divider
 * __aeabi_uldivmod and __aeabi_uidivmod cost 1.2 KB of a firmware.
 */
static uint64_t div10(uint64_t n)
{
    uint64_t q = (n >> 1) + (n >> 2);
    q += q >> 4;
    q += q >> 8;
    q += q >> 16;
    q += q >> 32;
    q >>= 3;                    /* low by at most one */
    return q + (n - q * 10 > 9);
}

size_t tr_fmt_u64(char *p, uint64_t v)
{
    char tmp[20];
    size_t n = sizeof tmp;
    while (v > UINT32_MAX) {
        uint64_t q = div10(v);
        tmp[--n] = (char)('0' + (v - q * 10));
        v = q;
    }
    /* Below 2^32, v / 10 is one 32x32->64 multiply (exact for every
     * uint32_t): no loop of shifts, no libgcc. */
    uint32_t w = (uint32_t)v;
    do {
        uint32_t q = (uint32_t)(((uint64_t)w * 0xCCCCCCCDu) >> 35);
        tmp[--n] = (char)('0' + (w - q * 10));
        w = q;
    } while (w);
    memcpy(p, tmp + n, sizeof tmp - n);
    return sizeof tmp - n;
}

void tr_res_init(tr_res *res, char *buf, uint32_t cap, uint32_t base)
{
    memset(res, 0, sizeof *res);
    res->buf = buf;
    res->cap = cap;
    res->base = base;
    res->status = 200;
}

void tr_res_reset(tr_res *res, int status)
{
    res->hlen = 0;
    res->blen = 0;
    res->sbody = NULL;
    res->slen = 0;
    res->overflow = 0;
    res->status = status;
}

/* Makes n more bytes fit in the region, spilling earlier answers to the
 * socket if need be.  Returns 0, or -1 and marks the response for a 500. */
static int room(tr_res *res, size_t n)
{
    for (;;) {
        size_t used = (size_t)res->base + TR_RES_RESERVE + res->hlen + res->blen;
        if (n <= res->cap - used)
            return 0;
        if (res->base == 0 || !res->spill || res->spill(res) != 0)
            break;
    }
    res->overflow = 1;
    return -1;
}

/* Appends "name: value\r\n" without checking either. */
static int add_field(tr_res *res, const char *name, size_t nlen, const char *value,
                     size_t vlen)
{
    size_t n = nlen + 2 + vlen + 2;
    if (room(res, n) != 0)
        return -1;
    char *p = res->buf + res->base + TR_RES_RESERVE + res->hlen;
    /* A field added after body bytes goes in front of them. */
    memmove(p + n, p, res->blen);
    memcpy(p, name, nlen);
    p += nlen;
    *p++ = ':';
    *p++ = ' ';
    if (vlen)
        memcpy(p, value, vlen);
    p += vlen;
    *p++ = '\r';
    *p = '\n';
    res->hlen += (uint32_t)n;
    return 0;
}

void tr_res_status(tr_res *res, int status)
{
    res->status = status;
}

/* RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
 * "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA, as a bitmap of
 * the 128 ASCII codes. */
static int is_tchar(unsigned char c)
{
    static const uint32_t tchar[4] = { 0, 0x03ff6cfa, 0xc7fffffe, 0x57ffffff };
    return c < 128 && (tchar[c >> 5] >> (c & 31) & 1);
}

static int same_name(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && b[i]; i++) {
        if ((a[i] | 0x20) != (b[i] | 0x20))
            return 0;
    }
    return i == alen && b[i] == '\0';
}

/*
 * Field names with a rule, lower case, each "Kname\0": K is 'R' for the
 * runtime's own, which a handler may not send (the framing, RFC 9112 §6;
 * the hop-by-hop fields, RFC 9110 §7.6.1; Date; and Content-Encoding,
 * the runtime's for the assets it serves), or 'S' for one that may appear
 * once (RFC 9110 §5.3: only a list may repeat), which a second replaces.
 */
static const char special[] = "Rcontent-length\0Rtransfer-encoding\0Rconnection\0Rdate\0"
                              "Rkeep-alive\0Rupgrade\0Rtrailer\0Rte\0Rcontent-encoding\0"
                              "Scontent-type\0Slocation\0Setag\0Slast-modified\0"
                              "Sretry-after\0Sexpires\0";

/* 'R', 'S' or 0 for other names. */
static char special_kind(const char *name, size_t len)
{
    for (const char *p = special; *p; p += strlen(p) + 1) {
        if (same_name(name, len, p + 1))
            return *p;
    }
    return 0;
}

/* Removes the handler's field line named name, if there is one. */
static void drop_field(tr_res *res, const char *name, size_t nlen)
{
    char *start = res->buf + res->base + TR_RES_RESERVE;
    char *end = start + res->hlen;
    for (char *p = start; p < end;) {
        char *next = p;
        while (*next++ != '\n')    /* every line ends so (add_field) */
            continue;
        if ((size_t)(end - p) > nlen && p[nlen] == ':') {
            size_t i = 0;
            while (i < nlen && (p[i] | 0x20) == (name[i] | 0x20))
                i++;
            if (i == nlen) {
                memmove(p, next, (size_t)(end - next) + res->blen);
                res->hlen -= (uint32_t)(next - p);
                return;
            }
        }
        p = next;
    }
}

/* Appends the field after checking its value: RFC 9110 §5.5 allows
 * VCHAR, obs-text, SP and HTAB, so no other control byte (CR or LF would
 * split the response; ESC, DEL and the rest reach terminals and logs);
 * leading and trailing whitespace is not part of a value. */
static int add_value(tr_res *res, const char *name, size_t nlen, const char *value, size_t len,
                     int single)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return -1;
    }
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    if (single)
        drop_field(res, name, nlen);
    return add_field(res, name, nlen, value, len);
}

int tr_res_header(tr_res *res, const char *name, const char *value, size_t len)
{
    size_t nlen = name ? strlen(name) : 0;
    if (nlen == 0 || (len && !value))
        return -1;
    for (size_t i = 0; i < nlen; i++) {
        if (!is_tchar((unsigned char)name[i]))
            return -1;
    }
    char kind = special_kind(name, nlen);
    if (kind == 'R')
        return -1;
    return add_value(res, name, nlen, value, len, kind == 'S');
}

#if TR_WITH_ASSETS
int tr_res_fields(tr_res *res, const char *lines, size_t len)
{
    if (room(res, len) != 0)
        return -1;
    char *p = res->buf + res->base + TR_RES_RESERVE + res->hlen;
    memmove(p + len, p, res->blen);
    memcpy(p, lines, len);
    res->hlen += (uint32_t)len;
    return 0;
}
#endif

int tr_res_content_type(tr_res *res, const char *type)
{
    /* A name known to be valid and the handler's own: only the value is
     * checked.  Every handler with a body calls this. */
    if (!type)
        return -1;
    return add_value(res, "Content-Type", 12, type, strlen(type), 1);
}

void tr_res_body_static(tr_res *res, const void *body, size_t len)
{
    res->blen = 0;
    res->sbody = len ? body : NULL;
    res->slen = len;
}

int tr_res_write(tr_res *res, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    if (res->sbody) {
        /* Appending to a static body: it becomes a copied one. */
        const void *s = res->sbody;
        size_t slen = res->slen;
        res->sbody = NULL;
        res->slen = 0;
        if (tr_res_write(res, s, slen) != 0)
            return -1;
    }
    if (room(res, len) != 0)
        return -1;
    memcpy(res->buf + res->base + TR_RES_RESERVE + res->hlen + res->blen, data, len);
    res->blen += (uint32_t)len;
    return 0;
}

int tr_res_puts(tr_res *res, const char *s)
{
    return tr_res_write(res, s, strlen(s));
}

int tr_res_int(tr_res *res, int64_t value)
{
    char tmp[21];
    size_t n = 0;
    /* Negate in unsigned arithmetic: -INT64_MIN overflows int64_t. */
    uint64_t u = (uint64_t)value;
    if (value < 0) {
        tmp[n++] = '-';
        u = 0 - u;
    }
    n += tr_fmt_u64(tmp + n, u);
    return tr_res_write(res, tmp, n);
}

int tr_res_allow(tr_res *res, uint16_t mask)
{
    char v[64];
    size_t n = 0;
    /* RFC 9110 §9.3.2: HEAD is allowed wherever GET is. */
    if (mask & (1u << TR_GET))
        mask |= 1u << TR_HEAD;
    const char *name = tr_method_names;
    for (int i = 0; i < TR_METHOD_COUNT; i++, name += strlen(name) + 1) {
        if (!(mask & (1u << i)))
            continue;
        if (n) {
            v[n++] = ',';
            v[n++] = ' ';
        }
        memcpy(v + n, name, strlen(name));
        n += strlen(name);
    }
    return add_field(res, "Allow", 5, v, n);
}

#if TR_WITH_ERROR_BODIES
void tr_res_error_body(tr_res *res)
{
    for (const struct tr_error_body *e = tr_error_bodies; e->status; e++) {
        if (e->status != res->status)
            continue;
        if (tr_res_content_type(res, e->type) != 0) {
            res->overflow = 0;          /* the bare status still fits */
            return;
        }
        tr_res_body_static(res, e->body, e->len);
        return;
    }
}
#define ERROR_BODY(res) tr_res_error_body(res)
#else
#define ERROR_BODY(res) ((void)0)
#endif

static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

uint32_t tr_res_finish(tr_res *res, unsigned fin, const char *date)
{
    if (res->overflow) {
        tr_res_reset(res, 500);
        ERROR_BODY(res);
    }
    const char *reason = NULL;          /* for 200, not looked up */
    if (res->status != 200) {
        /* Handlers cannot send interim responses (RFC 9110 §15.2), nor
         * what is no status; any final one goes, a code without a phrase
         * here with an empty one (RFC 9112 §4). */
        if (res->status < 200 || res->status > 599) {
            tr_res_reset(res, 500);
            ERROR_BODY(res);
        }
        reason = tr_res_reason(res->status);
        if (!reason)
            reason = "";
    }
    int st = res->status;
    uint64_t clen = res->sbody ? res->slen : res->blen;
    /* RFC 9110 §6.4.1: 204 and 304 have no content; §9.3.2: HEAD sends the
     * fields GET would, without the content. */
    int no_content = st == 204 || st == 304;
    if (no_content || (fin & TR_FIN_HEAD)) {
        res->blen = 0;
        res->sbody = NULL;
        res->slen = 0;
    }

    /* The reserve is free space in front of the handler's fields. */
    char *p = res->buf + res->base;
    if (st == 200) {
        p = put(p, "HTTP/1.1 200 OK\r\n", 17); /* most answers: one copy */
    } else {
        p = put(p, "HTTP/1.1 ", 9);
        p += tr_fmt_u64(p, (uint64_t)st);
        *p++ = ' ';
        p = put(p, reason, strlen(reason));
        p = put(p, "\r\n", 2);
    }
    /* RFC 9110 §8.6: no Content-Length on 204; on 304 only if equal to
     * the 200's, which the runtime cannot know. */
    int with_length = !no_content;
#if TR_WITH_PULL
    /* A streamed body: its length, or chunked (RFC 9112 §7.1), or none
     * at all for HTTP/1.0, whose body the close delimits (§6.3 rule 8). */
    if (res->stream == TR_SM_LENGTH)
        clen = (uint64_t)res->stream_len;
    if (res->stream == TR_SM_CHUNKED || res->stream == TR_SM_CLOSE)
        with_length = 0;
    if (res->stream == TR_SM_CHUNKED && !no_content)
        p = put(p, "Transfer-Encoding: chunked\r\n", 28);
#endif
    if (with_length) {
        p = put(p, "Content-Length: ", 16);
        p += tr_fmt_u64(p, clen);
        p = put(p, "\r\n", 2);
    }
    if (fin & TR_FIN_CLOSE)
        p = put(p, "Connection: close\r\n", 19);
    else if (fin & TR_FIN_KEEP_ALIVE)
        p = put(p, "Connection: keep-alive\r\n", 24);
#if TR_DATE
    if (date) {
        p = put(p, "Date: ", 6);
        p = put(p, date, TR_DATE_LEN);
        p = put(p, "\r\n", 2);
    }
#else
    (void)date;
#endif
    /* Close the gap: fields, blank line, then the copied body. */
    char *fields = res->buf + res->base + TR_RES_RESERVE;
    memmove(p, fields, res->hlen);
    p += res->hlen;
    p = put(p, "\r\n", 2);
    memmove(p, fields + res->hlen, res->blen);
    p += res->blen;
    return (uint32_t)(p - (res->buf + res->base));
}
