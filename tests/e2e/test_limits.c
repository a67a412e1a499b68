/*
 * test_limits.c - size limits: the request line (414), the head and the
 * number of fields (431), and the body (413); against examples/reference
 * (8K line and head, 64 fields, 1M body) and tests/e2e/short.routes (256
 * byte line, 1K head, 8 fields, 1K body), exactly at each limit and one
 * byte over.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start_reference(void)
{
    tc_server_start(&srv, REFERENCE_BIN);
}

static void start_short(void)
{
    tc_server_start(&srv, SHORT_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(limits, .init = start_reference, .fini = stop, .timeout = 20);
TestSuite(short_limits, .init = start_short, .fini = stop, .timeout = 20);

/* A request of `line` bytes of request line (CRLF aside) for GET
 * /files/aaa..., then Host, then `fields` more fields padded so that the
 * whole head is `head` bytes (0: unpadded). Returns a malloc'ed string. */
static char *build(size_t line, int fields, size_t head)
{
    static const char pre[] = "GET /files/", post[] = " HTTP/1.1";
    size_t fixed = sizeof pre - 1 + sizeof post - 1;
    cr_assert(line > fixed);
    size_t cap = line + head + (size_t)fields * 64 + 256;
    char *s = malloc(cap);
    cr_assert(s != NULL);
    size_t n = 0;
    memcpy(s, pre, sizeof pre - 1);
    n += sizeof pre - 1;
    memset(s + n, 'a', line - fixed);
    n += line - fixed;
    memcpy(s + n, post, sizeof post - 1);
    n += sizeof post - 1;
    n += (size_t)sprintf(s + n, "\r\nHost: l\r\n");
    for (int i = 0; i < fields; i++)
        n += (size_t)sprintf(s + n, "X-F%02d: v\r\n", i);
    if (head) {
        /* Pad the last field (or add one when there is none) to the size. */
        cr_assert(fields > 0, "padding needs a field");
        size_t now = n + 2;
        cr_assert(head >= now, "head %zu is below the minimum %zu", head, now);
        size_t pad = head - now;
        s = realloc(s, n + pad + 3);
        n -= 2; /* before the last field's CRLF */
        memset(s + n, 'p', pad);
        n += pad;
        memcpy(s + n, "\r\n", 2);
        n += 2;
    }
    memcpy(s + n, "\r\n", 3);
    return s;
}

static int status_of(const char *req)
{
    struct tc_response r;
    tc_exchange_str(srv.port, req, &r);
    int st = r.status;
    tc_response_free(&r);
    return st;
}

/* ---- the reference server ---------------------------------------------- */

Test(limits, a_4_kib_head_with_30_fields_is_accepted)
{
    char *req = build(40, 29, 4096); /* Host + 29 = 30 fields */
    cr_assert_eq(strlen(req), 4096);
    cr_assert_eq(status_of(req), 200);
    free(req);
}

Test(limits, a_head_of_exactly_8_kib_with_64_fields_is_accepted)
{
    char *req = build(100, 63, 8192);
    cr_assert_eq(strlen(req), 8192);
    cr_assert_eq(status_of(req), 200);
    free(req);
}

Test(limits, a_head_over_8_kib_gets_431)
{
    /* RFC 6585 §5: 431 Request Header Fields Too Large. */
    char *req = build(100, 10, 8193);
    cr_assert_eq(status_of(req), 431);
    free(req);
    req = build(100, 20, 12000);
    cr_assert_eq(status_of(req), 431);
    free(req);
    tc_assert_alive(srv.port);
}

Test(limits, more_than_64_header_fields_get_431)
{
    char *req = build(40, 64, 0); /* Host + 64 */
    cr_assert_eq(status_of(req), 431);
    free(req);
    tc_assert_alive(srv.port);
}

Test(limits, a_request_line_over_8_kib_gets_414)
{
    /* RFC 9112 §3: a server that receives a request-target longer than any
     * URI it wishes to parse MUST respond with 414 (RFC 9110 §15.5.15);
     * spec/README.md: a request line over `limit request_line` gets 414. */
    static const size_t lines[] = { 8193, 9000 };
    for (int i = 0; i < 2; i++) {
        char *req = build(lines[i], 0, 0);
        int st = status_of(req);
        free(req);
        cr_assert_eq(st, 414, "a %zu-byte request line got %d, not 414", lines[i], st);
    }
    tc_assert_alive(srv.port);
}

Test(limits, a_huge_request_line_is_answered_without_waiting_for_its_end)
{
    /* 64 KiB of target and no end of line: the answer must come once the
     * limit is passed, not when (if ever) the line ends. */
    enum { N = 65536 };
    static char req[N];
    memcpy(req, "GET /", 5);
    memset(req + 5, 'a', N - 5);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, N); /* may fail midway once the server has answered */
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert(r.status == 414 || r.status == 431, "status %d", r.status);
    tc_response_free(&r);
    tc_close(&c);
    tc_assert_alive(srv.port);
}

/* ---- the short server --------------------------------------------------- */

/* Request line length, extra fields, head size (0: unpadded), status. */
struct limit_case {
    size_t line;
    int fields;
    size_t head;
    int status;
};

ParameterizedTestParameters(short_limits, each_size_at_and_over_the_limits_gets_its_status)
{
    static struct limit_case cases[] = {
        /* limit request_line 256: the request line without its CRLF. */
        { 256, 0, 0, 200 },      /* GET /files/aaa...: served at the limit */
        { 257, 0, 0, 414 },      /* RFC 9112 §3, RFC 9110 §15.5.15 */
        { 1000, 0, 0, 414 },
        /* limit head 1K: request line, fields and the final CRLF. */
        { 100, 7, 1024, 200 },
        { 100, 7, 1025, 431 },   /* RFC 6585 §5 */
        { 100, 7, 2000, 431 },
        /* limit headers 8: Host and 7 more is the most. */
        { 50, 7, 0, 200 },
        { 50, 8, 0, 431 },       /* RFC 6585 §5 */
    };
    return cr_make_param_array(struct limit_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct limit_case *c, short_limits,
                  each_size_at_and_over_the_limits_gets_its_status)
{
    char *req = build(c->line, c->fields, c->head);
    int st = status_of(req);
    free(req);
    cr_assert_eq(st, c->status, "line %zu, %d fields, head %zu: status %d, expected %d",
                     c->line, c->fields, c->head, st, c->status);
    tc_assert_alive(srv.port);
}

Test(short_limits, a_body_of_exactly_1_kib_is_echoed_and_one_byte_more_gets_413)
{
    /* RFC 9110 §15.5.14: content larger than the server will process: 413. */
    char req[2048];
    for (int extra = 0; extra <= 1; extra++) {
        int len = 1024 + extra;
        int h = snprintf(req, sizeof req,
                         "POST /echo HTTP/1.1\r\nHost: l\r\nContent-Length: %d\r\n\r\n", len);
        memset(req + h, 'b', (size_t)len);
        struct tc_conn c;
        tc_connect(&c, srv.port);
        tc_send(&c, req, extra ? (size_t)h : (size_t)(h + len)); /* 413: head only */
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK, "length %d", len);
        if (extra) {
            cr_assert_eq(r.status, 413);
            cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
        } else {
            cr_assert_eq(r.status, 200);
            cr_assert_eq(r.body_len, 1024);
        }
        tc_response_free(&r);
        tc_close(&c);
    }
    tc_assert_alive(srv.port);
}

Test(short_limits, a_chunked_body_over_1_kib_gets_413)
{
    char req[4096];
    int h = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n");
    /* Three chunks of 400: the third crosses 1K. */
    for (int i = 0; i < 3; i++) {
        h += snprintf(req + h, sizeof req - (size_t)h, "190\r\n");
        memset(req + h, 'c', 400);
        h += 400;
        h += snprintf(req + h, sizeof req - (size_t)h, "\r\n");
    }
    h += snprintf(req + h, sizeof req - (size_t)h, "0\r\n\r\n");
    struct tc_response r;
    tc_exchange(srv.port, req, (size_t)h, &r);
    cr_assert_eq(r.status, 413);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(short_limits, a_chunked_body_of_exactly_1_kib_is_echoed)
{
    char req[4096];
    int h = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 4; i++) {
        h += snprintf(req + h, sizeof req - (size_t)h, "100\r\n");
        memset(req + h, 'a' + i, 256);
        h += 256;
        h += snprintf(req + h, sizeof req - (size_t)h, "\r\n");
    }
    h += snprintf(req + h, sizeof req - (size_t)h, "0\r\n\r\n");
    struct tc_response r;
    tc_exchange(srv.port, req, (size_t)h, &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 1024);
    cr_assert_eq(r.body[0], 'a');
    cr_assert_eq(r.body[1023], 'd');
    tc_response_free(&r);
}

/* A POST /echo head padded to `head` bytes, its framing field first. */
static size_t build_post(char *s, size_t head, const char *framing)
{
    size_t n = (size_t)sprintf(s, "POST /echo HTTP/1.1\r\nHost: l\r\n%sX-Pad: ", framing);
    cr_assert(head >= n + 4);
    memset(s + n, 'p', head - n - 4);
    n = head - 4;
    memcpy(s + n, "\r\n\r\n", 4);
    return head;
}

Test(limits, a_head_of_exactly_8_kib_followed_by_a_chunked_body_is_echoed)
{
    /* The head fills the request buffer: the chunked body must still find
     * room to be decoded. */
    static char req[8192 + 8192];
    size_t n = build_post(req, 8192, "Transfer-Encoding: chunked\r\n");
    for (int i = 0; i < 10; i++) {
        n += (size_t)sprintf(req + n, "1f4\r\n");
        memset(req + n, 'A' + i, 500);
        n += 500;
        n += (size_t)sprintf(req + n, "\r\n");
    }
    n += (size_t)sprintf(req + n, "0\r\n\r\n");
    struct tc_response r;
    tc_exchange(srv.port, req, n, &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 5000);
    cr_assert_eq(r.body[4999], 'J');
    tc_response_free(&r);
}

Test(limits, a_head_of_exactly_8_kib_followed_by_a_content_length_body_and_a_pipelined_get)
{
    static char req[8192 + 8192];
    size_t n = build_post(req, 8192, "Content-Length: 3000\r\n");
    memset(req + n, 'x', 3000);
    n += 3000;
    n += (size_t)sprintf(req + n, "GET /hello/next HTTP/1.1\r\nHost: l\r\n\r\n");
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, n);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 3000);
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_str_eq(r.body, "Hello, next!");
    tc_response_free(&r);
    tc_close(&c);
}

Test(limits, two_pipelined_heads_larger_together_than_the_request_buffer_are_both_answered)
{
    static char req[12000];
    size_t n = 0;
    for (int i = 0; i < 2; i++) {
        n += (size_t)sprintf(req + n, "GET /hello/h%d HTTP/1.1\r\nHost: l\r\nX-Pad: ", i);
        memset(req + n, 'p', 5000);
        n += 5000;
        n += (size_t)sprintf(req + n, "\r\n\r\n");
    }
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, n);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_str_eq(r.body, "Hello, h0!");
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_str_eq(r.body, "Hello, h1!");
    tc_response_free(&r);
    tc_close(&c);
}
