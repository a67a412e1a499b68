/*
 * harness.c - calls a generated dispatcher on one path, many times, for
 * callgrind: `dispatch_bench NAME PATH [N]`.  The handlers are never run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_app.h"

extern const struct tr_app APP;

int main(int argc, char **argv)
{
    static char path[8192];
    struct tr_request rq;
    struct tr_match m;
    long n = argc > 2 ? atol(argv[2]) : 1000;
    int r = 0;

    if (argc < 2)
        return 2;
    for (long i = 0; i < n; i++) {
        /* dispatch decodes in place: start from the raw path each time */
        size_t len = strlen(argv[1]);
        memcpy(path, argv[1], len + 1);
        memset(&rq, 0, sizeof rq);
        rq.method = TR_GET;
        rq.version = 11;
        rq.path = path;
        rq.path_len = len;
        r = APP.dispatch(&rq, &m);
    }
    printf("%d\n", r);
    return 0;
}
