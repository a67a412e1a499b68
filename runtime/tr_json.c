/*
 * tr_json.c - the JSON writer of tr_json.h.  Compiled to nothing unless
 * the spec says `json on` (TR_WITH_JSON).
 */
#include "tr_internal.h"

#if TR_WITH_JSON

#include <string.h>

#include "tr_json.h"

static void put(struct tr_json *j, const char *s, size_t n)
{
    if (!j->bad && tr_res_write(j->res, s, n) < 0)
        j->bad = 1;
}

void tr_json_begin(struct tr_json *j, tr_res *res)
{
    memset(j, 0, sizeof *j);
    j->res = res;
    if (tr_res_content_type(res, "application/json") < 0)
        j->bad = 1;
}

/* Before any value: it must be due here; writes the comma before it. */
static int value_due(struct tr_json *j)
{
    uint32_t bit = j->depth ? 1u << (j->depth - 1) : 0;
    if (j->done || (bit && (j->in_object & bit) && !j->key_done)) {
        j->bad = 1;
        return 0;
    }
    if (bit && !(j->in_object & bit)) {
        if (j->has_items & bit)
            put(j, ",", 1);
        j->has_items |= bit;
    }
    j->key_done = 0;
    if (!j->depth)
        j->done = 1;
    return !j->bad;
}

static void open_level(struct tr_json *j, int object)
{
    if (!value_due(j))
        return;
    if (j->depth == TR_JSON_DEPTH) {
        j->bad = 1;
        return;
    }
    j->done = 0;
    uint32_t bit = 1u << j->depth++;
    j->in_object = object ? j->in_object | bit : j->in_object & ~bit;
    j->has_items &= ~bit;
    put(j, object ? "{" : "[", 1);
}

void tr_json_object(struct tr_json *j) { open_level(j, 1); }
void tr_json_array(struct tr_json *j) { open_level(j, 0); }

void tr_json_end(struct tr_json *j)
{
    if (!j->depth || j->key_done) {
        j->bad = 1;
        return;
    }
    uint32_t bit = 1u << --j->depth;
    put(j, j->in_object & bit ? "}" : "]", 1);
    j->done = j->depth == 0;
}

/* The length of the UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (!len || len > n || s[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) || (s[0] == 0xf0 && s[1] < 0x90) ||
        (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* RFC 8259 §7: '"', '\' and the controls escaped, the rest as it is. */
static void string(struct tr_json *j, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    put(j, "\"", 1);
    while (p < end) {
        const unsigned char *run = p;
        size_t n;
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && (n = utf8_len(p, (size_t)(end - p))))
            p += n;
        put(j, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        if (*p == '"' || *p == '\\') {
            char e[2] = { '\\', (char)*p };
            put(j, e, 2);
        } else if (*p && *p < 0x20 && strchr("\b\f\n\r\t", *p)) {
            /* RFC 8259 §7's two-character escapes, for the ones that have one. */
            char e[2] = { '\\', "btnfr"[*p == '\b' ? 0 : *p == '\t' ? 1 : *p == '\n' ? 2 : *p == '\f' ? 3 : 4] };
            put(j, e, 2);
        } else if (*p < 0x20) {
            char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
            put(j, e, 6);
        } else {
            put(j, "\\ufffd", 6);      /* not UTF-8: the replacement character */
        }
        p++;
    }
    put(j, "\"", 1);
}

void tr_json_key(struct tr_json *j, const char *key, size_t len)
{
    uint32_t bit = j->depth ? 1u << (j->depth - 1) : 0;
    if (!bit || !(j->in_object & bit) || j->key_done || (len && !key)) {
        j->bad = 1;
        return;
    }
    if (j->has_items & bit)
        put(j, ",", 1);
    j->has_items |= bit;
    string(j, key, len);
    put(j, ":", 1);
    j->key_done = 1;
}

void tr_json_str(struct tr_json *j, const char *s, size_t len)
{
    if (len && !s)
        j->bad = 1;
    else if (value_due(j))
        string(j, s, len);
}

void tr_json_int(struct tr_json *j, int64_t v)
{
    if (value_due(j) && tr_res_int(j->res, v) < 0)
        j->bad = 1;
}

void tr_json_bool(struct tr_json *j, int v)
{
    if (value_due(j))
        put(j, v ? "true" : "false", v ? 4 : 5);
}

void tr_json_null(struct tr_json *j)
{
    if (value_due(j))
        put(j, "null", 4);
}

int tr_json_finish(struct tr_json *j)
{
    if (!j->bad && j->done)
        return 0;
    tr_res_reset(j->res, 500);
    return -1;
}

#endif
