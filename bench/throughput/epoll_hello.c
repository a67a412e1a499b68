/*
 * epoll_hello.c - the hand-written reference for bench/throughput: one
 * thread, non-blocking sockets, level-triggered epoll; reads what a client
 * sent, answers every complete request head in it ("\r\n\r\n") with one
 * canned "Hello, world!" response in one write, keeps the connection alive
 * unless the request said "Connection: close".  No parsing beyond that: "as
 * fast as C gets on one core".  Not product code.
 *   epoll_hello 127.0.0.1 PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXFD 65536
#define BUF 16384

static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n"
                           "Content-Type: text/plain\r\n\r\nHello, world!";
static const char resp_close[] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n"
                                 "Connection: close\r\nContent-Type: text/plain\r\n\r\n"
                                 "Hello, world!";

struct conn {
    unsigned len;       /* bytes of an incomplete head kept in buf */
    char buf[BUF];
};
static struct conn *conns[MAXFD];
static char out[BUF * 8];

int main(int argc, char **argv)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int one = 1, ls, ep, i, n;
    struct epoll_event ev, evs[256];

    if (argc != 3)
        return 2;
    sa.sin_port = htons((unsigned short)atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &sa.sin_addr);
    ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 4096) < 0) {
        perror("listen");
        return 1;
    }
    ep = epoll_create1(0);
    ev.events = EPOLLIN;
    ev.data.fd = ls;
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    for (;;) {
        n = epoll_wait(ep, evs, 256, -1);
        for (i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= MAXFD) { close(c); continue; }
                    if (conns[c] == NULL && (conns[c] = malloc(sizeof *conns[c])) == NULL) {
                        close(c); continue;
                    }
                    conns[c]->len = 0;
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    ev.events = EPOLLIN;
                    ev.data.fd = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
                }
                continue;
            }
            struct conn *cn = conns[fd];
            ssize_t r = read(fd, cn->buf + cn->len, BUF - 1 - cn->len);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN)
                    continue;
                close(fd);      /* also leaves the epoll set */
                continue;
            }
            size_t have = cn->len + (size_t)r, o = 0, start = 0;
            int closing = 0;
            char *end;
            cn->buf[have] = '\0';
            while (!closing && (end = memmem(cn->buf + start, have - start, "\r\n\r\n", 4))) {
                *end = '\0';
                closing = strcasestr(cn->buf + start, "\nconnection: close") != NULL;
                start = (size_t)(end - cn->buf) + 4;
                if (closing) {
                    memcpy(out + o, resp_close, sizeof resp_close - 1);
                    o += sizeof resp_close - 1;
                } else {
                    memcpy(out + o, resp, sizeof resp - 1);
                    o += sizeof resp - 1;
                }
            }
            if (start > 0 && have > start)
                memmove(cn->buf, cn->buf + start, have - start);
            cn->len = (unsigned)(have - start);
            if (cn->len >= BUF - 1)
                closing = 1;    /* head too large: drop */
            if (o > 0 && write(fd, out, o) != (ssize_t)o)
                closing = 1;    /* a short write on loopback with 8 KiB: give up */
            if (closing)
                close(fd);
        }
    }
}
