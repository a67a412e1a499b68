/*
 * test_basic.c - runtime/tr_basic_credentials.c: the Basic credentials
 * decoder for handlers (RFC 7617, base64 of RFC 4648 decoded strictly)
 * and the check guard's 401.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "tr_internal.h"
#include "tr_basic.h"

static tr_str S(const char *s)
{
    return (tr_str){ s, strlen(s) };
}

static int decode(const char *auth, char *buf, size_t cap, tr_str *u, tr_str *p)
{
    return tr_basic_credentials(S(auth), buf, cap, u, p);
}

Test(basic_credentials, a_good_value_splits_into_user_and_password)
{
    char buf[64];
    tr_str u, p;
    /* RFC 7617 §2's example: Aladdin:open sesame */
    cr_assert_eq(decode("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", buf, sizeof buf, &u, &p), 0);
    cr_assert_eq(u.len, 7);
    cr_assert_arr_eq(u.ptr, "Aladdin", 7);
    cr_assert_eq(p.len, 11);
    cr_assert_arr_eq(p.ptr, "open sesame", 11);
}

Test(basic_credentials, the_scheme_is_matched_in_any_case)
{
    char buf[64];
    tr_str u, p;
    cr_assert_eq(decode("bAsIc YWRtaW46c2VjcmV0", buf, sizeof buf, &u, &p), 0);
    cr_assert_eq(u.len, 5);
    cr_assert_arr_eq(p.ptr, "secret", 6);
}

Test(basic_credentials, the_split_is_at_the_first_colon_so_a_password_may_hold_colons)
{
    char buf[64];
    tr_str u, p;
    /* "a:b:c" */
    cr_assert_eq(decode("Basic YTpiOmM=", buf, sizeof buf, &u, &p), 0);
    cr_assert_eq(u.len, 1);
    cr_assert_eq(u.ptr[0], 'a');
    cr_assert_eq(p.len, 3);
    cr_assert_arr_eq(p.ptr, "b:c", 3);
}

Test(basic_credentials, empty_user_and_empty_password_are_decoded_as_empty)
{
    char buf[8];
    tr_str u, p;
    /* ":" */
    cr_assert_eq(decode("Basic Og==", buf, sizeof buf, &u, &p), 0);
    cr_assert_eq(u.len, 0);
    cr_assert_eq(p.len, 0);
}

Test(basic_credentials, decoding_in_place_over_the_value_itself_works)
{
    char value[] = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
    tr_str u, p;
    cr_assert_eq(tr_basic_credentials(S(value), value, sizeof value - 1, &u, &p), 0);
    cr_assert_eq(u.ptr, value);
    cr_assert_arr_eq(u.ptr, "Aladdin", 7);
    cr_assert_arr_eq(p.ptr, "open sesame", 11);
}

Test(basic_credentials, a_buffer_too_small_for_the_decoded_bytes_is_refused)
{
    char buf[16];
    tr_str u, p;
    /* 18 bytes decoded */
    cr_assert_eq(decode("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", buf, 17, &u, &p), -1);
    cr_assert_eq(decode("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", buf, 16, &u, &p), -1);
    cr_assert_eq(u.ptr, NULL);
    cr_assert_eq(p.len, 0);
}

struct bad {
    char value[48];
    char why[48];
};

/* Each is refused, and leaves both views empty. */
static struct bad bad_values[] = {
    { "", "empty" },
    { "Basic", "no credentials" },
    { "Basic ", "empty credentials" },
    { "Bearer YWRtaW46c2VjcmV0", "another scheme" },
    { "Basicx YWRtaW46c2VjcmV0", "a longer scheme" },
    { "Basic  YWRtaW46c2VjcmV0", "two spaces" },
    { "Basic YWRtaW46c2VjcmV0 ", "a trailing space" },
    { "Basic YWRtaW46c2VjcmV", "not a multiple of four" },
    { "Basic YWRtaW46c2VjcmV0====", "too much padding" },
    { "Basic YTpiOmM", "padding left out" },
    { "Basic YT=iOmM=", "padding inside" },
    { "Basic YTpi=mM=", "a pad before data in the last quad" },
    { "Basic YTpiOmN=", "unused bits not zero (one pad)" },
    { "Basic Oh==", "unused bits not zero (two pads)" },
    { "Basic YWRt aW46", "a space inside" },
    { "Basic YWRtaW46c2VjcmV0\n", "a newline" },
    { "Basic YWRt-W46", "URL-safe alphabet" },
    { "Basic YWRtaW4=", "no colon (admin)" },
    { "Basic YWQJbWluOnB3", "a tab in the user (ad\\tmin:pw)" },
    { "Basic YWRtaW46cHcA", "a NUL in the password (admin:pw\\0)" },
    { "Basic YWRtaW46cHd/", "a DEL in the password (admin:pw\\x7f)" },
};

ParameterizedTestParameters(basic_credentials, malformed_values_are_refused)
{
    return cr_make_param_array(struct bad, bad_values, sizeof bad_values / sizeof *bad_values);
}

ParameterizedTest(struct bad *b, basic_credentials, malformed_values_are_refused)
{
    char buf[64];
    tr_str u = S("x"), p = S("y");
    cr_assert_eq(decode(b->value, buf, sizeof buf, &u, &p), -1, "%s: %s", b->why, b->value);
    cr_assert(u.ptr == NULL && u.len == 0 && p.ptr == NULL && p.len == 0, "%s", b->why);
}

Test(basic_credentials, a_null_value_is_refused)
{
    char buf[8];
    tr_str u, p;
    cr_assert_eq(tr_basic_credentials((tr_str){ NULL, 0 }, buf, sizeof buf, &u, &p), -1);
}

/* ---- the check guard ---- */

static char out[TR_OUT_MAX + 1];
static tr_res res;
static int calls;

static int check_admin(tr_res *r, tr_str user, tr_str password)
{
    (void)r;
    calls++;
    return !(user.len == 5 && memcmp(user.ptr, "admin", 5) == 0 && password.len == 6 &&
             memcmp(password.ptr, "secret", 6) == 0);
}

static const char *head(void)
{
    uint32_t n = tr_res_finish(&res, 401, NULL);
    out[n] = '\0';
    return out;
}

static void setup(void)
{
    tr_res_init(&res, out, TR_OUT_MAX, 0);
    calls = 0;
}

TestSuite(basic_check, .init = setup);

Test(basic_check, the_check_passing_passes_and_hands_on_the_user_name)
{
    char value[] = "Basic YWRtaW46c2VjcmV0";
    tr_str user = { 0 };
    cr_assert_eq(tr_basic_check_guard(&res, S(value), "Basic realm=\"t\"", check_admin, &user), 0);
    cr_assert_eq(calls, 1);
    cr_assert_eq(user.len, 5);
    cr_assert_arr_eq(user.ptr, "admin", 5);
}

Test(basic_check, the_check_refusing_answers_401_with_the_challenge)
{
    char value[] = "Basic YWRtaW46d3Jvbmc=";
    tr_str user = { 0 };
    cr_assert_eq(tr_basic_check_guard(&res, S(value), "Basic realm=\"t\"", check_admin, &user), 401);
    cr_assert_eq(calls, 1);
    cr_assert_eq(user.ptr, NULL);
    cr_assert_not_null(strstr(head(), "WWW-Authenticate: Basic realm=\"t\"\r\n"));
}

Test(basic_check, malformed_credentials_answer_401_without_calling_the_check)
{
    char value[] = "Basic YWRtaW46c2VjcmV0=";
    cr_assert_eq(tr_basic_check_guard(&res, S(value), "Basic realm=\"t\"", check_admin, NULL), 401);
    cr_assert_eq(calls, 0);
    cr_assert_not_null(strstr(head(), "WWW-Authenticate: Basic realm=\"t\"\r\n"));
}
