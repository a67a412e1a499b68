/*
 * model.c - builds the model from the grammar's actions.
 *
 * Each action checks what it can see alone (a setting's value, a method
 * name, a literal's characters, a parameter's form) and records the rest
 * with locations for check.c, which sees the whole spec.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen.h"
#include "grammar.h"
#include "names.h"
#include "tr_methods.h"
#include "settings.h"

static const struct {
    const char *name;
    enum param_type type;
} param_types[] = {
    { "str", PT_STRING },
    { "int", PT_INT },
    { "uint", PT_UINT },
    { "bool", PT_BOOL },
};

static int tok_is(const struct token *t, const char *s)
{
    return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* ---- routes ---- */

static void route_reset(struct gen *g)
{
    memset(&g->cur, 0, sizeof g->cur);
}

void route_free(struct route *r)
{
    for (uint32_t i = 0; i < r->nsegs; i++) {
        free(r->segs[i].text);
        free(r->segs[i].param.name);
    }
    for (uint32_t i = 0; i < r->nquery; i++)
        free(r->query[i].name);
    for (uint32_t i = 0; i < r->nform; i++)
        free(r->form[i].name);
    for (uint32_t i = 0; i < r->ncookies; i++)
        free(r->cookies[i].name);
    free(r->cookies);
    free(r->form);
    for (uint32_t i = 0; i < r->nheaders; i++)
        free(r->headers[i]);
    free(r->segs);
    free(r->query);
    free(r->headers);
    free(r->header_locs);
    for (uint32_t i = 0; i < r->nargs; i++)
        free(r->args[i].ident);
    free(r->args);
    free(r->pattern);
    free(r->handler);
    free(r->guard_words);
    free(r->guards);
}

void model_route_discard(struct gen *g)
{
    cors_line_reset(g);
    route_free(&g->cur);
    route_reset(g);
    g->nmethods = 0;
    g->nvalues = 0;
    g->values_dropped = 0;
}

/* Method words are only collected here: lemon reduces `method ::= WORD`
 * before it knows whether the line is a route at all, so they are checked
 * when the route is complete (see model_route_end). */
void model_method(struct gen *g, const struct token *t)
{
    struct route *r = &g->cur;

    if (!r->loc.line) {
        r->loc = t->loc;
        r->errors_before = g->diag.errors;
    }
    if (g->nmethods < (int)(sizeof g->methods / sizeof g->methods[0]))
        g->methods[g->nmethods++] = *t;
}

static void check_methods(struct gen *g)
{
    struct route *r = &g->cur;

    /* `guard PREFIX NAME ...` reads as a route whose one method is `guard`. */
    if (g->nmethods == 1 && tok_is(&g->methods[0], "guard")) {
        r->is_guard = 1;
        g->nmethods = 0;
        return;
    }

    for (int i = 0; i < g->nmethods; i++) {
        const struct token *t = &g->methods[i];
        int found = method_lookup(t->s, t->len);
        unsigned m = found < 0 ? method_count() : (unsigned)found;
        if (found < 0) {
            struct buf list = { 0 };
            methods_routable_list(&list);
            diag_error(&g->diag, t->loc, t->len, "unknown method '%.*s'; expected %s",
                       (int)t->len, t->s, list.data);
            buf_free(&list);
        }
        else if (m == TR_HEAD)
            diag_error(&g->diag, t->loc, t->len,
                       "HEAD is answered for every GET route; list GET instead");
        else if (!method_routable(m))
            diag_error(&g->diag, t->loc, t->len,
                       "%s is never routed: the server answers it with 405", method_name(m));
        else if (r->methods & (1u << m))
            diag_error(&g->diag, t->loc, t->len, "method %s is listed twice", method_name(m));
        else
            r->methods |= (uint16_t)(1u << m);
    }
    g->nmethods = 0;
}

static void extend_pattern(struct gen *g, const struct token *t, const char *start)
{
    struct route *r = &g->cur;

    if (!r->pat_start) {
        check_methods(g);       /* the method list is complete: report in column order */
        r->pat_start = start;
        r->path_loc = t->loc;
        r->path_loc.col -= (uint32_t)(t->s - start);
    }
    r->pat_end = t->s + t->len;
}

/* RFC 3986 pchar, less pct-encoded: what a path may hold unencoded. */
static int is_pchar(unsigned char c)
{
    return isalnum(c) || strchr("-._~!$&'()*+,;=:@", c) != NULL;
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Decodes a literal segment, with a diagnostic per bad character. */
static void decode_literal(struct gen *g, const struct token *t, struct segment *s)
{
    char *out = xrealloc(NULL, t->len + 1);
    uint32_t n = 0;

    for (uint32_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->s[i];
        struct loc at = { t->loc.line, t->loc.col + i };
        if (c == '%') {
            int hi = i + 2 < t->len + 0u ? hexval((unsigned char)t->s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval((unsigned char)t->s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi | lo) == 0) {
                diag_error(&g->diag, at, 1, "'%%' in a path must start an encoded byte such as %%20 (and not %%00)");
                continue;
            }
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (!is_pchar(c)) {
            if (c >= 0x21 && c < 0x7f)
                diag_error(&g->diag, at, 1, "character '%c' cannot appear unencoded in a path; write %%%02X",
                           c, c);
            else
                diag_error(&g->diag, at, 1, "byte 0x%02x cannot appear unencoded in a path; write %%%02X",
                           c, c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n] = '\0';
    s->text = out;
    s->text_len = n;
}

int model_parse_param(struct gen *g, const struct token *t, struct param *p, int in_path)
{
    const char *in = t->s + 1, *end = t->s + t->len - 1;
    const char *name_end = in;

    while (name_end < end && *name_end != ':' && *name_end != '.')
        name_end++;
    memset(p, 0, sizeof *p);
    p->loc = t->loc;
    p->len = t->len;
    p->type = PT_STRING;
    if (name_end == in) {
        diag_error(&g->diag, t->loc, t->len, "parameter has no name; write <name>, <name:type> or <name..>");
        return -1;
    }
    if (!c_is_ident(in, (size_t)(name_end - in))) {
        struct loc at = { t->loc.line, t->loc.col + 1 };
        diag_error(&g->diag, at, (uint32_t)(name_end - in), "parameter name '%.*s' is not a C identifier",
                   (int)(name_end - in), in);
        return -1;
    }
    p->name = xstrndup(in, (size_t)(name_end - in));
    if (name_end == end)
        return 0;
    if (*name_end == '.') {
        if (end - name_end == 2 && name_end[1] == '.') {
            p->type = PT_REST;
            return 0;
        }
        struct loc at = { t->loc.line, t->loc.col + 1 + (uint32_t)(name_end - in) };
        diag_error(&g->diag, at, (uint32_t)(end - name_end), "expected '..' or '>' after the parameter name");
        return -1;
    }
    const char *type = name_end + 1;
    struct loc at = { t->loc.line, t->loc.col + 1 + (uint32_t)(type - in) };
    for (size_t i = 0; i < sizeof param_types / sizeof param_types[0]; i++) {
        if (strlen(param_types[i].name) == (size_t)(end - type) &&
            memcmp(param_types[i].name, type, (size_t)(end - type)) == 0) {
            p->type = param_types[i].type;
            if (p->type != PT_BOOL || !in_path)
                return 0;
            diag_error(&g->diag, at, 4, "a path segment cannot be bool; bool is for query, form, JSON and cookie values");
            p->type = PT_STRING;
            return -1;
        }
    }
    if (end - type > 2 && end[-1] == '.' && end[-2] == '.')
        diag_error(&g->diag, at, (uint32_t)(end - type), "a rest parameter <%s..> takes no type", p->name);
    else
        diag_error(&g->diag, at, (uint32_t)(end - type) ? (uint32_t)(end - type) : 1,
                   "unknown parameter type '%.*s'; known types: str, int, uint%s", (int)(end - type), type,
                   in_path ? "" : ", bool");
    return -1;
}

void model_segment(struct gen *g, const struct token *t)
{
    struct route *r = &g->cur;
    struct segment *s = VEC_PUSH(r->segs, r->nsegs);

    extend_pattern(g, t, t->s - 1);
    s->loc = t->loc;
    if (t->kind == TK_LITERAL) {
        s->kind = SEG_LITERAL;
        decode_literal(g, t, s);
        return;
    }
    model_parse_param(g, t, &s->param, 1);
    s->kind = s->param.type == PT_REST ? SEG_REST
            : s->param.type == PT_STRING ? SEG_STRING : SEG_TYPED;
}

void model_trailing_slash(struct gen *g, const struct token *t)
{
    struct route *r = &g->cur;

    extend_pattern(g, t, t->s);
    if (r->nsegs == 0)
        return;             /* "/" alone: the root */
    struct segment *s = VEC_PUSH(r->segs, r->nsegs);
    s->kind = SEG_LITERAL;
    s->text = xstrndup("", 0);
    s->loc = t->loc;
}

void model_query(struct gen *g, const struct token *t)
{
    struct route *r = &g->cur;
    struct param *p = VEC_PUSH(r->query, r->nquery);

    extend_pattern(g, t, t->s);
    if (model_parse_param(g, t, p, 0) == 0 && p->type == PT_REST)
        diag_error(&g->diag, t->loc, t->len, "a query parameter cannot be a rest parameter");
}

void model_handler(struct gen *g, const struct token *t)
{
    g->cur.action = ACTION_HANDLER;
    g->cur.handler = xstrndup(t->s, t->len);
    g->cur.handler_loc = t->loc;
    if (!c_is_ident(t->s, t->len))
        diag_error(&g->diag, t->loc, t->len, "handler name '%.*s' is not a C identifier",
                   (int)t->len, t->s);
}

static int valid_field_name(const struct token *t)
{
    for (uint32_t i = 0; i < t->len; i++)
        if (!(isalnum((unsigned char)t->s[i]) || strchr("!#$%&'*+-.^_`|~", t->s[i])))
            return 0;
    return t->len > 0;
}

/* Headers the runtime reads itself; a handler gets what it needs of them. */
static int runtime_header(const struct token *t)
{
    static const char *const own[] = {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect",
    };
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strlen(own[i]) == t->len && strncasecmp(own[i], t->s, t->len) == 0)
            return 1;
    return 0;
}

static void option_header(struct gen *g, const struct token *vals, int nvals)
{
    struct route *r = &g->cur;

    for (int i = 0; i < nvals; i++) {
        const struct token *v = &vals[i];
        if (v->kind != TK_WORD || !valid_field_name(v)) {
            diag_error(&g->diag, v->loc, v->len, "'%.*s' is not a header field name", (int)v->len, v->s);
            continue;
        }
        if (runtime_header(v)) {
            diag_error(&g->diag, v->loc, v->len,
                       "'%.*s' is read by the runtime; handlers get the request's framing through it",
                       (int)v->len, v->s);
            continue;
        }
        for (uint32_t j = 0; j < r->nheaders; j++) {
            if (strlen(r->headers[j]) == v->len && strncasecmp(r->headers[j], v->s, v->len) == 0) {
                diag_error(&g->diag, v->loc, v->len, "header '%.*s' is listed twice", (int)v->len, v->s);
                goto next;
            }
        }
        r->headers = xrealloc(r->headers, (r->nheaders + 1) * sizeof *r->headers);
        r->header_locs = xrealloc(r->header_locs, (r->nheaders + 1) * sizeof *r->header_locs);
        r->headers[r->nheaders] = xstrndup(v->s, v->len);
        r->header_locs[r->nheaders++] = v->loc;
    next:;
    }
}

/* `body`, `body=SIZE`, and either with `stream` or `multipart` after it
 * (`body=64M,stream`; `body=stream` takes `limit body`). */
static int stream_word(const struct token *t)
{
    return tok_is(t, "stream") ? STREAM_RAW : tok_is(t, "multipart") ? STREAM_MULTIPART : STREAM_NONE;
}

static void body_values(struct gen *g, struct route *r, const struct token *vals, int nvals)
{
    uint64_t n;
    int i = 0;

    if (nvals > 0 && !stream_word(&vals[0])) {
        if (settings_scale(&vals[0], 0, &n) < 0 || n == 0 || n > (1u << 30))
            diag_error(&g->diag, vals[0].loc, vals[0].len,
                       "'body=' takes a size from 1 byte to 1G, such as 64K or 1M");
        else
            r->body_limit = (uint32_t)n;
        i = 1;
    } else {
        r->body_default = 1;
    }
    if (i < nvals && stream_word(&vals[i]))
        r->stream = stream_word(&vals[i++]);
    if (i < nvals)
        diag_error(&g->diag, vals[i].loc, vals[i].len,
                   "'body=' takes a size, then optionally 'stream' or 'multipart': body=64M,stream");
}

void model_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    struct route *r = &g->cur;

    g->nvalues = 0;
    if (r->is_guard && guard_option(g, key, vals, nvals)) {
        g->values_dropped = 0;
        return;
    }
    if (tok_is(key, "cookie") || tok_is(key, "cookies")) {
        if (nvals == 0)
            diag_error(&g->diag, key->loc, key->len, "'cookie' takes names: cookie=<theme>,<visits:int>");
        for (int i = 0; i < nvals; i++) {
            struct param *p = VEC_PUSH(r->cookies, r->ncookies);
            if (vals[i].kind != TK_PARAM)
                diag_error(&g->diag, vals[i].loc, vals[i].len, "a cookie is written <name> or <name:type>");
            else if (model_parse_param(g, &vals[i], p, 0) == 0 && p->type == PT_REST)
                diag_error(&g->diag, vals[i].loc, vals[i].len, "a cookie cannot be a rest parameter");
        }
    } else if (tok_is(key, "form") || tok_is(key, "json")) {
        /* form=<a>,<b> or json=<a>,<b>: the fields and their body type;
         * a bare `json` (or `form`) beside them takes the other type too. */
        const char *what = key->s[0] == 'j' ? "JSON" : "form";
        unsigned bit = key->s[0] == 'j' ? FIELDS_JSON : FIELDS_FORM;
        if (r->fields_in & bit)
            diag_error(&g->diag, key->loc, key->len, "option '%.*s' is given twice", (int)key->len, key->s);
        else if (nvals && r->nform)
            diag_error(&g->diag, key->loc, key->len,
                       "a route's fields are one list: form=<user>,<password> json takes either body");
        r->fields_in |= bit;
        if (nvals || !r->form_loc.line)
            r->form_loc = key->loc;
        for (int i = 0; i < nvals; i++) {
            struct param *p = VEC_PUSH(r->form, r->nform);
            if (vals[i].kind != TK_PARAM)
                diag_error(&g->diag, vals[i].loc, vals[i].len, "a %s field is written <name> or <name:type>", what);
            else if (model_parse_param(g, &vals[i], p, 0) == 0 && p->type == PT_REST)
                diag_error(&g->diag, vals[i].loc, vals[i].len, "a %s field cannot be a rest parameter", what);
        }

    } else if (tok_is(key, "guard")) {
        if (nvals == 0)
            diag_error(&g->diag, key->loc, key->len, "'guard' takes names: guard=NAME[,NAME] or guard=none");
        for (int i = 0; i < nvals; i++)
            *(struct token *)VEC_PUSH(r->guard_words, r->nguard_words) = vals[i];
    } else if (tok_is(key, "body")) {
        if (r->body_loc.line) {
            diag_error(&g->diag, key->loc, key->len, "option 'body' is given twice");
            diag_note(&g->diag, r->body_loc, 4, "first given here");
            g->values_dropped = 0;
            return;
        }
        r->body_loc = key->loc;
        body_values(g, r, vals, nvals);
    } else if (tok_is(key, "stream")) {
        if (nvals > 0)
            diag_error(&g->diag, vals[0].loc, vals[0].len, "'stream' takes no value");
        r->pull = 1;
    } else if (tok_is(key, "events")) {
        if (nvals > 0)
            diag_error(&g->diag, vals[0].loc, vals[0].len, "'events' takes no value");
        r->pull = r->events = 1;    /* an event stream is a body in pieces */
    } else if (tok_is(key, "file")) {   /* a stream that may be a file's bytes */
        if (nvals > 0)
            diag_error(&g->diag, vals[0].loc, vals[0].len, "'file' takes no value");
        r->pull = 1;
        r->file = 1;
    } else if (tok_is(key, "defer")) {
        if (nvals > 0)
            diag_error(&g->diag, vals[0].loc, vals[0].len, "'defer' takes no value");
        r->defer = 1;
    } else if (tok_is(key, "header") || tok_is(key, "headers")) {
        if (nvals == 0)
            diag_error(&g->diag, key->loc, key->len, "'header' takes names: header=If-None-Match,X-Token");
        option_header(g, vals, nvals);
    } else {
        diag_error(&g->diag, key->loc, key->len,
                   "unknown route option '%.*s'; expected body, body=SIZE[,stream|multipart], defer, stream, events, file, header=NAME[,NAME], cookie=<NAME>[,<NAME>], form=<FIELD>[,<FIELD>], json=<FIELD>[,<FIELD>] or guard=NAME[,NAME]",
                   (int)key->len, key->s);
    }
    g->values_dropped = 0;
}

void model_route_end(struct gen *g)
{
    struct route *r;

    check_methods(g);
    if (g->cur.fields_in && !g->cur.nform)
        diag_error(&g->diag, g->cur.form_loc, 4, "'%s' takes fields: form=<user>,<age:int> or json=<ssid>",
                   g->cur.fields_in & FIELDS_FORM ? "form" : "json");
    if ((g->cur.fields_in & FIELDS_JSON) && g->cur.nform > JSON_FIELDS_MAX)
        diag_error(&g->diag, g->cur.form_loc, 4, "a route takes at most %u JSON fields", JSON_FIELDS_MAX);
    /* A form is read from the body: `body`'s limit unless the route says one. */
    if (g->cur.nform && !g->cur.body_loc.line && !g->cur.is_guard) {
        g->cur.body_default = 1;
        g->cur.form_body = 1;
        g->cur.body_loc = g->cur.form_loc;
    }
    if (g->cur.stream && !g->cur.is_guard) {
        g->cur.action = ACTION_STREAM;
        if (g->cur.nform)       /* a form is decoded from a body held whole */
            diag_error(&g->diag, g->cur.form_loc, 4, "a streamed body cannot also be a form: drop 'form=' or 'stream'");
    }
    if (g->cur.is_guard) {
        guard_line_end(g);
        route_free(&g->cur);
        route_reset(g);
        return;
    }
    g->cur.broken = g->diag.errors > g->cur.errors_before;
    g->cur.pattern = xstrndup(g->cur.pat_start, (size_t)(g->cur.pat_end - g->cur.pat_start));
    g->cur.index = g->nroutes;
    r = VEC_PUSH(g->routes, g->nroutes);
    *r = g->cur;
    route_reset(g);
}
