/*
 * tr_chunked.c - the chunked transfer coding's decoder (RFC 9112 §7.1),
 * for request bodies read whole (tr_body.c) and streamed (tr_stream.c).
 * Compiled to nothing without TR_WITH_CHUNKED.
 *
 * A pure incremental function over a small state struct, so that it can
 * be unit-tested and fuzzed apart from sockets; it calls nothing of the
 * runtime.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_CHUNKED

#if TR_CHUNK_LINE_MAX < 2 || TR_CHUNK_LINE_MAX > 65534
#error "TR_CHUNK_LINE_MAX must be 2..65534 (tr_chunked.line is 16 bits)"
#endif

/* Decoder states: RFC 9112 §7.1's grammar, one byte at a time. */
enum {
    CH_SIZE0 = 0,   /* first hex digit of chunk-size */
    CH_SIZE,        /* more digits, ';', BWS or CR */
    CH_EXT_BWS,     /* BWS after the size: only SP, HTAB or ';' */
    CH_EXT,         /* chunk-ext, ignored up to CR; the last state of the
                       size line, which is bounded (ch_byte) */
    CH_SIZE_LF,     /* LF ending the size line */
    CH_DATA,        /* chunk-data */
    CH_DATA_CR,     /* CRLF after chunk-data */
    CH_DATA_LF,
    CH_TRAILER,     /* start of a trailer field line, or the final CRLF */
    CH_TNAME,       /* field-name */
    CH_TVALUE,      /* field-value up to CR */
    CH_TLF,         /* LF ending a field line */
    CH_END_LF,      /* LF ending the chunked body */
    CH_DONE
};

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* RFC 9110 §5.6.2 tchar. */
static int is_tchar(unsigned char c)
{
    if (hexval(c) >= 0 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
        return 1;
    /* Scanned by hand: strchr pulls strchrnul into a static build. */
    for (const char *p = "!#$%&'*+-.^_`|~"; *p; p++) {
        if (c == (unsigned char)*p)
            return 1;
    }
    return 0;
}

/* RFC 9110 §5.5: field-value bytes are VCHAR, obs-text, SP and HTAB. */
static int is_vbyte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* One byte of everything but chunk-data; returns the next state or -1. */
static int ch_byte(struct tr_chunked *c, unsigned char b, size_t room)
{
    int h;
    /* A size line is bounded as a whole: leading zeros and BWS add nothing
     * to the size, and without a bound a client could send them forever. */
    if (c->state <= CH_EXT && ++c->line > TR_CHUNK_LINE_MAX)
        return -1;
    switch (c->state) {
    case CH_SIZE0:
    case CH_SIZE:
        h = hexval(b);
        if (h >= 0) {
            /* chunk-size is 1*HEXDIG: refuse what does not fit 64 bits. */
            if (c->left > (UINT64_MAX >> 4))
                return -1;
            c->left = (c->left << 4) | (unsigned)h;
            return CH_SIZE;
        }
        if (c->state == CH_SIZE0)
            return -1;
        if (b == ';')
            return CH_EXT;
        if (b == ' ' || b == '\t')
            return CH_EXT_BWS;
        return b == '\r' ? CH_SIZE_LF : -1;
    case CH_EXT_BWS:
        if (b == ';')
            return CH_EXT;
        return b == ' ' || b == '\t' ? CH_EXT_BWS : -1;
    case CH_EXT:
        /* Extensions are ignored, but bounded and free of control bytes. */
        if (b == '\r')
            return CH_SIZE_LF;
        if (!is_vbyte(b))
            return -1;
        return CH_EXT;
    case CH_SIZE_LF:
        if (b != '\n')
            return -1;
        c->line = 0;
        if (c->left > room)
            return -2;
        return c->left ? CH_DATA : CH_TRAILER;
    case CH_DATA_CR:
        return b == '\r' ? CH_DATA_LF : -1;
    case CH_DATA_LF:
        return b == '\n' ? CH_SIZE0 : -1;
    case CH_TRAILER:
        if (b == '\r')
            return CH_END_LF;
        return is_tchar(b) ? CH_TNAME : -1;
    case CH_TNAME:
        if (b == ':')
            return CH_TVALUE;
        return is_tchar(b) ? CH_TNAME : -1;
    case CH_TVALUE:
        if (b == '\r')
            return CH_TLF;
        return is_vbyte(b) ? CH_TVALUE : -1;
    case CH_TLF:
        return b == '\n' ? CH_TRAILER : -1;
    case CH_END_LF:
        return b == '\n' ? CH_DONE : -1;
    default:
        return -1;
    }
}

int tr_chunked_decode(struct tr_chunked *c, const char *in, size_t in_len, size_t *used,
                      char *out, size_t *out_len, size_t out_cap)
{
    size_t i = 0;
    while (i < in_len && c->state != CH_DONE) {
        if (c->state == CH_DATA) {
            size_t n = in_len - i;
            if (n > c->left)
                n = (size_t)c->left;
            memcpy(out + *out_len, in + i, n);
            *out_len += n;
            c->left -= n;
            i += n;
            if (c->left == 0)
                c->state = CH_DATA_CR;
            continue;
        }
        /* The trailer section is skipped, but not without bound. */
        if (c->state >= CH_TRAILER && ++c->trailer > TR_TRAILER_MAX)
            return TR_CHUNK_ERR;
        int next = ch_byte(c, (unsigned char)in[i++], out_cap - *out_len);
        if (next < 0) {
            *used = i;
            return next == -2 ? TR_CHUNK_TOO_BIG : TR_CHUNK_ERR;
        }
        c->state = (uint8_t)next;
    }
    *used = i;
    return c->state == CH_DONE ? TR_CHUNK_DONE : TR_CHUNK_MORE;
}

#if TR_WITH_STREAM
int tr_chunked_next(struct tr_chunked *c, const char *in, size_t in_len, size_t *used,
                    const char **data, size_t *len, uint64_t room)
{
    size_t i = 0;
    *len = 0;
    while (i < in_len && c->state != CH_DONE) {
        if (c->state == CH_DATA) {
            /* The data where it lies: no copy, whatever its size. */
            size_t n = in_len - i;
            if (n > c->left)
                n = (size_t)c->left;
            *data = in + i;
            *len = n;
            c->left -= n;
            i += n;
            if (c->left == 0)
                c->state = CH_DATA_CR;
            break;
        }
        if (c->state >= CH_TRAILER && ++c->trailer > TR_TRAILER_MAX) {
            *used = i;
            return TR_CHUNK_ERR;
        }
        int next = ch_byte(c, (unsigned char)in[i++], room < SIZE_MAX ? (size_t)room : SIZE_MAX);
        if (next < 0) {
            *used = i;
            return next == -2 ? TR_CHUNK_TOO_BIG : TR_CHUNK_ERR;
        }
        c->state = (uint8_t)next;
    }
    *used = i;
    return c->state == CH_DONE ? TR_CHUNK_DONE : TR_CHUNK_MORE;
}
#endif

#else
typedef int tr_chunked_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_CHUNKED */
