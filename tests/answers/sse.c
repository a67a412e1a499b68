/*
 * sse.c - the handlers of sse.routes: /events subscribes (401 with
 * ?key=no, 503 when the table is full) and keeps the Last-Event-ID it was
 * given (?key=first: it sends an event "hello" inside the handler;
 * ?key=once: that event, then tr_sse_close, also inside); /close ends the
 * last subscription (tr_sse_close) and answers what it returned;
 * /fire/N/SIZE broadcasts N events of SIZE bytes (two lines each,
 * ids counting from 1) and answers how many subscribers took the last;
 * /lines broadcasts data of several lines; /notices says how many
 * subscriptions ended and the last Last-Event-ID.
 */
#include <string.h>

#include "sse_routes.h"

static unsigned gone;
static char last_id[64];
static uint64_t seq;
static tr_sse last;

static int key_is(const tr_str *key, const char *v)
{
    return key && key->len == strlen(v) && memcmp(key->ptr, v, key->len) == 0;
}

static void on_gone(tr_sse h, void *arg)
{
    (void)h, (void)arg;
    gone++;
}

void sse_events(tr_res *res, const tr_str *key, tr_str last_event_id)
{
    if (key_is(key, "no")) {
        tr_res_status(res, 401);
        return;
    }
    size_t n = last_event_id.len < sizeof last_id - 1 ? last_event_id.len : sizeof last_id - 1;
    if (last_event_id.ptr) {
        memcpy(last_id, last_event_id.ptr, n);
        last_id[n] = '\0';
    }
    last = tr_res_sse(res, on_gone, NULL);
    if (last.id == 0) {
        tr_res_status(res, 503);
        return;
    }
    if ((key_is(key, "first") || key_is(key, "once")) && tr_sse_send(last, "hello", NULL, "now", 3) != 0)
        tr_res_status(res, 500);
    if (key_is(key, "once") && tr_sse_close(last) != 0)
        tr_res_status(res, 500);
}

void sse_close(tr_res *res)
{
    tr_res_int(res, tr_sse_close(last));
}

/* Writes v's decimal form at p (NUL-ended); its length. */
static size_t decimal(char *p, uint64_t v)
{
    char t[24];
    size_t n = 0, k = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (n > 0)
        p[k++] = t[--n];
    p[k] = '\0';
    return k;
}

void sse_fire(tr_res *res, uint64_t n, uint64_t size)
{
    static char data[8192];
    char id[24];
    int took = 0;
    if (size < 3 || size > sizeof data) {
        tr_res_status(res, 400);
        return;
    }
    for (uint64_t i = 0; i < n; i++) {
        decimal(id, ++seq);
        /* "ID\nxxxx...": two data lines, the second padding to size. */
        size_t k = decimal(data, seq);
        data[k] = '\n';
        memset(data + k + 1, 'x', size - k - 1);
        took = tr_sse_broadcast("tick", id, data, size);
    }
    tr_res_int(res, took);
}

/* An unnamed event whose data ends lines with CRLF, CR and LF; refused
 * names and ids (a line break) are not sent. */
void sse_lines(tr_res *res)
{
    static const char data[] = "a\r\nb\rc\n";
    int bad = tr_sse_broadcast("x\ny", NULL, "d", 1) + tr_sse_broadcast(NULL, "1\r", "d", 1);
    tr_res_int(res, bad);
    tr_res_puts(res, " ");
    tr_res_int(res, tr_sse_broadcast(NULL, NULL, data, sizeof data - 1));
}

void sse_notices(tr_res *res)
{
    tr_res_int(res, gone);
    tr_res_puts(res, " ");
    tr_res_puts(res, last_id);
}
