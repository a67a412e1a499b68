/*
 * test_split.c - a request cut anywhere gets the same answer: every split
 * point of a GET, a POST with Content-Length and a chunked POST, sent in
 * two writes with a pause between them; and each sent one byte at a time.
 * Before the second piece goes out, the server must not have answered the
 * incomplete request (picohttpparser's "every prefix is incomplete").
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
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

TestSuite(split, .init = start, .fini = stop, .timeout = 30);

/* Pause between the pieces: long enough for the server to read the first
 * piece on its own on loopback. */
#define PAUSE_MS 2

struct split_case {
    char req[256];
    char body[64];  /* the answer's body */
};

/* The three requests every test here cuts up. */
static struct split_case cases[] = {
    /* RFC 9112 §2.2: a message may arrive in any number of reads. */
    { "GET /hello/split%20me HTTP/1.1\r\nHost: split.test\r\nX-Pad: a b c\r\n\r\n",
      "Hello, split me!" },
    { "POST /echo HTTP/1.1\r\nHost: split.test\r\nContent-Length: 11\r\n\r\nhello world",
      "hello world" },
    { "POST /echo HTTP/1.1\r\nHost: split.test\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nT: v\r\n\r\n",
      "hello world" },
};

#define CASES cr_make_param_array(struct split_case, cases, sizeof cases / sizeof cases[0])

ParameterizedTestParameters(split, a_request_split_at_every_position_gets_the_same_answer)
{
    return CASES;
}

ParameterizedTest(struct split_case *c, split,
                  a_request_split_at_every_position_gets_the_same_answer)
{
    size_t n = strlen(c->req);
    for (size_t at = 1; at < n; at++) {
        struct tc_conn conn;
        tc_connect(&conn, srv.port);
        cr_assert_eq(tc_send(&conn, c->req, at), 0);
        tc_sleep_ms(PAUSE_MS);
        /* Incomplete: no answer yet, and no close. */
        cr_assert_eq(tc_wait_close(&conn, 1), TC_TIMEOUT,
                     "the server reacted to the first %zu bytes of %s", at, c->req);
        cr_assert_eq(tc_send(&conn, c->req + at, n - at), 0);
        struct tc_response r;
        int st = tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0);
        cr_assert_eq(st, TC_OK, "no answer (%d) with the split at %zu", st, at);
        cr_assert_eq(r.status, 200, "status %d with the split at %zu", r.status, at);
        cr_assert_str_eq(r.body, c->body, "split at %zu", at);
        tc_response_free(&r);
        tc_close(&conn);
    }
}

ParameterizedTestParameters(split, a_request_sent_one_byte_at_a_time_gets_the_same_answer)
{
    return CASES;
}

ParameterizedTest(struct split_case *c, split, a_request_sent_one_byte_at_a_time_gets_the_same_answer)
{
    size_t n = strlen(c->req);
    size_t at[256];
    for (size_t i = 0; i + 1 < n; i++)
        at[i] = i + 1;
    struct tc_conn conn;
    tc_connect(&conn, srv.port);
    cr_assert_eq(tc_send_split(&conn, c->req, n, at, n - 1, 1), 0);
    struct tc_response r;
    cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, c->body);
    tc_response_free(&r);
    /* The same connection goes on: a second, whole request. */
    tc_send_str(&conn, "GET / HTTP/1.1\r\nHost: split.test\r\n\r\n");
    cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_str_eq(r.body, "Hello, world!");
    tc_response_free(&r);
    tc_close(&conn);
}

ParameterizedTestParameters(split, a_request_split_at_every_position_behind_a_pipelined_one_is_answered)
{
    return CASES;
}

ParameterizedTest(struct split_case *c, split,
                  a_request_split_at_every_position_behind_a_pipelined_one_is_answered)
{
    /* The second request's bytes start in the same read as the first's
     * end: the lexer must restart on what is left in the buffer. */
    static const char first[] = "GET / HTTP/1.1\r\nHost: split.test\r\n\r\n";
    char both[512];
    size_t n1 = sizeof first - 1, n2 = strlen(c->req);
    memcpy(both, first, n1);
    memcpy(both + n1, c->req, n2);
    for (size_t at = n1 + 1; at < n1 + n2; at += 3) {
        struct tc_conn conn;
        tc_connect(&conn, srv.port);
        size_t cut[] = { at };
        cr_assert_eq(tc_send_split(&conn, both, n1 + n2, cut, 1, PAUSE_MS), 0);
        struct tc_response r;
        cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0), TC_OK);
        cr_assert_str_eq(r.body, "Hello, world!", "split at %zu", at);
        tc_response_free(&r);
        int st = tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0);
        cr_assert_eq(st, TC_OK, "no second answer (%d) with the split at %zu", st, at);
        cr_assert_str_eq(r.body, c->body, "split at %zu", at);
        tc_response_free(&r);
        tc_close(&conn);
    }
}
