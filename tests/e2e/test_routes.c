/*
 * test_routes.c - every route of examples/reference over a socket: the
 * typed parameters, percent-decoding, dot segments, 404s, and POST /echo
 * with each way of framing a body.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, REFERENCE_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(routes, .init = start, .fini = stop, .timeout = 20);

/* GET target on a new connection. */
static void get(const char *target, struct tc_response *r)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: routes.test\r\n\r\n", target);
    tc_exchange(srv.port, req, (size_t)n, r);
}

/* ---- GET / ------------------------------------------------------------- */

Test(routes, get_root_answers_200_text_plain_hello_world_with_its_length)
{
    struct tc_response r;
    get("/", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.version, "HTTP/1.1");
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "text/plain");
    cr_assert_str_eq(tc_header(&r, "Content-Length"), "13");
    cr_assert_eq(r.body_len, 13);
    cr_assert_str_eq(r.body, "Hello, world!");
    /* RFC 9110 §8.6: at most one Content-Length in an answer. */
    cr_assert_eq(tc_header_count(&r, "Content-Length"), 1);
    tc_response_free(&r);
}

/* ---- the route table --------------------------------------------------- */

/* A GET and what it must get.  body "*" means: status only (an error
 * answer whose body is the server's business). */
struct route_case {
    char target[128];
    int status;
    char body[96];
};

ParameterizedTestParameters(routes, every_route_answers_each_target_with_the_expected_status_and_body)
{
    static struct route_case cases[] = {
        /* The root and its query: unknown query parameters are ignored
         * (spec/README.md); RFC 9110 §4.2.1: the query is part of the target. */
        { "/", 200, "Hello, world!" },
        { "/?x=1&y", 200, "Hello, world!" },

        /* /hello/<name>: one segment, percent-decoded (RFC 3986 §2.1). */
        { "/hello/world", 200, "Hello, world!" },
        /* Issue 18: a <name> value that would hold '/' or '\\' is 400
         * (spec/README.md), as is one that is not UTF-8. */
        { "/hello/a%2Fb", 400, "*" },
        { "/hello/..%2f..%2fetc%2fpasswd", 400, "*" },
        { "/hello/..%5C..%5Cwin.ini", 400, "*" },
        { "/hello/%C3%28", 400, "*" },
        { "/hello/%C0%AE%C0%AE", 400, "*" },            /* overlong ".." */
        { "/files/a%5Cb", 200, "path=a\\b" },         /* a rest value may hold '\\' */
        { "/hello/%41%62c", 200, "Hello, Abc!" },
        { "/hello/%e2%82%AC", 200, "Hello, \xe2\x82\xac!" },
        { "/hello/a+b", 200, "Hello, a+b!" },       /* '+' is a space only in queries */
        { "/hello/a%20b", 200, "Hello, a b!" },
        { "/hello/~user_1-2.x", 200, "Hello, ~user_1-2.x!" },
        { "/hello/a%00b", 400, "*" },                 /* %00: spec/README.md */
        { "/hello/%", 400, "*" },                     /* RFC 3986 §2.1: % HEXDIG HEXDIG */
        { "/hello/%4", 400, "*" },
        { "/hello/%zz", 400, "*" },
        { "/hello/%g1", 400, "*" },
        { "/hello/a%2", 400, "*" },
        /* RFC 9112 §3.2 / RFC 3986 §3.3: only pchar in a path; raw
         * non-ASCII, control bytes, DEL are not. */
        { "/hello/\xc3\xa9", 400, "*" },
        { "/hello/\x80", 400, "*" },
        { "/hello/a\x01" "b", 400, "*" },
        { "/hello/a\x7f", 400, "*" },
        { "/hello/a\"b", 400, "*" },
        { "/hello/a<b>", 400, "*" },
        { "/hello/", 404, "*" },                      /* <name> is non-empty */
        { "/hello", 404, "*" },
        { "/hello/a/b", 404, "*" },                   /* one segment only */
        { "/hello/world/", 404, "*" },                /* trailing slash is part of the path */

        /* /add/<a:int>/<b:int>: optional '-', digits, within int64. */
        { "/add/2/3", 200, "5" },
        { "/add/-5/3", 200, "-2" },
        { "/add/0/0", 200, "0" },
        { "/add/-0/0", 200, "0" },
        { "/add/007/1", 200, "8" },
        { "/add/%32/%33", 200, "5" },                 /* decoded before it is typed */
        { "/add/9223372036854775807/0", 200, "9223372036854775807" },
        { "/add/-9223372036854775808/0", 200, "-9223372036854775808" },
        { "/add/9223372036854775807/-9223372036854775808", 200, "-1" },
        { "/add/+5/3", 404, "*" },
        { "/add/1.5/2", 404, "*" },
        { "/add/1e3/2", 404, "*" },
        { "/add/abc/1", 404, "*" },
        { "/add/-/1", 404, "*" },
        { "/add/ 1/2", 400, "*" },                    /* a space ends the target: bad line */
        { "/add/9223372036854775808/0", 404, "*" },   /* outside int64: does not match */
        { "/add/-9223372036854775809/0", 404, "*" },
        { "/add/99999999999999999999999/0", 404, "*" },
        { "/add/2", 404, "*" },
        { "/add/2/", 404, "*" },
        { "/add/1/2/3", 404, "*" },
        { "/add/2/3/", 404, "*" },
        /* The handler's own 400: the sum overflows. */
        { "/add/9223372036854775807/1", 400, "the sum does not fit in 64 bits" },
        { "/add/-9223372036854775808/-1", 400, "the sum does not fit in 64 bits" },

        /* /files/<path..>: one or more segments, empty ones dropped. */
        { "/files/a/b/c", 200, "path=a/b/c" },
        { "/files/x", 200, "path=x" },
        { "/files/a//b/", 200, "path=a/b" },
        { "/files//a", 200, "path=a" },
        { "/files/...", 200, "path=..." },            /* not a dot segment */
        { "/files/.hidden/a.txt", 200, "path=.hidden/a.txt" },
        { "/files/%41/b%20c", 200, "path=A/b c" },
        /* RFC 3986 §3.3 dot segments, raw or encoded (§2.3 %2E = '.'):
         * spec/README.md answers 400. */
        { "/files/.", 400, "*" },
        { "/files/..", 400, "*" },
        { "/files/./a", 400, "*" },
        { "/files/a/../b", 400, "*" },
        { "/files/a/..", 400, "*" },
        { "/files/%2e%2E", 400, "*" },
        { "/files/%2e/a", 400, "*" },
        { "/files/a/.%2e/b", 400, "*" },
        { "/files/a%00", 400, "*" },
        { "/files/", 404, "*" },
        { "/files", 404, "*" },
        /* A rest value needs a byte other than '/' once decoded, also in
         * the tail beyond the deepest pattern (the fourth segment on). */
        { "/files/%2F", 404, "*" },
        { "/files/%2f//%2F/%2F/%2F", 404, "*" },
        { "/files/%2F/%2F/%2F/%2Fa", 200, "path=a" },

        /* Everything else, and paths are case-sensitive (RFC 3986 §6.2.2.1). */
        { "/nope", 404, "*" },
        { "/index.html", 404, "*" },
        { "/HELLO/x", 404, "*" },
        { "/Hello/x", 404, "*" },
        { "/Files/a", 404, "*" },
        { "/ADD/1/2", 404, "*" },
        { "/echo/x", 404, "*" },
        { "/hello%2Fx", 404, "*" },
    };
    return cr_make_param_array(struct route_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct route_case *c, routes,
                  every_route_answers_each_target_with_the_expected_status_and_body)
{
    struct tc_response r;
    get(c->target, &r);
    cr_assert_eq(r.status, c->status, "GET %s: status %d, expected %d (body %s)", c->target,
                 r.status, c->status, r.body);
    /* Never a redirect for a trailing slash or anything else. */
    cr_assert_null(tc_header(&r, "Location"), "GET %s redirected", c->target);
    if (strcmp(c->body, "*") != 0) {
        cr_assert_str_eq(r.body, c->body, "GET %s", c->target);
        cr_assert_str_eq(tc_header(&r, "Content-Type"), "text/plain", "GET %s", c->target);
    }
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

/* ---- POST /echo -------------------------------------------------------- */

/* A POST to /echo: head fields after Host, the body bytes (any framing),
 * and the decoded body expected back. */
struct echo_case {
    char fields[128];
    char body[512];
    char expect[256];
};

ParameterizedTestParameters(routes, post_echo_returns_the_body_for_every_framing)
{
    static struct echo_case cases[] = {
        /* RFC 9112 §6.2: Content-Length frames the body. */
        { "Content-Length: 11\r\n", "hello world", "hello world" },
        { "Content-Length: 1\r\n", "x", "x" },
        { "Content-Length: 0\r\n", "", "" },
        { "Content-Length: 5\r\nContent-Type: text/plain\r\n", "abcde", "abcde" },
        /* RFC 9112 §7.1: chunked, sizes in hex, any case. */
        { "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "Transfer-Encoding: chunked\r\n", "1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n",
          "abcdef" },
        { "Transfer-Encoding: chunked\r\n", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
        { "Transfer-Encoding: chunked\r\n", "a\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n",
          "0123456789!" },
        { "Transfer-Encoding: chunked\r\n", "000005\r\nhello\r\n0000\r\n\r\n", "hello" },
        { "Transfer-Encoding: chunked\r\n", "0\r\n\r\n", "" },
        /* RFC 9112 §7.1.1: chunk extensions are ignored. */
        { "Transfer-Encoding: chunked\r\n", "5;name=value\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "Transfer-Encoding: chunked\r\n", "3;a;b=\"q s\"\r\nabc\r\n0\r\n\r\n", "abc" },
        { "Transfer-Encoding: chunked\r\n", "3 ;x=1\r\nabc\r\n0\r\n\r\n", "abc" },
        /* RFC 9112 §7.1.2: a trailer section is skipped. */
        { "Transfer-Encoding: chunked\r\n", "2\r\nok\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n", "ok" },
        /* RFC 9112 §6.1: the coding name is case-insensitive. */
        { "Transfer-Encoding: Chunked\r\n", "2\r\nhi\r\n0\r\n\r\n", "hi" },
    };
    return cr_make_param_array(struct echo_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct echo_case *c, routes, post_echo_returns_the_body_for_every_framing)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "POST /echo HTTP/1.1\r\nHost: routes.test\r\n%s\r\n%s",
                     c->fields, c->body);
    struct tc_response r;
    tc_exchange(srv.port, req, (size_t)n, &r);
    cr_assert_eq(r.status, 200, "status %d for %s", r.status, req);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "application/octet-stream");
    char len[32];
    snprintf(len, sizeof len, "%zu", strlen(c->expect));
    cr_assert_str_eq(tc_header(&r, "Content-Length"), len);
    cr_assert_str_eq(r.body, c->expect, "for %s", req);
    tc_response_free(&r);
}

Test(routes, post_echo_without_a_body_answers_200_with_an_empty_body)
{
    /* RFC 9112 §6.3 rule 7: no Content-Length, no Transfer-Encoding: no body. */
    struct tc_response r;
    tc_exchange_str(srv.port, "POST /echo HTTP/1.1\r\nHost: routes.test\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Length"), "0");
    cr_assert_eq(r.body_len, 0);
    tc_response_free(&r);
}

Test(routes, post_echo_returns_binary_bytes_including_nul_unchanged)
{
    char req[512];
    char body[256];
    for (int i = 0; i < 256; i++)
        body[i] = (char)i;
    int h = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: routes.test\r\nContent-Length: 256\r\n\r\n");
    memcpy(req + h, body, sizeof body);
    struct tc_response r;
    tc_exchange(srv.port, req, (size_t)h + sizeof body, &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 256);
    cr_assert(memcmp(r.body, body, 256) == 0, "the echoed bytes differ");
    tc_response_free(&r);
}

Test(routes, post_echo_of_a_64_kib_body_sent_in_pieces_comes_back_whole)
{
    enum { N = 65536 };
    static char req[N + 256];
    int h = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: routes.test\r\nContent-Length: %d\r\n\r\n", N);
    for (int i = 0; i < N; i++)
        req[h + i] = (char)('a' + i % 26);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    size_t at[] = { (size_t)h, (size_t)h + 1000, (size_t)h + 30000 };
    cr_assert_eq(tc_send_split(&c, req, (size_t)h + N, at, 3, 5), 0);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, N);
    cr_assert(memcmp(r.body, req + h, N) == 0, "the echoed bytes differ");
    tc_response_free(&r);
    tc_close(&c);
}

Test(routes, post_echo_with_a_declared_body_over_1_mib_gets_413_before_the_body_is_sent)
{
    /* RFC 9110 §15.5.14: 413 Content Too Large; the server may close.  The
     * body is never sent: an answer within the deadline shows the server
     * did not wait for it. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: routes.test\r\nContent-Length: 1048577\r\n\r\n");
    struct tc_response r;
    int st = tc_read_response(&c, &r, TC_TIMEOUT_MS, 0);
    cr_assert_eq(st, TC_OK, "no answer (%d) to a head declaring 1 MiB + 1", st);
    cr_assert_eq(r.status, 413);
    /* The unread body leaves the connection out of step: it must close. */
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_response_free(&r);
    tc_close(&c);
    tc_assert_alive(srv.port);
}

Test(routes, post_echo_of_exactly_1_mib_is_accepted)
{
    enum { N = 1048576 };
    static char req[N + 256];
    int h = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: routes.test\r\nContent-Length: %d\r\n\r\n", N);
    memset(req + h, 'z', N);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send(&c, req, (size_t)h + N), 0);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, 5000, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, N);
    cr_assert(memcmp(r.body, req + h, N) == 0);
    tc_response_free(&r);
    tc_close(&c);
}

Test(routes, a_chunked_body_that_grows_over_1_mib_gets_413)
{
    /* RFC 9110 §15.5.14: the limit holds for chunked bodies too. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: routes.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "100001\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 413);
    tc_response_free(&r);
    tc_close(&c);
    tc_assert_alive(srv.port);
}

/* Malformed chunked bodies: RFC 9112 §7.1 grammar, 400 and close. */
struct bad_chunk {
    char body[128];
};

ParameterizedTestParameters(routes, a_malformed_chunked_body_gets_400)
{
    static struct bad_chunk cases[] = {
        { "x\r\nhello\r\n0\r\n\r\n" },         /* not hex */
        { "5\r\nhelloXX0\r\n\r\n" },           /* no CRLF after the data */
        { "5\nhello\r\n0\r\n\r\n" },           /* bare LF */
        { ";ext\r\n\r\n" },                    /* no size */
        { "-1\r\nx\r\n0\r\n\r\n" },
        { "ffffffffffffffffff\r\n" },          /* size beyond 64 bits */
    };
    return cr_make_param_array(struct bad_chunk, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_chunk *c, routes, a_malformed_chunked_body_gets_400)
{
    char req[512];
    int n = snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: routes.test\r\nTransfer-Encoding: chunked\r\n"
                     "\r\n%s",
                     c->body);
    struct tc_conn conn;
    tc_connect(&conn, srv.port);
    tc_send(&conn, req, (size_t)n);
    struct tc_response r[2];
    int closed;
    int got = tc_read_until_close(&conn, r, 2, TC_TIMEOUT_MS, &closed);
    cr_assert_eq(got, 1, "%d answers to a malformed chunked body %s", got, c->body);
    /* RFC 9110 §15.5.14 allows 413 for a size beyond any limit. */
    cr_assert(r[0].status == 400 || r[0].status == 413, "status %d", r[0].status);
    cr_assert(closed, "the connection stays open after a framing error");
    tc_response_free(&r[0]);
    tc_close(&conn);
    tc_assert_alive(srv.port);
}

/* ---- deep paths -------------------------------------------------------- */

/* GET /files/ followed by `rest`; expects path=want, or 414 if the server
 * declines a path that long (RFC 9110 §15.5.15) — never 404: the route
 * matches "one or more segments to the end" (spec/README.md). */
static void expect_rest(const char *rest, const char *want)
{
    static char target[4096];
    snprintf(target, sizeof target, "/files/%s", rest);
    struct tc_response r;
    get(target, &r);
    cr_assert(r.status == 200 || r.status == 414,
              "GET /files/ + %zu bytes got %d: a deep path is not 'not found'", strlen(rest),
              r.status);
    if (r.status == 200) {
        char body[4096];
        snprintf(body, sizeof body, "path=%s", want);
        cr_assert_str_eq(r.body, body);
    }
    tc_response_free(&r);
}

Test(routes, a_rest_parameter_takes_a_path_of_63_segments)
{
    static char rest[512];
    size_t n = 0;
    for (int i = 0; i < 63; i++)
        n += (size_t)sprintf(rest + n, i ? "/s" : "s");
    struct tc_response r;
    char target[600];
    snprintf(target, sizeof target, "/files/%s", rest);
    get(target, &r);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    expect_rest(rest, rest);
}

Test(routes, a_rest_parameter_takes_a_path_of_100_segments)
{
    static char rest[512];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)sprintf(rest + n, i ? "/s" : "s");
    expect_rest(rest, rest);
}

Test(routes, many_empty_segments_inside_a_rest_path_are_dropped)
{
    /* spec/README.md: <path..> gets the path with empty segments dropped. */
    static char rest[512];
    size_t n = (size_t)sprintf(rest, "a");
    for (int i = 0; i < 100; i++)
        rest[n++] = '/';
    sprintf(rest + n, "b");
    expect_rest(rest, "a/b");
}
