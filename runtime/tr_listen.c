/*
 * tr_listen.c - the "[ADDR:]PORT" argument of a generated server, and the
 * address parser tr_serve uses.
 *
 * The parser is the runtime's own rather than libc's inet_pton: in a static
 * musl build inet_pton is ~0.8 KB, this is a third of that, and a firmware
 * that listens on 0.0.0.0 pays for it either way.
 */
#include <string.h>

#include "tr_internal.h"

/* Parses 1 to 65535 with nothing after it; -1 otherwise. */
static long parse_port(const char *p)
{
    long v = 0;
    if (!*p)
        return -1;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
        if (v > 65535)
            return -1;
    }
    return v == 0 ? -1 : v;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Dotted-quad IPv4 up to the NUL: four decimals 0..255, no leading zero
 * (inet_pton's rules: "010" could be read as octal by other parsers). */
static int parse_v4(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, n = 0;
        for (; n < 3 && s[n] >= '0' && s[n] <= '9'; n++)
            v = v * 10 + (unsigned)(s[n] - '0');
        if (n == 0 || (n > 1 && s[0] == '0') || v > 255)
            return -1;
        out[i] = (uint8_t)v;
        s += n;
        if (*s++ != (i < 3 ? '.' : '\0'))
            return -1;
    }
    return 0;
}

/* RFC 4291 §2.2 text forms: eight groups of 1-4 hex digits, one "::" for a
 * run of zero groups, and an IPv4 dotted quad in place of the last two. */
static int parse_v6(const char *s, uint8_t out[16])
{
    uint8_t g[16];
    int n = 0, gap = -1;            /* bytes parsed; where "::" stands */

    if (*s == ':' && *++s != ':')
        return -1;                  /* a leading ':' must be "::" */
    for (;;) {
        if (*s == ':') {            /* the second colon of "::" */
            if (gap >= 0)
                return -1;
            gap = n;
            if (!*++s)
                break;
        }
        unsigned v = 0;
        int k = 0, h;
        for (; k < 4 && (h = hexval((unsigned char)s[k])) >= 0; k++)
            v = v << 4 | (unsigned)h;
        if (k == 0 || n == 16)
            return -1;
        if (s[k] == '.') {
            if (n > 12 || parse_v4(s, g + n) != 0)
                return -1;
            n += 4;
            break;
        }
        g[n++] = (uint8_t)(v >> 8);
        g[n++] = (uint8_t)v;
        s += k;
        if (!*s)
            break;
        if (*s++ != ':')
            return -1;
    }
    /* Without "::" all eight groups; with it, at least one zero group. */
    if (gap < 0 ? n != 16 : n == 16)
        return -1;
    if (gap < 0)
        gap = n;
    memset(out, 0, 16);
    memcpy(out, g, (size_t)gap);
    memcpy(out + 16 - (n - gap), g + gap, (size_t)(n - gap));
    return 0;
}

int tr_addr_parse(const char *s, int v6, void *out)
{
    return v6 ? parse_v6(s, out) : parse_v4(s, out);
}

/*
 * Accepts "8080", ":8080", "127.0.0.1:8080" and "[::1]:8080".  Without an
 * address the server listens on every IPv4 interface.  An IPv6 address
 * must be bracketed: in "::1:8080" the port is ambiguous.
 */
int tr_parse_listen(const char *arg, char *addr, uint16_t *port)
{
    char tmp[46];                   /* INET6_ADDRSTRLEN */
    const char *colon = strrchr(arg, ':');
    const char *a = arg, *end = colon;
    uint8_t bin[16];
    int v6 = 0;
    long p = parse_port(colon ? colon + 1 : arg);
    if (p < 0)
        return -1;
    if (!colon || colon == arg) {
        memcpy(addr, "0.0.0.0", 8);
        *port = (uint16_t)p;
        return 0;
    }
    if (arg[0] == '[') {
        if (end[-1] != ']')
            return -1;
        a = arg + 1;
        end--;
        v6 = 1;
    }
    size_t n = (size_t)(end - a);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, a, n);
    tmp[n] = '\0';
    if (tr_addr_parse(tmp, v6, bin) != 0)
        return -1;
    memcpy(addr, tmp, n + 1);
    *port = (uint16_t)p;
    return 0;
}
