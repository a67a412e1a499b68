/*
 * tr_throttle.c - login throttling per client address: the built-in
 * `throttle` guard and what handlers and the Basic guard report to it.
 * Compiled to nothing unless a route runs the throttle guard
 * (TR_WITH_THROTTLE).
 *
 * A client is its IPv4 address, or the /64 of its IPv6 one (what one
 * subscriber holds), as one 64-bit key.  After TR_THROTTLE_AFTER failures
 * each further one blocks the client for 1 s, 2 s, 4 s ... up to
 * TR_THROTTLE_MAX_MS, answered 429 with Retry-After; a success forgets it.
 * The table has TR_THROTTLE_CLIENTS entries; a new client in a full table
 * takes the place of the one whose last failure is oldest.
 *
 * Basic counts as a login (TR_THROTTLE_BASIC): the same table and policy.
 * A Basic check first asks tr_throttle_check, so a client that must wait
 * gets 429 without any crypt, and its failure or success is reported as a
 * login's is; the crypt work one client can cause is TR_THROTTLE_AFTER
 * attempts, then one per wait.
 */
#include "tr_internal.h"

#if TR_WITH_THROTTLE

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tr_cookie.h"

struct client {
    uint64_t key;            /* 0: free */
    uint32_t failures;
    int64_t last;            /* monotonic ms of the last failure */
    int64_t until;           /* blocked before this */
};

static struct client table[TR_THROTTLE_CLIENTS];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#if TR_THROTTLE_BASIC
/* The key of the request whose guards run: tr_conn.c (guard_refused) makes
 * it just before they do, and the loop has one thread. */
static uint64_t current;
static uint64_t peer_key(int fd);

uint64_t tr_client_key(int fd)
{
    return current = peer_key(fd);
}

int tr_throttle_check(tr_res *res, uint64_t *throttle)
{
    return tr_throttle_guard(res, current, throttle);
}

static uint64_t peer_key(int fd)
#else
uint64_t tr_client_key(int fd)
#endif
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    uint64_t k = 0;

    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
        return 1;                                   /* unknown: one shared key */
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        return UINT64_C(0xffff) << 32 | ntohl(a->sin_addr.s_addr);
    }
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (memcmp(a->sin6_addr.s6_addr, mapped, 12) == 0) {  /* ::ffff:a.b.c.d is IPv4 */
        for (int i = 12; i < 16; i++)
            k = k << 8 | a->sin6_addr.s6_addr[i];
        return UINT64_C(0xffff) << 32 | k;
    }
    for (int i = 0; i < 8; i++)
        k = k << 8 | a->sin6_addr.s6_addr[i];
    return k ? k : 1;
}

static struct client *find(uint64_t key)
{
    for (unsigned i = 0; i < TR_THROTTLE_CLIENTS; i++)
        if (table[i].key == key)
            return &table[i];
    return NULL;
}

int tr_throttle_guard(tr_res *res, uint64_t client, uint64_t *data)
{
    const struct client *c = find(client);
    int64_t now = now_ms();

    if (data)
        *data = client;
    if (!c || now >= c->until)
        return 0;
    /* RFC 6585 §4: 429, and RFC 9110 §10.2.3 Retry-After in whole seconds. */
    char num[12], *p = num + sizeof num;
    uint64_t s = (uint64_t)(c->until - now + 999) / 1000;
    do
        *--p = (char)('0' + s % 10);
    while (s /= 10);
    tr_res_header(res, "Retry-After", p, (size_t)(num + sizeof num - p));
    return 429;
}

void tr_throttle_failed(uint64_t client)
{
    struct client *c = find(client);
    int64_t now = now_ms();

#if TR_THROTTLE_BASIC
    /* A Basic check answered 429 while the client waits: no attempt was
     * made (the generated guard reports each Basic refusal as a failure). */
    if (c && now < c->until)
        return;
#endif
    if (!c) {
        c = &table[0];
        for (unsigned i = 0; i < TR_THROTTLE_CLIENTS && c->key; i++)
            if (!table[i].key || table[i].last < c->last)
                c = &table[i];
        *c = (struct client){ client, 0, now, now };
    }
    c->failures++;
    c->last = now;
    if (c->failures > TR_THROTTLE_AFTER) {
        uint32_t doublings = c->failures - TR_THROTTLE_AFTER - 1;
        int64_t wait = doublings >= 31 ? TR_THROTTLE_MAX_MS : (int64_t)1000 << doublings;
        c->until = now + (wait < TR_THROTTLE_MAX_MS ? wait : TR_THROTTLE_MAX_MS);
    }
}

void tr_throttle_passed(uint64_t client)
{
    struct client *c = find(client);
    if (c)
        memset(c, 0, sizeof *c);
}

#endif
