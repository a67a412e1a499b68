/*
 * test_basic_check.c - HTTP Basic handed to the app (tests/guard/
 * basic_check.routes): `basic check=login` decodes the credentials, calls
 * checked_login and answers 401 with the realm's challenge when it
 * refuses or the value is malformed, before the body; a guard of the
 * app's decodes them with tr_basic_credentials.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, CHECKED_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(basic_check, .init = start, .fini = stop, .timeout = 30);

static int ask(const char *req, struct tc_response *r)
{
    tc_exchange_str(srv.port, req, r);
    return r->status;
}

#define CHALLENGE "Basic realm=\"router\", charset=\"UTF-8\""

Test(basic_check, the_right_credentials_pass_and_the_handler_gets_the_user_name)
{
    struct tc_response r;
    /* admin:open sesame */
    cr_assert_eq(ask("GET /admin/me HTTP/1.1\r\nHost: x\r\nAuthorization: basic YWRtaW46b3BlbiBzZXNhbWU=\r\n\r\n",
                     &r), 200);
    cr_assert_str_eq(r.body, "me admin");
    tc_response_free(&r);
}

Test(basic_check, a_refused_or_malformed_value_gets_401_with_the_challenge)
{
    static const char *const values[] = {
        "",                                                     /* no Authorization */
        "Authorization: Basic YWRtaW46d3Jvbmc=\r\n",            /* admin:wrong */
        "Authorization: Basic YWRtaW46b3BlbiBzZXNhbWU\r\n",     /* padding left out */
        "Authorization: Basic YWRtaW46b3BlbiBzZXNhbWU==\r\n",   /* too much */
        "Authorization: Basic YWRtaW4=\r\n",                    /* admin, no colon */
        "Authorization: Bearer YWRtaW46b3BlbiBzZXNhbWU=\r\n",   /* another scheme */
        "Authorization: Basic YWRtaW46b3BlbglzZXNhbWU=\r\n",    /* a tab in the password */
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char req[256];
        struct tc_response r;
        snprintf(req, sizeof req, "GET /admin/me HTTP/1.1\r\nHost: x\r\n%s\r\n", values[i]);
        cr_assert_eq(ask(req, &r), 401, "%s", values[i]);
        cr_assert_str_eq(tc_header(&r, "WWW-Authenticate"), CHALLENGE, "%s", values[i]);
        tc_response_free(&r);
    }
}

Test(basic_check, the_check_runs_before_the_body_is_read)
{
    struct tc_response r;
    /* No body byte follows: a server that waited for them would time out. */
    cr_assert_eq(ask("POST /admin/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46eA==\r\n"
                     "Content-Length: 900\r\n\r\n", &r), 401);
    tc_response_free(&r);
    cr_assert_eq(ask("POST /admin/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46b3BlbiBzZXNhbWU=\r\n"
                     "Content-Length: 2\r\n\r\nhi", &r), 200);
    cr_assert_str_eq(r.body, "admin sent hi");
    tc_response_free(&r);
}

Test(basic_check, an_app_guard_decodes_basic_with_tr_basic_credentials)
{
    struct tc_response r;
    /* bob:pw */
    cr_assert_eq(ask("GET /either/me HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Ym9iOnB3\r\n\r\n", &r), 200);
    cr_assert_str_eq(r.body, "either bob");
    tc_response_free(&r);
    cr_assert_eq(ask("GET /either/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k\r\n\r\n", &r), 200);
    cr_assert_str_eq(r.body, "either token");
    tc_response_free(&r);
    /* bob:pw, padded wrongly */
    cr_assert_eq(ask("GET /either/me HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Ym9iOnB3=\r\n\r\n", &r), 401);
    tc_response_free(&r);
}
