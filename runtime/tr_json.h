/*
 * tr_json.h - a JSON writer for handlers (tr_json.c) that cannot produce
 * invalid JSON (RFC 8259): strings escaped, bytes that are not UTF-8
 * replaced by U+FFFD, integers in decimal, nesting checked, no stdio.
 * NAME_routes.h includes it in specs that say `json on`.
 *
 *     struct tr_json j;
 *     tr_json_begin(&j, res);           // Content-Type: application/json
 *     tr_json_object(&j);
 *     tr_json_key(&j, "name", 4);  tr_json_str(&j, name.ptr, name.len);
 *     tr_json_key(&j, "ids", 3);   tr_json_array(&j);  tr_json_int(&j, 7);  tr_json_end(&j);
 *     tr_json_end(&j);
 *     tr_json_finish(&j);
 *
 * A misuse (a value where a key is due, a key in an array, an end too
 * many, nesting deeper than TR_JSON_DEPTH, an unfinished document) or a
 * full output buffer makes tr_json_finish replace the response by a 500.
 *
 * The reader of a JSON object body (tr_json_read.c, TR_WITH_JSON_READ: a
 * spec with json= fields) is here too: the thunks of json= routes call it,
 * and so may a handler that takes a raw body=.
 */
#ifndef TR_JSON_H
#define TR_JSON_H

#include "tr.h"

#define TR_JSON_DEPTH 32

struct tr_json {
    tr_res *res;
    uint32_t in_object;      /* bit d: level d is an object */
    uint32_t has_items;      /* bit d: level d has a member already (a comma is due) */
    uint8_t depth;
    uint8_t key_done;        /* in an object: a key was written, its value is due */
    uint8_t bad;             /* a misuse or a full buffer */
    uint8_t done;            /* the top-level value is complete */
};

void tr_json_begin(struct tr_json *j, tr_res *res);
void tr_json_object(struct tr_json *j);
void tr_json_array(struct tr_json *j);
void tr_json_end(struct tr_json *j);
void tr_json_key(struct tr_json *j, const char *key, size_t len);
void tr_json_str(struct tr_json *j, const char *s, size_t len);
void tr_json_int(struct tr_json *j, int64_t v);
void tr_json_bool(struct tr_json *j, int v);
void tr_json_null(struct tr_json *j);
/* 0 when the document is complete and was written whole; else -1 and a 500. */
int tr_json_finish(struct tr_json *j);

/* ---- reading (tr_json_read.c: a spec with json= fields) ---------------- */

/* What a JSON value is. */
enum { TR_JSON_NULL = 1, TR_JSON_STR, TR_JSON_NUM, TR_JSON_BOOL };
/*
 * The n (at most 64) members names[] of the JSON object body[0..len):
 * values[i] a view of member i's value in the body (a string's bytes
 * unescaped in place; a number's or true/false's text), ptr NULL when it
 * is absent or null; the first of a repeated name wins.  Returns 0, or -1
 * when the body is not one object of RFC 8259 with UTF-8 strings (nested
 * at most TR_JSON_DEPTH deep) or a wanted member's value is not of kind
 * want[i] (TR_JSON_*).
 */
int tr_json_fields(char *body, size_t len, const char *const *names, uint32_t n, const uint8_t *want,
                   tr_str *values);

#endif /* TR_JSON_H */
