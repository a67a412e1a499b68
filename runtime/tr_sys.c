/*
 * tr_sys.c - the system calls that the runtime makes through wrappers of
 * its own: setsockopt(2) and the two ioctl(2) queries of a socket's
 * queues, and the log on stderr.  The bottom of the runtime, with
 * tr_list.c: it calls nothing of it.
 *
 * setsockopt and ioctl go as plain system calls where the kernel has them:
 * on 32-bit targets musl's wrappers carry time64 conversions (about 1.2 KB
 * of Thumb-2) for options and requests this runtime never uses.  i386 may
 * only have socketcall.  The loop's own calls (socket, accept4, signalfd4,
 * epoll and the rest) are macros of the same kind in tr_internal.h.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tr_internal.h"

#if defined(SYS_setsockopt) && defined(SYS_ioctl) && !defined(__i386__)
int tr_setsockopt(int fd, int level, int name, const void *value, unsigned len)
{
    return (int)syscall(SYS_setsockopt, fd, level, name, value, len);
}
#define sys_ioctl(fd, req, arg) ((int)syscall(SYS_ioctl, (fd), (req), (arg)))
#else
int tr_setsockopt(int fd, int level, int name, const void *value, unsigned len)
{
    return setsockopt(fd, level, name, value, (socklen_t)len);
}
#define sys_ioctl ioctl
#endif

int tr_sock_unsent(int fd)
{
    int n;
    return sys_ioctl(fd, TIOCOUTQ, &n) == 0 ? n : -1;
}

#if TR_WITH_BODY
int tr_sock_unread(int fd)
{
    int n;
    return sys_ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}
#endif

void tr_log(const char *what, const char *why)
{
    const char *part[5] = { "tinyroute: ", what, why ? ": " : "", why ? why : "", "\n" };
    for (int i = 0; i < 5; i++) {
        if (write(2, part[i], strlen(part[i])) < 0)
            return;
    }
}
