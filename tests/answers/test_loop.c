/*
 * test_loop.c - the loop shared with the app, against loop.routes twice:
 * with the generated main (tr_serve), and with loop_main.c driving the
 * server from a poll(2) loop of its own (tr_open, tr_timeout, tr_step).
 * The spec's init started a periodic timer and an eventfd watch before
 * the first accept; one-shot timers and a worker thread's eventfd send
 * deferred answers.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start_own(void)
{
    tc_server_start(&srv, LOOP_BIN);
}

static void start_ext(void)
{
    tc_server_start(&srv, LOOP_EXT_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(loop, .init = start_own, .fini = stop, .timeout = 20);
TestSuite(loop_ext, .init = start_ext, .fini = stop, .timeout = 20);

static long get_number(const char *path)
{
    char req[128];
    struct tc_response r;
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    tc_exchange_str(srv.port, req, &r);
    cr_assert_eq(r.status, 200, "%s: %d", path, r.status);
    long n = strtol(r.body, NULL, 10);
    tc_response_free(&r);
    return n;
}

static void init_ran_and_its_periodic_timer_keeps_time(void)
{
    long a = get_number("/ticks");
    tc_sleep_ms(500);
    long b = get_number("/ticks");
    /* 50 ms a tick: 10 in 0.5 s, give or take a loaded machine's lateness. */
    cr_expect(b - a >= 6 && b - a <= 12, "%ld ticks in 500 ms, want about 10", b - a);
}

static void timers_answer_deferred_requests_in_the_order_they_are_due(void)
{
    struct tc_conn slow, fast;
    struct tc_response r;
    tc_connect(&slow, srv.port);
    tc_connect(&fast, srv.port);
    int64_t t0 = tc_now_ms();
    cr_assert_eq(tc_send_str(&slow, "GET /after/400 HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_send_str(&fast, "GET /after/100 HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&fast, &r, TC_TIMEOUT_MS, 0), TC_OK);
    int64_t at_fast = tc_now_ms() - t0;
    cr_expect_str_eq(r.body, "after");
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&slow, &r, TC_TIMEOUT_MS, 0), TC_OK);
    int64_t at_slow = tc_now_ms() - t0;
    cr_expect_str_eq(r.body, "after");
    tc_response_free(&r);
    cr_expect(at_fast >= 90 && at_fast < 350, "100 ms timer answered after %lld ms", (long long)at_fast);
    cr_expect(at_slow >= 390 && at_slow < 900, "400 ms timer answered after %lld ms", (long long)at_slow);
    tc_close(&slow);
    tc_close(&fast);
}

static void a_worker_thread_wakes_the_loop_through_an_eventfd_and_the_loop_answers(void)
{
    struct tc_conn c[3];
    struct tc_response r;
    for (int i = 0; i < 3; i++) {
        tc_connect(&c[i], srv.port);
        cr_assert_eq(tc_send_str(&c[i], "GET /work HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    }
    /* While the workers sleep, the loop serves others. */
    long t = get_number("/ticks");
    cr_expect(t >= 0);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(tc_read_response(&c[i], &r, TC_TIMEOUT_MS, 0), TC_OK);
        cr_expect_eq(r.status, 200);
        cr_expect_str_eq(r.body, "worked");
        tc_response_free(&r);
        tc_close(&c[i]);
    }
}

Test(loop, the_spec_init_ran_before_serving_and_its_periodic_timer_keeps_time)
{
    init_ran_and_its_periodic_timer_keeps_time();
}

Test(loop, one_shot_timers_answer_deferred_requests_when_they_are_due)
{
    timers_answer_deferred_requests_in_the_order_they_are_due();
}

Test(loop, a_worker_thread_wakes_the_loop_through_an_eventfd_and_the_loop_answers)
{
    a_worker_thread_wakes_the_loop_through_an_eventfd_and_the_loop_answers();
}

Test(loop_ext, driven_from_a_poll_loop_the_init_ran_and_the_periodic_timer_keeps_time)
{
    init_ran_and_its_periodic_timer_keeps_time();
}

Test(loop_ext, driven_from_a_poll_loop_one_shot_timers_answer_when_due)
{
    timers_answer_deferred_requests_in_the_order_they_are_due();
}

Test(loop_ext, driven_from_a_poll_loop_an_eventfd_of_a_worker_is_served)
{
    a_worker_thread_wakes_the_loop_through_an_eventfd_and_the_loop_answers();
}
