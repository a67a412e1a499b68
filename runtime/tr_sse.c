/*
 * tr_sse.c - server-sent events (tr.h, "server-sent events").  Compiled
 * to nothing unless a route of the spec says `events`.
 *
 * A subscriber is a `stream` answer (tr_pull.c) whose fill never has
 * anything: events are pushed instead.  An event is formatted once into
 * one buffer, then copied behind whatever each subscriber has queued in
 * its output buffer (tr_pull_push); a subscriber whose buffer cannot take
 * it does not read, and is closed.  So memory is the table below and the
 * connections' own buffers, whatever the clients do.  The heartbeat is a
 * periodic timer of the loop, running while anyone subscribes.
 *
 * A subscriber keeps its request buffer (its output buffer is the queue
 * the events are copied into) for as long as it stays, and is never cut
 * for the minimum rate: it waits for the app, not for its client.  So the
 * table has TR_SSE_SUBSCRIBERS slots, below TR_BUFFERS (half of them by
 * default): the other buffers always remain for ordinary requests, and a
 * subscribe beyond the table is refused (the handler's 503, with a
 * Retry-After added here).  A subscriber over TLS holds one of the
 * TR_TLS_CONNECTIONS engines as well, which no newcomer may take from a
 * response under way: at most half of them go to subscribers.
 *
 * While the subscribing handler runs, its stream's head is not out yet:
 * an event sent to the new subscriber then (its first, the current state
 * say) goes into that handler's answer, behind the head (tr_pull_early).
 * tr_sse_close ends a stream as a fill that has no more would: the last
 * chunk, then the connection goes on, or closes for HTTP/1.0.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_SSE

struct sub {
    tr_later stream;         /* its stream's handle; id 0: slot free */
    uint16_t gen;            /* of the slot: a tr_sse handle's high half */
    uint8_t closing;         /* tr_sse_close: the stream ends when written */
#if TR_WITH_TLS
    uint8_t tls;             /* over TLS: it holds an engine too */
#endif
    tr_sse_gone_fn *gone;
    void *arg;
};

static struct sub subs[TR_SSE_SUBSCRIBERS];
static char event[TR_OUT_MAX];   /* the event being pushed, formatted once */
static int beat = -1;            /* the heartbeat's timer, while anyone subscribes */
static unsigned nsubs;           /* slots taken */
/* The subscriber whose handler runs, and that handler's answer. */
static struct sub *early_sub;
static tr_res *early_res;

static struct sub *sub_of(tr_sse h)
{
    uint32_t i = h.id & 0xffff;
    if (h.id == 0 || i >= TR_SSE_SUBSCRIBERS || subs[i].stream.id == 0 || subs[i].gen != h.id >> 16 ||
        subs[i].closing)
        return NULL;
    return &subs[i];
}

/* Nothing to pull: every byte of an event stream is pushed; the end
 * once tr_sse_close asked for it. */
static long fill_none(void *arg, char *buf, size_t cap)
{
    struct sub *s = arg;
    (void)buf, (void)cap;
    return s->closing ? TR_STREAM_END : TR_STREAM_PAUSE;
}

/* The stream is over (the client went, or was dropped): the app is told once. */
static void stream_done(void *arg, int complete)
{
    struct sub *s = arg;
    tr_sse h = { (uint32_t)s->gen << 16 | (uint32_t)(s - subs) };
    (void)complete;
    s->stream.id = 0;
    if (early_sub == s)
        early_sub = NULL;
    /* No one left: no wake-ups for nothing, and a server started again
     * in this process (its loop's timers reset) starts a new timer. */
    if (--nsubs == 0) {
        tr_loop_timer_stop(beat);
        beat = -1;
    }
    if (s->gone)
        s->gone(h, s->arg);
}

static void heartbeat(int timer, void *arg)
{
    (void)timer, (void)arg;
    /* WHATWG HTML §9.2.6: a line that starts with a colon is a comment. */
    for (int i = 0; i < TR_SSE_SUBSCRIBERS; i++)
        if (subs[i].stream.id != 0 && !subs[i].closing)
            tr_pull_push(subs[i].stream, ":\n", 2);
}

tr_sse tr_res_sse(tr_res *res, tr_sse_gone_fn *gone, void *arg)
{
    tr_sse none = { 0 };
    struct sub *s = NULL;
    for (int i = 0; i < TR_SSE_SUBSCRIBERS && s == NULL; i++)
        if (subs[i].stream.id == 0)
            s = &subs[i];
#if TR_WITH_TLS
    /* Over TLS, half the engines at most: the others always remain for
     * handshakes, as the buffers do. */
    uint8_t tls = res->ctx != NULL && tr_conn_is_tls((struct tr_conn *)res->ctx);
    unsigned over_tls = 0;
    for (int i = 0; i < TR_SSE_SUBSCRIBERS; i++)
        over_tls += subs[i].stream.id != 0 && subs[i].tls;
    if (tls && over_tls >= TR_TLS_CONNECTIONS / 2)
        s = NULL;
#endif
    if (s == NULL) {
        /* Full: the handler's 503 says when to try again (RFC 9110
         * §15.6.4); when a slot comes free is unknown, so the heartbeat's
         * period, the stream's own pace. */
        char v[12];
        tr_res_header(res, "Retry-After", v, tr_fmt_u64(v, (TR_SSE_HEARTBEAT_MS + 999) / 1000));
        return none;
    }
    if (res->ctx == NULL ||
        (beat < 0 && (beat = tr_loop_timer(TR_SSE_HEARTBEAT_MS, 1, heartbeat, NULL)) < 0))
        return none;            /* the fields stay the handler's, for its 503 */
    tr_res_content_type(res, "text/event-stream");
    tr_res_header(res, "Cache-Control", "no-store", 8);
    s->stream = tr_res_stream(res, -1, fill_none, stream_done, s);
    if (s->stream.id == 0)
        return none;
    nsubs++;
    if (++s->gen == 0)
        s->gen = 1;
    s->closing = 0;
#if TR_WITH_TLS
    s->tls = tls;
#endif
    s->gone = gone;
    s->arg = arg;
    early_sub = s;
    early_res = res;
    tr_sse h = { (uint32_t)s->gen << 16 | (uint32_t)(s - subs) };
    return h;
}

/* Appends a field line "name: value\n" at p, room permitting; the end. */
static char *field(char *p, const char *end, const char *name, const char *v, size_t len)
{
    size_t n = strlen(name);
    if (p == NULL || (size_t)(end - p) < n + 2 + len + 1)
        return NULL;
    memcpy(p, name, n);
    memcpy(p + n, ": ", 2);
    memcpy(p + n + 2, v, len);
    p[n + 2 + len] = '\n';
    return p + n + 2 + len + 1;
}

/* Formats an event into `event`: its length, or 0 when it cannot be sent
 * (too long, or an event name or id with a line break, which would end
 * the field early). */
static size_t format(const char *name, const char *id, const char *data, size_t len)
{
    char *p = event, *end = event + sizeof event - 1;
    if ((name && strpbrk(name, "\r\n")) || (id && strpbrk(id, "\r\n")))
        return 0;
    if (name)
        p = field(p, end, "event", name, strlen(name));
    if (id)
        p = field(p, end, "id", id, strlen(id));
    /* A line break of the data (CRLF, LF or CR, as the parser reads them)
     * starts another `data:` line: the client joins them with LF. */
    for (size_t at = 0;;) {
        size_t k = at;
        while (k < len && data[k] != '\n' && data[k] != '\r')
            k++;
        p = field(p, end, "data", data + at, k - at);
        if (k == len || p == NULL)
            break;
        at = data[k] == '\r' && k + 1 < len && data[k + 1] == '\n' ? k + 2 : k + 1;
    }
    if (p == NULL)
        return 0;
    *p++ = '\n';             /* the blank line that dispatches it */
    return (size_t)(p - event);
}

/* Queues the formatted event (n bytes) for s: 0, or -1. */
static int push(struct sub *s, size_t n)
{
    int r = tr_pull_push(s->stream, event, n);
    if (r == TR_PULL_EARLY)     /* s's handler runs: into its answer */
        r = s == early_sub ? tr_pull_early(early_res, event, n) : -1;
    return r;
}

int tr_sse_send(tr_sse h, const char *name, const char *id, const void *data, size_t len)
{
    struct sub *s = sub_of(h);
    size_t n = s ? format(name, id, data ? data : "", data ? len : 0) : 0;
    if (n == 0)
        return -1;
    return push(s, n);
}

int tr_sse_broadcast(const char *name, const char *id, const void *data, size_t len)
{
    size_t n = format(name, id, data ? data : "", data ? len : 0);
    if (n == 0)
        return -1;
    int sent = 0;
    for (int i = 0; i < TR_SSE_SUBSCRIBERS; i++)
        if (subs[i].stream.id != 0 && !subs[i].closing && push(&subs[i], n) == 0)
            sent++;
    return sent;
}

int tr_sse_close(tr_sse h)
{
    struct sub *s = sub_of(h);
    if (s == NULL)
        return -1;
    s->closing = 1;
    /* Its fill runs once the queue is written; inside its handler there
     * is no stream to resume yet, and the fill runs when it starts. */
    tr_stream_resume(s->stream);
    return 0;
}

#endif /* TR_WITH_SSE */
