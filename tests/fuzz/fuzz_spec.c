/*
 * fuzz_spec.c - libFuzzer harness: the whole generator on arbitrary text,
 * in memory: lexer, parser, defaults, checks, route table, plan and every
 * emitter (re2c is not run: the request lexer stays a .re).  A spec
 * author's typo must never crash the generator; every input either
 * generates or gets diagnostics.  The seed corpus is the golden specs
 * (run.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gen.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    FILE *sink = fopen("/dev/null", "w");
    struct gen g;

    memcpy(src, data, size);
    src[size] = '\0';                   /* the lexer's sentinel */
    gen_init(&g, "fuzz.routes", src, size, sink);
    spec_parse(&g);
    resolve_defaults(&g);
    check_spec(&g);
    g.re2c = NULL;                      /* emit the lexer's .re, do not run re2c */
    if (g.diag.errors == 0) {
        struct plan plan;
        print_routes(&g, sink);
        if (plan_build(&g, &plan) == 0)
            emit_all(&g, &plan);
        plan_free(&plan);
    }
    gen_free(&g);
    fclose(sink);
    free(src);
    return 0;
}
