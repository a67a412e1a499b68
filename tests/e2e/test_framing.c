/*
 * test_framing.c - message framing against examples/reference: Host,
 * Content-Length, Transfer-Encoding, field syntax and Expect.  Every case
 * whose framing is ambiguous carries a second request in its body; the
 * server must never answer it (that would be request smuggling).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, REFERENCE_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(framing, .init = start, .fini = stop, .timeout = 20);

/* The request hidden in a body; its answer would say "Hello, smuggled!". */
#define SMUGGLED "GET /hello/smuggled HTTP/1.1\r\nHost: framing.test\r\n\r\n"

/* Sends req, reads every answer until the server closes, and checks that
 * exactly one came, with one of the allowed statuses, that none answers
 * the smuggled request, and (must_close) that the connection closed. */
static void expect_one_answer(const char *req, size_t n, const int *allowed, int must_close)
{
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, n);
    struct tc_response r[4];
    int closed;
    int got = tc_read_until_close(&c, r, 4, TC_TIMEOUT_MS, &closed);
    tc_close(&c);
    for (int i = 0; i < got && i < 4; i++)
        cr_assert_null(strstr(r[i].body, "smuggled"), "the smuggled request was answered: %s",
                       req);
    cr_assert_eq(got, 1, "%d answers to: %s", got, req);
    int ok = 0;
    for (int i = 0; allowed[i]; i++)
        ok |= r[0].status == allowed[i];
    cr_assert(ok, "status %d for: %s", r[0].status, req);
    if (must_close)
        cr_assert(closed, "the connection stayed open after: %s", req);
    tc_response_free(&r[0]);
    tc_assert_alive(srv.port);
}

/* ---- Host -------------------------------------------------------------- */

struct host_case {
    char req[160];
    int status;
};

ParameterizedTestParameters(framing, each_host_field_arrangement_gets_the_status_it_must)
{
    static struct host_case cases[] = {
        /* RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request
         * lacking Host, with more than one Host, or an invalid Host value. */
        { "GET / HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nX-Host: a\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nhost: a\r\n\r\n", 400 },
        { "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400 },
        /* Valid Host forms (RFC 3986 §3.2.2, §3.2.3). */
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
        { "GET / HTTP/1.1\r\nHOST: a\r\n\r\n", 200 },          /* field names: any case */
        { "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", 200 },
        { "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200 },
        { "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 200 },
        { "GET / HTTP/1.1\r\nHost:a\r\n\r\n", 200 },           /* OWS is optional */
        { "GET / HTTP/1.1\r\nHost: \t a \t\r\n\r\n", 200 },
        /* RFC 9112 §3.2: "Host:" with an empty value is what a client sends
         * for a target without authority; reg-name may be empty. */
        { "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200 },
        /* HTTP/1.0 needs no Host. */
        { "GET / HTTP/1.0\r\n\r\n", 200 },
        /* RFC 9112 §3.2.2: absolute-form: the target's authority wins. */
        { "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n", 200 },
    };
    return cr_make_param_array(struct host_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct host_case *c, framing,
                  each_host_field_arrangement_gets_the_status_it_must)
{
    struct tc_response r;
    tc_exchange_str(srv.port, c->req, &r);
    cr_assert_eq(r.status, c->status, "status %d, expected %d, for %s", r.status, c->status,
                 c->req);
    if (c->status == 200)
        cr_assert_str_eq(r.body, "Hello, world!");
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

/* ---- ambiguous framing ------------------------------------------------- */

/* Head fields of a POST /echo, its body (SMUGGLED is appended), the
 * statuses allowed, and whether the server MUST close. */
struct frame_case {
    char fields[160];
    char body[64];
    int allowed[4];
    int must_close;
};

ParameterizedTestParameters(framing, each_ambiguous_framing_gets_one_answer_and_never_two)
{
    static struct frame_case cases[] = {
        /* RFC 9112 §6.1: Content-Length with Transfer-Encoding: the server
         * MAY reject it (400) or use Transfer-Encoding alone, and MUST
         * close the connection after responding.  tinyroute rejects it
         * (the conformance suite allows both). */
        { "Content-Length: 60\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", { 400 }, 1 },
        { "Transfer-Encoding: chunked\r\nContent-Length: 60\r\n", "0\r\n\r\n", { 400 }, 1 },
        { "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", "0\r\n\r\n", { 400 }, 1 },
        { "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n",
          { 400 }, 1 },
        /* RFC 9112 §6.3 rule 5: an invalid Content-Length without
         * Transfer-Encoding: the server MUST answer 400 and close. */
        { "Content-Length: abc\r\n", "", { 400 }, 1 },
        { "Content-Length: -1\r\n", "", { 400 }, 1 },
        { "Content-Length: +5\r\n", "hello", { 400 }, 1 },
        { "Content-Length: 0x5\r\n", "hello", { 400 }, 1 },
        { "Content-Length: 5 5\r\n", "hello", { 400 }, 1 },
        { "Content-Length: 1,2\r\n", "x", { 400 }, 1 },
        { "Content-Length: 5, 6\r\n", "hello", { 400 }, 1 },
        { "Content-Length: 5,\r\n", "hello", { 400 }, 1 },
        { "Content-Length:\r\n", "", { 400 }, 1 },
        { "Content-Length: 99999999999999999999999\r\n", "", { 400, 413 }, 1 },
        { "Content-Length: 18446744073709551616\r\n", "", { 400, 413 }, 1 },
        /* RFC 9110 §8.6 / RFC 9112 §6.3: differing Content-Length fields. */
        { "Content-Length: 5\r\nContent-Length: 6\r\n", "hello", { 400 }, 1 },
        /* RFC 9112 §5.1: whitespace before the colon MUST be 400. */
        { "Content-Length : 5\r\n", "hello", { 400 }, 1 },
        { "Transfer-Encoding : chunked\r\n", "0\r\n\r\n", { 400 }, 1 },
        /* RFC 9112 §6.3 rule 4: chunked not last: 400 and close (MUST). */
        { "Transfer-Encoding: gzip\r\n", "", { 400 }, 1 },
        { "Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n", { 400 }, 1 },
        { "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", "0\r\n\r\n",
          { 400 }, 1 },
        { "Transfer-Encoding:\r\n", "", { 400 }, 1 },
        /* RFC 9112 §6.1: chunked MUST NOT be applied twice. */
        { "Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n", { 400 }, 1 },
        /* RFC 9112 §6.1: a coding the server does not know under chunked:
         * 501 (SHOULD); it did not read the body, so it must close. */
        { "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n", { 501, 400 }, 1 },
    };
    return cr_make_param_array(struct frame_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct frame_case *c, framing,
                  each_ambiguous_framing_gets_one_answer_and_never_two)
{
    char req[512];
    int n = snprintf(req, sizeof req, "POST /echo HTTP/1.1\r\nHost: framing.test\r\n%s\r\n%s%s",
                     c->fields, c->body, SMUGGLED);
    expect_one_answer(req, (size_t)n, c->allowed, c->must_close);
}

Test(framing, transfer_encoding_in_an_http_1_0_request_is_faulty_framing_and_closes)
{
    /* RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding MUST be
     * treated as faulty framing, even with Content-Length, and the
     * connection closed after processing it. */
    static const char req[] = "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n"
                              "Content-Length: 5\r\nConnection: keep-alive\r\n\r\n"
                              "0\r\n\r\n" SMUGGLED;
    static const int allowed[] = { 400, 200, 0 };
    expect_one_answer(req, sizeof req - 1, allowed, 1);
}

Test(framing, a_body_sent_to_a_route_that_reads_none_is_never_parsed_as_a_request)
{
    /* RFC 9112 §6.3: the body is Content-Length bytes whatever the route;
     * the server may read and discard it, or answer and close.  Either
     * way the body must not be taken for the next request. */
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: framing.test\r\nContent-Length: %zu\r\n\r\n%s"
                     "GET /hello/second HTTP/1.1\r\nHost: framing.test\r\n\r\n",
                     strlen(SMUGGLED), SMUGGLED);
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send(&c, req, (size_t)n);
    struct tc_response r[4];
    int closed;
    int got = tc_read_until_close(&c, r, 4, TC_TIMEOUT_MS, &closed);
    tc_close(&c);
    cr_assert(got == 1 || got == 2, "%d answers", got);
    cr_assert_eq(r[0].status, 200);
    cr_assert_str_eq(r[0].body, "Hello, world!");
    if (got == 2) {
        cr_assert_str_eq(r[1].body, "Hello, second!");
    } else {
        cr_assert(closed, "one answer, and the connection neither closed nor answered again");
    }
    for (int i = 0; i < got; i++)
        tc_response_free(&r[i]);
    tc_assert_alive(srv.port);
}

/* ---- field syntax ------------------------------------------------------ */

struct field_case {
    char fields[128];
    int allowed[3];
};

ParameterizedTestParameters(framing, each_malformed_header_field_is_rejected)
{
    static struct field_case cases[] = {
        /* RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. */
        { "NoColon\r\n", { 400 } },
        { ": empty-name\r\n", { 400 } },
        { "Bad Name: x\r\n", { 400 } },
        { "Bad@Name: x\r\n", { 400 } },
        /* RFC 9112 §5.1: no whitespace between name and colon (MUST 400). */
        { "X-Pad : x\r\n", { 400 } },
        { "X-Pad\t: x\r\n", { 400 } },
        /* RFC 9112 §5.2: obs-fold: MUST reject with 400 or replace it by SP. */
        { "X-Fold: a\r\n b\r\n", { 400, 200 } },
        { "X-A: a\r\n\tb\r\n", { 400, 200 } },
        /* RFC 9110 §5.5: CR, LF or NUL in a value: MUST reject or replace by SP. */
        { "X-Cr: a\rb\r\n", { 400, 200 } },
        /* Other control bytes are not field-vchar: 400 (MAY process them). */
        { "X-Ctl: a\x01" "b\r\n", { 400, 200 } },
        { "X-Del: a\x7f\r\n", { 400, 200 } },
        /* RFC 9112 §2.2: a bare LF ends a line only if the server wants (MAY). */
        { "X-Lf: a\nX-B: b\r\n", { 400, 200 } },
        /* obs-text is allowed in values (RFC 9110 §5.5). */
        { "X-Obs: caf\xc3\xa9\r\n", { 200 } },
        { "X-Empty:\r\n", { 200 } },
        { "X-Tab:\tv\t\r\n", { 200 } },
    };
    return cr_make_param_array(struct field_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct field_case *c, framing, each_malformed_header_field_is_rejected)
{
    char req[256];
    int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: framing.test\r\n%s\r\n",
                     c->fields);
    struct tc_response r;
    tc_exchange(srv.port, req, (size_t)n, &r);
    int ok = 0;
    for (int i = 0; i < 3 && c->allowed[i]; i++)
        ok |= r.status == c->allowed[i];
    cr_assert(ok, "status %d for field %s", r.status, c->fields);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(framing, a_nul_byte_in_a_field_value_is_rejected)
{
    /* RFC 9110 §5.5: NUL in a field value: reject or replace with SP. */
    static const char req[] = "GET / HTTP/1.1\r\nHost: framing.test\r\nX-Nul: a\0b\r\n\r\n";
    struct tc_response r;
    tc_exchange(srv.port, req, sizeof req - 1, &r);
    cr_assert(r.status == 400 || r.status == 200, "status %d", r.status);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(framing, a_nul_byte_in_the_request_target_is_rejected)
{
    static const char req[] = "GET /hello/a\0b HTTP/1.1\r\nHost: framing.test\r\n\r\n";
    struct tc_response r;
    tc_exchange(srv.port, req, sizeof req - 1, &r);
    cr_assert_eq(r.status, 400);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

/* ---- Expect ------------------------------------------------------------ */

Test(framing, expect_100_continue_gets_100_before_the_body_and_then_the_answer)
{
    /* RFC 9110 §10.1.1: a server that will read the body sends 100
     * Continue (or the final status) when it sees 100-continue. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: framing.test\r\nContent-Length: 5\r\n"
                    "Expect: 100-continue\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK,
                 "no 100 Continue before the body was sent");
    cr_assert_eq(r.status, 100);
    tc_response_free(&r);
    tc_send_str(&c, "hello");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "hello");
    tc_response_free(&r);
    tc_close(&c);
}

Test(framing, expect_100_continue_with_a_body_over_the_limit_gets_413_and_no_100)
{
    /* RFC 9110 §10.1.1: the server may answer with the final status
     * instead of 100; here it must be 413 (§15.5.14). */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: framing.test\r\nContent-Length: 2000000\r\n"
                    "Expect: 100-continue\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 413);
    tc_response_free(&r);
    tc_close(&c);
}

Test(framing, an_unknown_expectation_gets_417)
{
    /* RFC 9110 §10.1.1: a server that receives an Expect value other than
     * 100-continue MAY respond 417. */
    struct tc_response r;
    tc_exchange_str(srv.port,
                    "POST /echo HTTP/1.1\r\nHost: framing.test\r\nContent-Length: 0\r\n"
                    "Expect: pony\r\n\r\n",
                    &r);
    cr_assert(r.status == 417 || r.status == 200, "status %d", r.status);
    tc_response_free(&r);
    tc_assert_alive(srv.port);
}

Test(framing, the_100_continue_expectation_is_matched_case_insensitively)
{
    /* RFC 9110 §10.1.1: the Expect field value is case-insensitive. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.1\r\nHost: framing.test\r\nContent-Length: 2\r\n"
                    "Expect: 100-Continue\r\n\r\n");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 100);
    tc_response_free(&r);
    tc_send_str(&c, "ok");
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_str_eq(r.body, "ok");
    tc_response_free(&r);
    tc_close(&c);
}

Test(framing, an_http_1_0_expectation_of_100_continue_gets_no_100)
{
    /* RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation
     * received in an HTTP/1.0 request. */
    struct tc_conn c;
    tc_connect(&c, srv.port);
    tc_send_str(&c, "POST /echo HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    cr_assert_eq(tc_wait_close(&c, 200), TC_TIMEOUT, "the server sent something to a 1.0 client");
    tc_send_str(&c, "ok");
    struct tc_response r;
    cr_assert_eq(tc_read_response(&c, &r, TC_TIMEOUT_MS, 0), TC_OK);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "ok");
    tc_response_free(&r);
    tc_close(&c);
}

Test(framing, identical_content_length_values_are_accepted_or_rejected_with_400)
{
    /* RFC 9110 §8.6: a recipient MAY accept a list of identical values (as
     * one) or reject the message as invalid (RFC 9112 §6.3 rule 5: 400). */
    static const char *const reqs[] = {
        "POST /echo HTTP/1.1\r\nHost: f\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: f\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    };
    for (int i = 0; i < 2; i++) {
        struct tc_response r;
        tc_exchange_str(srv.port, reqs[i], &r);
        cr_assert(r.status == 200 || r.status == 400, "status %d for %s", r.status, reqs[i]);
        if (r.status == 200)
            cr_assert_str_eq(r.body, "abc");
        tc_response_free(&r);
    }
    tc_assert_alive(srv.port);
}
