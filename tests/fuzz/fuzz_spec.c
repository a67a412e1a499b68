/*
 * fuzz_spec.c - libFuzzer harness: the generator's spec lexer, parser,
 * checks and route table on arbitrary text.  A spec author's typo must
 * never crash the generator; every input either parses or gets
 * diagnostics.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

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
    if (g.diag.errors == 0)
        print_routes(&g, sink);
    gen_free(&g);
    fclose(sink);
    free(src);
    return 0;
}
