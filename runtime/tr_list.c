/*
 * tr_list.c - the server's state (tr_srv) and the lists through its pool
 * of connections: the wait lists for buffers and the timer lists, one
 * duration a list.
 *
 * The bottom of the runtime: every file that links a connection into a
 * list or reads the clock reads tr_srv, so it is defined here rather than
 * in the loop's file, which is the top (scripts/depgraph.sh: no circle).
 */
#include "tr_internal.h"

struct tr_srv tr_srv;

/* Each timer list has one duration, indexed by TR_TL_*. */
static const uint32_t timer_ms[TR_TL_COUNT] = {
    0, TR_HEAD_TIMEOUT_MS, TR_BODY_TIMEOUT_MS, TR_SEND_TIMEOUT_MS, TR_IDLE_TIMEOUT_MS,
#if TR_WITH_TLS
    TR_TLS_HANDSHAKE_TIMEOUT_MS,
#endif
#if TR_WITH_DEFER
    TR_DEFER_TIMEOUT_MS, 0,
#endif
};

/* Connection i's link of kind TR_LINK_*. */
static struct tr_link *link_of(tr_idx i, int kind)
{
    return &tr_srv.conn[i].link[kind];
}

void tr_list_push(struct tr_list *l, tr_idx i, int kind)
{
    struct tr_link *k = link_of(i, kind);
    k->prev = l->tail;
    k->next = TR_NIL;
    if (l->tail != TR_NIL)
        link_of(l->tail, kind)->next = i;
    else
        l->head = i;
    l->tail = i;
}

void tr_list_unlink(struct tr_list *l, tr_idx i, int kind)
{
    struct tr_link *k = link_of(i, kind);
    if (k->prev != TR_NIL)
        link_of(k->prev, kind)->next = k->next;
    else
        l->head = k->next;
    if (k->next != TR_NIL)
        link_of(k->next, kind)->prev = k->prev;
    else
        l->tail = k->prev;
    k->prev = k->next = TR_NIL;
}

/*
 * Moves c to the tail of timer list `list` with deadline now + its
 * duration, or off all lists for TR_TL_NONE.  The tail is right because
 * `now` never goes back and every entry of a list has the same duration.
 */
void tr_timer_set(struct tr_conn *c, int list)
{
    tr_idx i = (tr_idx)(c - tr_srv.conn);
    if (c->tlist != TR_TL_NONE)
        tr_list_unlink(&tr_srv.timer[c->tlist], i, TR_LINK_TIMER);
    c->tlist = (uint8_t)list;
    if (list == TR_TL_NONE)
        return;
    c->deadline = tr_srv.now + timer_ms[list];
    tr_list_push(&tr_srv.timer[list], i, TR_LINK_TIMER);
}
