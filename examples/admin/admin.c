/*
 * admin.c - the handlers of admin.routes: a router's admin API (issue 17,
 * README.md maps the routes to their files).
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

/* `Basic base64(user:password)` (RFC 7617) for admin: 1 when good. */
static int basic_ok(tr_str auth)
{
    char cred[192];
    tr_str user, password;
    if (tr_basic_credentials(auth, cred, sizeof cred, &user, &password) != 0)
        return 0;
    return good_pair(user.ptr, user.len, (char *)(uintptr_t)password.ptr, password.len);
}

/* The /api guard: Basic for admin, or a session (the runtime's table and CSRF check).
 * Basic counts as a login: the login's throttle table answers a client that
 * failed too often 429 before any crypt, and each check is reported to it. */
int admin_auth(tr_res *res, tr_str authorization, tr_str cookie, tr_str sec_fetch_site, uint64_t *auth)
{
    static const tr_str none = { NULL, 0 };
    if (authorization.ptr) {
        uint64_t peer;
        int st = tr_throttle_check(res, &peer);
        if (st)
            return st;
        if (basic_ok(authorization)) {
            tr_throttle_passed(peer);
            return *auth = 1, 0;
        }
        tr_throttle_failed(peer);
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

/* The fields come decoded by the framework (`form=<user>,<password> json`:
 * urlencoded or JSON, by Content-Type), in place in the request buffer,
 * where the password is wiped once checked. */
void admin_login(tr_res *res, const tr_str *user, const tr_str *password, tr_str body, uint64_t throttle)
{
    (void)body;
    if (!user || !password || !good_pair(user->ptr, user->len, (char *)password->ptr, password->len)) {
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
        /* The framework's JSON reader, whatever the Content-Type (curl -d
         * sends JSON as a form): ssid a string, channel an integer. */
        static const char *const names[2] = { "ssid", "channel" };
        static const uint8_t kinds[2] = { TR_JSON_STR, TR_JSON_NUM };
        tr_str v[2];
        char *end;
        if (tr_json_fields((char *)body.ptr, body.len, names, 2, kinds, v) < 0)
            return json_error(res, 400, "not a JSON object of ssid and channel");
        long ch = v[1].ptr ? strtol(v[1].ptr, &end, 10) : 0;
        /* The ssid is kept as a C string: a NUL (JSON's \u0000) would cut it short. */
        if (!v[0].ptr || v[0].len < 1 || v[0].len > 32 || memchr(v[0].ptr, 0, v[0].len))
            return json_error(res, 400, "ssid must be 1 to 32 bytes, none of them NUL");
        if (!v[1].ptr || end != v[1].ptr + v[1].len || ch < 1 || ch > 165)
            return json_error(res, 400, "channel must be a number from 1 to 165");
        memcpy(wifi.ssid, v[0].ptr, v[0].len);
        wifi.ssid[v[0].len] = 0;
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
