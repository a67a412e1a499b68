/*
 * test_fields.c - a declared request field sent on several lines reaches
 * the handler and the guards whole (RFC 9110 §5.3): its values joined with
 * ", ", and Cookie's with "; " (RFC 6265 §5.4), on the guards' server
 * (tests/guard/guard.routes).  Also when the head is pipelined behind
 * another request and arrives in two reads, so that the runtime moves it
 * to the buffer's front and lexes it again.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, GUARD_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(fields, .init = start, .fini = stop, .timeout = 30);

static void assert_answer(const struct tc_response *r, int status, const char *body)
{
    cr_assert_eq(r->status, status, "status %d, want %d (body '%s')", r->status, status, r->body);
    cr_assert_str_eq(r->body, body);
}

Test(fields, cookies_on_two_lines_are_one_cookie_string)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "GET /prefs HTTP/1.1\r\nHost: x\r\nCookie: theme=dark\r\n"
                              "Cookie: visits=12\r\n\r\n", &r);
    assert_answer(&r, 200, "theme dark visits 12");
    tc_response_free(&r);
}

Test(fields, the_first_cookie_line_still_wins_a_repeated_name)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "GET /prefs HTTP/1.1\r\nHost: x\r\nCookie: theme=dark\r\n"
                              "Cookie: theme=light; visits=1\r\n\r\n", &r);
    assert_answer(&r, 200, "theme dark visits 1");
    tc_response_free(&r);
}

Test(fields, a_session_cookie_on_the_second_cookie_line_authenticates)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "POST /app/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\npw", &r);
    cr_assert_eq(r.status, 200);
    const char *c = tc_header(&r, "Set-Cookie");
    cr_assert_not_null(c);
    char req[256];
    snprintf(req, sizeof req, "GET /app/me HTTP/1.1\r\nHost: x\r\nCookie: theme=dark\r\n"
                              "Cookie: %.36s\r\n\r\n", c);
    tc_response_free(&r);
    tc_exchange_str(srv.port, req, &r);
    assert_answer(&r, 200, "me 7");
    tc_response_free(&r);
}

/* The token guard passes exactly "k42": a second line makes the value
 * "k42, k43", which it refuses, where the first value alone passed. */
Test(fields, a_guard_sees_every_value_of_a_repeated_field)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "GET /api/items?page=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n"
                              "X-Api-Key: k43\r\n\r\n", &r);
    cr_assert_eq(r.status, 403, "the guard saw only the first value: %d", r.status);
    tc_response_free(&r);
    tc_exchange_str(srv.port, "GET /api/items?page=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n"
                              "X-Api-Key:\r\n\r\n", &r);
    cr_assert_eq(r.status, 200, "an empty repeat added something: %d", r.status);
    tc_response_free(&r);
}

Test(fields, a_pipelined_head_with_repeats_that_arrives_in_two_reads)
{
    static const char first[] =
        "GET /open HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /prefs HTTP/1.1\r\nHost: x\r\nCookie: theme=dark\r\nX-A: 1\r\nCookie: visits=3\r\n"
        "cookie:theme=light\r\n";
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, first), 0);
    cr_assert_eq(tc_read_response(&c, &r, 2000, 0), 0);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    tc_sleep_ms(50);                   /* the server lexes the rest of the first read */
    cr_assert_eq(tc_send_str(&c, "X-B: 2\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, 2000, 0), 0);
    assert_answer(&r, 200, "theme dark visits 3");
    tc_response_free(&r);
    tc_close(&c);
}
