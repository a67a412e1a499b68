/*
 * tr_cookie.h - cookies and sessions as handlers see them (tr_cookie.c,
 * tr_session.c).  NAME_routes.h includes it in specs that run the session
 * guard.
 */
#ifndef TR_COOKIE_H
#define TR_COOKIE_H

#include "tr.h"

/*
 * The value of cookie `name` in a Cookie field (RFC 6265 §5.4; for a
 * repeated name the first wins; DQUOTEs around a value are dropped): 0 and
 * *value a view into the field, or -1 and value->ptr NULL.
 */
int tr_cookie_get(tr_str cookie_field, const char *name, tr_str *value);

/*
 * Adds `Set-Cookie: name=value; Path=/; HttpOnly; SameSite=Strict`, with
 * `; Max-Age=N` when max_age >= 0 (0 deletes the cookie) and `; Secure`
 * when res goes out over a TLS listener (or always, with TR_COOKIE_SECURE).  Returns 0, or -1 (and adds
 * nothing) when the name is not a token or the value holds a byte RFC 6265
 * §4.1.1 forbids (CTLs, blank, DQUOTE, comma, semicolon, backslash, 8-bit).
 */
int tr_res_set_cookie(tr_res *res, const char *name, const char *value, size_t len, int64_t max_age);

/*
 * Starts a session for user (the session guard's data for its handlers)
 * and sets its cookie on res; a full table loses its oldest session.
 * Returns 0, or -1 when no random ID could be drawn.
 */
int tr_session_start(tr_res *res, uint64_t user);

/* Logout: ends the session the Cookie field names, if any, and deletes the cookie. */
void tr_session_end(tr_res *res, tr_str cookie_field);

/*
 * With the session guard's `csrf-token` (TR_SESSION_TOKEN): the session's
 * CSRF token, for a handler to put in a page or a JSON answer.  Writes the
 * 32 lower-case hex digits of the 128-bit token of the live session the
 * Cookie field names (the route declares header=Cookie) to out; returns
 * 0, or -1 when there is none.  tr_session_start also sends it, in the
 * header the spec names (X-CSRF-Token by default).  A POST, PUT, PATCH or
 * DELETE under the guard must bring it back in that header, else 403.
 */
int tr_session_token(tr_str cookie_field, char out[32]);

/* The built-in session guard (generated code calls it): 0 and *user, 401,
 * or 403 (CSRF); the second with `csrf-token`, its header's value in token. */
int tr_session_guard(tr_res *res, unsigned method, tr_str host, tr_str cookie, tr_str origin, tr_str referer,
                     tr_str fetch_site, uint64_t *user);
int tr_session_guard_token(tr_res *res, unsigned method, tr_str host, tr_str cookie, tr_str origin,
                           tr_str referer, tr_str fetch_site, tr_str token, uint64_t *user);

/*
 * Login throttling (the throttle guard hands its routes `uint64_t
 * throttle`, the client's key): a login handler reports each attempt.
 * After the spec's `after=` failures the client gets 429 for 1 s, 2 s, 4 s
 * ... up to `max=`; a success forgets its failures.
 */
void tr_throttle_failed(uint64_t throttle);
void tr_throttle_passed(uint64_t throttle);

/*
 * For a guard of yours that checks a password itself (Basic, say), in a
 * spec with a throttle guard and `basic_credentials on`: the throttle
 * guard for the request whose guards run now.  Returns 0 and sets
 * *throttle (when not NULL) to the client's key, or 429 with Retry-After
 * added to res when the client must wait: return that before any crypt.
 * Then report the check with tr_throttle_failed or tr_throttle_passed.
 * Only in a guard (a handler has the throttle guard's `throttle`).
 */
int tr_throttle_check(tr_res *res, uint64_t *throttle);

#endif /* TR_COOKIE_H */
