/* harness.h - runs the generator's phases in-process on a string. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct run {
    struct gen g;
    char *diag;          /* everything the phases reported */
    size_t diag_len;
    FILE *out;
};

/* Parses, resolves and checks src (a NUL-terminated string) as "t.routes". */
static inline void run_spec(struct run *r, const char *src)
{
    memset(r, 0, sizeof *r);
    r->out = open_memstream(&r->diag, &r->diag_len);
    gen_init(&r->g, "t.routes", src, strlen(src), r->out);
    spec_parse(&r->g);
    resolve_defaults(&r->g);
    check_spec(&r->g);
    fflush(r->out);
}

static inline void run_free(struct run *r)
{
    gen_free(&r->g);
    fclose(r->out);
    free(r->diag);
}

#endif
