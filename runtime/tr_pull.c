/*
 * tr_pull.c - bodies sent in pieces (tr.h, "bodies sent in pieces").
 * Compiled to nothing unless a route of the spec says `stream`.
 *
 * The head goes out as any answer's (respond), then the connection stays
 * in TR_CS_STREAM: each time the output queue is empty, the app's fill
 * writes the next piece straight into the output buffer, framed in place
 * (a chunk-size line in front, CRLF behind), and the queue is written.
 * Nothing else is read or answered until the body ends, so what is
 * pipelined behind waits, and memory stays the output buffer.  A handle
 * is a deferral's (tr_later.c: the connection's index and generation).
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_PULL

/* Room in front of a piece for its chunk-size line (16 hex digits of a
 * 64-bit size at most, far more than TR_OUT_MAX needs, and CRLF), and
 * behind it for CRLF and the last chunk "0\r\n\r\n". */
#define CHUNK_HEAD 18
#define CHUNK_TAIL 7
TR_ASSERT(TR_OUT_MAX > CHUNK_HEAD + CHUNK_TAIL + 64, "TR_OUT_MAX too small to stream");

static struct tr_slot *slot_of(struct tr_conn *c)
{
    return &tr_srv.slot[c->buf];
}

static tr_later handle_of(struct tr_conn *c)
{
    tr_later h = { (uint32_t)c->gen << 16 | (uint32_t)(c - tr_srv.conn) };
    return h;
}

tr_later tr_res_stream(tr_res *res, int64_t length, tr_fill_fn *fill, tr_stream_done_fn *done,
                       void *arg)
{
    tr_later none = { 0 };
    struct tr_conn *c = res->ctx;
    if (c == NULL || fill == NULL)
        return none;
    if (++c->gen == 0)          /* a new generation, as tr_res_defer's */
        c->gen = 1;
    struct tr_slot *s = slot_of(c);
    s->fill = fill;
    s->sdone = done;
    s->sarg = arg;
    res->blen = 0;
    res->sbody = NULL;
    res->slen = 0;
    res->stream_len = length;
    /* The framing: a length said; else chunked for HTTP/1.1, and the
     * close for HTTP/1.0, which knows no chunked (RFC 9112 §7). */
    res->stream = length >= 0 ? TR_SM_LENGTH : s->rq.version == 11 ? TR_SM_CHUNKED : TR_SM_CLOSE;
    return handle_of(c);
}

/* Calls done once; the stream is over for the app. */
static void finish(struct tr_slot *s, int complete)
{
    tr_stream_done_fn *done = s->sdone;
    s->fill = NULL;
    s->sdone = NULL;
    if (done)
        done(s->sarg, complete);
}

int tr_pull_hold(struct tr_conn *c, tr_res *res, int status)
{
    if (!res->stream)
        return 0;
    struct tr_slot *s = slot_of(c);
    uint8_t mode = res->stream;
    if (status != 0) {          /* it answered with a status after all */
        res->stream = 0;
        finish(s, 0);
        return 0;
    }
    if (mode == TR_SM_CLOSE)
        c->flags |= TR_CF_CLOSE;
    int st = res->status;
    int bodiless = s->rq.method == TR_HEAD || st == 204 || st == 304 || st < 200 || st > 599 ||
                   res->overflow || (mode == TR_SM_LENGTH && res->stream_len == 0);
    if (bodiless && mode != TR_SM_LENGTH)
        res->stream = 0;        /* an answer of its own, or a 500 */
    if (res->overflow || st < 200 || st > 599)
        res->stream = 0;
    int streams = res->stream != 0 && !bodiless;
    tr_out_respond(c, res);
    if (!streams) {
        finish(s, 1);
        return 1;
    }
    s->smode = mode;
    s->sleft = (uint64_t)res->stream_len;
    s->spaused = 0;
    s->send_ = 0;
    s->sdrop = 0;
    c->state = TR_CS_STREAM;
    return 1;
}

/* The connection h streams to, if its stream is still on. */
static struct tr_conn *conn_of(tr_later h)
{
    uint32_t i = h.id & 0xffff;
    if (h.id == 0 || i >= TR_CONNECTIONS)
        return NULL;
    struct tr_conn *c = &tr_srv.conn[i];
    if (c->state != TR_CS_STREAM || c->gen != h.id >> 16 || slot_of(c)->fill == NULL)
        return NULL;
    return c;
}

int tr_stream_resume(tr_later h)
{
    struct tr_conn *c = conn_of(h);
    if (c == NULL)
        return -1;
    if (slot_of(c)->spaused) {
        slot_of(c)->spaused = 0;
        tr_timer_set(c, TR_TL_READY);   /* filled as the loop turns */
    }
    return 0;
}

/* The body is over: the connection goes on to what is pipelined. */
static void stream_over(struct tr_conn *c, struct tr_slot *s)
{
    finish(s, 1);
    c->state = s->in_len > s->start ? TR_CS_HEAD : TR_CS_IDLE;
}

/* Queues n bytes filled at out + CHUNK_HEAD as one piece. */
static void queue_piece(struct tr_slot *s, size_t n)
{
    char *data = s->out + CHUNK_HEAD;
    uint32_t start = CHUNK_HEAD, end = CHUNK_HEAD + (uint32_t)n;
    if (s->smode == TR_SM_CHUNKED) {
        static const char hex[] = "0123456789abcdef";
        char *p = data;
        *--p = '\n';
        *--p = '\r';
        size_t v = n;
        do {
            *--p = hex[v & 15];
            v >>= 4;
        } while (v);
        start = (uint32_t)(p - s->out);
        memcpy(s->out + end, "\r\n", 2);
        end += 2;
    }
    s->q.off = start;           /* written up to here: the piece is the rest */
    s->q.len = end;
}

int tr_pull_cut(struct tr_conn *c, struct tr_slot *s)
{
    finish(s, 0);
    c->flags |= TR_CF_CLOSE | TR_CF_QUIT;
    return TR_STEP_CLOSE;
}

int tr_pull_step(struct tr_conn *c, struct tr_slot *s)
{
    if (s->sdrop)               /* not read: the close must not wait for the socket */
        memset(&s->q, 0, sizeof s->q);
    if ((c->flags & TR_CF_RDHUP) || s->sdrop) {
        /* The client half-closed, reset or failed, or did not read what
         * was pushed: gone (done(arg, 0)). */
        c->flags |= TR_CF_CLOSE | TR_CF_QUIT;
        return TR_STEP_CLOSE;
    }
    if (s->q.off < s->q.len || s->q.ins_i < s->q.nins)
        return TR_STEP_FLUSH;   /* the socket takes the last piece first */
    if (s->send_) {
        stream_over(c, s);      /* every byte written */
        return TR_STEP_AGAIN;
    }
    if (s->spaused)
        return TR_STEP_WAIT;
#if TR_WITH_FILE
    if (tr_file_sends(c, s))    /* sendfile(2) from the file, no buffer */
        return TR_STEP_FILE;
#endif
    size_t cap = TR_OUT_MAX - CHUNK_HEAD - CHUNK_TAIL;
    if (s->smode == TR_SM_LENGTH && s->sleft < cap)
        cap = (size_t)s->sleft;
    memset(&s->q, 0, sizeof s->q);
    long n = s->fill(s->sarg, s->out + CHUNK_HEAD, cap);
    if (n > 0 && (size_t)n <= cap) {
        queue_piece(s, (size_t)n);
        if (s->smode == TR_SM_LENGTH && (s->sleft -= (uint64_t)n) == 0)
            s->send_ = 1;
        return TR_STEP_AGAIN;
    }
    if (n == TR_STREAM_PAUSE) {
        s->spaused = 1;
        return TR_STEP_WAIT;
    }
    if (n == TR_STREAM_END && s->smode != TR_SM_LENGTH) {
        if (s->smode == TR_SM_CHUNKED) {
            memcpy(s->out, "0\r\n\r\n", 5);     /* RFC 9112 §7.1: last chunk, no trailers */
            s->q.len = 5;
        }
        s->send_ = 1;
        return TR_STEP_AGAIN;
    }
    return tr_pull_cut(c, s);
}

#if TR_WITH_SSE
/* Writes a chunk-size line for len ("1a2\r\n") at p; its length. */
static size_t chunk_size(char *p, uint64_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (int shift = 60; shift >= 0; shift -= 4)
        if ((len >> shift) != 0 || shift == 0)
            p[n++] = hex[(len >> shift) & 15];
    p[n++] = '\r';
    p[n++] = '\n';
    return n;
}

int tr_pull_push(tr_later h, const char *data, size_t len)
{
    struct tr_conn *c = conn_of(h);
    if (c == NULL) {
        /* Its handler has not returned yet (the stream's head is not out):
         * the caller may write into the handler's answer (tr_pull_early). */
        uint32_t i = h.id & 0xffff;
        if (h.id == 0 || i >= TR_CONNECTIONS)
            return -1;
        c = &tr_srv.conn[i];
        int early = c->state != TR_CS_STREAM && c->gen == h.id >> 16 && c->buf != TR_NIL &&
                    slot_of(c)->fill != NULL;
        return early ? TR_PULL_EARLY : -1;
    }
    if (slot_of(c)->sdrop || slot_of(c)->send_)
        return -1;
    struct tr_slot *s = slot_of(c);
    int idle = s->q.off == s->q.len && s->q.ins_i == s->q.nins;
    if (idle)
        memset(&s->q, 0, sizeof s->q);  /* all written: the whole buffer */
    char size[CHUNK_HEAD];
    size_t n = s->smode == TR_SM_CHUNKED ? chunk_size(size, len) : 0;
    size_t tail = s->smode == TR_SM_CHUNKED ? 2 : 0;
    if (len > TR_OUT_MAX - CHUNK_TAIL || s->q.len + n + len + tail > TR_OUT_MAX - CHUNK_TAIL) {
        /* The previous pieces are still unsent: the client does not
         * read, and is dropped rather than buffered for (tr.h). */
        s->sdrop = 1;
        tr_timer_set(c, TR_TL_READY);
        return -1;
    }
    memcpy(s->out + s->q.len, size, n);
    memcpy(s->out + s->q.len + n, data, len);
    memcpy(s->out + s->q.len + n + len, "\r\n", tail);
    s->q.len += (uint32_t)(n + len + tail);
    /* A connection with bytes queued waits for the socket, which wakes it
     * (and a new deadline would keep a non-reader alive): only an idle
     * one is run, as a resumed stream is. */
    if (idle)
        tr_timer_set(c, TR_TL_READY);
    return 0;
}

int tr_pull_early(tr_res *res, const char *data, size_t len)
{
    char size[CHUNK_HEAD];
    size_t n = res->stream == TR_SM_CHUNKED ? chunk_size(size, len) : 0;
    size_t tail = res->stream == TR_SM_CHUNKED ? 2 : 0;
    size_t used = (size_t)res->base + TR_RES_RESERVE + res->hlen + res->blen;
    /* What does not fit is refused, not a 500 for the whole answer (as
     * tr_res_write's overflow would be); the pushes after it keep room
     * for a chunk's tail, as tr_pull_push's check does. */
    if (res->stream == 0 || res->stream == TR_SM_LENGTH || used + n + len + tail + CHUNK_TAIL > res->cap)
        return -1;
    tr_res_write(res, size, n);
    tr_res_write(res, data, len);
    tr_res_write(res, "\r\n", tail);
    return 0;
}
#endif

void tr_pull_gone(struct tr_conn *c)
{
    if (c->buf != TR_NIL && slot_of(c)->fill != NULL)
        finish(slot_of(c), 0);
}

#endif /* TR_WITH_PULL */
