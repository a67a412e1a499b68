/*
 * tr_body.c - request bodies read whole into a pooled body buffer:
 * Content-Length, or the chunked transfer coding (TR_WITH_CHUNKED, the
 * decoder in tr_chunked.c).  A spec without a route that reads a body
 * compiles none of this.
 */
#include <string.h>

#include "tr_internal.h"

#if TR_WITH_BODY

static const char continue_100[] = TR_CONTINUE;

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
        tr_out_fail(c, 413);
        return;
    }
#if !TR_WITH_CHUNKED
    /* RFC 9110 §15.5.12: without the decoder, insist on a length. */
    if (rq->flags & TR_RQ_CHUNKED) {
        tr_out_fail(c, 411);
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
            tr_out_fail(c, r == TR_CHUNK_ERR ? 400 : 413);
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
    char *dst = tr_srv.body[s->body];
    int r = body_take(c, s, dst);
    if (r < 0)
        return TR_STEP_AGAIN;
    if (r > 0) {
        s->rq.body.ptr = dst;
        s->rq.body.len = s->body_len;
        return TR_STEP_BODY_DONE;
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
        tr_pool_moved(s, (uint32_t)n);  /* progress: see tr_pool.c */
    return n;
}

#else
typedef int tr_body_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_WITH_BODY */
