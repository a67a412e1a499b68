/*
 * test_guard.c - guards end to end (tests/guard/guard.routes): a refusal
 * comes before the query is decoded, before 100-continue and before any
 * body byte; guards compose outermost first; a passing guard's data
 * reaches the handler; guard=none opts out; the Basic guard checks the
 * credentials file's $6$ hashes; a bad file stops the server at start-up.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, GUARD_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(guard, .init = start, .fini = stop, .timeout = 30);

static void get(const char *req, struct tc_response *r)
{
    tc_exchange_str(srv.port, req, r);
}

static void assert_body(const struct tc_response *r, const char *want)
{
    cr_assert_str_eq(r->body, want, "body '%s', want '%s'", r->body, want);
}

Test(guard, a_request_without_the_api_key_gets_the_guards_401_and_its_challenge)
{
    struct tc_response r;
    get("GET /api/items HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 401);
    cr_assert_str_eq(tc_header(&r, "WWW-Authenticate"), "ApiKey");
    tc_response_free(&r);
}

Test(guard, a_wrong_api_key_gets_403)
{
    struct tc_response r;
    get("GET /api/items HTTP/1.1\r\nHost: x\r\nX-Api-Key: nope\r\n\r\n", &r);
    cr_assert_eq(r.status, 403);
    tc_response_free(&r);
}

Test(guard, the_guard_runs_before_the_query_is_decoded_so_a_bad_parameter_tells_nothing)
{
    struct tc_response r;
    get("GET /api/items?page=abc HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 401, "an anonymous bad query got %d, not the guard's 401", r.status);
    tc_response_free(&r);
    get("GET /api/items?page=abc HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n\r\n", &r);
    cr_assert_eq(r.status, 400);
    tc_response_free(&r);
}

Test(guard, a_passing_guard_hands_its_data_to_the_handler)
{
    struct tc_response r;
    get("GET /api/items?page=3 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    assert_body(&r, "items 3 token 42");
    tc_response_free(&r);
}

/* 6 MB announced, 64 KB sent: the 401 arrives while the client is still
 * sending, the body is never read, the connection closes, and the server
 * goes on serving others. */
Test(guard, an_unauthenticated_6_mb_upload_is_answered_401_without_being_read)
{
    struct tc_conn c;
    struct tc_response r;
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 6291456\r\n\r\n");
    tc_send(&c, chunk, sizeof chunk);
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 401);
    cr_assert(tc_header_has_token(&r, "Connection", "close"));
    tc_response_free(&r);
    cr_assert_eq(tc_wait_close(&c, TC_TIMEOUT_MS), TC_CLOSED);
    tc_close(&c);
    get("GET /open HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
}

Test(guard, the_guard_answers_before_100_continue)
{
    struct tc_conn c;
    struct tc_response r;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    "Expect: 100-continue\r\n\r\n");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 401, "the first answer is %d, not the guard's 401", r.status);
    tc_response_free(&r);
    tc_close(&c);
}

Test(guard, an_authenticated_upload_is_read_and_handled)
{
    struct tc_response r;
    get("POST /api/upload HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\nContent-Length: 5\r\n\r\nhello", &r);
    cr_assert_eq(r.status, 200);
    assert_body(&r, "got 5 token 42");
    tc_response_free(&r);
}

Test(guard, the_login_route_opts_out_with_guard_none)
{
    struct tc_response r;
    get("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", &r);
    cr_assert_eq(r.status, 200);
    assert_body(&r, "login 3");
    tc_response_free(&r);
}

Test(guard, a_route_outside_every_prefix_runs_no_guard)
{
    struct tc_response r;
    get("GET /open HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    assert_body(&r, "open");
    tc_response_free(&r);
}

Test(guard, a_route_guard_may_redirect_a_browser)
{
    struct tc_response r;
    get("GET /special HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 303);
    cr_assert_str_eq(tc_header(&r, "Location"), "/api/login");
    tc_response_free(&r);
}

/* ---- Basic (RFC 7617) under the token guard ---- */

static int admin(const char *authorization, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "GET /api/admin/users HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n%s\r\n",
             authorization);
    get(req, r);
    return r->status;
}

Test(guard, the_outer_prefix_guard_runs_first)
{
    struct tc_response r;
    /* admin:hunter2, but no API key: the token guard of /api refuses first. */
    get("GET /api/admin/users HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46aHVudGVyMg==\r\n\r\n", &r);
    cr_assert_eq(r.status, 401);
    cr_assert_str_eq(tc_header(&r, "WWW-Authenticate"), "ApiKey");
    tc_response_free(&r);
}

Test(guard, basic_without_credentials_gets_401_with_the_realm_and_charset)
{
    struct tc_response r;
    cr_assert_eq(admin("", &r), 401);
    cr_assert_str_eq(tc_header(&r, "WWW-Authenticate"), "Basic realm=\"router\", charset=\"UTF-8\"");
    tc_response_free(&r);
}

Test(guard, basic_with_the_right_password_passes_and_hands_on_the_user_name)
{
    struct tc_response r;
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    assert_body(&r, "users for admin token 42");
    tc_response_free(&r);
    /* RFC 7617 §2: the scheme is case-insensitive. */
    cr_assert_eq(admin("Authorization: basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    tc_response_free(&r);
}

Test(guard, basic_refuses_a_wrong_password_an_unknown_user_and_bad_base64)
{
    static const char *const bad[] = {
        "Authorization: Basic YWRtaW46aHVudGVyMw==\r\n",    /* admin:hunter3 */
        "Authorization: Basic cm9vdDpodW50ZXIy\r\n",        /* root:hunter2 */
        "Authorization: Basic YWRtaW46\r\n",                /* admin: */
        "Authorization: Basic YWRtaW46aHVudGVyMg=\r\n",     /* bad padding */
        "Authorization: Basic YWRta$46aHVudGVyMg==\r\n",    /* not base64 */
        "Authorization: Bearer YWRtaW46aHVudGVyMg==\r\n",   /* another scheme */
        "Authorization: Basic YWRtaW5odW50ZXIy\r\n",        /* no colon */
        "Authorization: Basic YWRtaW46aHVudGVyMgA=\r\n",    /* admin:hunter2 and a NUL */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct tc_response r;
        cr_assert_eq(admin(bad[i], &r), 401, "%s got %d", bad[i], r.status);
        tc_response_free(&r);
        /* The right one forgets the failure (the spec's throttle counts them). */
        cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
        tc_response_free(&r);
    }
}

/* ---- Basic under the spec's throttle (after=2 max=3s) ---- */

#define FLOOD 200
#define WRONG "GET /api/admin/users HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n" \
              "Authorization: Basic YWRtaW46aHVudGVyMw==\r\n\r\n"   /* admin:hunter3 */

/* A connection from loopback address ip (another client for the throttle). */
static void connect_from(struct tc_conn *c, const char *ip)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(fd >= 0);
    inet_pton(AF_INET, ip, &a.sin_addr);
    cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "bind %s: %s", ip, strerror(errno));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    a.sin_port = htons(srv.port);
    cr_assert(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
    *c = (struct tc_conn){ .fd = fd, .buf = malloc(8192), .cap = 8192 };
}

static int admin_from(const char *ip, const char *authorization, struct tc_response *r)
{
    struct tc_conn c;
    char req[512];
    snprintf(req, sizeof req, "GET /api/admin/users HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n%s"
             "Connection: close\r\n\r\n", authorization);
    connect_from(&c, ip);
    cr_assert(tc_send_str(&c, req) == 0);
    cr_assert_eq(tc_read_response(&c, r, TC_TIMEOUT_MS, 0), TC_OK);
    close(c.fd);
    free(c.buf);
    return r->status;
}

Test(guard, a_wrong_basic_flood_gets_429_without_crypt_and_others_are_served_meanwhile)
{
    static const char right[] = "GET /api/admin/users HTTP/1.1\r\nHost: x\r\nX-Api-Key: k42\r\n"
                                "Authorization: Basic YWRtaW46aHVudGVyMg==\r\n\r\n";
    static char flood[FLOOD * sizeof WRONG];
    struct tc_conn c;
    struct tc_response r;
    int n401 = 0, n429 = 0;

    /* One crypt's cost here (the right password, which forgets failures):
     * the bounds below allow the few the throttle lets through. */
    int64_t t0 = tc_now_ms();
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    tc_response_free(&r);
    int64_t one = tc_now_ms() - t0;
    /* FLOOD - 1 wrong passwords, then the right one from the same client. */
    for (int i = 0; i < FLOOD - 1; i++)
        memcpy(flood + i * (sizeof WRONG - 1), WRONG, sizeof WRONG - 1);
    memcpy(flood + (FLOOD - 1) * (sizeof WRONG - 1), right, sizeof right - 1);
    tc_connect(&c, srv.port);
    t0 = tc_now_ms();
    cr_assert(tc_send(&c, flood, (FLOOD - 1) * (sizeof WRONG - 1) + sizeof right - 1) == 0);
    /* Another client, mid-flood: answered at once (the loop runs no crypt
     * for a client that must wait). */
    get("GET /open HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    int64_t victim = tc_now_ms() - t0;
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
    for (int i = 0; i < FLOOD; i++) {
        cr_assert_eq(tc_read_response(&c, &r, 30000, 0), TC_OK, "answer %d", i);
        if (r.status == 401)
            n401++;
        else if (r.status == 429 && tc_header(&r, "Retry-After"))
            n429++;
        /* The right password waits too; the 429s did not count as failures. */
        if (i == FLOOD - 1) {
            cr_assert_eq(r.status, 429, "the right password at the end got %d", r.status);
            cr_assert_str_eq(tc_header(&r, "Retry-After"), "1");
        }
        tc_response_free(&r);
    }
    int64_t all = tc_now_ms() - t0;
    tc_close(&c);
    /* after=2: two free failures, the third blocks; the rest cost no crypt. */
    cr_assert_eq(n401, 3, "%d answers 401, want 3 (then 429)", n401);
    cr_assert_eq(n429, FLOOD - 3, "%d answers 429 with Retry-After", n429);
    cr_assert_lt(victim, 4 * one + 200, "GET /open took %lld ms during the flood (a crypt %lld)",
                 (long long)victim, (long long)one);
    cr_assert_lt(all, 4 * one + 500, "the flood took %lld ms (a crypt %lld)", (long long)all, (long long)one);

    /* Another client is not blocked: the right password passes. */
    cr_assert_eq(admin_from("127.0.0.2", "Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    assert_body(&r, "users for admin token 42");
    tc_response_free(&r);
    /* The block ends after Retry-After (1 s: the 429s were not failures). */
    tc_sleep_ms(1100);
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    tc_response_free(&r);
}

Test(guard, the_last_credentials_that_passed_pass_again_without_a_crypt)
{
    struct tc_response r;
    /* One crypt's cost: a wrong password (one failure; after=2). */
    int64_t t0 = tc_now_ms();
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMw==\r\n", &r), 401);
    tc_response_free(&r);
    int64_t one = tc_now_ms() - t0;
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);   /* noted */
    tc_response_free(&r);
    /* A browser sends them with every request: ten cost less than one crypt. */
    t0 = tc_now_ms();
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(admin("Authorization: basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
        assert_body(&r, "users for admin token 42");
        tc_response_free(&r);
    }
    int64_t ten = tc_now_ms() - t0;
    cr_assert_lt(ten, one, "ten requests with the noted credentials took %lld ms, one crypt %lld",
                 (long long)ten, (long long)one);
    /* Anything else is checked as before: a wrong password, a longer one, another name. */
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMw==\r\n", &r), 401);        /* admin:hunter3 */
    tc_response_free(&r);
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMjI=\r\n", &r), 401);        /* admin:hunter22 */
    tc_response_free(&r);
    cr_assert_eq(admin("Authorization: Basic YWRtaW46aHVudGVyMg==\r\n", &r), 200);
    tc_response_free(&r);
    cr_assert_eq(admin("Authorization: Basic cm9vdDpodW50ZXIy\r\n", &r), 401);            /* root:hunter2 */
    tc_response_free(&r);
}

/* ---- the credentials file ---- */

Test(guard_file, a_credentials_file_with_a_plain_text_password_stops_the_server_at_start_up)
{
    char cmd[1024], out[1024];
    snprintf(cmd, sizeof cmd, "%s 127.0.0.1:1 2>&1", GUARD_BADFILE_BIN);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %d: %s", st, out);
    cr_assert_not_null(strstr(out, "bad.passwd:1: the hash is not crypt(3)'s SHA-512"), "%s", out);
}

/* ---- sessions (sessions=2 idle=700ms lifetime=2s) and CSRF ---- */

/* Logs in with password pw; returns the cookie pair "sid=..." in sid. */
static void login(const char *pw, char *sid, size_t n)
{
    char req[256];
    struct tc_response r;
    snprintf(req, sizeof req, "POST /app/login HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(pw), pw);
    get(req, &r);
    cr_assert_eq(r.status, 200);
    const char *c = tc_header(&r, "Set-Cookie");
    cr_assert_not_null(c);
    cr_assert_eq(strlen(c), strlen("sid=") + 32 + strlen("; Path=/; HttpOnly; SameSite=Strict; Max-Age=2"),
                 "%s", c);
    cr_assert_str_eq(c + 36, "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2", "%s", c);
    snprintf(sid, n, "%.36s", c);
    tc_response_free(&r);
}

/* The status of a request with the session cookie and extra header lines. */
static int with_session(const char *method_path, const char *sid, const char *extra, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "%s HTTP/1.1\r\nHost: x\r\nCookie: theme=dark; %s\r\n%sContent-Length: 2\r\n\r\nok",
             method_path, sid, extra);
    get(req, r);
    return r->status;
}

static int me(const char *sid)
{
    struct tc_response r;
    int st = with_session("GET /app/me", sid, "", &r);
    if (st == 200)
        cr_assert_str_eq(r.body, "me 7");
    tc_response_free(&r);
    return st;
}

Test(guard, a_login_sets_a_safe_session_cookie_that_the_session_guard_accepts)
{
    char sid[64];
    struct tc_response r;
    login("pw", sid, sizeof sid);
    cr_assert_eq(me(sid), 200);
    get("GET /app/me HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 401);
    cr_assert_str_eq(tc_header(&r, "WWW-Authenticate"), "Cookie name=\"sid\"");
    tc_response_free(&r);
    cr_assert_eq(me("sid=00000000000000000000000000000000"), 401);
    cr_assert_eq(me("sid=nothex"), 401);
}

Test(guard, csrf_a_forged_origin_a_forged_referer_and_a_cross_site_fetch_are_refused_403)
{
    char sid[64];
    struct tc_response r;
    login("pw", sid, sizeof sid);
    static const struct { const char *extra; int want; } cases[] = {
        { "", 200 },                                          /* curl, a script: no browser */
        { "Origin: http://x\r\n", 200 },
        { "Origin: https://X\r\n", 200 },                     /* host names are case-insensitive */
        { "Origin: http://evil.example\r\n", 403 },
        { "Origin: http://x.evil.example\r\n", 403 },
        { "Origin: null\r\n", 403 },
        { "Referer: http://x/page\r\n", 200 },
        { "Referer: http://evil.example/x\r\n", 403 },
        { "Origin: http://x\r\nReferer: http://evil.example/x\r\n", 200 },   /* Origin decides */
        { "Sec-Fetch-Site: same-origin\r\n", 200 },
        { "Sec-Fetch-Site: cross-site\r\n", 403 },
        { "Origin: http://x\r\nSec-Fetch-Site: cross-site\r\n", 403 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int st = with_session("POST /app/change", sid, cases[i].extra, &r);
        cr_assert_eq(st, cases[i].want, "'%s' got %d, want %d", cases[i].extra, st, cases[i].want);
        if (st == 200)
            cr_assert_str_eq(r.body, "changed ok by 7");
        tc_response_free(&r);
    }
    /* A GET is not state-changing: a cross-site link to it passes. */
    cr_assert_eq(with_session("GET /app/me", sid, "Origin: http://evil.example\r\n", &r), 200);
    tc_response_free(&r);
}

Test(guard, a_session_idle_longer_than_idle_ends)
{
    char sid[64];
    login("pw", sid, sizeof sid);
    tc_sleep_ms(400);
    cr_assert_eq(me(sid), 200);         /* use renews the idle time */
    tc_sleep_ms(400);
    cr_assert_eq(me(sid), 200);
    tc_sleep_ms(900);
    cr_assert_eq(me(sid), 401);
}

Test(guard, a_session_in_use_ends_at_its_absolute_lifetime)
{
    char sid[64];
    login("pw", sid, sizeof sid);
    int64_t t0 = tc_now_ms();
    while (tc_now_ms() - t0 < 1700) {
        cr_assert_eq(me(sid), 200);
        tc_sleep_ms(300);
    }
    tc_sleep_ms(400);
    cr_assert_eq(me(sid), 401);
}

Test(guard, logout_ends_the_session_and_deletes_the_cookie)
{
    char sid[64];
    struct tc_response r;
    login("pw", sid, sizeof sid);
    cr_assert_eq(with_session("POST /app/logout", sid, "", &r), 200);
    cr_assert_str_eq(tc_header(&r, "Set-Cookie"), "sid=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    tc_response_free(&r);
    cr_assert_eq(me(sid), 401);
}

Test(guard, a_full_session_table_evicts_the_oldest_session)
{
    char a[64], b[64], c[64];
    login("pw", a, sizeof a);
    tc_sleep_ms(5);
    login("pw", b, sizeof b);
    tc_sleep_ms(5);
    login("pw", c, sizeof c);
    cr_assert_eq(me(a), 401);
    cr_assert_eq(me(b), 200);
    cr_assert_eq(me(c), 200);
}

/* ---- login throttling (after=2 max=3s) ---- */

static int attempt(const char *pw, struct tc_response *r)
{
    char req[256];
    snprintf(req, sizeof req, "POST /t/login HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(pw), pw);
    get(req, r);
    return r->status;
}

static void expect_attempt(const char *pw, int want, const char *retry_after)
{
    struct tc_response r;
    int st = attempt(pw, &r);
    cr_assert_eq(st, want, "'%s' got %d, want %d", pw, st, want);
    if (retry_after)
        cr_assert_str_eq(tc_header(&r, "Retry-After"), retry_after);
    tc_response_free(&r);
}

Test(guard, failed_logins_back_off_exponentially_with_429_and_retry_after)
{
    expect_attempt("bad", 403, NULL);
    expect_attempt("bad", 403, NULL);       /* two are free */
    expect_attempt("bad", 403, NULL);       /* the third blocks for 1 s */
    expect_attempt("good", 429, "1");       /* even the right password waits */
    tc_sleep_ms(1100);
    expect_attempt("bad", 403, NULL);       /* the fourth blocks for 2 s */
    expect_attempt("bad", 429, "2");
    tc_sleep_ms(2100);
    expect_attempt("bad", 403, NULL);       /* the fifth for 4 s, capped at max=3s */
    expect_attempt("bad", 429, "3");
    tc_sleep_ms(3100);
    expect_attempt("good", 200, NULL);      /* success forgets the failures */
    expect_attempt("bad", 403, NULL);
    expect_attempt("bad", 403, NULL);
    expect_attempt("good", 200, NULL);
}

/* ---- forms ---- */

static int post_form(const char *type, const char *body, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
             type, strlen(body), body);
    get(req, r);
    return r->status;
}

Test(guard, an_urlencoded_form_is_decoded_into_typed_fields)
{
    struct tc_response r;
    cr_assert_eq(post_form("application/x-www-form-urlencoded", "x=1&user=ann+o%27b&age=42&user=eve", &r), 200);
    assert_body(&r, "user ann o'b age 42");        /* decoded; the first of a repeated field wins */
    tc_response_free(&r);
    cr_assert_eq(post_form("Application/X-WWW-Form-Urlencoded; charset=UTF-8", "age=-7", &r), 200);
    assert_body(&r, "user - age -7");               /* an absent field is NULL */
    tc_response_free(&r);
}

Test(guard, a_form_with_a_bad_field_gets_400)
{
    struct tc_response r;
    cr_assert_eq(post_form("application/x-www-form-urlencoded", "age=old", &r), 400);
    tc_response_free(&r);
    cr_assert_eq(post_form("application/x-www-form-urlencoded", "user=%zz", &r), 400);
    tc_response_free(&r);
}

/* RFC 9110 §15.5.16: content in a form the route does not take is 415. */
Test(guard, a_form_with_another_content_type_or_none_gets_415)
{
    struct tc_response r;
    cr_assert_eq(post_form("application/json", "{\"age\":1}", &r), 415);
    tc_response_free(&r);
    cr_assert_eq(post_form("application/x-www-form-urlencodedX", "age=1", &r), 415);
    tc_response_free(&r);
    get("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nage=1", &r);
    cr_assert_eq(r.status, 415);
    tc_response_free(&r);
}

Test(guard, a_json_response_from_the_writer)
{
    struct tc_response r;
    get("GET /json HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "application/json");
    assert_body(&r, "{\"msg\":\"a \\\"quote\\\"\\n\",\"n\":3}");
    tc_response_free(&r);
}

/* ---- cookie parameters ---- */

static int prefs(const char *cookie_lines, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "GET /prefs HTTP/1.1\r\nHost: x\r\n%s\r\n", cookie_lines);
    get(req, r);
    return r->status;
}

Test(guard, declared_cookies_arrive_typed_and_the_first_of_a_name_wins)
{
    struct tc_response r;
    cr_assert_eq(prefs("Cookie: sid=1; theme=dark; visits=12; theme=light\r\n", &r), 200);
    assert_body(&r, "theme dark visits 12");
    tc_response_free(&r);
    cr_assert_eq(prefs("Cookie: theme=\"blue\"\r\n", &r), 200);
    assert_body(&r, "theme blue visits -1");     /* DQUOTEs dropped; an absent cookie is NULL */
    tc_response_free(&r);
    cr_assert_eq(prefs("", &r), 200);
    assert_body(&r, "theme - visits -1");
    tc_response_free(&r);
    cr_assert_eq(prefs("Cookie: visits=many\r\n", &r), 400);
    tc_response_free(&r);
}
