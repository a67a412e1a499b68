/*
 * loop_main.c - main() for loop_ext.routes: a program with a poll(2) loop
 * of its own drives the server through its epoll descriptor, as uloop or
 * libev would: poll it with the server's next deadline as the timeout,
 * then take one step.
 */
#include <poll.h>

#include "tr_app.h"
#include "loop_routes.h"

int main(int argc, char **argv)
{
    char addr[64] = "127.0.0.1";
    uint16_t port = 8080;
    if (argc == 2 && tr_parse_listen(argv[1], addr, &port) < 0)
        return 2;
    int fd = tr_open(&loop_app, addr, port);
    if (fd < 0)
        return 1;
    int st = 0;
    while (st == 0) {
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, tr_timeout()) < 0)
            continue;           /* EINTR; the step sees the rest */
        st = tr_step(0);
    }
    tr_close();
    return st < 0 ? 1 : 0;
}
