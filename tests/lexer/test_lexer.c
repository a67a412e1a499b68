/*
 * test_lexer.c - the generated request-head lexer (templates/request.re.in)
 * instantiated for the declared headers Authorization (0) and
 * If-None-Match (1), with the limits of this
 * directory's tr_config.h.
 *
 * Every valid head is lexed whole, split at every point, byte at a time
 * and at the end of a page followed by an unreadable one; every malformed
 * head must give its exact status the same way.  Inputs live in heap
 * blocks of exactly their length, so valgrind and ASan see any read past
 * len.
 */
#define _GNU_SOURCE     /* memmem */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "browser_request.h"
#include "tr_app.h"

int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);

#define S(lit) lit, sizeof(lit) - 1
#define NONE NULL

enum { M_GET = TR_GET, M_POST = TR_POST, M_OPT = TR_OPTIONS, M_UNK = TR_METHOD_COUNT };

/* A valid head and what the lexer must find in it. */
struct ok_case {
    const char *name;
    const char *raw;
    size_t len;
    uint32_t head;           /* head length; 0: all of raw */
    int method;
    int version;
    const char *path;
    const char *query;       /* NONE: no '?' */
    const char *host;        /* NONE: no host */
    unsigned host_count;
    unsigned flags;
    uint64_t length;
    unsigned fields;
    const char *h0;          /* Authorization */
    const char *h1;          /* If-None-Match */
};

/* A malformed head and its status. */
struct bad_case {
    const char *name;
    const char *raw;
    size_t len;
    int status;
};

#define A10 "aaaaaaaaaa"
#define A50 A10 A10 A10 A10 A10
#define CRLF10 "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
#define CRLF100 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10 CRLF10
#define A86 A50 A10 A10 A10 "aaaaaa"
#define F(n) "X-F" #n ": v\r\n"
#define F8(a) F(a##0) F(a##1) F(a##2) F(a##3) F(a##4) F(a##5) F(a##6) F(a##7)
#define H1000 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 A50 \
              A50 A50 A50 A50

static const struct ok_case ok_cases[] = {
    { "minimal GET", S("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "a", 1, 0, 0, 1, NONE, NONE },
    { "HTTP/1.0 without Host", S("GET /x HTTP/1.0\r\n\r\n"), 0,
      M_GET, 10, "/x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "HTTP/1.2 is taken as 1.1", S("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "a", 1, 0, 0, 1, NONE, NONE },
    { "POST with Content-Length", S("POST /api/v1/led HTTP/1.1\r\nHost: r\r\n"
      "Content-Length: 42\r\n\r\n"), 0,
      M_POST, 11, "/api/v1/led", NONE, "r", 1, TR_RQ_HAS_LENGTH, 42, 2, NONE, NONE },
    { "OPTIONS asterisk", S("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), 0,
      M_OPT, 11, "*", NONE, "a", 1, 0, 0, 1, NONE, NONE },
    { "a known method without a rule of its own: PUT", S("PUT /x HTTP/1.1\r\nHost: a\r\n\r\n"), 0,
      TR_PUT, 11, "/x", NONE, "a", 1, 0, 0, 1, NONE, NONE },
    { "every known method is recognised: TRACE", S("TRACE /x HTTP/1.1\r\n\r\n"), 0,
      TR_TRACE, 11, "/x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "a method that is no standard one", S("FOO /x HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "a known method's prefix without a rule", S("PATC /x HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "a known method as a prefix, without a rule", S("PATCHY /x HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "methods are case-sensitive", S("get / HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "a method that is a prefix of a known one", S("GE / HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "a method a known one is a prefix of", S("GETS / HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "method of every tchar", S("!#$%&'*+-.^_`|~09AZaz / HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "CONNECT authority-form", S("CONNECT example.com:443 HTTP/1.1\r\n"
      "Host: example.com:443\r\n\r\n"), 0,
      TR_CONNECT, 11, "example.com:443", NONE, "example.com:443", 1, 0, 0, 1, NONE, NONE },
    { "unknown method with asterisk", S("BREW * HTTP/1.1\r\n\r\n"), 0,
      M_UNK, 11, "*", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "query", S("GET /a/b?x=1&y=%20z HTTP/1.1\r\nHost: a\r\n\r\n"), 0,
      M_GET, 11, "/a/b", "x=1&y=%20z", "a", 1, 0, 0, 1, NONE, NONE },
    { "empty query", S("GET /? HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/", "", NONE, 0, 0, 0, 0, NONE, NONE },
    { "query with ? and /", S("GET /p?a/b?c HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/p", "a/b?c", NONE, 0, 0, 0, 0, NONE, NONE },
    { "every path character", S("GET /a-b._~!$&'()*+,;=:@%2F%aF//x HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/a-b._~!$&'()*+,;=:@%2F%aF//x", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "absolute-form", S("GET http://example.com:8080/x/y?q=1 HTTP/1.1\r\n"
      "Host: other\r\n\r\n"), 0,
      M_GET, 11, "/x/y", "q=1", "example.com:8080", 1, 0, 0, 1, NONE, NONE },
    { "absolute-form https, IPv6, no path", S("GET HTTPS://[::1] HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "[::1]", 0, 0, 0, 0, NONE, NONE },
    { "absolute-form, no path, query", S("GET http://h?q HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/", "q", "h", 0, 0, 0, 0, NONE, NONE },
    { "one leading empty line", S("\r\nGET / HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "two leading empty lines", S("\r\n\r\nPOST / HTTP/1.1\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "OWS around values is dropped", S("GET / HTTP/1.1\r\nHost: \t a.b \t \r\n"
      "Authorization:\tBasic  eA== \t\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "a.b", 1, 0, 0, 2, "Basic  eA==", NONE },
    { "empty Host", S("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "", 1, 0, 0, 1, NONE, NONE },
    { "Host IPv4 and port", S("GET / HTTP/1.1\r\nhOST: 192.168.1.1:8080\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "192.168.1.1:8080", 1, 0, 0, 1, NONE, NONE },
    { "Host IPv6 and port", S("GET / HTTP/1.1\r\nHost: [2001:db8::ff00:42:8329]:80\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "[2001:db8::ff00:42:8329]:80", 1, 0, 0, 1, NONE, NONE },
    { "Host IPv6 full with IPv4", S("GET / HTTP/1.1\r\nHost: [1:2:3:4:5:6:1.2.3.4]\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "[1:2:3:4:5:6:1.2.3.4]", 1, 0, 0, 1, NONE, NONE },
    { "Host IPvFuture", S("GET / HTTP/1.1\r\nHost: [v1f.a:b!]\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "[v1f.a:b!]", 1, 0, 0, 1, NONE, NONE },
    { "Host reg-name with pct and sub-delims", S("GET / HTTP/1.1\r\nHost: a%41-b_c~!$&'()*+,;=:\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "a%41-b_c~!$&'()*+,;=:", 1, 0, 0, 1, NONE, NONE },
    { "two Host fields: counted, first kept", S("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "a", 2, 0, 0, 2, NONE, NONE },
    { "Content-Length list of equal values", S("POST / HTTP/1.1\r\nContent-Length: 5 , 5,5\r\n"
      "content-length: 005\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_HAS_LENGTH, 5, 2, NONE, NONE },
    { "Content-Length UINT64_MAX", S("POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_HAS_LENGTH, UINT64_MAX, 1, NONE, NONE },
    { "Content-Length 0", S("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_HAS_LENGTH, 0, 1, NONE, NONE },
    { "chunked", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_CHUNKED, 0, 1, NONE, NONE },
    { "gzip then chunked", S("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, CHUNKED \r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_CHUNKED | TR_RQ_TE_OTHER, 0, 1, NONE, NONE },
    { "chunked not last", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked,gzip\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_TE_OTHER, 0, 1, NONE, NONE },
    { "codings across fields", S("POST / HTTP/1.1\r\nTransfer-Encoding: x;a=b;c=\"d\\\"e, f\"\r\n"
      "Transfer-Encoding: , chunked ,\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_CHUNKED | TR_RQ_TE_OTHER, 0, 2, NONE, NONE },
    { "chunked with a parameter is another coding", S("POST / HTTP/1.1\r\n"
      "Transfer-Encoding: chunked ; a = 1\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_TE_OTHER, 0, 1, NONE, NONE },
    { "empty Transfer-Encoding", S("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_TE_OTHER, 0, 1, NONE, NONE },
    { "Connection close", S("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, TR_RQ_CLOSE, 0, 1, NONE, NONE },
    { "Connection list", S("GET / HTTP/1.0\r\nConnection: , Upgrade,Keep-Alive ,\r\n"
      "Connection: closed\r\n\r\n"), 0,
      M_GET, 10, "/", NONE, NONE, 0, TR_RQ_KEEP_ALIVE, 0, 2, NONE, NONE },
    { "Expect 100-continue", S("POST / HTTP/1.1\r\nExpect: 100-Continue \r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_CONTINUE, 0, 1, NONE, NONE },
    { "other Expect", S("POST / HTTP/1.1\r\nExpect: 100-continue, x\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_BAD_EXPECT, 0, 1, NONE, NONE },
    { "empty Expect", S("POST / HTTP/1.1\r\nExpect:\r\n\r\n"), 0,
      M_POST, 11, "/", NONE, NONE, 0, 0, 0, 1, NONE, NONE },
    { "a repeated declared header, every value joined", S("GET / HTTP/1.1\r\nauthorization: Bearer x\r\n"
      "If-None-Match: \"a\", W/\"b\"\r\nAuthorization: second\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 3, "Bearer x, second", "\"a\", W/\"b\"" },
    { "three values, views between them moved", S("GET / HTTP/1.1\r\nIf-None-Match: \"a\"\r\n"
      "Host: h\r\nAuthorization: z\r\nIf-None-Match:\t\"b\" \r\nX: y\r\nif-none-match: W/\"c\"\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, "h", 1, 0, 0, 6, "z", "\"a\", \"b\", W/\"c\"" },
    { "a repeat after the head's other fields, OWS kept out", S("GET / HTTP/1.1\r\nAuthorization: a \r\n"
      "Content-Length: 0\r\nAUTHORIZATION:   b c\t \r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, TR_RQ_HAS_LENGTH, 0, 3, "a, b c", NONE },
    { "empty repeats add nothing", S("GET / HTTP/1.1\r\nIf-None-Match:\r\nIf-None-Match: \"a\"\r\n"
      "If-None-Match: \r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 3, NONE, "\"a\"" },
    { "empty declared header", S("GET / HTTP/1.1\r\nIf-None-Match:  \r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 1, NONE, "" },
    { "obs-text and HTAB in values", S("GET / HTTP/1.1\r\nX-A: caf\xc3\xa9\t\xff!\r\n"
      "Authorization: \x80\xfe\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 2, "\x80\xfe", NONE },
    { "names close to known ones are skipped", S("GET / HTTP/1.1\r\nHosts: a b\r\nHos: x\r\n"
      "Content-Lengths: x\r\nExpectation: y\r\nAuthorization-X: z\r\nConnectio: q\r\n"
      "Transfer-Encodin: u\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 7, NONE, NONE },
    { "pipelined request after the head", S("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n"),
      sizeof("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n") - 1,
      M_GET, 11, "/1", NONE, "a", 1, 0, 0, 1, NONE, NONE },
    { "body bytes after the head", S("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
      sizeof("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n") - 1,
      M_POST, 11, "/", NONE, NONE, 0, TR_RQ_HAS_LENGTH, 3, 1, NONE, NONE },
    { "request line of exactly TR_REQUEST_LINE_MAX", S("GET /" A86 " HTTP/1.1\r\n\r\n"), 0,
      M_GET, 11, "/" A86, NONE, NONE, 0, 0, 0, 0, NONE, NONE },
    { "exactly TR_FIELDS_MAX fields", S("GET / HTTP/1.1\r\n" F8(1) F8(2) "\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 16, NONE, NONE },
    { "head of exactly TR_HEAD_MAX", S("GET / HTTP/1.1\r\nX: " H1000 "a\r\n\r\n"), 0,
      M_GET, 11, "/", NONE, NONE, 0, 0, 0, 1, NONE, NONE },
    { "browser GET", S(BROWSER_REQUEST), 0,
      M_GET, 11, "/status/wifi", "band=5g&detail=1", "router.local", 1,
      TR_RQ_KEEP_ALIVE, 0, 10, NONE, "\"5f3a-17c2b9e0\"" },
};

static const struct bad_case bad_cases[] = {
    /* The request line. */
    { "TLS ClientHello", S("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), 400 },
    { "leading space", S(" GET / HTTP/1.1\r\n\r\n"), 400 },
    { "leading bare LF", S("\nGET / HTTP/1.1\r\n\r\n"), 400 },
    { "not a token in the method", S("G(T / HTTP/1.1\r\n\r\n"), 400 },
    { "NUL in the method", S("GE\0 / HTTP/1.1\r\n\r\n"), 400 },
    { "HTAB after the method", S("GET\t/ HTTP/1.1\r\n\r\n"), 400 },
    { "two spaces after the method", S("GET  / HTTP/1.1\r\n\r\n"), 400 },
    { "two spaces after the target", S("GET /  HTTP/1.1\r\n\r\n"), 400 },
    { "space after the version", S("GET / HTTP/1.1 \r\n\r\n"), 400 },
    { "no version", S("GET /\r\n\r\n"), 400 },
    { "empty version", S("GET / \r\n\r\n"), 400 },
    { "space in the target", S("GET /a b HTTP/1.1\r\n\r\n"), 400 },
    { "control byte in the path", S("GET /\x01 HTTP/1.1\r\n\r\n"), 400 },
    { "DEL in the path", S("GET /\x7f HTTP/1.1\r\n\r\n"), 400 },
    { "NUL in the path", S("GET /a\0 HTTP/1.1\r\n\r\n"), 400 },
    { "byte >= 0x80 in the path", S("GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n"), 400 },
    { "double quote in the path", S("GET /\" HTTP/1.1\r\n\r\n"), 400 },
    { "backslash in the path", S("GET /a\\b HTTP/1.1\r\n\r\n"), 400 },
    { "fragment", S("GET /a#f HTTP/1.1\r\n\r\n"), 400 },
    { "bad percent triplet", S("GET /%zz HTTP/1.1\r\n\r\n"), 400 },
    { "short percent triplet", S("GET /%4 HTTP/1.1\r\n\r\n"), 400 },
    { "lone percent", S("GET /% HTTP/1.1\r\n\r\n"), 400 },
    { "bad percent in the query", S("GET /?a=%g0 HTTP/1.1\r\n\r\n"), 400 },
    { "control byte in the query", S("GET /?a\x1b HTTP/1.1\r\n\r\n"), 400 },
    { "space in the query", S("GET /?a b HTTP/1.1\r\n\r\n"), 400 },
    { "relative target", S("GET a HTTP/1.1\r\n\r\n"), 400 },
    { "asterisk with GET", S("GET * HTTP/1.1\r\n\r\n"), 400 },
    { "asterisk then path", S("OPTIONS */ HTTP/1.1\r\n\r\n"), 400 },
    { "authority-form with GET", S("GET example.com:443 HTTP/1.1\r\n\r\n"), 400 },
    { "absolute-form of another scheme", S("GET ftp://x/ HTTP/1.1\r\n\r\n"), 400 },
    { "absolute-form with an empty host", S("GET http:///x HTTP/1.1\r\n\r\n"), 400 },
    { "absolute-form with userinfo", S("GET http://u@h/ HTTP/1.1\r\n\r\n"), 400 },
    { "absolute-form with a bad IPv6", S("GET http://[1::2::3]/ HTTP/1.1\r\n\r\n"), 400 },
    { "absolute-form with an open IPv6", S("GET http://[::1/ HTTP/1.1\r\n\r\n"), 400 },
    { "lowercase version", S("GET / http/1.1\r\n\r\n"), 400 },
    { "version with junk", S("GET / HTTP/1.1x\r\n\r\n"), 400 },
    { "version without dot", S("GET / HTTP/11\r\n\r\n"), 400 },
    { "two-digit minor", S("GET / HTTP/1.10\r\n\r\n"), 400 },
    { "HTTP/2.0", S("GET / HTTP/2.0\r\n\r\n"), 505 },
    { "HTTP/0.9", S("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505 },
    { "HTTP/3.1", S("GET / HTTP/3.1\r\n"), 505 },
    { "bare LF after the request line", S("GET / HTTP/1.1\n\n"), 400 },
    { "bare CR after the request line", S("GET / HTTP/1.1\rHost: a\r\n\r\n"), 400 },
    { "CR CR LF", S("GET / HTTP/1.1\r\r\n\r\n"), 400 },
    { "request line one byte too long", S("GET /" A86 "a HTTP/1.1\r\n\r\n"), 414 },
    { "endless request line", S("GET /" A50 A50 A50), 414 },
    { "endless method", S(A50 A50 A50), 414 },
    { "endless version", S("GET / HTTP/1.1111111111111111111111111111111111111111111111"
      "1111111111111111111111111111111111111111111111111111111111"), 400 },
    /* Fields. */
    { "space before the colon", S("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400 },
    { "HTAB before the colon", S("GET / HTTP/1.1\r\nX\t: a\r\n\r\n"), 400 },
    { "empty field name", S("GET / HTTP/1.1\r\n: a\r\n\r\n"), 400 },
    { "space in the field name", S("GET / HTTP/1.1\r\nX Y: a\r\n\r\n"), 400 },
    { "no colon", S("GET / HTTP/1.1\r\nHost a\r\n\r\n"), 400 },
    { "not a token in the name", S("GET / HTTP/1.1\r\nX(: a\r\n\r\n"), 400 },
    { "obs-fold", S("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"), 400 },
    { "obs-fold with HTAB", S("GET / HTTP/1.1\r\nAuthorization: a\r\n\tb\r\n\r\n"), 400 },
    { "space before the first field", S("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), 400 },
    { "control byte in a value", S("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n"), 400 },
    { "NUL in a value", S("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n"), 400 },
    { "DEL in a value", S("GET / HTTP/1.1\r\nX: \x7f\r\n\r\n"), 400 },
    { "bare CR in a value", S("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"), 400 },
    { "bare LF ends a field", S("GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n"), 400 },
    { "bare LF ends the head", S("GET / HTTP/1.1\r\nX: a\r\n\n"), 400 },
    { "control byte in a declared value", S("GET / HTTP/1.1\r\nIf-None-Match: \x08\r\n\r\n"), 400 },
    { "space in Host", S("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400 },
    { "slash in Host", S("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400 },
    { "userinfo in Host", S("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"), 400 },
    { "bad port in Host", S("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n"), 400 },
    { "two ports in Host", S("GET / HTTP/1.1\r\nHost: a:80:90\r\n\r\n"), 400 },
    { "bad percent in Host", S("GET / HTTP/1.1\r\nHost: %zz\r\n\r\n"), 400 },
    { "open IP-literal in Host", S("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), 400 },
    { "bad hex in IP-literal", S("GET / HTTP/1.1\r\nHost: [::g]\r\n\r\n"), 400 },
    { "nine IPv6 pieces", S("GET / HTTP/1.1\r\nHost: [1:2:3:4:5:6:7:8:9]\r\n\r\n"), 400 },
    { "seven IPv6 pieces, no gap", S("GET / HTTP/1.1\r\nHost: [1:2:3:4:5:6:7]\r\n\r\n"), 400 },
    { "five hex digits in a piece", S("GET / HTTP/1.1\r\nHost: [12345::]\r\n\r\n"), 400 },
    { "IPv4 in IPv6 not last", S("GET / HTTP/1.1\r\nHost: [::1.2.3.4:1]\r\n\r\n"), 400 },
    { "IPv4 octet above 255", S("GET / HTTP/1.1\r\nHost: [::1.2.3.256]\r\n\r\n"), 400 },
    { "IPv6 with a trailing colon", S("GET / HTTP/1.1\r\nHost: [1:2:3:4:5:6:7:8:]\r\n\r\n"), 400 },
    { "IPv6 without brackets", S("GET / HTTP/1.1\r\nHost: 1:2::3\r\n\r\n"), 400 },
    { "empty Content-Length", S("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"), 400 },
    { "negative Content-Length", S("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400 },
    { "signed Content-Length", S("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n"), 400 },
    { "hex Content-Length", S("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n"), 400 },
    { "Content-Length with junk", S("POST / HTTP/1.1\r\nContent-Length: 1a\r\n\r\n"), 400 },
    { "two numbers without a comma", S("POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\n"), 400 },
    { "differing Content-Length list", S("POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n"), 400 },
    { "empty Content-Length list member", S("POST / HTTP/1.1\r\nContent-Length: 1,,1\r\n\r\n"), 400 },
    { "Content-Length overflow", S("POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n"), 400 },
    { "differing Content-Length fields", S("POST / HTTP/1.1\r\nContent-Length: 5\r\n"
      "Content-Length: 6\r\n\r\n"), 400 },
    { "Transfer-Encoding and Content-Length", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
      "Content-Length: 5\r\n\r\n"), 400 },
    { "chunked twice", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"), 400 },
    { "chunked twice across fields", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: gzip, chunked\r\n\r\n"), 400 },
    { "codings without a comma", S("POST / HTTP/1.1\r\nTransfer-Encoding: chunked gzip\r\n\r\n"), 400 },
    { "parameter without a value", S("POST / HTTP/1.1\r\nTransfer-Encoding: gzip;q\r\n\r\n"), 400 },
    { "open quoted string", S("POST / HTTP/1.1\r\nTransfer-Encoding: a;b=\"x\r\n\r\n"), 400 },
    { "not a coding", S("POST / HTTP/1.1\r\nTransfer-Encoding: @\r\n\r\n"), 400 },
    { "Connection options without a comma", S("GET / HTTP/1.1\r\nConnection: close keep-alive\r\n\r\n"), 400 },
    { "not a Connection option", S("GET / HTTP/1.1\r\nConnection: close;x\r\n\r\n"), 400 },
    { "control byte in Expect", S("GET / HTTP/1.1\r\nExpect: \x01\r\n\r\n"), 400 },
    /* Limits. */
    { "one field too many", S("GET / HTTP/1.1\r\n" F8(1) F8(2) "X: v\r\n\r\n"), 431 },
    { "head one byte too long", S("GET / HTTP/1.1\r\nX: " H1000 "aa\r\n\r\n"), 431 },
    { "endless field value", S("GET / HTTP/1.1\r\nX: " H1000 H1000), 431 },
    { "endless leading empty lines", S(CRLF100 CRLF100 CRLF100 CRLF100 CRLF100 CRLF100), 431 },
};

/* The whole input in a heap block of exactly its length. */
static char *dup_exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);

    cr_assert_not_null(p);
    memcpy(p, s, n);
    return p;
}

static int lex(struct tr_lex *lx, struct tr_request *rq, char *buf, size_t len)
{
    return tr_lex_request(lx, rq, buf, (uint32_t)len);
}

static void expect_str(const char *what, const char *ptr, size_t len, const char *want)
{
    if (want == NULL) {
        cr_expect_null(ptr, "%s: expected none, got \"%.*s\"", what, (int)len, ptr ? ptr : "");
        return;
    }
    cr_expect_not_null(ptr, "%s: expected \"%s\", got none", what, want);
    if (ptr != NULL)
        cr_expect(len == strlen(want) && memcmp(ptr, want, len) == 0,
                  "%s: expected \"%s\", got \"%.*s\"", what, want, (int)len, ptr);
}

/* What a finished head must look like. */
static void expect_ok(const struct ok_case *c, const struct tr_lex *lx,
                      const struct tr_request *rq)
{
    uint32_t head = c->head ? c->head : (uint32_t)c->len;

    cr_expect_eq(lx->cursor, head, "cursor %u, want %u", lx->cursor, head);
    cr_expect_eq(rq->method, c->method, "method %d, want %d", rq->method, c->method);
    cr_expect_eq(rq->version, c->version, "version %d, want %d", rq->version, c->version);
    expect_str("path", rq->path, rq->path_len, c->path);
    expect_str("query", rq->query.ptr, rq->query.len, c->query);
    expect_str("host", rq->host.ptr, rq->host.len, c->host);
    cr_expect_eq(rq->host_count, c->host_count, "host_count %u, want %u", rq->host_count, c->host_count);
    cr_expect_eq(rq->flags, c->flags, "flags %#x, want %#x", rq->flags, c->flags);
    if (c->flags & TR_RQ_HAS_LENGTH)
        cr_expect_eq(rq->content_length, c->length);
    cr_expect_eq(rq->field_count, c->fields, "field_count %u, want %u", rq->field_count, c->fields);
    expect_str("Authorization", rq->header[0].ptr, rq->header[0].len, c->h0);
    expect_str("If-None-Match", rq->header[1].ptr, rq->header[1].len, c->h1);
}

/* Two lexings of the same buffer found the same things. */
static void expect_same(const struct tr_lex *la, const struct tr_request *a,
                        const struct tr_lex *lb, const struct tr_request *b)
{
    cr_expect_eq(la->cursor, lb->cursor);
    cr_expect_eq(a->method, b->method);
    cr_expect_eq(a->version, b->version);
    cr_expect_eq(a->flags, b->flags);
    cr_expect_eq(a->host_count, b->host_count);
    cr_expect_eq(a->field_count, b->field_count);
    cr_expect_eq(a->content_length, b->content_length);
    cr_expect_eq(a->path, b->path);
    cr_expect_eq(a->path_len, b->path_len);
    cr_expect_eq(a->query.ptr, b->query.ptr);
    cr_expect_eq(a->query.len, b->query.len);
    cr_expect_eq(a->host.ptr, b->host.ptr);
    cr_expect_eq(a->host.len, b->host.len);
    for (int i = 0; i < TR_DECLARED_HEADERS; i++) {
        cr_expect_eq(a->header[i].ptr, b->header[i].ptr);
        cr_expect_eq(a->header[i].len, b->header[i].len);
    }
}

TestSuite(lexer, .timeout = 60);

/*
 * Parameters are indexes into the case tables: Criterion runs each test in
 * a new process, where pointers from the parent's tables would dangle.
 */
#define CASE_INDEXES(table) do {                                            \
        static size_t idx_[sizeof table / sizeof table[0]];                 \
        for (size_t k_ = 0; k_ < sizeof table / sizeof table[0]; k_++)      \
            idx_[k_] = k_;                                                  \
        return cr_make_param_array(size_t, idx_, sizeof table / sizeof table[0]); \
    } while (0)

ParameterizedTestParameters(lexer, valid_heads_lex_whole)
{
    CASE_INDEXES(ok_cases);
}

ParameterizedTest(size_t *i, lexer, valid_heads_lex_whole)
{
    const struct ok_case *c = &ok_cases[*i];
    struct tr_lex lx;
    struct tr_request rq;
    char *buf = dup_exact(c->raw, c->len);

    tr_lex_reset(&lx, &rq);
    cr_assert_eq(lex(&lx, &rq, buf, c->len), TR_LEX_DONE, "%s", c->name);
    expect_ok(c, &lx, &rq);
    free(buf);
}

ParameterizedTestParameters(lexer, valid_heads_give_the_same_result_split_anywhere)
{
    CASE_INDEXES(ok_cases);
}

ParameterizedTest(size_t *i, lexer, valid_heads_give_the_same_result_split_anywhere)
{
    const struct ok_case *c = &ok_cases[*i];
    struct tr_lex lx0, lx;
    struct tr_request rq0, rq;
    char *buf = dup_exact(c->raw, c->len);
    uint32_t head = c->head ? c->head : (uint32_t)c->len;

    tr_lex_reset(&lx0, &rq0);
    cr_assert_eq(lex(&lx0, &rq0, buf, c->len), TR_LEX_DONE);
    for (size_t k = 0; k < c->len; k++) {
        memcpy(buf, c->raw, c->len);    /* joining repeated fields rewrote it */
        tr_lex_reset(&lx, &rq);
        int r = lex(&lx, &rq, buf, k);
        if (k < head) {
            cr_assert_eq(r, TR_LEX_MORE, "%s: prefix %zu gave %d", c->name, k, r);
            cr_assert_eq(lex(&lx, &rq, buf, k), TR_LEX_MORE, "%s: no new byte at %zu", c->name, k);
            r = lex(&lx, &rq, buf, c->len);
        }
        cr_assert_eq(r, TR_LEX_DONE, "%s: split at %zu gave %d", c->name, k, r);
        expect_same(&lx0, &rq0, &lx, &rq);
    }
    free(buf);
}

/* tr_conn.c lexes a pipelined head again from its start once it moved:
 * a head whose repeated fields were combined in place must give the same
 * views (the repeated lines become the trailing OWS of the lines before). */
Test(lexer, a_head_with_combined_fields_lexes_again_to_the_same_result)
{
    static const char raw[] = "GET / HTTP/1.1\r\nIf-None-Match: \"a\"\r\nHost: h\r\n"
                              "if-none-match: \"b\"\r\nAuthorization: x\r\nAuthorization:y\r\n\r\n";
    struct tr_lex la, lb;
    struct tr_request a, b;
    char *buf = dup_exact(raw, sizeof raw - 1);

    tr_lex_reset(&la, &a);
    cr_assert_eq(lex(&la, &a, buf, sizeof raw - 1), TR_LEX_DONE);
    expect_str("If-None-Match", a.header[1].ptr, a.header[1].len, "\"a\", \"b\"");
    expect_str("Authorization", a.header[0].ptr, a.header[0].len, "x, y");
    expect_str("host", a.host.ptr, a.host.len, "h");
    cr_assert(memmem(buf, sizeof raw - 1, "Host: h    ", 11) && !memmem(buf, sizeof raw - 1, "if-none", 7),
              "the repeated lines are not blanks after the line before: \"%.*s\"", (int)sizeof raw - 1, buf);
    tr_lex_reset(&lb, &b);
    cr_assert_eq(lex(&lb, &b, buf, sizeof raw - 1), TR_LEX_DONE);
    cr_assert_eq(b.field_count, a.field_count - 2, "the joined lines are not gone");
    b.field_count = a.field_count;
    expect_same(&la, &a, &lb, &b);
    free(buf);
}

ParameterizedTestParameters(lexer, valid_heads_lex_byte_at_a_time)
{
    CASE_INDEXES(ok_cases);
}

ParameterizedTest(size_t *i, lexer, valid_heads_lex_byte_at_a_time)
{
    const struct ok_case *c = &ok_cases[*i];
    struct tr_lex lx;
    struct tr_request rq;
    char *buf = dup_exact(c->raw, c->len);
    uint32_t head = c->head ? c->head : (uint32_t)c->len;
    int r = TR_LEX_MORE;

    tr_lex_reset(&lx, &rq);
    for (size_t k = 1; k <= head; k++) {
        r = lex(&lx, &rq, buf, k);
        if (k < head)
            cr_assert_eq(r, TR_LEX_MORE, "%s: byte %zu gave %d", c->name, k, r);
    }
    cr_assert_eq(r, TR_LEX_DONE, "%s", c->name);
    expect_ok(c, &lx, &rq);
    free(buf);
}

ParameterizedTestParameters(lexer, malformed_heads_get_their_status)
{
    CASE_INDEXES(bad_cases);
}

ParameterizedTest(size_t *i, lexer, malformed_heads_get_their_status)
{
    const struct bad_case *c = &bad_cases[*i];
    struct tr_lex lx;
    struct tr_request rq;
    char *buf = dup_exact(c->raw, c->len);

    tr_lex_reset(&lx, &rq);
    int r = lex(&lx, &rq, buf, c->len);
    cr_expect_eq(r, c->status, "%s: got %d, want %d", c->name, r, c->status);
    free(buf);
}

ParameterizedTestParameters(lexer, malformed_heads_get_their_status_byte_at_a_time)
{
    CASE_INDEXES(bad_cases);
}

ParameterizedTest(size_t *i, lexer, malformed_heads_get_their_status_byte_at_a_time)
{
    const struct bad_case *c = &bad_cases[*i];
    struct tr_lex lx;
    struct tr_request rq;
    char *buf = dup_exact(c->raw, c->len);
    int r = TR_LEX_MORE;
    size_t k;

    tr_lex_reset(&lx, &rq);
    for (k = 1; k <= c->len && r == TR_LEX_MORE; k++)
        r = lex(&lx, &rq, buf, k);
    cr_expect_eq(r, c->status, "%s: got %d after %zu bytes, want %d", c->name, r, k - 1, c->status);
    free(buf);
}

/* Places raw[0..n) so that it ends where an unreadable page begins. */
struct guard {
    char *page;
    size_t size;
};

static struct guard guard_map(void)
{
    struct guard g;

    g.size = (size_t)sysconf(_SC_PAGESIZE);
    g.page = mmap(NULL, 2 * g.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(g.page, MAP_FAILED);
    cr_assert_eq(mprotect(g.page + g.size, g.size, PROT_NONE), 0);
    return g;
}

static char *guard_place(struct guard *g, const char *raw, size_t n)
{
    cr_assert_leq(n, g->size);
    memcpy(g->page + g->size - n, raw, n);
    return g->page + g->size - n;
}

ParameterizedTestParameters(lexer, valid_prefixes_before_an_unreadable_page_are_not_overread)
{
    CASE_INDEXES(ok_cases);
}

ParameterizedTest(size_t *i, lexer, valid_prefixes_before_an_unreadable_page_are_not_overread)
{
    const struct ok_case *c = &ok_cases[*i];
    struct guard g = guard_map();
    struct tr_lex lx;
    struct tr_request rq;
    uint32_t head = c->head ? c->head : (uint32_t)c->len;

    for (size_t k = 0; k <= head; k++) {
        char *buf = guard_place(&g, c->raw, k);
        tr_lex_reset(&lx, &rq);
        cr_assert_eq(lex(&lx, &rq, buf, k), k < head ? TR_LEX_MORE : TR_LEX_DONE,
                     "%s: prefix %zu", c->name, k);
    }
    munmap(g.page, 2 * g.size);
}

ParameterizedTestParameters(lexer, malformed_prefixes_before_an_unreadable_page_are_not_overread)
{
    CASE_INDEXES(bad_cases);
}

ParameterizedTest(size_t *i, lexer, malformed_prefixes_before_an_unreadable_page_are_not_overread)
{
    const struct bad_case *c = &bad_cases[*i];
    struct guard g = guard_map();
    struct tr_lex lx;
    struct tr_request rq;

    for (size_t k = 0; k <= c->len; k++) {
        char *buf = guard_place(&g, c->raw, k);
        tr_lex_reset(&lx, &rq);
        int r = lex(&lx, &rq, buf, k);
        cr_assert(r == TR_LEX_MORE || r == c->status, "%s: prefix %zu gave %d", c->name, k, r);
    }
    munmap(g.page, 2 * g.size);
}

Test(lexer, pipelined_heads_lex_one_after_the_other)
{
    static const char two[] = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.0\r\n\r\n";
    char *buf = dup_exact(two, sizeof two - 1);
    struct tr_lex lx;
    struct tr_request rq;

    tr_lex_reset(&lx, &rq);
    cr_assert_eq(lex(&lx, &rq, buf, sizeof two - 1), TR_LEX_DONE);
    uint32_t used = lx.cursor;
    cr_assert_eq(used, 28);
    tr_lex_reset(&lx, &rq);
    cr_assert_eq(lex(&lx, &rq, buf + used, sizeof two - 1 - used), TR_LEX_DONE);
    cr_expect_eq(rq.method, TR_POST);
    cr_expect_eq(rq.version, 10);
    cr_expect_eq(lx.cursor, sizeof two - 1 - used);
    free(buf);
}

Test(lexer, a_state_zeroed_with_state_minus_one_works_like_tr_lex_reset)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    char *buf = dup_exact(req, sizeof req - 1);
    struct tr_lex lx;
    struct tr_request rq;

    memset(&lx, 0, sizeof lx);
    memset(&rq, 0, sizeof rq);
    lx.state = -1;
    cr_assert_eq(lex(&lx, &rq, buf, 5), TR_LEX_MORE);
    cr_assert_eq(lex(&lx, &rq, buf, sizeof req - 1), TR_LEX_DONE);
    expect_str("host", rq.host.ptr, rq.host.len, "a");
    free(buf);
}
