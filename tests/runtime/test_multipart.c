/*
 * test_multipart.c - the multipart/form-data splitter alone
 * (runtime/tr_multipart.c): a body fed whole, byte by byte and cut at
 * every position (so every delimiter and header is split across feeds),
 * with and without pauses; each way a body can be malformed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tr_internal.h"

/* What the callbacks saw: "[name|filename|type]" at each part, then its
 * bytes, all in one transcript. */
static char seen[4096];
static size_t nseen;
static int pause_every;         /* data returns TR_UPLOAD_PAUSE: each call */
static int refuse_at_part;      /* part returns 415 at this part (1-based) */
static int parts;

static void put(const char *p, size_t n)
{
    cr_assert(nseen + n <= sizeof seen);
    memcpy(seen + nseen, p, n);
    nseen += n;
}

static void put_str(tr_str s)
{
    if (s.ptr)
        put(s.ptr, s.len);
    else
        put("-", 1);
}

static int on_part(tr_upload *up, const tr_part *p)
{
    (void)up;
    put("[", 1);
    put_str(p->name);
    put("|", 1);
    put_str(p->filename);
    put("|", 1);
    put_str(p->type);
    put("]", 1);
    return ++parts == refuse_at_part ? 415 : 0;
}

static int on_data(tr_upload *up, const char *d, size_t n)
{
    (void)up;
    cr_assert(n > 0, "no empty data calls");
    put(d, n);
    return pause_every ? TR_UPLOAD_PAUSE : 0;
}

static const struct tr_stream fns = { on_data, NULL, on_part };

#define CT "multipart/form-data; boundary=----x7"
/* The file's bytes hold near-delimiters: CR LF "--" and the boundary less
 * one byte, a CR before a real CRLF, and the boundary without its CRLF. */
static const char body[] =
    "preamble, ignored\r\n"
    "------x7\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n"
    "\r\n"
    "hello\r\n"
    "------x7  \r\n"
    "content-disposition: form-data; name=\"firmware\"; filename=\"fw; 1.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\x00\x01\r\n------x\r\n----x7\r\r\n-\r\n------x8------x7\xff\r\n"
    "------x7--\r\n"
    "epilogue, ignored too\r\n";

static const char want[] =
    "[note|-|-]hello"
    "[firmware|fw; 1.bin|application/octet-stream]"
    "\x00\x01\r\n------x\r\n----x7\r\r\n-\r\n------x8------x7\xff";

static void reset(void)
{
    nseen = 0;
    parts = 0;
    pause_every = 0;
    refuse_at_part = 0;
}

/* Feeds in[0..n) in pieces cut at cuts[], going on after each pause as a
 * caller does (the rest of the piece again); the last code. */
static int feed(struct tr_multipart *mp, const char *in, size_t n, const size_t *cuts, int ncuts)
{
    tr_upload up;
    memset(&up, 0, sizeof up);
    size_t pos = 0;
    int r = TR_MP_MORE;
    for (int i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : n;
        while (pos < end || (pos == end && end == n && i == ncuts && r == TR_UPLOAD_PAUSE)) {
            size_t used = 0;
            r = tr_multipart_feed(mp, in + pos, end - pos, &used, &fns, &up);
            cr_assert(used <= end - pos);
            pos += used;
            if (r != TR_UPLOAD_PAUSE)
                break;
            if (pos == end)
                break;
        }
        if (r != TR_MP_MORE && r != TR_MP_DONE && r != TR_UPLOAD_PAUSE)
            return r;
        pos = end;
    }
    return r;
}

static void start(struct tr_multipart *mp)
{
    tr_str ct = { CT, sizeof CT - 1 };
    reset();
    cr_assert_eq(tr_multipart_init(mp, ct), 0);
}

static void expect_whole(int r, const struct tr_multipart *mp, const char *how)
{
    cr_assert(r == TR_MP_DONE || r == TR_UPLOAD_PAUSE, "%s: code %d", how, r);
    cr_assert(tr_multipart_done(mp), "%s: close delimiter not seen", how);
    cr_assert_eq(nseen, sizeof want - 1, "%s: %zu bytes seen, %zu wanted", how, nseen, sizeof want - 1);
    cr_assert(memcmp(seen, want, nseen) == 0, "%s: transcript differs", how);
}

Test(multipart, a_body_fed_whole_gives_each_part_and_its_bytes)
{
    struct tr_multipart mp;
    start(&mp);
    expect_whole(feed(&mp, body, sizeof body - 1, NULL, 0), &mp, "whole");
}

Test(multipart, a_body_cut_at_every_position_gives_the_same_parts_and_bytes)
{
    for (size_t at = 0; at <= sizeof body - 1; at++) {
        struct tr_multipart mp;
        char how[32];
        start(&mp);
        snprintf(how, sizeof how, "cut at %zu", at);
        expect_whole(feed(&mp, body, sizeof body - 1, &at, 1), &mp, how);
    }
}

Test(multipart, a_body_fed_byte_by_byte_with_a_pause_after_every_data_call_is_the_same)
{
    static size_t cuts[sizeof body];
    for (size_t i = 0; i < sizeof body - 1; i++)
        cuts[i] = i + 1;
    for (int p = 0; p <= 1; p++) {
        struct tr_multipart mp;
        start(&mp);
        pause_every = p;
        expect_whole(feed(&mp, body, sizeof body - 1, cuts, (int)sizeof body - 2), &mp,
                     p ? "bytes, paused" : "bytes");
    }
}

Test(multipart, a_pause_stops_right_after_the_call_and_the_rest_follows_on_the_next_feed)
{
    struct tr_multipart mp;
    tr_upload up;
    size_t used = 0;
    memset(&up, 0, sizeof up);
    start(&mp);
    pause_every = 1;
    int r = tr_multipart_feed(&mp, body, sizeof body - 1, &used, &fns, &up);
    cr_assert_eq(r, TR_UPLOAD_PAUSE);
    cr_assert(used < sizeof body - 1, "stopped early");
    cr_assert_eq(nseen, strlen("[note|-|-]hello"), "one data call: %zu", nseen);
}

Test(multipart, a_status_from_part_stops_the_split)
{
    struct tr_multipart mp;
    start(&mp);
    refuse_at_part = 2;
    cr_assert_eq(feed(&mp, body, sizeof body - 1, NULL, 0), 415);
    cr_assert_eq(parts, 2);
}

Test(multipart, a_part_header_longer_than_the_limit_is_an_error)
{
    static char big[TR_MULTIPART_HEAD_MAX + 256];
    struct tr_multipart mp;
    int n = snprintf(big, sizeof big, "------x7\r\nX-Pad: ");
    memset(big + n, 'a', sizeof big - (size_t)n - 1);
    start(&mp);
    cr_assert_eq(feed(&mp, big, sizeof big - 1, NULL, 0), TR_MP_ERR);
}

Test(multipart, bad_bytes_after_a_delimiter_are_an_error)
{
    static const char bad[] = "------x7\r\n\r\ndata\r\n------x7X\r\n";
    struct tr_multipart mp;
    start(&mp);
    cr_assert_eq(feed(&mp, bad, sizeof bad - 1, NULL, 0), TR_MP_ERR);
}

Test(multipart, a_body_without_its_close_delimiter_is_not_done)
{
    static const char cut[] = "------x7\r\n\r\ndata\r\n------x7\r\n\r\nmore";
    struct tr_multipart mp;
    start(&mp);
    cr_assert_eq(feed(&mp, cut, sizeof cut - 1, NULL, 0), TR_MP_MORE);
    cr_assert(!tr_multipart_done(&mp));
}

Test(multipart, content_types_are_told_apart)
{
    struct tr_multipart mp;
    static const struct { const char *type; int want; } cases[] = {
        { "multipart/form-data; boundary=abc", 0 },
        { "Multipart/Form-Data ; charset=x; boundary=\"a b:c\"", 0 },
        { "application/octet-stream", 1 },
        { "multipart/form-datax; boundary=abc", 1 },
        { "multipart/form-data", -1 },
        { "multipart/form-data; boundary=", -1 },
        { "multipart/form-data; boundary=\"unclosed", -1 },
        { "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tr_str t = { cases[i].type, strlen(cases[i].type) };
        cr_assert_eq(tr_multipart_init(&mp, t), cases[i].want, "%s", cases[i].type);
    }
    tr_str none = { NULL, 0 };
    cr_assert_eq(tr_multipart_init(&mp, none), 1, "no Content-Type: raw");
}
