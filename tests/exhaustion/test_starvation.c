/*
 * test_starvation.c - cheap attacks on examples/reference itself (its
 * pools: 256 connections, 64 request buffers, 2 body buffers) that hold
 * the shared buffers by sending a byte now and then (issue 18): the
 * minimum-rate rule (runtime/tr_pool.c) must cut them for a
 * waiting client within a second, and never cut a transfer that is slow
 * but real.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>

#include "client.h"

#define BUFFERS 64          /* request buffers: connections 256 / 4 */
#define TRICKLE_MS 150      /* one byte per trickler this often: 7 B/s each */
#define SERVED_MS 1000      /* the most a legitimate request may be delayed */
#define UPLOAD_MS 3000      /* the uploads below take 1.3 s at their own pace */

static struct tc_server srv;

static void raise_nofile(void)
{
    struct rlimit rl;
    cr_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 1024) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 1024 ? 1024 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void start(void)
{
    raise_nofile();
    tc_server_start(&srv, REFERENCE_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(starvation, .init = start, .fini = stop, .timeout = 30);

/* The attackers: tricklers send one byte each every TRICKLE_MS; the rest
 * sent what they sent once and stay silent. */
struct attack {
    struct tc_conn c[BUFFERS];
    int n;                   /* connections open */
    int trickle;             /* of them, the first this many trickle */
    const char *byte;        /* what a trickler sends each time */
    int64_t next;            /* when they trickle next */
    long sent;               /* bytes trickled by all, for the rate */
    long once;               /* bytes of the requests they opened with */
    int64_t t0;
};

static void attack_tick(struct attack *a);

static void attack_open(struct attack *a, const char *once, int n, int trickle, const char *byte)
{
    a->n = n;
    a->trickle = trickle;
    a->byte = byte;
    a->sent = 0;
    a->once = (long)strlen(once) * n;
    a->t0 = tc_now_ms();
    a->next = a->t0 + TRICKLE_MS;
    for (int i = 0; i < n; i++) {
        tc_connect(&a->c[i], srv.port);
        cr_assert_eq(tc_send_str(&a->c[i], once), 0);
        if (i >= trickle)
            attack_tick(a);     /* the tricklers already trickle */
    }
}

/* Trickles if it is time; a trickler that the server closed stays closed. */
static void attack_tick(struct attack *a)
{
    if (tc_now_ms() < a->next)
        return;
    a->next += TRICKLE_MS;
    for (int i = 0; i < a->trickle; i++) {
        if (a->c[i].fd >= 0 && tc_send(&a->c[i], a->byte, 1) != 0)
            tc_close(&a->c[i]);
        else
            a->sent++;
    }
}

/* Keeps trickling for ms. */
static void attack_run(struct attack *a, int ms)
{
    int64_t end = tc_now_ms() + ms;
    while (tc_now_ms() < end) {
        attack_tick(a);
        tc_sleep_ms(10);
    }
}

/* Bytes a second the attack trickles: what it sent since it opened, but
 * for its opening requests, which it pays for once a deadline (30 s). */
static long attack_rate(const struct attack *a)
{
    int64_t ms = tc_now_ms() - a->t0;
    return ms > 0 ? a->sent * 1000 / ms : a->sent;
}

static void attack_close(struct attack *a)
{
    for (int i = 0; i < a->n; i++)
        tc_close(&a->c[i]);
}

/* A GET / on a fresh connection while the attack goes on (a pause in the
 * trickle would make the attackers look silent); asserts 200 within ms
 * and returns the delay. */
static int64_t probe_during(struct attack *a, int ms)
{
    struct tc_conn c;
    struct tc_response r;
    int64_t t0 = tc_now_ms();
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    int st;
    while ((st = tc_read_response(&c, &r, 10, 0)) == TC_TIMEOUT && tc_now_ms() - t0 < ms)
        attack_tick(a);
    int64_t took = tc_now_ms() - t0;
    cr_assert_eq(st, TC_OK, "GET / not answered (%d) within %lld ms, attack at %ld B/s", st,
                 (long long)took, attack_rate(a));
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "Hello, world!");
    tc_response_free(&r);
    tc_close(&c);
    return took;
}

/* Two clients announce a 1 MB body and trickle it, holding both body
 * buffers; 62 more send a POST head and then nothing, holding the other
 * request buffers while they queue for a body buffer. */
static void body_attack(struct attack *a)
{
    static const char head[] = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    attack_open(a, head, BUFFERS, 2, "b");
}

Test(starvation, body_tricklers_and_silent_body_waiters_delay_a_get_by_at_most_a_second)
{
    static struct attack a;
    body_attack(&a);
    attack_run(&a, 1500);
    int64_t worst = 0;
    for (int i = 0; i < 3; i++) {
        int64_t took = probe_during(&a, 3 * SERVED_MS);
        worst = took > worst ? took : worst;
    }
    long rate = attack_rate(&a);
    attack_close(&a);
    cr_log_info("body tricklers + silent waiters at %ld B/s (after %ld bytes of heads): GET / "
                "after %lld ms at worst", rate, a.once, (long long)worst);
    cr_assert(rate <= 1024, "the attack sent %ld B/s", rate);
    cr_assert(worst <= SERVED_MS, "GET / waited %lld ms", (long long)worst);
}

Test(starvation, head_tricklers_on_every_request_buffer_delay_a_get_by_at_most_a_second)
{
    static struct attack a;
    attack_open(&a, "GET / HTTP/1.1\r\nX-Slow: ", BUFFERS, BUFFERS, "x");
    attack_run(&a, 1500);
    int64_t worst = 0;
    for (int i = 0; i < 3; i++) {
        int64_t took = probe_during(&a, 3 * SERVED_MS);
        worst = took > worst ? took : worst;
    }
    long rate = attack_rate(&a);
    attack_close(&a);
    cr_log_info("head tricklers at %ld B/s (after %ld bytes of heads): GET / after %lld ms at "
                "worst", rate, a.once, (long long)worst);
    cr_assert(rate <= 1024, "the attack sent %ld B/s", rate);
    cr_assert(worst <= SERVED_MS, "GET / waited %lld ms", (long long)worst);
}

/* An upload of len bytes sent in pieces of piece bytes every pause_ms. */
struct upload {
    struct tc_conn c;
    char *body;
    size_t len, piece, off;
    int pause_ms;
    int64_t next, t0;
    int cut;                 /* a send failed: the server closed it */
};

static void upload_start(struct upload *u, size_t len, size_t piece, int pause_ms)
{
    char head[128];
    u->body = malloc(len + 1);
    cr_assert(u->body);
    for (size_t i = 0; i < len; i++)
        u->body[i] = (char)('a' + i % 26);
    u->body[len] = '\0';
    u->len = len;
    u->piece = piece;
    u->off = 0;
    u->pause_ms = pause_ms;
    u->cut = 0;
    tc_connect(&u->c, srv.port);
    snprintf(head, sizeof head, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n",
             len);
    cr_assert_eq(tc_send_str(&u->c, head), 0);
    u->t0 = tc_now_ms();
    u->next = u->t0;
}

static void upload_tick(struct upload *u)
{
    if (u->cut || u->off == u->len || tc_now_ms() < u->next)
        return;
    /* Without blocking: a blocked send would pause the attack too.  A
     * piece the socket does not take whole is finished on the next ticks. */
    size_t end = (u->off / u->piece + 1) * u->piece;
    size_t n = (end < u->len ? end : u->len) - u->off;
    ssize_t w = send(u->c.fd, u->body + u->off, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        u->cut = 1;
    if (w > 0)
        u->off += (size_t)w;
    if (u->off % u->piece == 0 || u->off == u->len)
        u->next += u->pause_ms;
}

/* Asserts the echo of the whole upload; returns its duration. */
static int64_t upload_finish(struct upload *u, struct attack *a, const char *what)
{
    struct tc_response r;
    cr_assert(!u->cut && u->off == u->len, "the %s upload was cut or held up at byte %zu", what,
              u->off);
    int64_t t0 = tc_now_ms();
    int st;
    /* The attack goes on meanwhile (see probe_during); the echo is read
     * whole once its head came. */
    struct pollfd p = { u->c.fd, POLLIN, 0 };
    while (poll(&p, 1, 10) == 0 && tc_now_ms() - t0 < 5000)
        attack_tick(a);
    st = tc_read_response(&u->c, &r, 5000, 0);
    cr_assert_eq(st, TC_OK, "the %s upload got no answer (%d)", what, st);
    cr_assert_eq(r.status, 200, "the %s upload got %d", what, r.status);
    cr_assert_eq(r.body_len, u->len, "the %s upload's echo", what);
    cr_assert(memcmp(r.body, u->body, u->len) == 0, "the %s upload's echo differs", what);
    tc_response_free(&r);
    tc_close(&u->c);
    free(u->body);
    return tc_now_ms() - u->t0;
}

Test(starvation, uploads_at_50_and_5_kb_per_second_complete_while_the_body_attack_goes_on)
{
    /* 64 KiB at 50 KB/s: 1 KiB every 20 ms.  The 2G-speed client: 6 KiB
     * at 5 KB/s, one 1460-byte segment every 290 ms.  Each sends far more
     * than the minimum rate (1 KB/s by default), so the credit its bytes
     * earn keeps it ahead; the tricklers, at 7 B/s, fall behind by a
     * second each second and are the ones cut. */
    static struct attack a;
    static struct upload fast, slow;
    body_attack(&a);
    attack_run(&a, 1000);
    upload_start(&fast, 64 * 1024, 1024, 20);
    upload_start(&slow, 6 * 1024, 1460, 290);
    while ((fast.off < fast.len || slow.off < slow.len) && tc_now_ms() - fast.t0 < 6000) {
        attack_tick(&a);
        upload_tick(&fast);
        upload_tick(&slow);
        tc_sleep_ms(5);
    }
    int64_t f = upload_finish(&fast, &a, "50 KB/s");
    int64_t s = upload_finish(&slow, &a, "5 KB/s");
    long rate = attack_rate(&a);
    attack_close(&a);
    cr_log_info("under the body attack (%ld B/s): 64 KiB at 50 KB/s in %lld ms, 6 KiB at 5 KB/s "
                "in %lld ms", rate, (long long)f, (long long)s);
    /* 1.3 s and 1.2 s at their pace, plus the echo: not held up. */
    cr_assert(f <= UPLOAD_MS && s <= UPLOAD_MS, "the uploads took %lld and %lld ms", (long long)f,
              (long long)s);
}

#define POOL 256            /* connections */

Test(starvation, a_pool_full_of_connections_silent_since_accept_admits_a_newcomer_after_a_second)
{
    /* RFC 9112 §9.8: an idle connection may be closed; one silent since
     * its accept for more than TR_EVICT_GRACE_MS (1 s) is idle, and the
     * newcomer gets 200 instead of 503.  The first one goes first. */
    static struct tc_conn s[POOL];
    for (int i = 0; i < POOL; i++)
        tc_connect(&s[i], srv.port);
    tc_sleep_ms(1200);
    struct tc_conn c;
    struct tc_response r;
    int64_t t0 = tc_now_ms();
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, SERVED_MS, 0), TC_OK, "no answer to the newcomer");
    int64_t took = tc_now_ms() - t0;
    cr_assert_eq(r.status, 200, "the newcomer got %d", r.status);
    tc_response_free(&r);
    tc_close(&c);
    cr_assert_eq(tc_wait_close(&s[0], SERVED_MS), TC_CLOSED, "the longest silent is still open");
    cr_assert_eq(tc_wait_close(&s[POOL - 1], 50), TC_TIMEOUT, "the youngest was closed");
    for (int i = 0; i < POOL; i++)
        tc_close(&s[i]);
    cr_log_info("a pool of %d silent connections: newcomer served in %lld ms", POOL,
                (long long)took);
}
