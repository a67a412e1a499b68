/*
 * test_json.c - the JSON writer (runtime/tr_json.c): what it writes is
 * valid RFC 8259 JSON whatever the strings hold, and a misuse becomes a 500
 * rather than a broken document.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tr_internal.h"
#include "tr_json.h"

static char buf[TR_OUT_MAX + 1];
static tr_res res;
static struct tr_json j;

static void setup(void)
{
    tr_res_init(&res, buf, TR_OUT_MAX, 0);
    tr_json_begin(&j, &res);
}

/* The body written so far, NUL-terminated. */
static const char *body(void)
{
    uint32_t n = tr_res_finish(&res, 0, NULL);
    buf[n] = '\0';
    const char *b = strstr(buf, "\r\n\r\n");
    return b ? b + 4 : "";
}

TestSuite(json, .init = setup);

Test(json, nested_objects_and_arrays_get_their_commas_and_content_type)
{
    tr_json_object(&j);
    tr_json_key(&j, "name", 4);
    tr_json_str(&j, "ann", 3);
    tr_json_key(&j, "ids", 3);
    tr_json_array(&j);
    tr_json_int(&j, 7);
    tr_json_int(&j, -9223372036854775807 - 1);
    tr_json_array(&j);
    tr_json_end(&j);
    tr_json_object(&j);
    tr_json_end(&j);
    tr_json_end(&j);
    tr_json_key(&j, "ok", 2);
    tr_json_bool(&j, 1);
    tr_json_key(&j, "none", 4);
    tr_json_null(&j);
    tr_json_end(&j);
    cr_assert_eq(tr_json_finish(&j), 0);
    cr_assert_str_eq(body(), "{\"name\":\"ann\",\"ids\":[7,-9223372036854775808,[],{}],\"ok\":true,\"none\":null}");
    cr_assert_not_null(strstr(buf, "Content-Type: application/json\r\n"));
}

Test(json, strings_escape_quotes_backslashes_and_controls_and_replace_bytes_that_are_not_utf8)
{
    static const char s[] = "a\"b\\c\n\x01\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xc0\xaf|\xed\xa0\x80|\xff|\xe2\x82";
    tr_json_str(&j, s, sizeof s - 1);
    cr_assert_eq(tr_json_finish(&j), 0);
    cr_assert_str_eq(body(), "\"a\\\"b\\\\c\\n\\u0001\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                             "|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd|\\ufffd\\ufffd\"");
}

Test(json, a_nul_and_the_short_escapes)
{
    tr_json_str(&j, "\0\b\f\n\r\t", 6);
    cr_assert_eq(tr_json_finish(&j), 0);
    cr_assert_str_eq(body(), "\"\\u0000\\b\\f\\n\\r\\t\"");
}

Test(json, a_key_is_escaped_too)
{
    tr_json_object(&j);
    tr_json_key(&j, "k\"", 2);
    tr_json_int(&j, 1);
    tr_json_end(&j);
    cr_assert_eq(tr_json_finish(&j), 0);
    cr_assert_str_eq(body(), "{\"k\\\"\":1}");
}

static void misuse_is_a_500(void (*use)(void))
{
    use();
    cr_assert_eq(tr_json_finish(&j), -1);
    cr_assert(strncmp(buf, "HTTP/1.1 500", 12) == 0 || (body(), strncmp(buf, "HTTP/1.1 500", 12) == 0));
}

static void value_without_key(void) { tr_json_object(&j); tr_json_int(&j, 1); tr_json_end(&j); }
static void key_in_array(void) { tr_json_array(&j); tr_json_key(&j, "a", 1); tr_json_end(&j); }
static void end_too_many(void) { tr_json_array(&j); tr_json_end(&j); tr_json_end(&j); }
static void unfinished(void) { tr_json_array(&j); tr_json_int(&j, 1); }
static void two_documents(void) { tr_json_int(&j, 1); tr_json_int(&j, 2); }
static void key_without_value(void) { tr_json_object(&j); tr_json_key(&j, "a", 1); tr_json_end(&j); }
static void too_deep(void)
{
    for (int i = 0; i <= TR_JSON_DEPTH; i++)
        tr_json_array(&j);
    for (int i = 0; i <= TR_JSON_DEPTH; i++)
        tr_json_end(&j);
}
static void nothing(void) {}

Test(json, misuse_gives_a_500_never_a_broken_document)
{
    void (*const cases[])(void) = {
        value_without_key, key_in_array, end_too_many, unfinished, two_documents, key_without_value,
        too_deep, nothing,
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        setup();
        cases[i]();
        cr_assert_eq(tr_json_finish(&j), -1, "case %zu", i);
        uint32_t n = tr_res_finish(&res, 0, NULL);
        buf[n] = '\0';
        cr_assert(strncmp(buf, "HTTP/1.1 500", 12) == 0, "case %zu: %s", i, buf);
    }
    (void)misuse_is_a_500;
}

Test(json, a_full_output_buffer_is_a_500)
{
    static char big[TR_OUT_MAX];
    memset(big, 'x', sizeof big);
    tr_json_str(&j, big, sizeof big);
    cr_assert_eq(tr_json_finish(&j), -1);
}
