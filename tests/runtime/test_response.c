/*
 * test_response.c - tr_res_* as handlers use it, and the serializer the
 * runtime runs after the handler returns.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tr_internal.h"

#define DATE "Sun, 06 Nov 1994 08:49:37 GMT"

static char buf[TR_OUT_MAX + 1];
static tr_res res;

static void setup(void)
{
    memset(buf, '#', sizeof buf);
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
}

/* Serializes and returns the bytes as a NUL-terminated string. */
static const char *finish(unsigned fin, const char *date)
{
    uint32_t n = tr_res_finish(&res, fin, date);
    cr_assert(res.base + n <= TR_OUT_MAX);
    buf[res.base + n] = '\0';
    return buf + res.base;
}

TestSuite(response, .init = setup);

Test(response, a_handler_that_does_nothing_sends_an_empty_200)
{
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

Test(response, headers_and_body_serialize_in_order_with_date_and_close)
{
    cr_assert_eq(tr_res_content_type(&res, "text/plain"), 0);
    cr_assert_eq(tr_res_header(&res, "X-A", "1", 1), 0);
    cr_assert_eq(tr_res_puts(&res, "hello "), 0);
    cr_assert_eq(tr_res_int(&res, -42), 0);
    tr_res_status(&res, 201);
    cr_assert_str_eq(finish(TR_FIN_CLOSE, DATE),
                     "HTTP/1.1 201 Created\r\nContent-Length: 9\r\nConnection: close\r\n"
                     "Date: " DATE "\r\nContent-Type: text/plain\r\nX-A: 1\r\n\r\nhello -42");
}

Test(response, a_header_added_after_body_bytes_goes_before_them)
{
    tr_res_puts(&res, "body");
    tr_res_header(&res, "X-Late", "yes", 3);
    tr_res_puts(&res, "!");
    cr_assert_str_eq(finish(TR_FIN_KEEP_ALIVE, NULL),
                     "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n"
                     "X-Late: yes\r\n\r\nbody!");
}

Test(response, head_keeps_the_length_and_drops_the_body)
{
    tr_res_puts(&res, "twelve bytes");
    cr_assert_str_eq(finish(TR_FIN_HEAD, NULL),
                     "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n");
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
    tr_res_body_static(&res, "static", 6);
    cr_assert_str_eq(finish(TR_FIN_HEAD, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n");
    cr_assert_null(res.sbody);
}

Test(response, a_static_body_is_left_out_of_the_buffer_for_writev)
{
    static const char page[] = "<html></html>";
    tr_res_puts(&res, "replaced");
    tr_res_body_static(&res, page, sizeof page - 1);
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n");
    cr_assert_eq(res.sbody, page);
    cr_assert_eq(res.slen, 13);
}

Test(response, writing_after_a_static_body_appends_to_a_copy)
{
    tr_res_body_static(&res, "abc", 3);
    tr_res_puts(&res, "def");
    cr_assert_null(res.sbody);
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef");
}

Test(response, no_content_and_not_modified_carry_neither_length_nor_body)
{
    tr_res_status(&res, 204);
    tr_res_puts(&res, "x");
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 204 No Content\r\n\r\n");
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
    tr_res_status(&res, 304);
    tr_res_header(&res, "ETag", "\"1\"", 3);
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n");
}

Test(response, a_final_status_without_a_known_reason_goes_out_with_an_empty_one)
{
    /* RFC 9112 §4: the reason-phrase may be empty; the space before it
     * is not optional. */
    static const int codes[] = { 299, 409, 410, 412, 416, 426, 428, 451, 502, 504, 599 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "HTTP/1.1 %d \r\nContent-Length: 4\r\n\r\nkept", codes[i]);
        tr_res_init(&res, buf, TR_OUT_MAX, 0);
        tr_res_status(&res, codes[i]);
        tr_res_puts(&res, "kept");
        cr_assert_str_eq(finish(0, NULL), want);
    }
}

Test(response, interim_and_out_of_range_statuses_become_500)
{
    /* RFC 9110 §15.2: a 1xx is interim, never the answer; 600 and above
     * are no status at all. */
    static const int codes[] = { 100, 101, 199, 600, 99, 0, -1 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        tr_res_init(&res, buf, TR_OUT_MAX, 0);
        tr_res_status(&res, codes[i]);
        tr_res_puts(&res, "lost");
        cr_assert_str_eq(finish(0, NULL),
                         "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
                         "%d", codes[i]);
    }
}

Test(response, a_body_that_does_not_fit_becomes_a_500)
{
    static char big[TR_OUT_MAX];
    memset(big, 'x', sizeof big);
    tr_res_header(&res, "X-Gone", "1", 1);
    cr_assert_eq(tr_res_write(&res, big, TR_OUT_MAX - TR_RES_RESERVE - 20), 0);
    cr_assert_eq(tr_res_write(&res, big, 100), -1);
    cr_assert_str_eq(finish(TR_FIN_CLOSE, DATE),
                     "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                     "Connection: close\r\nDate: " DATE "\r\n\r\n");
}

Test(response, the_buffer_can_be_filled_exactly)
{
    static char big[TR_OUT_MAX];
    memset(big, 'y', sizeof big);
    size_t n = TR_OUT_MAX - TR_RES_RESERVE;
    cr_assert_eq(tr_res_write(&res, big, n), 0);
    uint32_t len = tr_res_finish(&res, TR_FIN_CLOSE, DATE);
    cr_assert(len <= TR_OUT_MAX);
    cr_assert_eq(buf[TR_OUT_MAX], '#', "wrote past the buffer");
    cr_assert_eq(memcmp(buf + len - n, big, n), 0);
}

static int spills;
static int fake_spill(tr_res *r)
{
    spills++;
    memmove(r->buf, r->buf + r->base, TR_RES_RESERVE + r->hlen + r->blen);
    r->base = 0;
    return 0;
}

Test(response, a_response_behind_earlier_answers_spills_them_to_make_room)
{
    static char big[TR_OUT_MAX];
    memset(big, 'z', sizeof big);
    tr_res_init(&res, buf, TR_OUT_MAX, 600);
    res.spill = fake_spill;
    tr_res_puts(&res, "abc");
    cr_assert_eq(tr_res_write(&res, big, 500), 0);
    cr_assert_eq(spills, 1);
    cr_assert_eq(res.base, 0);
    cr_assert_eq(memcmp(buf + TR_RES_RESERVE, "abczzz", 6), 0);
}

Test(response, answers_queue_behind_each_other_at_base)
{
    tr_res_init(&res, buf, TR_OUT_MAX, 100);
    tr_res_puts(&res, "second");
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
}

Test(response, int_formats_the_extremes)
{
    tr_res_int(&res, INT64_MIN);
    tr_res_puts(&res, " ");
    tr_res_int(&res, INT64_MAX);
    tr_res_puts(&res, " ");
    tr_res_int(&res, 0);
    const char *s = finish(0, NULL);
    cr_assert(strstr(s, "\r\n\r\n-9223372036854775808 9223372036854775807 0") != NULL, "%s", s);
}

Test(response, int_formats_both_sides_of_32_bits)
{
    /* tr_fmt_u64 switches from 64-bit to 32-bit arithmetic at 2^32. */
    static const struct { uint64_t v; const char *s; } cases[] = {
        { 9, "9" }, { 10, "10" }, { 4294967295u, "4294967295" }, { 4294967296u, "4294967296" },
        { 10000000000u, "10000000000" }, { 18446744073709551615u, "18446744073709551615" },
        { 1844674407370955161u, "1844674407370955161" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[21];
        size_t n = tr_fmt_u64(out, cases[i].v);
        out[n] = '\0';
        cr_assert_str_eq(out, cases[i].s);
    }
}

Test(response, content_type_checks_its_value)
{
    cr_assert_eq(tr_res_content_type(&res, "text/html\r\nSet-Cookie: x"), -1);
    cr_assert_eq(tr_res_content_type(&res, "a\nb"), -1);
    cr_assert_eq(tr_res_content_type(&res, NULL), -1);
    cr_assert_eq(res.hlen, 0, "nothing added");
    cr_assert_eq(tr_res_content_type(&res, "text/plain; charset=utf-8"), 0);
    cr_assert(strstr(finish(0, NULL), "\r\nContent-Type: text/plain; charset=utf-8\r\n") != NULL);
}

Test(response, allow_lists_methods_in_order_and_get_implies_head)
{
    tr_res_status(&res, 405);
    tr_res_allow(&res, (1u << TR_GET) | (1u << TR_POST) | (1u << TR_OPTIONS));
    cr_assert_str_eq(finish(0, NULL),
                     "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n"
                     "Allow: GET, HEAD, POST, OPTIONS\r\n\r\n");
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
    tr_res_allow(&res, 0x7f);
    cr_assert(strstr(finish(0, NULL), "Allow: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\r\n"));
}

Test(response, every_listed_status_has_its_reason_phrase)
{
    static const int codes[] = { 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
                                 400, 401, 403, 404, 405, 408, 411, 413, 414, 415, 417, 422,
                                 429, 431, 500, 501, 503, 505 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        cr_assert_not_null(tr_res_reason(codes[i]), "%d", codes[i]);
    cr_assert_str_eq(tr_res_reason(200), "OK");
    cr_assert_str_eq(tr_res_reason(308), "Permanent Redirect");
    cr_assert_str_eq(tr_res_reason(413), "Content Too Large");
    cr_assert_str_eq(tr_res_reason(431), "Request Header Fields Too Large");
    cr_assert_str_eq(tr_res_reason(505), "HTTP Version Not Supported");
    cr_assert_null(tr_res_reason(418));
    cr_assert_null(tr_res_reason(100), "no 1xx: no handler can send one");
    cr_assert_null(tr_res_reason(0));
}

struct hdr {
    const char *name;
    const char *value;
    size_t len;
};

static const struct hdr invalid_or_runtime_owned_headers_are_refused_table[] = {
    { "", "v", 1 },
    { "Bad Name", "v", 1 },
    { "Bad:Name", "v", 1 },
    { "X-\x7f", "v", 1 },
    { "X-(", "v", 1 },
    { "X-\xc3\xa9", "v", 1 },
    { "X-A", "a\r\nSet-Cookie: x", 16 },
    { "X-A", "a\rb", 3 },
    { "X-A", "a\nb", 3 },
    { "X-A", "a\0b", 3 },
    { "X(A", "b", 1 },
    { "X\x80", "b", 1 },
    { "X\x7f", "b", 1 },
    { "X A", "b", 1 },
    { "Content-Length", "5", 1 },
    { "content-length", "5", 1 },
    { "CONNECTION", "close", 5 },
    { "Date", "x", 1 },
    { "Transfer-Encoding", "chunked", 7 },
    /* RFC 9110 §5.5: no control byte but HTAB in a value. */
    { "X-A", "a\x1b[2Jb", 6 },
    { "X-A", "a\x7f", 2 },
    { "X-A", "a\vb", 3 },
    { "X-A", "a\fb", 3 },
    { "X-A", "\x01", 1 },
    { "X-A", "a\x1f", 2 },
    /* Hop-by-hop and framing fields (RFC 9110 §7.6.1, RFC 9112 §6), and
     * Content-Encoding, which the runtime sets for the assets it serves. */
    { "Keep-Alive", "timeout=5", 9 },
    { "upgrade", "h2c", 3 },
    { "Trailer", "X", 1 },
    { "TE", "trailers", 8 },
    { "Content-Encoding", "gzip", 4 },
};

ParameterizedTestParameters(response, invalid_or_runtime_owned_headers_are_refused)
{
    static size_t idx[sizeof invalid_or_runtime_owned_headers_are_refused_table / sizeof invalid_or_runtime_owned_headers_are_refused_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, response, invalid_or_runtime_owned_headers_are_refused)
{
    const struct hdr *h = &invalid_or_runtime_owned_headers_are_refused_table[*ix];
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
    cr_assert_eq(tr_res_header(&res, h->name, h->value, h->len), -1, "%s", h->name);
    cr_assert_eq(res.hlen, 0, "nothing added");
    cr_assert_eq(res.overflow, 0);
}

Test(response, token_names_and_plain_values_are_accepted)
{
    cr_assert_eq(tr_res_header(&res, "X-!#$%&'*+-.^_`|~09az", "tab\tand spaces", 14), 0);
    cr_assert_eq(tr_res_header(&res, "Empty", "", 0), 0);
    cr_assert_eq(tr_res_header(&res, "Content-Lengthy", "ok", 2), 0);
    cr_assert_str_eq(finish(0, NULL),
                     "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                     "X-!#$%&'*+-.^_`|~09az: tab\tand spaces\r\nEmpty: \r\n"
                     "Content-Lengthy: ok\r\n\r\n");
}

Test(response, the_reserve_fits_the_longest_runtime_head)
{
    tr_res_status(&res, 431);
    tr_res_header(&res, "X", "y", 1);
    tr_res_puts(&res, "b");
    res.blen = 1;
    const char *s = finish(TR_FIN_KEEP_ALIVE, DATE);
    size_t head = strlen(s) - strlen("X: y\r\n\r\nb");
    cr_assert(head + 2 <= TR_RES_RESERVE, "head %zu", head);
    cr_assert(strstr(s, "\r\nX: y\r\n\r\nb") != NULL);
}

Test(response, leading_and_trailing_whitespace_of_a_value_is_trimmed)
{
    /* RFC 9110 §5.5: a field value does not include leading or trailing
     * whitespace. */
    cr_assert_eq(tr_res_header(&res, "X-A", " \t a b \t ", 9), 0);
    cr_assert_eq(tr_res_header(&res, "X-B", "   ", 3), 0);
    cr_assert_eq(tr_res_content_type(&res, " text/plain "), 0);
    cr_assert_str_eq(finish(0, NULL), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                                      "X-A: a b\r\nX-B: \r\nContent-Type: text/plain\r\n\r\n");
}

Test(response, a_field_that_may_appear_once_is_replaced_not_sent_twice)
{
    /* RFC 9110 §5.3: only list fields may be repeated; Content-Type,
     * Location, ETag and the like are singletons. */
    tr_res_puts(&res, "body");
    cr_assert_eq(tr_res_content_type(&res, "text/plain"), 0);
    cr_assert_eq(tr_res_header(&res, "Location", "/a", 2), 0);
    cr_assert_eq(tr_res_header(&res, "Vary", "Accept", 6), 0);
    cr_assert_eq(tr_res_header(&res, "content-type", "application/json", 16), 0);
    cr_assert_eq(tr_res_header(&res, "LOCATION", "/b", 2), 0);
    cr_assert_eq(tr_res_header(&res, "Vary", "Origin", 6), 0);
    cr_assert_eq(tr_res_content_type(&res, "text/html"), 0);
    cr_assert_str_eq(finish(0, NULL),
                     "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
                     "Vary: Accept\r\nLOCATION: /b\r\nVary: Origin\r\n"
                     "Content-Type: text/html\r\n\r\nbody");
}

Test(response, a_refused_value_leaves_the_field_it_would_have_replaced)
{
    cr_assert_eq(tr_res_content_type(&res, "text/plain"), 0);
    cr_assert_eq(tr_res_content_type(&res, "text/\x1bhtml"), -1);
    cr_assert_str_eq(finish(0, NULL),
                     "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Type: text/plain\r\n\r\n");
}
