/* test_spec.c - the spec lexer, grammar and model on small inputs. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "grammar.h"
#include "harness.h"
#include "lexer.h"

static int lex_all(const char *src, int *kinds, int max)
{
    struct diag d = { .file = "t", .src = src, .src_len = strlen(src), .out = stderr };
    struct spec_lexer lx;
    struct token t;
    int n = 0;

    spec_lexer_init(&lx, &d);
    while (n < max && (kinds[n] = spec_lex(&lx, &t)) != 0)
        n++;
    return d.errors ? -1 : n;
}

Test(spec_lexer, splits_a_route_line_into_methods_path_pieces_handler_and_options)
{
    int k[32];
    int n = lex_all("GET,POST /a/<b:int>?<q>&<r> h body=1M\n", k, 32);
    int want[] = { TK_WORD, TK_COMMA, TK_WORD, TK_PSLASH, TK_LITERAL, TK_SLASH, TK_PARAM,
                   TK_QUESTION, TK_PARAM, TK_AMP, TK_PARAM, TK_WORD, TK_WORD, TK_EQ, TK_NUMBER, TK_NL };
    cr_assert_eq(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n; i++)
        cr_assert_eq(k[i], want[i], "token %d: got %d, want %d", i, k[i], want[i]);
}

Test(spec_lexer, reads_addresses_numbers_and_skips_comments)
{
    int k[8];
    cr_assert_eq(lex_all("listen [::1]:80 # comment\n", k, 8), 3);
    cr_assert_eq(k[0], TK_WORD);
    cr_assert_eq(k[1], TK_ADDRESS);
    cr_assert_eq(k[2], TK_NL);
    cr_assert_eq(lex_all("limit head 8K", k, 8), 3);
    cr_assert_eq(k[2], TK_NUMBER);
}

Test(spec_lexer, a_blank_ends_the_path)
{
    int k[8];
    cr_assert_eq(lex_all("GET /a h", k, 8), 4);
    cr_assert_eq(k[3], TK_WORD, "the handler after the path is a word, not a literal");
}

Test(spec_lexer, reports_a_nul_byte_inside_the_file)
{
    const char src[] = "GET / h\0x\n";
    struct diag d = { .file = "t", .src = src, .src_len = sizeof src - 1, .out = fopen("/dev/null", "w") };
    struct spec_lexer lx;
    struct token t;

    spec_lexer_init(&lx, &d);
    while (spec_lex(&lx, &t) != 0)
        ;
    cr_assert_eq(d.errors, 1);
    fclose(d.out);
}

Test(spec_model, settings_take_units_and_defaults_stay_otherwise)
{
    struct run r;
    run_spec(&r, "name api\nlisten 127.0.0.1:9000\nlimit body 2M\ntimeout idle 2m\n"
                 "connections 10\ndate on\nPOST /x h body\n");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    cr_assert_str_eq(r.g.set.name, "api");
    cr_assert_str_eq(r.g.set.addr, "127.0.0.1");
    cr_assert_eq(r.g.set.port, 9000);
    cr_assert_eq(r.g.set.body_max, 2u << 20);
    cr_assert_eq(r.g.set.idle_timeout_ms, 120000);
    cr_assert_eq(r.g.set.connections, 10);
    cr_assert_eq(r.g.set.date, 1);
    cr_assert_eq(r.g.set.head_timeout_ms, 10000, "an unset timeout keeps its default");
    cr_assert_eq(r.g.routes[0].body_limit, 2u << 20, "`body` alone takes the spec's limit");
    run_free(&r);
}

Test(spec_model, a_route_records_segments_params_query_headers_and_body)
{
    struct run r;
    run_spec(&r, "GET,PUT /v1/items/<id:uint>/<rest..>?<q>&<page:int> item header=If-None-Match,X-K body=4K\n");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    struct route *rt = &r.g.routes[0];
    cr_assert_eq(rt->methods, (1u << 0) | (1u << 3));
    cr_assert_eq(rt->nsegs, 4);
    cr_assert_str_eq(rt->segs[0].text, "v1");
    cr_assert_eq(rt->segs[2].kind, SEG_TYPED);
    cr_assert_eq(rt->segs[2].param.type, PT_UINT);
    cr_assert_eq(rt->segs[3].kind, SEG_REST);
    cr_assert_eq(rt->nquery, 2);
    cr_assert_eq(rt->query[1].type, PT_INT);
    cr_assert_eq(rt->nheaders, 2);
    cr_assert_str_eq(rt->headers[1], "X-K");
    cr_assert_eq(rt->body_limit, 4096);
    cr_assert_str_eq(rt->pattern, "/v1/items/<id:uint>/<rest..>?<q>&<page:int>");
    run_free(&r);
}

Test(spec_model, literals_are_percent_decoded_and_a_trailing_slash_is_a_segment)
{
    struct run r;
    run_spec(&r, "GET /caf%C3%A9/ h\n");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    cr_assert_eq(r.g.routes[0].nsegs, 2);
    cr_assert_str_eq(r.g.routes[0].segs[0].text, "caf\xc3\xa9");
    cr_assert_eq(r.g.routes[0].segs[1].text_len, 0);
    run_free(&r);
}

Test(spec_model, a_last_line_without_newline_is_parsed)
{
    struct run r;
    run_spec(&r, "GET / h");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    cr_assert_eq(r.g.nroutes, 1);
    run_free(&r);
}

/* Arrays, not pointers: Criterion may run each case in a fresh process
 * where the parent's pointers mean nothing. */
struct bad {
    char src[96];
    char message[96];       /* a part of the diagnostics */
    unsigned errors;
};

ParameterizedTestParameters(spec_errors, each_mistake_gets_its_own_located_message)
{
    static struct bad cases[] = {
        { "GET /a h\nGET /a<b> h2\n", "t.routes:2:7: error: a path segment is literal text", 1 },
        { "GET /a b c\n", "t.routes:1:10: error: unknown route option 'c'", 1 },
        { "GET / h\nGET / h\n", "t.routes:2:5: error: route 'GET /' is defined twice", 1 },
        { "GET /<a:int> h\nGET /<b:uint> i\n", "both match '/0' with equal precedence", 1 },
        { "GET /x%zz h\n", "t.routes:1:7: error: '%' in a path must start", 1 },
        { "GET /x\"y h\n", "character '\"' cannot appear unencoded", 1 },
        { "GET /<p..>/x h\n", "t.routes:1:6: error: rest parameter <p..> must be the last", 1 },
        { "GET /<a>/<a> h\n", "parameter 'a' is declared twice", 1 },
        { "GET /<a:bogus> h\n", "t.routes:1:9: error: unknown parameter type 'bogus'", 1 },
        { "GET /a h\nPOST /b h body\n", "handler 'h' is used with another signature", 1 },
        { "connections 0\nGET / h\n", "'0' is out of range for 'connections'", 1 },
        { "GET / h\nGET /a /b\n", "t.routes:2:8: error: a path holds no blanks", 1 },
        { "GET /a\nGET,,POST /b b\n", "t.routes:2:5: error: syntax error: unexpected ','", 2 },
        { "connections\nGET / h\n", "t.routes:1:1: error: setting 'connections' needs a value", 1 },
        { "", "the spec has no routes", 1 },
        /* two errors on two lines: both reported, no knock-on noise */
        { "GET /a{ h\nPUT /<x:real> g\n", "character '{' cannot appear unencoded", 2 },
    };
    return cr_make_param_array(struct bad, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad *c, spec_errors, each_mistake_gets_its_own_located_message)
{
    struct run r;
    run_spec(&r, c->src);
    cr_assert(strstr(r.diag, c->message), "want '%s' in:\n%s", c->message, r.diag);
    cr_assert_eq(r.g.diag.errors, c->errors, "want %u errors, got %u:\n%s", c->errors,
                 r.g.diag.errors, r.diag);
    run_free(&r);
}
