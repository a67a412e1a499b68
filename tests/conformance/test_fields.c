/*
 * test_fields.c - RFC 9112 §3.2, §5 and RFC 9110 §5, §7.2: header fields:
 * the Host rules, field names, field values, whitespace before the colon,
 * obs-fold and the whitespace line after the request line.  Sizes and
 * counts are in test_limits.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "conformance.h"

TestSuite(fields, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);

#define GET "GET / HTTP/1.1\r\n"
#define H "Host: fields.test\r\n"
#define HELLO "Hello, world!"
#define N10 "XXXXXXXXXX"
#define N100 N10 N10 N10 N10 N10 N10 N10 N10 N10 N10

ParameterizedTestParameters(fields, each_header_field_gets_what_the_rfc_requires)
{
    static struct cf_case cases[] = {
        /* ---- Host: RFC 9112 §3.2 MUST 400 when missing (1.1), repeated,
         *      or invalid (RFC 9110 §7.2: uri-host [":" port]) ------------ */
        { "RFC 9112 §3.2 MUST 400: 1.1 without Host", CF_REQ(GET "Accept: */*\r\n\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: absolute-form still needs Host",
          CF_REQ("GET http://fields.test/ HTTP/1.1\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: Host twice, same value",
          CF_REQ(GET H "Accept: */*\r\n" H "\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: Host twice, one empty",
          CF_REQ(GET H "Host:\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: a list in Host", CF_REQ(GET "Host: a.test, b.test\r\n\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: a URI in Host", CF_REQ(GET "Host: http://a.test\r\n\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: '?' in Host", CF_REQ(GET "Host: a?b\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: HTAB inside Host", CF_REQ(GET "Host: a\tb\r\n\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: NUL in Host", CF_REQ(GET "Host: a\0\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: bad IPv6 literal", CF_REQ(GET "Host: [1::2::3]\r\n\r\n"),
          { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: bad Host in HTTP/1.0 too",
          CF_REQ("GET / HTTP/1.0\r\nHost: a b\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §3.2 MUST 400: bad Host beside absolute-form",
          CF_REQ("GET http://fields.test/ HTTP/1.1\r\nHost: a b\r\n\r\n"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 9112 §3.2 MUST 400: Host folded into a bad value",
          CF_REQ(GET "Host: a\r\n b\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §7.2 IPv6 literal Host", CF_REQ(GET "Host: [fe80::1]:8080\r\n\r\n"),
          { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §7.2 IPv4-mapped IPv6 Host", CF_REQ(GET "Host: [::ffff:1.2.3.4]\r\n\r\n"),
          { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 3986 §3.2.3 empty port is valid", CF_REQ(GET "Host: fields.test:\r\n\r\n"),
          { 200, 400 }, HELLO, { "" }, CF_ANY },
        { "RFC 3986 §3.2.2 percent-encoded reg-name", CF_REQ(GET "Host: a%2Eb\r\n\r\n"),
          { 200, 400 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.1 Host name is case-insensitive", CF_REQ(GET "hOsT: fields.test\r\n\r\n"),
          { 200 }, HELLO, { "" }, CF_ANY },

        /* ---- names: RFC 9110 §5.1 field-name = token --------------------- */
        { "RFC 9112 §5.1 MUST 400: SP between name and colon",
          CF_REQ(GET H "Accept : */*\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §5.1 MUST 400: SP before the colon of Host",
          CF_REQ(GET "Host : fields.test\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9112 §5.1 MUST 400: HTAB and SP before the colon",
          CF_REQ(GET H "X-A \t: b\r\n\r\n"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §5.1 '(' is not a tchar", CF_REQ(GET H "X(a): b\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9110 §5.1 '/' is not a tchar", CF_REQ(GET H "X/Y: b\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9110 §5.1 '=' is not a tchar", CF_REQ(GET H "X=Y: b\r\n\r\n"), { 400 }, "",
          { "" }, CF_ANY },
        { "RFC 9110 §5.1 NUL in a name", CF_REQ(GET H "X\0Y: b\r\n\r\n"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 9110 §5.1 non-ASCII in a name", CF_REQ(GET H "X\xc3\xa9: b\r\n\r\n"), { 400 },
          "", { "" }, CF_ANY },
        { "RFC 9110 §5.1 a colon alone", CF_REQ(GET H ":: x\r\n\r\n"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 9110 §5.1 every tchar in a name", CF_REQ(GET H "!#$%&'*+-.^_`|~09az: v\r\n\r\n"),
          { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.1 a 300-byte name", CF_REQ(GET H N100 N100 N100 ": v\r\n\r\n"), { 200 },
          HELLO, { "" }, CF_ANY },
        { "RFC 9112 §2.2 MUST reject or ignore a SP line after the request line",
          CF_REQ(GET " X-A: b\r\n" H "\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },

        /* ---- values: RFC 9110 §5.5 ---------------------------------------- */
        { "RFC 9110 §5.5 MUST reject or SP: NUL in a value",
          CF_REQ(GET H "User-Agent: \0\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.5 MUST reject or SP: CR before CRLF",
          CF_REQ(GET H "User-Agent: a\r\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §2.2 bare LF inside a value (MAY end the line)",
          CF_REQ(GET H "X-A: a\nX-B: c\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.5 a control byte is not field-vchar",
          CF_REQ(GET H "X-A: \x1f\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.5 obs-text is allowed", CF_REQ(GET H "X-A: \x80\xff\r\n\r\n"), { 200 },
          HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.5 leading and trailing OWS", CF_REQ(GET H "X-A: \t v \t \r\n\r\n"),
          { 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9110 §5.3 a repeated field", CF_REQ(GET H "X-A: 1\r\nX-A: 2\r\n\r\n"), { 200 },
          HELLO, { "" }, CF_ANY },
        { "RFC 9110 §10.1.1 an unknown expectation (MAY 417)",
          CF_REQ(GET H "Expect: the-unexpected\r\n\r\n"), { 417, 200 }, HELLO, { "" }, CF_ANY },

        /* ---- obs-fold: RFC 9112 §5.2 MUST 400 or replace by SP ------------ */
        { "RFC 9112 §5.2 MUST 400 or SP: obs-fold with SP",
          CF_REQ(GET H "User-Agent: a\r\n  b\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §5.2 MUST 400 or SP: obs-fold with HTAB",
          CF_REQ(GET H "User-Agent: a\r\n\tb\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §5.2 MUST 400 or SP: Host value on a folded line",
          CF_REQ(GET "Host:\r\n fields.test\r\n\r\n"), { 400, 200 }, HELLO, { "" }, CF_ANY },
        { "RFC 9112 §5.2 MUST 400 or SP: Connection folded",
          CF_REQ(GET H "Connection: keep-alive,\r\n close\r\n\r\n"), { 400, 200 }, HELLO,
          { "" }, CF_ANY },
    };
    return cr_make_param_array(struct cf_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cf_case *c, fields, each_header_field_gets_what_the_rfc_requires)
{
    cf_check(c);
}
