/*
 * tr_listen.c - the "[ADDR:]PORT" argument of a generated server.
 */
#include <arpa/inet.h>
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

/*
 * Accepts "8080", ":8080", "127.0.0.1:8080" and "[::1]:8080".  Without an
 * address the server listens on every IPv4 interface.  An IPv6 address
 * must be bracketed: in "::1:8080" the port is ambiguous.
 */
int tr_parse_listen(const char *arg, char *addr, uint16_t *port)
{
    char tmp[INET6_ADDRSTRLEN];
    const char *colon = strrchr(arg, ':');
    const char *a = arg, *end = colon;
    unsigned char bin[sizeof(struct in6_addr)];
    int family = AF_INET;
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
        family = AF_INET6;
    }
    size_t n = (size_t)(end - a);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, a, n);
    tmp[n] = '\0';
    if (inet_pton(family, tmp, bin) != 1)
        return -1;
    memcpy(addr, tmp, n + 1);
    *port = (uint16_t)p;
    return 0;
}
