/*
 * test_chunked.c - the RFC 9112 §7.1 decoder alone: every split point of
 * valid bodies, and each way a body can be malformed.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <string.h>

#include "tr_internal.h"

/* Feeds in as pieces cut at the given points; returns the final code. */
static int feed(const char *in, size_t len, const size_t *cuts, int ncuts, char *out,
                size_t *out_len, size_t cap, size_t *used_total)
{
    struct tr_chunked c;
    memset(&c, 0, sizeof c);
    size_t pos = 0;
    int r = TR_CHUNK_MORE;
    *out_len = 0;
    for (int i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        size_t used = 0;
        r = tr_chunked_decode(&c, in + pos, end - pos, &used, out, out_len, cap);
        if (r != TR_CHUNK_MORE) {
            *used_total = pos + used;
            return r;
        }
        cr_assert_eq(used, end - pos, "MORE must consume everything");
        pos = end;
    }
    *used_total = pos;
    return r;
}

static int decode_all(const char *in, size_t cap, char *out, size_t *out_len)
{
    size_t used;
    return feed(in, strlen(in), NULL, 0, out, out_len, cap, &used);
}

struct valid {
    const char *in;
    const char *body;
};

static const struct valid valid_bodies_decode_at_every_split_point_table[] = {
    { "0\r\n\r\n", "" },
    { "5\r\nhello\r\n0\r\n\r\n", "hello" },
    { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
    { "A\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
    { "00000003\r\nabc\r\n000\r\n\r\n", "abc" },
    { "3;name=value\r\nabc\r\n0;last\r\n\r\n", "abc" },
    { "3 ; q=\"a b\"\r\nabc\r\n0\r\n\r\n", "abc" },
    { "3\r\nabc\r\n0\r\nX-Trailer: yes\r\nOther:\r\n\r\n", "abc" },
    { "1\r\n\r\r\n1\r\n\n\r\n0\r\n\r\n", "\r\n" },
};

ParameterizedTestParameters(chunked, valid_bodies_decode_at_every_split_point)
{
    static size_t idx[sizeof valid_bodies_decode_at_every_split_point_table / sizeof valid_bodies_decode_at_every_split_point_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, chunked, valid_bodies_decode_at_every_split_point)
{
    const struct valid *v = &valid_bodies_decode_at_every_split_point_table[*ix];
    /* Pipelined bytes after the body must be left unconsumed. */
    char in[128];
    size_t len = strlen(v->in);
    memcpy(in, v->in, len);
    memcpy(in + len, "GET", 3);
    char out[64];
    size_t out_len, used;
    for (size_t a = 0; a <= len + 3; a++) {
        for (size_t b = a; b <= len + 3; b++) {
            size_t cuts[2] = { a, b };
            int r = feed(in, len + 3, cuts, 2, out, &out_len, sizeof out, &used);
            cr_assert_eq(r, TR_CHUNK_DONE, "split %zu/%zu of %s", a, b, v->in);
            cr_assert_eq(used, len, "split %zu/%zu", a, b);
            cr_assert_eq(out_len, strlen(v->body));
            cr_assert_arr_eq(out, v->body, out_len);
        }
    }
}

Test(chunked, byte_by_byte_input_decodes_and_every_prefix_says_more)
{
    const char *in = "4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n";
    size_t len = strlen(in);
    struct tr_chunked c;
    memset(&c, 0, sizeof c);
    char out[32];
    size_t out_len = 0, used;
    for (size_t i = 0; i < len; i++) {
        int r = tr_chunked_decode(&c, in + i, 1, &used, out, &out_len, sizeof out);
        cr_assert_eq(r, i + 1 == len ? TR_CHUNK_DONE : TR_CHUNK_MORE, "byte %zu", i);
        cr_assert_eq(used, 1);
    }
    cr_assert_eq(out_len, 9);
    cr_assert_arr_eq(out, "Wikipedia", 9);
}

Test(chunked, empty_input_is_more_and_done_stays_done)
{
    struct tr_chunked c;
    memset(&c, 0, sizeof c);
    char out[8];
    size_t out_len = 0, used = 99;
    cr_assert_eq(tr_chunked_decode(&c, "", 0, &used, out, &out_len, 8), TR_CHUNK_MORE);
    cr_assert_eq(used, 0);
    cr_assert_eq(tr_chunked_decode(&c, "0\r\n\r\n", 5, &used, out, &out_len, 8), TR_CHUNK_DONE);
    cr_assert_eq(tr_chunked_decode(&c, "xx", 2, &used, out, &out_len, 8), TR_CHUNK_DONE);
    cr_assert_eq(used, 0);
}

static const char *const malformed_bodies_are_errors_table[] = {
    "\r\n",                          /* no size */
    "g\r\n",                         /* not hex */
    " 5\r\nhello\r\n0\r\n\r\n",      /* leading space */
    "-5\r\n",                        /* sign */
    "0x5\r\n",                       /* C prefix */
    "5 x\r\n",                       /* BWS not followed by ';' */
    "5\nhello\r\n0\r\n\r\n",         /* bare LF after size */
    "5\rhello",                      /* CR not followed by LF */
    "5\r\nhelloX\r\n",               /* data longer than its size */
    "5\r\nhello\n0\r\n\r\n",         /* bare LF after data */
    "5\r\nhello\r\n0\r\n\n",         /* bare LF at the end */
    "0\r\n\r\r",                     /* CR CR at the end */
    "3;a\x01=b\r\nabc\r\n0\r\n\r\n", /* control byte in an extension */
    "3;a\nb\r\n",                    /* LF in an extension */
    "0\r\nBad Name: v\r\n\r\n",      /* space in a trailer name */
    "0\r\n: v\r\n\r\n",              /* empty trailer name */
    "0\r\nX: v\nY: w\r\n\r\n",       /* bare LF in trailers */
    "0\r\nX: a\x7f\r\n\r\n",         /* DEL in a trailer value */
    "0\r\nNoColon\r\n\r\n",          /* trailer without colon */
    "10000000000000000\r\n",         /* 2^64: overflows 64 bits */
    "fffffffffffffffff\r\n",         /* 17 digits */
    "3;0123456789012345678901234567890123456789\r\nabc\r\n0\r\n\r\n", /* ext > 32 */
    "00000000000000000000000000000000003\r\nabc\r\n0\r\n\r\n", /* zeros: line > 32 */
    "3                                  ;a\r\nabc\r\n0\r\n\r\n", /* BWS: line > 32 */
    "0\r\nX: 0123456789012345678901234567890123456789012345678901234567890123\r\n\r\n",
};

ParameterizedTestParameters(chunked, malformed_bodies_are_errors)
{
    static size_t idx[sizeof malformed_bodies_are_errors_table / sizeof malformed_bodies_are_errors_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, chunked, malformed_bodies_are_errors)
{
    const char *const *in = &malformed_bodies_are_errors_table[*ix];
    char out[64];
    size_t out_len;
    /* A huge cap: the overflow check, not the size check, must trip. */
    cr_assert_eq(decode_all(*in, SIZE_MAX, out, &out_len), TR_CHUNK_ERR, "%s", *in);
}

Test(chunked, a_chunk_beyond_the_cap_is_too_big_before_its_data)
{
    char out[8];
    size_t out_len, used;
    const char *in = "5\r\nhel";
    cr_assert_eq(feed(in, strlen(in), NULL, 0, out, &out_len, 4, &used), TR_CHUNK_TOO_BIG);
    cr_assert_eq(out_len, 0);
    cr_assert_eq(decode_all("4\r\nabcd\r\n1\r\n", 4, out, &out_len), TR_CHUNK_TOO_BIG);
    cr_assert_eq(decode_all("ffffffffffffffff\r\n", 4, out, &out_len), TR_CHUNK_TOO_BIG);
    cr_assert_eq(decode_all("4\r\nabcd\r\n0\r\n\r\n", 4, out, &out_len), TR_CHUNK_DONE);
}

Test(chunked, the_size_line_bound_is_exact_and_counts_each_line_afresh)
{
    char out[16];
    size_t out_len;
    /* 31 bytes and the CR: TR_CHUNK_LINE_MAX (32) exactly, twice over. */
    const char *at_bound = "0000000000000000000000000000003\r\nabc\r\n"
                           "2;aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nde\r\n0\r\n\r\n";
    cr_assert_eq(decode_all(at_bound, sizeof out, out, &out_len), TR_CHUNK_DONE);
    cr_assert_eq(out_len, 5);
    cr_assert_arr_eq(out, "abcde", 5);
    /* One byte more on the second line. */
    const char *over = "0000000000000000000000000000003\r\nabc\r\n"
                       "2;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nde\r\n0\r\n\r\n";
    cr_assert_eq(decode_all(over, sizeof out, out, &out_len), TR_CHUNK_ERR);
}
