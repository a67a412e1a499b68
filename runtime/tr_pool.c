/*
 * tr_pool.c - the buffer pools: request buffers (struct tr_slot, input and
 * output paired) and, with bodies, body buffers.  Free lists, wait lists,
 * and the minimum rate at which a holder must move bytes.
 *
 * A buffer is wanted and its pool has none: every buffer is held by a
 * connection that has not finished, its head or body still coming or its
 * answers not taken.  Waiting until one of them finishes would let a few
 * clients that stall on purpose (slowloris, a body that never comes, a
 * reader that never reads) stop the server for everyone until their
 * deadlines; and a client that moves a byte now and then is hardly
 * better.  So a holder must move bytes at the minimum rate, TR_MIN_RATE
 * bytes a second (as Apache's mod_reqtimeout MinRate asks of a request):
 * each byte it moves pays for 1000 / TR_MIN_RATE ms of holding, and the
 * holder furthest behind is cut, as at its deadline (408, or a reset when
 * even that cannot be sent), once it is TR_MIN_RATE_GRACE_MS or more
 * behind.  Credit runs ahead of the clock by TR_MIN_RATE_CREDIT_MS at
 * most (a second), so a real client's pauses between bursts (a 2G link's
 * round trips: 5-10 KB/s in segments of 1,460 bytes, each worth 1.4 s at
 * 1 KB/s) never get it cut unless it falls silent for the credit and the
 * grace together (1.25 s), while clients that send a small fraction of
 * the rate fall behind by almost a second each second.  This is only
 * asked while others wait: with a free buffer, a slow client is bounded
 * by its deadline alone.
 *
 * A connection waiting for a body buffer holds a request buffer with its
 * head in it: the body bytes its client sent meanwhile (unread in the
 * socket) are its progress, so a legitimate upload held up by the server
 * is not cut for its wait, but one that sent a head and then nothing is
 * as silent as any other holder, and is cut for a connection that needs
 * a request buffer.  A client that sends its request whole holds no
 * buffer between turns.  Connections that want a buffer queue in order;
 * the connection's file (tr_conn.c, buffer_get and tr_conn_wake) holds
 * the one policy over both pools: take, or cut the holder this file
 * names (tr_pool_laggard), or queue, and serve the queue as buffers come
 * free or can be cut, trying again as the loop turns (at least every
 * CUT_RETRY_MS while anyone waits, tr_server.c).
 */
#include "tr_internal.h"

#if TR_WITH_BODY
void tr_pool_give_body(struct tr_slot *s)
{
    if (s->body == TR_NIL)
        return;
    tr_pool_give(TR_POOL_BODY, s->body);
    s->body = TR_NIL;
}
#endif

/* The pool c waits for, if it waits: its state says which (a body buffer
 * in TR_CS_BODY, else a request buffer). */
static int wanted(const struct tr_conn *c)
{
#if TR_WITH_BODY
    if (c->state == TR_CS_BODY)
        return TR_POOL_BODY;
#endif
    (void)c;
    return TR_POOL_SLOT;
}

void tr_pool_unwait(struct tr_conn *c)
{
    if (!(c->flags & TR_CF_WAIT))
        return;
    c->flags &= (uint8_t)~TR_CF_WAIT;
    tr_list_unlink(&tr_srv.pool[wanted(c)].wait, (tr_idx)(c - tr_srv.conn), TR_LINK_WAIT);
}

/* ---- the minimum rate -------------------------------------------------- */

void tr_pool_moved(struct tr_slot *s, uint32_t n)
{
    /* n is bounded so that the product fits 32 bits; the divisor is a
     * constant, so this is a multiplication. */
    uint32_t cap = tr_srv.now + TR_MIN_RATE_CREDIT_MS;
    if (n > 1u << 20)
        n = 1u << 20;
    s->heard += n * 1000u / TR_MIN_RATE;
    if ((int32_t)(s->heard - cap) > 0)
        s->heard = cap;
}

/* Credits the growth of a kernel queue counter since the last look, *last
 * its value then, mod 2^16 (a shrinking one is passed negated). */
static void queue_moved(struct tr_slot *s, uint16_t *last, int bytes)
{
    uint16_t d = (uint16_t)((uint16_t)bytes - *last);
    if (d < 0x8000)
        tr_pool_moved(s, d);
    *last = (uint16_t)bytes;
}

/* Whether c holds a request buffer (and a body buffer, for kind
 * TR_POOL_BODY) and is far enough behind the minimum rate to be cut for
 * it.  An answer being sent moves when the kernel's queue of it shrinks,
 * and a body waiter's client when its socket's unread bytes grow, which
 * the server sees only when it asks: so this also credits that progress. */
static int cuttable(struct tr_conn *c, int kind)
{
    if (c->buf == TR_NIL)
        return 0;
    struct tr_slot *s = &tr_srv.slot[c->buf];
    int q;
#if TR_WITH_STREAM
    if (tr_stream_paused(s))
        return 0; /* the server chose this wait; timeout body bounds it */
#endif
    if (c->flags & TR_CF_WAIT) {
#if TR_WITH_BODY
        /* Only a body waiter holds a buffer while it waits: its request one. */
        if (kind != TR_POOL_SLOT || c->state != TR_CS_BODY || (q = tr_sock_unread(c->fd)) < 0)
            return 0;
        queue_moved(s, &s->inq, q);
#else
        return 0;
#endif
    } else {
#if TR_WITH_BODY
        if (kind == TR_POOL_BODY && s->body == TR_NIL)
            return 0;
#else
        (void)kind;
#endif
        if ((q = tr_sock_unsent(c->fd)) >= 0)
            queue_moved(s, &s->outq, -q);
    }
    return (int32_t)(tr_srv.now - s->heard) >= TR_MIN_RATE_GRACE_MS;
}

struct tr_conn *tr_pool_laggard(int kind)
{
    /* Every holder is on the head, body or send list; they are walked only
     * when a pool is empty, and are as long as the pool at most. */
    struct tr_conn *best = NULL;
    for (int l = TR_TL_HEAD; l <= TR_TL_SEND; l++) {
        tr_idx i = tr_srv.timer[l].head;
        for (; i != TR_NIL; i = tr_srv.conn[i].link[TR_LINK_TIMER].next) {
            struct tr_conn *c = &tr_srv.conn[i];
            if (cuttable(c, kind) &&
                (best == NULL || (int32_t)(tr_srv.slot[c->buf].heard - tr_srv.slot[best->buf].heard) < 0))
                best = c;
        }
    }
    return best;
}
