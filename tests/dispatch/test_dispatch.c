/*
 * test_dispatch.c - the generated dispatcher of dispatch.routes, called
 * directly: which handler a path reaches, with which decoded arguments,
 * and the 400/404/405/OPTIONS answers.  The handlers below only record
 * their call.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "dt_routes.h"
#include "tr_app.h"

static char called[1024];   /* "handler(args)" of the last call */

#define RECORD(...) snprintf(called, sizeof called, __VA_ARGS__)

void dt_abc(tr_res *res) { (void)res; RECORD("abc"); }
void dt_abc_post(tr_res *res) { (void)res; RECORD("abc_post"); }
void dt_ab_int(tr_res *res, int64_t x) { (void)res; RECORD("ab_int(%lld)", (long long)x); }
void dt_ab_uint_d(tr_res *res, uint64_t x) { (void)res; RECORD("ab_uint_d(%llu)", (unsigned long long)x); }
void dt_ab_str(tr_res *res, tr_str s) { (void)res; RECORD("ab_str(%.*s)", (int)s.len, s.ptr); }
void dt_a_str_c(tr_res *res, tr_str s) { (void)res; RECORD("a_str_c(%.*s)", (int)s.len, s.ptr); }
void dt_a_rest(tr_res *res, tr_str p) { (void)res; RECORD("a_rest(%.*s)", (int)p.len, p.ptr); }
void dt_str_b_c(tr_res *res, tr_str s) { (void)res; RECORD("str_b_c(%.*s)", (int)s.len, s.ptr); }
void dt_deep(tr_res *res, int64_t n, int64_t m, tr_str k)
{
    (void)res;
    RECORD("deep(%lld,%lld,%.*s)", (long long)n, (long long)m, (int)k.len, k.ptr);
}
void dt_users_new(tr_res *res) { (void)res; RECORD("users_new"); }
void dt_user(tr_res *res, uint64_t id) { (void)res; RECORD("user(%llu)", (unsigned long long)id); }
void dt_user_name(tr_res *res, tr_str n) { (void)res; RECORD("user_name(%.*s)", (int)n.len, n.ptr); }
void dt_trailing(tr_res *res) { (void)res; RECORD("trailing"); }
void dt_utf8(tr_res *res) { (void)res; RECORD("utf8"); }
void dt_long_a(tr_res *res) { (void)res; RECORD("long_a"); }
void dt_long_b(tr_res *res) { (void)res; RECORD("long_b"); }
void dt_long_c(tr_res *res) { (void)res; RECORD("long_c"); }
void dt_long_str(tr_res *res, tr_str s) { (void)res; RECORD("long_str(%.*s)", (int)s.len, s.ptr); }
#define MANY(i) \
    void dt_many##i(tr_res *res) { (void)res; RECORD("many" #i); }
MANY(0) MANY(1) MANY(2) MANY(3) MANY(4) MANY(5) MANY(6) MANY(7) MANY(8) MANY(9)
void dt_many_int(tr_res *res, int64_t n) { (void)res; RECORD("many_int(%lld)", (long long)n); }
void dt_query(tr_res *res, const tr_str *s, const int64_t *n, const uint64_t *u)
{
    (void)res;
    RECORD("query(%.*s,%lld,%llu)", s ? (int)s->len : 4, s ? s->ptr : "NULL", n ? (long long)*n : -1LL,
           u ? (unsigned long long)*u : 0ULL);
}

/* Dispatches METHOD TARGET; returns the dispatch result and, for a route,
 * the invoke result in *status. */
static int route(enum tr_method method, const char *target, int *status, uint16_t *allow)
{
    static char buf[4096];
    struct tr_request rq;
    struct tr_match m;
    const char *q = strchr(target, '?');
    size_t len = q ? (size_t)(q - target) : strlen(target);

    memset(&rq, 0, sizeof rq);
    snprintf(buf, sizeof buf, "%s", target);
    rq.method = (uint8_t)method;
    rq.version = 11;
    rq.path = buf;
    rq.path_len = len;
    if (q)
        rq.query = (tr_str){ buf + len + 1, strlen(q + 1) };
    called[0] = '\0';
    int r = dt_app.dispatch(&rq, &m);
    *allow = m.allow;
    *status = r >= 0 ? dt_app.invoke(r, &rq, &m, NULL) : 0;
    return r;
}

struct reach {
    char target[96];
    char call[96];        /* the handler call it must make */
};

ParameterizedTestParameters(dispatch, a_path_reaches_the_most_specific_route)
{
    static struct reach cases[] = {
        { "/a/b/c", "abc" },
        { "/a/b/5", "ab_int(5)" },
        { "/a/b/-9223372036854775808", "ab_int(-9223372036854775808)" },
        { "/a/b/9223372036854775808", "ab_str(9223372036854775808)" },    /* beyond int64 */
        { "/a/b/5/d", "ab_uint_d(5)" },            /* int matched, then backtracked to uint */
        { "/a/b/18446744073709551615/d", "ab_uint_d(18446744073709551615)" },
        { "/a/b/+5", "ab_str(+5)" },
        { "/a/b/zz", "ab_str(zz)" },
        { "/a/q/c", "a_str_c(q)" },
        { "/a/q/r", "a_rest(q/r)" },
        { "/a/b/c/d", "a_rest(b/c/d)" },
        { "/a/x//y/", "a_rest(x/y)" },              /* empty segments dropped */
        { "/a/x%2F%2Fy", "a_rest(x/y)" },           /* also those a %2F makes */
        { "/a/%C3%A9/c", "a_str_c(\xc3\xa9)" },       /* UTF-8 in a <name> */
        { "/a/x%5C%2Fy", "a_rest(x\\/y)" },           /* a rest value may hold '\\' */
        { "/a/%2F/%2F/%2F/%2F/%2F/%2F/%2F/%2Fz", "a_rest(z)" },
        { "/q/b/c", "str_b_c(q)" },
        { "/x/1/y/-2/z/k%20k", "deep(1,-2,k k)" },
        /* Paths long enough for the eight-bytes-a-step split, '/' at
         * every offset in a word, and more segments than any pattern. */
        { "/x/12345678/y/-2/z/abcdefghijklmnop", "deep(12345678,-2,abcdefghijklmnop)" },
        { "/x/1234567/y/-98765432/z/k", "deep(1234567,-98765432,k)" },
        { "/x/1/y/2/z/abcdefghijklmno%20pqrs", "deep(1,2,abcdefghijklmno pqrs)" },
        { "/a/b/c/d/e/f/g/h/i/j/k/l/m/n", "a_rest(b/c/d/e/f/g/h/i/j/k/l/m/n)" },
        { "/a/bcdefghijklmnopqrstuvwxyz", "a_rest(bcdefghijklmnopqrstuvwxyz)" },
        { "/users/abcdefgh", "user_name(abcdefgh)" },
        { "/users/new", "users_new" },
        { "/users/12", "user(12)" },
        { "/users/bob", "user_name(bob)" },
        { "/users/%6Eew", "users_new" },            /* literals match decoded bytes */
        { "/t/", "trailing" },
        { "/%C3%A9t%C3%A9", "utf8" },
        { "/q", "query(NULL,-1,0)" },
        { "/q?s=a+b%21&n=-3&u=7&s=ignored", "query(a b!,-3,7)" },
        { "/q?x=1&y", "query(NULL,-1,0)" },        /* unknown names are ignored */
        { "/q?s=", "query(,-1,0)" },               /* present but empty */
        /* Literals longer than a word, sharing their first 8 bytes. */
        { "/long/abcdefghijklmnop", "long_a" },
        { "/long/abcdefghijklmnoq", "long_b" },
        { "/long/abcdefgh12", "long_c" },
        { "/long/abcdefghijklmnor", "long_str(abcdefghijklmnor)" },
        { "/long/abcdefgh13", "long_str(abcdefgh13)" },
        { "/long/abcdefgX12", "long_str(abcdefgX12)" },
        { "/long/abcdefghijklmno", "long_str(abcdefghijklmno)" },
        /* More than 8 literals of one length: each reaches its own route. */
        { "/many/a0", "many0" },
        { "/many/a1", "many1" },
        { "/many/a2", "many2" },
        { "/many/a3", "many3" },
        { "/many/a4", "many4" },
        { "/many/a5", "many5" },
        { "/many/a6", "many6" },
        { "/many/a7", "many7" },
        { "/many/a8", "many8" },
        { "/many/a9", "many9" },
        { "/many/42", "many_int(42)" },
    };
    return cr_make_param_array(struct reach, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct reach *c, dispatch, a_path_reaches_the_most_specific_route)
{
    int status;
    uint16_t allow;
    int r = route(TR_GET, c->target, &status, &allow);
    cr_assert_geq(r, 0, "%s: dispatch returned %d", c->target, r);
    cr_assert_eq(status, 0, "%s: invoke returned %d", c->target, status);
    cr_assert_str_eq(called, c->call, "%s", c->target);
}

struct refuse {
    char target[96];
    int result;
};

ParameterizedTestParameters(dispatch, bad_or_unknown_paths_are_refused)
{
    static struct refuse cases[] = {
        { "/nope", TR_NOT_FOUND },
        { "/t", TR_NOT_FOUND },                    /* the trailing slash is part of the route */
        { "/users/", TR_NOT_FOUND },               /* <name> is never empty */
        { "/A/b/d", TR_NOT_FOUND },                /* case-sensitive: not /a/<p..> */
        { "/a", TR_NOT_FOUND },                    /* a rest needs one segment */
        { "/a/", TR_NOT_FOUND },
        { "/a/%2F", TR_NOT_FOUND },                /* a rest value of '/' only is empty */
        { "/many/a", TR_NOT_FOUND },
        { "/many/b0", TR_NOT_FOUND },
        { "/many/a0/x", TR_NOT_FOUND },
        { "/long/abcdefghijklmnop/x", TR_NOT_FOUND },
        { "/a/%2F/%2f//%2F/%2F/%2F/%2F/%2F/%2F", TR_NOT_FOUND }, /* also past TR_MAX_SEGMENTS */
        { "/a/./b", TR_BAD_TARGET },
        { "/a/../b", TR_BAD_TARGET },
        { "/a/%2e%2E/b", TR_BAD_TARGET },
        { "/a/%zz", TR_BAD_TARGET },
        { "/a/%2", TR_BAD_TARGET },
        { "/a/b%00", TR_BAD_TARGET },
        { "/a/x/..%2Fetc", TR_BAD_TARGET },        /* a rest may not climb out */
        /* spec/README.md: a <name> value holds no '/' or '\\' (issue 18) */
        { "/a/%2F/c", TR_BAD_TARGET },
        { "/a/b/..%2f..%2fetc%2fpasswd", TR_BAD_TARGET },
        { "/a/b/x%5Cy", TR_BAD_TARGET },
        { "/users/..%2F..%2Fetc", TR_BAD_TARGET },
        /* and every value is UTF-8 */
        { "/a/b/%C3", TR_BAD_TARGET },              /* cut short */
        { "/a/b/%C0%AF", TR_BAD_TARGET },           /* overlong '/' */
        { "/a/b/%ED%A0%80", TR_BAD_TARGET },        /* a surrogate */
        { "/a/b/%F4%90%80%80", TR_BAD_TARGET },     /* above U+10FFFF */
        { "/a/b/%80%80%80%80%80%80%80%80%80%80%80", TR_BAD_TARGET }, /* no first byte */
        { "/a/x/%FF", TR_BAD_TARGET },              /* in a rest value too */
        { "/a/x%2F.%2Fy", TR_BAD_TARGET },
        { "/a/bcdefghijklmno/..", TR_BAD_TARGET }, /* dot segments in a long path */
        { "/a/bcdefgh/./ijklmnopq", TR_BAD_TARGET },
        { "/a/bcdefghijklmnopqrs%zz", TR_BAD_TARGET },
        { "/a/b/c/d/e/f/g/h/i/j/k/l/m/../n", TR_BAD_TARGET },
    };
    return cr_make_param_array(struct refuse, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct refuse *c, dispatch, bad_or_unknown_paths_are_refused)
{
    int status;
    uint16_t allow;
    cr_assert_eq(route(TR_GET, c->target, &status, &allow), c->result, "%s", c->target);
    cr_assert_str_eq(called, "", "no handler may run for %s", c->target);
}

Test(dispatch, head_is_served_by_the_get_route)
{
    int status;
    uint16_t allow;
    cr_assert_geq(route(TR_HEAD, "/a/b/c", &status, &allow), 0);
    cr_assert_str_eq(called, "abc");
}

Test(dispatch, a_method_the_path_lacks_is_405_with_the_methods_it_has)
{
    int status;
    uint16_t allow;
    cr_assert_eq(route(TR_DELETE, "/a/b/c", &status, &allow), TR_WRONG_METHOD);
    cr_assert_eq(allow, (1u << TR_GET) | (1u << TR_POST) | (1u << TR_OPTIONS));
    cr_assert_eq(route(TR_POST, "/users/new", &status, &allow), TR_WRONG_METHOD);
    cr_assert_eq(allow, (1u << TR_GET) | (1u << TR_OPTIONS));
}

Test(dispatch, post_reaches_its_own_route_beside_get)
{
    int status;
    uint16_t allow;
    cr_assert_geq(route(TR_POST, "/a/b/c", &status, &allow), 0);
    cr_assert_str_eq(called, "abc_post");
}

Test(dispatch, options_is_answered_for_any_routed_path)
{
    int status;
    uint16_t allow;
    cr_assert_eq(route(TR_OPTIONS, "/users/7", &status, &allow), TR_AUTO_OPTIONS);
    cr_assert_eq(allow, (1u << TR_GET) | (1u << TR_OPTIONS));
    cr_assert_eq(route(TR_OPTIONS, "/nope", &status, &allow), TR_NOT_FOUND);
}

Test(dispatch, a_bad_typed_query_value_is_400)
{
    int status;
    uint16_t allow;
    cr_assert_geq(route(TR_GET, "/q?n=12x", &status, &allow), 0);
    cr_assert_eq(status, 400);
    cr_assert_geq(route(TR_GET, "/q?u=-1", &status, &allow), 0);
    cr_assert_eq(status, 400);
    cr_assert_geq(route(TR_GET, "/q?s=%zz", &status, &allow), 0);
    cr_assert_eq(status, 400);
    cr_assert_geq(route(TR_GET, "/q?n=", &status, &allow), 0);
    cr_assert_eq(status, 400, "an empty integer is not an integer");
}

Test(dispatch, a_path_deeper_than_any_route_is_not_found)
{
    char deep[400] = "/users";
    int status;
    uint16_t allow;
    for (int i = 0; i < 70; i++)
        strcat(deep, "/s");
    cr_assert_eq(route(TR_GET, deep, &status, &allow), TR_NOT_FOUND);
    strcat(deep, "/%2e");
    cr_assert_eq(route(TR_GET, deep, &status, &allow), TR_BAD_TARGET,
                 "a dot segment is refused however deep it is");
}

Test(dispatch, a_rest_parameter_takes_any_depth_decoding_the_tail_and_dropping_empty_segments)
{
    char deep[800] = "/a", want[800] = "a_rest(";
    int status;
    uint16_t allow;
    for (int i = 0; i < 70; i++) {
        strcat(deep, "/x%41//");
        strcat(want, i ? "/xA" : "xA");
    }
    strcat(want, ")");
    cr_assert_geq(route(TR_GET, deep, &status, &allow), 0);
    cr_assert_str_eq(called, want);
}

Test(dispatch, options_star_lists_every_method_of_the_server)
{
    int status;
    uint16_t allow;
    cr_assert_eq(route(TR_OPTIONS, "*", &status, &allow), TR_AUTO_OPTIONS);
    cr_assert_eq(allow, (1u << TR_GET) | (1u << TR_POST) | (1u << TR_OPTIONS));
}
