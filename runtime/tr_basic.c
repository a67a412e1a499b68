/*
 * tr_basic.c - the built-in Basic guard (RFC 7617): `Authorization: Basic
 * base64(user:password)` checked against a credentials file read once at
 * start-up.  Compiled to nothing unless a route runs the `basic` guard.
 *
 * The file holds `user:HASH` lines (further `:`-fields, as in
 * /etc/shadow, are ignored; blank lines and `#` comments are skipped),
 * HASH being crypt(3)'s SHA-512 form `$6$[rounds=N$]salt$...`, computed
 * by tr_crypt.c (no libcrypt needed): no password is stored on the device
 * in plain text.
 *
 * Constant time, by construction: every entry's name and hash are compared
 * with ct_equal (an OR of XORs over the whole stored length, whatever the
 * input, with no early exit), every request that reaches the check runs
 * exactly one SHA-512 crypt, against a fixed dummy hash when the name is
 * unknown, so neither a wrong name nor a wrong password answers sooner.
 *
 * In a spec with a throttle guard, a client that failed too often waits
 * (429, before any crypt; tr_throttle.c), as after failed logins.  There,
 * too, the last credentials that passed are noted, so that a browser,
 * which sends them again with every request, does not cost a crypt each
 * time: as SHA-512(key, user:password), key 32 random bytes drawn at
 * start-up, never the text.  A request whose credentials give the same
 * 64 bytes (compared whole, an OR of XORs) passes on one SHA-512 of them
 * (two compressions for 111 bytes or less) instead of the crypt's 5000
 * rounds; any other one costs the crypt, as before, and cannot tell from
 * the time whether it was near.  The honest price: who can read the
 * process's memory gets a hash some 5000 times cheaper to guess against
 * than the file's (but could read the next request's plain text too).
 */
#include "tr_internal.h"

#if TR_WITH_BASIC

#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#if TR_THROTTLE_BASIC
#include <sys/random.h>
#endif

/* RFC 7617 allows any length; a name or password longer than this is refused. */
#define USER_MAX 64
#define HASH_MAX 128
#define CRED_MAX 192            /* decoded user:password */

struct cred {
    char user[USER_MAX];
    char hash[HASH_MAX];        /* NUL-terminated */
    uint8_t ulen;
};

static struct cred creds[TR_BASIC_USERS];
static unsigned ncreds;

#if TR_THROTTLE_BASIC
/* The last credentials that passed: SHA-512(key, user:password) and its
 * entry (NULL: none yet, or no key from getrandom). */
static struct {
    uint8_t key[32];
    uint8_t sum[64];
    const struct cred *c;
    uint8_t keyed;
} last;
#endif

/* A $6$ hash of no password anyone knows: crypt() runs on it for unknown names. */
static const char dummy_hash[] =
    "$6$trdummysalt$Zg8c0V6lYPo1n2i0dM1wqZy0dHkLr3m0GZ3f7n6bq1Rk8X3b7dYwF9xJ2o4sX6eQ2v1pC5hT8uA0nW3kE7yI9/";

/* Equal lengths and bytes, in time that depends on n only. */
static int ct_equal(const char *a, const char *b, size_t n)
{
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

/* ---- the credentials file ---- */

static int load_error(const char *path, unsigned line, const char *why)
{
    char num[12], *p = num + sizeof num;
    *--p = '\0';
    do
        *--p = (char)('0' + line % 10);
    while (line /= 10);
    const char *part[] = { "tinyroute: ", path, ":", p, ": ", why, "\n" };
    for (size_t i = 0; i < sizeof part / sizeof *part; i++)
        if (write(2, part[i], strlen(part[i])) < 0)
            break;
    return -1;
}

/* One line (without its LF): a credential, or nothing; 0 or an error text. */
static const char *load_line(char *s, size_t len)
{
    if (len && s[len - 1] == '\r')
        len--;
    if (len == 0 || s[0] == '#')
        return NULL;
    char *colon = memchr(s, ':', len);
    if (!colon || colon == s)
        return "expected user:$6$salt$hash";
    size_t ulen = (size_t)(colon - s);
    char *h = colon + 1, *end = memchr(h, ':', len - ulen - 1);
    size_t hlen = end ? (size_t)(end - h) : len - ulen - 1;
    if (ulen >= USER_MAX)
        return "user name longer than 63 bytes";
    if (hlen < 4 || memcmp(h, "$6$", 3) != 0)
        return "the hash is not crypt(3)'s SHA-512 ($6$...); make one with mkpasswd -m sha-512";
    if (hlen >= HASH_MAX)
        return "hash longer than 127 bytes";
    if (ncreds == TR_BASIC_USERS)
        return "more users than TR_BASIC_USERS";
    struct cred *c = &creds[ncreds++];
    memcpy(c->user, s, ulen);
    c->ulen = (uint8_t)ulen;
    memcpy(c->hash, h, hlen);
    c->hash[hlen] = '\0';
    return NULL;
}

int tr_basic_load(const char *path)
{
    static char text[TR_BASIC_USERS * TR_BASIC_LINE_MAX + 1];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return load_error(path, 0, "cannot open the credentials file");
    size_t n = 0;
    ssize_t r;
    while (n < sizeof text && (r = read(fd, text + n, sizeof text - n)) > 0)
        n += (size_t)r;
    close(fd);
    if (n == sizeof text)
        return load_error(path, 0, "credentials file larger than TR_BASIC_USERS lines of TR_BASIC_LINE_MAX");
    ncreds = 0;
    unsigned line = 1;
    for (char *s = text, *end = text + n; s < end; line++) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = (size_t)((nl ? nl : end) - s);
        if (len >= TR_BASIC_LINE_MAX)
            return load_error(path, line, "line longer than TR_BASIC_LINE_MAX");
        const char *why = load_line(s, len);
        if (why)
            return load_error(path, line, why);
        s += len + 1;
    }
    if (ncreds == 0)
        return load_error(path, 0, "no user in the credentials file");
#if TR_THROTTLE_BASIC
    last.c = NULL;
    last.keyed = getrandom(last.key, sizeof last.key, 0) == (ssize_t)sizeof last.key;
#endif
    return 0;
}

/* ---- the check ---- */

/* RFC 4648 §4 without whitespace; the decoded length, or -1. */
static int base64_decode(const char *in, size_t len, char *out, size_t cap)
{
    uint32_t acc = 0;
    size_t n = 0, bits = 0, pad = 0;

    if (len % 4)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
              : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (c == '=' && i + 2 >= len) {
            pad++;
            v = 0;
        } else if (v < 0 || pad) {
            return -1;
        }
        acc = acc << 6 | (uint32_t)v;
        if ((bits += 6) >= 8) {
            bits -= 8;
            if (n == cap)
                return -1;
            out[n++] = (char)(acc >> bits);
        }
    }
    return (int)(n - pad);
}

/* The entry named user, looked at in every entry, or NULL. */
static const struct cred *find_user(const char *user, size_t len)
{
    const struct cred *found = NULL;
    char padded[USER_MAX] = { 0 };

    if (len >= USER_MAX)
        return NULL;
    memcpy(padded, user, len);
    for (unsigned i = 0; i < ncreds; i++)
        if (ct_equal(padded, creds[i].user, USER_MAX) & (creds[i].ulen == len))
            found = &creds[i];
    return found;
}

static int refuse(tr_res *res, const char *challenge)
{
    tr_res_header(res, "WWW-Authenticate", challenge, strlen(challenge));
    return 401;
}

int tr_basic_guard(tr_res *res, tr_str auth, const char *challenge, tr_str *user)
{
    char cred[CRED_MAX + 1];

#if TR_THROTTLE_BASIC
    /* A client that must wait is answered 429 before any crypt. */
    int st = tr_throttle_check(res, NULL);
    if (st)
        return st;
#endif
    /* RFC 7617 §2: "Basic" (any case) SP token68. */
    if (!auth.ptr || auth.len < 7 || strncasecmp(auth.ptr, "Basic ", 6) != 0)
        return refuse(res, challenge);
    int n = base64_decode(auth.ptr + 6, auth.len - 6, cred, CRED_MAX);
    char *colon = n > 0 ? memchr(cred, ':', (size_t)n) : NULL;
    if (!colon)
        return refuse(res, challenge);
    cred[n] = '\0';
    size_t ulen = (size_t)(colon - cred);
    const struct cred *c;
    int ok;
#if TR_THROTTLE_BASIC
    uint8_t sum[64];
    tr_sha512_keyed(last.key, cred, (size_t)n, sum);
    if (last.c && ct_equal((const char *)sum, (const char *)last.sum, sizeof sum)) {
        c = last.c;
        ok = 1;
    } else
#endif
    {
        c = find_user(cred, ulen);
        const char *stored = c ? c->hash : dummy_hash;
        /* crypt(3) hashes a password up to a NUL, so a password holding one
         * could not have been set: refused (after the same work). */
        char out[HASH_MAX + 32];
        size_t plen = (size_t)(cred + n - colon - 1);
        const char *h = tr_crypt_sha512(colon + 1, plen, stored, out);
        if (strlen(colon + 1) != plen)
            h = NULL;
        size_t slen = strlen(stored);
        ok = h && strlen(h) == slen && ct_equal(h, stored, slen) && c;
#if TR_THROTTLE_BASIC
        if (ok && last.keyed) {
            memcpy(last.sum, sum, sizeof sum);
            last.c = c;
        }
#endif
    }
    if (!ok)
        return refuse(res, challenge);
    if (user) {
        /* The name is handed on in place: the Authorization value in the
         * request buffer is overwritten with it. */
        char *dst = (char *)auth.ptr;
        memcpy(dst, cred, ulen);
        *user = (tr_str){ dst, ulen };
    }
    return 0;
}

#endif
