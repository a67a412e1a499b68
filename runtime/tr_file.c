/*
 * tr_file.c - a file of the device's file system as the body (tr.h,
 * "a file as the answer").  Compiled to nothing unless a route of the
 * spec says `file`.
 *
 * A file answer is a stream of tr_pull.c whose length is the file's: the
 * head goes out from the output buffer as any answer's, then on a plain
 * socket tr_pull_step hands each step to tr_file_step, which moves the
 * bytes with sendfile(2), page cache to socket, never through the output
 * buffer; a full socket waits for EPOLLOUT under the send deadline.  TLS
 * needs the bytes in user space to encrypt them, so there the stream's
 * fill preads them into the output buffer and they go out as any piece's
 * (tr_io_writev).  The runtime owns the descriptor from tr_res_file on
 * and closes it when the stream is over, however it ends.
 *
 * tr_res_file_range's answers carry an ETag made of the file's
 * modification time and size, and If-Range is compared with it; there is
 * no Last-Modified (formatting one would need tr_date.c in every spec
 * with a file), so an If-Range date never matches: the whole file.
 */
/* pread under -std=c11; a build may define it already (as 1). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tr_internal.h"

#if TR_WITH_FILE

#include "tr_range.h"

/* At most this much per sendfile call, so one fast client cannot keep the
 * loop for a whole file (the step is called again at once). */
#define FILE_STEP (1u << 20)

/* The fill of a TLS connection (and of nothing else): the next bytes. */
static long file_fill(void *arg, char *buf, size_t cap)
{
    struct tr_slot *s = arg;
    ssize_t n;
    do
        n = pread(s->ffd, buf, cap, (off_t)s->foff);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return TR_STREAM_ABORT; /* the file shrank or failed: cut it short */
    s->foff += (uint64_t)n;
    return (long)n;
}

/* The stream is over (tr_pull.c calls it once): close, tell the app. */
static void file_done(void *arg, int complete)
{
    struct tr_slot *s = arg;
    tr_stream_done_fn *done = s->fdone;
    close(s->ffd);
    s->ffd = -1;
    s->is_file = 0;
    s->fblocked = 0;
    s->fdone = NULL;
    if (done)
        done(s->farg, complete);
}

tr_later tr_res_file(tr_res *res, int fd, uint64_t offset, uint64_t length, tr_stream_done_fn *done,
                     void *arg)
{
    tr_later none = { 0 };
    struct tr_conn *c = res->ctx;
    if (c == NULL || fd < 0 || length > INT64_MAX) {
        if (fd >= 0)
            close(fd);
        return none;
    }
    struct tr_slot *s = &tr_srv.slot[c->buf];
    s->ffd = fd;
    s->foff = offset;
    s->fdone = done;
    s->farg = arg;
    s->is_file = 1;
    s->fblocked = 0;
    return tr_res_stream(res, (int64_t)length, file_fill, file_done, s);
}

/* Writes v in lowercase hex at p; its length. */
static size_t hex(char *p, uint64_t v)
{
    char t[16];
    size_t n = 0, k = 0;
    do
        t[n++] = "0123456789abcdef"[v & 15];
    while ((v >>= 4) != 0);
    while (n > 0)
        p[k++] = t[--n];
    return k;
}

/* fd's entity tag (RFC 9110 §8.8.3) at tag: "MTIME.NSEC-SIZE" in hex, as
 * nginx makes its own (with nanoseconds: a rewrite within the second is
 * another tag), so an append or a rewrite changes it.  Its length, or 0
 * when fstat fails. */
static size_t file_etag(int fd, char tag[56])
{
    struct stat st;
    size_t n = 0;
    if (fstat(fd, &st) != 0)
        return 0;
    tag[n++] = '"';
    n += hex(tag + n, (uint64_t)st.st_mtim.tv_sec);
    tag[n++] = '.';
    n += hex(tag + n, (uint64_t)st.st_mtim.tv_nsec);
    tag[n++] = '-';
    n += hex(tag + n, (uint64_t)st.st_size);
    tag[n++] = '"';
    return n;
}

tr_later tr_res_file_range(tr_res *res, int fd, uint64_t size, tr_str range, tr_str if_range,
                           tr_stream_done_fn *done, void *arg)
{
    struct tr_conn *c = res->ctx;
    tr_rlen from = 0, to = 0;
    int r = 0;
    char tag[56];
    size_t tlen = fd >= 0 ? file_etag(fd, tag) : 0;
    tr_res_header(res, "Accept-Ranges", "bytes", 5);
    if (tlen)
        tr_res_header(res, "ETag", tag, tlen);
    /* RFC 9110 §13.1.5: the Range holds only if If-Range's validator
     * matches the file's ETag by the strong comparison (§8.8.3.2: a weak
     * tag W/"..." never does); a date matches no Last-Modified sent. */
    int same = !if_range.ptr || (tlen && if_range.len == tlen && memcmp(if_range.ptr, tag, tlen) == 0);
    /* §14.2: ranges of GET only. */
    if (c != NULL && tr_srv.slot[c->buf].rq.method == TR_GET && range.ptr && same)
        r = range_one(range, size, &from, &to);
    if (r < 0) {                /* §15.5.17: 416 says the size */
        tr_res_status(res, 416);
        range_field(res, 0, 0, 0, size);
        return tr_res_file(res, fd, 0, 0, done, arg);
    }
    if (r == 0)
        return tr_res_file(res, fd, 0, size, done, arg);
    tr_res_status(res, 206);
    range_field(res, 1, from, to, size);
    return tr_res_file(res, fd, from, to - from + 1, done, arg);
}

int tr_file_step(struct tr_conn *c, struct tr_slot *s)
{
    size_t n = s->sleft < FILE_STEP ? (size_t)s->sleft : FILE_STEP;
    off_t off = (off_t)s->foff;
    ssize_t w = sendfile(c->fd, s->ffd, &off, n);
    if (w > 0) {
        s->foff = (uint64_t)off;
        if ((s->sleft -= (uint64_t)w) == 0)
            s->send_ = 1;       /* every byte on the socket: tr_pull_step ends it */
        s->fblocked = 0;
        /* As out_flush: a write keeps the holder level with the clock,
         * and progress earns a fresh send deadline. */
        if ((int32_t)(tr_srv.now - s->heard) > 0)
            s->heard = tr_srv.now;
        tr_timer_set(c, TR_TL_SEND);
        return -1;
    }
    if (w < 0 && errno == EINTR)
        return -1;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s->fblocked = 1;
        return TR_STEP_WAIT;
    }
    return TR_STEP_CLOSE;       /* the file shrank (0), or the socket failed */
}

#else
typedef int tr_file_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_FILE */
