/*
 * tr_defaults.h - a default for every tr_config.h macro (docs/CONFIG.md).
 *
 * Included by tr_app.h right after tr_config.h, so the generator's values
 * win, and a build may still override any of them with -D.  The last block
 * holds runtime-only tunables that no spec sets.
 *
 * The defaults of the settings a spec can give are those of the
 * generator's table (gen/settings.h, the runtime default column);
 * unit_settings fails when the two differ.
 */
#ifndef TR_DEFAULTS_H
#define TR_DEFAULTS_H

/* Pools. */
#ifndef TR_CONNECTIONS
#define TR_CONNECTIONS 64
#endif
#ifndef TR_BUFFERS
#define TR_BUFFERS (TR_CONNECTIONS / 4 >= 8 ? TR_CONNECTIONS / 4 : TR_CONNECTIONS < 8 ? TR_CONNECTIONS : 8)
#endif

/* Limits, bytes. */
#ifndef TR_REQUEST_LINE_MAX
#define TR_REQUEST_LINE_MAX 8192
#endif
#ifndef TR_HEAD_MAX
#define TR_HEAD_MAX 8192
#endif
#ifndef TR_FIELDS_MAX
#define TR_FIELDS_MAX 64
#endif
#ifndef TR_OUT_MAX
#define TR_OUT_MAX 16384
#endif
#ifndef TR_BODY_MAX
#define TR_BODY_MAX 0
#endif
#ifndef TR_BODY_BUFFERS
#define TR_BODY_BUFFERS (TR_BODY_MAX > 0 ? 2 : 0)
#endif

/* Timeouts, milliseconds. */
#ifndef TR_HEAD_TIMEOUT_MS
#define TR_HEAD_TIMEOUT_MS 10000
#endif
#ifndef TR_BODY_TIMEOUT_MS
#define TR_BODY_TIMEOUT_MS 30000
#endif
#ifndef TR_IDLE_TIMEOUT_MS
#define TR_IDLE_TIMEOUT_MS 30000
#endif
#ifndef TR_DEFER_TIMEOUT_MS
#define TR_DEFER_TIMEOUT_MS 30000
#endif
#ifndef TR_SSE_HEARTBEAT_MS
#define TR_SSE_HEARTBEAT_MS 15000
#endif
#ifndef TR_SSE_SUBSCRIBERS
#define TR_SSE_SUBSCRIBERS (TR_BUFFERS / 2 > 0 ? TR_BUFFERS / 2 : 1)
#endif

/* The minimum rate: while others wait for a buffer, the holder furthest
 * behind TR_MIN_RATE bytes a second, by TR_MIN_RATE_GRACE_MS or more, is
 * cut (tr_pool.c). */
#ifndef TR_MIN_RATE
#define TR_MIN_RATE 1024
#endif
#ifndef TR_MIN_RATE_GRACE_MS
#define TR_MIN_RATE_GRACE_MS 250
#endif

/* What the generated code needs. */
#ifndef TR_DATE
#define TR_DATE 0
#endif
#ifndef TR_DECLARED_HEADERS
#define TR_DECLARED_HEADERS 0
#endif
#ifndef TR_MAX_PARAMS
#define TR_MAX_PARAMS 0
#endif
#ifndef TR_LISTENERS                /* listen lines in the spec */
#define TR_LISTENERS 1
#endif

/* Feature switches. */
#ifndef TR_WITH_BODY
#define TR_WITH_BODY (TR_BODY_MAX > 0)
#endif
#ifndef TR_WITH_CHUNKED
#define TR_WITH_CHUNKED TR_WITH_BODY
#endif
#ifndef TR_WITH_QUERY
#define TR_WITH_QUERY 0
#endif
#ifndef TR_WITH_STREAM
#define TR_WITH_STREAM 0     /* streamed bodies (tr_stream.c): a `body=SIZE,stream` route */
#endif
#ifndef TR_WITH_MULTIPART
#define TR_WITH_MULTIPART 0  /* the multipart/form-data splitter (tr_multipart.c): `body=SIZE,multipart` */
#endif
#ifndef TR_WITH_INT
#define TR_WITH_INT 0
#endif
#ifndef TR_WITH_ASSETS
#define TR_WITH_ASSETS 0     /* embedded files (tr_asset.c): a spec with a mount */
#endif
#ifndef TR_WITH_OPTIONS
#define TR_WITH_OPTIONS 1
#endif
/* Guards (spec `guard` lines; gen/guards.c): set only by specs that use them. */
#ifndef TR_WITH_GUARD
#define TR_WITH_GUARD 0
#endif
#ifndef TR_GUARD_DATA
#define TR_GUARD_DATA 0
#endif
#ifndef TR_WITH_BASIC
#define TR_WITH_BASIC 0
#endif
/* Cookies and sessions (tr_cookie.c, tr_session.c): the spec's session guard sets them. */
#ifndef TR_WITH_COOKIE
#define TR_WITH_COOKIE 0
#endif
#ifndef TR_WITH_SESSION
#define TR_WITH_SESSION 0
#endif
#ifndef TR_SESSIONS
#define TR_SESSIONS 16
#endif
#ifndef TR_SESSION_IDLE_MS
#define TR_SESSION_IDLE_MS 900000
#endif
#ifndef TR_SESSION_LIFETIME_MS
#define TR_SESSION_LIFETIME_MS 28800000
#endif
#ifndef TR_SESSION_COOKIE
#define TR_SESSION_COOKIE "sid"
#endif
/* The session guard's `csrf-token`: a 128-bit token a session, required
 * in this header on unsafe methods (tr_session.c). */
#ifndef TR_SESSION_TOKEN
#define TR_SESSION_TOKEN 0
#endif
#ifndef TR_SESSION_TOKEN_HEADER
#define TR_SESSION_TOKEN_HEADER "X-CSRF-Token"
#endif
/* The longest Set-Cookie value tr_res_set_cookie builds. */
#ifndef TR_COOKIE_MAX
#define TR_COOKIE_MAX 256
#endif
/* 1: every cookie gets Secure, plain listeners too (TLS connections
 * get it anyway: tr_cookie.c). */
#ifndef TR_COOKIE_SECURE
#define TR_COOKIE_SECURE 0
#endif
/* SHA-512 crypt for handlers (tr_crypt.c, tr_crypt.h): the spec's `crypt on`;
 * the basic guard compiles it too. */
#ifndef TR_WITH_CRYPT
#define TR_WITH_CRYPT 0
#endif
/* The Basic credentials decoder for handlers (tr_basic_credentials.c,
 * tr_basic.h): the spec's `basic_credentials on`, or a `basic check=NAME`
 * guard. */
#ifndef TR_WITH_BASIC_CREDENTIALS
#define TR_WITH_BASIC_CREDENTIALS 0
#endif
/* The JSON writer (tr_json.c): the spec's `json on`. */
#ifndef TR_WITH_JSON
#define TR_WITH_JSON 0
#endif
/* Login throttling (tr_throttle.c): the spec's throttle guard sets them. */
#ifndef TR_WITH_THROTTLE
#define TR_WITH_THROTTLE 0
#endif
#ifndef TR_THROTTLE_CLIENTS
#define TR_THROTTLE_CLIENTS 32
#endif
#ifndef TR_THROTTLE_AFTER
#define TR_THROTTLE_AFTER 5
#endif
#ifndef TR_THROTTLE_MAX_MS
#define TR_THROTTLE_MAX_MS 900000
#endif
/* Basic under the throttle: in a spec with a throttle guard and Basic (a
 * `basic` guard, or `basic_credentials on` for a guard of yours), a client
 * that must wait is answered 429 before any password is checked
 * (tr_throttle_check).  Derived, not a setting. */
#define TR_THROTTLE_BASIC (TR_WITH_THROTTLE && (TR_WITH_BASIC || TR_WITH_BASIC_CREDENTIALS))
/* The Basic guard's credentials file, read at start-up (runtime/tr_basic.c):
 * a firmware build sets its own path with -DTR_BASIC_FILE='"..."'. */
#ifndef TR_BASIC_FILE
#define TR_BASIC_FILE "/etc/tinyroute.passwd"
#endif
/* Users the credentials file may hold, and its longest line. */
#ifndef TR_BASIC_USERS
#define TR_BASIC_USERS 16
#endif
#ifndef TR_BASIC_LINE_MAX
#define TR_BASIC_LINE_MAX 256
#endif
#ifndef TR_WITH_TLS                 /* a TLS listener (tr_tls.c, BearSSL) */
#define TR_WITH_TLS 0
#endif
#ifndef TR_WITH_REDIRECT            /* a plain listener redirects to TLS */
#define TR_WITH_REDIRECT 0
#endif

/* TLS (tr_tls.c): only read when a listener is TLS. */
#ifndef TR_TLS_CONNECTIONS
#define TR_TLS_CONNECTIONS 4
#endif
#ifndef TR_TLS_RECORD
#define TR_TLS_RECORD 4096
#endif
#ifndef TR_TLS_SESSIONS
#define TR_TLS_SESSIONS 16
#endif
#ifndef TR_TLS_HSTS
#define TR_TLS_HSTS 0
#endif
#ifndef TR_TLS_HANDSHAKE_TIMEOUT_MS
#define TR_TLS_HANDSHAKE_TIMEOUT_MS 10000
#endif
#ifndef TR_TLS_CIPHERS
#define TR_TLS_CIPHERS 7
#endif
#ifndef TR_TLS_KEYS
#define TR_TLS_KEYS 3
#endif
#ifndef TR_WITH_JSON_READ
#define TR_WITH_JSON_READ 0    /* json= fields of request bodies (tr_json_read.c) */
#endif
#ifndef TR_WITH_CORS
#define TR_WITH_CORS 0         /* CORS answers for routes under a `cors` prefix (tr_cors.c) */
#endif
#ifndef TR_WITH_ERROR_BODIES
#define TR_WITH_ERROR_BODIES 0 /* bodies for the runtime's own answers: `error` lines */
#endif
#ifndef TR_WITH_LOOP
#define TR_WITH_LOOP 0 /* the app's descriptors and timers in the loop: `loop on`, `init` (tr_loop.c) */
#endif
#ifndef TR_LOOP_FDS                 /* descriptors the app may watch at once */
#define TR_LOOP_FDS 8
#endif
#ifndef TR_LOOP_TIMERS              /* the app's timers at once */
#define TR_LOOP_TIMERS 8
#endif
#ifndef TR_WITH_PULL
#define TR_WITH_PULL 0 /* bodies sent in pieces: a `stream` route (tr_pull.c) */
#endif
#ifndef TR_WITH_SSE
#define TR_WITH_SSE 0 /* server-sent events: an `events` route (tr_sse.c) */
#endif
#ifndef TR_WITH_FILE
#define TR_WITH_FILE 0 /* a file sent with sendfile(2): a `file` route (tr_file.c), with tr_pull.c */
#endif
#ifndef TR_WITH_DEFER
#define TR_WITH_DEFER 0 /* answers that come later: a `defer` route (tr_later.c) */
#endif

/* Runtime-only tunables (not in the spec language). */
#ifndef TR_SEND_TIMEOUT_MS          /* a blocked write, and the lingering close */
#define TR_SEND_TIMEOUT_MS TR_BODY_TIMEOUT_MS
#endif
#ifndef TR_MIN_RATE_CREDIT_MS       /* the minimum rate: how far ahead of the clock */
#define TR_MIN_RATE_CREDIT_MS 500   /* ... a holder's bytes may pay (tr_pool.c); with the grace, under a 1 s head deadline */
#endif
#ifndef TR_EVICT_GRACE_MS           /* a full pool may close a connection silent */
#define TR_EVICT_GRACE_MS 1000      /* ... since its accept this long (tr_server.c) */
#endif
#ifndef TR_STOP_TIMEOUT_MS          /* grace for in-flight requests at SIGTERM */
#define TR_STOP_TIMEOUT_MS 5000
#endif
#ifndef TR_OUT_STATIC               /* static bodies queued in one write batch */
#define TR_OUT_STATIC 4
#endif
#ifndef TR_CHUNK_LINE_MAX           /* bytes of one chunk-size line: size, BWS, extensions */
#define TR_CHUNK_LINE_MAX 256
#endif
#ifndef TR_TRAILER_MAX              /* bytes of trailer section in a chunked body */
#define TR_TRAILER_MAX TR_HEAD_MAX
#endif
#ifndef TR_CHUNK_SLACK              /* input bytes kept free for raw chunked data */
#define TR_CHUNK_SLACK 512
#endif
#ifndef TR_MULTIPART_HEAD_MAX       /* bytes of one part's header section (tr_multipart.c) */
#define TR_MULTIPART_HEAD_MAX 1024
#endif
#ifndef TR_TLS_PEM_MAX              /* bytes of one certificate or key file */
#define TR_TLS_PEM_MAX 16384
#endif
#ifndef TR_TLS_DER_MAX              /* the chain and key, decoded */
#define TR_TLS_DER_MAX 12288
#endif
#ifndef TR_TLS_CHAIN_MAX            /* certificates in the chain */
#define TR_TLS_CHAIN_MAX 4
#endif
#ifndef TR_FD_MARGIN                /* descriptors beyond the pool: listen, epoll... */
#define TR_FD_MARGIN 16
#endif

#endif /* TR_DEFAULTS_H */
