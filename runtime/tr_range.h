/*
 * tr_range.h - one byte range (RFC 9110 §14) for an embedded file
 * (tr_asset.c) and a file of the device's (tr_file.c): the one parser of
 * Range and the one writer of Content-Range.  Static functions that both
 * include, not a file of their own, because a spec with only a mount then
 * gets them inlined into tr_asset.c as before: a call across files costs
 * a mount 32 bytes on armhf, over its serving code's 1,536-byte goal
 * (bench/README.md).  A spec with both compiles them twice (~500 bytes).
 */
#ifndef TR_RANGE_H
#define TR_RANGE_H

#include "tr_internal.h"

/* A representation's length: 64 bits for a file of the device, else 32
 * (an embedded file's), which a 32-bit target does in fewer bytes. */
#if TR_WITH_FILE
typedef uint64_t tr_rlen;
#else
typedef uint32_t tr_rlen;
#endif

/* Is name[0..n) the lowercase word w, in any case (coding names, range
 * units: RFC 9110 §8.4.1, §14.1)? */
static int range_word(const char *name, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if ((name[i] | 0x20) != w[i])
            return 0;
    return i == n && !w[i];
}

static int range_digits(const char **p, const char *end, uint64_t *n)
{
    int k = 0;
    for (*n = 0; *p < end && **p >= '0' && **p <= '9' && k < 18; (*p)++, k++)
        *n = *n * 10 + (uint64_t)(**p - '0');
    return k;
}

/*
 * A Range of a len-byte representation (§14.1.2): 1 and [*from, *to] for
 * one satisfiable byte range, -1 when it is unsatisfiable, 0 to send the
 * whole (another unit, bad syntax, or several ranges: §14.2 lets a
 * server ignore those).
 */
static int range_one(tr_str v, tr_rlen len, tr_rlen *from, tr_rlen *to)
{
    const char *p = v.ptr + 6, *end = v.ptr + v.len;
    uint64_t a, b;
    int na, nb;

    if (v.len < 7 || !range_word(v.ptr, 5, "bytes") || v.ptr[5] != '=')
        return 0;
    na = range_digits(&p, end, &a);
    if (p == end || *p++ != '-')
        return 0;
    nb = range_digits(&p, end, &b);
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

/* Adds "Content-Range: bytes FROM-TO/LEN", or "bytes * /LEN" (ok 0) for a 416. */
static void range_field(tr_res *res, int ok, tr_rlen from, tr_rlen to, tr_rlen len)
{
    char v[48] = "bytes ";
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

#endif /* TR_RANGE_H */
