/*
 * diff.c - libFuzzer harness: runtime/tr_json_read.c and jsmn_fields.c
 * (built with tr_json_fields renamed jsmn_json_fields) must agree on
 * every body: the same result, and on success the same values.  The
 * first byte chooses the kind each of three fields wants.
 */
#include <stdlib.h>
#include <string.h>

#include "tr_json.h"

int jsmn_json_fields(char *body, size_t len, const char *const *names, uint32_t n, const uint8_t *want,
                     tr_str *values);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[3] = { "a", "b", "ssid" };
    static const uint8_t kinds[4] = { TR_JSON_STR, TR_JSON_NUM, TR_JSON_BOOL, TR_JSON_STR };
    tr_str v[3], w[3];

    if (size == 0 || size > 1024)
        return 0;
    uint8_t want[3] = { kinds[data[0] & 3], kinds[data[0] >> 2 & 3], kinds[data[0] >> 4 & 3] };
    size--, data++;
    char *a = malloc(size ? size : 1), *b = malloc(size ? size : 1);
    memcpy(a, data, size);
    memcpy(b, data, size);
    int ra = tr_json_fields(a, size, names, 3, want, v), rb = jsmn_json_fields(b, size, names, 3, want, w);
    if (ra != rb)
        abort();
    for (int i = 0; ra == 0 && i < 3; i++)
        if ((v[i].ptr == NULL) != (w[i].ptr == NULL) ||
            (v[i].ptr && (v[i].len != w[i].len || memcmp(v[i].ptr, w[i].ptr, v[i].len) != 0)))
            abort();
    free(a);
    free(b);
    return 0;
}
