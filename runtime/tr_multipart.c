/*
 * tr_multipart.c - an incremental multipart/form-data splitter (RFC 7578
 * over RFC 2046 §5.1), for streamed routes declared `body=SIZE,multipart`.
 * A spec without one compiles none of this (TR_WITH_MULTIPART).
 *
 * It is fed the body in pieces of any size, and calls part() at each
 * part's header and data() with the part's bytes, as views into the piece
 * it was fed.  Memory is the state struct: the delimiter and one part's
 * header section (TR_MULTIPART_HEAD_MAX).  A delimiter split across pieces
 * needs no copy of the bytes: while it is being matched, the bytes seen so
 * far are the delimiter's own first k bytes, and if it turns out not to be
 * one they are given to data() from mp->delim.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_MULTIPART

/* Splitter states. */
enum {
    MP_PREAMBLE = 0,         /* before the first delimiter: bytes ignored */
    MP_AFTER,                /* a delimiter matched: "--", padding or CRLF */
    MP_DASH,                 /* the second '-' of a close delimiter */
    MP_PAD,                  /* transport padding (SP, HTAB) before CRLF */
    MP_LF,                   /* the LF after a delimiter */
    MP_HEAD,                 /* a part's header section, copied */
    MP_DATA,                 /* a part's data */
    MP_EPILOGUE              /* after the close delimiter: bytes ignored */
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does s[0..n) start with the lower-case word w, any case? */
static int starts_ci(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; w[i]; i++)
        if (i >= n || lower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/*
 * Reads one `; key=value` parameter from s[*i..n): its key and value (a
 * token, or a quoted string without its quotes and with escapes left in).
 * 0, or -1 at the end or on bad syntax.
 */
static int next_param(const char *s, size_t n, size_t *i, tr_str *key, tr_str *val)
{
    size_t j = skip_ws(s, *i, n);
    if (j >= n || s[j] != ';')
        return -1;
    j = skip_ws(s, j + 1, n);
    key->ptr = s + j;
    while (j < n && s[j] != '=' && s[j] != ';' && s[j] != ' ' && s[j] != '\t')
        j++;
    key->len = (size_t)(s + j - key->ptr);
    j = skip_ws(s, j, n);
    if (j >= n || s[j] != '=')
        return -1;
    j = skip_ws(s, j + 1, n);
    if (j < n && s[j] == '"') {
        val->ptr = s + ++j;
        while (j < n && s[j] != '"')
            j += s[j] == '\\' ? 2 : 1;
        if (j >= n)
            return -1;
        val->len = (size_t)(s + j - val->ptr);
        j++;
    } else {
        val->ptr = s + j;
        while (j < n && s[j] != ';' && s[j] != ' ' && s[j] != '\t')
            j++;
        val->len = (size_t)(s + j - val->ptr);
    }
    *i = j;
    return 0;
}

static int key_is(tr_str k, const char *w)
{
    return k.len == strlen(w) && starts_ci(k.ptr, k.len, w);
}

int tr_multipart_init(struct tr_multipart *mp, tr_str type)
{
    static const char mt[] = "multipart/form-data";
    tr_str key, val;
    size_t i = sizeof mt - 1;

    memset(mp, 0, sizeof *mp);
    if (type.ptr == NULL || !starts_ci(type.ptr, type.len, mt) ||
        (type.len > i && type.ptr[i] != ';' && type.ptr[i] != ' ' && type.ptr[i] != '\t'))
        return 1;
    while (next_param(type.ptr, type.len, &i, &key, &val) == 0) {
        if (!key_is(key, "boundary"))
            continue;
        /* RFC 2046 §5.1.1: 1 to 70 characters, not ending in a space. */
        if (val.len < 1 || val.len > 70 || val.ptr[val.len - 1] == ' ')
            return -1;
        for (size_t j = 0; j < val.len; j++)
            if (val.ptr[j] == '\r' || val.ptr[j] == '\n' || val.ptr[j] == '"' || val.ptr[j] == '\\')
                return -1;
        memcpy(mp->delim, "\r\n--", 4);
        memcpy(mp->delim + 4, val.ptr, val.len);
        mp->dlen = (uint8_t)(4 + val.len);
        mp->state = MP_PREAMBLE;
        mp->k = 2; /* the body's start stands for the first delimiter's CRLF */
        return 0;
    }
    return -1;
}

/* The part's name, filename and type from its header section h[0..n),
 * which ends in an empty line; fields other than these two are skipped. */
static void part_fields(const char *h, size_t n, tr_part *p)
{
    memset(p, 0, sizeof *p);
    for (size_t at = 0; at + 2 <= n;) {
        const char *line = h + at;
        size_t len = 0;
        while (at + len + 1 < n && !(line[len] == '\r' && line[len + 1] == '\n'))
            len++;
        at += len + 2;
        if (starts_ci(line, len, "content-disposition:")) {
            size_t i = skip_ws(line, 20, len);
            tr_str key, val;
            if (!starts_ci(line + i, len - i, "form-data"))
                continue;
            i += 9;
            while (next_param(line, len, &i, &key, &val) == 0) {
                if (key_is(key, "name"))
                    p->name = val;
                else if (key_is(key, "filename"))
                    p->filename = val;
            }
        } else if (starts_ci(line, len, "content-type:")) {
            size_t i = skip_ws(line, 13, len), e = len;
            while (e > i && (line[e - 1] == ' ' || line[e - 1] == '\t'))
                e--;
            p->type.ptr = line + i;
            p->type.len = e - i;
        }
    }
}

/* One byte of a part's header section; 1 when the section is complete,
 * 0 for more, -1 when it is too long. */
static int head_byte(struct tr_multipart *mp, char b)
{
    if (mp->hlen >= sizeof mp->hdr)
        return -1;
    mp->hdr[mp->hlen++] = b;
    if (mp->hlen == 2 && memcmp(mp->hdr, "\r\n", 2) == 0)
        return 1; /* no fields at all */
    return mp->hlen >= 4 && memcmp(mp->hdr + mp->hlen - 4, "\r\n\r\n", 4) == 0;
}

/* The state after a delimiter's byte b. */
static int after_byte(struct tr_multipart *mp, unsigned char b)
{
    switch (mp->state) {
    case MP_AFTER:
    case MP_PAD:
        if (b == '-' && mp->state == MP_AFTER)
            return MP_DASH;
        if (b == ' ' || b == '\t')
            return MP_PAD;
        return b == '\r' ? MP_LF : -1;
    case MP_DASH: return b == '-' ? MP_EPILOGUE : -1;
    case MP_LF:
        mp->hlen = 0;
        return b == '\n' ? MP_HEAD : -1;
    default: return -1;
    }
}

int tr_multipart_feed(struct tr_multipart *mp, const char *in, size_t n, size_t *used,
                      const struct tr_stream *fn, tr_upload *up)
{
    size_t i = 0, run = 0; /* in[run..i) is data not yet handed on */
    int r = 0;

#define FLUSH_RUN(stop)                                              \
    do {                                                             \
        if (mp->state == MP_DATA && (stop) > run) {                  \
            r = fn->data(up, in + run, (stop) - run);                \
            run = (stop);                                            \
            if (r != 0)                                              \
                goto out;                                            \
        }                                                            \
        run = (stop);                                                \
    } while (0)

    while (i < n) {
        unsigned char b = (unsigned char)in[i];
        if (mp->state == MP_DATA || mp->state == MP_PREAMBLE) {
            if (mp->k == 0) {
                /* Most bytes: a run of data up to the next CR. */
                const char *cr = memchr(in + i, '\r', n - i);
                if (cr == NULL) {
                    i = n;
                    break;
                }
                i = (size_t)(cr - in);
                FLUSH_RUN(i);
                mp->k = 1;
                run = ++i;
                continue;
            }
            if (b == (unsigned char)mp->delim[mp->k]) {
                run = ++i;
                if (++mp->k == mp->dlen) {
                    mp->k = 0;
                    mp->state = MP_AFTER;
                }
                continue;
            }
            /* Not a delimiter after all: its first k bytes were data. */
            uint8_t k = mp->k;
            mp->k = 0;
            if (mp->state == MP_DATA) {
                r = fn->data(up, mp->delim, k);
                if (r != 0)
                    goto out;
            }
            run = i; /* b again, from k = 0 */
            continue;
        }
        i++;
        run = i;
        if (mp->state == MP_EPILOGUE)
            continue;
        if (mp->state == MP_HEAD) {
            int h = head_byte(mp, (char)b);
            if (h < 0)
                return TR_MP_ERR;
            if (h > 0) {
                tr_part p;
                part_fields(mp->hdr, mp->hlen, &p);
                mp->state = MP_DATA;
                if (fn->part && (r = fn->part(up, &p)) != 0)
                    goto out;
            }
            continue;
        }
        int next = after_byte(mp, b);
        if (next < 0)
            return TR_MP_ERR;
        mp->state = (uint8_t)next;
    }
    FLUSH_RUN(i);
#undef FLUSH_RUN
    *used = n;
    return mp->state == MP_EPILOGUE ? TR_MP_DONE : TR_MP_MORE;
out:
    *used = run;
    return r;
}

int tr_multipart_done(const struct tr_multipart *mp)
{
    return mp->state == MP_EPILOGUE;
}

#else
typedef int tr_multipart_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_MULTIPART */
