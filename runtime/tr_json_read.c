/*
 * tr_json_read.c - the declared fields of a JSON object body (RFC 8259),
 * for routes with json= fields.  Compiled to nothing unless a route takes
 * them (TR_WITH_JSON_READ).
 *
 * One pass over the body, no token array and no recursion: the members
 * of the top-level object whose names are wanted are kept as views into
 * the body, their strings unescaped in place (an escape is never shorter
 * than the bytes it stands for); every other value is validated and
 * skipped, nested ones with a bit a level.  Anything that is not one
 * well-formed object, with strings of valid UTF-8, is refused.
 */
#include "tr_internal.h"

#if TR_WITH_JSON_READ

#include <string.h>

#include "tr_json.h"    /* tr_json_fields; TR_JSON_DEPTH: RFC 8259 §9 lets a parser limit nesting */

struct jp {
    char *p, *end;
};

static void ws(struct jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* Takes byte c, or fails. */
static int expect(struct jp *j, char c)
{
    ws(j);
    if (j->p == j->end || *j->p != c)
        return -1;
    j->p++;
    return 0;
}

static int hex4(const char *s, uint32_t *cp)
{
    *cp = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = (unsigned char)s[i], d = c - '0' < 10 ? c - '0' : (c | 0x20) - 'a' < 6 ? (c | 0x20) - 'a' + 10 : 16;
        if (d > 15)
            return -1;
        *cp = *cp << 4 | d;
    }
    return 0;
}

/* UTF-8 of code point cp at w; returns the byte after it. */
static char *put_utf8(char *w, uint32_t cp)
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

/* One \u escape (with its low surrogate, if it is a high one) at j->p,
 * after the 'u': its code point, or -1. */
static int32_t escape_u(struct jp *j)
{
    uint32_t cp, lo;

    if (j->end - j->p < 4 || hex4(j->p, &cp) < 0)
        return -1;
    j->p += 4;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return -1;                  /* a lone low surrogate */
    if (cp < 0xd800 || cp > 0xdbff)
        return (int32_t)cp;
    if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' || hex4(j->p + 2, &lo) < 0
        || lo < 0xdc00 || lo > 0xdfff)
        return -1;
    j->p += 6;
    return (int32_t)(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
}

/* The length of the UTF-8 sequence at s (RFC 3629: no overlong form, no
 * surrogate, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    static const uint32_t least[4] = { 0, 0x80, 0x800, 0x10000 };
    unsigned c = s[0], more = (c >= 0xc0) + (c >= 0xe0) + (c >= 0xf0);

    if (!more || c > 0xf4 || n <= more)
        return 0;
    uint32_t cp = c & (0x3fu >> more);
    for (unsigned k = 1; k <= more; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3fu);
    }
    return cp < least[more] || cp > 0x10ffff || (cp >> 11) == 0x1b ? 0 : more + 1;
}

/* A string at j->p (after blanks): its unescaped bytes in place in *out
 * when out is not NULL (else only checked). */
static int string(struct jp *j, tr_str *out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

    if (expect(j, '"') < 0)
        return -1;
    char *w = j->p, *start = j->p;
    for (;;) {
        if (j->p == j->end)
            return -1;
        unsigned char c = (unsigned char)*j->p++;
        if (c == '"')
            break;
        if (c < 0x20)
            return -1;              /* §7: control characters are escaped */
        if (c == '\\') {
            const char *e = j->p < j->end && *j->p ? strchr(from, *j->p) : NULL;
            if (j->p == j->end || (!e && *j->p != 'u'))
                return -1;
            if (*j->p++ == 'u') {
                int32_t cp = escape_u(j);
                if (cp < 0)
                    return -1;
                w = put_utf8(w, (uint32_t)cp);
            } else {
                *w++ = to[e - from];
            }
            continue;
        }
        size_t n = 1;
        if (c >= 0x80 && !(n = utf8_len((const unsigned char *)j->p - 1, (size_t)(j->end - j->p) + 1)))
            return -1;              /* §8.1: JSON text is UTF-8 */
        memmove(w, j->p - 1, n);
        w += n;
        j->p += n - 1;
    }
    if (out)
        *out = (tr_str){ start, (size_t)(w - start) };
    return 0;
}

static int digits(struct jp *j)
{
    char *s = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > s ? 0 : -1;
}

/* §6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
static int number(struct jp *j)
{
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (digits(j) < 0)
        return -1;
    if (j->p < j->end && *j->p == '.' && (j->p++, digits(j) < 0))
        return -1;
    if (j->p < j->end && (*j->p | 0x20) == 'e') {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (digits(j) < 0)
            return -1;
    }
    return 0;
}

static int word(struct jp *j, const char *w, size_t n)
{
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return -1;
    j->p += n;
    return 0;
}

/* A value that is not an object or an array, at j->p after blanks: its
 * kind (TR_JSON_*), with out its text (a string's unescaped), or -1. */
static int scalar(struct jp *j, tr_str *out)
{
    char *s = j->p;
    int kind;

    if (j->p == j->end)
        return -1;
    switch (*j->p) {
    case '"': return string(j, out) < 0 ? -1 : TR_JSON_STR;
    case 't': kind = word(j, "true", 4) < 0 ? -1 : TR_JSON_BOOL; break;
    case 'f': kind = word(j, "false", 5) < 0 ? -1 : TR_JSON_BOOL; break;
    case 'n': kind = word(j, "null", 4) < 0 ? -1 : TR_JSON_NULL; break;
    default: kind = number(j) < 0 ? -1 : TR_JSON_NUM; break;
    }
    if (out && kind > 0)
        *out = (tr_str){ s, (size_t)(j->p - s) };
    return kind;
}

/* Checks and skips one value at j->p, nested ones without recursion: a
 * bit a level in `objects` (1: an object, 0: an array). */
static int skip_value(struct jp *j)
{
    uint64_t objects = 0;
    unsigned depth = 0;

    for (;;) {
        ws(j);
        if (j->p < j->end && (*j->p == '{' || *j->p == '[')) {
            int obj = *j->p++ == '{';
            if (++depth > TR_JSON_DEPTH)
                return -1;
            objects = objects << 1 | (unsigned)obj;
            ws(j);
            if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
                j->p++;
                depth--;
                objects >>= 1;
            } else if (obj) {
                goto member;
            } else {
                continue;           /* the array's first value */
            }
        } else if (scalar(j, NULL) < 0) {
            return -1;
        }
        /* After a value: close what ends here, then the next value. */
        for (;;) {
            if (depth == 0)
                return 0;
            ws(j);
            if (j->p == j->end)
                return -1;
            char c = *j->p++;
            if (c == ',')
                break;
            if (c != (objects & 1 ? '}' : ']'))
                return -1;
            depth--;
            objects >>= 1;
        }
        if (!(objects & 1))
            continue;               /* an array's next value */
    member:
        if (string(j, NULL) < 0 || expect(j, ':') < 0)
            return -1;
    }
}

static int find(const char *const *names, uint32_t n, tr_str key)
{
    for (uint32_t i = 0; i < n; i++)
        if (strlen(names[i]) == key.len && memcmp(names[i], key.ptr, key.len) == 0)
            return (int)i;
    return -1;
}

int tr_json_fields(char *body, size_t len, const char *const *names, uint32_t n, const uint8_t *want,
                   tr_str *values)
{
    struct jp j = { body, body + len };
    uint64_t seen = 0;              /* the generator allows 64 fields */

    for (uint32_t i = 0; i < n; i++)
        values[i] = (tr_str){ NULL, 0 };
    if (!body || n > 64 || expect(&j, '{') < 0)
        return -1;
    ws(&j);
    if (j.p < j.end && *j.p == '}') {
        j.p++;
        goto end;
    }
    for (;;) {
        tr_str key;
        if (string(&j, &key) < 0 || expect(&j, ':') < 0)
            return -1;
        ws(&j);
        int f = find(names, n, key);
        if (f >= 0 && !(seen >> f & 1)) {           /* the first of a repeated name wins */
            tr_str v;
            int kind = j.p < j.end && (*j.p == '{' || *j.p == '[') ? 0 : scalar(&j, &v);
            if (kind < 0 || (kind != want[f] && kind != TR_JSON_NULL))
                return -1;                  /* a value of another type: 400 */
            seen |= (uint64_t)1 << f;
            if (kind != TR_JSON_NULL)
                values[f] = v;
        } else if (skip_value(&j) < 0) {
            return -1;
        }
        ws(&j);
        if (j.p == j.end)
            return -1;
        char c = *j.p++;
        if (c == '}')
            break;
        if (c != ',')
            return -1;
    }
end:
    ws(&j);
    return j.p == j.end ? 0 : -1;
}

#endif /* TR_WITH_JSON_READ */
