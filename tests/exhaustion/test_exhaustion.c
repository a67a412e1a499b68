/*
 * test_exhaustion.c - resource exhaustion against exhaustion.routes (the
 * reference handlers, 256 connections, 8 buffers, 1 s head and body
 * deadlines, 2 s idle): more connections than the pool (idle or busy), slowloris heads,
 * heads and bodies that stall holding every buffer, a client that never
 * reads, 1,000 sequential and 200 concurrent
 * connections, a body announced over the limit.  Each scenario is one
 * test with its own server; the last test runs them all twice against
 * one server and compares its memory after the second round with its
 * memory after the first (the warm-up that touched every pool).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "client.h"

#define POOL 256            /* connections in exhaustion.routes */
#define HEAD_MS 1000        /* timeout head */
#define SERVED_MS 1000      /* what "served within a second" means */

static struct tc_server srv;

/* Client descriptors: POOL + the excess + a margin; the server raises
 * its own limit (tr_server.c raise_nofile). */
static void raise_nofile(void)
{
    struct rlimit rl;
    cr_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 2048) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 2048 ? 2048 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void start(void)
{
    raise_nofile();
    tc_server_start(&srv, EXHAUSTION_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(exhaustion, .init = start, .fini = stop, .timeout = 60);

/* One GET on c; asserts a 200 with the body, within ms; returns how long
 * it took. */
static int64_t get_on(struct tc_conn *c, const char *target, const char *body, int ms)
{
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: exhaustion.test\r\n\r\n", target);
    int64_t t0 = tc_now_ms();
    cr_assert_eq(tc_send_str(c, req), 0, "send %s", target);
    struct tc_response r;
    int st = tc_read_response(c, &r, ms, 0);
    int64_t took = tc_now_ms() - t0;
    cr_assert_eq(st, TC_OK, "GET %s: no answer (%d) within %d ms", target, st, ms);
    cr_assert_eq(r.status, 200, "GET %s: %d", target, r.status);
    cr_assert_str_eq(r.body, body, "GET %s", target);
    tc_response_free(&r);
    return took;
}

/* A fresh connection, one GET / within SERVED_MS; returns its latency. */
static int64_t probe(uint16_t port)
{
    struct tc_conn c;
    int64_t t0 = tc_now_ms();
    tc_connect(&c, port);
    get_on(&c, "/", "Hello, world!", SERVED_MS);
    tc_close(&c);
    int64_t took = tc_now_ms() - t0;
    cr_assert(took < SERVED_MS, "a bystander waited %lld ms", (long long)took);
    return took;
}

/* Has the server closed fd (FIN or reset)?  Reads nothing. */
static int peer_gone(int fd)
{
    struct pollfd p = { fd, POLLRDHUP, 0 };
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* ---- the scenarios ------------------------------------------------------ */

/* POOL keep-alive connections fill the pool and go idle: 64 newcomers
 * are each served (200), the pool closing the connection idle longest for
 * each (RFC 9112 §9.8), so the first held ones are closed and the last
 * ones are served again.  Then POOL connections in the middle of a
 * request fill it: 16 newcomers are refused (503 or a close) at once,
 * since no request is cut for them. */
static void pool_overflow(uint16_t port)
{
    enum { EXTRA = 64 };
    static struct tc_conn held[POOL], extra[EXTRA];
    for (int i = 0; i < POOL; i++) {
        tc_connect(&held[i], port);
        get_on(&held[i], "/hello/held", "Hello, held!", TC_TIMEOUT_MS);
    }
    int64_t t0 = tc_now_ms();
    for (int i = 0; i < EXTRA; i++) {
        tc_connect(&extra[i], port);
        get_on(&extra[i], "/hello/new", "Hello, new!", TC_TIMEOUT_MS);
    }
    int64_t took = tc_now_ms() - t0;
    tc_sleep_ms(20);
    int evicted = 0;
    for (int i = 0; i < EXTRA; i++)
        evicted += peer_gone(held[i].fd);
    cr_assert(evicted == EXTRA, "of the %d idle longest, %d were closed for newcomers", EXTRA,
              evicted);
    /* Those idle for less time are untouched. */
    get_on(&held[POOL - 1], "/hello/again", "Hello, again!", TC_TIMEOUT_MS);
    cr_log_info("full pool of idle connections: %d newcomers served in %lld ms", EXTRA,
                (long long)took);
    for (int i = 0; i < POOL; i++)
        tc_close(&held[i]);
    for (int i = 0; i < EXTRA; i++)
        tc_close(&extra[i]);
    tc_sleep_ms(100);

    for (int i = 0; i < POOL; i++) {
        tc_connect(&held[i], port);
        tc_send_str(&held[i], "GET /hello/busy HTTP/1.1\r\n");
    }
    tc_sleep_ms(50);
    t0 = tc_now_ms();
    int refused = 0;
    for (int i = 0; i < 16; i++) {
        if (tc_try_connect(&extra[i], port) != 0) {
            refused++; /* the backlog itself may refuse: also quick */
            continue;
        }
        tc_send_str(&extra[i], "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        struct tc_response r;
        int st = tc_read_response(&extra[i], &r, 500, 0);
        if (st == TC_OK) {
            /* RFC 9110 §15.6.4: 503 for a full pool */
            cr_assert_eq(r.status, 503, "connection %d beyond the pool got %d", i, r.status);
            tc_response_free(&r);
            st = tc_wait_close(&extra[i], 500);
        }
        cr_assert(st == TC_CLOSED || st == TC_BAD, "connection %d beyond the pool: %d", i, st);
        refused++;
        tc_close(&extra[i]);
    }
    took = tc_now_ms() - t0;
    cr_assert_eq(refused, 16);
    cr_assert(took < 1000, "refusing 16 connections took %lld ms", (long long)took);
    for (int i = 0; i < POOL; i++)
        tc_close(&held[i]);
    /* The pool recovers: the server sees the closes on its next turn. */
    tc_sleep_ms(100);
    for (int i = 0; i < POOL; i++) {
        tc_connect(&held[i], port);
        get_on(&held[i], "/hello/new", "Hello, new!", TC_TIMEOUT_MS);
    }
    for (int i = 0; i < POOL; i++)
        tc_close(&held[i]);
    tc_sleep_ms(50);
}

/* Four slowloris clients trickle head bytes (every 100 ms: each byte
 * would renew a per-read deadline); each is cut at the head deadline,
 * counted from its first byte, while bystanders are served in time. */
static void slowloris(uint16_t port)
{
    enum { N = 4 };
    struct tc_conn s[N];
    int64_t cut[N] = { 0 };
    int64_t t0 = tc_now_ms(), worst = 0;
    for (int i = 0; i < N; i++) {
        tc_connect(&s[i], port);
        tc_send_str(&s[i], "GET / HTTP/1.1\r\n");
    }
    int left = N;
    while (left > 0 && tc_now_ms() - t0 < 4000) {
        for (int i = 0; i < N; i++) {
            if (cut[i])
                continue;
            int st = tc_wait_close(&s[i], 1);
            if (st == TC_TIMEOUT) {
                tc_send_str(&s[i], "X");
                continue;
            }
            cut[i] = tc_now_ms() - t0;
            if (st == TC_DATA) {
                struct tc_response r;
                cr_assert_eq(tc_read_response(&s[i], &r, TC_TIMEOUT_MS, 0), TC_OK);
                /* RFC 9110 §15.5.9 */
                cr_assert_eq(r.status, 408, "slowloris %d got %d", i, r.status);
                tc_response_free(&r);
            }
            left--;
        }
        int64_t p = probe(port);
        worst = p > worst ? p : worst;
        tc_sleep_ms(100);
    }
    for (int i = 0; i < N; i++) {
        cr_assert(cut[i] > 0, "slowloris %d was never cut", i);
        cr_assert(cut[i] >= HEAD_MS - 200 && cut[i] <= HEAD_MS + 1000,
                  "slowloris %d cut after %lld ms, the head deadline is %d", i,
                  (long long)cut[i], HEAD_MS);
        tc_close(&s[i]);
    }
    cr_log_info("slowloris: cut after %lld..%lld ms; worst bystander %lld ms", (long long)cut[0],
                (long long)cut[N - 1], (long long)worst);
}

/* A probe through a fresh connection, request given: asserts a 200 with
 * the body within ms and returns how long it took. */
static int64_t probe_with(uint16_t port, const char *req, const char *body, int ms)
{
    struct tc_conn c;
    struct tc_response r;
    int64_t t0 = tc_now_ms();
    tc_connect(&c, port);
    cr_assert_eq(tc_send_str(&c, req), 0);
    int line = (int)strcspn(req, "\r");
    cr_assert_eq(tc_read_response(&c, &r, ms, 0), TC_OK, "no answer to %.*s within %d ms", line,
                 req, ms);
    cr_assert_eq(r.status, 200, "%.*s: %d", line, req, r.status);
    cr_assert_str_eq(r.body, body);
    tc_response_free(&r);
    tc_close(&c);
    return tc_now_ms() - t0;
}

/* Each of n clients that stalled with a buffer (their head or body never
 * completes) is either still waiting or was cut with 408 and a close;
 * returns how many were cut.  Closes them all. */
static int stalled_cut(struct tc_conn *s, int n)
{
    int cut = 0;
    for (int i = 0; i < n; i++) {
        int st = tc_wait_close(&s[i], 1);
        if (st == TC_DATA) {
            struct tc_response r;
            cr_assert_eq(tc_read_response(&s[i], &r, TC_TIMEOUT_MS, 0), TC_OK);
            /* RFC 9110 §15.5.9 */
            cr_assert_eq(r.status, 408, "stalled client %d got %d", i, r.status);
            tc_response_free(&r);
            st = tc_wait_close(&s[i], TC_TIMEOUT_MS);
        }
        cr_assert(st == TC_CLOSED || st == TC_TIMEOUT, "stalled client %d: %d", i, st);
        cut += st == TC_CLOSED;
        tc_close(&s[i]);
    }
    return cut;
}

/* The server cuts a buffer's holder for a waiting client once it is
 * min_rate_grace (250 ms) behind the minimum rate: well before the
 * deadlines. */
#define CUT_SERVED_MS 600
/* A holder whose client sent a lot (pipelined requests) has earned credit,
 * at most TR_MIN_RATE_CREDIT_MS (0.5 s) ahead of the clock, before the
 * grace starts: such clients are cut 0.75 s after their last byte at the
 * latest, before the newcomer's own head deadline (1 s). */
#define CREDIT_SERVED_MS (500 + 250 + 200)

/* Twice as many clients as buffers stall with half a head each, holding
 * every buffer (slowloris without the trickle).  A new client is served
 * long before their head deadline, because the longest stalled are cut
 * for it with 408; the others are cut at the deadline as ever. */
static void stalled_heads(uint16_t port)
{
    enum { N = 2 * 8 };
    static struct tc_conn s[N];
    for (int i = 0; i < N; i++) {
        tc_connect(&s[i], port);
        tc_send_str(&s[i], "GET /hello/stalled HTTP/1.1\r\n");
    }
    tc_sleep_ms(300);
    int64_t worst = 0;
    for (int i = 0; i < 4; i++) {
        int64_t took = probe_with(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "Hello, world!",
                                  CUT_SERVED_MS);
        worst = took > worst ? took : worst;
    }
    int cut = stalled_cut(s, N);
    cr_assert(cut >= 4, "only %d of %d stalled heads were cut for others", cut, N);
    cr_log_info("stalled heads: %d of %d cut for others; worst bystander %lld ms", cut, N,
                (long long)worst);
}

/* Clients announce a body and send two bytes of it: four hold both body
 * buffers and more, then ten hold every request buffer too.  A new echo
 * and a new GET are still served long before the body deadline. */
static void stalled_bodies(uint16_t port)
{
    static const int waves[] = { 4, 10 };
    static struct tc_conn s[10];
    const char *stall = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab";
    const char *echo = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping";
    for (unsigned w = 0; w < sizeof waves / sizeof waves[0]; w++) {
        int n = waves[w];
        for (int i = 0; i < n; i++) {
            tc_connect(&s[i], port);
            tc_send_str(&s[i], stall);
        }
        tc_sleep_ms(300);
        int64_t e = probe_with(port, echo, "ping", CUT_SERVED_MS);
        int64_t g = probe_with(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "Hello, world!",
                               CUT_SERVED_MS);
        int cut = stalled_cut(s, n);
        cr_assert(cut >= 1, "no stalled body was cut for the new echo");
        cr_log_info("%d stalled bodies: %d cut; echo after %lld ms, GET after %lld ms", n, cut,
                    (long long)e, (long long)g);
    }
    tc_sleep_ms(50);
}

/* While an attacker opens a connection every 60 ms that sends a POST
 * head and then nothing (each wants a body buffer; the spec has two), a
 * legitimate upload trickles 4 KiB in ten pieces over 0.6 s (longer than
 * TR_CUT_AFTER_MS, within the 1 s body deadline): it moves, so it is never
 * the one cut.  Then a whole echo is served in time, never cut itself. */
static void moving_upload(uint16_t port)
{
    enum { PIECES = 10, PIECE = 400, ATTACK = 12 };
    static struct tc_conn up, atk[ATTACK];
    static char body[PIECES * PIECE + 1];
    memset(body, 'm', sizeof body - 1);
    const char *stall = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    char head[128];
    snprintf(head, sizeof head, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n",
             PIECES * PIECE);
    tc_connect(&up, port);
    cr_assert_eq(tc_send_str(&up, head), 0);
    for (int i = 0; i < PIECES; i++) {
        cr_assert_eq(tc_send(&up, body + i * PIECE, PIECE), 0, "the upload was cut at piece %d", i);
        if (i < ATTACK) {
            tc_connect(&atk[i], port);
            tc_send_str(&atk[i], stall);
        }
        tc_sleep_ms(60);
    }
    struct tc_response r;
    cr_assert_eq(tc_read_response(&up, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200, "the moving upload got %d", r.status);
    cr_assert_str_eq(r.body, body);
    tc_response_free(&r);
    tc_close(&up);
    /* The stalled ones still wait for body buffers: a whole echo queues
     * behind them and is served as they are cut, never cut itself. */
    probe_with(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping", "ping",
               CUT_SERVED_MS);
    for (int i = 0; i < ATTACK && i < PIECES; i++)
        tc_close(&atk[i]);
    tc_sleep_ms(50);
}

/* Pipelines GETs with ~1 KiB answers on c and never reads them, until the
 * server stops taking requests (its output is blocked and our send buffer
 * fills) or 8 MiB or 3 s have gone; returns the bytes sent. */
static size_t fill_unread(struct tc_conn *c, const char *req, size_t n)
{
    int small = 4096;
    setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    size_t sent = 0;
    int64_t t0 = tc_now_ms();
    while (sent < (8u << 20) && tc_now_ms() - t0 < 3000) {
        ssize_t w = send(c->fd, req, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            tc_sleep_ms(20);
            w = send(c->fd, req, n, MSG_NOSIGNAL);
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
        }
        if (w <= 0)
            break;
        sent += (size_t)w;
    }
    return sent;
}

/* More clients than buffers pipeline requests and never read the
 * answers: each holds a buffer with output it cannot send.  A new client
 * is served long before their send deadline, because the longest blocked
 * is cut (reset) for it. */
static void unread_answers(uint16_t port)
{
    /* Twice the buffers: a client whose answers all fit in the socket
     * buffers (the server may keep up while it fills) holds none. */
    enum { N = 2 * 8 };
    static struct tc_conn s[N];
    static char path[900], req[1200];
    memset(path, 'u', sizeof path - 1);
    int n = snprintf(req, sizeof req, "GET /files/%s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    for (int i = 0; i < N; i++) {
        tc_connect(&s[i], port);
        fill_unread(&s[i], req, (size_t)n);
    }
    tc_sleep_ms(300);
    int64_t took = probe_with(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "Hello, world!",
                              CREDIT_SERVED_MS);
    int cut = 0;
    for (int i = 0; i < N; i++) {
        cut += peer_gone(s[i].fd);
        tc_close(&s[i]);
    }
    cr_assert(cut >= 1, "no client with unread answers was cut for the new one");
    cr_log_info("unread answers: %d of %d cut; bystander %lld ms", cut, N, (long long)took);
    tc_sleep_ms(50);
}

/* A client pipelines GETs with 1 KiB answers and never reads: the
 * server's socket buffer fills.  Bystanders are served meanwhile; the
 * server gives the reader up after its send deadline. */
static void never_reads(uint16_t port)
{
    static char path[900]; /* the answer is ~1 KiB; the line stays under 1 KiB */
    static char req[1200];
    memset(path, 'p', sizeof path - 1);
    int n = snprintf(req, sizeof req, "GET /files/%s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    struct tc_conn c;
    tc_connect(&c, port);
    size_t sent = fill_unread(&c, req, (size_t)n);
    /* The loop is not blocked by it. */
    int64_t worst = 0;
    for (int i = 0; i < 10; i++) {
        int64_t p = probe(port);
        worst = p > worst ? p : worst;
    }
    /* Its send deadline (the send timeout: the body timeout, 1 s) passes
     * without progress: it is closed.  Watched without reading, since a
     * read would let the server make progress. */
    int64_t t1 = tc_now_ms();
    while (!peer_gone(c.fd) && tc_now_ms() - t1 < 4000)
        tc_sleep_ms(20);
    int64_t took = tc_now_ms() - t1;
    cr_assert(peer_gone(c.fd), "the reader that never reads is still connected after %lld ms",
              (long long)took);
    tc_close(&c);
    cr_log_info("never-reads: %zu bytes of requests taken, given up %lld ms after the last; "
                "worst bystander %lld ms", sent, (long long)took, (long long)worst);
}

/* The same, but the client goes on sending a byte every 200 ms: input is
 * not output progress, and must not extend the send deadline. */
static void never_reads_but_sends(uint16_t port)
{
    static char path[900];
    static char req[1200];
    memset(path, 'q', sizeof path - 1);
    int n = snprintf(req, sizeof req, "GET /files/%s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    struct tc_conn c;
    tc_connect(&c, port);
    /* Answers of 1 KiB until the server stops taking requests: more than
     * the socket buffers take at once, however small they are. */
    fill_unread(&c, req, (size_t)n);
    int64_t t0 = tc_now_ms();
    while (!peer_gone(c.fd) && tc_now_ms() - t0 < 6000) {
        if (send(c.fd, "G", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN &&
            errno != EWOULDBLOCK)
            break;
        tc_sleep_ms(200);
        probe(port);
    }
    int64_t took = tc_now_ms() - t0;
    int gone = peer_gone(c.fd) || send(c.fd, "G", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0;
    tc_close(&c);
    /* Within 4 s: the kernel may still take some output now and then as
     * it grows its send buffer (real progress, a fresh deadline), but a
     * byte every 200 ms would keep it forever (the loop gives up at 6 s). */
    cr_assert(gone && took <= 4000,
              "a client that never reads but sends a byte every 200 ms was still connected "
              "after %lld ms (send deadline 1 s)",
              (long long)took);
}

/* 1,000 connections one after another, one GET each. */
static void sequential(uint16_t port)
{
    int64_t t0 = tc_now_ms();
    for (int i = 0; i < 1000; i++) {
        struct tc_conn c;
        tc_connect(&c, port);
        get_on(&c, "/add/40/2", "42", TC_TIMEOUT_MS);
        tc_close(&c);
    }
    cr_log_info("1000 sequential connections: %lld ms", (long long)(tc_now_ms() - t0));
}

/* 200 connections open at once, a request in flight on each (GETs and
 * echoes, far more than the 8 buffers and 2 body buffers), all answered. */
static void concurrent(uint16_t port)
{
    enum { N = 200 };
    static struct tc_conn c[N];
    static const char body[] = "0123456789abcdef0123456789abcdef";
    int64_t t0 = tc_now_ms();
    for (int i = 0; i < N; i++)
        tc_connect(&c[i], port);
    for (int i = 0; i < N; i++) {
        char req[256];
        if (i % 4 == 3)
            snprintf(req, sizeof req,
                     "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n%s",
                     sizeof body - 1, body);
        else
            snprintf(req, sizeof req, "GET /hello/c%d HTTP/1.1\r\nHost: x\r\n\r\n", i);
        cr_assert_eq(tc_send_str(&c[i], req), 0);
    }
    for (int i = 0; i < N; i++) {
        struct tc_response r;
        cr_assert_eq(tc_read_response(&c[i], &r, 5000, 0), TC_OK, "connection %d: no answer", i);
        cr_assert_eq(r.status, 200, "connection %d: %d", i, r.status);
        char want[64];
        if (i % 4 == 3)
            snprintf(want, sizeof want, "%s", body);
        else
            snprintf(want, sizeof want, "Hello, c%d!", i);
        cr_assert_str_eq(r.body, want, "connection %d", i);
        tc_response_free(&r);
    }
    for (int i = 0; i < N; i++)
        tc_close(&c[i]);
    cr_log_info("200 concurrent connections: %lld ms", (long long)(tc_now_ms() - t0));
    tc_sleep_ms(50);
}

/* A body announced far over the 4 KiB limit gets 413 before a byte of
 * it is sent, and the connection is closed.  The server half-closes and
 * drains what the client still sends (RFC 9112 §9.6 lingering close, so
 * that a reset does not destroy the 413), but only until its send
 * deadline (1 s): however much the client goes on sending, the
 * descriptor is gone within that deadline and a margin. */
static void body_too_large(uint16_t port)
{
    struct tc_conn c;
    tc_connect(&c, port);
    int64_t t0 = tc_now_ms();
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, 500, 0), TC_OK, "no 413 without the body");
    cr_assert_eq(r.status, 413);
    tc_response_free(&r);
    int64_t answered = tc_now_ms() - t0;
    cr_assert(answered < 500, "413 after %lld ms", (long long)answered);
    static char junk[65536];
    memset(junk, 'j', sizeof junk);
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    size_t sent = 0;
    int gone = 0;
    while (!gone && tc_now_ms() - t0 < 5000) {
        ssize_t w = send(c.fd, junk, sizeof junk, MSG_NOSIGNAL);
        if (w > 0)
            sent += (size_t)w;
        else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            tc_sleep_ms(5);
        else
            gone = 1; /* EPIPE or reset: the descriptor is closed */
    }
    int64_t took = tc_now_ms() - t0;
    cr_assert(gone, "the server still takes the body after %lld ms (%zu bytes sent)",
              (long long)took, sent);
    cr_assert(took <= 2500, "the unwanted body was drained for %lld ms", (long long)took);
    tc_close(&c);
    cr_log_info("413 after %lld ms; %zu bytes of unwanted body drained before the close at "
                "%lld ms", (long long)answered, sent, (long long)took);
}

/* ---- one test per scenario --------------------------------------------- */

Test(exhaustion, a_full_pool_closes_the_longest_idle_for_newcomers_and_refuses_them_only_when_all_are_busy)
{
    pool_overflow(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, slowloris_heads_are_cut_at_the_head_deadline_while_others_are_served_within_1_s)
{
    slowloris(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, stalled_heads_holding_every_buffer_are_cut_for_a_new_client_within_a_second)
{
    stalled_heads(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, stalled_bodies_holding_every_buffer_are_cut_for_new_clients_within_a_second)
{
    stalled_bodies(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, an_upload_that_moves_is_never_cut_for_stalled_ones_nor_a_whole_request_kept_waiting)
{
    moving_upload(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, clients_with_unread_answers_holding_every_buffer_are_cut_for_a_new_client)
{
    unread_answers(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, a_client_that_never_reads_its_answers_blocks_nobody_and_is_given_up)
{
    never_reads(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, a_client_that_never_reads_but_keeps_sending_is_given_up_at_the_send_deadline)
{
    never_reads_but_sends(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, a_thousand_sequential_connections_are_all_served)
{
    sequential(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, two_hundred_concurrent_connections_with_requests_in_flight_are_all_served)
{
    concurrent(srv.port);
    tc_assert_alive(srv.port);
}

Test(exhaustion, a_body_announced_over_the_limit_is_refused_before_it_is_read)
{
    body_too_large(srv.port);
    tc_assert_alive(srv.port);
}

/* ---- memory ------------------------------------------------------------- */

/* VmRSS and VmHWM of pid, KiB. */
static void memory(pid_t pid, long *rss, long *hwm)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    *rss = *hwm = -1;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "VmRSS: %ld", rss);
        sscanf(line, "VmHWM: %ld", hwm);
    }
    fclose(f);
    cr_assert(*rss > 0 && *hwm > 0);
}

static void every_scenario(uint16_t port)
{
    pool_overflow(port);
    slowloris(port);
    stalled_heads(port);
    stalled_bodies(port);
    moving_upload(port);
    unread_answers(port);
    never_reads(port);
    never_reads_but_sends(port);
    sequential(port);
    concurrent(port);
    body_too_large(port);
    /* Let lingering closes and deadlines run out. */
    tc_sleep_ms(2500);
    tc_assert_alive(port);
}

/* Pages the kernel may account differently between two identical rounds
 * (stack, libc's buffers): 16 pages. */
#define TOLERANCE_KIB 64

Test(exhaustion, memory_after_every_scenario_twice_equals_memory_after_the_first_round,
     .timeout = 90)
{
    long rss0, hwm0, rss1, hwm1, rss2, hwm2;
    memory(srv.pid, &rss0, &hwm0);
    every_scenario(srv.port); /* the warm-up: every pool touched */
    memory(srv.pid, &rss1, &hwm1);
    every_scenario(srv.port);
    memory(srv.pid, &rss2, &hwm2);
    cr_log_info("memory KiB: start VmRSS %ld VmHWM %ld; after warm-up %ld %ld; after a "
                "second round %ld %ld", rss0, hwm0, rss1, hwm1, rss2, hwm2);
    cr_assert(rss2 <= rss1 + TOLERANCE_KIB, "VmRSS grew from %ld to %ld KiB", rss1, rss2);
    cr_assert(hwm2 <= hwm1 + TOLERANCE_KIB, "VmHWM grew from %ld to %ld KiB", hwm1, hwm2);
}
