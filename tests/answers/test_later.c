/*
 * test_later.c - deferred answers, against later.routes (a 1 s defer
 * deadline): an answer sent later from another request's handler, a
 * deferral never answered (503 at its deadline, the app told once), a
 * client that goes away (told once, the handle stale), pipelined requests
 * behind a deferred one kept in order, and stale handles.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, LATER_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(later, .init = start, .fini = stop, .timeout = 20);

#define DEFER_MS 1000
#define EARLY_MS 150

/* GET path on a new connection; the body, compared. */
static void expect_body(const char *path, const char *want)
{
    char req[128];
    struct tc_response r;
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    tc_exchange_str(srv.port, req, &r);
    cr_assert_eq(r.status, 200, "%s: %d", path, r.status);
    cr_expect_str_eq(r.body, want, "%s", path);
    tc_response_free(&r);
}

/* Nothing has come on c within ms. */
static void expect_silence(struct tc_conn *c, int ms)
{
    struct tc_response r;
    int st = tc_read_response(c, &r, ms, 0);
    cr_assert_eq(st, TC_TIMEOUT, "an answer came (%d, status %d) before it was sent", st,
                 st == TC_OK ? r.status : 0);
}

Test(later, an_answer_deferred_by_the_handler_comes_when_another_request_sends_it)
{
    struct tc_conn a, b;
    struct tc_response r;
    tc_connect(&a, srv.port);
    tc_connect(&b, srv.port);
    cr_assert_eq(tc_send_str(&a, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_send_str(&b, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    expect_silence(&a, 200);
    /* Others are served meanwhile. */
    expect_body("/", "Hello, world!");
    expect_body("/notices", "timeouts=0 gone=0 waiting=2");
    expect_body("/fire", "answered 2");
    cr_assert_eq(tc_read_response(&a, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(r.body, "fired 1");
    cr_expect_str_eq(tc_header(&r, "Content-Type"), "text/plain", "a field set before deferring is kept");
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&b, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r.body, "fired 1");
    tc_response_free(&r);
    /* The connection goes on as any keep-alive one. */
    cr_assert_eq(tc_send_str(&a, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&a, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r.body, "Hello, world!");
    tc_response_free(&r);
    tc_close(&a);
    tc_close(&b);
    /* Handles of answers sent are stale, even with the slots reused. */
    expect_body("/stale", "stale 2 live 0");
    expect_body("/notices", "timeouts=0 gone=0 waiting=0");
}

Test(later, a_deferral_never_answered_gets_503_at_its_deadline_and_the_app_is_told_once)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    int64_t t0 = tc_now_ms();
    cr_assert_eq(tc_send_str(&c, "GET /never HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, DEFER_MS + 2000, 0), TC_OK);
    int64_t at = tc_now_ms() - t0;
    cr_expect_eq(r.status, 503, "RFC 9110 §15.6.4: the origin could not answer in time");
    cr_expect(at >= DEFER_MS - EARLY_MS && at <= DEFER_MS + 1000, "503 after %lld ms", (long long)at);
    tc_response_free(&r);
    /* The connection stays usable. */
    cr_assert_eq(tc_send_str(&c, "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r.body, "timeouts=1 gone=0 waiting=0");
    tc_response_free(&r);
    tc_close(&c);
}

Test(later, a_client_that_goes_away_while_deferred_is_noticed_once_and_its_handle_is_stale)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    expect_silence(&c, 200);
    expect_body("/notices", "timeouts=0 gone=0 waiting=1");
    tc_close(&c);
    tc_sleep_ms(200);
    expect_body("/notices", "timeouts=0 gone=1 waiting=0");
    /* Past the deadline, nothing more is said about it. */
    tc_sleep_ms(DEFER_MS);
    expect_body("/notices", "timeouts=0 gone=1 waiting=0");
    expect_body("/fire", "answered 0");
}

Test(later, requests_pipelined_behind_a_deferred_one_wait_so_answers_stay_in_order)
{
    struct tc_conn c;
    struct tc_response r[3];
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r[0], TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r[0].body, "Hello, world!");
    expect_silence(&c, 300);
    expect_body("/fire", "answered 1");
    cr_assert_eq(tc_read_response(&c, &r[1], TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r[1].body, "fired 1");
    cr_assert_eq(tc_read_response(&c, &r[2], TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r[2].body, "timeouts=0 gone=0 waiting=0", "run after the deferred answer");
    for (int i = 0; i < 3; i++)
        tc_response_free(&r[i]);
    tc_close(&c);
}

Test(later, a_deferred_head_request_gets_the_fields_without_the_body)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "HEAD /wait HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    expect_silence(&c, 200);
    expect_body("/fire", "answered 1");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 1), TC_OK);
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(tc_header(&r, "Content-Length"), "7");
    cr_expect_eq(r.body_len, 0);
    tc_response_free(&r);
    tc_close(&c);
}

Test(later, a_server_told_to_stop_answers_a_pending_deferral_at_its_deadline_and_exits)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    expect_silence(&c, 200);
    /* SIGTERM alone (tc_server_stop would close this client first): the
     * request in flight keeps its deadline, and its answer closes. */
    cr_assert_eq(kill(srv.pid, SIGTERM), 0);
    cr_assert_eq(tc_read_response(&c, &r, DEFER_MS + 2000, 0), TC_OK);
    cr_expect_eq(r.status, 503);
    cr_expect(tc_header_has_token(&r, "Connection", "close"));
    tc_response_free(&r);
    cr_expect_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_close(&c);
    /* Its last connection gone, it exits by itself, cleanly (a second
     * SIGTERM from tc_server_stop could meet it unmasked on its way out). */
    int st = -1;
    pid_t w = 0;
    for (int64_t until = tc_now_ms() + 5000; (w = waitpid(srv.pid, &st, WNOHANG)) == 0 &&
                                             tc_now_ms() < until;)
        tc_sleep_ms(5);
    cr_assert_eq(w, srv.pid, "the server did not exit");
    srv.pid = 0;
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit status %d", st);
}
