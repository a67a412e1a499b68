/* test_names.c - the names layer: C text escaping and owned C names. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "ctext.h"
#include "names.h"

static char *comment(const char *s)
{
    struct buf b = { 0 };
    c_comment_str(&b, s);
    return b.data;
}

Test(ctext, comment_text_never_ends_or_opens_a_comment)
{
    char *a = comment("/a*/b"), *b = comment("/x/*y"), *c = comment("/*/"), *d = comment("a?" "?/");
    cr_assert_str_eq(a, "/a*\\/b");
    cr_assert_str_eq(b, "/x/\\*y");
    cr_assert_str_eq(c, "/\\*\\/");
    cr_assert_str_eq(d, "a?\\?/", "no trigraph");
    cr_assert_null(strstr(a, "*/"));
    free(a), free(b), free(c), free(d);
}

Test(ctext, string_literals_escape_quotes_backslashes_and_question_marks)
{
    struct buf b = { 0 };
    c_string(&b, "a\"\\?\n", 5);
    cr_assert_str_eq(b.data, "\"a\\042\\134\\077\\012\"");
    buf_free(&b);
}

/* An array, not a pointer: Criterion may run each case in a fresh process. */
struct owned {
    char name[24];
    int owned;
};

ParameterizedTestParameters(names, owners)
{
    static struct owned cases[] = {
        { "errno", 1 }, { "stdin", 1 }, { "EOF", 1 }, { "NULL", 1 }, { "assert", 1 },
        { "INT64_MAX", 1 }, { "UINT8_C", 1 }, { "SIZE_MAX", 1 }, { "EINVAL", 1 }, { "E2BIG", 1 },
        { "__x", 1 }, { "_Foo", 1 }, { "tr_x", 1 }, { "TR_GET", 1 },
        { "id", 0 }, { "_x", 0 }, { "Etag", 0 }, { "max", 0 }, { "E", 0 }, { "user_MAX", 0 },
        { "stdint", 0 },
    };
    return cr_make_param_array(struct owned, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct owned *c, names, owners)
{
    cr_assert_eq(c_name_owner(c->name) != NULL, c->owned, "%s", c->name);
}
