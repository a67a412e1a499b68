/*
 * settings.h - the one table of settings.  Each row: the spec's words
 * (`key` or `key sub`), the kind of value, the field of struct settings,
 * the range, the generator's default, the tr_config.h macro (NULL: none)
 * with its default in runtime/tr_defaults.h as C text, and what it means
 * (docs/CONFIG.md's row).  The model's defaults, tr_config.h's lines and
 * the settings rows of docs/CONFIG.md are made from it; unit_settings
 * fails when tr_defaults.h or the doc say otherwise.
 *
 * A default of 0 for buffers and body_buffers means "derived": the resolve
 * phase computes it (resolve.c), as tr_defaults.h's expression does.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include "gen.h"

enum value_kind { V_IDENT, V_LISTEN, V_COUNT, V_SIZE, V_DURATION, V_BOOL, V_PATH, V_WORDS };

/* X(key, sub, kind, field, min, max, default, macro, runtime default, meaning) */
#define SETTINGS(X) \
    X("name", NULL, V_IDENT, name, 0, 0, 0, NULL, NULL, \
      "prefix of the generated C names") \
    X("listen", NULL, V_LISTEN, port, 0, 0, 8080, NULL, NULL, \
      "address and port main() serves on; one line a listener, `tls` or `redirect` after it") \
    X("connections", NULL, V_COUNT, connections, 1, 65536, 64, "TR_CONNECTIONS", "64", \
      "connection pool size (slots, fixed at start-up)") \
    X("buffers", NULL, V_COUNT, buffers, 1, 65536, 0, "TR_BUFFERS", \
      "(TR_CONNECTIONS / 4 >= 8 ? TR_CONNECTIONS / 4 : TR_CONNECTIONS < 8 ? TR_CONNECTIONS : 8)", \
      "input buffers in the shared pool; an idle connection holds none (default: connections / 4, at least 8, at most connections)") \
    X("body_buffers", NULL, V_COUNT, body_buffers, 1, 4096, 0, "TR_BODY_BUFFERS", "(TR_BODY_MAX > 0 ? 2 : 0)", \
      "body buffers of TR_BODY_MAX bytes each (default: 2 if a route reads a body, else 0)") \
    X("limit", "request_line", V_SIZE, request_line_max, 16, 1u << 20, 8192, "TR_REQUEST_LINE_MAX", "8192", \
      "longest request line, bytes; longer: 414") \
    X("limit", "head", V_SIZE, head_max, 32, 1u << 20, 8192, "TR_HEAD_MAX", "8192", \
      "longest head (request line, fields, CRLFs), bytes; longer: 431") \
    X("limit", "headers", V_COUNT, fields_max, 1, 1024, 64, "TR_FIELDS_MAX", "64", \
      "most header fields; more: 431") \
    X("limit", "body", V_SIZE, body_max, 1, 1u << 30, 65536, NULL, NULL, \
      "the body limit of a route that says `body` without a size") \
    X("limit", "subscribers", V_COUNT, sse_subscribers, 1, 65535, 0, "TR_SSE_SUBSCRIBERS", \
      "(TR_BUFFERS / 2 > 0 ? TR_BUFFERS / 2 : 1)", \
      "event-stream subscribers at once, each holding a request buffer; beyond them a subscribe gets 503 with Retry-After, so that buffers remain for other requests (default: buffers / 2, at least 1; over TLS at most half the engines too); only in specs with an `events` route") \
    X("limit", "response", V_SIZE, response_max, 256, 1u << 24, 16384, "TR_OUT_MAX", "16384", \
      "output buffer bytes per busy connection") \
    X("timeout", "head", V_DURATION, head_timeout_ms, 1, 86400000, 10000, "TR_HEAD_TIMEOUT_MS", "10000", \
      "head deadline from the first byte of a request, ms") \
    X("timeout", "body", V_DURATION, body_timeout_ms, 1, 86400000, 30000, "TR_BODY_TIMEOUT_MS", "30000", \
      "body deadline from the end of the head, ms") \
    X("timeout", "idle", V_DURATION, idle_timeout_ms, 1, 86400000, 30000, "TR_IDLE_TIMEOUT_MS", "30000", \
      "keep-alive idle time between requests, ms") \
    X("timeout", "defer", V_DURATION, defer_timeout_ms, 1, 86400000, 30000, "TR_DEFER_TIMEOUT_MS", "30000", \
      "how long a deferred answer (a `defer` route's tr_res_defer) may take before the runtime answers 503 itself, ms; only in specs with a `defer` route") \
    X("timeout", "heartbeat", V_DURATION, sse_heartbeat_ms, 1, 86400000, 15000, "TR_SSE_HEARTBEAT_MS", "15000", \
      "how often an `events` route's subscribers get a `:` comment line, so that proxies and browsers keep the stream open, ms; only in specs with an `events` route") \
    X("min_rate", NULL, V_SIZE, min_rate, 1, 1u << 30, 1024, "TR_MIN_RATE", "1024", \
      "bytes a second a buffer's holder must move while others wait for a buffer (each byte pays for 1000 / rate ms of holding)") \
    X("min_rate_grace", NULL, V_DURATION, min_rate_grace_ms, 1, 86400000, 250, "TR_MIN_RATE_GRACE_MS", "250", \
      "how far behind the minimum rate a holder may fall before it is cut (408) for a waiting connection, ms") \
    X("date", NULL, V_BOOL, date, 0, 1, 0, "TR_DATE", "0", \
      "1: send a Date header") \
    X("main", NULL, V_BOOL, main_fn, 0, 1, 1, NULL, NULL, \
      "write NAME_main.c with a main() (off: the program calls tr_serve itself)") \
    X("json", NULL, V_BOOL, json, 0, 1, 0, NULL, NULL, \
      "on: the JSON writer of tr_json.h for handlers (TR_WITH_JSON, only then in tr_config.h)") \
    X("crypt", NULL, V_BOOL, crypt, 0, 1, 0, NULL, NULL, \
      "on: crypt(3)'s SHA-512 of tr_crypt.h for handlers, to keep a hash, not a password (TR_WITH_CRYPT, only then in tr_config.h)") \
    X("basic_credentials", NULL, V_BOOL, basic_credentials, 0, 1, 0, NULL, NULL, \
      "on: tr_basic_credentials of tr_basic.h for handlers, the user-id and password of `Authorization: Basic` (TR_WITH_BASIC_CREDENTIALS, only then in tr_config.h)") \
    X("loop", NULL, V_BOOL, loop, 0, 1, 0, NULL, NULL, \
      "on: the app's own descriptors and timers in the server's loop, and tr_open/tr_step to drive the server from another loop (TR_WITH_LOOP)") \
    X("init", NULL, V_IDENT, init, 0, 0, 0, NULL, NULL, \
      "`init start`: int NAME_start(void) runs once the listeners are open, before the first accept (non-zero: the server does not start); implies `loop on`") \
    X("tls", "cert", V_PATH, tls_cert, 0, 0, 0, NULL, NULL, \
      "certificate chain PEM file, leaf first (main()'s --cert overrides it)") \
    X("tls", "key", V_PATH, tls_key, 0, 0, 0, NULL, NULL, \
      "private key PEM file, EC P-256 or RSA (main()'s --key overrides it)") \
    X("tls", "connections", V_COUNT, tls_connections, 1, 4096, 4, "TR_TLS_CONNECTIONS", "4", \
      "TLS engines in the pool: the most TLS connections at once (RAM per engine: docs/TLS.md)") \
    X("tls", "record", V_SIZE, tls_record, 512, 16384, 4096, "TR_TLS_RECORD", "4096", \
      "largest TLS record the server sends, bytes: the engine's output buffer") \
    X("tls", "sessions", V_COUNT, tls_sessions, 0, 65536, 16, "TR_TLS_SESSIONS", "16", \
      "TLS sessions kept for resumption, 100 bytes each (0: no resumption)") \
    X("tls", "hsts", V_COUNT, tls_hsts, 0, 1000000000, 0, "TR_TLS_HSTS", "0", \
      "Strict-Transport-Security max-age in seconds on handler answers over TLS (0: none)") \
    X("tls", "handshake", V_DURATION, tls_handshake_ms, 1, 86400000, 10000, "TR_TLS_HANDSHAKE_TIMEOUT_MS", "10000", \
      "TLS handshake deadline from the accept, ms") \
    X("tls", "ciphers", V_WORDS, tls_ciphers, 1, 7, 7, "TR_TLS_CIPHERS", "7", \
      "TLS record ciphers, bits: aes128-gcm 1, aes256-gcm 2, chacha20 4") \
    X("tls", "keys", V_WORDS, tls_keys, 1, 3, 3, "TR_TLS_KEYS", "3", \
      "certificate key types the suites allow, bits: ec 1 (ECDHE-ECDSA), rsa 2 (ECDHE-RSA)")

struct setting_def {
    const char *key, *sub;
    enum value_kind kind;
    size_t field;              /* offsetof(struct settings, ...) */
    uint32_t min, max;
    uint32_t def;              /* the generator's default (0: derived or not a number) */
    const char *macro;         /* tr_config.h's, or NULL */
    const char *runtime_def;   /* its #ifndef default in runtime/tr_defaults.h */
    const char *meaning;
};

extern const struct setting_def settings_table[];
extern const size_t settings_count;

/* The model's defaults for every setting. */
void settings_defaults(struct settings *s);
/* "limit head": a setting's words, for messages and docs. */
const char *setting_title(const struct setting_def *d, char *tmp, size_t n);
/* The value of a numeric setting (V_COUNT, V_SIZE, V_DURATION, V_BOOL). */
uint32_t setting_value(const struct settings *s, const struct setting_def *d);
/* docs/CONFIG.md's row of a setting with a macro. */
void setting_doc_row(const struct setting_def *d, struct buf *b);

/* A size (8K, 1M) or a duration (10s, 500ms) into *out: 0, -1 if it is not
 * one, -2 if it does not fit 64 bits. */
int settings_scale(const struct token *t, int durations, uint64_t *out);

#endif
