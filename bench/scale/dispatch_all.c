/*
 * dispatch_all.c - dispatches every path listed in a file (one per line)
 * through a generated dispatcher, ROUNDS times, for callgrind.  Exits 1 if
 * a path does not reach a route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_app.h"

extern const struct tr_app APP;

int main(int argc, char **argv)
{
    static char lines[1 << 20], path[4096];
    FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
    size_t n = f ? fread(lines, 1, sizeof lines - 1, f) : 0;
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    struct tr_request rq;
    struct tr_match m;

    if (!f)
        return 2;
    lines[n] = '\0';
    for (int k = 0; k < rounds; k++) {
        for (char *p = lines, *e; *p; p = e + 1) {
            e = strchr(p, '\n');
            size_t len = (size_t)(e - p);
            memcpy(path, p, len);
            path[len] = ' ';        /* what follows a path in a request */
            memset(&rq, 0, sizeof rq);
            rq.method = TR_GET;
            rq.version = 11;
            rq.path = path;
            rq.path_len = len;
            if (APP.dispatch(&rq, &m) < 0) {
                fprintf(stderr, "no route: %.*s\n", (int)len, p);
                return 1;
            }
        }
    }
    return 0;
}
