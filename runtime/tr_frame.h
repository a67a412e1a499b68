/*
 * tr_frame.h - the HTTP framing rules the lexer leaves to the runtime, as
 * pure functions of a lexed head: Host, Content-Length / Transfer-Encoding,
 * Expect, and whether the connection persists.  No socket, no state: the
 * unit tests (tests/runtime/test_frame.c) call them on built requests.
 *
 * Static in a header where each has one caller (tr_conn.c or tr_out.c):
 * there -Os inlines them, where calls across files would cost a call and
 * a prologue each on the firmware.  tr_frame_has_body, asked in both, is
 * in tr_frame.c, compiled once.
 */
#ifndef TR_FRAME_H
#define TR_FRAME_H

#include "tr_internal.h"

/* Does the client want the connection kept open?  RFC 9112 §9.3: 1.1
 * persists unless it says close, 1.0 only when it says keep-alive. */
static inline int tr_frame_keeps_alive(const struct tr_request *rq)
{
    if (rq->flags & TR_RQ_CLOSE)
        return 0;
    return rq->version == 11 || (rq->version == 10 && (rq->flags & TR_RQ_KEEP_ALIVE));
}

/* Does the request carry a body? RFC 9112 §6.3 rules 4 to 7 (tr_frame.c). */
int tr_frame_has_body(const struct tr_request *rq);

/*
 * The client ends the connection itself (RFC 9112 §9.6: after close it
 * sends no further request) and no body of its can still be arriving:
 * closing at once cannot reset the answer away, so no lingering is needed.
 */
static inline int tr_frame_quits(const struct tr_request *rq)
{
    return !tr_frame_keeps_alive(rq) && !tr_frame_has_body(rq);
}

/*
 * The framing checks the lexer leaves to the runtime.  Returns 0 or the
 * status to answer with before closing.
 */
static inline int tr_frame_status(const struct tr_request *rq)
{
    /* RFC 9110 §9.1: an unrecognized method is 501. */
    if (rq->method >= TR_METHOD_COUNT)
        return 501;
    /* RFC 9112 §3.2: 400 for a 1.1 request without Host, or any request
     * with more than one. */
    if (rq->host_count > 1 || (rq->version == 11 && rq->host_count == 0))
        return 400;
    if (rq->flags & (TR_RQ_CHUNKED | TR_RQ_TE_OTHER)) {
        /* RFC 9112 §6.1: Content-Length with Transfer-Encoding may be
         * rejected and MUST close; a 1.0 message with Transfer-Encoding has
         * faulty framing.  §6.3 rule 4: without chunked last the length is
         * unknown: 400. */
        if ((rq->flags & TR_RQ_HAS_LENGTH) || rq->version != 11 || !(rq->flags & TR_RQ_CHUNKED))
            return 400;
        /* RFC 9112 §6.1: chunked last over a coding the server does not
         * understand SHOULD be answered with 501. */
        if (rq->flags & TR_RQ_TE_OTHER)
            return 501;
    }
    /* RFC 9110 §10.1.1: an unmet expectation is 417. */
    if (rq->flags & TR_RQ_BAD_EXPECT)
        return 417;
    return 0;
}

#endif /* TR_FRAME_H */
