/*
 * stream.c - the handlers of stream.routes: /pieces/N/SIZE streams N
 * pieces of SIZE bytes of a pattern (length unknown: chunked, or to the
 * close for HTTP/1.0), /sized/N/SIZE the same with its length said
 * (Content-Length), /short says a length and ends before it; /notices
 * counts the completion calls.  One stream at a time is enough here:
 * each carries its own state in a small pool.
 */
#include <string.h>

#include "stream_routes.h"

struct job {
    uint64_t left;           /* pieces to come */
    uint64_t size;
    uint64_t sent;           /* bytes so far: the pattern's position */
    int used;
};

static struct job jobs[16];
static unsigned complete, incomplete;

/* The pattern: byte i of a body is "0123456789abcdefghij..."[i % 61]. */
static char at(uint64_t i)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY";
    return alphabet[i % 61];
}

static long fill(void *arg, char *buf, size_t cap)
{
    struct job *j = arg;
    if (j->left == 0)
        return TR_STREAM_END;
    size_t n = j->size < cap ? (size_t)j->size : cap;   /* one piece a call */
    for (size_t i = 0; i < n; i++)
        buf[i] = at(j->sent + i);
    j->sent += n;
    j->left--;
    return (long)n;
}

static void done(void *arg, int ok)
{
    struct job *j = arg;
    j->used = 0;
    if (ok)
        complete++;
    else
        incomplete++;
}

static struct job *job_new(uint64_t n, uint64_t size)
{
    for (unsigned i = 0; i < 16; i++) {
        if (!jobs[i].used) {
            jobs[i] = (struct job){ n, size, 0, 1 };
            return &jobs[i];
        }
    }
    return NULL;
}

static void start(tr_res *res, uint64_t n, uint64_t size, int64_t length)
{
    struct job *j = size > 0 && size <= 8192 ? job_new(n, size) : NULL;
    if (j == NULL) {
        tr_res_status(res, 400);
        return;
    }
    tr_res_content_type(res, "text/plain");
    if (tr_res_stream(res, length, fill, done, j).id == 0)
        j->used = 0;
}

void stream_pieces(tr_res *res, uint64_t n, uint64_t size)
{
    start(res, n, size, -1);
}

void stream_sized(tr_res *res, uint64_t n, uint64_t size)
{
    start(res, n, size, (int64_t)(n * size));
}

void stream_short(tr_res *res)
{
    start(res, 2, 100, 1000);  /* says 1000, gives 200 */
}

void stream_notices(tr_res *res)
{
    tr_res_puts(res, "complete=");
    tr_res_int(res, complete);
    tr_res_puts(res, " incomplete=");
    tr_res_int(res, incomplete);
}
