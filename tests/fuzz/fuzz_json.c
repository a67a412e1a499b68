/*
 * fuzz_json.c - libFuzzer harness: the JSON field reader (tr_json_read.c).
 * The first byte chooses the kind each of three fields wants; the rest is
 * the body, in a buffer of exactly its size, so ASan sees any read past
 * it.  On success every value found lies inside the body, a wanted
 * string is valid UTF-8, a number starts as JSON numbers do, and a second
 * read of a fresh copy agrees on which fields were found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr_internal.h"

static const char *const names[3] = { "a", "b", "ssid" };

static void check_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], more = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 9;
        if (more == 9 || n - i <= more)
            abort();
        for (unsigned k = 1; k <= more; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                abort();
        i += more + 1;
    }
}

static int run(const uint8_t *data, size_t size, const uint8_t *want, tr_str *v, char **buf)
{
    *buf = malloc(size ? size : 1);
    if (size)
        memcpy(*buf, data, size);
    return tr_json_fields(*buf, size, names, 3, want, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t kinds[4] = { TR_JSON_STR, TR_JSON_NUM, TR_JSON_BOOL, TR_JSON_STR };
    uint8_t want[3];
    tr_str v[3], w[3];
    char *a, *b;

    if (size < 1)
        return 0;
    for (int i = 0; i < 3; i++)
        want[i] = kinds[data[0] >> (2 * i) & 3];
    int r = run(data + 1, size - 1, want, v, &a);
    int r2 = run(data + 1, size - 1, want, w, &b);
    if (r != r2 || (r != 0 && r != -1))
        abort();
    for (int i = 0; r == 0 && i < 3; i++) {
        if ((v[i].ptr == NULL) != (w[i].ptr == NULL) || (v[i].ptr && v[i].len != w[i].len))
            abort();
        if (!v[i].ptr)
            continue;
        if (v[i].ptr < a || v[i].ptr + v[i].len > a + size - 1)
            abort();
        if (want[i] == TR_JSON_STR)
            check_utf8((const unsigned char *)v[i].ptr, v[i].len);
        if (want[i] == TR_JSON_NUM && !(v[i].ptr[0] == '-' || (v[i].ptr[0] >= '0' && v[i].ptr[0] <= '9')))
            abort();
        if (want[i] == TR_JSON_BOOL && !(v[i].len == 4 || v[i].len == 5))
            abort();
    }
    free(a);
    free(b);
    return 0;
}
