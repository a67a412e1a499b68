/*
 * test_routing.c - RFC 9110 §4.2.3, §7.1 and §17.3 with RFC 3986 §2.1 and
 * §3.3: how the target reaches a handler: percent-decoding, typed int64
 * segments at and beyond their limits, and path traversal through a rest
 * parameter (/files/<path..>), raw or percent-encoded.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "conformance.h"

TestSuite(routing, .init = cf_start_reference, .fini = cf_stop, .timeout = 20);

#define R(target) CF_REQ("GET " target " HTTP/1.1\r\nHost: routing.test\r\n\r\n")

ParameterizedTestParameters(routing, each_target_reaches_the_handler_the_rfc_implies)
{
    static struct cf_case cases[] = {
        /* ---- percent-decoding: RFC 3986 §2.1, RFC 9110 §4.2.3 ------------ */
        { "RFC 9110 §4.2.3 %XX of unreserved is the byte", R("/hello/%77orld"), { 200 },
          "Hello, world!", { "" }, CF_ANY },
        { "RFC 3986 §2.1 hex digits in either case", R("/hello/%7e%7E"), { 200 }, "Hello, ~~!",
          { "" }, CF_ANY },
        { "RFC 3986 §2.2 an encoded '/': a <name> holds none (spec/README.md)",
          R("/hello/x%2fy"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 3986 §2.5 UTF-8 octets", R("/hello/%C3%A9t%C3%A9"), { 200 },
          "Hello, \xc3\xa9t\xc3\xa9!", { "" }, CF_ANY },
        { "RFC 9110 §4.2.3 an encoded literal segment (MAY normalise)", R("/%68ello/x"),
          { 200, 404 }, "Hello, x!", { "" }, CF_ANY },
        { "RFC 3986 §2.1 %% is no triplet", R("/hello/%%41"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 3986 §2.1 %4G is no triplet", R("/hello/%4G"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 3986 §2.1 %-1 is no triplet", R("/hello/%-1"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 3986 §2.1 a triplet cut by '/'", R("/files/a%2/b"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 3986 §3.4 a bad triplet in the query", R("/hello/x?a=%zz"), { 400 }, "", { "" },
          CF_ANY },
        { "RFC 3986 §3.4 a lone % in the query", R("/?%"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §4.2.1 the query is not part of the path", R("/hello/x?a=%20&b"), { 200 },
          "Hello, x!", { "" }, CF_ANY },
        { "RFC 3986 §3.3 '?' and '/' are allowed in a query", R("/hello/x?/a?b"), { 200 },
          "Hello, x!", { "" }, CF_ANY },
        { "RFC 3986 §3.3 sub-delims and ':' '@' in a segment", R("/hello/a:b@c!$&'()*+,;="),
          { 200 }, "Hello, a:b@c!$&'()*+,;=!", { "" }, CF_ANY },

        /* ---- int64 segments (/add/<a:int>/<b:int>) ----------------------- */
        { "RFC 3986 §2.1 an encoded minus sign", R("/add/%2D5/0"), { 200 }, "-5", { "" },
          CF_ANY },
        { "RFC 3986 §2.1 encoded digits", R("/add/%31%30/5"), { 200 }, "15", { "" }, CF_ANY },
        { "RFC 9110 §7.1 INT64_MAX with a leading zero", R("/add/09223372036854775807/0"),
          { 200 }, "9223372036854775807", { "" }, CF_ANY },
        { "RFC 9110 §7.1 INT64_MIN with leading zeros", R("/add/-009223372036854775808/0"),
          { 200 }, "-9223372036854775808", { "" }, CF_ANY },
        { "RFC 9110 §7.1 INT64_MAX+1 does not match", R("/add/9223372036854775808/-1"),
          { 404 }, "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 UINT64_MAX does not match", R("/add/18446744073709551615/0"), { 404 },
          "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 2^64 must not wrap to 0", R("/add/18446744073709551616/0"), { 404 },
          "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 -(2^64-1) must not wrap to 1", R("/add/-18446744073709551615/0"),
          { 404 }, "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 2^64+7 must not wrap to 7", R("/add/18446744073709551623/0"), { 404 },
          "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 a decoded '/' is not a digit", R("/add/1%2F2/3"), { 404 }, "", { "" },
          CF_ANY },
        { "RFC 9110 §7.1 an encoded NUL", R("/add/1%00/2"), { 400 }, "", { "" }, CF_ANY },
        { "RFC 9110 §7.1 an encoded space", R("/add/%201/2"), { 404 }, "", { "" }, CF_ANY },
    };
    return cr_make_param_array(struct cf_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct cf_case *c, routing, each_target_reaches_the_handler_the_rfc_implies)
{
    cf_check(c);
}

/* ---- traversal: RFC 9110 §17.3 ------------------------------------------ */

/* A target under /files/; the handler answers "path=" and its rest value. */
struct traversal_case {
    char rfc[80];
    char target[96];
};

ParameterizedTestParameters(routing, no_rest_value_ever_climbs_out_of_its_directory)
{
    static struct traversal_case cases[] = {
        { "RFC 9110 §17.3 raw ..", "/files/a/../../etc/passwd" },
        { "RFC 9110 §17.3 %2e%2e", "/files/%2e%2e/etc/passwd" },
        { "RFC 9110 §17.3 .%2E", "/files/a/.%2E/.%2E/etc" },
        { "RFC 9110 §17.3 ..%2f in one segment", "/files/..%2fetc%2fpasswd" },
        { "RFC 9110 §17.3 %2e%2e%2f in one segment", "/files/%2e%2e%2fetc" },
        { "RFC 9110 §17.3 a%2f..%2f..%2f in one segment", "/files/a%2f..%2f..%2fetc%2fpasswd" },
        { "RFC 9110 §17.3 a trailing ..%2F", "/files/a/..%2F" },
        { "RFC 9110 §17.3 %2F..: a segment ending in /..", "/files/a%2F.." },
        { "RFC 9110 §17.3 an absolute path via %2f", "/files/%2fetc%2fpasswd" },
        { "RFC 9110 §17.3 an absolute path via //", "/files//etc/passwd" },
        { "RFC 9110 §17.3 ./ via %2f", "/files/.%2fa" },
        { "RFC 9110 §17.3 deep ..", "/files/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/../x" },
    };
    return cr_make_param_array(struct traversal_case, cases, sizeof cases / sizeof cases[0]);
}

/* Is v a relative path without "." or ".." segments? */
static int contained(const char *v)
{
    if (*v == '/')
        return 0;
    for (const char *p = v; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n + (e != NULL);
    }
    return 1;
}

ParameterizedTest(struct traversal_case *c, routing,
                  no_rest_value_ever_climbs_out_of_its_directory)
{
    /* RFC 9110 §17.3: an origin server MUST avoid names with special
     * significance ("..") when it maps the target to files.  Allowed:
     * refuse (400), find nothing (404), or hand the handler a value that
     * stays below its directory: relative, without "." or ".." segments. */
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: routing.test\r\n\r\n", c->target);
    struct tc_response r;
    tc_exchange_str(cf_port, req, &r);
    cr_assert(r.status == 400 || r.status == 404 || r.status == 200, "[%s] status %d for %s",
              c->rfc, r.status, c->target);
    if (r.status == 200) {
        cr_assert(strncmp(r.body, "path=", 5) == 0, "[%s] body %s", c->rfc, r.body);
        cr_assert(contained(r.body + 5),
                  "[%s] GET %s handed the handler the path \"%s\", which leaves its directory",
                  c->rfc, c->target, r.body + 5);
    }
    tc_response_free(&r);
    tc_assert_alive(cf_port);
}
