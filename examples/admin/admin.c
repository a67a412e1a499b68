/*
 * admin.c - the handlers of admin.routes: a router's admin API (issue 17,
 * first cut; README.md says what is not there yet).
 *
 * ADMIN_PASSWORD is user admin's password (none: every login fails, said
 * at start-up), kept only as its SHA-512 crypt; ADMIN_DIR (default
 * /tmp/admin) holds log.txt.  The Wi-Fi settings and the client table
 * live in memory.
 */
#define _DEFAULT_SOURCE /* explicit_bzero, strncasecmp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/sysinfo.h>

#include "admin_routes.h"

#define ADMIN_USER "admin"

static char hash[128]; /* "$6$salt$hash" of ADMIN_PASSWORD; "" when unset: every login fails */

static struct { char ssid[33]; int64_t channel; } wifi = { "tinyroute", 6 };

static struct client { char mac[18]; const char *name; int present; } clients[] = {
    { "02:00:00:00:00:01", "laptop", 1 }, { "02:00:00:00:00:02", "phone", 1 },
    { "02:00:00:00:00:03", "printer", 1 }, { "02:00:00:00:00:04", "camera", 1 },
    { "02:00:00:00:00:0a", "tv", 1 },
};

/* The password becomes a salted SHA-512 crypt at start-up, and its plain
 * text is wiped where the kernel put it (so /proc/PID/environ no longer
 * shows it) and dropped from the environment: no plain text stays. */
__attribute__((constructor)) static void admin_init(void)
{
    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char setting[3 + 16 + 1] = "$6$";
    unsigned char r[16];
    char *pw = getenv("ADMIN_PASSWORD");
    if (!pw || !*pw) {
        fputs("admin: ADMIN_PASSWORD is not set: every login will fail\n", stderr);
        return;
    }
    if (getrandom(r, sizeof r, 0) != sizeof r) {
        fputs("admin: getrandom failed: no salt for the password, every login will fail\n", stderr);
    } else {
        for (size_t i = 0; i < sizeof r; i++)
            setting[3 + i] = b64[r[i] & 63];
        if (!tr_crypt_sha512(pw, strlen(pw), setting, hash))
            hash[0] = 0;
    }
    explicit_bzero(pw, strlen(pw));
    unsetenv("ADMIN_PASSWORD");
}

/* 1 when a (len bytes) equals the NUL-terminated b; time depends on len and strlen(b) only. */
static int ct_equal(const char *a, size_t len, const char *b)
{
    size_t blen = strlen(b);
    unsigned diff = len != blen;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)a[i] ^ (unsigned char)b[i < blen ? i : 0];
    return diff == 0;
}

/* The attempt is hashed with the stored salt and the two crypt strings
 * compared whole, in constant time: the time depends on the attempt's
 * length, not on how much of it is right.  The copy is wiped. */
static int good_pair(const char *user, size_t ulen, char *pw, size_t plen)
{
    char out[128];
    int u = ct_equal(user, ulen, ADMIN_USER);
    int p = hash[0] && tr_crypt_sha512(pw, plen, hash, out) && ct_equal(out, strlen(out), hash);
    explicit_bzero(pw, plen);
    return u & p;
}

static int b64(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* `Basic base64(user:password)` (RFC 7617) for admin: 1 when good. */
static int basic_ok(tr_str auth)
{
    char out[192];
    size_t n = 0, bits = 0, acc = 0;
    if (auth.len < 6 || auth.len > 6 + 4 * sizeof out / 3 || strncasecmp(auth.ptr, "Basic ", 6) != 0)
        return 0;
    for (size_t i = 6; i < auth.len && auth.ptr[i] != '='; i++) {
        int v = b64((unsigned char)auth.ptr[i]);
        if (v < 0)
            return 0;
        acc = acc << 6 | (size_t)v;
        if ((bits += 6) >= 8)
            out[n++] = (char)(acc >> (bits -= 8));
    }
    char *colon = memchr(out, ':', n);
    return colon && good_pair(out, (size_t)(colon - out), colon + 1, n - (size_t)(colon - out) - 1);
}

/* The /api guard: Basic for admin, or a session (the runtime's table and CSRF check). */
int admin_auth(tr_res *res, tr_str authorization, tr_str cookie, tr_str sec_fetch_site, uint64_t *auth)
{
    static const tr_str none = { NULL, 0 };
    if (authorization.ptr) {
        if (basic_ok(authorization))
            return *auth = 1, 0;
        tr_res_header(res, "WWW-Authenticate", "Basic realm=\"admin\"", 19);
        return 401;
    }
    /* No Host for a user guard: CSRF rests on Sec-Fetch-Site and SameSite=Strict. */
    return tr_session_guard(res, TR_POST, none, cookie, none, none, sec_fetch_site, auth);
}

static void json_error(tr_res *res, int status, const char *msg)
{
    struct tr_json j;
    tr_res_status(res, status);
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, "error", 5);
    tr_json_str(&j, msg, strlen(msg));
    tr_json_end(&j);
    tr_json_finish(&j);
}

/* The string value of "key" in a flat JSON object (no escapes taken), or NULL. */
static const char *json_field(tr_str body, const char *key, size_t *len)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 2 < body.len; i++) {
        if (body.ptr[i] != '"' || memcmp(body.ptr + i + 1, key, klen) != 0 || body.ptr[i + klen + 1] != '"')
            continue;
        const char *p = body.ptr + i + klen + 2, *end = body.ptr + body.len;
        while (p < end && (*p == ' ' || *p == ':'))
            p++;
        if (p < end && *p == '"') {
            const char *v = p + 1, *q = memchr(v, '"', (size_t)(end - v));
            if (!q || memchr(v, '\\', (size_t)(q - v)))
                return NULL;
            *len = (size_t)(q - v);
            return v;
        }
        const char *q = p;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        *len = (size_t)(q - p);
        return q > p ? p : NULL;
    }
    return NULL;
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The percent-decoded value of field `key` in an urlencoded body into out, or -1. */
static int form_field(tr_str body, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i < body.len; i++) {
        if ((i && body.ptr[i - 1] != '&') || body.len - i <= klen || memcmp(body.ptr + i, key, klen) || body.ptr[i + klen] != '=')
            continue;
        size_t n = 0;
        for (i += klen + 1; i < body.len && body.ptr[i] != '&' && n < cap; i++) {
            int hi = i + 2 < body.len ? hex(body.ptr[i + 1]) : -1, lo = hi < 0 ? -1 : hex(body.ptr[i + 2]);
            if (body.ptr[i] == '%' && lo >= 0)
                out[n++] = (char)(hi << 4 | lo), i += 2;
            else
                out[n++] = body.ptr[i] == '+' ? ' ' : body.ptr[i];
        }
        return (int)n;
    }
    return -1;
}

/* Field key of a JSON or urlencoded body, copied into out: its length, or -1. */
static int body_field(int json, tr_str body, const char *key, char *out, size_t cap)
{
    size_t len;
    const char *v = json ? json_field(body, key, &len) : NULL;
    if (!json)
        return form_field(body, key, out, cap);
    if (!v || len > cap)
        return -1;
    memcpy(out, v, len);
    return (int)len;
}

void admin_login(tr_res *res, tr_str content_type, tr_str body, uint64_t throttle)
{
    char user[64], pw[256];
    int json = content_type.len >= 16 && strncasecmp(content_type.ptr, "application/json", 16) == 0;
    int ulen = body_field(json, body, "user", user, sizeof user);
    int plen = body_field(json, body, "password", pw, sizeof pw);
    if (ulen < 0 || plen < 0 || !good_pair(user, (size_t)ulen, pw, (size_t)plen)) {
        explicit_bzero(pw, sizeof pw);
        tr_throttle_failed(throttle);
        json_error(res, 401, hash[0] ? "bad user or password" : "no ADMIN_PASSWORD set on the server");
        return;
    }
    tr_throttle_passed(throttle);
    if (tr_session_start(res, 1) != 0)
        return json_error(res, 500, "no session");
    struct tr_json j;
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, "user", 4);
    tr_json_str(&j, ADMIN_USER, sizeof ADMIN_USER - 1);
    tr_json_end(&j);
    tr_json_finish(&j);
}

void admin_logout(tr_res *res, tr_str cookie)
{
    tr_session_end(res, cookie);
    tr_res_status(res, 204);
}

void admin_status(tr_res *res, uint64_t auth)
{
    struct sysinfo si;
    char load[64] = "";
    int fd = open("/proc/loadavg", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, load, sizeof load - 1) : 0;
    (void)auth;
    if (fd >= 0)
        close(fd);
    load[n > 0 ? n : 0] = 0;
    load[strcspn(load, " ")] = 0; /* the 1-minute average */
    sysinfo(&si);
    struct tr_json j;
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, "uptime", 6);
    tr_json_int(&j, (int64_t)si.uptime);
    tr_json_key(&j, "load", 4);
    tr_json_str(&j, load, strlen(load));
    tr_json_key(&j, "procs", 5);
    tr_json_int(&j, si.procs);
    tr_json_end(&j);
    tr_json_finish(&j);
}

void admin_wifi(tr_res *res, enum tr_method method, tr_str body, uint64_t auth)
{
    (void)auth;
    if (method == TR_PUT) {
        size_t slen, clen;
        const char *s = json_field(body, "ssid", &slen), *c = json_field(body, "channel", &clen);
        int64_t ch = 0;
        for (size_t i = 0; c && i < clen && i < 4; i++)
            ch = ch * 10 + (c[i] - '0');
        if (!s || s[-1] != '"' || slen < 1 || slen > 32)
            return json_error(res, 400, "ssid must be 1 to 32 bytes");
        if (!c || c[-1] == '"' || clen > 3 || ch < 1 || ch > 165)
            return json_error(res, 400, "channel must be a number from 1 to 165");
        memcpy(wifi.ssid, s, slen);
        wifi.ssid[slen] = 0;
        wifi.channel = ch;
    }
    struct tr_json j;
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, "ssid", 4);
    tr_json_str(&j, wifi.ssid, strlen(wifi.ssid));
    tr_json_key(&j, "channel", 7);
    tr_json_int(&j, wifi.channel);
    tr_json_end(&j);
    tr_json_finish(&j);
}

void admin_clients(tr_res *res, const uint64_t *limit, uint64_t auth)
{
    struct tr_json j;
    uint64_t left = limit ? *limit : UINT64_MAX;
    (void)auth;
    tr_json_begin(&j, res);
    tr_json_array(&j);
    for (size_t i = 0; i < sizeof clients / sizeof clients[0] && left; i++) {
        if (!clients[i].present)
            continue;
        left--;
        tr_json_object(&j);
        tr_json_key(&j, "mac", 3);
        tr_json_str(&j, clients[i].mac, 17);
        tr_json_key(&j, "name", 4);
        tr_json_str(&j, clients[i].name, strlen(clients[i].name));
        tr_json_end(&j);
    }
    tr_json_end(&j);
    tr_json_finish(&j);
}

void admin_kick(tr_res *res, tr_str mac, uint64_t auth)
{
    (void)auth;
    for (size_t i = 0; i < 17; i++) {
        int hex = i < mac.len && strchr("0123456789abcdefABCDEF", mac.ptr[i]) && mac.ptr[i];
        if (mac.len != 17 || (i % 3 == 2 ? mac.ptr[i] != ':' : !hex))
            return json_error(res, 400, "not a MAC address");
    }
    for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++)
        if (clients[i].present && strncasecmp(clients[i].mac, mac.ptr, 17) == 0) {
            clients[i].present = 0;
            tr_res_status(res, 204);
            return;
        }
    json_error(res, 404, "no such client");
}
