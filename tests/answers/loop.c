/*
 * loop.c - the handlers of loop.routes: start() (the spec's init) runs a
 * periodic 50 ms timer and watches an eventfd; /ticks says how often the
 * timer ran; /after/MS defers and answers from a one-shot timer; /work
 * defers, and a worker thread does the (here: sleeping) slow part, then
 * wakes the loop through the eventfd, whose callback answers.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "loop_routes.h"

static unsigned ticks;
static int efd = -1;

/* A one-shot timer's deferred answer, by timer number. */
static tr_later after_waiter[8];

/* The worker's jobs: the loop's thread writes the handle, the worker only
 * sleeps and signals; the answer is made on the loop's thread. */
#define JOBS 8
static tr_later job[JOBS];
static unsigned njobs;

static void tick(int timer, void *arg)
{
    (void)timer, (void)arg;
    ticks++;
}

static void *worker(void *arg)
{
    (void)arg;
    usleep(50 * 1000);          /* the slow part: a flash write, say */
    uint64_t one = 1;
    if (write(efd, &one, sizeof one) != sizeof one)
        return NULL;
    return NULL;
}

static void work_done(int fd, unsigned events, void *arg)
{
    uint64_t n;
    (void)events, (void)arg;
    if (read(fd, &n, sizeof n) != sizeof n)
        return;
    /* Each wake-up finishes one job, oldest first. */
    while (n-- > 0 && njobs > 0) {
        tr_later h = job[0];
        for (unsigned i = 1; i < njobs; i++)
            job[i - 1] = job[i];
        njobs--;
        tr_res *res = tr_later_res(h);
        if (res) {
            tr_res_puts(res, "worked");
            tr_later_send(h);
        }
    }
}

int loop_start(void)
{
    efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0 || tr_loop_fd(efd, TR_READABLE, work_done, NULL) != 0)
        return -1;
    return tr_loop_timer(50, 1, tick, NULL) < 0 ? -1 : 0;
}

void loop_ticks(tr_res *res)
{
    tr_res_int(res, ticks);
}

static void after_fired(int timer, void *arg)
{
    (void)arg;
    tr_later h = after_waiter[timer];
    tr_res *res = tr_later_res(h);
    if (res) {
        tr_res_puts(res, "after");
        tr_later_send(h);
    }
}

void loop_after(tr_res *res, uint64_t ms)
{
    int t = tr_loop_timer((uint32_t)ms, 0, after_fired, NULL);
    if (t < 0 || t >= 8) {
        tr_loop_timer_stop(t);
        tr_res_status(res, 503);
        return;
    }
    after_waiter[t] = tr_res_defer(res, NULL, NULL);
}

void loop_work(tr_res *res)
{
    pthread_t th;
    if (njobs == JOBS || pthread_create(&th, NULL, worker, NULL) != 0) {
        tr_res_status(res, 503);
        return;
    }
    pthread_detach(th);
    job[njobs++] = tr_res_defer(res, NULL, NULL);
}
