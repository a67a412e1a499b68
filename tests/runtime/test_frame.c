/* test_frame.c - the framing rules of tr_frame.h on built heads, no socket. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>

#include "tr_frame.h"

struct framing_case {
    uint8_t method;     /* 0: a known method; TR_METHOD_COUNT: unknown */
    uint8_t version;
    uint16_t hosts;
    uint16_t flags;
    int status;         /* what tr_frame_status answers */
    const char *why;
};

static const struct framing_case framing_rules_answer_the_rfc_status_table[] = {
    { 0, 11, 1, 0, 0, "a plain 1.1 request with one Host" },
    { 0, 10, 0, 0, 0, "1.0 needs no Host" },
    { 0, 11, 0, 0, 400, "RFC 9112 3.2: 1.1 without Host" },
    { 0, 10, 2, 0, 400, "RFC 9112 3.2: two Host fields, any version" },
    { TR_METHOD_COUNT, 11, 1, 0, 501, "RFC 9110 9.1: an unknown method" },
    { 0, 11, 1, TR_RQ_CHUNKED, 0, "chunked alone" },
    { 0, 11, 1, TR_RQ_CHUNKED | TR_RQ_HAS_LENGTH, 400, "RFC 9112 6.1: length and chunked" },
    { 0, 10, 1, TR_RQ_CHUNKED, 400, "RFC 9112 6.1: Transfer-Encoding in 1.0" },
    { 0, 11, 1, TR_RQ_TE_OTHER, 400, "RFC 9112 6.3: chunked not last" },
    { 0, 11, 1, TR_RQ_CHUNKED | TR_RQ_TE_OTHER, 501, "RFC 9112 6.1: an unknown coding" },
    { 0, 11, 1, TR_RQ_BAD_EXPECT, 417, "RFC 9110 10.1.1: an unmet expectation" },
    { 0, 11, 1, TR_RQ_CONTINUE | TR_RQ_HAS_LENGTH, 0, "100-continue with a length" },
};

ParameterizedTestParameters(frame, framing_rules_answer_the_rfc_status)
{
    size_t n = sizeof framing_rules_answer_the_rfc_status_table /
               sizeof framing_rules_answer_the_rfc_status_table[0];
    return cr_make_param_array(struct framing_case, framing_rules_answer_the_rfc_status_table, n);
}

ParameterizedTest(const struct framing_case *c, frame, framing_rules_answer_the_rfc_status)
{
    struct tr_request rq = { .method = c->method, .version = c->version,
                             .host_count = c->hosts, .flags = c->flags };
    cr_expect_eq(tr_frame_status(&rq), c->status, "%s: %d, not %d", c->why,
                 tr_frame_status(&rq), c->status);
}

Test(frame, a_1_1_connection_persists_unless_the_client_says_close)
{
    struct tr_request rq = { .version = 11 };
    cr_expect(tr_frame_keeps_alive(&rq));
    rq.flags = TR_RQ_CLOSE;
    cr_expect(!tr_frame_keeps_alive(&rq));
}

Test(frame, a_1_0_connection_persists_only_with_keep_alive)
{
    struct tr_request rq = { .version = 10 };
    cr_expect(!tr_frame_keeps_alive(&rq));
    rq.flags = TR_RQ_KEEP_ALIVE;
    cr_expect(tr_frame_keeps_alive(&rq));
    rq.flags |= TR_RQ_CLOSE;
    cr_expect(!tr_frame_keeps_alive(&rq));
}

Test(frame, a_body_is_chunked_or_a_length_above_zero)
{
    struct tr_request rq = { .version = 11 };
    cr_expect(!tr_frame_has_body(&rq));
    rq.flags = TR_RQ_HAS_LENGTH;
    cr_expect(!tr_frame_has_body(&rq), "Content-Length: 0 is no body");
    rq.content_length = 1;
    cr_expect(tr_frame_has_body(&rq));
    rq.flags = TR_RQ_CHUNKED;
    rq.content_length = 0;
    cr_expect(tr_frame_has_body(&rq));
}

Test(frame, a_client_quits_when_it_closes_and_sends_no_body)
{
    struct tr_request rq = { .version = 11, .flags = TR_RQ_CLOSE };
    cr_expect(tr_frame_quits(&rq));
    rq.flags |= TR_RQ_HAS_LENGTH;
    rq.content_length = 5;
    cr_expect(!tr_frame_quits(&rq), "its body may still arrive: linger");
    rq.flags = 0;
    rq.content_length = 0;
    cr_expect(!tr_frame_quits(&rq), "1.1 persists");
}
