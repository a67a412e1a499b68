/*
 * events.c - GET /api/events: a text/event-stream (server-sent events,
 * HTML's "Server-sent events") with a `status` event every second, the
 * JSON of /api/status: {"uptime": seconds, "load": "1-minute average"}.
 *
 * start_events (the spec's `init`) starts a periodic one-second timer of
 * the server's loop.  Each tick formats the event once into `event`, for
 * every subscriber, and resumes their streams; a subscriber's fill copies
 * the event it has not sent yet, or pauses.  A subscriber that does not
 * read misses events, never piles them up: memory is the output buffer.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "admin_routes.h"

#define SUBSCRIBERS 16

struct sub {
    tr_later h;              /* the stream's handle; id 0: slot free */
    uint32_t seen;           /* the last event sequence it was sent */
};

static struct sub subs[SUBSCRIBERS];
static char event[192];      /* "event: status\ndata: {...}\n\n" */
static size_t event_len;
static uint32_t seq;         /* of `event`; 0: none yet */

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

/* Formats the status event once for all subscribers. */
static void format_event(void)
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
    char *p = event;
    static const char head[] = "event: status\ndata: {\"uptime\": ";
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
    memcpy(p, "\"}\n\n", 4);
    p += 4;
    event_len = (size_t)(p - event);
    seq++;
}

static void tick(int timer, void *arg)
{
    (void)timer, (void)arg;
    format_event();
    for (int i = 0; i < SUBSCRIBERS; i++)
        if (subs[i].h.id != 0)
            tr_stream_resume(subs[i].h);
}

int admin_start_events(void)
{
    format_event();
    return tr_loop_timer(1000, 1, tick, NULL) < 0 ? -1 : 0;
}

static long fill(void *arg, char *buf, size_t cap)
{
    struct sub *s = arg;
    if (s->seen == seq || event_len > cap)
        return TR_STREAM_PAUSE;  /* until the next tick */
    memcpy(buf, event, event_len);
    s->seen = seq;
    return (long)event_len;
}

static void done(void *arg, int complete)
{
    struct sub *s = arg;
    (void)complete;
    s->h.id = 0;
}

void admin_events(tr_res *res, uint64_t auth)
{
    (void)auth;
    struct sub *s = NULL;
    for (int i = 0; i < SUBSCRIBERS && !s; i++)
        if (subs[i].h.id == 0)
            s = &subs[i];
    if (s == NULL) {
        tr_res_status(res, 503);
        return;
    }
    tr_res_content_type(res, "text/event-stream");
    tr_res_header(res, "Cache-Control", "no-cache", 8);
    s->seen = seq - 1;           /* the current status at once */
    s->h = tr_res_stream(res, -1, fill, done, s);
}
