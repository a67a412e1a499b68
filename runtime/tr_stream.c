/*
 * tr_stream.c - streamed request bodies, for routes declared
 * `body=SIZE,stream` or `body=SIZE,multipart` (TR_WITH_STREAM).  A spec
 * without one compiles none of this.
 *
 * The body never gets a buffer of its own: it is read into the request
 * buffer behind the head (whose views the handler's arguments are), handed
 * to the route's data call where it lies (a chunked body de-chunked in
 * place, no copy), and the room is reused for the next read.  An upload of
 * any size costs the one request buffer its connection holds anyway.
 *
 * Backpressure is not reading: a paused upload's step says TR_STEP_WAIT,
 * so the socket's receive queue fills and the kernel's TCP window closes
 * on the client.  Bytes already read wait in the buffer (s->up.pend for
 * de-framed ones, s->up.pos for the rest) until tr_upload_resume.
 *
 * Deadlines: `timeout body` runs from the last byte read (an upload of
 * 64 MiB takes as long as its link needs, and a silent client is cut
 * after the timeout).  A pause does not stop it: a paused upload that is
 * not resumed within `timeout body` ends with TR_UPLOAD_TIMEOUT, so a
 * handler that forgets one cannot hold a buffer for ever.  But a paused
 * upload is never cut for the minimum rate (the wait is the server's,
 * not the client's slowness), and on resume it starts level with the
 * clock, owing nothing for the pause.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_STREAM

#if !TR_WITH_CHUNKED
#error "TR_WITH_STREAM needs TR_WITH_CHUNKED"
#endif

/* tr_upload.state */
enum {
    UP_OFF = 0,              /* no upload, or it has ended */
    UP_DATA                  /* begin took it: data calls until end */
};

static const struct tr_stream *fns_of(const struct tr_slot *s)
{
    return &tr_srv.app->streams[tr_srv.app->routes[s->route].stream - 1];
}

static struct tr_conn *conn_of(const tr_upload *up)
{
    return &tr_srv.conn[up->conn];
}

/* Calls end for an upload that did not complete, once. */
static void end_short(struct tr_slot *s, int how)
{
    tr_upload *up = &s->up;
    if (up->state != UP_DATA)
        return;
    up->state = UP_OFF;
    if (up->queued) {
        tr_list_unlink(&tr_srv.resumed, up->conn, TR_LINK_WAIT);
        up->queued = 0;
    }
    fns_of(s)->end(NULL, up, how);
}

/* Ends the upload with how and answers status, closing the connection;
 * TR_STEP_AGAIN, and -1 from deframe. */
static int fail(struct tr_conn *c, struct tr_slot *s, int how, int status)
{
    end_short(s, how);
    tr_out_fail(c, status);
    return TR_STEP_AGAIN;
}

void tr_stream_cut(struct tr_conn *c, int how)
{
    if (c->buf != TR_NIL)
        end_short(&tr_srv.slot[c->buf], how);
}

void tr_stream_begin(struct tr_conn *c, struct tr_slot *s)
{
    struct tr_request *rq = &s->rq;
    tr_upload *up = &s->up;
    tr_res res;
    /* RFC 9110 §15.5.14: a length over the limit is 413 before begin. */
    if ((rq->flags & TR_RQ_HAS_LENGTH) && rq->content_length > tr_srv.app->routes[s->route].body_limit) {
        tr_out_fail(c, 413);
        return;
    }
    memset(up, 0, sizeof *up);
    up->length = (rq->flags & TR_RQ_CHUNKED) ? TR_UPLOAD_CHUNKED : rq->content_length;
    up->conn = (uint16_t)(c - tr_srv.conn);
    up->pos = s->used;
    memset(&s->ch, 0, sizeof s->ch);
#if TR_WITH_MULTIPART
    if (fns_of(s)->part) {
        int m = tr_multipart_init(&s->mp, rq->header[TR_CONTENT_TYPE_FIELD]);
        if (m < 0) {
            tr_out_fail(c, 400); /* multipart/form-data without a usable boundary */
            return;
        }
        up->multipart = m == 0;
    }
#endif
    rq->upload = up;
    tr_out_res(c, &res);
    int st = tr_srv.app->invoke(s->route, rq, &s->m, &res);
    if (st != 0) {
        /* Refused before 100 Continue and before any body byte: the body
         * stays unread, so the connection closes after the answer. */
        c->flags |= TR_CF_CLOSE;
        tr_out_answer(c, &res, st);
        return;
    }
    up->state = UP_DATA;
    /* RFC 9110 §10.1.1: a 1.0 client's 100-continue is ignored. */
    s->cont = rq->version == 11 && (rq->flags & TR_RQ_CONTINUE);
    c->state = TR_CS_BODY;
    tr_timer_set(c, TR_TL_NONE); /* the body deadline from here */
}

/* Hands p[0..n) on: to the splitter, or to data; *took is what was taken. */
static int deliver(struct tr_slot *s, const char *p, size_t n, size_t *took)
{
#if TR_WITH_MULTIPART
    if (s->up.multipart)
        return tr_multipart_feed(&s->mp, p, n, took, fns_of(s), &s->up);
#endif
    *took = n;
    return fns_of(s)->data(&s->up, p, n);
}

/* Takes the next de-framed bytes out of the buffer into up->pend: 1 when
 * there are some, 0 when the buffer is empty, 2 once the body is all
 * framed, -1 after answering an error. */
static int deframe(struct tr_conn *c, struct tr_slot *s)
{
    tr_upload *up = &s->up;
    size_t avail = s->in_len - up->pos, used = 0, len = 0;
    const char *d = NULL;
    if (up->length == TR_UPLOAD_CHUNKED) {
        uint64_t limit = tr_srv.app->routes[s->route].body_limit;
        int r = tr_chunked_next(&s->ch, s->in + up->pos, avail, &used, &d, &len, limit - up->received);
        up->pos += (uint32_t)used;
        /* RFC 9112 §7.1: malformed chunking is 400; too much is 413. */
        if (r == TR_CHUNK_ERR)
            return fail(c, s, TR_UPLOAD_ABORTED, 400);
        if (r == TR_CHUNK_TOO_BIG)
            return fail(c, s, TR_UPLOAD_TOO_BIG, 413);
        if (len == 0)
            return r == TR_CHUNK_DONE ? 2 : 0;
        up->pend = (uint32_t)(d - s->in);
    } else {
        uint64_t owed = up->length - up->received;
        if (owed == 0)
            return 2;
        len = avail < owed ? avail : (size_t)owed;
        if (len == 0)
            return 0;
        up->pend = up->pos;
        up->pos += (uint32_t)len;
    }
    up->pend_len = (uint32_t)len;
    up->received += len;
    return 1;
}

/* The body is all in: the multipart one must have been closed. */
static int complete(struct tr_conn *c, struct tr_slot *s)
{
    tr_upload *up = &s->up;
    tr_res res;
#if TR_WITH_MULTIPART
    if (up->multipart && !tr_multipart_done(&s->mp))
        return fail(c, s, TR_UPLOAD_ABORTED, 400);
#endif
    s->used = up->pos;          /* the next request starts here */
    up->state = UP_OFF;
    if (up->queued) {
        tr_list_unlink(&tr_srv.resumed, up->conn, TR_LINK_WAIT);
        up->queued = 0;
    }
    tr_out_res(c, &res);
    fns_of(s)->end(&res, up, TR_UPLOAD_DONE);
    tr_out_answer(c, &res, 0);
    return TR_STEP_AGAIN;
}

int tr_stream_step(struct tr_conn *c, struct tr_slot *s)
{
    tr_upload *up = &s->up;
    for (;;) {
        if (up->paused)
            return TR_STEP_WAIT;
        if (up->pend_len) {
            size_t took = 0;
            int r = deliver(s, s->in + up->pend, up->pend_len, &took);
            up->pend += (uint32_t)took;
            up->pend_len -= (uint32_t)took;
            if (r == TR_UPLOAD_PAUSE) {
                up->paused = 1;
                continue;
            }
#if TR_WITH_MULTIPART
            if (r == TR_MP_ERR)
                return fail(c, s, TR_UPLOAD_ABORTED, 400);
#endif
            if (r > 0)          /* a status: the rest is refused */
                return fail(c, s, TR_UPLOAD_REFUSED, r >= 200 && r <= 599 ? r : 500);
            up->pend_len = 0;   /* 0, TR_MP_MORE or TR_MP_DONE: all taken */
        }
        int d = deframe(c, s);
        if (d < 0)
            return TR_STEP_AGAIN;
        if (d == 2)
            return complete(c, s);
        if (d == 0)
            break;
    }
    /* Everything read is handed on: the room behind the head is free. */
    s->in_len = up->pos = s->used;
    if (s->cont) {
        /* The client waits for this before sending the body. */
        memcpy(s->out + s->q.len, TR_CONTINUE, sizeof TR_CONTINUE - 1);
        s->q.len += sizeof TR_CONTINUE - 1;
        s->cont = 0;
    }
    return TR_STEP_INPUT;
}

long tr_stream_read(struct tr_conn *c, struct tr_slot *s)
{
    tr_upload *up = &s->up;
    size_t room = TR_IN_SIZE - s->in_len;
    if (up->length != TR_UPLOAD_CHUNKED) {
        /* Exactly the bytes still owed: never into the next request. */
        uint64_t owed = up->length - up->received - (s->in_len - up->pos);
        if (room > owed)
            room = (size_t)owed;
    }
    long n = tr_conn_read(c, s->in + s->in_len, room);
    if (n > 0) {
        s->in_len += (uint32_t)n;
        tr_pool_moved(s, (uint32_t)n);  /* progress: see tr_pool.c */
        tr_timer_set(c, TR_TL_NONE);    /* the body deadline from the last byte */
    }
    return n;
}

void tr_upload_pause(tr_upload *up)
{
    if (up->state == UP_DATA)
        up->paused = 1;
}

void tr_upload_resume(tr_upload *up)
{
    if (up->state != UP_DATA || !up->paused)
        return;
    up->paused = 0;
    struct tr_slot *s = &tr_srv.slot[conn_of(up)->buf];
    if ((int32_t)(tr_srv.now - s->heard) > 0)
        s->heard = tr_srv.now;      /* the pause costs the client nothing */
    if (!up->queued) {
        /* Not now: the caller may be another connection's handler, deep
         * in its own step.  The loop runs it after this event. */
        tr_list_push(&tr_srv.resumed, up->conn, TR_LINK_WAIT);
        up->queued = 1;
    }
}

struct tr_conn *tr_stream_resumed(void)
{
    if (tr_srv.resumed.head == TR_NIL)
        return NULL;
    struct tr_conn *c = &tr_srv.conn[tr_srv.resumed.head];
    tr_list_unlink(&tr_srv.resumed, tr_srv.resumed.head, TR_LINK_WAIT);
    tr_srv.slot[c->buf].up.queued = 0;
    return c;
}

#else
typedef int tr_stream_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_STREAM */
