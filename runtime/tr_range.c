/*
 * tr_range.c - one byte range (RFC 9110 §14), for an embedded file
 * (tr_asset.c) and a file of the device's (tr_file.c): the one parser
 * of Range and the one writer of Content-Range.  Compiled to nothing
 * unless the spec has either.
 */
#include "tr_internal.h"

#if TR_WITH_ASSETS || TR_WITH_FILE

int tr_is_word(const char *name, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if ((name[i] | 0x20) != w[i])
            return 0;
    return i == n && !w[i];
}

static int digits(const char **p, const char *end, uint64_t *n)
{
    int k = 0;
    for (*n = 0; *p < end && **p >= '0' && **p <= '9' && k < 18; (*p)++, k++)
        *n = *n * 10 + (uint64_t)(**p - '0');
    return k;
}

int tr_range_one(tr_str v, tr_rlen len, tr_rlen *from, tr_rlen *to)
{
    const char *p = v.ptr + 6, *end = v.ptr + v.len;
    uint64_t a, b;
    int na, nb;

    /* §14.1: the range unit is case-insensitive. */
    if (v.len < 7 || !tr_is_word(v.ptr, 5, "bytes") || v.ptr[5] != '=')
        return 0;
    na = digits(&p, end, &a);
    if (p == end || *p++ != '-')
        return 0;
    nb = digits(&p, end, &b);
    if (p != end || (!na && !nb) || (na && nb && b < a))
        return 0;
    if (!na) {                  /* "-N": the last N bytes */
        if (!b || !len)
            return -1;
        *from = b >= len ? 0 : len - (tr_rlen)b;
    } else if (a >= len) {
        return -1;
    } else {
        *from = (tr_rlen)a;
    }
    *to = na && nb && b < len ? (tr_rlen)b : len - 1;
    return 1;
}

void tr_range_field(tr_res *res, int ok, tr_rlen from, tr_rlen to, tr_rlen len)
{
    char v[64] = "bytes ";
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

#else
typedef int tr_range_unused; /* ISO C forbids an empty translation unit */
#endif
