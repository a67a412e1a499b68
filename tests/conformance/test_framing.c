/*
 * test_framing.c - RFC 9112 §6, §7 and RFC 9110 §8.6: message framing:
 * Content-Length syntax and duplicates, Transfer-Encoding variants and
 * obfuscations, both together, chunked syntax and sizes, and bodies sent
 * where no body is read (GET, 404, 405, 501).
 *
 * Every ambiguous row carries a second request, CF_SMUGGLED, where one
 * reading of the framing would take it for the next request: in the body
 * (CL.TE), in a chunk (TE.CL) or after a body whose length a lax parser
 * would misread (wrapped 32- and 64-bit sizes, "+5", ...).  Its answer,
 * "Hello, smuggled!", must never come.  Rows that a server may accept
 * carry no second request, since accepting would make it a legitimate
 * pipelined one.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"

TestSuite(framing, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);

#define S CF_SMUGGLED
/* strlen(S) in hex, and a chunk that holds S: a TE reader takes it as
 * data, a CL reader that stops before it takes S for the next request. */
#define S_HEX "34"
#define S_CHUNK S_HEX "\r\n" S "\r\n0\r\n\r\n"
#define ECHO "POST /echo HTTP/1.1"
/* Written in .fields where a NUL is sent (a NUL would end the format). */
#define NUL_BYTE "\xfe"

/* The request line, the fields after Host ("%zu", if present, becomes the
 * body's length), the body, then what the first answer may be. */
struct frame_case {
    char rfc[80];
    char line[32];
    char fields[112];
    char body[160];
    int status[5];
    char echo[24];      /* the body a 2xx must have; "" for any */
    char more[32];      /* one answer that must follow ("#NNN" or a body) */
    int conn;
};

ParameterizedTestParameters(framing, each_framing_gets_what_the_rfc_requires_and_nothing_is_smuggled)
{
    static struct frame_case cases[] = {
        /* ---- CL.TE: Content-Length covers everything, chunked ends
         *      early.  RFC 9112 §6.1: MAY reject, or use Transfer-Encoding
         *      alone; either way MUST close after answering. ---------------- */
        { "RFC 9112 §6.1 CL+TE MUST close: chunked", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: TE first", ECHO,
          "Transfer-Encoding: chunked\r\nContent-Length: %zu\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: chunked, chunked", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: ' chunked'", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding:  chunked\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: xchunked", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: xchunked\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: chunked;x=1", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: chunked;x=1\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: HTAB chunked", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding:\tchunked\t\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: ChUnKeD", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: ChUnKeD\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: TE in two fields", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
          "0\r\n\r\n" S, { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: chunked VT", ECHO,
          "Content-Length: %zu\r\nTransfer-Encoding: chunked\x0b\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 CL+TE MUST close: lower-case names", ECHO,
          "content-length: %zu\r\ntransfer-encoding: chunked\r\n", "0\r\n\r\n" S,
          { 400, 200, 501 }, "", "", CF_CLOSE },

        /* ---- TE.CL: a short Content-Length, the chunk holds S ----------- */
        { "RFC 9112 §6.1 TE+CL MUST close: chunked", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", S_CHUNK, { 400, 200, 501 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: ' chunked'", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding:   chunked\r\n", S_CHUNK, { 400, 200, 501 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: CHUNKED", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding: CHUNKED\r\n", S_CHUNK, { 400, 200, 501 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: xchunked", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding: xchunked\r\n", S_CHUNK, { 400, 200, 501 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: chunked, chunked", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding: chunked, chunked\r\n", S_CHUNK,
          { 400, 200, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: chunked;x=1", ECHO,
          "Content-Length: 4\r\nTransfer-Encoding: chunked;x=1\r\n", S_CHUNK, { 400, 200, 501 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 TE+CL MUST close: CL after two TE", ECHO,
          "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n",
          S_CHUNK, { 400, 200, 501 }, "", "", CF_CLOSE },

        /* ---- Transfer-Encoding alone ------------------------------------ */
        { "RFC 9112 §6.3 r4 MUST 400+close: xchunked", ECHO, "Transfer-Encoding: xchunked\r\n",
          "0\r\n\r\n" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r4 MUST 400+close: chunkedx", ECHO, "Transfer-Encoding: chunkedx\r\n",
          "0\r\n\r\n" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r4 MUST 400+close: \"chunked\"", ECHO,
          "Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r4 MUST 400+close: identity", ECHO, "Transfer-Encoding: identity\r\n",
          "0\r\n\r\n" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r4 MUST 400+close: chunked then gzip fields", ECHO,
          "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n" S, { 400 },
          "", "", CF_CLOSE },
        { "RFC 9112 §6.1 chunked MUST NOT be applied twice: 2 fields", ECHO,
          "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" S,
          { 400, 501 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.1 chunked MUST NOT be applied twice: one list", ECHO,
          "Transfer-Encoding: chunked,chunked\r\n", "0\r\n\r\n" S, { 400, 501 }, "", "",
          CF_CLOSE },
        { "RFC 9112 §6.1 unknown coding under chunked (SHOULD 501)", ECHO,
          "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" S,
          { 501, 400 }, "", "", CF_ANY },
        { "RFC 9112 §5.1 MUST 400: HTAB before the colon of TE", ECHO,
          "Transfer-Encoding\t: chunked\r\n", "0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §6.1 MUST close: TE in HTTP/1.0", "POST /echo HTTP/1.0",
          "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n", "0\r\n\r\n" S,
          { 400, 200 }, "", "", CF_CLOSE },
        { "RFC 9112 §7 coding names are case-insensitive", ECHO, "Transfer-Encoding: cHuNkEd\r\n",
          "5\r\nhello\r\n0\r\n\r\n", { 200 }, "hello", "", CF_ANY },
        { "RFC 9110 §5.6.1 OWS around a lone chunked", ECHO,
          "Transfer-Encoding: \t chunked \t\r\n", "5\r\nhello\r\n0\r\n\r\n", { 200 }, "hello",
          "", CF_ANY },
        { "RFC 9110 §5.6.1 empty list elements around chunked", ECHO,
          "Transfer-Encoding: , chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", { 200, 400 }, "hello",
          "", CF_ANY },
        { "RFC 9112 §7 chunked has no parameters (reject or ignore)", ECHO,
          "Transfer-Encoding: chunked;x=1\r\n", "5\r\nhello\r\n0\r\n\r\n", { 400, 501, 200 },
          "hello", "", CF_ANY },
        { "RFC 9110 §5.1 a misspelt name is another field", ECHO,
          "Transfer_Encoding: chunked\r\n", "0\r\n\r\n", { 200 }, "", "#400", CF_ANY },

        /* ---- Content-Length: RFC 9110 §8.6 1*DIGIT; RFC 9112 §6.3 r5:
         *      invalid → MUST 400 and close ------------------------------- */
        { "RFC 9112 §6.3 r5 MUST 400+close: 5.0", ECHO, "Content-Length: 5.0\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: 5e0", ECHO, "Content-Length: 5e0\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: 5a", ECHO, "Content-Length: 5a\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: quoted", ECHO, "Content-Length: \"5\"\r\n",
          "hello" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: SP +5", ECHO, "Content-Length:  +5\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: 5 VT", ECHO, "Content-Length: 5\x0b\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: 5;", ECHO, "Content-Length: 5;\r\n", "hello" S,
          { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: NUL after 5", ECHO, "Content-Length: 5" NUL_BYTE "\r\n",
          "hello" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 MUST 400+close: fullwidth digit", ECHO,
          "Content-Length: \xef\xbc\x95\r\n", "hello" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 differing fields, larger first", ECHO,
          "Content-Length: 6\r\ncontent-length: 5\r\n", "hello" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9112 §6.3 r5 differing values in one list", ECHO, "Content-Length: 5,50\r\n",
          "hello" S, { 400 }, "", "", CF_CLOSE },
        { "RFC 9110 §8.6 2^64+5 must not wrap to 5", ECHO,
          "Content-Length: 18446744073709551621\r\n", "hello" S, { 400, 413 }, "", "",
          CF_CLOSE },
        { "RFC 9110 §8.6 2^32+5 must not wrap to 5", ECHO, "Content-Length: 4294967301\r\n",
          "hello" S, { 413, 400 }, "", "", CF_CLOSE },
        { "RFC 9110 §15.5.14 UINT64_MAX is too large", ECHO,
          "Content-Length: 18446744073709551615\r\n", "hello" S, { 413, 400 }, "", "",
          CF_CLOSE },
        { "RFC 9110 §8.6 leading zeros are digits", ECHO, "Content-Length: 0005\r\n", "hello",
          { 200 }, "hello", "", CF_ANY },
        { "RFC 9110 §5.5 OWS around the length", ECHO, "Content-Length:\t5 \t\r\n", "hello",
          { 200 }, "hello", "", CF_ANY },
        { "RFC 9110 §8.6 identical fields (MAY accept)", ECHO,
          "Content-Length: 5\r\nContent-Length: 005\r\n", "hello", { 200, 400 }, "hello", "",
          CF_ANY },
        { "RFC 9112 §5.2 Content-Length folded (400 or SP)", ECHO, "Content-Length:\r\n 5\r\n",
          "hello", { 400, 200 }, "hello", "", CF_ANY },

        /* ---- chunked syntax: RFC 9112 §7.1 ------------------------------ */
        { "RFC 9112 §7.1 chunk-size is HEXDIG: -5", ECHO, "Transfer-Encoding: chunked\r\n",
          "-5\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 chunk-size is HEXDIG: +5", ECHO, "Transfer-Encoding: chunked\r\n",
          "+5\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 chunk-size is HEXDIG: 0x5", ECHO, "Transfer-Encoding: chunked\r\n",
          "0x5\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 chunk-size is not empty", ECHO, "Transfer-Encoding: chunked\r\n",
          "\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 more data than chunk-size", ECHO, "Transfer-Encoding: chunked\r\n",
          "3\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 less data than chunk-size", ECHO, "Transfer-Encoding: chunked\r\n",
          "5\r\nhel\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 CRLF after chunk-data", ECHO, "Transfer-Encoding: chunked\r\n",
          "5\r\nhelloXY0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1.1 control byte in a chunk-ext", ECHO, "Transfer-Encoding: chunked\r\n",
          "5;a=\x01\r\nhello\r\n0\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 2^64+5 must not wrap to 5", ECHO, "Transfer-Encoding: chunked\r\n",
          "10000000000000005\r\nhello\r\n0\r\n\r\n" S, { 400, 413 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 2^32+5 must not wrap to 5", ECHO, "Transfer-Encoding: chunked\r\n",
          "100000005\r\nhello\r\n0\r\n\r\n" S, { 413, 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 UINT64_MAX chunk-size", ECHO, "Transfer-Encoding: chunked\r\n",
          "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n" S, { 413, 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1 leading zeros in chunk-size", ECHO, "Transfer-Encoding: chunked\r\n",
          "0000000000000000000000005\r\nhello\r\n0\r\n\r\n", { 200, 400, 413 }, "hello", "",
          CF_ANY },
        { "RFC 9112 §7.1.3 no final CRLF: S is not a trailer", ECHO,
          "Transfer-Encoding: chunked\r\n", "0\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1.2 malformed trailer field", ECHO, "Transfer-Encoding: chunked\r\n",
          "0\r\nX T: y\r\n\r\n" S, { 400 }, "", "", CF_ANY },
        { "RFC 9112 §7.1.2 trailer with an empty value", ECHO, "Transfer-Encoding: chunked\r\n",
          "2\r\nok\r\n0\r\nX-T:\r\n\r\n", { 200 }, "ok", "", CF_ANY },
        { "RFC 9110 §6.5.1 framing fields in a trailer are not framing", ECHO,
          "Transfer-Encoding: chunked\r\n", "2\r\nok\r\n0\r\nContent-Length: 50\r\n\r\n",
          { 200, 400 }, "ok", "", CF_ANY },
        { "RFC 9112 §7.1.1 BWS without an extension", ECHO, "Transfer-Encoding: chunked\r\n",
          "5 \r\nhello\r\n0\r\n\r\n", { 400, 200 }, "hello", "", CF_ANY },
        { "RFC 9112 §2.2 bare LF in chunked lines (MAY)", ECHO, "Transfer-Encoding: chunked\r\n",
          "5\nhello\n0\n\n", { 400, 200 }, "hello", "", CF_ANY },

        /* ---- bodies where none is read: RFC 9112 §6.3 frames them anyway - */
        { "RFC 9112 §6.3 r6 a GET body is framed by CL", "GET / HTTP/1.1",
          "Content-Length: %zu\r\n", S, { 200 }, "Hello, world!", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a HEAD body is framed by CL", "HEAD / HTTP/1.1",
          "Content-Length: %zu\r\n", S, { 200 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a body on a 404", "GET /nope HTTP/1.1", "Content-Length: %zu\r\n",
          S, { 404 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a body on a 405", "POST / HTTP/1.1", "Content-Length: %zu\r\n", S,
          { 405 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a body on a 501", "BREW / HTTP/1.1", "Content-Length: %zu\r\n", S,
          { 501 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a body on a 405 for a method no route uses", "PUT / HTTP/1.1",
          "Content-Length: %zu\r\n", S, { 405 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r6 a body on OPTIONS", "OPTIONS /echo HTTP/1.1",
          "Content-Length: %zu\r\n", S, { 204, 200 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r4 a chunked GET body", "GET / HTTP/1.1",
          "Transfer-Encoding: chunked\r\n", S_CHUNK, { 200, 400, 411 }, "Hello, world!", "",
          CF_ANY },
        { "RFC 9112 §6.3 r4 a chunked body on a 404", "GET /nope HTTP/1.1",
          "Transfer-Encoding: chunked\r\n", S_CHUNK, { 404, 400 }, "", "", CF_ANY },
        { "RFC 9112 §6.3 r4 a chunked body on a 405", "POST /hello/x HTTP/1.1",
          "Transfer-Encoding: chunked\r\n", S_CHUNK, { 405, 400 }, "", "", CF_ANY },
        { "RFC 9110 §10.1.1 417 before an unread body", ECHO,
          "Content-Length: %zu\r\nExpect: pony\r\n", S, { 417, 200 }, "", "", CF_ANY },
        { "RFC 9110 §10.1.1 417 before an unread chunked body", ECHO,
          "Transfer-Encoding: chunked\r\nExpect: pony\r\n", S_CHUNK, { 417, 200 }, "", "",
          CF_ANY },
    };
    return cr_make_param_array(struct frame_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct frame_case *f, framing,
                  each_framing_gets_what_the_rfc_requires_and_nothing_is_smuggled)
{
    struct cf_case c;
    char req[1024];
    memset(&c, 0, sizeof c);
    snprintf(c.rfc, sizeof c.rfc, "%s", f->rfc);
    memcpy(c.status, f->status, sizeof c.status);
    snprintf(c.body, sizeof c.body, "%s", f->echo);
    snprintf(c.more[0], sizeof c.more[0], "%s", f->more);
    c.conn = f->conn;
    size_t blen = strlen(f->body);
    int n = snprintf(req, sizeof req, "%s\r\nHost: framing.test\r\n", f->line);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    n += snprintf(req + n, sizeof req - (size_t)n, f->fields, blen);
#pragma GCC diagnostic pop
    /* NUL_BYTE in a field stands for a NUL, which would end the format. */
    for (int i = 0; i < n; i++)
        if (req[i] == NUL_BYTE[0])
            req[i] = '\0';
    n += snprintf(req + n, sizeof req - (size_t)n, "\r\n%s", f->body);
    cf_check_bytes(&c, req, (size_t)n);
}
