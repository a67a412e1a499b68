/* sha256_cli.c - prints the SHA-256 of each file as sha256sum does, fed
 * through sha256_update in pieces of the size given first (so that the
 * test covers every way a block can be split). */
#include <stdio.h>
#include <stdlib.h>

#include "sha256.h"

int main(int argc, char **argv)
{
    static char buf[1 << 16];
    size_t piece = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 0;
    if (argc < 3 || piece == 0 || piece > sizeof buf) {
        fputs("usage: sha256_cli PIECE FILE...\n", stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        struct sha256 s;
        unsigned char d[32];
        char hex[65];
        size_t n;
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        sha256_init(&s);
        while ((n = fread(buf, 1, piece, f)) > 0)
            sha256_update(&s, buf, n);
        fclose(f);
        sha256_final(&s, d);
        sha256_hex(d, hex);
        printf("%s  %s\n", hex, argv[i]);
    }
    return 0;
}
