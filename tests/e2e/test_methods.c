/*
 * test_methods.c - methods and request lines against examples/reference:
 * HEAD, 405 with Allow (every standard method), automatic OPTIONS, 501, 505
 * and malformed lines.
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

TestSuite(methods, .init = start, .fini = stop, .timeout = 20);

/* ---- HEAD -------------------------------------------------------------- */

Test(methods, head_root_sends_the_get_headers_and_no_body_as_a_pipelined_get_shows)
{
    /* RFC 9110 §9.3.2: HEAD is GET without content; the server SHOULD send
     * the same header fields, Content-Length included (§8.6).  The GET
     * pipelined behind it proves no body bytes followed the HEAD answer:
     * they would be parsed as the start of the second response. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "HEAD / HTTP/1.1\r\nHost: methods.test\r\n\r\n"
                    "GET / HTTP/1.1\r\nHost: methods.test\r\n\r\n");
    struct tc_response head, get;
    cr_assert_eq(tc_read_response(&c, &head, TC_TIMEOUT_MS, 1), TC_OK);
    cr_assert_eq(tc_read_response(&c, &get, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(head.status, 200);
    cr_assert_str_eq(tc_header(&head, "Content-Length"), "13");
    cr_assert_str_eq(tc_header(&head, "Content-Type"), "text/plain");
    cr_assert_eq(get.status, 200);
    cr_assert_str_eq(get.body, "Hello, world!");
    cr_assert_eq(head.nheaders, get.nheaders, "HEAD and GET answers differ in header count");
    for (int i = 0; i < get.nheaders; i++) {
        const char *v = tc_header(&head, get.headers[i].name);
        cr_assert_not_null(v, "HEAD lacks %s", get.headers[i].name);
        cr_assert_str_eq(v, get.headers[i].value, "%s differs", get.headers[i].name);
    }
    /* Nothing more: no stray body bytes anywhere. */
    cr_assert_eq(tc_wait_close(&c, 100), TC_TIMEOUT, "stray bytes after the GET answer");
    tc_response_free(&head);
    tc_response_free(&get);
    tc_close(&c);
}

Test(methods, head_on_a_parameterised_route_sends_its_length_and_no_body)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "HEAD /hello/bob HTTP/1.1\r\nHost: methods.test\r\n\r\n"
                    "GET /add/1/1 HTTP/1.1\r\nHost: methods.test\r\n\r\n");
    struct tc_response head, get;
    cr_assert_eq(tc_read_response(&c, &head, TC_TIMEOUT_MS, 1), TC_OK);
    cr_assert_eq(tc_read_response(&c, &get, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(head.status, 200);
    cr_assert_str_eq(tc_header(&head, "Content-Length"), "11"); /* "Hello, bob!" */
    cr_assert_str_eq(get.body, "2");
    tc_response_free(&head);
    tc_response_free(&get);
    tc_close(&c);
}

/* ---- 405, OPTIONS, 501 ------------------------------------------------- */

/* A method on a target, the status, and the Allow tokens (space-separated
 * here) that must and must not appear; "" for no Allow check. */
struct method_case {
    char line[96];
    int status;
    char allow[64];
    char not_allow[64];
};

ParameterizedTestParameters(methods, each_method_gets_the_status_and_allow_header_it_must)
{
    static struct method_case cases[] = {
        /* RFC 9110 §15.5.6: 405 MUST carry Allow listing the methods the
         * target supports; §9.3.2 HEAD with every GET route. */
        { "POST / HTTP/1.1", 405, "GET HEAD OPTIONS", "POST" },
        { "POST /hello/x HTTP/1.1", 405, "GET HEAD OPTIONS", "POST" },
        { "POST /files/a/b HTTP/1.1", 405, "GET HEAD OPTIONS", "POST" },
        { "GET /echo HTTP/1.1", 405, "POST OPTIONS", "GET" },
        { "HEAD /echo HTTP/1.1", 405, "POST OPTIONS", "GET" },
        /* RFC 9110 §9.3.7: OPTIONS describes the target; spec/README.md:
         * automatic 204 with Allow. */
        { "OPTIONS /echo HTTP/1.1", 204, "POST OPTIONS", "GET" },
        { "OPTIONS / HTTP/1.1", 204, "GET HEAD OPTIONS", "POST" },
        { "OPTIONS /add/1/2 HTTP/1.1", 204, "GET HEAD OPTIONS", "POST" },
        /* RFC 9110 §15.5.6: every standard method (and PATCH) is known
         * whether a route uses it or not (runtime/tr_methods.h): one the
         * target lacks is 405 with Allow, as nginx and lighttpd answer. */
        { "PUT /hello/x HTTP/1.1", 405, "GET HEAD OPTIONS", "PUT" },
        { "DELETE /hello/x HTTP/1.1", 405, "GET HEAD OPTIONS", "DELETE" },
        { "PATCH /hello/x HTTP/1.1", 405, "GET HEAD OPTIONS", "PATCH" },
        { "PUT / HTTP/1.1", 405, "GET HEAD OPTIONS", "PUT" },
        { "PUT /echo HTTP/1.1", 405, "POST OPTIONS", "PUT" },
        { "DELETE /files/a HTTP/1.1", 405, "GET HEAD OPTIONS", "DELETE" },
        { "PATCH / HTTP/1.1", 405, "GET HEAD OPTIONS", "PATCH" },
        /* TRACE is known but never routed (no echo of the request). */
        { "TRACE / HTTP/1.1", 405, "GET HEAD OPTIONS", "TRACE" },
        { "TRACE /nope HTTP/1.1", 404, "", "" },
        /* RFC 9110 §15.6.2: only a method the server does not recognise → 501. */
        { "FOO / HTTP/1.1", 501, "", "" },
        { "BREW / HTTP/1.1", 501, "", "" },
        { "FOO /nope HTTP/1.1", 501, "", "" },
        { "get / HTTP/1.1", 501, "", "" },            /* RFC 9110 §9.1: case-sensitive */
        { "PATCHX / HTTP/1.1", 501, "", "" },         /* a known name is not a prefix */
        { "X-Y.Z~! / HTTP/1.1", 501, "", "" },        /* any token is a method */
        /* A path no route has: 404 whatever the known method. */
        { "POST /nope HTTP/1.1", 404, "", "" },
        { "OPTIONS /nope HTTP/1.1", 404, "", "" },
    };
    return cr_make_param_array(struct method_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct method_case *c, methods,
                  each_method_gets_the_status_and_allow_header_it_must)
{
    char req[256];
    int n = snprintf(req, sizeof req, "%s\r\nHost: methods.test\r\n\r\n", c->line);
    struct tc_conn conn;
    tc_connect(&conn, srv.port);
    tc_send(&conn, req, (size_t)n);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, strncmp(c->line, "HEAD ", 5) == 0),
                 TC_OK, "no answer to %s", c->line);
    tc_close(&conn);
    cr_assert_eq(r.status, c->status, "%s: status %d, expected %d", c->line, r.status,
                 c->status);
    if (c->allow[0]) {
        cr_assert_not_null(tc_header(&r, "Allow"), "%s: no Allow", c->line);
        char list[64];
        strcpy(list, c->allow);
        for (char *t = strtok(list, " "); t; t = strtok(NULL, " "))
            cr_assert(tc_header_has_token(&r, "Allow", t), "%s: Allow '%s' lacks %s", c->line,
                      tc_header(&r, "Allow"), t);
        strcpy(list, c->not_allow);
        for (char *t = strtok(list, " "); t; t = strtok(NULL, " "))
            cr_assert(!tc_header_has_token(&r, "Allow", t), "%s: Allow '%s' has %s", c->line,
                      tc_header(&r, "Allow"), t);
    }
    if (c->status == 204) {
        /* RFC 9110 §15.3.5: a 204 has no content. */
        cr_assert_eq(r.body_len, 0);
    }
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

/* ---- versions and malformed request lines ------------------------------ */

/* Raw request bytes and the status they must get. */
struct line_case {
    char req[128];
    int status;
    int alt;        /* another status the RFC allows, or 0 */
};

ParameterizedTestParameters(methods, each_request_line_gets_the_status_it_must)
{
    static struct line_case cases[] = {
        /* RFC 9110 §15.6.6: a major version the server does not support → 505. */
        { "GET / HTTP/2.0\r\nHost: m\r\n\r\n", 505, 0 },
        { "GET / HTTP/3.0\r\nHost: m\r\n\r\n", 505, 0 },
        { "GET / HTTP/0.9\r\nHost: m\r\n\r\n", 505, 0 },
        /* RFC 9110 §6.2: a higher 1.x minor is served as 1.1. */
        { "GET / HTTP/1.2\r\nHost: m\r\n\r\n", 200, 0 },
        { "GET / HTTP/1.9\r\nHost: m\r\n\r\n", 200, 0 },
        /* RFC 9112 §2.3: HTTP-version is case-sensitive, one digit each. */
        { "GET / http/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/1.x\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/11\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/1.10\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/1.1 \r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/\r\nHost: m\r\n\r\n", 400, 0 },
        /* RFC 9112 §3: method SP request-target SP HTTP-version, one SP each. */
        { "GET  / HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET /  HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET\t/\tHTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET /HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/1.1 x\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET /\r\nHost: m\r\n\r\n", 400, 0 },          /* HTTP/0.9 simple request */
        { "/ HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { " GET / HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "G@T / HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 }, /* '@' is not a tchar */
        { "GET x HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 }, /* §3.2: no such form */
        { "GET ?x HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET * HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 }, /* §3.2.4: asterisk only for OPTIONS */
        { "GET /#frag HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 }, /* RFC 9110 §4.2.5: no fragment */
        /* RFC 9112 §2.2: a bare CR MUST be rejected (400); a bare LF MAY be
         * taken as a line end (this runtime rejects it: request.re.in). */
        { "GET / HTTP/1.1\rHost: m\r\n\r\n", 400, 0 },
        { "GET / HTTP/1.1\nHost: m\n\n", 400, 200 },
        /* RFC 9112 §2.2: whitespace before the first field: reject, or
         * ignore the line (then Host is missing: 400 either way). */
        { "GET / HTTP/1.1\r\n Host: m\r\n\r\n", 400, 0 },
        /* RFC 9112 §2.2: empty lines before the request line SHOULD be ignored. */
        { "\r\nGET / HTTP/1.1\r\nHost: m\r\n\r\n", 200, 0 },
        /* RFC 9112 §3.2.2: absolute-form MUST be accepted. */
        { "GET http://m/hello/abs HTTP/1.1\r\nHost: m\r\n\r\n", 200, 0 },
        { "GET http://m HTTP/1.1\r\nHost: m\r\n\r\n", 200, 0 },
        /* RFC 9110 §4.2.4: userinfo in an http(s) URI is invalid. */
        { "GET http://u@m/ HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        /* RFC 9112 §3.2.3: authority-form only for CONNECT, known and
         * never routed: 405 (RFC 9110 §15.5.6). */
        { "CONNECT m:443 HTTP/1.1\r\nHost: m:443\r\n\r\n", 405, 0 },
        { "FOO m:443 HTTP/1.1\r\nHost: m:443\r\n\r\n", 501, 0 },
        { "PUT m:443 HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
        { "GET m:443 HTTP/1.1\r\nHost: m\r\n\r\n", 400, 0 },
    };
    return cr_make_param_array(struct line_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct line_case *c, methods, each_request_line_gets_the_status_it_must)
{
    struct tc_response r;
    tc_exchange_str(srv.port, c->req, &r);
    cr_assert(r.status == c->status || (c->alt && r.status == c->alt),
              "status %d, expected %d, for %s", r.status, c->status, c->req);
    if (r.status == 200)
        cr_assert(strncmp(r.body, "Hello, ", 7) == 0, "body %s", r.body);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(methods, an_error_answer_to_a_malformed_request_line_closes_the_connection)
{
    /* RFC 9112 §2.2 / §9.6: after a message it cannot parse, the server
     * cannot find the next one: it answers and closes.  The request behind
     * the bad one is never answered. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET  / HTTP/1.1\r\nHost: m\r\n\r\nGET / HTTP/1.1\r\nHost: m\r\n\r\n");
    struct tc_response r[2];
    int closed;
    int got = tc_read_until_close(&c, r, 2, TC_TIMEOUT_MS, &closed);
    cr_assert_eq(got, 1, "%d answers", got);
    cr_assert_eq(r[0].status, 400);
    cr_assert(closed);
    tc_response_free(&r[0]);
    tc_close(&c);
    tc_assert_alive(srv.port);
}
