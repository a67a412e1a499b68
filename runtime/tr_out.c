/*
 * tr_out.c - the output queue: answers serialized into a connection's
 * output buffer one behind another (pipelining), with static bodies
 * queued where they lie, and written out by writev when the connection
 * next needs input (tr_conn.c).  Queuing an answer moves the connection
 * on to its next request, so a feature that answers (tr_body.c,
 * tr_stream.c, tr_later.c, tr_pull.c) does it through here, never
 * through the connection's steps.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tr_frame.h"
#include "tr_internal.h"

static struct tr_slot *slot_of(struct tr_conn *c)
{
    return &tr_srv.slot[c->buf];
}

int tr_out_pending(const struct tr_conn *c)
{
    if (c->buf == TR_NIL)
        return 0;
    const struct tr_outq *q = &tr_srv.slot[c->buf].q;
    return q->off < q->len || q->ins_i < q->nins;
}

/* Marks w written bytes done, walking out[] and the static bodies. */
static void out_advance(struct tr_outq *q, size_t w)
{
    while (w > 0) {
        if (q->ins_i < q->nins && q->off == q->ins[q->ins_i].at) {
            struct tr_ins *in = &q->ins[q->ins_i];
            size_t take = in->len - q->ins_off < w ? in->len - q->ins_off : w;
            q->ins_off += take;
            w -= take;
            if (q->ins_off == in->len) {
                q->ins_i++;
                q->ins_off = 0;
            }
        } else {
            uint32_t stop = q->ins_i < q->nins ? q->ins[q->ins_i].at : q->len;
            size_t take = stop - q->off < w ? stop - q->off : w;
            q->off += (uint32_t)take;
            w -= take;
        }
    }
}

/*
 * Writes everything queued: 0 when done (the queue is then empty),
 * TR_IO_AGAIN when the socket is full, TR_IO_END when it failed.
 */
int tr_out_flush(struct tr_conn *c)
{
    struct tr_outq *q = &slot_of(c)->q;
    char *out = slot_of(c)->out;
    while (q->off < q->len || q->ins_i < q->nins) {
        struct iovec iov[2 * TR_OUT_STATIC + 1];
        int n = 0;
        uint32_t pos = q->off;
        for (int i = q->ins_i; i < q->nins; i++) {
            size_t skip = i == q->ins_i ? q->ins_off : 0;
            if (q->ins[i].at > pos) {
                iov[n].iov_base = out + pos;
                iov[n++].iov_len = q->ins[i].at - pos;
                pos = q->ins[i].at;
            }
            iov[n].iov_base = (void *)(q->ins[i].ptr + skip);
            iov[n++].iov_len = q->ins[i].len - skip;
        }
        if (q->len > pos) {
            iov[n].iov_base = out + pos;
            iov[n++].iov_len = q->len - pos;
        }
        ssize_t w = tr_io_writev(c, iov, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return TR_IO_AGAIN;
            c->flags |= TR_CF_ERROR;
            return TR_IO_END;
        }
        out_advance(q, (size_t)w);
        /* The kernel takes a socket buffer's worth whether the client
         * reads or not: a write brings the holder level with the clock,
         * but only what the client sent or took earns credit. */
        if ((int32_t)(tr_srv.now - slot_of(c)->heard) > 0)
            slot_of(c)->heard = tr_srv.now;
    }
    memset(q, 0, sizeof *q);
#if TR_WITH_BODY
    if (slot_of(c)->body_held) { /* a body kept for a static answer is sent */
        slot_of(c)->body_held = 0;
        tr_pool_give_body(slot_of(c));
    }
#endif
    return 0;
}

/*
 * tr_res's spill hook: a handler's answer outgrew the space left behind
 * earlier pipelined answers, so write those now and slide the answer
 * being built to the front.  Without this a handler's room would depend
 * on how the client pipelines.
 */
static int spill(tr_res *res)
{
    struct tr_conn *c = res->ctx;
    struct tr_slot *s = slot_of(c);
    if (tr_out_flush(c) != 0)
        return -1;
    memmove(s->out, s->out + res->base, TR_RES_RESERVE + res->hlen + res->blen);
    res->base = 0;
    return 0;
}

/* ---- answers ----------------------------------------------------------- */

void tr_rq_reset(struct tr_slot *s)
{
    memset(&s->lx, 0, sizeof s->lx);
    memset(&s->rq, 0, sizeof s->rq);
    memset(&s->m, 0, sizeof s->m);
    s->lx.state = -1;
    s->lx.field = -1;
    s->route = -1;
    s->lexed = s->start;
    s->used = s->start;
}

/* Does the request let the connection stay open after this answer? */
static int keeps_alive(struct tr_conn *c, const struct tr_request *rq)
{
    return !(c->flags & TR_CF_CLOSE) && !tr_srv.stopping && tr_frame_keeps_alive(rq);
}

void tr_out_respond(struct tr_conn *c, tr_res *res)
{
    struct tr_slot *s = slot_of(c);
    unsigned fin = 0;
    if (!keeps_alive(c, &s->rq)) {
        fin |= TR_FIN_CLOSE;
        if (!(c->flags & TR_CF_CLOSE) && tr_frame_quits(&s->rq))
            c->flags |= TR_CF_QUIT;     /* not after an error: input may be unread */
        c->flags |= TR_CF_CLOSE;
    } else if (s->rq.version == 10) {
        fin |= TR_FIN_KEEP_ALIVE;
    }
    if (s->rq.method == TR_HEAD)
        fin |= TR_FIN_HEAD;
#if TR_DATE
    const char *date = tr_date_now();
#else
    const char *date = NULL;
#endif
    uint32_t n = tr_res_finish(res, fin, date);
    s->q.len = res->base + n;
    if (res->sbody && res->slen <= TR_STATIC_COPY_MAX && s->q.len + res->slen <= TR_OUT_MAX) {
        /* A short static body costs less copied than as an iovec of its
         * own, and leaves the TR_OUT_STATIC entries, each of which can end
         * a batch of pipelined answers early, to long ones. */
        memcpy(s->out + s->q.len, res->sbody, res->slen);
        s->q.len += (uint32_t)res->slen;
        res->sbody = NULL;
    } else if (res->sbody) {
        struct tr_ins *in = &s->q.ins[s->q.nins++];
        in->at = s->q.len;
        in->ptr = res->sbody;
        in->len = res->slen;
    }
#if TR_WITH_BODY
    /* A static body may be the request body itself (an echo): then the
     * body buffer is kept until the queue is written (see tr_out_flush). */
    const char *body = s->body != TR_NIL ? tr_srv.body[s->body] : NULL;
    s->body_held = res->sbody && body && (const char *)res->sbody >= body &&
                   (const char *)res->sbody < body + TR_BODY_MAX;
    if (!s->body_held)
        tr_pool_give_body(s);
#endif
    if (c->flags & TR_CF_CLOSE)
        return;
    /* What follows this request is the next pipelined one: it is lexed
     * where it lies, not copied to the front (tr_conn.c, head_step). */
    s->start = s->used;
    if (s->start == s->in_len)
        s->start = s->in_len = 0;
    tr_rq_reset(s);
    c->state = s->in_len > s->start ? TR_CS_HEAD : TR_CS_IDLE;
    tr_timer_set(c, TR_TL_NONE); /* a new request gets a fresh deadline */
}

void tr_out_status(struct tr_conn *c, int status, uint16_t allow)
{
    struct tr_slot *s = slot_of(c);
    tr_res res;
    /* The body was not read, so the next request's start is unknown. */
    if (tr_frame_has_body(&s->rq))
        c->flags |= TR_CF_CLOSE;
    tr_res_init(&res, s->out, TR_OUT_MAX, s->q.len);
    tr_res_status(&res, status);
    if (allow)
        tr_res_allow(&res, allow);
#if TR_WITH_ERROR_BODIES
    tr_res_error_body(&res);
#endif
    tr_out_respond(c, &res);
}

void tr_out_fail(struct tr_conn *c, int status)
{
    /* A connection that fails waits for no buffer any more; off its wait
     * list before its state moves on (408 while waiting for a body one). */
    tr_pool_unwait(c);
    c->flags |= TR_CF_CLOSE;
    tr_out_status(c, status, 0);
}

void tr_out_res(struct tr_conn *c, tr_res *res)
{
    struct tr_slot *s = slot_of(c);
    tr_res_init(res, s->out, TR_OUT_MAX, s->q.len);
    res->spill = spill;
    res->ctx = c;
#if TR_WITH_TLS
    tr_tls_res(c, res);
#endif
}

void tr_out_answer(struct tr_conn *c, tr_res *res, int st)
{
    if (st != 0) {
        /* tr_app.h: the fields stay, the body goes; tr_res_finish makes
         * a code out of range a 500. */
        res->blen = 0;
        res->sbody = NULL;
        res->status = st;
#if TR_WITH_ERROR_BODIES
        tr_res_error_body(res);         /* a body of the spec's, if any */
#endif
    }
    tr_out_respond(c, res);
}
