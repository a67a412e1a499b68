/*
 * json_cases.h - what tr_json_fields must do, one row a body, for the fields
 * ssid (a string), channel (a number) and on (true/false).  The cases of
 * tests/guard/test_json.c at the reader's level (a range or a sign is the
 * route's thunk's to check, so "-1" and "1.5" are numbers here), and
 * more.  json_read_cases.c runs them against either implementation
 * (runtime/tr_json_read.c, bench/json/jsmn_fields.c).
 */
struct json_case {
    const char *body;
    size_t len;              /* 0: strlen(body) */
    int ok;                  /* 0 or -1 */
    const char *ssid, *channel, *on;   /* expected values when ok; NULL: absent */
    size_t ssid_len;         /* 0: strlen(ssid) */
};

#define DEEP32 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"

static const struct json_case json_cases[] = {
    /* test_json.c: typed_members_reach_the_handler_and_unknown_ones_are_skipped */
    { " {\"x\": [1, {\"a\": [true, null, -0.5e+3]}, \"\\u00e9\"], \"ssid\": \"home\",\n\"channel\": 36, "
      "\"ssid\": \"second\"} ", 0, 0, "home", "36", NULL },
    /* strings_are_unescaped_surrogate_pairs_included */
    { "{\"ssid\":\"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\",\"channel\":1}", 0, 0,
      "a\"b\\c/\xc3\xa9\xf0\x9f\x98\x80", "1", NULL },
    { "{\"ssid\":\"\\b\\f\\n\\r\\t\\u0041\\u07ff\\uffff\"}", 0, 0, "\b\f\n\r\tA\xdf\xbf\xef\xbf\xbf", NULL, NULL },
    /* the_handler_checks_its_ranges...: the reader passes them on */
    { "{\"ssid\":\"\",\"channel\":6}", 0, 0, "", "6", NULL },
    { "{\"ssid\":\"ok\",\"channel\":null}", 0, 0, "ok", NULL, NULL },
    { "{\"channel\":-1}", 0, 0, NULL, "-1", NULL },
    { "{\"channel\":1.5}", 0, 0, NULL, "1.5", NULL },
    { "{\"channel\":99999999999999999999999}", 0, 0, NULL, "99999999999999999999999", NULL },
    { "{\"channel\":-0.5E-3}", 0, 0, NULL, "-0.5E-3", NULL },
    /* booleans */
    { "{\"on\":true}", 0, 0, NULL, NULL, "true" },
    { "{\"on\":false,\"on\":true}", 0, 0, NULL, NULL, "false" },
    { "{\"on\":null,\"on\":true}", 0, 0, NULL, NULL, NULL },     /* null counts as the first */
    { "{\"on\":1}", 0, -1, NULL, NULL, NULL },
    { "{\"on\":\"true\"}", 0, -1, NULL, NULL, NULL },
    { "{\"on\":tru}", 0, -1, NULL, NULL, NULL },
    { "{\"on\":truex}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":nul}", 0, -1, NULL, NULL, NULL },
    /* empty and nesting */
    { "{}", 0, 0, NULL, NULL, NULL },
    { " { } ", 0, 0, NULL, NULL, NULL },
    { "{\"x\":{},\"y\":[],\"z\":[{}],\"ssid\":\"s\"}", 0, 0, "s", NULL, NULL },
    { "{\"x\":" DEEP32 ",\"ssid\":\"s\",\"channel\":2}", 0, 0, "s", "2", NULL },   /* 32 deep */
    { "{\"x\":[" DEEP32 "]}", 0, -1, NULL, NULL, NULL },                        /* 33 deep */
    /* a_malformed_body_or_a_member_of_another_type_gets_400 */
    { "", 0, -1, NULL, NULL, NULL },
    { "[]", 0, -1, NULL, NULL, NULL },
    { "{", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"a\",}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\" \"a\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"a\"} x", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"a\"} {}", 0, -1, NULL, NULL, NULL },
    { "{'ssid':1}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"a\x01\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\\x\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\\u12g4\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\\ud800\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\\ude00\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\\ud83d\\u0041\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\xc3\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\xc0\xaf\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":\"\xed\xa0\x80\"}", 0, -1, NULL, NULL, NULL },          /* a surrogate in UTF-8 */
    { "{\"ssid\":\"\xf4\x90\x80\x80\"}", 0, -1, NULL, NULL, NULL },      /* past U+10FFFF */
    { "{\"ssid\":\"a\",\"x\":\"\xff\"}", 0, -1, NULL, NULL, NULL },      /* in a skipped member too */
    { "{\"ssid\":\"a\\u0000b\"}", 0, 0, "a\0b", NULL, NULL, 3 },
    { "{\"ssid\":\"a\0b\"}", 15, -1, NULL, NULL, NULL },                  /* a raw NUL is a control */
    { "{\"ssid\":\"a\"}\0", 13, -1, NULL, NULL, NULL },
    { "{\"channel\":01}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":1.}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":.5}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":1e}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":-}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":+1}", 0, -1, NULL, NULL, NULL },
    { "{\"channel\":\"6\"}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":6}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":{\"a\":1}}", 0, -1, NULL, NULL, NULL },
    { "{\"ssid\":[\"a\"]}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":tru}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":[1,]}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":[1}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":[1 2]}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":{\"a\" 1}}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":{\"a\":1,}}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":{1:1}}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":1 \"ssid\":\"a\"}", 0, -1, NULL, NULL, NULL },
    { "{\"x\"}", 0, -1, NULL, NULL, NULL },
    { "{,}", 0, -1, NULL, NULL, NULL },
    { "{\"x\":1}}", 0, -1, NULL, NULL, NULL },
    { "\"ssid\"", 0, -1, NULL, NULL, NULL },
    { "1", 0, -1, NULL, NULL, NULL },
};
