/*
 * conformance.c - the runner behind every conformance row (conformance.h).
 */
#include "conformance.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

uint16_t cf_port;
static struct tc_server srv;

void cf_start_reference(void)
{
    tc_server_start(&srv, REFERENCE_BIN);
    cf_port = srv.port;
}

void cf_start_short(void)
{
    tc_server_start(&srv, SHORT_BIN);
    cf_port = srv.port;
}

void cf_stop(void)
{
    tc_server_stop(&srv);
}

/* Sent after the answers: its own answer proves the connection in sync. */
static const char sentinel[] = "GET /hello/sentinel HTTP/1.1\r\nHost: sentinel.test\r\n"
                               "Connection: close\r\n\r\n";

const char *cf_show(const char *p, size_t n)
{
    static char out[320];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < sizeof out; i++) {
        unsigned char b = (unsigned char)p[i];
        if (b == '\r')
            o += (size_t)sprintf(out + o, "\\r");
        else if (b == '\n')
            o += (size_t)sprintf(out + o, "\\n");
        else if (b == '\t')
            o += (size_t)sprintf(out + o, "\\t");
        else if (b < 0x20 || b >= 0x7f)
            o += (size_t)sprintf(out + o, "\\x%02x", b);
        else
            out[o++] = (char)b;
    }
    if (n > 0 && o + 8 >= sizeof out)
        o += (size_t)sprintf(out + o, "...");
    out[o] = '\0';
    return out;
}

static int allowed(const struct cf_case *c, int status)
{
    for (int i = 0; i < 5 && c->status[i]; i++)
        if (c->status[i] == status)
            return 1;
    return 0;
}

/* Does the answer match "#NNN" or a body? */
static int matches(const char *want, const struct tc_response *r)
{
    if (want[0] == '#')
        return r->status == atoi(want + 1);
    return r->status / 100 == 2 && strcmp(r->body, want) == 0;
}

void cf_check_bytes(const struct cf_case *c, const char *req, size_t n)
{
    const char *what = cf_show(req, n);
    char shown[320];
    snprintf(shown, sizeof shown, "%s", what);
    struct tc_conn k;
    tc_connect(&k, cf_port);
    tc_send(&k, req, n); /* an early answer may reset: read anyway */
    struct tc_response r;
    int head = strncmp(req, "HEAD ", 5) == 0;
    int st = tc_read_response(&k, &r, TC_TIMEOUT_MS, head);
    if (st == TC_OK && r.status == 100 && !allowed(c, 100)) {
        tc_response_free(&r);
        st = tc_read_response(&k, &r, TC_TIMEOUT_MS, head);
    }
    cr_assert_eq(st, TC_OK, "[%s] no answer (%d) to: %s", c->rfc, st, shown);
    cr_assert_null(strstr(r.body, "Hello, smuggled!"), "[%s] the smuggled request was answered: %s",
                   c->rfc, shown);
    cr_assert(allowed(c, r.status), "[%s] status %d (body \"%s\") for: %s", c->rfc, r.status,
              cf_show(r.body, r.body_len), shown);
    if (c->body[0] && r.status / 100 == 2)
        cr_assert_str_eq(r.body, c->body, "[%s] body for: %s", c->rfc, shown);
    int closing = tc_header_has_token(&r, "Connection", "close");
    tc_response_free(&r);

    for (int i = 0; i < 3 && c->more[i][0]; i++) {
        st = tc_read_response(&k, &r, TC_TIMEOUT_MS, 0);
        cr_assert_eq(st, TC_OK, "[%s] answer %d missing (%d) for: %s", c->rfc, i + 2, st,
                     shown);
        cr_assert_null(strstr(r.body, "Hello, smuggled!"), "[%s] the smuggled request was answered: %s",
                       c->rfc, shown);
        cr_assert(matches(c->more[i], &r), "[%s] answer %d is %d \"%s\", expected %s for: %s",
                  c->rfc, i + 2, r.status, cf_show(r.body, r.body_len), c->more[i], shown);
        closing = tc_header_has_token(&r, "Connection", "close");
        tc_response_free(&r);
    }

    /* Then the sentinel: answered (in sync) or met by a close. */
    tc_send(&k, sentinel, sizeof sentinel - 1);
    st = tc_read_response(&k, &r, TC_TIMEOUT_MS, 0);
    cr_assert_neq(st, TC_TIMEOUT,
                  "[%s] the connection hung: a later request was taken for part of: %s",
                  c->rfc, shown);
    if (st == TC_OK) {
        cr_assert_null(strstr(r.body, "Hello, smuggled!"), "[%s] the smuggled request was answered: %s",
                       c->rfc, shown);
        cr_assert_neq(c->conn, CF_CLOSE,
                      "[%s] the server MUST close, yet answered a later request (%d \"%s\") "
                      "after: %s",
                      c->rfc, r.status, cf_show(r.body, r.body_len), shown);
        cr_assert_str_eq(r.body, "Hello, sentinel!",
                         "[%s] out of sync: the next answer was %d \"%s\" after: %s", c->rfc,
                         r.status, cf_show(r.body, r.body_len), shown);
        cr_assert(!closing, "[%s] said Connection: close, then answered another request: %s",
                  c->rfc, shown);
        tc_response_free(&r);
    } else {
        cr_assert_neq(c->conn, CF_KEEP, "[%s] the connection closed (%d) after: %s", c->rfc,
                      st, shown);
    }
    tc_close(&k);
    tc_assert_alive(cf_port);
}

void cf_check(const struct cf_case *c)
{
    cf_check_bytes(c, c->req, c->len ? c->len : strlen(c->req));
}
