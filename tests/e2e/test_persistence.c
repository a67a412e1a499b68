/*
 * test_persistence.c - persistent connections against examples/reference:
 * keep-alive, pipelining, Connection: close, HTTP/1.0 (RFC 9112 §9).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

TestSuite(persistence, .init = start, .fini = stop, .timeout = 20);

static void read_ok(struct tc_conn *c, const char *body)
{
    struct tc_response r;
    int st = tc_read_response(c, &r, TC_TIMEOUT_MS, 0);
    cr_assert_eq(st, TC_OK, "no answer (%d) where %s was due", st, body);
    cr_assert_eq(r.status, 200, "status %d where %s was due", r.status, body);
    cr_assert_str_eq(r.body, body);
    tc_response_free(&r);
}

Test(persistence, three_requests_on_one_connection_are_answered_one_after_another)
{
    /* RFC 9112 §9.3: HTTP/1.1 persists unless "close" is sent. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET / HTTP/1.1\r\nHost: p\r\n\r\n");
    read_ok(&c, "Hello, world!");
    tc_send_str(&c, "GET /hello/two HTTP/1.1\r\nHost: p\r\n\r\n");
    read_ok(&c, "Hello, two!");
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: p\r\nContent-Length: 5\r\n\r\nthree");
    read_ok(&c, "three");
    /* Still open: nothing arrives, no close. */
    cr_assert_eq(tc_wait_close(&c, 100), TC_TIMEOUT);
    tc_close(&c);
}

Test(persistence, five_pipelined_requests_in_one_write_are_answered_in_order)
{
    /* RFC 9112 §9.3.2: a server MAY process pipelined requests in
     * parallel, but MUST send the responses in the order received. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET / HTTP/1.1\r\nHost: p\r\n\r\n"
                    "GET /hello/2 HTTP/1.1\r\nHost: p\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: p\r\nContent-Length: 1\r\n\r\n3"
                    "GET /add/2/2 HTTP/1.1\r\nHost: p\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "1\r\n5\r\n0\r\n\r\n");
    read_ok(&c, "Hello, world!");
    read_ok(&c, "Hello, 2!");
    read_ok(&c, "3");
    read_ok(&c, "4");
    read_ok(&c, "5");
    cr_assert_eq(tc_wait_close(&c, 100), TC_TIMEOUT);
    tc_close(&c);
}

Test(persistence, a_hundred_pipelined_requests_in_one_write_are_all_answered_in_order)
{
    /* More answers than one output batch holds (TR_OUT_STATIC static
     * bodies): the server must write and go on, in order. */
    enum { N = 100 };
    static char req[N * 64];
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        if (i % 2)
            len += (size_t)snprintf(req + len, sizeof req - len,
                                    "GET /add/%d/0 HTTP/1.1\r\nHost: p\r\n\r\n", i);
        else
            len += (size_t)snprintf(req + len, sizeof req - len, "GET / HTTP/1.1\r\nHost: p\r\n\r\n");
    }
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, len);
    for (int i = 0; i < N; i++) {
        char want[32];
        snprintf(want, sizeof want, "%d", i);
        read_ok(&c, i % 2 ? want : "Hello, world!");
    }
    tc_close(&c);
}

Test(persistence, pipelined_echoes_are_answered_in_order_with_their_own_bodies)
{
    /* Each echo answer references its request's body buffer until sent. */
    enum { N = 8 };
    char req[N * 128];
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(req + len, sizeof req - len,
                                "POST /echo HTTP/1.1\r\nHost: p\r\nContent-Length: 6\r\n\r\nbody-%d",
                                i);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, len);
    for (int i = 0; i < N; i++) {
        char want[16];
        snprintf(want, sizeof want, "body-%d", i);
        read_ok(&c, want);
    }
    tc_close(&c);
}

/* A request with its connection options, and what must follow its answer. */
struct close_case {
    char req[160];
    int closes;             /* 1: the server must close after the answer */
    char connection[32];    /* the Connection header the answer must carry, "" for any */
};

ParameterizedTestParameters(persistence, connection_options_decide_whether_the_server_closes)
{
    static struct close_case cases[] = {
        /* RFC 9112 §9.6: "close" MUST make the server close after its
         * answer, and it SHOULD say "close" in that answer. */
        { "GET / HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n", 1, "close" },
        { "GET / HTTP/1.1\r\nHost: p\r\nConnection: Close\r\n\r\n", 1, "close" },
        { "GET / HTTP/1.1\r\nHost: p\r\nConnection: foo, close\r\n\r\n", 1, "close" },
        { "GET / HTTP/1.1\r\nHost: p\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", 1,
          "close" },
        /* RFC 9112 §9.3: 1.0 without keep-alive closes. */
        { "GET / HTTP/1.0\r\n\r\n", 1, "" },
        { "GET / HTTP/1.0\r\nHost: p\r\n\r\n", 1, "" },
        { "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", 1, "" },
        /* RFC 9112 §9.3: 1.0 with keep-alive persists (RFC 7230 §A.1.2);
         * the answer says keep-alive so the 1.0 client knows. */
        { "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0, "keep-alive" },
        { "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 0, "keep-alive" },
        /* 1.1 persists by default. */
        { "GET / HTTP/1.1\r\nHost: p\r\n\r\n", 0, "" },
        { "GET / HTTP/1.1\r\nHost: p\r\nConnection: keep-alive\r\n\r\n", 0, "" },
    };
    return cr_make_param_array(struct close_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct close_case *c, persistence,
                  connection_options_decide_whether_the_server_closes)
{
    struct tc_conn conn;
    tc_connect(&conn, srv.port);
    /* A second request right behind: answered only on a kept connection
     * (RFC 9112 §9.6: after close the server MUST NOT process more). */
    tc_send_str(&conn, c->req);
    tc_send_str(&conn, "GET /hello/next HTTP/1.1\r\nHost: p\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "Hello, world!");
    if (c->connection[0])
        cr_assert(tc_header_has_token(&r, "Connection", c->connection),
                  "Connection: %s, expected %s, for %s", tc_header(&r, "Connection"),
                  c->connection, c->req);
    tc_response_free(&r);
    if (c->closes) {
        cr_assert_eq(tc_wait_close(&conn, TC_TIMEOUT_MS), TC_CLOSED,
                     "the connection stayed open, or answered again, after %s", c->req);
    } else {
        cr_assert_eq(tc_read_response(&conn, &r, TC_TIMEOUT_MS, 0), TC_OK,
                     "the connection did not persist after %s", c->req);
        cr_assert_str_eq(r.body, "Hello, next!");
        cr_assert_eq(tc_wait_close(&conn, 100), TC_TIMEOUT);
        tc_response_free(&r);
    }
    tc_close(&conn);
}

Test(persistence, an_http_1_0_keep_alive_connection_serves_three_requests)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    for (int i = 0; i < 3; i++) {
        tc_send_str(&c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        read_ok(&c, "Hello, world!");
    }
    tc_send_str(&c, "GET / HTTP/1.0\r\n\r\n");
    read_ok(&c, "Hello, world!");
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_close(&c);
}

Test(persistence, an_error_answer_keeps_a_clean_connection_open)
{
    /* A 404 or 405 leaves the framing intact: the connection may go on
     * (RFC 9112 §9.3; closing is also allowed, so only check the answers
     * when it stays open). */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET /nope HTTP/1.1\r\nHost: p\r\n\r\nGET / HTTP/1.1\r\nHost: p\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 404);
    tc_response_free(&r);
    int st = tc_read_response(&c, &r, TC_TIMEOUT_MS, 0);
    cr_assert(st == TC_OK || st == TC_CLOSED, "st %d", st);
    if (st == TC_OK) {
        cr_assert_eq(r.status, 200);
        cr_assert_str_eq(r.body, "Hello, world!");
        tc_response_free(&r);
    }
    tc_close(&c);
}

Test(persistence, pipelined_answers_larger_than_the_output_buffer_arrive_whole_and_in_order)
{
    /* Four 7 KiB names: the answers outgrow one 16 KiB output buffer, so
     * the server must write earlier answers before building later ones. */
    enum { N = 4, NAME = 7000 };
    static char req[N * (NAME + 64)];
    static char name[N][NAME + 1];
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        memset(name[i], 'a' + i, NAME);
        name[i][NAME] = '\0';
        len += (size_t)snprintf(req + len, sizeof req - len,
                                "GET /hello/%s HTTP/1.1\r\nHost: p\r\n\r\n", name[i]);
    }
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, len);
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK, "answer %d", i);
        cr_assert_eq(r.status, 200, "answer %d: %d", i, r.status);
        cr_assert_eq(r.body_len, NAME + 8, "answer %d: %zu bytes", i, r.body_len);
        cr_assert(strncmp(r.body, "Hello, ", 7) == 0 && r.body[7] == 'a' + i &&
                      r.body[NAME + 6] == 'a' + i && r.body[NAME + 7] == '!',
                  "answer %d is not its own", i);
        tc_response_free(&r);
    }
    tc_close(&c);
}

Test(persistence, pipelined_large_echoes_each_come_back_whole_and_in_order)
{
    /* Bodies larger than a request buffer, more of them than body buffers
     * (2 by default), all in one write. */
    enum { N = 4, BODY = 100000 };
    static char req[N * (BODY + 128)];
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        len += (size_t)snprintf(req + len, sizeof req - len,
                                "POST /echo HTTP/1.1\r\nHost: p\r\nContent-Length: %d\r\n\r\n", BODY);
        memset(req + len, '0' + i, BODY);
        len += BODY;
    }
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, len);
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, 5000, 0), TC_OK, "answer %d", i);
        cr_assert_eq(r.status, 200, "answer %d: %d", i, r.status);
        cr_assert_eq(r.body_len, BODY, "answer %d: %zu bytes", i, r.body_len);
        for (size_t k = 0; k < BODY; k++)
            cr_assert_eq(r.body[k], '0' + i, "answer %d, byte %zu: %c", i, k, r.body[k]);
        tc_response_free(&r);
    }
    tc_close(&c);
}

Test(persistence, a_chunked_echo_followed_by_pipelined_gets_answers_each_in_order)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "3\r\nabc\r\n0\r\n\r\n"
                    "GET /hello/after HTTP/1.1\r\nHost: p\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"
                    "HEAD / HTTP/1.1\r\nHost: p\r\n\r\n"
                    "GET / HTTP/1.1\r\nHost: p\r\n\r\n");
    read_ok(&c, "abc");
    read_ok(&c, "Hello, after!");
    read_ok(&c, "de");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 1), TC_OK);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    read_ok(&c, "Hello, world!");
    tc_close(&c);
}

Test(persistence, the_answer_to_an_http_1_0_request_says_http_1_1)
{
    /* RFC 9110 §6.2: a server sends its own highest version conformant
     * with the request's major version. */
    struct tc_response r;
    tc_exchange_str(srv.port, "GET / HTTP/1.0\r\n\r\n", &r);
    cr_assert_str_eq(r.version, "HTTP/1.1");
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
}

Test(persistence, a_client_that_half_closes_after_its_requests_still_gets_every_answer)
{
    /* RFC 9112 §9.6: a client may half-close after its last request; the
     * answers to what it sent are still due. */
    enum { N = 20 };
    static char req[N * 64];
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(req + len, sizeof req - len,
                                "GET /add/%d/1 HTTP/1.1\r\nHost: p\r\n\r\n", i);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, len);
    shutdown(c.fd, SHUT_WR);
    for (int i = 0; i < N; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", i + 1);
        read_ok(&c, want);
    }
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_close(&c);
}

Test(persistence, a_malformed_request_behind_good_ones_gets_400_after_their_answers)
{
    /* The good answers must not be lost to the error's close (RFC 9112
     * §9.6: the server closes only after its last response). */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET / HTTP/1.1\r\nHost: p\r\n\r\n"
                    "GET /hello/two HTTP/1.1\r\nHost: p\r\n\r\n"
                    "GET  /bad HTTP/1.1\r\nHost: p\r\n\r\n"
                    "GET /hello/never HTTP/1.1\r\nHost: p\r\n\r\n");
    struct tc_response r[5];
    int closed;
    int got = tc_read_until_close(&c, r, 5, TC_TIMEOUT_MS, &closed);
    tc_close(&c);
    cr_assert_eq(got, 3, "%d answers", got);
    cr_assert_str_eq(r[0].body, "Hello, world!");
    cr_assert_str_eq(r[1].body, "Hello, two!");
    cr_assert_eq(r[2].status, 400);
    cr_assert(closed);
    for (int i = 0; i < 3; i++)
        tc_response_free(&r[i]);
}

Test(persistence, a_client_that_reads_slowly_gets_every_pipelined_answer_while_others_are_served)
{
    /* 300 answers of 1 KiB queue up behind a client that does not read
     * for a while; the server must neither drop them nor stall others. */
    enum { N = 300, NAME = 1000 };
    static char req[N * (NAME + 64)];
    static char name[NAME + 1];
    memset(name, 'n', NAME);
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(req + len, sizeof req - len,
                                "GET /hello/%s HTTP/1.1\r\nHost: p\r\n\r\n", name);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    fflush(NULL);
    pid_t sender = fork();
    cr_assert(sender >= 0);
    if (sender == 0)
        _exit(tc_send(&c, req, len) == 0 ? 0 : 1);
    tc_sleep_ms(300);
    int64_t t0 = tc_now_ms();
    tc_assert_alive(srv.port);
    cr_assert(tc_now_ms() - t0 < 300, "another client waited on the slow reader");
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK, "answer %d", i);
        cr_assert_eq(r.status, 200);
        cr_assert_eq(r.body_len, NAME + 8);
        tc_response_free(&r);
    }
    int st;
    cr_assert_eq(waitpid(sender, &st, 0), sender);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sender failed");
    tc_close(&c);
}

Test(persistence, with_200_idle_keep_alive_connections_open_a_new_client_is_served_within_1_s)
{
    /* examples/reference holds at least 256 connections: 200 that each
     * had an answer and now idle cost the newcomer nothing. */
    enum { IDLE = 200, SERVED_MS = 1000 };
    static struct tc_conn idle[IDLE];
    for (int i = 0; i < IDLE; i++) {
        tc_connect(&idle[i], srv.port);
        cr_assert_eq(tc_send_str(&idle[i], "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        read_ok(&idle[i], "Hello, world!");
    }
    int64_t t0 = tc_now_ms();
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET /hello/newcomer HTTP/1.1\r\nHost: x\r\n\r\n");
    read_ok(&c, "Hello, newcomer!");
    int64_t took = tc_now_ms() - t0;
    cr_assert(took < SERVED_MS, "the newcomer waited %lld ms", (long long)took);
    /* And every idle one is still served. */
    for (int i = 0; i < IDLE; i++) {
        tc_send_str(&idle[i], "GET /add/40/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        read_ok(&idle[i], "42");
        tc_close(&idle[i]);
    }
    tc_close(&c);
}

Test(persistence, a_client_with_a_small_receive_buffer_that_reads_slowly_gets_every_pipelined_answer_whole_and_in_order)
{
    /* A 4 KiB receive buffer, read with pauses: the server's writes of a
     * batch of pipelined answers (copied ones of 10 B to 1.5 KiB, and
     * echoes sent from the body buffer) end short at every kind of place
     * (inside a head, inside a body, between answers, inside a static
     * body), and each must resume where the last one stopped. */
    enum { N = 120, MAXNAME = 1500 };
    static char req[N * (MAXNAME + 64)];
    static char name[N][MAXNAME + 1];
    size_t len = 0;
    for (int i = 0; i < N; i++) {
        size_t n = 1 + (size_t)(i * 397) % MAXNAME;
        memset(name[i], 'a' + i % 26, n);
        name[i][n] = '\0';
        if (i % 5 == 4) /* an echo longer than 128 bytes: sent from where it lies */
            len += (size_t)snprintf(req + len, sizeof req - len,
                                    "POST /echo HTTP/1.1\r\nHost: p\r\nContent-Length: %zu\r\n\r\n%s",
                                    n, name[i]);
        else if (i % 3 == 2)
            len += (size_t)snprintf(req + len, sizeof req - len,
                                    "GET /files/%s HTTP/1.1\r\nHost: p\r\n\r\n", name[i]);
        else
            len += (size_t)snprintf(req + len, sizeof req - len,
                                    "GET /hello/%s HTTP/1.1\r\nHost: p\r\n\r\n", name[i]);
    }
    struct tc_conn c;
    tc_connect(&c, srv.port);
    int small = 4096;
    cr_assert_eq(setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    fflush(NULL);
    pid_t sender = fork();
    cr_assert(sender >= 0);
    if (sender == 0)
        _exit(tc_send(&c, req, len) == 0 ? 0 : 1);
    for (int i = 0; i < N; i++) {
        /* Slowly: let the server find the socket full again. */
        if (i % 4 == 0)
            tc_sleep_ms(2);
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK, "answer %d", i);
        cr_assert_eq(r.status, 200, "answer %d: %d", i, r.status);
        size_t n = strlen(name[i]);
        const char *pre = i % 5 == 4 ? "" : i % 3 == 2 ? "path=" : "Hello, ";
        const char *post = i % 5 == 4 || i % 3 == 2 ? "" : "!";
        size_t a = strlen(pre), b = strlen(post);
        cr_assert_eq(r.body_len, a + n + b, "answer %d: %zu bytes", i, r.body_len);
        cr_assert(memcmp(r.body, pre, a) == 0 && memcmp(r.body + a, name[i], n) == 0 &&
                      memcmp(r.body + a + n, post, b) == 0,
                  "answer %d is not its own", i);
        tc_response_free(&r);
    }
    int st;
    cr_assert_eq(waitpid(sender, &st, 0), sender);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sender failed");
    tc_close(&c);
}
