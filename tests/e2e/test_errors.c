/*
 * test_errors.c - the runtime's own answers with the spec's bodies
 * (tests/e2e/errors.routes, `error` lines): each with its Content-Type
 * and Content-Length, none for HEAD, and a status without an `error`
 * line still bodiless.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#if TC_TLS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#endif

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, ERRORS_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(errors, .init = start, .fini = stop, .timeout = 20);

/* Sends req on a connection of its own and checks the answer's status,
 * Content-Type and body (type NULL: no body, no Content-Type). */
static void expect(const char *req, int status, const char *type, const char *body)
{
    struct tc_response r;
    tc_exchange_str(srv.port, req, &r);
    cr_assert_eq(r.status, status, "%s: status %d, want %d", req, r.status, status);
    const char *ct = tc_header(&r, "Content-Type");
    if (type) {
        cr_assert(ct && strcmp(ct, type) == 0, "Content-Type %s, want %s", ct ? ct : "(none)", type);
        cr_assert_eq(r.body_len, strlen(body));
        cr_assert(memcmp(r.body, body, r.body_len) == 0, "body '%s', want '%s'", r.body, body);
    } else {
        cr_assert_null(ct, "Content-Type %s on a status without an error line", ct);
        cr_assert_eq(r.body_len, 0);
    }
    char len[32];
    snprintf(len, sizeof len, "%zu", body ? strlen(body) : (size_t)0);
    const char *cl = tc_header(&r, "Content-Length");
    cr_assert(cl && strcmp(cl, len) == 0, "Content-Length %s, want %s", cl ? cl : "(none)", len);
    tc_response_free(&r);
}

Test(errors, a_404_carries_the_json_body_of_its_error_line)
{
    expect("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404, "application/json",
           "{\"error\":\"not found\"}");
}

Test(errors, a_405_carries_its_body_and_still_its_allow_field)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "PUT /hello/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r);
    cr_assert_eq(r.status, 405);
    cr_assert(tc_header(&r, "Allow") != NULL);
    tc_response_free(&r);
    expect("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "application/json; charset=utf-8",
           "{\"error\":\"method not allowed\"}\n");
}

Test(errors, a_413_for_a_body_over_the_route_limit_carries_its_body)
{
    expect("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n", 413, "text/plain",
           "too large");
}

Test(errors, a_400_for_a_missing_host_carries_its_body)
{
    expect("GET / HTTP/1.1\r\n\r\n", 400, "text/html", "<h1>Bad request</h1>");
}

Test(errors, a_431_for_a_head_over_the_limit_carries_its_body)
{
    char req[2048];
    int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ");
    memset(req + n, 'a', 1200);
    strcpy(req + n + 1200, "\r\n\r\n");
    expect(req, 431, "text/plain", "head too large");
}

Test(errors, a_status_without_an_error_line_stays_bodiless)
{
    /* 501: an unknown method; errors.routes gives it no body. */
    expect("BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501, NULL, NULL);
}

Test(errors, head_gets_the_fields_of_the_error_answer_without_its_body)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 1), TC_OK);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "application/json");
    cr_assert_str_eq(tc_header(&r, "Content-Length"), "21");
    cr_assert_eq(r.body_len, 0);
    /* Nothing follows on the wire: the next answer parses at once. */
    tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    tc_close(&c);
}

Test(errors, a_503_for_a_full_pool_carries_its_body)
{
    /* Eight connections (errors.routes) each in the middle of a head:
     * none is idle, so a ninth is refused. */
    struct tc_conn c[8], extra;
    for (int i = 0; i < 8; i++) {
        tc_connect(&c[i], srv.port);
        tc_send_str(&c[i], "GET / HTTP/1.1\r\n");
    }
    tc_sleep_ms(100);
#if TC_TLS
    /* Over TLS a 503 would need an engine of its own, and the pool has as
     * many as connections: the ninth is closed, not sent plain text. */
    cr_assert_neq(tc_try_connect(&extra, srv.port), 0, "a ninth TLS connection got through");
    /* ... and it gets nothing before the close: read raw, with no TLS. */
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(srv.port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char junk[64];
    ssize_t got = recv(fd, junk, sizeof junk, 0);
    close(fd);
    cr_assert(got <= 0, "a TLS client was sent %zd bytes of plain text: %.*s", got, (int)got, junk);
#else
    tc_connect(&extra, srv.port);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&extra, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 503);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "text/plain");
    cr_assert_str_eq(tc_header(&r, "Content-Length"), "4");
    cr_assert_str_eq(r.body, "busy");
    tc_response_free(&r);
    tc_close(&extra);
#endif
    for (int i = 0; i < 8; i++)
        tc_close(&c[i]);
    /* The server learns of the closes only when it reads their EOFs: a
     * request sent at once may find the pool still full (a 503, rightly),
     * which CI saw once under load. */
    tc_sleep_ms(100);
    tc_assert_alive(srv.port);
}
