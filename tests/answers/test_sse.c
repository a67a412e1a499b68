/*
 * test_sse.c - server-sent events, against sse.routes: 100 subscribers
 * each get every event of a broadcast, in order; a subscriber that stops
 * reading is dropped (the app told once) while the others go on;
 * heartbeats come; Last-Event-ID reaches the handler; a HEAD gets the
 * head of the stream, and a refused subscription its status; an event
 * sent inside the subscribing handler is the stream's first; tr_sse_close
 * ends a stream with its last chunk (the connection goes on), from the
 * handler or later, and an HTTP/1.0 one with the close.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, SSE_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(sse, .init = start, .fini = stop, .timeout = 60);

/* A subscriber: its socket and what it has read (NUL-ended). */
struct sub {
    int fd;
    char *buf;
    size_t len, cap;
};

/* Reads what is there within ms; 0, or -1 at the close. */
static int sub_read(struct sub *s, int ms)
{
    struct pollfd p = { s->fd, POLLIN, 0 };
    if (poll(&p, 1, ms) != 1)
        return 0;
    if (s->cap - s->len < 65536)
        s->buf = realloc(s->buf, (s->cap = s->cap * 2 + 65536) + 1);
    ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
    if (r <= 0)
        return -1;
    s->len += (size_t)r;
    s->buf[s->len] = '\0';
    return 0;
}

/* Reads until needle is in the buffer; asserts it comes within ms. */
static char *sub_until(struct sub *s, const char *needle, int ms)
{
    int64_t until = tc_now_ms() + ms;
    char *at;
    while ((at = s->buf ? strstr(s->buf, needle) : NULL) == NULL) {
        cr_assert(tc_now_ms() < until, "no '%s' within %d ms (%zu bytes)", needle, ms, s->len);
        cr_assert(sub_read(s, 50) == 0, "closed before '%s'", needle);
    }
    return at;
}

/* Subscribes at target (/events...) in HTTP/1.version with the extra
 * header lines given; rcvbuf > 0 shrinks the socket's receive buffer
 * first.  Asserts the head is the stream's. */
static void sub_open_at(struct sub *s, const char *target, int version, const char *extra, int rcvbuf)
{
    memset(s, 0, sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0)
        setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(srv.port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(connect(s->fd, (struct sockaddr *)&a, sizeof a) == 0);
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.%d\r\nHost: x\r\n%s\r\n", target, version, extra);
    cr_assert(write(s->fd, req, strlen(req)) == (ssize_t)strlen(req));
    char *end = sub_until(s, "\r\n\r\n", 2000);
    cr_assert(strncmp(s->buf, "HTTP/1.1 200 ", 13) == 0, "head: %.40s", s->buf);
    cr_assert(strstr(s->buf, "Content-Type: text/event-stream\r\n") != NULL, "%s", s->buf);
    cr_assert(strstr(s->buf, "Cache-Control: no-store\r\n") != NULL, "%s", s->buf);
    cr_assert((strstr(s->buf, "Transfer-Encoding: chunked\r\n") != NULL) == (version == 1), "%s", s->buf);
    size_t head = (size_t)(end + 4 - s->buf);
    memmove(s->buf, s->buf + head, s->len - head + 1);
    s->len -= head;
}

static void sub_open(struct sub *s, const char *extra, int rcvbuf)
{
    sub_open_at(s, "/events", 1, extra, rcvbuf);
}

static void sub_close(struct sub *s)
{
    close(s->fd);
    free(s->buf);
}

/* GET path's body, as a string (static). */
static const char *get(const char *path)
{
    static char body[256];
    struct tc_response r;
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
    tc_exchange_str(srv.port, req, &r);
    cr_assert_eq(r.status, 200, "%s: %d", path, r.status);
    snprintf(body, sizeof body, "%s", r.body);
    tc_response_free(&r);
    return body;
}

/* Asserts that s holds events first..last in order, each well formed:
 * "event: tick\nid: N\ndata: N\ndata: xx..\n\n", one chunk each. */
static void check_events(struct sub *s, unsigned first, unsigned last)
{
    const char *p = s->buf;
    for (unsigned id = first; id <= last; id++) {
        char want[64];
        snprintf(want, sizeof want, "event: tick\nid: %u\ndata: %u\ndata: x", id, id);
        const char *at = strstr(p, "event: ");
        cr_assert(at != NULL, "event %u missing", id);
        cr_assert(strncmp(at, want, strlen(want)) == 0, "event %u is %.40s", id, at);
        p = strstr(at, "\n\n");
        cr_assert(p != NULL && strncmp(p, "\n\n\r\n", 4) == 0, "event %u unterminated", id);
    }
    cr_assert(strstr(p, "event: ") == NULL, "an event after %u", last);
}

Test(sse, a_broadcast_reaches_every_one_of_100_subscribers_in_order)
{
    static struct sub subs[100];
    for (int i = 0; i < 100; i++)
        sub_open(&subs[i], "", 0);
    cr_assert_str_eq(get("/fire/10/200"), "100", "a broadcast is taken by all");
    cr_assert_str_eq(get("/fire/10/200"), "100");
    for (int i = 0; i < 100; i++) {
        sub_until(&subs[i], "id: 20\n", 5000);
        sub_until(&subs[i], "\n\n\r\n", 1000);
        check_events(&subs[i], 1, 20);
        sub_close(&subs[i]);
    }
}

Test(sse, a_subscriber_that_stops_reading_is_dropped_and_the_others_go_on)
{
    struct sub reader, stalled;
    sub_open(&reader, "", 0);
    sub_open(&stalled, "", 2048);
    unsigned id = 0;
    int rounds = 0;
    /* Bursts of 10 KB: the stalled client's socket buffers fill, then
     * its output buffer, and it is closed; the reader keeps up. */
    while (strncmp(get("/notices"), "1 ", 2) != 0) {
        cr_assert(++rounds < 4000, "the stalled subscriber was never dropped");
        get("/fire/10/1000");
        id += 10;
        char want[32];
        snprintf(want, sizeof want, "id: %u\n", id);
        char *at = sub_until(&reader, want, 2000);
        size_t keep = reader.len - (size_t)(at - reader.buf);
        memmove(reader.buf, at, keep + 1);
        reader.len = keep;
    }
    cr_assert_str_eq(get("/fire/1/100"), "1", "only the reader is left");
    char want[32];
    snprintf(want, sizeof want, "id: %u\n", id + 1);
    sub_until(&reader, want, 2000);
    /* The stalled one sees its buffered bytes, then the close. */
    int64_t until = tc_now_ms() + 10000;
    while (sub_read(&stalled, 100) == 0) {
        cr_assert(tc_now_ms() < until, "the dropped subscriber was not closed");
        stalled.len = 0;
    }
    cr_assert(strncmp(get("/notices"), "1 ", 2) == 0, "the app was told once");
    sub_close(&reader);
    sub_close(&stalled);
}

Test(sse, heartbeats_arrive_as_comment_lines)
{
    struct sub s;
    sub_open(&s, "", 0);
    int64_t t0 = tc_now_ms();
    char *at = sub_until(&s, "\r\n:\n\r\n", 2000);
    size_t off = (size_t)(at - s.buf) + 6;
    int64_t until = tc_now_ms() + 2000;
    while (strstr(s.buf + off, ":\n\r\n") == NULL) {
        cr_assert(tc_now_ms() < until, "no second heartbeat");
        sub_read(&s, 50);
    }
    cr_assert(tc_now_ms() - t0 >= 250, "heartbeats come every 300 ms, not faster");
    sub_close(&s);
}

Test(sse, data_of_several_lines_is_one_data_line_each)
{
    struct sub s;
    sub_open(&s, "", 0);
    cr_assert_str_eq(get("/lines"), "-2 1", "a name or id with a line break is refused");
    char *at = sub_until(&s, "data: a\n", 2000);
    sub_until(&s, "\n\n\r\n", 2000);
    cr_assert(strncmp(at, "data: a\ndata: b\ndata: c\ndata: \n\n", 32) == 0, "%s", at);
    cr_assert(strstr(s.buf, "event:") == NULL && strstr(s.buf, "id:") == NULL);
    sub_close(&s);
}

Test(sse, last_event_id_reaches_the_handler)
{
    struct sub s;
    sub_open(&s, "Last-Event-ID: 42\r\n", 0);
    cr_assert_str_eq(get("/notices"), "0 42");
    sub_close(&s);
    int64_t until = tc_now_ms() + 2000;
    while (strcmp(get("/notices"), "1 42") != 0)
        cr_assert(tc_now_ms() < until, "the app is told when the client goes");
}

Test(sse, a_head_gets_the_streams_head_and_a_refusal_its_status)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 1), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "text/event-stream");
    cr_assert_str_eq(tc_header(&r, "Cache-Control"), "no-store");
    tc_response_free(&r);
    tc_send_str(&c, "GET /events?key=no HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 401, "refused: %d", r.status);
    cr_assert(tc_header(&r, "Content-Type") == NULL || strcmp(tc_header(&r, "Content-Type"), "text/event-stream") != 0);
    tc_response_free(&r);
    tc_close(&c);
    cr_assert_str_eq(get("/notices"), "1 ", "the HEAD's subscription ended at once; the refusal made none");
}

Test(sse, an_event_sent_inside_the_subscribing_handler_is_the_streams_first_chunk)
{
    struct sub s;
    sub_open_at(&s, "/events?key=first", 1, "", 0);
    sub_until(&s, "\n\n\r\n", 2000);
    cr_assert_str_eq(s.buf, "18\r\nevent: hello\ndata: now\n\n\r\n", "right behind the head, one chunk: %s", s.buf);
    cr_assert_str_eq(get("/fire/1/10"), "1", "the subscriber then takes broadcasts");
    sub_until(&s, "event: tick", 2000);
    sub_close(&s);
}

Test(sse, tr_sse_close_inside_the_handler_ends_the_stream_and_the_connection_goes_on)
{
    struct sub s;
    sub_open_at(&s, "/events?key=once", 1, "", 0);
    sub_until(&s, "0\r\n\r\n", 2000);
    cr_assert_str_eq(s.buf, "18\r\nevent: hello\ndata: now\n\n\r\n0\r\n\r\n", "the event, then the last chunk: %s", s.buf);
    const char *req = "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n";
    cr_assert(write(s.fd, req, strlen(req)) == (ssize_t)strlen(req));
    sub_until(&s, "HTTP/1.1 200 ", 2000);
    sub_until(&s, "\r\n\r\n1 ", 2000);  /* gone was called once */
    sub_close(&s);
}

Test(sse, tr_sse_close_later_ends_one_stream_and_its_handle_is_stale_after)
{
    struct sub a, b;
    sub_open(&a, "", 0);
    sub_open(&b, "", 0);     /* the last subscriber: /close's */
    cr_assert_str_eq(get("/close"), "0");
    sub_until(&b, "0\r\n\r\n", 2000);
    cr_assert_str_eq(get("/close"), "-1", "a closed stream's handle is stale");
    int64_t until = tc_now_ms() + 2000;
    while (strcmp(get("/notices"), "1 ") != 0)
        cr_assert(tc_now_ms() < until, "gone is called for the closed stream");
    cr_assert_str_eq(get("/fire/1/10"), "1", "the other subscriber stays");
    sub_until(&a, "event: tick", 2000);
    cr_assert(strstr(b.buf, "event: tick") == NULL);
    sub_close(&a);
    sub_close(&b);
}

Test(sse, tr_sse_close_of_an_http_1_0_stream_closes_the_connection)
{
    struct sub s;
    sub_open_at(&s, "/events?key=once", 0, "", 0);
    int64_t until = tc_now_ms() + 2000;
    while (sub_read(&s, 50) == 0)
        cr_assert(tc_now_ms() < until, "no close");
    cr_assert_str_eq(s.buf, "event: hello\ndata: now\n\n", "the event, unframed, then the close: %s", s.buf);
    sub_close(&s);
}
