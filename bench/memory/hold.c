/*
 * hold.c - opens N keep-alive connections to 127.0.0.1:PORT, sends one
 * "GET / HTTP/1.1" on each and reads its response, then prints "ready" and
 * holds them open until killed (bench/memory/run.sh).
 *   hold PORT N
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int n, i, ok = 0;
    char buf[1024];

    if (argc != 3)
        return 2;
    sa.sin_port = htons((unsigned short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    n = atoi(argv[2]);
    for (i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
            perror("connect");
            break;
        }
        if (write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1))
            break;
        /* the response is small: one read gets its head and body */
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0)
            ok++;
    }
    printf("ready %d/%d\n", ok, n);
    fflush(stdout);
    pause();
    return 0;
}
