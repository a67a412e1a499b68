/*
 * tr_later.c - answers that come later (tr.h, "answers that come later").
 * Compiled to nothing unless a route of the spec says `defer`.
 *
 * A deferred request keeps its connection in TR_CS_LATER: the buffers
 * stay (the request's views with them), nothing more is read, and the
 * connection sits on the TR_TL_LATER list, whose duration is
 * TR_DEFER_TIMEOUT_MS.  The answer is built in the slot's own tr_res.
 * Sending it only marks it done and moves the connection to TR_TL_READY,
 * a list of duration 0 that the loop's next pass of deadlines runs: so
 * tr_later_send may be called from anywhere (another connection's
 * handler included) without running a connection inside another.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_DEFER

static struct tr_slot *slot_of(struct tr_conn *c)
{
    return &tr_srv.slot[c->buf];
}

static tr_later handle_of(struct tr_conn *c)
{
    tr_later h = { (uint32_t)c->gen << 16 | (uint32_t)(c - tr_srv.conn) };
    return h;
}

/* The connection h was made for, if its answer is still awaited. */
static struct tr_conn *conn_of(tr_later h)
{
    uint32_t i = h.id & 0xffff;
    if (h.id == 0 || i >= TR_CONNECTIONS)
        return NULL;
    struct tr_conn *c = &tr_srv.conn[i];
    if (c->state != TR_CS_LATER || c->gen != h.id >> 16 || slot_of(c)->later_done)
        return NULL;
    return c;
}

tr_later tr_res_defer(tr_res *res, tr_later_fn *done, void *arg)
{
    tr_later none = { 0 };
    struct tr_conn *c = res->ctx;
    if (c == NULL)
        return none;
    /* A new generation for every deferral: a handle of an earlier one,
     * on this slot or by its earlier clients, is stale.  Never 0, so
     * that no handle is the id 0 of "none". */
    if (++c->gen == 0)
        c->gen = 1;
    struct tr_slot *s = slot_of(c);
    s->later_fn = done;
    s->later_arg = arg;
    res->later = 1;
    return handle_of(c);
}

int tr_later_hold(struct tr_conn *c, tr_res *res, int status)
{
    if (!res->later)
        return 0;
    res->later = 0;
    if (status != 0) {
        c->gen++;               /* it answered after all: the handle is stale */
        return 0;
    }
    struct tr_slot *s = slot_of(c);
    s->later = *res;
    s->later_done = 0;
    c->state = TR_CS_LATER;
    tr_timer_set(c, TR_TL_LATER);
    return 1;
}

tr_res *tr_later_res(tr_later h)
{
    struct tr_conn *c = conn_of(h);
    return c ? &slot_of(c)->later : NULL;
}

int tr_later_send(tr_later h)
{
    struct tr_conn *c = conn_of(h);
    if (c == NULL)
        return -1;
    slot_of(c)->later_done = 1;
    tr_timer_set(c, TR_TL_READY);
    return 0;
}

/* Gives up h's answer: done is called once, with the handle stale. */
static void give_up(struct tr_conn *c, int why)
{
    struct tr_slot *s = slot_of(c);
    tr_later h = handle_of(c);
    s->later_done = 1;
    if (s->later_fn)
        s->later_fn(h, s->later_arg, why);
}

int tr_later_step(struct tr_conn *c, struct tr_slot *s)
{
    if (s->later_done) {
        tr_res *res = &s->later;
        /* The answers queued before it may have been written since, and
         * the queue emptied: the answer moves to the front. */
        if (s->q.len < res->base) {
            memmove(s->out, s->out + res->base, TR_RES_RESERVE + res->hlen + res->blen);
            res->base = 0;
        }
        c->state = TR_CS_HEAD;  /* tr_out_respond picks the next state */
        tr_out_respond(c, res);
        return TR_STEP_AGAIN;
    }
    if (c->flags & TR_CF_RDHUP) {
        /* The client half-closed, reset or failed: it is gone, as far as
         * an answer that has yet to be made goes.  Nothing is unread
         * that matters, so no lingering. */
        c->flags |= TR_CF_CLOSE | TR_CF_QUIT;
        return TR_STEP_CLOSE;
    }
    return TR_STEP_WAIT;        /* read nothing: what is pipelined waits */
}

void tr_later_expire(struct tr_conn *c)
{
    give_up(c, TR_LATER_TIMEOUT);
    tr_res *res = &slot_of(c)->later;
    tr_res_reset(res, 503);
#if TR_WITH_ERROR_BODIES
    tr_res_error_body(res);
#endif
}

void tr_later_gone(struct tr_conn *c)
{
    if (!slot_of(c)->later_done)
        give_up(c, TR_LATER_GONE);
}

#endif /* TR_WITH_DEFER */
