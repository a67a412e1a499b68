/*
 * test_request_line.c - RFC 9112 §2-§3 and RFC 9110 §6.2, §9.1: the
 * request line: methods, versions, the four target forms, whitespace,
 * control bytes and line endings.  Each row names the requirement; where
 * the RFC lets a server choose (lenient whitespace parsing, bare LF) the
 * row allows every choice.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "conformance.h"

TestSuite(request_line, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);

#define H "Host: rl.test\r\n"
#define A10 "AAAAAAAAAA"
#define A100 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10
#define HELLO "Hello, world!"

ParameterizedTestParameters(request_line, each_request_line_gets_what_the_rfc_requires)
{
    static struct cf_case cases[] = {
        /* ---- methods ---------------------------------------------------- */
        { "RFC 9112 §3 request-line", CF_REQ("GET / HTTP/1.1\r\n" H "\r\n"), { 200 }, HELLO,
          { "" }, CF_KEEP },
        { "RFC 9110 §9.3.2 HEAD", CF_REQ("HEAD / HTTP/1.1\r\n" H "\r\n"), { 200 }, "", { "" },
          CF_KEEP },
        { "RFC 9110 §9.1 method is case-sensitive (SHOULD 501)",
          CF_REQ("Get / HTTP/1.1\r\n" H "\r\n"), { 501, 405 }, "", { "" }, CF_ANY },
        { "RFC 9110 §9.1 unknown method (SHOULD 501)",
          CF_REQ("PROPFIND / HTTP/1.1\r\n" H "\r\n"), { 501, 405 }, "", { "" }, CF_ANY },
        { "RFC 9110 §9.3.6 CONNECT not implemented",
          CF_REQ("CONNECT rl.test:443 HTTP/1.1\r\n" H "\r\n"), { 501, 405, 400 }, "", { "" },
          CF_ANY },
        { "RFC 9112 §3 method longer than any known (SHOULD 501)",
          CF_REQ(A100 A100 A100 " / HTTP/1.1\r\n" H "\r\n"), { 501, 405 }, "", { "" },
          CF_ANY },
        { "RFC 9110 §5.6.2 method must be a token", CF_REQ("GE(T / HTTP/1.1\r\n" H "\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §5.6.2 NUL in the method", CF_REQ("G\0T / HTTP/1.1\r\n" H "\r\n"), { 400 },
          "", { "" }, CF_ANY },
        { "RFC 9110 §5.6.2 non-ASCII in the method",
          CF_REQ("G\xc3\x89T / HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3 empty method", CF_REQ(" / HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" },
          CF_ANY },

        /* ---- whitespace: one SP each, or lenient parsing (MAY) ----------- */
        { "RFC 9112 §3 two SP after the method (400, or MAY parse leniently)",
          CF_REQ("GET  / HTTP/1.1\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 HTAB as separator (400, or MAY parse leniently)",
          CF_REQ("GET /\tHTTP/1.1\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 VT as separator (400, or MAY parse leniently)",
          CF_REQ("GET\x0b/ HTTP/1.1\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 FF as separator (400, or MAY parse leniently)",
          CF_REQ("GET /\x0cHTTP/1.1\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 leading SP (400, or MAY ignore it)",
          CF_REQ(" GET / HTTP/1.1\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 trailing SP (400, or MAY ignore it)",
          CF_REQ("GET / HTTP/1.1 \r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3 four words: SP inside the target",
          CF_REQ("GET /?a b HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3 no SP before the version",
          CF_REQ("GET /HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },

        /* ---- line endings and control bytes ------------------------------ */
        { "RFC 9112 §2.2 bare CR in the line: MUST reject or replace by SP",
          CF_REQ("GET / HTTP/1.1\r\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §2.2 bare CR inside the target: MUST reject or SP (then 4 words)",
          CF_REQ("GET /a\rb HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.2 bare LF line ends (MAY accept)",
          CF_REQ("GET / HTTP/1.1\n" H "\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §2.2 empty lines before the request line (SHOULD ignore one)",
          CF_REQ("\r\n\r\nGET / HTTP/1.1\r\n" H "\r\n"), { 200, 400 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §2.2 a bare LF before the request line",
          CF_REQ("\nGET / HTTP/1.1\r\n" H "\r\n"), { 200, 400 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3.2 NUL in the target", CF_REQ("GET /\0 HTTP/1.1\r\n" H "\r\n"), { 400 },
          "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 control byte in the target",
          CF_REQ("GET /hello/\x01 HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 DEL in the target", CF_REQ("GET /hello/\x7f HTTP/1.1\r\n" H "\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 raw non-ASCII in the target",
          CF_REQ("GET /hello/\xff HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 backslash is not a URI character",
          CF_REQ("GET /files/a\\b HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 braces are not URI characters",
          CF_REQ("GET /hello/{x} HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },

        /* ---- versions ----------------------------------------------------- */
        { "RFC 9112 §9.3 HTTP/1.0 needs no Host and closes",
          CF_REQ("GET / HTTP/1.0\r\n\r\n"), { 200 }, HELLO, { "" }, CF_CLOSE },
        { "RFC 9110 §6.2 a higher 1.x minor is served as 1.1",
          CF_REQ("GET / HTTP/1.3\r\n" H "\r\n"), { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §15.6.6 major version 2", CF_REQ("GET / HTTP/2.0\r\n" H "\r\n"),
          { 505, 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §15.6.6 major version 9", CF_REQ("GET / HTTP/9.9\r\n" H "\r\n"),
          { 505, 400 }, "", { "" }, CF_ANY },
        { "RFC 9113 §3.4 the HTTP/2 preface on HTTP/1.1",
          CF_REQ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), { 505, 400, 501 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 HTTP-version is case-sensitive",
          CF_REQ("GET / Http/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 one digit each: HTTP/01.1",
          CF_REQ("GET / HTTP/01.1\r\n" H "\r\n"), { 400, 505 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 HTTP/1 without minor", CF_REQ("GET / HTTP/1\r\n" H "\r\n"), { 400 },
          "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 HTTP/1.1.1", CF_REQ("GET / HTTP/1.1.1\r\n" H "\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9112 §2.3 HTTPS/1.1 is not a version",
          CF_REQ("GET / HTTPS/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 SP inside the version", CF_REQ("GET / HTTP/ 1.1\r\n" H "\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 NUL after the version", CF_REQ("GET / HTTP/1.1\0\r\n" H "\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §2.3 HTTP/0.9 simple request", CF_REQ("GET /\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },

        /* ---- target forms ------------------------------------------------- */
        { "RFC 9112 §3.2.2 absolute-form MUST be accepted",
          CF_REQ("GET http://rl.test/hello/abs HTTP/1.1\r\nHost: other.test\r\n\r\n"), { 200 },
          "Hello, abs!", { "" }, CF_ANY },
        { "RFC 9110 §4.2.3 scheme and host are case-insensitive",
          CF_REQ("GET HTTP://RL.TEST/hello/up HTTP/1.1\r\n" H "\r\n"), { 200 }, "Hello, up!",
          { "" }, CF_ANY },
        { "RFC 9110 §7.4 https target on plain text (MAY 421)",
          CF_REQ("GET https://rl.test/hello/s HTTP/1.1\r\n" H "\r\n"), { 200, 421 },
          "Hello, s!", { "" }, CF_ANY },
        { "RFC 9110 §4.2.1 http URI with empty host MUST be rejected",
          CF_REQ("GET http:///hello/x HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §4.2.1 http URI without authority",
          CF_REQ("GET http:/hello/x HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §4.2.4 userinfo in the target is an error",
          CF_REQ("GET http://u:p@rl.test/ HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 9110 §7.4 a scheme the server does not serve",
          CF_REQ("GET ftp://rl.test/ HTTP/1.1\r\n" H "\r\n"), { 400, 421, 404, 501 }, "",
          { "" }, CF_ANY },
        { "RFC 9112 §3.2.4 asterisk-form for OPTIONS",
          CF_REQ("OPTIONS * HTTP/1.1\r\n" H "\r\n"), { 200, 204 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2.4 asterisk-form only for OPTIONS",
          CF_REQ("GET * HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2.3 authority-form only for CONNECT",
          CF_REQ("GET rl.test:80 HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 a target that is no form", CF_REQ("GET hello HTTP/1.1\r\n" H "\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 empty target", CF_REQ("GET  HTTP/1.1\r\n" H "\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9110 §4.2.5 a fragment is not sent in a target",
          CF_REQ("GET /hello/a#b HTTP/1.1\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2.1 origin-form with an empty query",
          CF_REQ("GET /? HTTP/1.1\r\n" H "\r\n"), { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §3.2.1 origin-form // is a path, not an authority",
          CF_REQ("GET //hello/x HTTP/1.1\r\n" H "\r\n"), { 404, 400 }, "", { "" }, CF_ANY },
    };
    return cr_make_param_array(struct cf_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cf_case *c, request_line, each_request_line_gets_what_the_rfc_requires)
{
    cf_check(c);
}
