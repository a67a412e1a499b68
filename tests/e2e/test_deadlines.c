/*
 * test_deadlines.c - when deadlines fire, against tests/e2e/deadlines.routes
 * (1 s head and body deadlines, 2 s idle): at their time or just before it,
 * never after, and the head deadline bounds the silence before a new
 * connection's first byte.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, DEADLINES_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(deadlines, .init = start, .fini = stop, .timeout = 20);

#define HEAD_MS 1000
#define IDLE_MS 2000
/* How much earlier than its time a deadline may be seen to fire: the
 * server rounds down by a few milliseconds; a busy machine may delay the
 * client's own clock reading. */
#define EARLY_MS 150
/* A loaded machine may wake the server, or this client, a few milliseconds
 * late now and then; a deadline that fires late by design does so every
 * time.  So a case passes when one of its tries is in the window. */
#define TRIES 3

static int in_window(int64_t at, int deadline_ms)
{
    return at <= deadline_ms && at >= deadline_ms - EARLY_MS;
}

/* Waits for a close on c; returns when it came, from t0. */
static int64_t closed_after(struct tc_conn *c, int64_t t0, int limit_ms)
{
    int st = tc_wait_close(c, limit_ms);
    int64_t at = tc_now_ms() - t0;
    cr_assert_eq(st, TC_CLOSED, "not closed (%d) after %lld ms", st, (long long)at);
    return at;
}

Test(deadlines, a_connection_that_never_sends_a_byte_is_closed_at_the_head_deadline_not_the_idle_one)
{
    /* Waiting for a request's first byte is waiting for its head. */
    int64_t at = 0;
    for (int try = 0; try < TRIES && (try == 0 || !in_window(at, HEAD_MS)); try++) {
        struct tc_conn c;
        int64_t t0 = tc_now_ms();
        tc_connect(&c, srv.port);
        at = closed_after(&c, t0, IDLE_MS + 1000);
        tc_close(&c);
        cr_log_info("silent since connect: closed after %lld ms", (long long)at);
    }
    cr_assert(in_window(at, HEAD_MS),
              "a silent new connection was closed after %lld ms; the head deadline is %d ms",
              (long long)at, HEAD_MS);
    tc_assert_alive(srv.port);
}

Test(deadlines, an_idle_keep_alive_connection_is_closed_at_its_deadline_or_just_before_never_after)
{
    /* The deadline runs from the answer; t0 is taken once it arrived, so
     * the server's deadline is at t0 + IDLE_MS or before it. */
    int64_t at = 0;
    for (int try = 0; try < TRIES && (try == 0 || !in_window(at, IDLE_MS)); try++) {
        struct tc_conn c;
        struct tc_response r;
        tc_connect(&c, srv.port);
        cr_assert_eq(tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
        int64_t t0 = tc_now_ms();
        cr_assert_eq(r.status, 200);
        tc_response_free(&r);
        at = closed_after(&c, t0, IDLE_MS + 1000);
        tc_close(&c);
        cr_log_info("idle keep-alive: closed %lld ms after the answer", (long long)at);
    }
    cr_assert(in_window(at, IDLE_MS),
              "an idle connection was closed %lld ms after its answer; the idle deadline is %d ms",
              (long long)at, IDLE_MS);
}

Test(deadlines, an_incomplete_head_gets_408_at_the_head_deadline_never_after)
{
    int64_t at = 0;
    for (int try = 0; try < TRIES && (try == 0 || !in_window(at, HEAD_MS)); try++) {
        struct tc_conn c;
        struct tc_response r;
        int64_t t0 = tc_now_ms();
        tc_connect(&c, srv.port);
        cr_assert_eq(tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
        cr_assert_eq(tc_read_response(&c, &r, HEAD_MS + 1000, 0), TC_OK, "no 408");
        at = tc_now_ms() - t0;
        /* RFC 9110 §15.5.9 */
        cr_assert_eq(r.status, 408);
        tc_response_free(&r);
        tc_close(&c);
        cr_log_info("incomplete head: 408 after %lld ms", (long long)at);
    }
    cr_assert(in_window(at, HEAD_MS), "408 after %lld ms; the head deadline is %d ms",
              (long long)at, HEAD_MS);
}
