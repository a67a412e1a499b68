/*
 * tr_basic_credentials.c - the decoder of `Authorization: Basic ...` (RFC
 * 7617) for handlers and the `basic check=NAME` guard, which hands the
 * credentials to a check of the app's.  Compiled to nothing unless the
 * spec says `basic_credentials on` or runs such a guard; the credentials
 * file's guard (tr_basic.c) has its own decoder, so specs that use only
 * that build as they did.
 */
#include "tr_internal.h"

#if TR_WITH_BASIC_CREDENTIALS

#include <string.h>
#include <strings.h>

#include "tr_basic.h"

/* RFC 4648 §4's alphabet: a character's six bits, or -1. */
static int b64_value(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
         : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Strict base64 of in into out (which may be in - k for any k >= 0, as
 * four characters are read before their three bytes are written): the
 * decoded length, or -1. */
static long b64_decode(const char *in, size_t len, char *out, size_t cap)
{
    size_t n = 0;

    /* RFC 4648 §3.2: padded to a multiple of four; §3.3: no other character. */
    if (len == 0 || len % 4)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        size_t pad = 0;
        for (int k = 0; k < 4; k++) {
            v[k] = b64_value((unsigned char)in[i + k]);
            if (in[i + k] == '=' && i + 4 == len && k >= 2 && (k == 3 || in[i + 3] == '=')) {
                pad++;
                v[k] = 0;
            } else if (v[k] < 0 || pad) {
                return -1;
            }
        }
        /* RFC 4648 §3.5: the bits the padding leaves unused are zero. */
        if ((pad == 1 && (v[2] & 3)) || (pad == 2 && (v[1] & 15)))
            return -1;
        uint32_t acc = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if (cap - n < 3 - pad)
            return -1;
        out[n++] = (char)(acc >> 16);
        if (pad < 2)
            out[n++] = (char)(acc >> 8);
        if (pad < 1)
            out[n++] = (char)acc;
    }
    return (long)n;
}

int tr_basic_credentials(tr_str auth, char *buf, size_t cap, tr_str *user, tr_str *password)
{
    *user = *password = (tr_str){ NULL, 0 };
    /* RFC 7617 §2: "Basic" (RFC 9110 §11.1: any case) SP token68. */
    if (!auth.ptr || auth.len < 6 || strncasecmp(auth.ptr, "Basic ", 6) != 0)
        return -1;
    long n = b64_decode(auth.ptr + 6, auth.len - 6, buf, cap);
    if (n < 0)
        return -1;
    char *colon = memchr(buf, ':', (size_t)n);
    if (!colon)
        return -1;
    /* RFC 7617 §2: neither the user-id nor the password holds a CTL. */
    for (long i = 0; i < n; i++)
        if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
            return -1;
    *user = (tr_str){ buf, (size_t)(colon - buf) };
    *password = (tr_str){ colon + 1, (size_t)(buf + n - colon - 1) };
    return 0;
}

int tr_basic_check_guard(tr_res *res, tr_str auth, const char *challenge,
                         int (*check)(tr_res *res, tr_str user, tr_str password), tr_str *user)
{
    tr_str u, p;

#if TR_THROTTLE_BASIC
    /* A client that must wait is answered 429 before the check runs. */
    int st = tr_throttle_check(res, NULL);
    if (st)
        return st;
#endif
    /* Decoded in place, over the Authorization value in the request
     * buffer, so the user name handed on stays valid for the handler. */
    if (tr_basic_credentials(auth, (char *)auth.ptr, auth.len, &u, &p) < 0 || check(res, u, p) != 0) {
        tr_res_header(res, "WWW-Authenticate", challenge, strlen(challenge));
        return 401;
    }
    if (user)
        *user = u;
    return 0;
}

#endif
