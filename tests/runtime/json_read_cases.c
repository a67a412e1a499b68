/*
 * json_read_cases.c - runs json_cases.h against the tr_json_fields it is
 * linked with: runtime/tr_json_read.c (ctest tr_rt_json_read), or
 * bench/json/jsmn_fields.c (bench/json/run.sh).  Prints each disagreement
 * and "N cases, F failed"; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_json.h"
#include "json_cases.h"

static int same(tr_str v, const char *want, size_t wlen)
{
    if (!want)
        return v.ptr == NULL;
    return v.ptr && v.len == wlen && memcmp(v.ptr, want, wlen) == 0;
}

int main(void)
{
    static const char *const names[3] = { "ssid", "channel", "on" };
    static const uint8_t want[3] = { TR_JSON_STR, TR_JSON_NUM, TR_JSON_BOOL };
    unsigned n = sizeof json_cases / sizeof *json_cases, failed = 0;

    for (unsigned i = 0; i < n; i++) {
        const struct json_case *c = &json_cases[i];
        size_t len = c->len ? c->len : strlen(c->body);
        char *buf = malloc(len ? len : 1);      /* exactly the body: ASan sees a read past it */
        tr_str v[3];
        memcpy(buf, c->body, len);
        int r = tr_json_fields(buf, len, names, 3, want, v);
        size_t slen = c->ssid_len ? c->ssid_len : c->ssid ? strlen(c->ssid) : 0;
        int good = r == c->ok &&
                   (r < 0 || (same(v[0], c->ssid, slen) && same(v[1], c->channel, c->channel ? strlen(c->channel) : 0) &&
                              same(v[2], c->on, c->on ? strlen(c->on) : 0)));
        if (!good) {
            printf("case %u: '%.*s' returned %d, want %d\n", i, (int)len, c->body, r, c->ok);
            failed++;
        }
        free(buf);
    }
    printf("%u cases, %u failed\n", n, failed);
    return failed != 0;
}
