/*
 * client.h - a small HTTP/1.1 test client for the end-to-end tests: start
 * a server binary on a free loopback port, talk to it over raw TCP, parse
 * its answers, stop it.
 *
 * Built with TC_TLS=1 the same API speaks TLS 1.2 (client.c says how).
 *
 * Everything here asserts with Criterion where a failure can only mean a
 * broken test setup (cannot fork, cannot connect); what the server says is
 * returned for the test to judge.  Prefix: tc_ (test client).
 */
#ifndef TC_CLIENT_H
#define TC_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A server started by tc_server_start. */
struct tc_server {
    pid_t pid;          /* the child; 0 once stopped */
    uint16_t port;      /* loopback port it listens on */
};

/* One connection; buf holds bytes read but not yet parsed (pipelining). */
struct tc_conn {
    int fd;             /* the TCP socket; -1 once closed */
    struct tc_tls *tls; /* the TLS engine (client.c built with TC_TLS), else NULL */
    char *buf;          /* malloc'ed */
    size_t len, cap;
};

#define TC_MAX_HEADERS 64

struct tc_header {
    char name[64];
    char value[1024];
};

/* One parsed response. */
struct tc_response {
    char version[16];   /* "HTTP/1.1" */
    int status;
    char reason[128];
    int nheaders;
    struct tc_header headers[TC_MAX_HEADERS];
    char *body;         /* malloc'ed, NUL-terminated (may hold NULs); never NULL after TC_OK */
    size_t body_len;
};

/* tc_read_response and tc_wait_close results. */
enum {
    TC_OK = 0,          /* a whole response was parsed */
    TC_CLOSED = -1,     /* the peer closed (EOF or reset) before a response began */
    TC_TIMEOUT = -2,    /* nothing complete within the time allowed */
    TC_BAD = -3,        /* bytes that are not an HTTP/1.x response, or a truncated one */
    TC_DATA = 1         /* tc_wait_close: bytes arrived instead of a close */
};

/* Default time to wait for an answer, ms. */
#define TC_TIMEOUT_MS 2000

/* Milliseconds on the monotonic clock. */
int64_t tc_now_ms(void);
void tc_sleep_ms(int ms);

/* Starts `bin 127.0.0.1:PORT` on a free port and waits until it accepts. */
void tc_server_start(struct tc_server *s, const char *bin);
/* SIGTERM; asserts the server exits with status 0 within 2 s. */
void tc_server_stop(struct tc_server *s);
/* The same with signal sig (SIGTERM or SIGINT). */
void tc_server_stop_signal(struct tc_server *s, int sig);
/* SIGKILL if still running (a .fini after a failed test). */
void tc_server_kill(struct tc_server *s);

/* Connects to 127.0.0.1:port; asserts success. */
void tc_connect(struct tc_conn *c, uint16_t port);
/* Connects without asserting: 0, or -1 when refused. */
int tc_try_connect(struct tc_conn *c, uint16_t port);
void tc_close(struct tc_conn *c);

/* Sends all n bytes: 0, or -1 when the peer is gone (EPIPE, reset). */
int tc_send(struct tc_conn *c, const void *p, size_t n);
int tc_send_str(struct tc_conn *c, const char *s);
/* Sends p in pieces cut at the ascending offsets at[0..nat), pausing
 * pause_ms between pieces. */
int tc_send_split(struct tc_conn *c, const void *p, size_t n, const size_t *at, size_t nat,
                  int pause_ms);

/* Reads one response within timeout_ms; head_request: it answers HEAD, so
 * it has no body whatever its Content-Length says (RFC 9110 §9.3.2). */
int tc_read_response(struct tc_conn *c, struct tc_response *r, int timeout_ms, int head_request);
void tc_response_free(struct tc_response *r);

/* Bytes as they arrive, up to cap: those within ms, then within 100 ms of
 * the last (what must not come, or a head to look at raw).  Bytes beyond
 * cap stay buffered. */
size_t tc_recv_some(struct tc_conn *c, void *buf, size_t cap, int ms);

/* For curl: its options for the server's connections ("", or the test
 * CA over TLS) and the server's origin ("http://127.0.0.1:PORT", or
 * "https://localhost:PORT"; a static buffer). */
const char *tc_curl_opts(void);
const char *tc_origin(uint16_t port);

/* Waits for the peer to close: TC_CLOSED, TC_DATA (bytes arrived; they
 * stay buffered) or TC_TIMEOUT. */
int tc_wait_close(struct tc_conn *c, int timeout_ms);
/* Reads responses until the peer closes or timeout_ms passes; returns how
 * many were complete, stores up to max of them in r, and sets *closed. */
int tc_read_until_close(struct tc_conn *c, struct tc_response *r, int max, int timeout_ms,
                        int *closed);

/* The first field named name (case-insensitive), or NULL. */
const char *tc_header(const struct tc_response *r, const char *name);
int tc_header_count(const struct tc_response *r, const char *name);
/* Does the comma-separated list in field name hold token (case-insensitive)? */
int tc_header_has_token(const struct tc_response *r, const char *name, const char *token);

/* Connects, sends n bytes, reads one response (asserts one arrives), closes. */
void tc_exchange(uint16_t port, const void *req, size_t n, struct tc_response *r);
void tc_exchange_str(uint16_t port, const char *req, struct tc_response *r);
/* Asserts that a fresh GET / on a new connection gets 200 "Hello, world!". */
void tc_assert_alive(uint16_t port);

#endif /* TC_CLIENT_H */
