/*
 * test_file.c - a file as the answer, against file.routes: the whole file
 * arrives byte-identical with its Content-Length; one byte range (first,
 * middle, suffix, open) is a 206 with Content-Range, an unsatisfiable one
 * a 416, several or a malformed one the whole file; If-Range with the
 * file's ETag keeps the range, with any other validator (a weak or an old
 * tag, a date) it is the whole file; HEAD has no body; a
 * request pipelined behind a file is answered after it; a client gone
 * mid-file gets the descriptor closed; a slow reader of 64 MiB costs the
 * server no memory.  Under valgrind (TR_E2E_WRAPPER) the big file is
 * 4 MiB and the memory bound is not asserted (valgrind's own heap).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"

static struct tc_server srv;
static char dir[64];

#define SMALL 100000u

static char at(uint64_t i)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY";
    return alphabet[i % 61];
}

/* Writes dir/name: size bytes of the pattern. */
static void make_file(const char *name, uint64_t size)
{
    char path[128], buf[65536];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    for (uint64_t pos = 0; pos < size;) {
        size_t n = size - pos < sizeof buf ? (size_t)(size - pos) : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = at(pos + i);
        cr_assert_eq(fwrite(buf, 1, n, f), n);
        pos += n;
    }
    fclose(f);
}

static void start(void)
{
    snprintf(dir, sizeof dir, "/tmp/tr_file_XXXXXX");
    cr_assert(mkdtemp(dir));
    setenv("FILE_DIR", dir, 1);
    make_file("small.txt", SMALL);
    make_file("empty.txt", 0);
    tc_server_start(&srv, FILE_BIN);
}

static void stop(void)
{
    char cmd[128];
    tc_server_stop(&srv);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(file, .init = start, .fini = stop, .timeout = 90);

/* GET path with one more header line (or ""); the answer in r. */
static void get(const char *path, const char *field, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n", path, field);
    tc_exchange_str(srv.port, req, r);
}

/* Whether body[0..n) is the pattern from pos. */
static int is_pattern_at(const char *body, size_t n, uint64_t pos)
{
    for (size_t i = 0; i < n; i++)
        if (body[i] != at(pos + i))
            return 0;
    return 1;
}

static void expect_range(const char *range, uint64_t from, uint64_t to)
{
    struct tc_response r;
    char field[128], want[64];
    snprintf(field, sizeof field, "Range: %s\r\n", range);
    get("/f/small.txt", field, &r);
    cr_expect_eq(r.status, 206, "%s: status %d", range, r.status);
    snprintf(want, sizeof want, "bytes %llu-%llu/%u", (unsigned long long)from, (unsigned long long)to, SMALL);
    const char *cr = tc_header(&r, "Content-Range");
    cr_expect(cr && strcmp(cr, want) == 0, "%s: Content-Range %s, not %s", range, cr ? cr : "(none)", want);
    cr_expect_eq(r.body_len, to - from + 1, "%s: %zu bytes", range, r.body_len);
    cr_expect(is_pattern_at(r.body, r.body_len, from), "%s: the wrong bytes", range);
    cr_expect(tc_header_has_token(&r, "Accept-Ranges", "bytes"));
    tc_response_free(&r);
}

Test(file, the_whole_file_arrives_byte_identical_with_its_length)
{
    struct tc_response r;
    get("/whole/small.txt", "", &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, SMALL);
    cr_expect(is_pattern_at(r.body, r.body_len, 0));
    const char *cl = tc_header(&r, "Content-Length");
    cr_expect(cl && strcmp(cl, "100000") == 0);
    tc_response_free(&r);
    get("/whole/empty.txt", "", &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, 0u);
    tc_response_free(&r);
    get("/whole/none.txt", "", &r);
    cr_expect_eq(r.status, 404);
    tc_response_free(&r);
}

Test(file, one_byte_range_is_a_206_with_content_range)
{
    expect_range("bytes=0-99", 0, 99);
    expect_range("bytes=1000-1999", 1000, 1999);
    expect_range("bytes=-500", SMALL - 500, SMALL - 1);
    expect_range("bytes=99000-", 99000, SMALL - 1);
    expect_range("bytes=99990-200000", 99990, SMALL - 1);
    expect_range("BYTES=5-5", 5, 5);
}

Test(file, an_unsatisfiable_range_is_a_416_with_the_size)
{
    struct tc_response r;
    get("/f/small.txt", "Range: bytes=100000-\r\n", &r);
    cr_expect_eq(r.status, 416);
    const char *cr = tc_header(&r, "Content-Range");
    cr_expect(cr && strcmp(cr, "bytes */100000") == 0, "Content-Range %s", cr ? cr : "(none)");
    cr_expect_eq(r.body_len, 0u);
    tc_response_free(&r);
    get("/notices", "", &r);
    cr_expect_str_eq(r.body, "complete=1 incomplete=0", "the descriptor closed at once");
    tc_response_free(&r);
}

Test(file, several_ranges_a_malformed_one_or_if_range_get_the_whole_file)
{
    static const char *fields[] = { "Range: bytes=0-1,5-6\r\n", "Range: bytes=x-\r\n", "Range: items=0-1\r\n",
                                    "Range: bytes=0-1\r\nIf-Range: \"abc\"\r\n", "" };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        struct tc_response r;
        get("/f/small.txt", fields[i], &r);
        cr_expect_eq(r.status, 200, "%s", fields[i]);
        cr_expect_eq(r.body_len, SMALL, "%s", fields[i]);
        cr_expect(tc_header(&r, "Content-Range") == NULL);
        cr_expect(tc_header_has_token(&r, "Accept-Ranges", "bytes"));
        tc_response_free(&r);
    }
}

Test(file, if_range_with_the_files_etag_gets_the_range_and_any_other_validator_the_whole_file)
{
    struct tc_response r;
    char tag[128], field[256], weak[256];
    get("/f/small.txt", "", &r);
    const char *etag = tc_header(&r, "ETag");
    cr_assert(etag && etag[0] == '"' && etag[strlen(etag) - 1] == '"', "a strong ETag: %s", etag ? etag : "none");
    snprintf(tag, sizeof tag, "%s", etag);
    tc_response_free(&r);

    snprintf(field, sizeof field, "Range: bytes=10-19\r\nIf-Range: %s\r\n", tag);
    get("/f/small.txt", field, &r);
    cr_expect_eq(r.status, 206, "the file's own tag: %s", tag);
    cr_expect_eq(r.body_len, 10);
    cr_expect_str_eq(tc_header(&r, "ETag"), tag, "the 206 has the 200's ETag");
    tc_response_free(&r);

    const char *others[] = { weak, "Range: bytes=10-19\r\nIf-Range: Wed, 21 Oct 2015 07:28:00 GMT\r\n" };
    snprintf(weak, sizeof weak, "Range: bytes=10-19\r\nIf-Range: W/%s\r\n", tag);
    for (size_t i = 0; i < 2; i++) {
        get("/f/small.txt", others[i], &r);
        cr_expect_eq(r.status, 200, "%s", others[i]);
        cr_expect_eq(r.body_len, SMALL, "%s", others[i]);
        tc_response_free(&r);
    }

    make_file("small.txt", SMALL + 1);  /* the file changed: the old tag is stale */
    get("/f/small.txt", field, &r);
    cr_expect_eq(r.status, 200, "an old tag: the whole (new) file");
    cr_expect_eq(r.body_len, SMALL + 1);
    cr_expect(tc_header(&r, "ETag") && strcmp(tc_header(&r, "ETag"), tag) != 0, "a new tag");
    tc_response_free(&r);
}

Test(file, head_gets_the_length_and_no_body)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "HEAD /f/small.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n"
                                 "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 1), TC_OK);
    cr_expect_eq(r.status, 200);
    const char *cl = tc_header(&r, "Content-Length");
    cr_expect(cl && strcmp(cl, "100000") == 0);
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r.body, "complete=1 incomplete=0", "the descriptor closed at once");
    tc_response_free(&r);
    tc_close(&c);
}

Test(file, requests_pipelined_behind_a_file_are_answered_after_it)
{
    struct tc_conn c;
    struct tc_response r;
    make_file("mid.bin", 3u << 20);
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /whole/mid.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /f/small.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n"
                                 "GET /notices HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_eq(tc_read_response(&c, &r, 10000, 0), TC_OK);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, 3u << 20);
    cr_expect(is_pattern_at(r.body, r.body_len, 0));
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_eq(r.status, 206);
    cr_expect(r.body_len == 10 && is_pattern_at(r.body, 10, 10));
    tc_response_free(&r);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_expect_str_eq(r.body, "complete=2 incomplete=0");
    tc_response_free(&r);
    tc_close(&c);
}

/* The server's open descriptors. */
static int fd_count(pid_t pid)
{
    char path[64];
    int n = 0;
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    cr_assert(d, "no %s", path);
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

Test(file, a_client_gone_mid_file_gets_the_descriptor_closed)
{
    struct tc_conn c;
    char buf[4096];
    make_file("away.bin", 8u << 20);    /* far more than the socket buffers hold */
    int before = fd_count(srv.pid);
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /whole/away.bin HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    struct pollfd p = { c.fd, POLLIN, 0 };
    cr_assert_eq(poll(&p, 1, TC_TIMEOUT_MS), 1);
    cr_assert(read(c.fd, buf, sizeof buf) > 0);
    cr_expect_gt(fd_count(srv.pid), before, "the file and the socket are open");
    tc_close(&c);
    int64_t until = tc_now_ms() + TC_TIMEOUT_MS;
    while (fd_count(srv.pid) > before && tc_now_ms() < until)
        tc_sleep_ms(20);
    cr_expect_eq(fd_count(srv.pid), before, "descriptors back to where they started");
    struct tc_response r;
    get("/notices", "", &r);
    cr_expect_str_eq(r.body, "complete=0 incomplete=1");
    tc_response_free(&r);
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

Test(file, a_slow_reader_of_64_mib_gets_it_whole_at_no_memory_cost)
{
    int valgrind = getenv("TR_E2E_WRAPPER") != NULL;
    uint64_t size = valgrind ? 4u << 20 : 64u << 20;
    struct tc_conn c;
    struct tc_response r;
    make_file("big.bin", size);
    get("/f/small.txt", "Range: bytes=0-9\r\n", &r);      /* warm up */
    tc_response_free(&r);
    long before = vm_hwm(srv.pid);
    tc_connect(&c, srv.port);
    cr_assert_eq(tc_send_str(&c, "GET /whole/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0);
    uint64_t pos = 0;
    int head = 1, bad = 0;
    char buf[65536], tail[4] = { 0 };
    int64_t t0 = tc_now_ms(), until = t0 + 60000;
    for (;;) {
        cr_assert(tc_now_ms() < until, "too slow: %llu bytes", (unsigned long long)pos);
        ssize_t n = read(c.fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            if (head) {         /* find the blank line */
                memmove(tail, tail + 1, 3);
                tail[3] = buf[i];
                head = memcmp(tail, "\r\n\r\n", 4) != 0;
            } else {
                bad += buf[i] != at(pos++);
            }
        }
        usleep(10000);          /* at most 6.4 MB/s: the server's sends block */
    }
    long after = vm_hwm(srv.pid);
    cr_expect_eq(pos, size, "body bytes");
    cr_expect_eq(bad, 0, "bytes differ from the file");
    cr_log_info("server VmHWM %ld kB before, %ld kB after %llu MiB in %lld ms", before, after,
                (unsigned long long)(size >> 20), (long long)(tc_now_ms() - t0));
    if (!valgrind)
        cr_expect(after - before < 256, "VmHWM grew by %ld KiB", after - before);
    tc_close(&c);
}
