/*
 * events.c - GET /api/events (an `events` route): server-sent events with
 * a `status` event at once and then every second, the JSON of /api/status:
 * {"uptime": seconds, "load": "1-minute average"}.
 *
 * start_events (the spec's `init`) starts a periodic one-second timer of
 * the server's loop; each tick is one tr_sse_broadcast.  The first event
 * a subscriber gets is sent by the handler itself (tr_sse_send after
 * tr_res_sse), so the page shows the state without waiting.  The runtime
 * keeps the subscribers, the heartbeats, and drops a client that does not
 * read (tr.h, "server-sent events").
 */
#include <fcntl.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "admin_routes.h"

/* Writes the 1-minute load average from /proc/loadavg into out (NUL-ended). */
static void load_avg(char *out, size_t cap)
{
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, out, cap - 1) : 0;
    if (fd >= 0)
        close(fd);
    out[n > 0 ? n : 0] = '\0';
    out[strcspn(out, " \n")] = '\0';
}

/* Writes the status JSON into out; its length. */
static size_t status_json(char *out)
{
    struct sysinfo si;
    char load[32], num[24];
    load_avg(load, sizeof load);
    if (sysinfo(&si) != 0)
        si.uptime = 0;
    int n = 0;
    unsigned long up = (unsigned long)si.uptime;
    do
        num[n++] = (char)('0' + up % 10);
    while ((up /= 10) > 0);
    char *p = out;
    static const char head[] = "{\"uptime\": ";
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    while (n > 0)
        *p++ = num[--n];
    static const char mid[] = ", \"load\": \"";
    memcpy(p, mid, sizeof mid - 1);
    p += sizeof mid - 1;
    size_t l = strlen(load);     /* digits and '.', nothing to escape */
    memcpy(p, load, l);
    p += l;
    memcpy(p, "\"}", 2);
    return (size_t)(p + 2 - out);
}

static void tick(int timer, void *arg)
{
    char json[96];
    (void)timer, (void)arg;
    tr_sse_broadcast("status", NULL, json, status_json(json));
}

int admin_start_events(void)
{
    return tr_loop_timer(1000, 1, tick, NULL) < 0 ? -1 : 0;
}

void admin_events(tr_res *res, uint64_t auth)
{
    char json[96];
    tr_sse h = tr_res_sse(res, NULL, NULL);
    (void)auth;
    if (h.id == 0)
        tr_res_status(res, 503);     /* every subscriber slot taken */
    else
        tr_sse_send(h, "status", NULL, json, status_json(json));
}
