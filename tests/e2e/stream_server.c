/*
 * stream_server.c - the handlers of stream.routes: each streamed route
 * hashes what it is given (64-bit FNV-1a) and answers "BYTES HASH" at its
 * end; /stats tells the test how every upload ended and how often data
 * was called, so it can see end calls the client never hears of (an
 * aborted upload).
 */
#include <stdio.h>
#include <string.h>

#include "stream_routes.h"

/* One upload: what it was given so far. */
struct sink {
    uint64_t bytes, hash;
    int in_use;
    int counting;            /* multipart: inside the part named "file" */
};

static struct sink sinks[16];
static unsigned ends[TR_UPLOAD_REFUSED + 1];   /* by how */
static unsigned data_calls, parts_seen, pauses;
static tr_upload *slow_up;   /* /slow's upload while it is paused */

static struct sink *sink_new(tr_upload *up)
{
    for (unsigned i = 0; i < sizeof sinks / sizeof sinks[0]; i++)
        if (!sinks[i].in_use) {
            memset(&sinks[i], 0, sizeof sinks[i]);
            sinks[i].in_use = 1;
            sinks[i].hash = 14695981039346656037ull;
            sinks[i].counting = 1;
            up->user = &sinks[i];
            return &sinks[i];
        }
    return NULL;
}

static void sink_add(struct sink *s, const char *p, size_t n)
{
    uint64_t h = s->hash;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    s->hash = h;
    s->bytes += n;
}

/* The end of every upload: count it; on completion answer with the sum. */
static void sink_end(tr_res *res, tr_upload *up, int how)
{
    struct sink *s = up->user;
    ends[how]++;
    if (res && s) {
        char line[64];
        int n = snprintf(line, sizeof line, "%llu %016llx", (unsigned long long)s->bytes,
                         (unsigned long long)s->hash);
        tr_res_content_type(res, "text/plain");
        tr_res_write(res, line, (size_t)n);
    }
    if (s)
        s->in_use = 0;
}

void stream_root(tr_res *res)
{
    static const char body[] = "Hello, world!";
    tr_res_body_static(res, body, sizeof body - 1);
}

void stream_stats(tr_res *res)
{
    char line[160];
    int n = snprintf(line, sizeof line, "done=%u aborted=%u timeout=%u too_big=%u refused=%u data=%u parts=%u pauses=%u",
                     ends[TR_UPLOAD_DONE], ends[TR_UPLOAD_ABORTED], ends[TR_UPLOAD_TIMEOUT],
                     ends[TR_UPLOAD_TOO_BIG], ends[TR_UPLOAD_REFUSED], data_calls, parts_seen, pauses);
    tr_res_write(res, line, (size_t)n);
}

/* Another request's handler resumes /slow's paused upload. */
void stream_resume(tr_res *res)
{
    int was = slow_up != NULL;
    if (slow_up) {
        tr_upload_resume(slow_up);
        slow_up = NULL;
    }
    tr_res_puts(res, was ? "resumed" : "none");
}

int stream_raw_begin(tr_res *res, tr_upload *up)
{
    (void)res;
    return sink_new(up) ? 0 : 503;
}

int stream_raw_data(tr_upload *up, const char *data, size_t len)
{
    data_calls++;
    sink_add(up->user, data, len);
    return 0;
}

void stream_raw_end(tr_res *res, tr_upload *up, int how)
{
    sink_end(res, up, how);
}

/* multipart: only the part named "file" is summed. */
int stream_mp_begin(tr_res *res, tr_upload *up)
{
    (void)res;
    return sink_new(up) ? 0 : 503;
}

int stream_mp_part(tr_upload *up, const tr_part *part)
{
    struct sink *s = up->user;
    parts_seen++;
    s->counting = part->name.ptr && part->name.len == 4 && memcmp(part->name.ptr, "file", 4) == 0;
    return 0;
}

int stream_mp_data(tr_upload *up, const char *data, size_t len)
{
    struct sink *s = up->user;
    data_calls++;
    if (s->counting)
        sink_add(s, data, len);
    return 0;
}

void stream_mp_end(tr_res *res, tr_upload *up, int how)
{
    sink_end(res, up, how);
}

/* Refused at begin, with a field that goes with the refusal. */
int stream_refuse_begin(tr_res *res, tr_upload *up)
{
    (void)up;
    tr_res_header(res, "X-Why", "refused", 7);
    return 403;
}

int stream_refuse_data(tr_upload *up, const char *data, size_t len)
{
    (void)up, (void)data, (void)len;
    return 500; /* never called */
}

void stream_refuse_end(tr_res *res, tr_upload *up, int how)
{
    (void)res, (void)up, (void)how;
    ends[TR_UPLOAD_REFUSED] += 100; /* never called: the test would see it */
}

/* Pauses after every piece; GET /resume goes on. */
int stream_slow_begin(tr_res *res, tr_upload *up)
{
    (void)res;
    return sink_new(up) ? 0 : 503;
}

int stream_slow_data(tr_upload *up, const char *data, size_t len)
{
    data_calls++;
    sink_add(up->user, data, len);
    pauses++;
    slow_up = up;
    return TR_UPLOAD_PAUSE;
}

void stream_slow_end(tr_res *res, tr_upload *up, int how)
{
    if (slow_up == up)
        slow_up = NULL;
    sink_end(res, up, how);
}

/* A small limit, for 413 as chunks arrive; "stop" in the body refuses it. */
int stream_small_begin(tr_res *res, tr_upload *up)
{
    (void)res;
    return sink_new(up) ? 0 : 503;
}

int stream_small_data(tr_upload *up, const char *data, size_t len)
{
    data_calls++;
    sink_add(up->user, data, len);
    return len >= 4 && memcmp(data, "stop", 4) == 0 ? 422 : 0;
}

void stream_small_end(tr_res *res, tr_upload *up, int how)
{
    sink_end(res, up, how);
}
