/*
 * jsmn_fields.c - tr_json_fields (runtime/tr_json.h) written on top of
 * jsmn 1.1.0 (Debian's libjsmn-dev, header-only), for the comparison in
 * bench/README.md ("JSON request reader").  Not part of the runtime.
 *
 * The same contract as runtime/tr_json_read.c: one object of RFC 8259,
 * strings of valid UTF-8 unescaped in place, the first of a repeated name
 * wins, null is absent, nesting at most TR_JSON_DEPTH.  jsmn tokenizes;
 * what it leaves to its caller is done here: it accepts `{"a" "b"}`,
 * `{"a":1,}`, `tru` and `01` (the bytes between tokens and each
 * primitive are checked below), it checks neither control characters,
 * UTF-8 nor surrogates in strings (unescape), and it does not limit
 * depth.  Its tokens live in an array sized for the largest body.
 */
#define JSMN_STRICT
#define JSMN_STATIC
#include <jsmn.h>
#include <string.h>

#include "tr_json.h"

#ifndef BODY_MAX
#define BODY_MAX 1024           /* the route's body=: 1K */
#endif
/* The most tokens a body of BODY_MAX bytes makes: "[0,0,...]" is one
 * every two bytes. */
#define TOKENS (BODY_MAX / 2 + 1)

static jsmntok_t tok[TOKENS];

static int hex4(const char *s, unsigned *cp)
{
    *cp = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = (unsigned char)s[i], d = c - '0' < 10 ? c - '0' : (c | 0x20) - 'a' + 10;
        *cp = *cp << 4 | d;     /* jsmn checked the four hex digits */
    }
    return 0;
}

static char *put_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xc0 | cp >> 6);
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xe0 | cp >> 12);
        *w++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *w++ = (char)(0xf0 | cp >> 18);
        *w++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *w++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *w++ = (char)(0x80 | (cp & 0x3f));
    }
    return w;
}

static size_t utf8_len(const unsigned char *s, size_t n)
{
    static const unsigned least[4] = { 0, 0x80, 0x800, 0x10000 };
    unsigned c = s[0], more = (c >= 0xc0) + (c >= 0xe0) + (c >= 0xf0);

    if (!more || c > 0xf4 || n <= more)
        return 0;
    unsigned cp = c & (0x3fu >> more);
    for (unsigned k = 1; k <= more; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3fu);
    }
    return cp < least[more] || cp > 0x10ffff || (cp >> 11) == 0x1b ? 0 : more + 1;
}

/* A string token's bytes [p, end), escapes already checked by jsmn:
 * unescaped in place into *out, or -1. */
static int unescape(char *p, char *end, tr_str *out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char *w = p, *start = p;

    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            unsigned cp, lo;
            if (p[1] != 'u') {
                *w++ = to[strchr(from, p[1]) - from];
                p += 2;
                continue;
            }
            hex4(p + 2, &cp);
            p += 6;
            if (cp >= 0xdc00 && cp <= 0xdfff)
                return -1;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                    return -1;
                hex4(p + 2, &lo);
                if (lo < 0xdc00 || lo > 0xdfff)
                    return -1;
                p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            w = put_utf8(w, cp);
            continue;
        }
        size_t n = 1;
        if (c >= 0x80 && !(n = utf8_len((const unsigned char *)p, (size_t)(end - p))))
            return -1;
        memmove(w, p, n);
        w += n;
        p += n;
    }
    *out = (tr_str){ start, (size_t)(w - start) };
    return 0;
}

static const char *digits(const char *p, const char *end)
{
    const char *s = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > s ? p : NULL;
}

/* A primitive token [p, end): its kind, or -1 (jsmn takes "tru", "01"). */
static int primitive(const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    if (n == 4 && memcmp(p, "true", 4) == 0)
        return TR_JSON_BOOL;
    if (n == 5 && memcmp(p, "false", 5) == 0)
        return TR_JSON_BOOL;
    if (n == 4 && memcmp(p, "null", 4) == 0)
        return TR_JSON_NULL;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = digits(p, end)))
        return -1;
    if (p < end && *p == '.' && !(p = digits(p + 1, end)))
        return -1;
    if (p < end && (*p | 0x20) == 'e') {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = digits(p, end)))
            return -1;
    }
    return p == end ? TR_JSON_NUM : -1;
}

static const char *ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

int tr_json_fields(char *body, size_t len, const char *const *names, uint32_t n, const uint8_t *want,
                   tr_str *values)
{
    jsmn_parser jp;
    struct { int left, obj, count; } st[TR_JSON_DEPTH + 1];  /* children still due, counted as tokens */
    int d = 0, pending = -1;
    uint64_t seen = 0;
    const char *p, *end = body + len;

    for (uint32_t i = 0; i < n; i++)
        values[i] = (tr_str){ NULL, 0 };
    if (!body || n > 64 || len > BODY_MAX)
        return -1;
    jsmn_init(&jp);
    int r = jsmn_parse(&jp, body, len, tok, TOKENS);
    if (r < 1 || tok[0].type != JSMN_OBJECT || ws(body, end) != body + tok[0].start)
        return -1;
    st[0].left = 2 * tok[0].size, st[0].obj = 1, st[0].count = 0;
    p = body + tok[0].start + 1;
    for (int i = 1; i <= r; i++) {
        /* Close what is complete: blanks, then its bracket. */
        while (d >= 0 && st[d].left == 0) {
            p = ws(p, end);
            if (p == end || *p++ != (st[d].obj ? '}' : ']'))
                return -1;
            d--;
        }
        if (i == r)
            break;
        if (d < 0)
            return -1;              /* a token after the object */
        jsmntok_t *t = &tok[i];
        int is_key = st[d].obj && st[d].count % 2 == 0;
        p = ws(p, end);
        if (st[d].count && (p == end || *p++ != (st[d].obj && !is_key ? ':' : ',')))
            return -1;
        p = ws(p, end);
        if (p != body + t->start - (t->type == JSMN_STRING))
            return -1;
        if (is_key && (t->type != JSMN_STRING || t->size != 1))
            return -1;
        st[d].left--, st[d].count++;
        tr_str v = { body + t->start, (size_t)(t->end - t->start) };
        int kind = 0;
        if (t->type == JSMN_STRING) {
            if (unescape(body + t->start, body + t->end, &v) < 0)
                return -1;
            kind = TR_JSON_STR;
            p = body + t->end + 1;
        } else if (t->type == JSMN_PRIMITIVE) {
            if ((kind = primitive(body + t->start, body + t->end)) < 0)
                return -1;
            p = body + t->end;
        } else {
            if (++d > TR_JSON_DEPTH)
                return -1;
            st[d].obj = t->type == JSMN_OBJECT;
            st[d].left = st[d].obj ? 2 * t->size : t->size;
            st[d].count = 0;
            p = body + t->start + 1;
        }
        if (d == 0 && is_key) {
            pending = -1;
            for (uint32_t f = 0; f < n; f++)
                if (strlen(names[f]) == v.len && memcmp(names[f], v.ptr, v.len) == 0 && !(seen >> f & 1))
                    pending = (int)f;
        } else if (pending >= 0 && (d == 0 || kind == 0)) {
            /* the value of a wanted member (kind 0: an object or array) */
            if (kind != want[pending] && kind != TR_JSON_NULL)
                return -1;
            seen |= (uint64_t)1 << pending;
            if (kind != TR_JSON_NULL)
                values[pending] = v;
            pending = -1;
        }
    }
    return ws(p, end) == end ? 0 : -1;
}
