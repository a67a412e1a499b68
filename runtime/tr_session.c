/*
 * tr_session.c - sessions and the built-in `session` guard, with CSRF
 * defence.  Compiled to nothing unless a route runs the session guard
 * (TR_WITH_SESSION).
 *
 * A fixed table of TR_SESSIONS entries, in bss: no allocation ever.  An ID
 * is 128 bits from getrandom(2), sent as 32 hex digits in the cookie
 * TR_SESSION_COOKIE; a session ends when idle for TR_SESSION_IDLE_MS, when
 * TR_SESSION_LIFETIME_MS have passed since it began (whatever its use), or
 * at logout.  A new session in a full table takes the place of the oldest.
 * Lookups compare the ID with every entry in constant time.
 *
 * With TR_SESSION_TOKEN (the guard's `csrf-token`) each session has a
 * second 128-bit random value, its CSRF token: sent by tr_session_start
 * in TR_SESSION_TOKEN_HEADER, given to handlers by tr_session_token, and
 * required in that header on every method but GET, HEAD and OPTIONS.  It
 * is compared over all 16 bytes, OR-ing their differences, whatever they
 * hold: constant time.
 */
#include "tr_internal.h"

#if TR_WITH_SESSION

#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "tr_cookie.h"

#define ID_BYTES 16

struct session {
    uint8_t id[ID_BYTES];
#if TR_SESSION_TOKEN
    uint8_t token[ID_BYTES]; /* the CSRF token */
#endif
    uint64_t user;           /* what the login handed in; the guard's data */
    int64_t begun, used;     /* monotonic ms */
    uint8_t live;
};

static struct session table[TR_SESSIONS];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int expired(const struct session *s, int64_t now)
{
    return !s->live || now - s->used >= TR_SESSION_IDLE_MS || now - s->begun >= TR_SESSION_LIFETIME_MS;
}

/* 32 hex digits to 16 bytes: 0, or -1. */
static int parse_id(tr_str v, uint8_t *id)
{
    if (v.len != 2 * ID_BYTES)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        id[i / 2] = (uint8_t)(i % 2 ? id[i / 2] | d : d << 4);
    }
    return 0;
}

/* The live session whose ID the Cookie field holds, or NULL; every entry
 * is compared, each over all 16 bytes. */
static struct session *find(tr_str cookie_field, int64_t now)
{
    tr_str v;
    uint8_t id[ID_BYTES];
    struct session *found = NULL;

    if (tr_cookie_get(cookie_field, TR_SESSION_COOKIE, &v) < 0 || parse_id(v, id) < 0)
        return NULL;
    for (unsigned i = 0; i < TR_SESSIONS; i++) {
        uint8_t d = 0;
        for (unsigned k = 0; k < ID_BYTES; k++)
            d |= (uint8_t)(table[i].id[k] ^ id[k]);
        if (d == 0 && table[i].live)
            found = &table[i];
    }
    return found && !expired(found, now) ? found : NULL;
}

/* 16 bytes as 32 lower-case hex digits. */
static void to_hex(const uint8_t *id, char *v)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned k = 0; k < ID_BYTES; k++) {
        v[2 * k] = hex[id[k] >> 4];
        v[2 * k + 1] = hex[id[k] & 15];
    }
}

static int set_cookie(tr_res *res, const uint8_t *id, int64_t max_age)
{
    char v[2 * ID_BYTES];
    to_hex(id, v);
    return tr_res_set_cookie(res, TR_SESSION_COOKIE, v, sizeof v, max_age);
}

int tr_session_start(tr_res *res, uint64_t user)
{
    int64_t now = now_ms();
    struct session *s = NULL;

    for (unsigned i = 0; i < TR_SESSIONS && !s; i++)
        if (expired(&table[i], now))
            s = &table[i];
    if (!s) {                   /* full: the oldest goes */
        s = &table[0];
        for (unsigned i = 1; i < TR_SESSIONS; i++)
            if (table[i].begun < s->begun)
                s = &table[i];
    }
    if (getrandom(s->id, ID_BYTES, 0) != ID_BYTES) {
        s->live = 0;
        return -1;
    }
#if TR_SESSION_TOKEN
    char t[2 * ID_BYTES];
    if (getrandom(s->token, ID_BYTES, 0) != ID_BYTES) {
        s->live = 0;
        return -1;
    }
    to_hex(s->token, t);
    tr_res_header(res, TR_SESSION_TOKEN_HEADER, t, sizeof t);
#endif
    s->user = user;
    s->begun = s->used = now;
    s->live = 1;
    return set_cookie(res, s->id, TR_SESSION_LIFETIME_MS / 1000);
}

#if TR_SESSION_TOKEN
int tr_session_token(tr_str cookie_field, char out[32])
{
    struct session *s = find(cookie_field, now_ms());
    if (!s)
        return -1;
    to_hex(s->token, out);
    return 0;
}

/* Does the token header hold s's token?  Every byte is compared. */
static int token_ok(const struct session *s, tr_str token)
{
    uint8_t t[ID_BYTES], d = 0;
    if (!token.ptr || parse_id(token, t) < 0)
        return 0;
    for (unsigned k = 0; k < ID_BYTES; k++)
        d |= (uint8_t)(s->token[k] ^ t[k]);
    return d == 0;
}
#endif

void tr_session_end(tr_res *res, tr_str cookie_field)
{
    struct session *s = find(cookie_field, now_ms());
    if (s)
        memset(s, 0, sizeof *s);
    /* Max-Age=0: the browser drops the cookie (RFC 6265 §5.2.2). */
    tr_res_set_cookie(res, TR_SESSION_COOKIE, "", 0, 0);
}

/* The authority in "scheme://authority[/...]", or ptr NULL. */
static tr_str authority(tr_str url)
{
    const char *p = url.ptr, *end = p + url.len;
    const char *s = p ? memchr(p, ':', url.len) : NULL;
    if (!s || end - s < 3 || s[1] != '/' || s[2] != '/')
        return (tr_str){ NULL, 0 };
    s += 3;
    const char *e = memchr(s, '/', (size_t)(end - s));
    return (tr_str){ s, (size_t)((e ? e : end) - s) };
}

static int same_text(tr_str a, tr_str b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
        if ((x | 0x20) != (y | 0x20) || ((x ^ y) & ~0x20))
            return 0;
    }
    return 1;
}

/*
 * CSRF: a state-changing request that a browser sent from another origin.
 * Origin (RFC 6454 §7), or Referer when there is none, must name the
 * request's own Host; Sec-Fetch-Site (Fetch Metadata) must not say
 * cross-site.  A request with none of them is not a browser's: it passes.
 */
static int cross_site(unsigned method, tr_str host, tr_str origin, tr_str referer, tr_str fetch_site)
{
    if (method == TR_GET || method == TR_HEAD || method == TR_OPTIONS)
        return 0;
    if (fetch_site.ptr && fetch_site.len == 10 && memcmp(fetch_site.ptr, "cross-site", 10) == 0)
        return 1;
    tr_str from = origin.ptr ? origin : referer;
    if (!from.ptr)
        return 0;
    tr_str a = authority(from);
    return !a.ptr || !same_text(a, host);
}

/* One guard, under the name generated code calls: with `csrf-token` it
 * takes the token header's value too. */
#if TR_SESSION_TOKEN
int tr_session_guard_token(tr_res *res, unsigned method, tr_str host, tr_str cookie, tr_str origin,
                           tr_str referer, tr_str fetch_site, tr_str token, uint64_t *user)
#else
int tr_session_guard(tr_res *res, unsigned method, tr_str host, tr_str cookie, tr_str origin, tr_str referer,
                     tr_str fetch_site, uint64_t *user)
#endif
{
    int64_t now = now_ms();
    struct session *s = find(cookie, now);

    if (!s) {
        /* RFC 9110 §11.6.1: a 401 carries a challenge; this one names the cookie. */
        tr_res_header(res, "WWW-Authenticate", "Cookie name=\"" TR_SESSION_COOKIE "\"",
                      sizeof "Cookie name=\"" TR_SESSION_COOKIE "\"" - 1);
        return 401;
    }
    if (cross_site(method, host, origin, referer, fetch_site))
        return 403;
#if TR_SESSION_TOKEN
    /* The token on top: a request another site forged carries no token,
     * as it cannot read the pages or answers that hold it. */
    if (method != TR_GET && method != TR_HEAD && method != TR_OPTIONS && !token_ok(s, token))
        return 403;
#endif
    s->used = now;
    if (user)
        *user = s->user;
    return 0;
}

#endif
