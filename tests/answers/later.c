/*
 * later.c - the handlers of later.routes: /wait defers until a /fire
 * answers every waiter; /never defers and is never answered; /notices
 * says how often the runtime gave up on a deferral, and why; /stale
 * tries the handles of answers already sent.
 */
#include "later_routes.h"

#define WAITERS 16

static tr_later waiter[WAITERS];        /* deferred, not answered yet */
static unsigned nwaiters;
static tr_later sent[WAITERS];          /* answered: stale from then on */
static unsigned nsent;
static unsigned timeouts, gones, fired;

void later_root(tr_res *res)
{
    tr_res_puts(res, "Hello, world!");
}

/* Drops h from the waiters, if it is one. */
static void forget(tr_later h)
{
    for (unsigned i = 0; i < nwaiters; i++) {
        if (waiter[i].id == h.id) {
            waiter[i] = waiter[--nwaiters];
            return;
        }
    }
}

static void given_up(tr_later h, void *arg, int why)
{
    (void)arg;
    if (why == TR_LATER_TIMEOUT)
        timeouts++;
    else if (why == TR_LATER_GONE)
        gones++;
    forget(h);
}

void later_wait(tr_res *res)
{
    if (nwaiters == WAITERS) {
        tr_res_status(res, 429);
        return;
    }
    /* A field set before deferring goes out with the answer. */
    tr_res_content_type(res, "text/plain");
    tr_later h = tr_res_defer(res, given_up, NULL);
    if (h.id != 0)
        waiter[nwaiters++] = h;
}

void later_fire(tr_res *res)
{
    unsigned n = 0;
    fired++;
    while (nwaiters > 0) {
        tr_later h = waiter[--nwaiters];
        tr_res *r = tr_later_res(h);
        if (r == NULL)
            continue;
        tr_res_puts(r, "fired ");
        tr_res_int(r, fired);
        if (tr_later_send(h) == 0)
            n++;
        if (nsent < WAITERS)
            sent[nsent++] = h;
    }
    tr_res_puts(res, "answered ");
    tr_res_int(res, n);
}

void later_never(tr_res *res)
{
    tr_res_defer(res, given_up, NULL);
}

void later_notices(tr_res *res)
{
    tr_res_puts(res, "timeouts=");
    tr_res_int(res, timeouts);
    tr_res_puts(res, " gone=");
    tr_res_int(res, gones);
    tr_res_puts(res, " waiting=");
    tr_res_int(res, nwaiters);
}

void later_stale(tr_res *res)
{
    unsigned live = 0;
    for (unsigned i = 0; i < nsent; i++)
        live += tr_later_res(sent[i]) != NULL || tr_later_send(sent[i]) == 0;
    tr_res_puts(res, "stale ");
    tr_res_int(res, nsent - live);
    tr_res_puts(res, " live ");
    tr_res_int(res, live);
}
