/*
 * tr_range.c - one byte range (RFC 9110 §14), for an embedded file
 * (tr_asset.c) and a file of the device's (tr_file.c): the one parser
 * of Range and the one writer of Content-Range.  Compiled to nothing
 * unless the spec has either.
 */
#include "tr_internal.h"

#if TR_WITH_ASSETS || TR_WITH_FILE

static int digits(const char **p, const char *end, uint64_t *n)
{
    int k = 0;
    for (*n = 0; *p < end && **p >= '0' && **p <= '9' && k < 18; (*p)++, k++)
        *n = *n * 10 + (uint64_t)(**p - '0');
    return k;
}

/* §14.1: the range unit is case-insensitive. */
static int is_bytes(const char *p)
{
    static const char w[] = "bytes=";
    for (int i = 0; i < 6; i++)
        if ((p[i] | (i < 5 ? 0x20 : 0)) != w[i])
            return 0;
    return 1;
}

int tr_range_one(tr_str v, uint64_t len, uint64_t *from, uint64_t *to)
{
    const char *p = v.ptr + 6, *end = v.ptr + v.len;
    uint64_t a, b;
    int na, nb;

    if (v.len < 7 || !is_bytes(v.ptr))
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
        *from = b >= len ? 0 : len - b;
    } else if (a >= len) {
        return -1;
    } else {
        *from = a;
    }
    *to = na && nb && b < len ? b : len - 1;
    return 1;
}

void tr_range_field(tr_res *res, int ok, uint64_t from, uint64_t to, uint64_t len)
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
