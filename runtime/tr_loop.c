/*
 * tr_loop.c - the app's descriptors and timers in the server's epoll loop
 * (tr.h, "the loop shared with the app").  Compiled to nothing unless the
 * spec says `loop on` or names an `init`.
 *
 * Fixed tables, as everything else: TR_LOOP_FDS watches, each registered
 * level-triggered with its slot's epoll data (TR_ID_APP), and
 * TR_LOOP_TIMERS timers, scanned when the loop computes its timeout and
 * after each wait: a handful, so a scan is cheaper than a heap's code.
 */
#include <sys/epoll.h>

#include "tr_internal.h"

#if TR_WITH_LOOP

struct watch {
    int fd;                  /* -1: slot free */
    tr_fd_fn *fn;
    void *arg;
};

struct timer {
    uint32_t due;            /* tr_srv.now clock, ms */
    uint32_t period;         /* 0: one-shot */
    tr_timer_fn *fn;         /* NULL: slot free */
    void *arg;
};

static struct watch watches[TR_LOOP_FDS];
static struct timer timers[TR_LOOP_TIMERS];
static uint8_t ready;        /* tr_loop_reset ran: the tables are valid */

void tr_loop_reset(void)
{
    for (int k = 0; k < TR_LOOP_FDS; k++)
        watches[k].fd = -1;
    for (int k = 0; k < TR_LOOP_TIMERS; k++)
        timers[k].fn = NULL;
    ready = 1;
}

static struct watch *watch_of(int fd)
{
    for (int k = 0; k < TR_LOOP_FDS; k++)
        if (watches[k].fd == fd)
            return &watches[k];
    return NULL;
}

int tr_loop_fd(int fd, unsigned events, tr_fd_fn *fn, void *arg)
{
    if (!ready || fd < 0 || fn == NULL || tr_srv.ep < 0)
        return -1;
    struct watch *w = watch_of(fd);
    int op = w ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (w == NULL && (w = watch_of(-1)) == NULL)
        return -1;              /* TR_LOOP_FDS watched already */
    struct epoll_event ev = { 0 };
    ev.events = (events & TR_READABLE ? EPOLLIN : 0u) | (events & TR_WRITABLE ? EPOLLOUT : 0u);
    ev.data.u32 = TR_ID_APP(w - watches);
    if (epoll_ctl(tr_srv.ep, op, fd, &ev) != 0)
        return -1;
    w->fd = fd;
    w->fn = fn;
    w->arg = arg;
    return 0;
}

int tr_loop_fd_remove(int fd)
{
    struct watch *w = fd >= 0 ? watch_of(fd) : NULL;
    if (w == NULL)
        return -1;
    /* The descriptor may be closed already (epoll then forgot it). */
    epoll_ctl(tr_srv.ep, EPOLL_CTL_DEL, fd, NULL);
    w->fd = -1;
    return 0;
}

int tr_loop_event(uint32_t id, uint32_t events)
{
    uint32_t k = TR_ID_APP(0) - id;
    if (k >= TR_LOOP_FDS)
        return 0;
    struct watch *w = &watches[k];
    if (w->fd >= 0) {
        unsigned e = (events & EPOLLIN ? TR_READABLE : 0u) | (events & EPOLLOUT ? TR_WRITABLE : 0u) |
                     (events & (EPOLLHUP | EPOLLERR) ? TR_HANGUP : 0u);
        w->fn(w->fd, e, w->arg);
    }
    return 1;
}

int tr_loop_timer(uint32_t ms, int periodic, tr_timer_fn *fn, void *arg)
{
    if (!ready || fn == NULL)
        return -1;
    if (ms == 0)
        ms = 1;
    for (int k = 0; k < TR_LOOP_TIMERS; k++) {
        if (timers[k].fn == NULL) {
            timers[k].due = tr_srv.now + ms;
            timers[k].period = periodic ? ms : 0;
            timers[k].fn = fn;
            timers[k].arg = arg;
            return k;
        }
    }
    return -1;
}

void tr_loop_timer_stop(int timer)
{
    if (ready && timer >= 0 && timer < TR_LOOP_TIMERS)
        timers[timer].fn = NULL;
}

void tr_loop_next(int32_t *best)
{
    for (int k = 0; k < TR_LOOP_TIMERS; k++) {
        if (timers[k].fn == NULL)
            continue;
        int32_t d = (int32_t)(timers[k].due - tr_srv.now);
        if (d < 0)
            d = 0;
        if (*best < 0 || d < *best)
            *best = d;
    }
}

void tr_loop_timers(void)
{
    for (int k = 0; k < TR_LOOP_TIMERS; k++) {
        struct timer *t = &timers[k];
        if (t->fn == NULL || (int32_t)(t->due - tr_srv.now) > 0)
            continue;
        tr_timer_fn *fn = t->fn;
        void *arg = t->arg;
        if (t->period) {
            t->due += t->period;
            /* Late by more than a period (a stalled loop): skip the runs
             * missed rather than fire them back to back. */
            if ((int32_t)(t->due - tr_srv.now) <= 0)
                t->due = tr_srv.now + t->period;
        } else {
            t->fn = NULL;       /* before the call: it may start a new one */
        }
        fn(k, arg);
    }
}

#endif /* TR_WITH_LOOP */
