/* test_check.c - precedence, ambiguity and the whole-spec checks. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>

#include "harness.h"

Test(precedence, literal_beats_typed_beats_string_beats_rest)
{
    struct run r;
    run_spec(&r, "GET /u/<p..> rest\nGET /u/<name> str\nGET /u/<id:int> typed\nGET /u/new lit\n");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    struct route **v = routes_by_precedence(&r.g);
    cr_assert_str_eq(v[0]->handler, "lit");
    cr_assert_str_eq(v[1]->handler, "typed");
    cr_assert_str_eq(v[2]->handler, "str");
    cr_assert_str_eq(v[3]->handler, "rest");
    free(v);
    run_free(&r);
}

Test(precedence, the_first_differing_segment_decides)
{
    struct run r;
    run_spec(&r, "GET /<a>/b x\nGET /a/<b> y\n");
    cr_assert_eq(r.g.diag.errors, 0, "routes that differ in kind are not ambiguous: %s", r.diag);
    struct route **v = routes_by_precedence(&r.g);
    cr_assert_str_eq(v[0]->handler, "y", "/a/<b> wins at the first segment");
    free(v);
    run_free(&r);
}

Test(ambiguity, different_methods_never_collide)
{
    struct run r;
    run_spec(&r, "GET /a/<x> g\nPOST /a/<y> p\n");
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    run_free(&r);
}

Test(ambiguity, the_message_names_both_routes_their_lines_and_an_example)
{
    struct run r;
    run_spec(&r, "GET /a/<x:int>/c%20d g\nGET,POST /a/<y:uint>/c%20d p\n");
    cr_assert_eq(r.g.diag.errors, 1, "%s", r.diag);
    cr_assert(strstr(r.diag, "t.routes:1:5: note: the other route is here"), "%s", r.diag);
    cr_assert(strstr(r.diag, "t.routes:2:10: error: route 'GET /a/<y:uint>/c%20d' is ambiguous with "
                             "'GET /a/<x:int>/c%20d': both match '/a/0/c%20d'"),
              "%s", r.diag);
    run_free(&r);
}

Test(ambiguity, ten_thousand_routes_check_quickly_and_cleanly)
{
    struct buf src = { 0 };
    for (int i = 0; i < 10000; i++)
        buf_printf(&src, "GET /r%d/<id:int>/x%d h%d\n", i % 100, i, i);
    struct run r;
    run_spec(&r, src.data);
    cr_assert_eq(r.g.diag.errors, 0, "%.500s", r.diag);
    cr_assert_eq(r.g.nroutes, 10000);
    run_free(&r);
    buf_free(&src);
}

Test(warnings, a_dot_segment_route_is_unreachable_and_can_be_switched_off)
{
    struct run r;
    run_spec(&r, "GET /a/.. h\n");
    cr_assert_eq(r.g.diag.errors, 0);
    cr_assert_eq(r.g.diag.warnings, 1);
    cr_assert(strstr(r.diag, "[-Wunreachable-route]"), "%s", r.diag);
    run_free(&r);
}

Test(warnings, an_unused_body_limit_is_named)
{
    struct run r;
    run_spec(&r, "limit body 1M\nGET / h\n");
    cr_assert(strstr(r.diag, "t.routes:1:1: warning: 'limit body' is set but no route reads a body "
                             "[-Wunused-setting]"), "%s", r.diag);
    run_free(&r);
}

Test(settings, a_setting_given_twice_points_at_the_first)
{
    struct run r;
    run_spec(&r, "connections 4\nGET / h\nconnections 8\n");
    cr_assert_eq(r.g.diag.errors, 1);
    cr_assert(strstr(r.diag, "t.routes:3:1: error: setting 'connections' is given twice"), "%s", r.diag);
    cr_assert(strstr(r.diag, "t.routes:1:1: note: first given here"), "%s", r.diag);
    run_free(&r);
}

ParameterizedTestParameters(settings, buffers_default_to_a_quarter_of_the_pool_at_least_8)
{
    /* connections, the buffers it gets by default */
    static unsigned cases[][2] = { { 4, 4 }, { 8, 8 }, { 20, 8 }, { 32, 8 }, { 64, 16 },
                                   { 1024, 256 } };
    return cr_make_param_array(unsigned[2], cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(unsigned (*c)[2], settings, buffers_default_to_a_quarter_of_the_pool_at_least_8)
{
    char spec[64];
    struct run r;
    snprintf(spec, sizeof spec, "connections %u\nGET / h\n", (*c)[0]);
    run_spec(&r, spec);
    cr_assert_eq(r.g.diag.errors, 0, "%s", r.diag);
    cr_assert_eq(r.g.set.buffers, (*c)[1], "connections %u: %u buffers", (*c)[0], r.g.set.buffers);
    run_free(&r);
}
