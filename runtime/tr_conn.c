/*
 * tr_conn.c - a connection's state machine: read, lex, check framing,
 * dispatch, guard, call the handler, and write what the output queue
 * holds (tr_out.c); its states (TR_CS_*) each have a step, and the steps
 * say what they need with a named TR_STEP_*.
 *
 * tr_conn_run does everything a connection can do without blocking and
 * returns; the event loop calls it again on the next readiness edge.
 * Complete requests already in the input buffer are answered one after
 * another into the same output buffer (pipelining), and the answers go
 * out in one writev when the connection next needs input.
 *
 * The top of the runtime with tr_server.c: the features' steps and hooks
 * (tr_body.c, tr_stream.c, tr_later.c, tr_pull.c, tr_file.c, TLS) are
 * called from here, each compiled out with its TR_WITH_*, and report back
 * with a step or a state flag; none of them calls into this file.  The
 * pools' one policy (buffer_get, tr_conn_wake) is here too: cutting a
 * holder for a buffer is expiring it, a step of its own.
 */
/* shutdown, struct linger under -std=c11; a build may define it already (as 1). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tr_frame.h"
#include "tr_internal.h"

static struct tr_slot *slot_of(struct tr_conn *c)
{
    return &tr_srv.slot[c->buf];
}

/* Moves the request at s->start, not lexed yet or to be lexed again, to
 * the front of in[], making the whole buffer its room. */
static void in_compact(struct tr_slot *s)
{
    memmove(s->in, s->in + s->start, s->in_len - s->start);
    s->in_len -= s->start;
    s->start = 0;
    tr_rq_reset(s);
}

/* Gives c a request buffer from the pool, readied for a new holder; -1
 * when none is free. */
static int slot_get(struct tr_conn *c)
{
    tr_idx i = tr_pool_take(TR_POOL_SLOT);
    if (i == TR_NIL)
        return -1;
    struct tr_slot *s = &tr_srv.slot[i];
    c->buf = i;
    s->heard = tr_srv.now;      /* a new holder starts with no debt */
    s->start = 0;
    tr_rq_reset(s);
    s->in_len = 0;
    memset(&s->q, 0, sizeof s->q);
#if TR_WITH_BODY
    s->body = TR_NIL;
    s->body_held = 0;
    s->inq = 0;
#endif
    return 0;
}

static void slot_put(struct tr_conn *c)
{
#if TR_WITH_BODY
    tr_pool_give_body(slot_of(c));
#endif
    tr_pool_give(TR_POOL_SLOT, c->buf);
    c->buf = TR_NIL;
}

/* Calls the route's handler and queues its answer. */
static void invoke(struct tr_conn *c)
{
    struct tr_slot *s = slot_of(c);
    tr_res res;
    tr_out_res(c, &res);
#if TR_WITH_REDIRECT
    if (tr_conn_redirects(c)) {
        tr_redirect(&s->rq, &res);
        tr_out_respond(c, &res);
        return;
    }
#endif
#if TR_WITH_CORS
    tr_srv.app->cors(s->route, &s->rq, &res, 0);
#endif
    int st = tr_srv.app->invoke(s->route, &s->rq, &s->m, &res);
#if TR_WITH_DEFER
    if (tr_later_hold(c, &res, st))
        return;                 /* the answer comes later (tr_later.c) */
#endif
#if TR_WITH_PULL
    if (tr_pull_hold(c, &res, st))
        return;                 /* its body comes in pieces (tr_pull.c) */
#endif
    tr_out_answer(c, &res, st);
}

#if TR_WITH_GUARD
/*
 * The route's guards, run before the query is decoded (a refusal tells an
 * anonymous client nothing of the API), before 100-continue and before any
 * body byte is read (a refused upload is never read: the connection
 * closes after the answer).  1 when a guard refused and was answered.
 */
static int guard_refused(struct tr_conn *c, struct tr_slot *s)
{
    tr_res res;
    tr_res_init(&res, s->out, TR_OUT_MAX, s->q.len);
#if TR_WITH_THROTTLE
    s->rq.client = tr_client_key(c->fd);
#endif
    int st = tr_srv.app->guard(s->route, &s->rq, &s->m, &res);
    if (st == 0)
        return 0;
#if TR_WITH_CORS
    tr_srv.app->cors(s->route, &s->rq, &res, 0);   /* so a page can read the 401 */
#endif
    if (tr_frame_has_body(&s->rq))
        c->flags |= TR_CF_CLOSE;
    tr_res_status(&res, st);
    tr_out_respond(c, &res);
    return 1;
}
#endif

#if TR_WITH_CORS
/* A CORS preflight of a path under a `cors` prefix, answered before any
 * guard (it carries no credentials): 1 when answered. */
static int cors_preflight(struct tr_conn *c, struct tr_slot *s)
{
    tr_res res;
    if (s->m.near < 0)
        return 0;
    tr_res_init(&res, s->out, TR_OUT_MAX, s->q.len);
    if (!tr_srv.app->cors(s->m.near, &s->rq, &res, s->m.allow))
        return 0;
    if (tr_frame_has_body(&s->rq))
        c->flags |= TR_CF_CLOSE;
    tr_res_status(&res, 204);
    tr_res_allow(&res, s->m.allow);
    tr_out_respond(c, &res);
    return 1;
}
#endif

/* The head is complete and lexed: check it, route it, start its body. */
static void on_head(struct tr_conn *c, struct tr_slot *s)
{
    int st = tr_frame_status(&s->rq);
    if (st) {
        tr_out_fail(c, st);
        return;
    }
#if TR_WITH_REDIRECT
    if (tr_conn_redirects(c)) {     /* every request, routed or not */
        if (tr_frame_has_body(&s->rq))
            c->flags |= TR_CF_CLOSE;
        invoke(c);
        return;
    }
#endif
    int r = tr_srv.app->dispatch(&s->rq, &s->m);
    switch (r) {
    case TR_NOT_FOUND: tr_out_status(c, 404, 0); return;
    case TR_WRONG_METHOD: tr_out_status(c, 405, s->m.allow); return;
    case TR_BAD_TARGET: tr_out_status(c, 400, 0); return;
    case TR_AUTO_OPTIONS:
#if TR_WITH_CORS
        if (cors_preflight(c, s))
            return;
#endif
        tr_out_status(c, 204, s->m.allow);
        return;
    default: break;
    }
    if (r < 0) {
        tr_out_status(c, 500, 0);
        return;
    }
    s->route = r;
#if TR_WITH_GUARD
    if (guard_refused(c, s))
        return;
#endif
#if TR_WITH_STREAM
    if (tr_srv.app->routes[r].stream) {  /* begin, even for an empty body */
        tr_stream_begin(c, s);
        return;
    }
#endif
    if (!tr_frame_has_body(&s->rq)) {
        invoke(c);
        return;
    }
#if TR_WITH_BODY
    if (tr_srv.app->routes[r].body_limit > 0) {
        tr_body_begin(c, s);
        return;
    }
#endif
    /* A body for a route that reads none: answer without reading it and
     * close, rather than drain an unbounded body to stay in sync. */
    c->flags |= TR_CF_CLOSE;
    invoke(c);
}

/* Room for one more answer of the runtime's own (and a 100 Continue). */
static int out_room(struct tr_slot *s)
{
    return s->q.len + TR_RES_MIN + sizeof TR_CONTINUE <= TR_OUT_MAX &&
           s->q.nins < TR_OUT_STATIC;
}

/* Lexes the new bytes of a head; acts on a complete one. */
static int head_step(struct tr_conn *c, struct tr_slot *s)
{
    if (!out_room(s))
        return TR_STEP_FLUSH;
#if TR_WITH_BODY
    if (s->body_held)
        return TR_STEP_FLUSH; /* the last answer still sends from the body buffer */
#endif
    if (s->in_len == s->lexed)
        return TR_STEP_INPUT;
    s->lexed = s->in_len;
    int r = tr_srv.app->lex(&s->lx, &s->rq, s->in + s->start, s->in_len - s->start);
    if (s->start > 0 && (r == TR_LEX_MORE || (r == TR_LEX_DONE && tr_frame_has_body(&s->rq)))) {
        /* A pipelined request that must read more (its head, or a body)
         * first moves to the front, for the room, and is lexed again
         * there: its views pointed at the old place.  Complete requests
         * without a body, the usual batch, are answered where they lie.
         * An incomplete head is lexed again only once more bytes come. */
        in_compact(s);
        if (r == TR_LEX_MORE)
            s->lexed = s->in_len;
        return TR_STEP_AGAIN;
    }
    if (r == TR_LEX_DONE) {
        s->used = s->start + s->lx.cursor;
        on_head(c, s);
    } else if (r != TR_LEX_MORE) {
        tr_out_fail(c, r);
    } else if (s->in_len >= TR_HEAD_MAX) {
        /* RFC 6585 §5: a head larger than the server accepts is 431. */
        tr_out_fail(c, 431);
    }
    return TR_STEP_AGAIN;
}

/* ---- buffers ---------------------------------------------------------- */

/* Gives c the buffer of pool kind it wants: 0 when it has one. */
static int take(struct tr_conn *c, int kind)
{
#if TR_WITH_BODY
    if (kind == TR_POOL_BODY)
        return (slot_of(c)->body = tr_pool_take(TR_POOL_BODY)) != TR_NIL ? 0 : -1;
#endif
    (void)kind;
    return slot_get(c);
}

/* Frees a buffer of pool kind from its empty pool by cutting the holder
 * furthest behind the minimum rate (tr_pool.c); 0 if none can be cut. */
static int cut_holder(int kind)
{
    struct tr_conn *c = tr_pool_laggard(kind);
    if (c == NULL)
        return 0;
    tr_conn_expire(c);
    if (c->state != TR_CS_FREE && c->buf != TR_NIL)
        tr_conn_expire(c);      /* its 408 is not out yet: now a reset */
    return 1;
}

/*
 * The one policy of both pools: c wants a buffer of pool kind.  Not ahead
 * of those already waiting (tr_conn_wake serves them in order, each with
 * its buffer in hand); when none is free a stalled holder may be cut for
 * it; else it waits.  0 when c has its buffer, -1 when it waits.
 */
static int buffer_get(struct tr_conn *c, int kind)
{
    if (tr_srv.pool[kind].wait.head == TR_NIL &&
        (take(c, kind) == 0 || (cut_holder(kind) && take(c, kind) == 0)))
        return 0;
    tr_pool_wait(c, kind);
    return -1;
}

#if TR_WITH_BODY
/* Takes in the body: a streamed one's pieces (tr_stream.c), or into a
 * body buffer, taken first, and then calls the handler. */
static int body_step(struct tr_conn *c, struct tr_slot *s)
{
#if TR_WITH_STREAM
    if (s->up.state)
        return tr_stream_step(c, s);
#endif
    if ((c->flags & TR_CF_WAIT) || (s->body == TR_NIL && buffer_get(c, TR_POOL_BODY) != 0))
        return TR_STEP_WAIT;
    int r = tr_body_step(c, s);
    if (r == TR_STEP_BODY_DONE) {
        invoke(c);
        return TR_STEP_AGAIN;
    }
    return r;
}
#endif

/* Answers every complete request in the input buffer. */
static int process(struct tr_conn *c)
{
    for (;;) {
#if TR_WITH_PULL
        /* A stream to an HTTP/1.0 client ends with the close: first the body. */
        if ((c->flags & TR_CF_CLOSE) && c->state != TR_CS_STREAM)
#else
        if (c->flags & TR_CF_CLOSE)
#endif
            return TR_STEP_CLOSE;
        int r = TR_STEP_AGAIN;
        if (c->state == TR_CS_HEAD) {
            r = head_step(c, slot_of(c));
#if TR_WITH_BODY
        } else if (c->state == TR_CS_BODY) {
            r = body_step(c, slot_of(c));
#endif
#if TR_WITH_DEFER
        } else if (c->state == TR_CS_LATER) {
            r = tr_later_step(c, slot_of(c));
#endif
#if TR_WITH_PULL
        } else if (c->state == TR_CS_STREAM) {
            r = tr_pull_step(c, slot_of(c));
#if TR_WITH_FILE
            if (r == TR_STEP_FILE && (r = tr_file_step(c, slot_of(c))) == TR_STEP_CLOSE)
                r = tr_pull_cut(c, slot_of(c));
#endif
#endif
        } else {
            r = TR_STEP_INPUT; /* idle or lingering */
        }
        if (r != TR_STEP_AGAIN)
            return r;
    }
}

/* ---- reading ----------------------------------------------------------- */

/* Drains a lingering connection until the peer closes. */
/* Bytes a lingering connection may drain in one wake-up.  A client that
 * sends more after its final answer is not reading it: close, rather than
 * let one connection keep the loop reading (and away from the deadlines
 * of every other one) for as long as it cares to send. */
#define TR_LINGER_DRAIN_MAX 65536

static long linger_read(struct tr_conn *c)
{
    char sink[1024];
    long n, total = 0;
    while ((n = tr_conn_read(c, sink, sizeof sink)) > 0)
        if ((total += n) > TR_LINGER_DRAIN_MAX)
            return TR_IO_END;
    return n;
}

/* Reads head bytes; takes a buffer first if the connection has none. */
static long head_read(struct tr_conn *c)
{
    if (c->flags & TR_CF_WAIT)
        return TR_IO_AGAIN; /* already queued; tr_conn_wake keeps FIFO order */
#if TR_WITH_TLS
    /* The engine holds the handshake's records: a request buffer is taken
     * only after it, so handshakes neither wait for one nor cut a holder. */
    if (c->buf == TR_NIL && tr_tls_handshaking(c)) {
        long h = tr_tls_handshake(c);
        if (h != 0)
            return h;
    }
#endif
    /* Without a buffer it stops reading (the edge is remembered by the
     * wait list) until tr_conn_wake hands one over. */
    if (c->buf == TR_NIL && buffer_get(c, TR_POOL_SLOT) != 0)
        return TR_IO_AGAIN;
    struct tr_slot *s = slot_of(c);
    if (s->start > 0 && s->lexed == s->start)
        in_compact(s);          /* nothing of it lexed: no views to move */
    long n = tr_conn_read(c, s->in + s->in_len, TR_HEAD_MAX - s->in_len);
    if (n > 0) {
        tr_pool_moved(s, (uint32_t)n);
        s->in_len += (uint32_t)n;
        if (c->state == TR_CS_IDLE) {
            c->state = TR_CS_HEAD;
            /* The head deadline runs from the first byte, or for a new
             * connection from its accept: waiting for the first byte is
             * waiting for the head too. */
            if (!(c->flags & TR_CF_FRESH))
                tr_timer_set(c, TR_TL_NONE);
            c->flags &= (uint8_t)~TR_CF_FRESH;
        }
    } else if (n == TR_IO_AGAIN && c->state == TR_CS_IDLE) {
        /* An idle keep-alive connection holds no buffer. */
        slot_put(c);
    }
    return n;
}

static long read_more(struct tr_conn *c)
{
    switch (c->state) {
    case TR_CS_LINGER: return linger_read(c);
#if TR_WITH_BODY
#if TR_WITH_STREAM
    case TR_CS_BODY: return slot_of(c)->up.state ? tr_stream_read(c, slot_of(c)) : tr_body_read(c, slot_of(c));
#else
    case TR_CS_BODY: return tr_body_read(c, slot_of(c));
#endif
#endif
    default: return head_read(c);
    }
}

/* Half-closes after the last answer and drains what the client still
 * sends, so that unread input does not turn the close into a reset that
 * destroys the answer (RFC 9112 §9.6). */
static void linger_start(struct tr_conn *c)
{
#if TR_WITH_TLS
    if (c->tls != TR_NIL)
        tr_tls_shutdown(c);
#endif
    tr_sys_shutdown(c->fd);
    if (c->buf != TR_NIL)
        slot_put(c);
    c->state = TR_CS_LINGER;
    c->flags &= (uint8_t)~TR_CF_CLOSE;
    tr_timer_set(c, TR_TL_NONE);
}

/* Puts the connection on the timer list its state calls for. */
static void arm(struct tr_conn *c, int wrote)
{
    int want;
    if (tr_out_pending(c) || c->state == TR_CS_LINGER)
        want = TR_TL_SEND;
#if TR_WITH_DEFER
    else if (c->state == TR_CS_LATER)   /* its deadline runs from the deferral */
        want = slot_of(c)->later_done ? TR_TL_READY : TR_TL_LATER;
#endif
#if TR_WITH_PULL
    else if (c->state == TR_CS_STREAM && tr_file_blocked(slot_of(c)))
        want = TR_TL_SEND;              /* sendfile(2) waits for the socket */
    else if (c->state == TR_CS_STREAM)  /* paused: until the app resumes it */
        want = c->tlist == TR_TL_READY ? TR_TL_READY : TR_TL_NONE;
#endif
    else if (c->state == TR_CS_HEAD || (c->flags & TR_CF_FRESH))
        want = TR_TL_HEAD;
    else if (c->state == TR_CS_BODY)
        want = TR_TL_BODY;
    else
        want = TR_TL_IDLE;
#if TR_WITH_TLS
    /* A fresh connection's head deadline starts once its handshake is done. */
    if ((want == TR_TL_IDLE || want == TR_TL_HEAD) && tr_tls_handshaking(c))
        want = TR_TL_HANDSHAKE;     /* its own deadline, from the accept */
#endif
    /* A blocked write gets a fresh deadline whenever it makes progress. */
    if (c->tlist != want || (want == TR_TL_SEND && wrote))
        tr_timer_set(c, want);
}

void tr_conn_run(struct tr_conn *c)
{
    int wrote = 0;
    /* Only a short read of this run vouches for an empty socket: events
     * merged into the wake-up that called it may be new bytes. */
    c->flags &= (uint8_t)~TR_CF_DRAINED;
    for (;;) {
        int step = process(c);
        if (tr_out_pending(c)) {
            const struct tr_outq *q = &slot_of(c)->q;
            uint32_t off = q->off;
            uint8_t ins_i = q->ins_i;
            size_t ins_off = q->ins_off;
            int r = tr_out_flush(c);
            if (r == TR_IO_END)
                goto close;
            /* Only progress earns a fresh send deadline: a client that
             * never reads must not be kept alive by its other events. */
            if (r == 0 || q->off != off || q->ins_i != ins_i || q->ins_off != ins_off)
                wrote = 1;
            if (r == TR_IO_AGAIN)
                break;
        }
        if (step == TR_STEP_CLOSE) {
            if (c->flags & TR_CF_QUIT)
                goto close;
            linger_start(c);
            continue;
        }
        if (step == TR_STEP_WAIT)
            break;
        if (step == TR_STEP_FLUSH)
            continue;
        long n = read_more(c);
        if (n == TR_IO_END)
            goto close;
        if (n == TR_IO_AGAIN)
            break;
    }
    arm(c, wrote);
    return;
close:
    tr_conn_close(c);
}

/* ---- life cycle -------------------------------------------------------- */

int tr_conn_open(int fd)
{
    tr_idx i = tr_srv.free_conn;
    if (i == TR_NIL)
        return -1;
    struct tr_conn *c = &tr_srv.conn[i];
    tr_srv.free_conn = c->link[TR_LINK_TIMER].next;
#if TR_WITH_DEFER
    uint16_t gen = c->gen;      /* the old client's handles stay stale */
#endif
    memset(c, 0, sizeof *c);
#if TR_WITH_DEFER
    c->gen = gen;
#endif
    c->fd = fd;
    c->buf = TR_NIL;
    memset(c->link, 0xff, sizeof c->link);     /* on no list: TR_NIL is all ones */
    c->state = TR_CS_IDLE;
    c->flags = TR_CF_FRESH;
#if TR_WITH_TLS
    c->tls = TR_NIL;
#endif
    tr_srv.active++;
    arm(c, 0);
    return 0;
}

void tr_conn_close(struct tr_conn *c)
{
    tr_idx i = (tr_idx)(c - tr_srv.conn);
#if TR_WITH_DEFER
    if (c->state == TR_CS_LATER)
        tr_later_gone(c);       /* before the slot goes: the app is told */
#endif
#if TR_WITH_PULL
    if (c->state == TR_CS_STREAM)
        tr_pull_gone(c);
#endif
    tr_timer_set(c, TR_TL_NONE);
    tr_pool_unwait(c);
#if TR_WITH_STREAM
    tr_stream_cut(c, TR_UPLOAD_ABORTED);    /* a client gone mid-upload */
#endif
    if (c->buf != TR_NIL)
        slot_put(c);
#if TR_WITH_TLS
    if (c->tls != TR_NIL)
        tr_tls_close(c);
#endif
    close(c->fd);
    c->fd = -1;
    c->state = TR_CS_FREE;
    c->flags = 0;
    c->link[TR_LINK_TIMER].next = tr_srv.free_conn;
    tr_srv.free_conn = i;
    tr_srv.active--;
}

void tr_conn_expire(struct tr_conn *c)
{
    int list = c->tlist;
    tr_timer_set(c, TR_TL_NONE);
#if TR_WITH_STREAM
    if (list == TR_TL_BODY)
        tr_stream_cut(c, TR_UPLOAD_TIMEOUT);
#endif
#if TR_WITH_DEFER
    if (list == TR_TL_LATER)
        tr_later_expire(c);     /* now a 503, queued as the answer */
    if (list == TR_TL_LATER || list == TR_TL_READY) {
        tr_conn_run(c);
        return;
    }
#endif
    /* RFC 9110 §15.5.9: a request not completed in time gets 408 and the
     * close option.  An idle, blocked or lingering one is just closed. */
    if ((list == TR_TL_HEAD || list == TR_TL_BODY) && c->buf != TR_NIL && !tr_out_pending(c)) {
        tr_out_fail(c, 408);
        tr_conn_run(c);
        return;
    }
    /* A client that stopped reading (a blocked write, or answers still
     * unsent in the kernel when any deadline runs out, lingering included):
     * reset rather
     * than close, or the kernel would keep the answers, the FIN and the
     * socket queued behind a zero window long after the slot is reused. */
    if ((list == TR_TL_SEND && c->state != TR_CS_LINGER) || tr_sock_unsent(c->fd) > 0) {
        struct linger abort_now = { 1, 0 };
        tr_setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    }
    tr_conn_close(c);
}

/* Serves waiters in order, each with its buffer in hand (so it does not
 * queue again behind those still waiting), while buffers are free or can
 * be cut from stalled holders. */
void tr_conn_wake(void)
{
#if TR_WITH_STREAM
    struct tr_conn *up;
    while ((up = tr_stream_resumed()) != NULL)
        tr_conn_run(up);
#endif
    for (int k = 0; k < TR_POOLS; k++) {
        while (tr_srv.pool[k].wait.head != TR_NIL && (tr_srv.pool[k].free != TR_NIL || cut_holder(k))) {
            struct tr_conn *c = tr_pool_next(k);
            take(c, k);         /* it waited for want of one: it has none */
            tr_conn_run(c);
        }
    }
}
