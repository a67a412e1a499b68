/* test_plan.c - the plan phase's decisions, read from the plan itself. */
#include <criterion/criterion.h>
#include <strings.h>

#include "harness.h"
#include "phash.h"
#include "plan.h"

static void plan_spec(struct run *r, struct plan *p, const char *src)
{
    run_spec(r, src);
    cr_assert_eq(r->g.diag.errors, 0, "%s", r->diag);
    cr_assert_eq(plan_build(&r->g, p), 0, "%s", r->diag);
}

static const char small[] =
    "GET /users/<id:int> user_get\n"
    "GET,PUT /users/<id:int>/name user_name header=X-Token\n"
    "POST /upload upload body=1K\n"
    "GET /find?<q>&<n:uint> find header=If-None-Match,x-token\n"
    "GET /files/<p..> files\n";

Test(plan, features_are_those_the_spec_uses)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert(p.f.body && p.f.query && p.f.integers && p.f.rest && p.f.options);
    cr_assert_not(p.f.strings, "no <name> segment, so no string matching");
    cr_assert_eq(p.config.body_max, 1024);
    cr_assert_eq(p.config.max_segments, 4, "the deepest pattern has 3 segments");
    cr_assert_eq(p.config.max_params, 1);
    plan_free(&p);
    run_free(&r);
}

Test(plan, routes_of_one_argument_shape_share_a_thunk)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, "GET /a/<x:int> a\nGET /b/<y:int> b\nGET /c/<z> c\nGET,POST /d/<w:int> d\n");
    cr_assert_eq(p.shapes.n, 3);
    cr_assert_str_eq(p.shapes.keys[0], "i");
    cr_assert_str_eq(p.shapes.keys[1], "s");
    cr_assert_str_eq(p.shapes.keys[2], "mi", "several methods: the method is an argument");
    cr_assert_eq(p.shapes.of_route[0], 0);
    cr_assert_eq(p.shapes.of_route[1], 0);
    cr_assert_eq(p.shapes.example[1], 2);
    for (uint32_t i = 0; i < 4; i++) {
        cr_assert_eq(p.routes[i].action, ACTION_HANDLER, "route %u calls a handler", i);
        cr_assert_eq(p.routes[i].shape, p.shapes.of_route[i]);
    }
    plan_free(&p);
    run_free(&r);
}

Test(plan, a_shape_key_is_the_argument_types_in_order)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert_str_eq(p.shapes.keys[1], "mih", "GET,PUT /users/<id:int>/name header=X-Token");
    cr_assert_str_eq(p.shapes.keys[2], "b");
    cr_assert_str_eq(p.shapes.keys[3], "qsquhh");
    cr_assert_str_eq(p.shapes.keys[4], "s", "a rest parameter is a string");
    plan_free(&p);
    run_free(&r);
}

Test(plan, declared_headers_are_sorted_unique_and_indexed_per_route)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert_eq(p.nheaders, 2, "X-Token and x-token are one field");
    cr_assert_str_eq(p.headers[0], "If-None-Match");
    cr_assert_eq(strcasecmp(p.headers[1], "x-token"), 0);
    cr_assert_eq(p.header_index[1][0], 1);
    cr_assert_eq(p.header_index[3][0], 0);
    cr_assert_eq(p.header_index[3][1], 1);
    cr_assert_eq(p.nheader_lists, 2);
    cr_assert_eq(p.nquery_lists, 1);
    plan_free(&p);
    run_free(&r);
}

Test(plan, method_columns_cover_the_routed_methods_and_head_shares_get)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert_eq(p.cols.count, 3, "GET, POST, PUT");
    cr_assert_eq(p.cols.of_method[0], 0);
    cr_assert_eq(p.cols.of_method[1], 0, "HEAD is answered by GET routes");
    cr_assert_eq(p.cols.of_method[2], 1);
    cr_assert_eq(p.cols.of_method[3], 2);
    cr_assert_eq(p.cols.of_method[4], -1, "no DELETE route");
    plan_free(&p);
    run_free(&r);
}

Test(plan, every_literal_edge_has_its_own_hash_slot)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert_eq(p.lits.n, 5, "users, upload, find, files and name");
    uint32_t pool = 0, seen = 0;
    for (uint32_t i = 0; i < p.lits.n; i++) {
        const struct tnode *n = p.lits.edge[i];
        cr_assert_eq(p.lits.off[i], pool);
        pool += n->text_len;
        uint32_t h = phash_mix(phash_bytes((const unsigned char *)n->text, n->text_len), n->parent->id,
                               p.lits.ph.seed);
        cr_assert_eq(p.lits.ph.slot_key[phash_slot(&p.lits.ph, h)], (int32_t)i, "edge %u", i);
    }
    for (uint32_t s = 0; s < p.lits.ph.size; s++)
        seen += p.lits.ph.slot_key[s] >= 0;
    cr_assert_eq(seen, p.lits.n);
    cr_assert_eq(p.lits.pool, pool);
    cr_assert_eq(p.lits.longest, 6);
    plan_free(&p);
    run_free(&r);
}

Test(plan, a_streamed_route_is_a_stream_action_with_its_own_shape_and_no_body_buffer)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, "POST /fw/<n:uint> fw body=64M,stream\nPOST /ui ui body=1M,multipart\n"
                      "POST /a/<n:uint> a\n");
    cr_assert(p.f.stream && p.f.multipart && p.f.body);
    cr_assert_eq(p.routes[0].action, ACTION_STREAM);
    cr_assert_eq(p.routes[0].stream, 1);
    cr_assert_eq(p.routes[1].stream, 2);
    cr_assert_eq(p.routes[2].action, ACTION_HANDLER);
    cr_assert_eq(p.routes[2].stream, 0);
    cr_assert_str_eq(p.shapes.keys[p.routes[0].shape], "Su", "a begin: no body argument");
    cr_assert_neq(p.routes[0].shape, p.routes[2].shape, "a begin is not a handler of the same arguments");
    cr_assert_eq(p.config.body_max, 1, "streams need no body buffer: a pool of one byte");
    cr_assert_eq(r.g.set.body_buffers, 1);
    cr_assert_eq(p.nheaders, 1, "multipart reads Content-Type");
    cr_assert_str_eq(p.headers[p.content_type], "Content-Type");
    plan_free(&p);
    run_free(&r);
}

Test(plan, a_spec_without_streams_has_no_stream_features)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, small);
    cr_assert_not(p.f.stream || p.f.multipart);
    cr_assert_eq(p.nstreams, 0);
    plan_free(&p);
    run_free(&r);
}

Test(plan, a_basic_check_guard_needs_the_decoder_and_neither_the_file_nor_crypt)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, "guard /a basic check=login\nGET /a/x x\n");
    cr_assert(p.f.guard && p.f.basic_check && p.f.basic_credentials);
    cr_assert_not(p.f.basic, "no credentials file to read, no crypt");
    plan_free(&p);
    run_free(&r);
}

Test(plan, the_file_guard_and_the_setting_each_need_only_their_own)
{
    struct run r;
    struct plan p;
    plan_spec(&r, &p, "guard /a basic\nGET /a/x x\n");
    cr_assert(p.f.basic);
    cr_assert_not(p.f.basic_check || p.f.basic_credentials, "the file's guard has its own decoder");
    plan_free(&p);
    run_free(&r);
    plan_spec(&r, &p, "basic_credentials on\nGET /x x\n");
    cr_assert(p.f.basic_credentials);
    cr_assert_not(p.f.basic || p.f.basic_check || p.f.guard);
    plan_free(&p);
    run_free(&r);
}
