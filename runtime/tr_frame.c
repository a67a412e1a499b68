/*
 * tr_frame.c - the one framing rule asked in more than one place (the
 * connection's steps and the output queue), out of line, so that it is
 * compiled once; the others are inline in tr_frame.h.
 */
#include "tr_frame.h"

int tr_frame_has_body(const struct tr_request *rq)
{
    return (rq->flags & TR_RQ_CHUNKED) ||
           ((rq->flags & TR_RQ_HAS_LENGTH) && rq->content_length > 0);
}
