/*
 * test_stream.c - bodies sent in pieces, against stream.routes: pieces of
 * a length not said arrive byte-identical chunked to HTTP/1.1 and up to
 * the close to HTTP/1.0; a length said is Content-Length; a stream that
 * ends short of its length is cut, and the app told; requests pipelined
 * behind a stream are answered after it; a slow reader of 16 MiB costs
 * the server no memory beyond its buffers.
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, STREAM_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(stream, .init = start, .fini = stop, .timeout = 30);

static char at(uint64_t i)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY";
    return alphabet[i % 61];
}

/* Whether body[0..n) is the pattern. */
static int is_pattern(const char *body, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (body[i] != at(i))
            return 0;
    return 1;
}

/* Everything the server sends on c until it closes (asserts it does
 * within timeout_ms); *n its length.  malloc'ed, NUL-terminated. */
static char *read_to_close(struct tc_conn *c, size_t *n, int timeout_ms)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    int64_t until = tc_now_ms() + timeout_ms;
    for (;;) {
        struct pollfd p = { c->fd, POLLIN, 0 };
        int left = (int)(until - tc_now_ms());
        cr_assert(left > 0 && poll(&p, 1, left) == 1, "no close within %d ms (%zu bytes)", timeout_ms, len);
        if (len == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        ssize_t r = read(c->fd, buf + len, cap - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    *n = len;
    return buf;
}

/* Decodes the chunked body at p (RFC 9112 §7.1) into a new buffer; asserts
 * it is well formed and ends with the last chunk; *used the bytes read. */
static char *dechunk(const char *p, size_t n, size_t *out_len, size_t *used)
{
    char *out = malloc(n + 1);
    size_t o = 0, i = 0;
    for (;;) {
        char *end;
        unsigned long size = strtoul(p + i, &end, 16);
        cr_assert(end != p + i && end[0] == '\r' && end[1] == '\n', "bad chunk line at %zu", i);
        i = (size_t)(end - p) + 2;
        if (size == 0)
            break;
        cr_assert(i + size + 2 <= n, "chunk past the end");
        memcpy(out + o, p + i, size);
        o += size;
        i += size;
        cr_assert(p[i] == '\r' && p[i + 1] == '\n', "chunk data not followed by CRLF");
        i += 2;
    }
    cr_assert(i + 2 <= n && p[i] == '\r' && p[i + 1] == '\n', "no CRLF after the last chunk");
    *used = i + 2;
    *out_len = o;
    return out;
}

static const char *body_of(const char *raw)
{
    const char *b = strstr(raw, "\r\n\r\n");
    cr_assert(b, "no end of head");
    return b + 4;
}

static void expect_notices(const char *want)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_expect_str_eq(r.body, want);
    tc_response_free(&r);
}

Test(stream, pieces_of_a_length_not_said_arrive_byte_identical_chunked_to_http_1_1)
{
    struct tc_conn c;
    size_t n, len, used;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /pieces/50/1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0);
    char *raw = read_to_close(&c, &n, 5000);
    cr_assert(strncmp(raw, "HTTP/1.1 200 OK\r\n", 17) == 0, "%.40s", raw);
    cr_expect(strstr(raw, "Transfer-Encoding: chunked\r\n") != NULL);
    cr_expect(strstr(raw, "Content-Length") == NULL);
    const char *b = body_of(raw);
    char *body = dechunk(b, n - (size_t)(b - raw), &len, &used);
    cr_expect_eq(len, 50000u);
    cr_expect(is_pattern(body, len), "the body differs from what was streamed");
    cr_expect_eq(used, n - (size_t)(b - raw), "bytes after the last chunk");
    free(body);
    free(raw);
    tc_close(&c);
    expect_notices("complete=1 incomplete=0");
}

Test(stream, pieces_of_a_length_not_said_arrive_byte_identical_up_to_the_close_to_http_1_0)
{
    struct tc_conn c;
    size_t n;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /pieces/50/1000 HTTP/1.0\r\n\r\n"), 0);
    char *raw = read_to_close(&c, &n, 5000);
    cr_expect(strstr(raw, "Transfer-Encoding") == NULL, "HTTP/1.0 knows no chunked");
    cr_expect(strstr(raw, "Content-Length") == NULL);
    cr_expect(strstr(raw, "Connection: close\r\n") != NULL);
    const char *b = body_of(raw);
    cr_expect_eq(n - (size_t)(b - raw), 50000u);
    cr_expect(is_pattern(b, n - (size_t)(b - raw)), "the body differs from what was streamed");
    free(raw);
    tc_close(&c);
    expect_notices("complete=1 incomplete=0");
}

Test(stream, a_length_said_goes_out_as_content_length_and_the_connection_stays_open)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(tc_send_str(&c, "GET /sized/20/3000 HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        cr_assert_eq(tc_read_response(&c, &r, 5000, 0), TC_OK);
        cr_expect_str_eq(tc_header(&r, "Content-Length"), "60000");
        cr_expect_eq(r.body_len, 60000u);
        cr_expect(is_pattern(r.body, r.body_len));
        tc_response_free(&r);
    }
    tc_close(&c);
    expect_notices("complete=2 incomplete=0");
}

Test(stream, a_stream_that_ends_short_of_its_length_is_cut_and_the_app_told)
{
    struct tc_conn c;
    size_t n;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /short HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    char *raw = read_to_close(&c, &n, 5000);
    cr_expect(strstr(raw, "Content-Length: 1000\r\n") != NULL);
    cr_expect_eq(n - (size_t)(body_of(raw) - raw), 200u, "what it gave, then the close");
    free(raw);
    tc_close(&c);
    expect_notices("complete=0 incomplete=1");
}

Test(stream, a_request_pipelined_behind_a_stream_is_answered_after_it)
{
    struct tc_conn c;
    size_t n, len, used;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /pieces/40/2000 HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /notices HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0);
    char *raw = read_to_close(&c, &n, 5000);
    const char *b = body_of(raw);
    char *body = dechunk(b, n - (size_t)(b - raw), &len, &used);
    cr_expect_eq(len, 80000u);
    cr_expect(is_pattern(body, len));
    const char *next = b + used;
    cr_expect(strncmp(next, "HTTP/1.1 200 OK\r\n", 17) == 0, "then the next answer: %.30s", next);
    cr_expect(strstr(next, "complete=1 incomplete=0") != NULL, "after the stream's completion");
    free(body);
    free(raw);
    tc_close(&c);
}

/* The server's peak resident set (VmHWM), KiB. */
static long vm_hwm(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    cr_assert(f, "no %s", path);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

Test(stream, a_slow_reader_of_16_mib_costs_the_server_no_memory_beyond_its_buffers)
{
    struct tc_conn c;
    /* Warm up: one stream of each buffer the slow one will use. */
    struct tc_response r;
    tc_exchange_str(srv.port, "GET /sized/4/8192 HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    tc_response_free(&r);
    long before = vm_hwm(srv.pid);
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /sized/2048/8192 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0);
    uint64_t got = 0, pos = 0;
    int head = 1, bad = 0;
    char buf[16384];
    char tail[4] = { 0 };
    int64_t until = tc_now_ms() + 25000;
    for (;;) {
        cr_assert(tc_now_ms() < until, "too slow: %llu bytes", (unsigned long long)got);
        ssize_t n = read(c.fd, buf, sizeof buf);
        if (n <= 0)
            break;
        got += (uint64_t)n;
        for (ssize_t i = 0; i < n; i++) {
            if (head) {         /* find the blank line */
                memmove(tail, tail + 1, 3);
                tail[3] = buf[i];
                head = memcmp(tail, "\r\n\r\n", 4) != 0;
            } else {
                bad += buf[i] != at(pos++);
            }
        }
        usleep(1000);           /* a reader slower than the server: its writes block */
    }
    long after = vm_hwm(srv.pid);
    cr_expect_eq(pos, 16u << 20, "body bytes");
    cr_expect_eq(bad, 0, "bytes differ from the pattern");
    cr_log_info("server VmHWM %ld kB before, %ld kB after 16 MiB to a slow reader", before, after);
    cr_expect(after - before < 256, "VmHWM grew by %ld KiB", after - before);
    tc_close(&c);
}

Test(stream, a_client_that_goes_away_mid_stream_gets_the_app_told_once)
{
    struct tc_conn c;
    char buf[4096];
    tc_connect(&c, srv.port);
    /* 8 MiB: far more than the socket buffers hold. */
    cr_assert_eq(tc_send_str(&c, "GET /pieces/1024/8192 HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    struct pollfd p = { c.fd, POLLIN, 0 };
    cr_assert_eq(poll(&p, 1, TC_TIMEOUT_MS), 1);
    cr_assert(read(c.fd, buf, sizeof buf) > 0);
    tc_close(&c);
    int64_t until = tc_now_ms() + TC_TIMEOUT_MS;
    struct tc_response r;
    for (;;) {
        tc_exchange_str(srv.port, "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n", &r);
        int done = strcmp(r.body, "complete=0 incomplete=1") == 0;
        tc_response_free(&r);
        if (done || tc_now_ms() > until)
            break;
        tc_sleep_ms(20);
    }
    expect_notices("complete=0 incomplete=1");
}
