/*
 * test_cookie.c - runtime/tr_cookie.c: Set-Cookie with its safe defaults,
 * refusing what RFC 6265 §4.1.1 forbids, and the Cookie field's lookup.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tr_internal.h"
#include "tr_cookie.h"

static char buf[TR_OUT_MAX + 1];
static tr_res res;

static void setup(void)
{
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
}

static const char *head(void)
{
    uint32_t n = tr_res_finish(&res, 0, NULL);
    buf[n] = '\0';
    return buf;
}

TestSuite(cookie, .init = setup);

Test(cookie, set_cookie_has_httponly_samesite_strict_and_path_by_default)
{
    cr_assert_eq(tr_res_set_cookie(&res, "sid", "abc", 3, -1), 0);
    cr_assert_eq(tr_res_set_cookie(&res, "t", "", 0, 0), 0);
    cr_assert_not_null(strstr(head(), "Set-Cookie: sid=abc; Path=/; HttpOnly; SameSite=Strict\r\n"
                                      "Set-Cookie: t=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0\r\n"), "%s", buf);
}

Test(cookie, set_cookie_refuses_the_bytes_rfc_6265_forbids)
{
    static const char *const bad_values[] = { "a b", "a;b", "a,b", "a\"b", "a\\b", "a\rb", "a\x7f", "\xc3\xa9" };
    for (size_t i = 0; i < sizeof bad_values / sizeof *bad_values; i++)
        cr_assert_eq(tr_res_set_cookie(&res, "n", bad_values[i], strlen(bad_values[i]), -1), -1, "%zu", i);
    cr_assert_eq(tr_res_set_cookie(&res, "a=b", "v", 1, -1), -1);
    cr_assert_eq(tr_res_set_cookie(&res, "a b", "v", 1, -1), -1);
    cr_assert_eq(tr_res_set_cookie(&res, "", "v", 1, -1), -1);
    cr_assert_null(strstr(head(), "Set-Cookie"));
}

Test(cookie, the_first_cookie_of_a_name_wins)
{
    static const char f[] = "a=1;  sid=x; b=\"q\" ;sid=y";
    tr_str v;
    tr_str field = { f, sizeof f - 1 };
    cr_assert_eq(tr_cookie_get(field, "sid", &v), 0);
    cr_assert(v.len == 1 && v.ptr[0] == 'x');
    cr_assert_eq(tr_cookie_get(field, "b", &v), 0);
    cr_assert(v.len == 1 && v.ptr[0] == 'q');
    cr_assert_eq(tr_cookie_get(field, "si", &v), -1);
    cr_assert_null(v.ptr);
    cr_assert_eq(tr_cookie_get((tr_str){ NULL, 0 }, "a", &v), -1);
}
