/*
 * test_limits.c - limits and timeouts: RFC 9112 §3 (414 MUST for a
 * target longer than the server parses), RFC 6585 §5 (431), RFC 9110
 * §15.5.14 (413) and §15.5.9 (408), RFC 9112 §9.5 (closing idle
 * connections).  Sizes run against examples/reference (8 KiB line and
 * head, 64 fields, 1 MiB body) exactly at each limit and one byte over;
 * timeouts against tests/e2e/short.routes (the same handlers with 1 s
 * timeouts), since the reference's are 10 s and 30 s.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "conformance.h"

TestSuite(limits, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);
TestSuite(timeouts, .init = cf_start_short, .fini = cf_stop, .timeout = 20);

enum {
    L_LINE,     /* request line of n bytes: GET /files/aaa... HTTP/1.1 */
    L_QUERY,    /* request line of n bytes: GET /?aaa... HTTP/1.1 */
    L_HEAD,     /* head of n bytes, CRLFs included, in few fields */
    L_FIELDS,   /* n fields after Host */
    L_VALUE,    /* one field value of n bytes */
    L_NAME,     /* one field name of n bytes */
    L_BODY,     /* POST /echo announcing n bytes, none sent */
    L_CHUNK     /* POST /echo, chunked, first chunk-size n, no data sent */
};

struct limit_case {
    char rfc[80];
    int kind;
    long n;
    int status[5];
    int conn;
};

ParameterizedTestParameters(limits, each_size_at_and_over_its_limit_gets_what_the_rfc_requires)
{
    static struct limit_case cases[] = {
        /* The head limit holds the line too: 8192 - "\r\nHost: l\r\n\r\n". */
        { "RFC 9112 §3 a request line that fills the 8 KiB head", L_LINE, 8179, { 200 },
          CF_ANY },
        { "RFC 9112 §3 414 or 431: one byte more", L_LINE, 8180, { 414, 431 }, CF_ANY },
        { "RFC 9112 §3 MUST 414: a target of 8193", L_LINE, 8193, { 414 }, CF_ANY },
        { "RFC 9112 §3 MUST 414: a target of 64 KiB", L_LINE, 65536, { 414 }, CF_ANY },
        { "RFC 9112 §3 a query line that fills the 8 KiB head", L_QUERY, 8179, { 200 },
          CF_ANY },
        { "RFC 9112 §3 MUST 414: a query line of 8193", L_QUERY, 8193, { 414 }, CF_ANY },
        { "RFC 6585 §5 a head of 8192 bytes", L_HEAD, 8192, { 200 }, CF_ANY },
        { "RFC 6585 §5 431: a head of 8193 bytes", L_HEAD, 8193, { 431, 400 }, CF_ANY },
        { "RFC 6585 §5 431: a head of 1 MiB", L_HEAD, 1 << 20, { 431, 400 }, CF_ANY },
        { "RFC 6585 §5 64 fields", L_FIELDS, 63, { 200 }, CF_ANY },
        { "RFC 6585 §5 431: 65 fields", L_FIELDS, 64, { 431, 400 }, CF_ANY },
        { "RFC 6585 §5 431: 1000 fields", L_FIELDS, 1000, { 431, 400 }, CF_ANY },
        { "RFC 9110 §5.5 a field value of 8000 bytes", L_VALUE, 8000, { 200 }, CF_ANY },
        { "RFC 6585 §5 431: a field value of 9000", L_VALUE, 9000, { 431, 400 }, CF_ANY },
        { "RFC 9110 §5.1 a field name of 8000 bytes", L_NAME, 8000, { 200 }, CF_ANY },
        { "RFC 9110 §15.5.14 413 for 1 MiB + 1 announced", L_BODY, (1 << 20) + 1, { 413 },
          CF_ANY },
        { "RFC 9110 §15.5.14 413 for 2^62 announced", L_BODY, 1L << 62, { 413 }, CF_ANY },
        { "RFC 9110 §15.5.14 413 for a chunk over 1 MiB", L_CHUNK, (1 << 20) + 1, { 413, 400 },
          CF_ANY },
    };
    return cr_make_param_array(struct limit_case, cases, sizeof cases / sizeof cases[0]);
}

/* Appends n bytes of c. */
static size_t fill(char *s, size_t at, char c, size_t n)
{
    memset(s + at, c, n);
    return at + n;
}

ParameterizedTest(struct limit_case *c, limits,
                  each_size_at_and_over_its_limit_gets_what_the_rfc_requires)
{
    size_t cap = (size_t)(c->kind == L_BODY || c->kind == L_CHUNK ? 0 : c->n) * 16 + 4096;
    char *s = malloc(cap);
    cr_assert(s != NULL);
    size_t n = 0;
    size_t n_ = (size_t)c->n;
    switch (c->kind) {
    case L_LINE:    /* "GET /files/" + a... + " HTTP/1.1" */
        n += (size_t)sprintf(s, "GET /files/");
        n = fill(s, n, 'a', n_ - 11 - 9);
        n += (size_t)sprintf(s + n, " HTTP/1.1\r\nHost: l\r\n\r\n");
        break;
    case L_QUERY:
        n += (size_t)sprintf(s, "GET /?");
        n = fill(s, n, 'q', n_ - 6 - 9);
        n += (size_t)sprintf(s + n, " HTTP/1.1\r\nHost: l\r\n\r\n");
        break;
    case L_HEAD: {   /* the line, Host, then X-Pad fields of up to 4000 bytes */
        n += (size_t)sprintf(s, "GET / HTTP/1.1\r\nHost: l\r\n");
        while (n + 2 < n_) {
            size_t left = n_ - 2 - n; /* bytes before the final CRLF */
            size_t take = left > 4000 ? 4000 : left;
            if (take < 10) { /* too short for a field: widen the last one */
                cr_assert_fail("bad head size %zu", n_);
            }
            if (left - take > 0 && left - take < 10)
                take -= 10;
            n += (size_t)sprintf(s + n, "X-Pad: ");
            n = fill(s, n, 'p', take - 9);
            n += (size_t)sprintf(s + n, "\r\n");
        }
        n += (size_t)sprintf(s + n, "\r\n");
        cr_assert_eq(n, n_, "built a head of %zu bytes, not %zu", n, n_);
        break;
    }
    case L_FIELDS:
        n += (size_t)sprintf(s, "GET / HTTP/1.1\r\nHost: l\r\n");
        for (long i = 0; i < c->n; i++)
            n += (size_t)sprintf(s + n, "X-F%ld: v\r\n", i);
        n += (size_t)sprintf(s + n, "\r\n");
        break;
    case L_VALUE:
        n += (size_t)sprintf(s, "GET / HTTP/1.1\r\nHost: l\r\nX-Big: ");
        n = fill(s, n, 'v', n_);
        n += (size_t)sprintf(s + n, "\r\n\r\n");
        break;
    case L_NAME:
        n += (size_t)sprintf(s, "GET / HTTP/1.1\r\nHost: l\r\n");
        n = fill(s, n, 'N', n_);
        n += (size_t)sprintf(s + n, ": v\r\n\r\n");
        break;
    case L_BODY:
        n += (size_t)sprintf(s, "POST /echo HTTP/1.1\r\nHost: l\r\nContent-Length: %ld\r\n\r\n",
                             c->n);
        break;
    case L_CHUNK:
        n += (size_t)sprintf(s, "POST /echo HTTP/1.1\r\nHost: l\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n%lx\r\n", c->n);
        break;
    }
    struct cf_case k;
    memset(&k, 0, sizeof k);
    snprintf(k.rfc, sizeof k.rfc, "%s", c->rfc);
    memcpy(k.status, c->status, sizeof k.status);
    k.conn = c->conn;
    cf_check_bytes(&k, s, n);
    free(s);
}

/* ---- timeouts (1 s in short.routes) ------------------------------------ */

struct timeout_case {
    char rfc[80];
    char sent[128];     /* sent at once; then nothing (or the trickle) */
    int trickle_ms;     /* then one more head byte every trickle_ms, 0: none */
    int may_408;        /* a 408 may come before the close */
};

ParameterizedTestParameters(timeouts, each_stalled_connection_is_ended_at_its_deadline)
{
    static struct timeout_case cases[] = {
        { "RFC 9112 §9.5 a connection that never sends", "", 0, 0 },
        { "RFC 9112 §9.5 an idle connection after an answer",
          "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 0, 0 },
        { "RFC 9110 §15.5.9 408: a head cut in the line", "GET /hello/x HT", 0, 1 },
        { "RFC 9110 §15.5.9 408: a head without its blank line",
          "GET / HTTP/1.1\r\nHost: t\r\n", 0, 1 },
        { "RFC 9110 §15.5.9 408: a body cut short",
          "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc", 0, 1 },
        { "RFC 9110 §15.5.9 408: a chunked body cut short",
          "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 0, 1 },
        { "RFC 9110 §15.5.9 408: a head trickled a byte per 150 ms", "GET / HTTP/1.1\r\n", 150,
          1 },
    };
    return cr_make_param_array(struct timeout_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct timeout_case *c, timeouts,
                  each_stalled_connection_is_ended_at_its_deadline)
{
    struct tc_conn k;
    tc_connect(&k, cf_port);
    int64_t t0 = tc_now_ms();
    tc_send_str(&k, c->sent);
    int answered = 0;
    if (strncmp(c->sent, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 27) == 0 && c->sent[27] == '\0') {
        struct tc_response r;
        cr_assert_eq(tc_read_response(&k, &r, TC_TIMEOUT_MS, 0), TC_OK);
        tc_response_free(&r);
        t0 = tc_now_ms(); /* idle from the answer on */
        answered = 1;
    }
    int st;
    if (c->trickle_ms) {
        /* Keep trickling: the deadline runs from the head's first byte. */
        for (;;) {
            st = tc_wait_close(&k, c->trickle_ms);
            if (st != TC_TIMEOUT || tc_now_ms() - t0 > 5000)
                break;
            tc_send_str(&k, "X");
        }
    } else {
        st = tc_wait_close(&k, 5000);
    }
    int64_t took = tc_now_ms() - t0;
    cr_assert_neq(st, TC_TIMEOUT, "[%s] still open after %lld ms", c->rfc, (long long)took);
    if (st == TC_DATA && !answered) {
        struct tc_response r;
        cr_assert(c->may_408, "[%s] an answer where only a close may come", c->rfc);
        cr_assert_eq(tc_read_response(&k, &r, TC_TIMEOUT_MS, 0), TC_OK);
        cr_assert_eq(r.status, 408, "[%s] status %d", c->rfc, r.status);
        tc_response_free(&r);
        cr_assert_eq(tc_wait_close(&k, TC_TIMEOUT_MS), TC_CLOSED, "[%s] open after 408",
                     c->rfc);
    }
    /* The deadline is 1 s: not much before, and not much after. */
    cr_assert(took >= 800 && took <= 2500, "[%s] ended after %lld ms, expected about 1000",
              c->rfc, (long long)took);
    tc_close(&k);
    tc_assert_alive(cf_port);
}
