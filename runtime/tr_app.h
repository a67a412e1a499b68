/*
 * tr_app.h - the contract between the runtime and the code tinyroute
 * generates for one spec.
 *
 * The generator writes tr_config.h (limits, pool sizes and TR_WITH_*
 * feature switches, all as macros) and a `struct tr_app` that hands the
 * runtime three functions: the re2c request lexer, the perfect-hashed
 * dispatcher and the typed handler call.  The runtime owns sockets, buffers,
 * framing, timeouts and the response; the generated code owns everything
 * that depends on the routes.
 */
#ifndef TR_APP_H
#define TR_APP_H

#include "tr.h"
#include "tr_config.h"
#include "tr_defaults.h"

/* Request flags set by the lexer. */
enum {
    TR_RQ_CHUNKED = 1u << 0,       /* Transfer-Encoding ends in chunked */
    TR_RQ_CLOSE = 1u << 1,         /* Connection: close */
    TR_RQ_KEEP_ALIVE = 1u << 2,    /* Connection: keep-alive (for 1.0) */
    TR_RQ_CONTINUE = 1u << 3,      /* Expect: 100-continue */
    TR_RQ_HAS_LENGTH = 1u << 4,    /* a valid Content-Length was seen */
    TR_RQ_TE_OTHER = 1u << 5,      /* a coding other than chunked, or none at all */
    TR_RQ_BAD_EXPECT = 1u << 6,    /* an Expect value other than 100-continue */
};

/*
 * What the lexer found in one request head.  Views point into the
 * connection's input buffer and stay valid until the response is queued.
 */
struct tr_request {
    uint8_t method;          /* enum tr_method, or TR_METHOD_COUNT if unknown */
    uint8_t version;         /* 10 or 11 */
    uint16_t flags;          /* TR_RQ_* */
    uint16_t host_count;     /* Host fields seen (RFC 9112 §3.2: exactly one) */
    uint16_t field_count;    /* header fields seen, for the field-count limit */
    uint64_t content_length; /* valid when TR_RQ_HAS_LENGTH */
    char *path;              /* origin-form path, raw; decoded in place by dispatch,
                                which also borrows path[path_len] (the SP or '?'
                                after it) as a sentinel and puts it back */
    size_t path_len;
    tr_str query;            /* after '?', ptr NULL if there is none */
    tr_str host;
#if TR_DECLARED_HEADERS > 0
    tr_str header[TR_DECLARED_HEADERS]; /* declared headers, by index */
#endif
    tr_str body;             /* the whole body, for routes that read one */
#if TR_WITH_STREAM
    tr_upload *upload;       /* a streamed route's upload, for its begin */
#endif
#if TR_WITH_THROTTLE
    uint64_t client;         /* the peer's address as tr_client_key makes it (before guards run) */
#endif
};

/*
 * Incremental lexer state, kept across reads (re2c storable state).  The
 * offsets are into the buffer of one head, which must not move until the
 * head is lexed.  Reset with tr_lex_reset() before the first byte of every
 * request head.
 */
struct tr_lex {
    int state;               /* re2c's yystate; -1 between tokens */
    uint32_t cursor;         /* next byte to lex; the head's length when done */
    uint32_t token;          /* start of the token being lexed */
    uint32_t value;          /* start of the current field value */
    uint32_t limit;          /* the head must end before this; 0: not set yet */
    uint16_t over;           /* status when it does not: 414 or 431 */
    int16_t field;           /* declared header being read, -1 none */
    uint8_t seen;            /* lexer-private flags */
    uint8_t accept;          /* re2c's yyaccept */
};

/* Makes lx and rq ready for a new request head. */
static inline void tr_lex_reset(struct tr_lex *lx, struct tr_request *rq)
{
    static const struct tr_lex lx0 = { .state = -1, .field = -1 };
    static const struct tr_request rq0 = { .method = TR_METHOD_COUNT };

    *lx = lx0;
    *rq = rq0;
}

/* What the lexer returns when it is not an HTTP error status. */
enum {
    TR_LEX_DONE = 0,         /* the head is complete: tr_lex.cursor is its length */
    TR_LEX_MORE = 1          /* every byte so far is valid; read more */
};

/* A decoded path or query parameter. */
union tr_param {
    int64_t i;
    uint64_t u;
    tr_str s;
};

/* The names of tr_methods.h's methods in enum tr_method order, each to its
 * NUL: the lexer's, which looks up a method without a rule of its own in
 * it; Allow is written from it too (tr_response.c). */
extern const char tr_method_names[];

/* What dispatch found. */
struct tr_match {
    uint16_t allow;          /* for 405 and OPTIONS: methods the path has */
#if TR_MAX_PARAMS > 0
    union tr_param param[TR_MAX_PARAMS];
#endif
#if TR_GUARD_DATA > 0
    union tr_param guard[TR_GUARD_DATA]; /* what passing guards hand to the handler */
#endif
#if TR_WITH_CORS
    int near;                /* TR_AUTO_OPTIONS etc.: a route of the path, -1 none (its CORS rule) */
#endif
};

/* Dispatch results below zero. */
enum {
    TR_NOT_FOUND = -1,       /* 404 */
    TR_WRONG_METHOD = -2,    /* 405, allow set */
    TR_BAD_TARGET = -3,      /* 400: bad percent-encoding, NUL, dot segment */
    TR_AUTO_OPTIONS = -4     /* OPTIONS on a path without an OPTIONS route: 204 */
};

/* What the runtime needs to know of one route before calling it. */
struct tr_route {
    uint32_t body_limit;     /* 0: the route reads no body */
#if TR_WITH_STREAM
    uint16_t stream;         /* 0, or 1 + its row in tr_app.streams: a
                                streamed body (invoke calls its begin) */
#endif
};

#if TR_WITH_STREAM
/* A streamed route's other calls (tr.h); invoke calls its begin. */
struct tr_stream {
    int (*data)(tr_upload *up, const char *data, size_t len);
    void (*end)(tr_res *res, tr_upload *up, int how);
    int (*part)(tr_upload *up, const tr_part *part); /* NULL: raw; else a
                                multipart/form-data body is split */
};
#endif

struct tr_app {
    const char *name;
    /* Lexes buf[0..len); returns TR_LEX_DONE, TR_LEX_MORE or a status. */
    int (*lex)(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);
    /* Matches rq's path and method: a route index, or TR_NOT_FOUND etc. */
    int (*dispatch)(struct tr_request *rq, struct tr_match *m);
    /* Decodes the query (if the route has one) and calls the handler.
     * Returns 0: res is the answer, with whatever status (200-599) and
     * fields it was given.  Or returns a status, 200-599, for the
     * runtime to answer with instead (400 when a query parameter does
     * not decode; a guard's 401 or 429): the fields set in res so far
     * go with it (WWW-Authenticate, Retry-After), its body does not.
     * Anything else is answered 500. */
    int (*invoke)(int route, struct tr_request *rq, struct tr_match *m, tr_res *res);
    const struct tr_route *routes;
#if TR_WITH_GUARD
    /* Runs the route's guards after dispatch, before the query, 100-continue
     * and the body: 0 to go on, else the status to answer with (and the
     * headers the guard put in res). */
    int (*guard)(int route, struct tr_request *rq, struct tr_match *m, tr_res *res);
#endif
#if TR_WITH_STREAM
    const struct tr_stream *streams;
#endif
#if TR_WITH_LOOP
    /* The spec's `init` (NULL: none): runs once the listeners and the loop
     * are open, before the first accept; non-zero stops the server. */
    int (*init)(void);
#endif
#if TR_WITH_CORS
    /* allow != 0: answers a CORS preflight for route's path, whose methods
     * allow holds, into res: 1, or 0 when it is none or not allowed (the
     * plain automatic OPTIONS answer then).  allow == 0: adds the CORS
     * fields to an answer of route (tr_cors_answer); returns 0. */
    int (*cors)(int route, struct tr_request *rq, tr_res *res, uint16_t allow);
#endif
};

#if TR_WITH_JSON_READ
#include "tr_json.h"     /* tr_json_fields, for the thunks of json= routes */
#endif

#if TR_WITH_CORS
/*
 * One `cors` line (tr_cors.c).  Lists are ", "-separated, as they go out.
 */
struct tr_cors {
    const char *origins;     /* serialized origins; NULL: any ("*") */
    const char *methods;     /* Access-Control-Allow-Methods; NULL: the path's own */
    uint16_t method_mask;    /* the same as bits (1 << enum tr_method) */
    const char *headers;     /* request headers allowed; NULL: none */
    const char *max_age;     /* Access-Control-Max-Age in seconds; NULL: not sent */
    uint8_t credentials;     /* Access-Control-Allow-Credentials: true */
};
/* A preflight (Origin and Access-Control-Request-Method present) that the
 * rule allows gets its fields in res: 1.  Else 0 and res is untouched. */
int tr_cors_preflight(const struct tr_cors *p, tr_str origin, tr_str method, tr_str headers,
                      uint16_t allow, tr_res *res);
/* An answer to an allowed Origin gets Access-Control-Allow-Origin (and
 * -Credentials); every answer of a rule with listed origins, Vary: Origin. */
void tr_cors_answer(const struct tr_cors *p, tr_str origin, tr_res *res);
#endif

#if TR_WITH_BASIC
/*
 * The built-in Basic guard (tr_basic.c): checks `Authorization: Basic ...`
 * against the credentials file.  Returns 0 (and *user, when not NULL, the
 * user name, a view into the request buffer) or 401 with challenge as
 * WWW-Authenticate.
 */
int tr_basic_guard(tr_res *res, tr_str authorization, const char *challenge, tr_str *user);
/* Reads the credentials file: 0, or -1 with the reason on stderr. */
int tr_basic_load(const char *path);
/* crypt(3)'s $6$ (tr_crypt.c): the hash of key for setting into out (128
 * bytes or more); NULL when setting is not "$6$...". */
char *tr_crypt_sha512(const char *key, size_t klen, const char *setting, char *out);
#if TR_THROTTLE_BASIC
/* SHA-512 of key (32 bytes) then n bytes of data, into out (tr_crypt.c):
 * the Basic guard's note of the last credentials that passed. */
void tr_sha512_keyed(const uint8_t *key, const void *data, size_t n, uint8_t *out);
#endif
#endif

#if TR_WITH_BASIC_CREDENTIALS
/*
 * The `basic check=NAME` guard (tr_basic_credentials.c): decodes
 * `Authorization: Basic ...` in place and calls check with the user-id and
 * password.  Returns 0 when check does (and *user, when not NULL, the user
 * name, a view into the request buffer), else 401 with challenge as
 * WWW-Authenticate.
 */
int tr_basic_check_guard(tr_res *res, tr_str authorization, const char *challenge,
                         int (*check)(tr_res *res, tr_str user, tr_str password), tr_str *user);
#endif

#if TR_WITH_THROTTLE
/* The throttle's key of the peer of socket fd: IPv4, or the IPv6 /64 (tr_throttle.c). */
uint64_t tr_client_key(int fd);
int tr_throttle_guard(tr_res *res, uint64_t client, uint64_t *data);
void tr_throttle_failed(uint64_t client);
void tr_throttle_passed(uint64_t client);
#endif
#if TR_THROTTLE_BASIC
/* The throttle guard for the request whose guards run now (tr_cookie.h):
 * what a Basic check asks before any crypt. */
int tr_throttle_check(tr_res *res, uint64_t *throttle);
#endif
#if TR_WITH_ERROR_BODIES
/* A body of the spec's for one of the runtime's own answers (an `error`
 * line): NAME_routes.c defines the table, by status, a row of status 0
 * last.  The runtime sends it with the status wherever it answers so
 * itself (tr_res_error_body), without it for HEAD. */
struct tr_error_body {
    uint16_t status;
    uint32_t len;
    const char *type;        /* Content-Type, a valid media type */
    const char *body;        /* len bytes */
};
extern const struct tr_error_body tr_error_bodies[];
#endif

/*
 * Serves app on addr:port until SIGINT or SIGTERM; returns 0 after a clean
 * stop, 1 when the listening socket cannot be set up (the reason is written
 * to stderr).  addr is dotted IPv4 or an IPv6 literal without brackets.
 */
int tr_serve(const struct tr_app *app, const char *addr, uint16_t port);

/* What a listening socket speaks (struct tr_listen). */
enum {
    TR_LISTEN_PLAIN = 0,     /* HTTP */
    TR_LISTEN_TLS = 1,       /* HTTPS (TR_WITH_TLS, tr_tls.c) */
    TR_LISTEN_REDIRECT = 2   /* HTTP that answers every request with 308 to
                                the first TLS listener (TR_WITH_REDIRECT) */
};

/* One listening socket of tr_serve_on. */
struct tr_listen {
    char addr[46];           /* dotted IPv4 or IPv6 without brackets */
    uint16_t port;
    uint8_t kind;            /* TR_LISTEN_* */
};

/*
 * Serves app on the n listeners l[] (n <= TR_LISTENERS) until SIGINT or
 * SIGTERM, as tr_serve does.  cert and key name the PEM files of the TLS
 * listeners (a chain, leaf first; an RSA or EC private key), read once
 * before the first listener opens: a file that is missing or holds no
 * usable certificate or key is reported and tr_serve_on returns 1.  Both
 * may be NULL without a TLS listener.  Only in a spec with several
 * listeners or TLS.
 */
#if TR_LISTENERS > 1 || TR_WITH_TLS
int tr_serve_on(const struct tr_app *app, const struct tr_listen *l, int n, const char *cert,
                const char *key);
#endif

#if TR_WITH_LOOP
/*
 * For a program that has a loop of its own (OpenWrt's uloop, libev, glib)
 * and drives the server from it, rather than calling tr_serve:
 *   tr_open   opens the listener and the server's epoll instance and runs
 *             the spec's init; returns that epoll descriptor (readable
 *             whenever the server has work), or -1 (the reason on stderr).
 *             SIGINT and SIGTERM are then read by the server (a signalfd):
 *             they start its graceful stop, as with tr_serve.
 *   tr_step   does what is due without waiting longer than timeout_ms (0:
 *             not at all; -1: until something happens): returns 0 while
 *             serving, 1 once a stop has finished (call tr_close), -1 on
 *             an error of epoll_wait.
 *   tr_timeout  ms until the server's next deadline (-1: none): arm a
 *             timer of the other loop with it and call tr_step(0) then.
 *   tr_close  closes everything tr_open opened.
 * With uloop: uloop_fd_add on the descriptor calling tr_step(0), and a
 * uloop_timeout re-armed with tr_timeout() after each step.
 */
int tr_open(const struct tr_app *app, const char *addr, uint16_t port);
int tr_step(int timeout_ms);
int tr_timeout(void);
void tr_close(void);
#endif

/*
 * Parses "[ADDR:]PORT" as the generated main() accepts it.  Returns 0 and
 * fills addr (at least 46 bytes) and port, or -1.
 */
int tr_parse_listen(const char *arg, char *addr, uint16_t *port);

#endif /* TR_APP_H */
