/*
 * test_persistence.c - RFC 9112 §9: persistent connections, pipelining,
 * the close option, HTTP/1.0 keep-alive.  Each row sends its requests in
 * one write and names every answer that must come back, in order; the
 * runner then checks that the connection is closed or still in sync.
 *
 * RFC 9112 §9.3 makes persistence the default without obliging a server
 * to keep a connection; rows marked "(project)" hold the reference server
 * to what its documentation promises (docs/ARCHITECTURE.md: pipelined
 * answers batched in one write).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "conformance.h"

TestSuite(persistence, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);

#define H "Host: persist.test\r\n"
#define GET(name) "GET /hello/" name " HTTP/1.1\r\n" H "\r\n"
#define GET10(name) "GET /hello/" name " HTTP/1.0\r\n\r\n"

ParameterizedTestParameters(persistence, each_connection_persists_or_closes_as_the_rfc_requires)
{
    static struct cf_case cases[] = {
        { "RFC 9112 §9.3 1.1 persists by default (project)", CF_REQ(GET("a")), { 200 },
          "Hello, a!", { "" }, CF_KEEP },
        { "RFC 9112 §9.3.2 MUST answer pipelined requests in order",
          CF_REQ(GET("a") GET("b") GET("c")), { 200 }, "Hello, a!", { "Hello, b!", "Hello, c!" },
          CF_KEEP },
        { "RFC 9112 §9.3.2 in order across errors",
          CF_REQ("GET /nope HTTP/1.1\r\n" H "\r\nPOST / HTTP/1.1\r\n" H "\r\n" GET("c")),
          { 404 }, "", { "#405", "Hello, c!" }, CF_KEEP },
        { "RFC 9112 §9.3.2 a Content-Length body, then the next request",
          CF_REQ("POST /echo HTTP/1.1\r\n" H "Content-Length: 3\r\n\r\nabc" GET("b")), { 200 },
          "abc", { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §9.3.2 a chunked body, then the next request",
          CF_REQ("POST /echo HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n0\r\n\r\n" GET("b")),
          { 200 }, "abc", { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §9.3.2 a chunked body with a trailer, then the next",
          CF_REQ("POST /echo HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n"
                 "1\r\nx\r\n0\r\nX-T: 1\r\n\r\n" GET("b")),
          { 200 }, "x", { "Hello, b!" }, CF_KEEP },
        { "RFC 9110 §9.3.2 a HEAD answer has no body, then the next",
          CF_REQ("HEAD /hello/a HTTP/1.1\r\n" H "\r\n" GET("b")), { 200 }, "",
          { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §3.2.4 OPTIONS *, then the next",
          CF_REQ("OPTIONS * HTTP/1.1\r\n" H "\r\n" GET("b")), { 200, 204 }, "",
          { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §2.2 SHOULD ignore an empty line between requests",
          CF_REQ(GET("a") "\r\n" GET("b")), { 200 }, "Hello, a!", { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §9.6 close: MUST NOT process later requests",
          CF_REQ("GET /hello/a HTTP/1.1\r\n" H "Connection: close\r\n\r\n" GET("b")), { 200 },
          "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9110 §7.6.1 close among other options",
          CF_REQ("GET /hello/a HTTP/1.1\r\n" H "Connection: keep-alive, x-foo ,close\r\n\r\n"
                 GET("b")),
          { 200 }, "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9110 §7.6.1 options are case-insensitive",
          CF_REQ("GET /hello/a HTTP/1.1\r\n" H "Connection: CLOSE\r\n\r\n" GET("b")), { 200 },
          "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9110 §7.6.1 close in a second Connection field",
          CF_REQ("GET /hello/a HTTP/1.1\r\n" H "Connection: x-a\r\nConnection: close\r\n\r\n"
                 GET("b")),
          { 200 }, "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9112 §9.6 close on an error answer too",
          CF_REQ("GET /nope HTTP/1.1\r\n" H "Connection: close\r\n\r\n" GET("b")), { 404 }, "",
          { "" }, CF_CLOSE },
        { "RFC 9110 §7.6.1 'closed' is not close (project)",
          CF_REQ("GET /hello/a HTTP/1.1\r\n" H "Connection: closed\r\n\r\n" GET("b")), { 200 },
          "Hello, a!", { "Hello, b!" }, CF_KEEP },
        { "RFC 9112 §9.3 1.0 without keep-alive closes", CF_REQ(GET10("a") GET10("b")),
          { 200 }, "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9112 §9.3 1.0 keep-alive MAY persist",
          CF_REQ("GET /hello/a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), { 200 },
          "Hello, a!", { "" }, CF_ANY },
        { "RFC 9112 §9.3 1.0 keep-alive and close: close wins",
          CF_REQ("GET /hello/a HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n" GET10("b")),
          { 200 }, "Hello, a!", { "" }, CF_CLOSE },
        { "RFC 9112 §9.3 a 1.0 request closes after pipelined 1.1",
          CF_REQ(GET("a") GET10("b") GET("c")), { 200 }, "Hello, a!", { "Hello, b!" },
          CF_CLOSE },
        { "RFC 9112 §9.3 1.0 POST without keep-alive closes",
          CF_REQ("POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nok" GET("b")), { 200 }, "ok",
          { "" }, CF_CLOSE },
        { "RFC 9112 §2.2 a bad request behind good ones",
          CF_REQ(GET("a") "GET  / HTTP/1.1\r\n" H "\r\n"), { 200 }, "Hello, a!", { "#400" },
          CF_ANY },
        { "RFC 9110 §10.1.1 100-continue with the body already sent",
          CF_REQ("POST /echo HTTP/1.1\r\n" H "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n"
                 "abc" GET("b")),
          { 200 }, "abc", { "Hello, b!" }, CF_KEEP },
    };
    return cr_make_param_array(struct cf_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cf_case *c, persistence,
                  each_connection_persists_or_closes_as_the_rfc_requires)
{
    cf_check(c);
}
