/*
 * test_json.c - JSON request fields end to end (tests/guard/guard.routes:
 * PUT /wifi json=<ssid>,<channel:uint>, POST /either form=... json):
 * typed members decoded, strings unescaped, a malformed body or a member
 * of the wrong type 400, another Content-Type 415; bool values in a query,
 * a cookie, a form and JSON (GET,PUT /flag).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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

TestSuite(json, .init = start, .fini = stop, .timeout = 30);

static int send_body(const char *target, const char *type, const char *body, struct tc_response *r)
{
    char req[1024];
    snprintf(req, sizeof req, "%s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
             target, type, strlen(body), body);
    tc_exchange_str(srv.port, req, r);
    return r->status;
}

static int put_wifi(const char *body, struct tc_response *r)
{
    return send_body("PUT /wifi", "application/json", body, r);
}

static void assert_body(const struct tc_response *r, const char *want)
{
    cr_assert_str_eq(r->body, want, "body '%s', want '%s'", r->body, want);
}

Test(json, typed_members_reach_the_handler_and_unknown_ones_are_skipped)
{
    struct tc_response r;
    cr_assert_eq(put_wifi(" {\"x\": [1, {\"a\": [true, null, -0.5e+3]}, \"\\u00e9\"], \"ssid\": \"home\","
                          "\n\"channel\": 36, \"ssid\": \"second\"} ", &r), 200);
    assert_body(&r, "{\"ssid\":\"home\",\"channel\":36}");  /* the first of a repeated name wins */
    tc_response_free(&r);
}

Test(json, strings_are_unescaped_surrogate_pairs_included)
{
    struct tc_response r;
    cr_assert_eq(put_wifi("{\"ssid\":\"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\",\"channel\":1}", &r), 200);
    assert_body(&r, "{\"ssid\":\"a\\\"b\\\\c/\xc3\xa9\xf0\x9f\x98\x80\",\"channel\":1}");
    tc_response_free(&r);
}

Test(json, the_handler_checks_its_ranges_and_answers_a_json_error)
{
    struct tc_response r;
    cr_assert_eq(put_wifi("{\"ssid\":\"\",\"channel\":6}", &r), 400);
    assert_body(&r, "{\"error\":\"ssid is 1 to 32 bytes\"}");
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "application/json");
    tc_response_free(&r);
    cr_assert_eq(put_wifi("{\"ssid\":\"123456789012345678901234567890123\",\"channel\":6}", &r), 400);
    tc_response_free(&r);
    cr_assert_eq(put_wifi("{\"ssid\":\"ok\",\"channel\":166}", &r), 400);
    assert_body(&r, "{\"error\":\"channel is 1 to 165\"}");
    tc_response_free(&r);
    cr_assert_eq(put_wifi("{\"ssid\":\"ok\",\"channel\":null}", &r), 400);  /* null is absent */
    tc_response_free(&r);
}

Test(json, a_malformed_body_or_a_member_of_another_type_gets_400)
{
    static const char *const bad[] = {
        "", "[]", "{", "{\"ssid\":\"a\",}", "{\"ssid\" \"a\"}", "{\"ssid\":\"a\"} x", "{'ssid':1}",
        "{\"ssid\":\"a\x01\"}", "{\"ssid\":\"\\x\"}", "{\"ssid\":\"\\ud800\"}", "{\"ssid\":\"\xc3\"}",
        "{\"ssid\":\"\xc0\xaf\"}", "{\"channel\":01}", "{\"channel\":1.}", "{\"channel\":+1}",
        "{\"channel\":1.5}", "{\"channel\":\"6\"}", "{\"ssid\":6}", "{\"ssid\":{\"a\":1}}",
        "{\"channel\":-1}", "{\"channel\":99999999999999999999999}", "{\"x\":tru}",
        "{\"x\":[1,]}", "{\"x\":[1}",
        "{\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",   /* 33 deep */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct tc_response r;
        cr_expect_eq(put_wifi(bad[i], &r), 400, "'%s' got %d", bad[i], r.status);
        tc_response_free(&r);
    }
    struct tc_response r;   /* 32 deep is allowed */
    cr_assert_eq(put_wifi("{\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
                          "\"ssid\":\"s\",\"channel\":2}", &r), 200);
    tc_response_free(&r);
}

Test(json, another_content_type_gets_415)
{
    struct tc_response r;
    cr_assert_eq(send_body("PUT /wifi", "text/plain", "{\"ssid\":\"a\",\"channel\":1}", &r), 415);
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /wifi", "application/x-www-form-urlencoded", "ssid=a&channel=1", &r), 415);
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /wifi", "Application/JSON; charset=utf-8", "{\"ssid\":\"a\",\"channel\":1}", &r),
                 200);
    tc_response_free(&r);
}

Test(json, a_login_takes_its_fields_from_a_form_or_from_json)
{
    struct tc_response r;
    cr_assert_eq(send_body("POST /either", "application/x-www-form-urlencoded", "user=ann&password=p%40ss", &r),
                 200);
    assert_body(&r, "user ann password p@ss");
    tc_response_free(&r);
    cr_assert_eq(send_body("POST /either", "application/json", "{\"password\":\"p@ss\",\"user\":\"ann\"}", &r),
                 200);
    assert_body(&r, "user ann password p@ss");
    tc_response_free(&r);
    cr_assert_eq(send_body("POST /either", "multipart/form-data; boundary=x", "--x--", &r), 415);
    tc_response_free(&r);
}

static void assert_get(const char *req, int status, const char *body)
{
    struct tc_response r;
    char full[512];
    snprintf(full, sizeof full, "%s\r\nHost: x\r\n\r\n", req);
    tc_exchange_str(srv.port, full, &r);
    cr_assert_eq(r.status, status, "'%s' got %d", req, r.status);
    if (body)
        assert_body(&r, body);
    tc_response_free(&r);
}

Test(json, bool_query_and_cookie_values_take_true_false_1_0_on_off)
{
    static const char *const yes[] = { "true", "1", "on" }, *const no[] = { "false", "0", "off" };
    char req[256];
    for (int i = 0; i < 3; i++) {
        snprintf(req, sizeof req, "GET /flag?on=%s HTTP/1.1\r\nCookie: a=b; dark=%s", yes[i], no[i]);
        assert_get(req, 200, "on 1 dark 0");
        snprintf(req, sizeof req, "GET /flag?on=%s HTTP/1.1\r\nCookie: dark=%s", no[i], yes[i]);
        assert_get(req, 200, "on 0 dark 1");
    }
    assert_get("GET /flag HTTP/1.1", 200, "on - dark -");
    static const char *const bad[] = { "TRUE", "yes", "2", "", "tru", "onn", "%74rue" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(req, sizeof req, "GET /flag?on=%s HTTP/1.1", bad[i]);
        assert_get(req, i == 6 ? 200 : 400, i == 6 ? "on 1 dark -" : NULL);   /* %74 is 't', decoded first */
        snprintf(req, sizeof req, "GET /flag HTTP/1.1\r\nCookie: dark=%s", bad[i]);
        assert_get(req, 400, NULL);                        /* cookies are not percent-decoded */
    }
}

Test(json, bool_form_and_json_fields)
{
    struct tc_response r;
    cr_assert_eq(send_body("PUT /flag", "application/x-www-form-urlencoded", "on=on&n=3", &r), 200);
    assert_body(&r, "on 1 n 3");
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /flag", "application/x-www-form-urlencoded", "n=3", &r), 200);
    assert_body(&r, "on - n 3");                     /* an unchecked checkbox sends nothing */
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /flag", "application/x-www-form-urlencoded", "on=yes", &r), 400);
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /flag", "application/json", "{\"on\":false,\"n\":-2}", &r), 200);
    assert_body(&r, "on 0 n -2");
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /flag", "application/json", "{\"on\":true}", &r), 200);
    assert_body(&r, "on 1 n -1");
    tc_response_free(&r);
    cr_assert_eq(send_body("PUT /flag", "application/json", "{\"on\":null}", &r), 200);
    assert_body(&r, "on - n -1");
    tc_response_free(&r);
    static const char *const bad[] = { "{\"on\":1}", "{\"on\":\"true\"}", "{\"on\":\"on\"}", "{\"on\":[true]}" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_eq(send_body("PUT /flag", "application/json", bad[i], &r), 400, "'%s' got %d", bad[i], r.status);
        tc_response_free(&r);
    }
}
