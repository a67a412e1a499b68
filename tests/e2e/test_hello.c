/*
 * test_hello.c - examples/hello checks itself with a real client: curl.
 * (e2e_hello_tls: the same over TLS, hello's spec with a TLS listener.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, HELLO_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(hello, .init = start, .fini = stop, .timeout = 20);

/* Runs curl with args against the server; returns its stdout and stderr. */
static char *curl(const char *args, int *status)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "curl %s -sv --max-time 5 %s 2>&1", tc_curl_opts(), args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run curl");
    static char out[16384];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    *status = pclose(p);
    return out;
}

Test(hello, curl_gets_http_1_1_200_and_hello_world_from_examples_hello)
{
    char args[128];
    snprintf(args, sizeof args, "%s/", tc_origin(srv.port));
    int st;
    char *out = curl(args, &st);
    cr_assert_eq(st, 0, "curl failed:\n%s", out);
    cr_assert_not_null(strstr(out, "< HTTP/1.1 200 OK"), "no 200 in:\n%s", out);
    cr_assert_not_null(strstr(out, "< Content-Type: text/plain"), "%s", out);
    cr_assert_not_null(strstr(out, "< Content-Length: 13"), "%s", out);
    size_t n = strlen(out);
    cr_assert(n >= 13 && strcmp(out + n - 13, "Hello, world!") == 0,
              "the body is not exactly Hello, world!:\n%s", out);
}

Test(hello, curl_reuses_one_connection_for_two_urls)
{
    char args[192];
    snprintf(args, sizeof args, "%s/ %s/", tc_origin(srv.port), tc_origin(srv.port));
    int st;
    char *out = curl(args, &st);
    cr_assert_eq(st, 0, "curl failed:\n%s", out);
    cr_assert_not_null(strstr(out, "Re-using existing connection"), "%s", out);
    int bodies = 0;
    for (const char *p = out; (p = strstr(p, "Hello, world!")) != NULL; p++)
        bodies++;
    cr_assert_eq(bodies, 2, "%s", out);
}

Test(hello, curl_head_and_a_missing_path_get_200_and_404)
{
    char args[128];
    int st;
    snprintf(args, sizeof args, "-I %s/", tc_origin(srv.port));
    char *out = curl(args, &st);
    cr_assert_eq(st, 0, "%s", out);
    cr_assert_not_null(strstr(out, "< HTTP/1.1 200 OK"), "%s", out);
    cr_assert_null(strstr(out, "Hello, world!"), "HEAD answered with a body:\n%s", out);
    snprintf(args, sizeof args, "-o /dev/null -w '%%{http_code}' %s/nope", tc_origin(srv.port));
    out = curl(args, &st);
    cr_assert_eq(st, 0, "%s", out);
    cr_assert_not_null(strstr(out, "404"), "%s", out);
}

Test(hello, post_gets_405_with_allow_from_hello_though_no_route_uses_post)
{
    /* RFC 9110 §15.5.6: a known method the target lacks is 405 with Allow,
     * whether or not any route uses it (spec/README.md). */
    struct tc_response r;
    tc_exchange_str(srv.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", &r);
    cr_assert_eq(r.status, 405);
    cr_assert_not_null(tc_header(&r, "Allow"));
    cr_assert_not_null(strstr(tc_header(&r, "Allow"), "GET, HEAD"), "Allow: %s", tc_header(&r, "Allow"));
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(hello, an_unknown_method_gets_501_and_connect_gets_405_with_the_servers_methods)
{
    struct tc_response r;
    tc_exchange_str(srv.port, "FOO / HTTP/1.1\r\nHost: h\r\n\r\n", &r);
    cr_assert_eq(r.status, 501);
    tc_response_free(&r);
    /* CONNECT is known and never routed; an authority is no path. */
    tc_exchange_str(srv.port, "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", &r);
    cr_assert_eq(r.status, 405);
    cr_assert_not_null(tc_header(&r, "Allow"));
    cr_assert_str_eq(tc_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

/* ---- the open-file limit ------------------------------------------------ */

/* hello's pool holds 1,024 connections, each a descriptor, plus a margin
 * (TR_FD_MARGIN, 16) for the listener, epoll and the rest. */
#define HELLO_FDS (1024 + 16)

/* The soft RLIMIT_NOFILE of process pid, from /proc. */
static long soft_nofile(pid_t pid)
{
    char path[64], line[256];
    long soft = -1;
    snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Max open files %ld", &soft) == 1)
            break;
    fclose(f);
    return soft;
}

/* Each test runs in a process of its own: its limits die with it. */
TestSuite(nofile, .timeout = 20);

Test(nofile, a_soft_limit_below_the_pool_is_raised_to_what_the_pool_needs)
{
    struct rlimit rl;
    const char *wrap = getenv("TR_E2E_WRAPPER");
    if (wrap && *wrap)
        cr_skip_test("valgrind (TR_E2E_WRAPPER) keeps a descriptor limit of its own");
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < HELLO_FDS)
        cr_skip_test("the hard limit (%ld) is below the pool itself", (long)rl.rlim_max);
    rl.rlim_cur = 64;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    struct tc_server s;
    tc_server_start(&s, HELLO_BIN); /* inherits the limit */
    long soft = soft_nofile(s.pid);
    tc_server_stop(&s);
    cr_assert_eq(soft, HELLO_FDS, "soft limit %ld after start-up", soft);
}

Test(nofile, a_hard_limit_below_the_pool_is_said_at_start_up_and_the_server_still_serves)
{
    struct rlimit rl = { 64, 64 };
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    /* The server's stderr is this process's: a pipe for the start-up. */
    int err[2], saved = dup(2);
    cr_assert_eq(pipe(err), 0);
    dup2(err[1], 2);
    struct tc_server s;
    tc_server_start(&s, HELLO_BIN);
    dup2(saved, 2);
    close(err[1]);
    tc_assert_alive(s.port);
    tc_server_stop(&s);
    char said[512];
    ssize_t n = read(err[0], said, sizeof said - 1);
    said[n > 0 ? n : 0] = '\0';
    close(err[0]);
    cr_assert(strstr(said, "RLIMIT_NOFILE") != NULL, "nothing said at start-up: '%s'", said);
}
