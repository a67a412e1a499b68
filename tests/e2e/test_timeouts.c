/*
 * test_timeouts.c - deadlines and pools against tests/e2e/short.routes:
 * 1 s head, body and idle timeouts, 8 connections, 4 request buffers.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, SHORT_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(timeouts, .init = start, .fini = stop, .timeout = 20);

/* The spec's timeouts, and the slack allowed around them on a busy machine. */
#define DEADLINE_MS 1000
#define EARLY_MS 850
#define LATE_MS 2500
/* The most a prompt answer may take. */
#define PROMPT_MS 300

/* Asserts a GET / on a new connection is answered 200 within PROMPT_MS. */
static void assert_prompt(void)
{
    int64_t t0 = tc_now_ms();
    tc_assert_alive(srv.port);
    int64_t took = tc_now_ms() - t0;
    cr_assert(took < PROMPT_MS, "a plain GET took %lld ms", (long long)took);
}

/* Waits on c for a 408 followed by a close, or a bare close; returns the
 * time it took from t0. */
static int64_t expect_408_or_close(struct tc_conn *c, int64_t t0)
{
    struct tc_response r;
    int st = tc_read_response(c, &r, LATE_MS + 500, 0);
    int64_t at = tc_now_ms() - t0;
    cr_assert(st == TC_OK || st == TC_CLOSED, "neither 408 nor close (%d) after %lld ms", st,
              (long long)at);
    if (st == TC_OK) {
        /* RFC 9110 §15.5.9: 408, and the server SHOULD send close. */
        cr_assert_eq(r.status, 408);
        cr_assert(tc_header_has_token(&r, "Connection", "close"), "408 without close");
        tc_response_free(&r);
        cr_assert_eq(tc_wait_close(c, TC_TIMEOUT_MS), TC_CLOSED, "open after 408");
    }
    return at;
}

Test(timeouts, a_client_trickling_its_head_gets_408_after_the_deadline_while_another_is_served)
{
    /* RFC 9110 §15.5.9: the server may close a connection on which a
     * request did not complete in time, answering 408 first.  The head
     * deadline runs from the first byte: trickling does not extend it. */
    static const char slow[] = "GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: abcdefghijklmnopqrstuvwxyz";
    struct tc_conn c;
    tc_connect(&c, srv.port);
    int64_t t0 = tc_now_ms();
    int served = 0;
    size_t i = 0;
    struct tc_response r;
    int st = TC_TIMEOUT;
    while (i < sizeof slow - 1 && tc_now_ms() - t0 < LATE_MS) {
        if (tc_send(&c, slow + i++, 1) != 0)
            break; /* the server closed */
        if (!served && tc_now_ms() - t0 >= 300) {
            /* Another client meanwhile: served at once. */
            assert_prompt();
            served = 1;
        }
        st = tc_read_response(&c, &r, 150, 0);
        if (st != TC_TIMEOUT)
            break;
    }
    cr_assert(served, "the trickle ended before the other client was tried");
    int64_t at;
    if (st == TC_OK) {
        at = tc_now_ms() - t0;
        cr_assert_eq(r.status, 408);
        tc_response_free(&r);
        cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED, "open after 408");
    } else if (st == TC_CLOSED) {
        at = tc_now_ms() - t0;
    } else {
        at = expect_408_or_close(&c, t0);
    }
    cr_assert(at >= EARLY_MS && at <= LATE_MS, "the head deadline struck after %lld ms",
              (long long)at);
    tc_close(&c);
    assert_prompt();
}

Test(timeouts, a_head_that_stops_halfway_gets_408_after_the_deadline)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    int64_t t0 = tc_now_ms();
    tc_send_str(&c, "GET /hello/x HTTP/1.1\r\nHost: s");
    int64_t at = expect_408_or_close(&c, t0);
    cr_assert(at >= EARLY_MS && at <= LATE_MS, "after %lld ms", (long long)at);
    tc_close(&c);
    assert_prompt();
}

Test(timeouts, a_body_that_stops_halfway_gets_408_after_the_body_deadline)
{
    /* timeout body 1s, from the end of the head. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    int64_t t0 = tc_now_ms();
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: s\r\nContent-Length: 100\r\n\r\nonly ten b");
    int64_t at = expect_408_or_close(&c, t0);
    cr_assert(at >= EARLY_MS && at <= LATE_MS, "after %lld ms", (long long)at);
    tc_close(&c);
    assert_prompt();
}

Test(timeouts, an_idle_keep_alive_connection_is_closed_after_the_idle_timeout)
{
    /* RFC 9112 §9.8: a server may close an idle connection at any time;
     * this one after `timeout idle`, with no answer. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET / HTTP/1.1\r\nHost: s\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    int64_t t0 = tc_now_ms();
    int st = tc_wait_close(&c, LATE_MS + 500);
    int64_t at = tc_now_ms() - t0;
    cr_assert_eq(st, TC_CLOSED, "no close (%d): bytes arrived, or it stayed open", st);
    cr_assert(at >= EARLY_MS && at <= LATE_MS, "closed after %lld ms", (long long)at);
    tc_close(&c);
}

Test(timeouts, a_connection_that_never_sends_is_closed_after_the_idle_timeout)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    int64_t t0 = tc_now_ms();
    int st = tc_wait_close(&c, LATE_MS + 500);
    int64_t at = tc_now_ms() - t0;
    cr_assert_eq(st, TC_CLOSED, "no close (%d)", st);
    cr_assert(at >= EARLY_MS && at <= LATE_MS, "closed after %lld ms", (long long)at);
    tc_close(&c);
}

Test(timeouts, a_keep_alive_request_just_before_the_idle_deadline_restarts_it)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    for (int i = 0; i < 3; i++) {
        tc_sleep_ms(600);
        tc_send_str(&c, "GET / HTTP/1.1\r\nHost: s\r\n\r\n");
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK,
                     "closed at request %d, %d ms after the last", i, 600);
        cr_assert_eq(r.status, 200);
        tc_response_free(&r);
    }
    tc_close(&c);
}

/* ---- the connection pool ----------------------------------------------- */

#define POOL 8

Test(timeouts, connections_beyond_a_pool_of_busy_ones_are_refused_quickly_and_service_resumes_after)
{
    /* RFC 9110 §15.6.4: 503 for a temporary overload; closing is also
     * fine.  The 8 pool connections each have a request in flight (half a
     * head), so none is idle and none may be closed for a newcomer (an
     * idle one would be: tests/exhaustion).  A finished request first
     * makes sure each is accepted and holding its slot. */
    struct tc_conn pool[POOL];
    for (int i = 0; i < POOL; i++) {
        tc_connect(&pool[i], srv.port);
        tc_send_str(&pool[i], "GET / HTTP/1.1\r\nHost: s\r\n\r\nGET /hello/busy HTTP/1.1\r\n");
        struct tc_response r;
        cr_assert_eq(tc_read_response(&pool[i], &r, TC_TIMEOUT_MS, 0), TC_OK, "pool conn %d", i);
        cr_assert_eq(r.status, 200);
        tc_response_free(&r);
    }
    for (int i = 0; i < 3; i++) {
        struct tc_conn x;
        int64_t t0 = tc_now_ms();
        if (tc_try_connect(&x, srv.port) != 0)
            continue; /* refused outright: fine */
        tc_send_str(&x, "GET / HTTP/1.1\r\nHost: s\r\n\r\n");
        struct tc_response r;
        int st = tc_read_response(&x, &r, 500, 0);
        int64_t took = tc_now_ms() - t0;
        cr_assert(st == TC_OK || st == TC_CLOSED, "extra conn %d: neither answer nor close (%d)",
                  i, st);
        if (st == TC_OK) {
            cr_assert_eq(r.status, 503, "extra conn %d got %d", i, r.status);
            tc_response_free(&r);
        }
        cr_assert(took < PROMPT_MS, "refusing took %lld ms", (long long)took);
        tc_close(&x);
    }
    for (int i = 0; i < POOL; i++)
        tc_close(&pool[i]);
    /* Once they are gone, a new client is served (allow the server a
     * moment to see the closes). */
    tc_sleep_ms(50);
    assert_prompt();
}

Test(timeouts, more_requests_in_flight_than_buffers_are_all_served)
{
    /* buffers 4: six heads arrive in parts; the two without a buffer wait
     * for one and are served too. */
    enum { N = 6 };
    struct tc_conn c[N];
    for (int i = 0; i < N; i++) {
        tc_connect(&c[i], srv.port);
        tc_send_str(&c[i], "GET /hello/");
    }
    tc_sleep_ms(50);
    for (int i = 0; i < N; i++) {
        char rest[64];
        snprintf(rest, sizeof rest, "n%d HTTP/1.1\r\nHost: s\r\n\r\n", i);
        tc_send_str(&c[i], rest);
    }
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        char want[32];
        snprintf(want, sizeof want, "Hello, n%d!", i);
        cr_assert_eq(tc_read_response(&c[i], &r, TC_TIMEOUT_MS, 0), TC_OK, "conn %d", i);
        cr_assert_eq(r.status, 200);
        cr_assert_str_eq(r.body, want);
        tc_response_free(&r);
        tc_close(&c[i]);
    }
}

/* Opens c and has one request answered on it: an idle keep-alive
 * connection. */
static void connect_idle(struct tc_conn *c)
{
    struct tc_response r;
    tc_connect(c, srv.port);
    tc_send_str(c, "GET / HTTP/1.1\r\nHost: s\r\n\r\n");
    cr_assert_eq(tc_read_response(c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    tc_response_free(&r);
}

Test(timeouts, a_sigterm_with_an_idle_keep_alive_connection_open_still_exits_promptly)
{
    /* Idle connections are dropped at once on SIGTERM (tc_server_stop
     * asserts exit 0 within 2 s); this connection is left to the stop. */
    struct tc_conn c;
    connect_idle(&c);
    /* Not closed here on purpose: the server must not wait for it. */
    int64_t t0 = tc_now_ms();
    kill(srv.pid, SIGTERM);
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED, "the idle connection stayed open");
    cr_assert(tc_now_ms() - t0 < 1000);
    tc_close(&c);
}

/* ---- stopping ---------------------------------------------------------- */

Test(timeouts, a_sigint_stops_the_server_as_sigterm_does_with_exit_status_0)
{
    /* A keep-alive connection is open, as on a device when Ctrl-C comes. */
    struct tc_conn c;
    connect_idle(&c);
    tc_server_stop_signal(&srv, SIGINT); /* asserts exit 0 within its time */
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED, "the connection stayed open");
    tc_close(&c);
}

Test(timeouts, a_request_in_flight_at_sigterm_is_finished_and_answered_with_close)
{
    /* The server stops accepting at SIGTERM but lets a request that has
     * begun complete (RFC 9112 §9.6: it closes after that answer, saying
     * "close"). */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET /hello/late HTTP/1.1\r\n");
    tc_sleep_ms(50);
    kill(srv.pid, SIGTERM);
    tc_sleep_ms(100);
    struct tc_conn x;
    cr_assert_neq(tc_try_connect(&x, srv.port), 0, "a new connection was accepted after SIGTERM");
    tc_send_str(&c, "Host: s\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "Hello, late!");
    cr_assert(tc_header_has_token(&r, "Connection", "close"));
    tc_response_free(&r);
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_close(&c);
}

Test(timeouts, more_bodies_in_flight_than_body_buffers_are_all_echoed)
{
    /* Two body buffers (the default): three bodies arrive in halves; the
     * third waits for a buffer and is echoed too. */
    enum { N = 3 };
    struct tc_conn c[N];
    for (int i = 0; i < N; i++) {
        tc_connect(&c[i], srv.port);
        tc_send_str(&c[i], "POST /echo HTTP/1.1\r\nHost: s\r\nContent-Length: 10\r\n\r\nhalf-");
    }
    tc_sleep_ms(50);
    for (int i = 0; i < N; i++) {
        char rest[8];
        snprintf(rest, sizeof rest, "body%d", i);
        tc_send_str(&c[i], rest);
    }
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        char want[16];
        snprintf(want, sizeof want, "half-body%d", i);
        cr_assert_eq(tc_read_response(&c[i], &r, TC_TIMEOUT_MS, 0), TC_OK, "conn %d", i);
        cr_assert_eq(r.status, 200, "conn %d: %d", i, r.status);
        cr_assert_str_eq(r.body, want);
        tc_response_free(&r);
        tc_close(&c[i]);
    }
}
