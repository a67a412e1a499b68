/*
 * test_token.c - the session guard's optional CSRF token end to end
 * (tests/guard/token.routes: `guard /app session data csrf-token`): the
 * login sends a 128-bit token in X-CSRF-Token, a handler reads the same
 * one with tr_session_token, and every POST, PUT, PATCH and DELETE must
 * bring it back in that header or get 403; GET needs none.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, TOKEN_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(token, .init = start, .fini = stop, .timeout = 30);

static int ask(const char *req, struct tc_response *r)
{
    tc_exchange_str(srv.port, req, r);
    return r->status;
}

/* Logs in: the cookie pair "sid=..." in sid, the token's 32 hex digits in token. */
static void login(char *sid, char *token)
{
    struct tc_response r;
    cr_assert_eq(ask("POST /app/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\npw", &r), 200);
    const char *c = tc_header(&r, "Set-Cookie"), *t = tc_header(&r, "X-CSRF-Token");
    cr_assert_not_null(c);
    cr_assert_not_null(t);
    cr_assert_eq(strlen(t), 32, "%s", t);
    cr_assert_eq(strspn(t, "0123456789abcdef"), 32, "%s", t);
    snprintf(sid, 40, "%.36s", c);
    snprintf(token, 33, "%s", t);
    cr_assert_str_neq(sid + 4, token);      /* two random values, not one */
    tc_response_free(&r);
}

/* The status of METHOD PATH with the session cookie, extra header lines and a 2-byte body. */
static int with(const char *method_path, const char *sid, const char *extra, struct tc_response *r)
{
    char req[512];
    snprintf(req, sizeof req, "%s HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n%sContent-Length: 2\r\n\r\nok",
             method_path, sid, extra);
    return ask(req, r);
}

Test(token, the_login_sends_the_token_and_a_handler_reads_the_same_one)
{
    char sid[40], token[33], sid2[40], token2[33];
    struct tc_response r;
    login(sid, token);
    cr_assert_eq(with("GET /app/token", sid, "", &r), 200);      /* a GET needs no token */
    cr_assert_str_eq(r.body, token);
    tc_response_free(&r);
    login(sid2, token2);
    cr_assert_str_neq(token, token2);       /* one a session */
    cr_assert_eq(with("GET /app/token", sid2, "", &r), 200);
    cr_assert_str_eq(r.body, token2);
    tc_response_free(&r);
}

Test(token, unsafe_methods_without_the_right_token_get_403)
{
    char sid[40], token[33], sid2[40], token2[33], h[128], bad[256], other[128], upper[128];
    struct tc_response r;
    login(sid, token);
    login(sid2, token2);
    snprintf(h, sizeof h, "X-CSRF-Token: %s\r\n", token);
    snprintf(other, sizeof other, "X-CSRF-Token: %s\r\n", token2);   /* another session's */
    snprintf(bad, sizeof bad, "X-CSRF-Token: %.31s%c\r\n", token, token[31] == '0' ? '1' : '0');
    snprintf(upper, sizeof upper, "X-CSRF-Token: %s\r\n", token);
    for (char *p = upper + 14; *p != '\r'; p++)
        *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
    static const char *const methods[] = { "POST /app/change", "PUT /app/item", "DELETE /app/item",
                                           "PATCH /app/item" };
    for (size_t i = 0; i < 4; i++) {
        cr_expect_eq(with(methods[i], sid, h, &r), 200, "%s with its token got %d", methods[i], r.status);
        tc_response_free(&r);
        cr_expect_eq(with(methods[i], sid, "", &r), 403, "%s without a token got %d", methods[i], r.status);
        tc_response_free(&r);
        cr_expect_eq(with(methods[i], sid, bad, &r), 403, "%s with a wrong token got %d", methods[i], r.status);
        tc_response_free(&r);
        cr_expect_eq(with(methods[i], sid, other, &r), 403, "%s, another session's token: %d", methods[i],
                     r.status);
        tc_response_free(&r);
    }
    static const char *const malformed[] = { "X-CSRF-Token: \r\n", "X-CSRF-Token: 0\r\n",
                                             "X-CSRF-Token: zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n" };
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(with("POST /app/change", sid, malformed[i], &r), 403, "'%s' got %d", malformed[i], r.status);
        tc_response_free(&r);
    }
    cr_expect_eq(with("POST /app/change", sid, upper, &r), 403);   /* as issued: lower case */
    tc_response_free(&r);
    /* The right token with a forged Origin: the Origin check still runs. */
    snprintf(bad, sizeof bad, "%sOrigin: http://evil.example\r\n", h);
    cr_expect_eq(with("POST /app/change", sid, bad, &r), 403);
    tc_response_free(&r);
    cr_assert_eq(with("POST /app/change", sid, h, &r), 200);
    cr_assert_str_eq(r.body, "changed ok by 7");
    tc_response_free(&r);
}

Test(token, no_session_is_401_before_the_token_is_looked_at)
{
    struct tc_response r;
    cr_assert_eq(ask("POST /app/change HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok", &r), 401);
    tc_response_free(&r);
    cr_assert_eq(with("POST /app/change", "sid=00000000000000000000000000000000",
                      "X-CSRF-Token: 00000000000000000000000000000000\r\n", &r), 401);
    tc_response_free(&r);
}
