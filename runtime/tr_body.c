/*
 * tr_body.c - request bodies: Content-Length (TR_WITH_BODY) and the
 * chunked transfer coding (TR_WITH_CHUNKED).  A spec without a route that
 * reads a body compiles none of this.
 *
 * The chunked decoder is a pure incremental function over a small state
 * struct so that it can be unit-tested and fuzzed apart from sockets.
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

#endif /* TR_WITH_CHUNKED */

#if TR_WITH_BODY

static const char continue_100[] = TR_CONTINUE;

void tr_body_put(struct tr_slot *s)
{
    if (s->body == TR_NIL)
        return;
    tr_srv.body_next[s->body] = tr_srv.free_body;
    tr_srv.free_body = s->body;
    s->body = TR_NIL;
}

int tr_body_get(struct tr_slot *s)
{
    if (tr_srv.free_body == TR_NIL)
        return -1;
    s->body = tr_srv.free_body;
    tr_srv.free_body = tr_srv.body_next[s->body];
    return 0;
}

static uint32_t body_limit(const struct tr_slot *s)
{
    uint32_t limit = tr_srv.app->routes[s->route].body_limit;
    return limit < TR_BODY_MAX ? limit : TR_BODY_MAX;
}

void tr_body_begin(struct tr_conn *c, struct tr_slot *s)
{
    const struct tr_request *rq = &s->rq;
#if TR_WITH_STREAM
    s->up.state = 0;
#endif
    /* RFC 9110 §15.5.14: 413 for content larger than the route takes,
     * sent before the body is read, and the connection closed. */
    if ((rq->flags & TR_RQ_HAS_LENGTH) && rq->content_length > body_limit(s)) {
        tr_conn_fail(c, 413);
        return;
    }
#if !TR_WITH_CHUNKED
    /* RFC 9110 §15.5.12: without the decoder, insist on a length. */
    if (rq->flags & TR_RQ_CHUNKED) {
        tr_conn_fail(c, 411);
        return;
    }
#endif
    s->body = TR_NIL;
    s->body_len = 0;
    s->body_want = (rq->flags & TR_RQ_CHUNKED) ? 0 : rq->content_length;
#if TR_WITH_CHUNKED
    memset(&s->ch, 0, sizeof s->ch);
#endif
    /* RFC 9110 §10.1.1: a 1.0 client's 100-continue is ignored. */
    s->cont = rq->version == 11 && (rq->flags & TR_RQ_CONTINUE);
    c->state = TR_CS_BODY;
    tr_timer_set(c, TR_TL_NONE); /* body deadline from the end of the head */
}

/* Moves buffered body bytes into the body buffer; 1 once it is complete,
 * 0 for more, -1 after answering an error. */
static int body_take(struct tr_conn *c, struct tr_slot *s, char *dst)
{
#if TR_WITH_CHUNKED
    if (s->rq.flags & TR_RQ_CHUNKED) {
        size_t used = 0, out = s->body_len;
        int r = tr_chunked_decode(&s->ch, s->in + s->used, s->in_len - s->used, &used, dst,
                                  &out, body_limit(s));
        s->body_len = (uint32_t)out;
        if (r == TR_CHUNK_ERR || r == TR_CHUNK_TOO_BIG) {
            /* RFC 9112 §7.1: malformed chunking is 400; too much is 413. */
            tr_conn_fail(c, r == TR_CHUNK_ERR ? 400 : 413);
            return -1;
        }
        if (r == TR_CHUNK_MORE) {
            s->in_len = s->used; /* decoded: make room for the next read */
            return 0;
        }
        s->used += (uint32_t)used;
        return 1;
    }
#else
    (void)c;
#endif
    uint64_t want = s->body_want - s->body_len;
    uint32_t have = s->in_len - s->used;
    uint32_t take = want < have ? (uint32_t)want : have;
    memcpy(dst + s->body_len, s->in + s->used, take);
    s->body_len += take;
    s->used += take;
    return s->body_len == s->body_want;
}

int tr_body_step(struct tr_conn *c, struct tr_slot *s)
{
#if TR_WITH_STREAM
    if (s->up.state)
        return tr_stream_step(c, s);
#endif
    if (c->flags & TR_CF_WAIT)
        return TR_STEP_WAIT;
    /* Not ahead of those already waiting (tr_conn_wake serves them, in
     * order, with a buffer in hand); a stalled holder may be cut for it. */
    if (s->body == TR_NIL && (tr_srv.body_wait.head != TR_NIL ||
                              (tr_body_get(s) != 0 && !(tr_conn_cut_holder(1) && tr_body_get(s) == 0)))) {
        c->flags |= TR_CF_WAIT;
        tr_list_push(&tr_srv.body_wait, (tr_idx)(c - tr_srv.conn), TR_LINK_WAIT);
        return TR_STEP_WAIT;
    }
    char *dst = tr_srv.body[s->body];
    int r = body_take(c, s, dst);
    if (r < 0)
        return -1;
    if (r > 0) {
        s->rq.body.ptr = dst;
        s->rq.body.len = s->body_len;
        tr_conn_invoke(c);
        return -1;
    }
    if (s->cont) {
        /* The client waits for this before sending the body. */
        memcpy(s->out + s->q.len, continue_100, sizeof continue_100 - 1);
        s->q.len += sizeof continue_100 - 1;
        s->cont = 0;
    }
    return TR_STEP_INPUT;
}

long tr_body_read(struct tr_conn *c, struct tr_slot *s)
{
    long n;
#if TR_WITH_STREAM
    if (s->up.state)
        return tr_stream_read(c, s);
#endif
#if TR_WITH_CHUNKED
    if (s->rq.flags & TR_RQ_CHUNKED) {
        n = tr_conn_read(c, s->in + s->in_len, TR_IN_SIZE - s->in_len);
        if (n > 0)
            s->in_len += (uint32_t)n;
    } else
#endif
    {
        /* Exactly the bytes still owed: never into the next request. */
        n = tr_conn_read(c, tr_srv.body[s->body] + s->body_len,
                         (size_t)(s->body_want - s->body_len));
        if (n > 0)
            s->body_len += (uint32_t)n;
    }
    if (n > 0)
        tr_conn_moved(s, (uint32_t)n);  /* progress: see tr_conn_cut_holder */
    return n;
}

#else
typedef int tr_body_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_BODY */
