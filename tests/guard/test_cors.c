/*
 * test_cors.c - CORS end to end (the `cors` lines of tests/guard/guard.routes):
 * a preflight is answered before the guards (it carries no credentials),
 * an allowed origin gets Access-Control-Allow-Origin on the answer, a
 * disallowed one gets no CORS field, and a preflight for a method or a
 * header the rule does not allow is refused by omission.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <strings.h>

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

TestSuite(cors, .init = start, .fini = stop, .timeout = 30);

static void send_req(const char *req, struct tc_response *r)
{
    tc_exchange_str(srv.port, req, r);
}

static void assert_field(const struct tc_response *r, const char *name, const char *want)
{
    const char *v = tc_header(r, name);
    cr_assert(v, "no %s", name);
    cr_assert_str_eq(v, want, "%s: '%s', want '%s'", name, v, want);
}

static void assert_no_cors(const struct tc_response *r)
{
    for (int i = 0; i < r->nheaders; i++)
        cr_assert(strncasecmp(r->headers[i].name, "Access-Control-", 15) != 0,
                  "a refused origin got %s: %s", r->headers[i].name, r->headers[i].value);
}

Test(cors, a_preflight_is_answered_204_before_the_session_guard_with_the_rules_fields)
{
    struct tc_response r;
    send_req("OPTIONS /app/change HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n"
             "Access-Control-Request-Method: POST\r\n"
             "Access-Control-Request-Headers: content-type, x-token\r\n\r\n", &r);
    cr_assert_eq(r.status, 204, "the preflight got %d (a guard ran first?)", r.status);
    assert_field(&r, "Access-Control-Allow-Origin", "https://ui.example");
    assert_field(&r, "Access-Control-Allow-Credentials", "true");
    assert_field(&r, "Access-Control-Allow-Methods", "GET, POST");
    assert_field(&r, "Access-Control-Allow-Headers", "Content-Type, X-Token");
    assert_field(&r, "Access-Control-Max-Age", "600");
    cr_assert(tc_header_has_token(&r, "Vary", "Origin"));
    tc_response_free(&r);
}

Test(cors, an_answer_to_an_allowed_origin_carries_allow_origin_even_the_guards_401)
{
    struct tc_response r;
    send_req("GET /app/me HTTP/1.1\r\nHost: router\r\nOrigin: http://192.168.1.1:8080\r\n\r\n", &r);
    cr_assert_eq(r.status, 401);
    assert_field(&r, "Access-Control-Allow-Origin", "http://192.168.1.1:8080");
    assert_field(&r, "Access-Control-Allow-Credentials", "true");
    cr_assert(tc_header_has_token(&r, "Vary", "Origin"));
    tc_response_free(&r);
}

Test(cors, a_handlers_answer_to_an_allowed_origin_carries_allow_origin)
{
    struct tc_response r;
    send_req("GET /api/items?page=1 HTTP/1.1\r\nHost: router\r\nX-Api-Key: k42\r\n"
             "Origin: https://anywhere.example\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    assert_field(&r, "Access-Control-Allow-Origin", "*");
    cr_assert_null(tc_header(&r, "Access-Control-Allow-Credentials"));
    cr_assert_null(tc_header(&r, "Vary"), "one answer for every origin varies by none");
    tc_response_free(&r);
}

Test(cors, a_disallowed_origin_gets_no_cors_field_on_a_preflight_or_an_answer)
{
    struct tc_response r;
    send_req("OPTIONS /app/change HTTP/1.1\r\nHost: router\r\nOrigin: https://evil.example\r\n"
             "Access-Control-Request-Method: POST\r\n\r\n", &r);
    cr_assert_eq(r.status, 204);    /* the plain automatic OPTIONS answer */
    cr_assert(tc_header(&r, "Allow"));
    assert_no_cors(&r);
    tc_response_free(&r);
    send_req("GET /app/me HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example.evil\r\n\r\n", &r);
    cr_assert_eq(r.status, 401);
    assert_no_cors(&r);
    cr_assert(tc_header_has_token(&r, "Vary", "Origin"));
    tc_response_free(&r);
}

Test(cors, a_preflight_for_a_method_or_a_header_the_rule_does_not_allow_gets_no_cors_field)
{
    struct tc_response r;
    /* /app/change has POST only, the rule GET and POST: PUT is neither. */
    send_req("OPTIONS /app/change HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n"
             "Access-Control-Request-Method: PUT\r\n\r\n", &r);
    cr_assert_eq(r.status, 204);
    assert_no_cors(&r);
    tc_response_free(&r);
    /* GET is the rule's, but /app/change has no GET. */
    send_req("OPTIONS /app/change HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n"
             "Access-Control-Request-Method: GET\r\n\r\n", &r);
    assert_no_cors(&r);
    tc_response_free(&r);
    send_req("OPTIONS /app/change HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n"
             "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: x-other\r\n\r\n", &r);
    assert_no_cors(&r);
    tc_response_free(&r);
}

Test(cors, a_route_outside_every_cors_prefix_gets_no_cors_field)
{
    struct tc_response r;
    send_req("GET /open HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    assert_no_cors(&r);
    cr_assert_null(tc_header(&r, "Vary"));
    tc_response_free(&r);
    send_req("OPTIONS /open HTTP/1.1\r\nHost: router\r\nOrigin: https://ui.example\r\n"
             "Access-Control-Request-Method: GET\r\n\r\n", &r);
    cr_assert_eq(r.status, 204);
    assert_no_cors(&r);
    tc_response_free(&r);
}
