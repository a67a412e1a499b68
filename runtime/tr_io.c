/*
 * tr_io.c - a connection's socket: its reads, through the TLS engine when
 * it has one (tr_io_read, tr_internal.h), and its peer's address for the
 * handlers.  Below the request flow: the connection, body and stream
 * files read through here, so none of them needs another for its input.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tr_internal.h"

long tr_conn_read(struct tr_conn *c, char *p, size_t n)
{
    /* A stream socket gives a short read only when it has nothing more;
     * bytes that come later raise a new edge (each arrival wakes an
     * edge-triggered epoll on Linux), so the read that could only say
     * EAGAIN is saved: a system call per keep-alive request.  Not once
     * the peer's FIN is in (TR_CF_RDHUP): its end of file, which raises
     * no new edge, is still to be read. */
    if (c->flags & TR_CF_DRAINED) {
        c->flags &= (uint8_t)~TR_CF_DRAINED;
        return TR_IO_AGAIN;
    }
    for (;;) {
        ssize_t r = tr_io_read(c, p, n);
        if (r > 0) {
            if ((size_t)r < n && !(c->flags & TR_CF_RDHUP))
                c->flags |= TR_CF_DRAINED;
            return (long)r;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return TR_IO_AGAIN;
        return TR_IO_END;
    }
}

int tr_res_peer(const tr_res *res, void *addr, unsigned *len)
{
    const struct tr_conn *c = res->ctx;
    socklen_t n = *len;
    if (c == NULL || getpeername(c->fd, addr, &n) != 0)
        return -1;
    *len = n;
    return 0;
}
