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

static const char *const method_names[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
};

const char *method_name(unsigned m)
{
    return m < sizeof method_names / sizeof method_names[0] ? method_names[m] : "?";
}

static const struct {
    const char *name;
    enum param_type type;
} param_types[] = {
    { "str", PT_STRING },
    { "int", PT_INT },
    { "uint", PT_UINT },
};

const char *param_type_name(enum param_type t)
{
    switch (t) {
    case PT_STRING: return "str";
    case PT_INT: return "int";
    case PT_UINT: return "uint";
    case PT_REST: return "..";
    }
    return "?";
}

/* ---- settings ---- */

enum value_kind { V_IDENT, V_LISTEN, V_COUNT, V_SIZE, V_DURATION, V_BOOL };

#define FIELD(f) offsetof(struct settings, f)

/* Every setting: `key` alone, or `key sub` (limit head 8K). */
static const struct setting_def {
    const char *key, *sub;
    enum value_kind kind;
    size_t field;
    uint32_t min, max;
} settings_table[] = {
    { "name", NULL, V_IDENT, FIELD(name), 0, 0 },
    { "listen", NULL, V_LISTEN, 0, 0, 0 },
    { "connections", NULL, V_COUNT, FIELD(connections), 1, 65536 },
    { "buffers", NULL, V_COUNT, FIELD(buffers), 1, 65536 },
    { "body_buffers", NULL, V_COUNT, FIELD(body_buffers), 1, 4096 },
    { "limit", "request_line", V_SIZE, FIELD(request_line_max), 16, 1u << 20 },
    { "limit", "head", V_SIZE, FIELD(head_max), 32, 1u << 20 },
    { "limit", "headers", V_COUNT, FIELD(fields_max), 1, 1024 },
    { "limit", "body", V_SIZE, FIELD(body_max), 1, 1u << 30 },
    { "limit", "response", V_SIZE, FIELD(response_max), 256, 1u << 24 },
    { "timeout", "head", V_DURATION, FIELD(head_timeout_ms), 1, 86400000 },
    { "timeout", "body", V_DURATION, FIELD(body_timeout_ms), 1, 86400000 },
    { "timeout", "idle", V_DURATION, FIELD(idle_timeout_ms), 1, 86400000 },
    { "date", NULL, V_BOOL, FIELD(date), 0, 1 },
    { "main", NULL, V_BOOL, FIELD(main_fn), 0, 1 },
};

#define NSETTINGS (sizeof settings_table / sizeof settings_table[0])

static const char *const kind_example[] = {
    [V_IDENT] = "a C identifier such as 'myapp'",
    [V_LISTEN] = "an address such as '0.0.0.0:8080', '[::]:80' or a port",
    [V_COUNT] = "a whole number",
    [V_SIZE] = "a size such as 8192, 8K or 1M",
    [V_DURATION] = "a duration such as 500ms, 10s or 2m",
    [V_BOOL] = "'on' or 'off'",
};

static int is_ident(const char *s, size_t len)
{
    if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static int tok_is(const struct token *t, const char *s)
{
    return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* Splits "123Kb" into the number and its unit; -1 on overflow. */
static int split_number(const struct token *t, uint64_t *n, const char **unit, size_t *ulen)
{
    size_t i = 0;

    *n = 0;
    for (; i < t->len && isdigit((unsigned char)t->s[i]); i++) {
        if (*n > (UINT64_MAX - 9) / 10)
            return -1;
        *n = *n * 10 + (uint64_t)(t->s[i] - '0');
    }
    *unit = t->s + i;
    *ulen = t->len - i;
    return 0;
}

static const struct { const char *unit; uint64_t scale; } size_units[] = {
    { "", 1 }, { "B", 1 }, { "K", 1024 }, { "KiB", 1024 }, { "M", 1048576 }, { "MiB", 1048576 },
    { "G", 1073741824 }, { "GiB", 1073741824 },
}, duration_units[] = {
    { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
};

static int scale_by_unit(const struct token *t, int durations, uint64_t *out)
{
    const char *unit;
    size_t ulen, n = durations ? 4 : 8;
    uint64_t v;

    if (t->kind != TK_NUMBER)
        return -1;
    if (split_number(t, &v, &unit, &ulen) < 0)
        return -2;              /* digits beyond 64 bits: out of any range */
    for (size_t i = 0; i < n; i++) {
        const char *u = durations ? duration_units[i].unit : size_units[i].unit;
        uint64_t scale = durations ? duration_units[i].scale : size_units[i].scale;
        if (strlen(u) == ulen && memcmp(u, unit, ulen) == 0) {
            if (v > UINT64_MAX / scale)
                return -2;
            *out = v * scale;
            return 0;
        }
    }
    return -1;
}

static int parse_listen(struct gen *g, const struct token *t)
{
    char host[64] = "0.0.0.0";
    const char *colon = memrchr(t->s, ':', t->len);
    const char *port_s = colon ? colon + 1 : t->s;
    size_t port_len = (size_t)(t->s + t->len - port_s);
    unsigned long port = 0;
    unsigned char addr[16];

    for (size_t i = 0; i < port_len; i++) {
        if (!isdigit((unsigned char)port_s[i]) || port > 65535)
            return -1;
        port = port * 10 + (unsigned long)(port_s[i] - '0');
    }
    if (port_len == 0 || port == 0 || port > 65535)
        return -1;
    if (colon && colon > t->s) {
        const char *h = t->s;
        size_t hlen = (size_t)(colon - t->s);
        if (h[0] == '[') {
            h++;
            hlen -= 2;
        }
        if (hlen >= sizeof host)
            return -1;
        memcpy(host, h, hlen);
        host[hlen] = '\0';
        if (inet_pton(t->s[0] == '[' ? AF_INET6 : AF_INET, host, addr) != 1)
            return -1;
    }
    free(g->set.addr);
    g->set.addr = xstrndup(host, strlen(host));
    g->set.port = (uint16_t)port;
    return 0;
}

static int set_value(struct gen *g, const struct setting_def *def, const struct token *v)
{
    char *field = (char *)&g->set + def->field;
    uint64_t n = 0;

    switch (def->kind) {
    case V_IDENT:
        if (v->kind != TK_WORD || !is_ident(v->s, v->len))
            return -1;
        free(*(char **)field);
        *(char **)field = xstrndup(v->s, v->len);
        return 0;
    case V_LISTEN:
        if (v->kind == TK_WORD)
            return -1;
        return parse_listen(g, v);
    case V_BOOL:
        if (tok_is(v, "on") || tok_is(v, "off")) {
            *(int *)field = tok_is(v, "on");
            return 0;
        }
        return -1;
    case V_COUNT: {
        const char *unit;
        size_t ulen;
        if (v->kind != TK_NUMBER)
            return -1;
        if (split_number(v, &n, &unit, &ulen) < 0)
            return -2;
        if (ulen)
            return -1;
        break;
    }
    case V_SIZE:
    case V_DURATION: {
        int rc = scale_by_unit(v, def->kind == V_DURATION, &n);
        if (rc < 0)
            return rc;
        break;
    }
    }
    if (n < def->min || n > def->max)
        return -2;
    *(uint32_t *)field = (uint32_t)n;
    return 0;
}

static const struct setting_def *find_setting(const struct token *key, const struct token *sub)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const struct setting_def *d = &settings_table[i];
        if (tok_is(key, d->key) && (!d->sub || (sub && tok_is(sub, d->sub))))
            return d;
    }
    return NULL;
}

static int is_group(const struct token *key)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (settings_table[i].sub && tok_is(key, settings_table[i].key))
            return 1;
    return 0;
}

static void list_subs(struct buf *b, const struct token *key)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (settings_table[i].sub && tok_is(key, settings_table[i].key))
            buf_printf(b, "%s%s", b->len ? ", " : "", settings_table[i].sub);
}

static uint32_t span_of(const struct token *a, const struct token *b)
{
    return (uint32_t)(b->s + b->len - a->s);
}

static void report_duplicate(struct gen *g, size_t index, const struct token *key,
                             const struct token *last)
{
    struct loc first = g->set_loc[index];

    diag_error(&g->diag, key->loc, span_of(key, last), "setting '%.*s%s%s' is given twice",
               (int)key->len, key->s, settings_table[index].sub ? " " : "",
               settings_table[index].sub ? settings_table[index].sub : "");
    diag_note(&g->diag, first, 1, "first given here");
}

/* "8192 bytes", "10s": a limit in the setting's own unit, for messages. */
static void format_limit(struct buf *b, enum value_kind kind, uint32_t v)
{
    if (kind == V_DURATION)
        buf_printf(b, v % 3600000 == 0 ? "%uh" : v % 1000 == 0 ? "%us" : "%ums",
                   v % 3600000 == 0 ? v / 3600000 : v % 1000 == 0 ? v / 1000 : v);
    else if (kind == V_SIZE)
        buf_printf(b, v % 1048576 == 0 ? "%uM" : v % 1024 == 0 ? "%uK" : "%u bytes",
                   v % 1048576 == 0 ? v / 1048576 : v % 1024 == 0 ? v / 1024 : v);
    else
        buf_printf(b, "%u", v);
}

static const char *setting_title(const struct setting_def *d, char *tmp, size_t n)
{
    snprintf(tmp, n, "%s%s%s", d->key, d->sub ? " " : "", d->sub ? d->sub : "");
    return tmp;
}

static int is_method_word(const struct token *t)
{
    for (size_t m = 0; m < sizeof method_names / sizeof method_names[0]; m++)
        if (tok_is(t, method_names[m]))
            return 1;
    return 0;
}

static void unknown_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    struct buf subs = { 0 };

    if (is_method_word(key)) {
        const struct token *at = nvals ? &vals[0] : key;
        diag_error(&g->diag, at->loc, at->len, "a route's path must start with '/'");
    } else if (is_group(key) && nvals) {
        list_subs(&subs, key);
        diag_error(&g->diag, vals[0].loc, vals[0].len, "unknown '%.*s' setting '%.*s'; expected one of: %s",
                   (int)key->len, key->s, (int)vals[0].len, vals[0].s, subs.data);
    } else if (is_group(key)) {
        list_subs(&subs, key);
        diag_error(&g->diag, key->loc, key->len, "'%.*s' needs a name and a value; names: %s",
                   (int)key->len, key->s, subs.data);
    } else {
        diag_error(&g->diag, key->loc, key->len, "unknown setting '%.*s'", (int)key->len, key->s);
    }
    buf_free(&subs);
}

static void report_value(struct gen *g, const struct setting_def *def, const struct token *v, int rc)
{
    char title[64];
    struct buf lo = { 0 }, hi = { 0 };

    if (rc == -1) {
        diag_error(&g->diag, v->loc, v->len, "'%.*s' is not %s", (int)v->len, v->s, kind_example[def->kind]);
        return;
    }
    format_limit(&lo, def->kind, def->min);
    format_limit(&hi, def->kind, def->max);
    diag_error(&g->diag, v->loc, v->len, "'%.*s' is out of range for '%s' (%s to %s)", (int)v->len, v->s,
               setting_title(def, title, sizeof title), lo.data, hi.data);
    buf_free(&lo);
    buf_free(&hi);
}

void model_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    if (assets_setting(g, key, vals, nvals))
        return;             /* type and cache: assets.c, any number */
    const struct token *sub = is_group(key) && nvals > 0 ? &vals[0] : NULL;
    const struct setting_def *def = find_setting(key, sub);
    int want = def && def->sub ? 2 : 1;
    char title[64];

    g->nvalues = 0;
    if (!def) {
        unknown_setting(g, key, vals, nvals);
        return;
    }
    if (nvals < want) {
        const struct token *at = nvals ? &vals[nvals - 1] : key;
        diag_error(&g->diag, at->loc, at->len, "setting '%s' needs a value: %s",
                   setting_title(def, title, sizeof title), kind_example[def->kind]);
        return;
    }
    if (nvals > want || g->values_dropped) {
        const struct token *at = &vals[want < nvals ? want : nvals - 1];
        diag_error(&g->diag, at->loc, at->len, "setting '%s' takes one value: %s",
                   setting_title(def, title, sizeof title), kind_example[def->kind]);
        g->values_dropped = 0;
        return;
    }
    size_t index = (size_t)(def - settings_table);
    if (g->set_loc[index].line) {
        report_duplicate(g, index, key, &vals[nvals - 1]);
        return;
    }
    g->set_loc[index] = key->loc;
    const struct token *v = &vals[want - 1];
    int rc = set_value(g, def, v);
    if (rc < 0)
        report_value(g, def, v, rc);
    else if (def->field == FIELD(name) && def->kind == V_IDENT &&
             (strncmp(g->set.name, "tr_", 3) == 0 || strcmp(g->set.name, "tr") == 0))
        diag_error(&g->diag, v->loc, v->len, "name '%s' is reserved: the runtime's names start with tr_",
                   g->set.name);
}

/* Where a setting was given; line 0 if it was not. */
struct loc setting_loc(const struct gen *g, const char *key, const char *sub)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const struct setting_def *d = &settings_table[i];
        if (strcmp(d->key, key) == 0 && (!sub || (d->sub && strcmp(d->sub, sub) == 0)))
            return g->set_loc[i];
    }
    return (struct loc){ 0, 0 };
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
    for (uint32_t i = 0; i < r->nheaders; i++)
        free(r->headers[i]);
    free(r->segs);
    free(r->query);
    free(r->headers);
    free(r->header_locs);
    free(r->pattern);
    free(r->handler);
}

void model_route_discard(struct gen *g)
{
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

    for (int i = 0; i < g->nmethods; i++) {
        const struct token *t = &g->methods[i];
        unsigned m = 0;
        while (m < sizeof method_names / sizeof method_names[0] && !tok_is(t, method_names[m]))
            m++;
        if (m == sizeof method_names / sizeof method_names[0])
            diag_error(&g->diag, t->loc, t->len,
                       "unknown method '%.*s'; expected GET, POST, PUT, DELETE, PATCH or OPTIONS",
                       (int)t->len, t->s);
        else if (m == 1)
            diag_error(&g->diag, t->loc, t->len,
                       "HEAD is answered for every GET route; list GET instead");
        else if (r->methods & (1u << m))
            diag_error(&g->diag, t->loc, t->len, "method %s is listed twice", method_names[m]);
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

int model_parse_param(struct gen *g, const struct token *t, struct param *p)
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
    if (!is_ident(in, (size_t)(name_end - in))) {
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
            return 0;
        }
    }
    if (end - type > 2 && end[-1] == '.' && end[-2] == '.')
        diag_error(&g->diag, at, (uint32_t)(end - type), "a rest parameter <%s..> takes no type", p->name);
    else
        diag_error(&g->diag, at, (uint32_t)(end - type) ? (uint32_t)(end - type) : 1,
                   "unknown parameter type '%.*s'; known types: str, int, uint", (int)(end - type), type);
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
    model_parse_param(g, t, &s->param);
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
    if (model_parse_param(g, t, p) == 0 && p->type == PT_REST)
        diag_error(&g->diag, t->loc, t->len, "a query parameter cannot be a rest parameter");
}

void model_handler(struct gen *g, const struct token *t)
{
    g->cur.handler = xstrndup(t->s, t->len);
    g->cur.handler_loc = t->loc;
    if (!is_ident(t->s, t->len))
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

void model_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    struct route *r = &g->cur;
    uint64_t n;

    if (assets_option(g, key, vals, nvals))
        return;             /* an option of a mount line */
    g->nvalues = 0;
    if (tok_is(key, "body")) {
        if (r->body_loc.line) {
            diag_error(&g->diag, key->loc, key->len, "option 'body' is given twice");
            diag_note(&g->diag, r->body_loc, 4, "first given here");
            g->values_dropped = 0;
            return;
        }
        r->body_loc = key->loc;
        if (nvals == 0) {
            r->body_default = 1;
        } else if (nvals > 1 || scale_by_unit(&vals[0], 0, &n) < 0 || n == 0 || n > (1u << 30)) {
            diag_error(&g->diag, vals[0].loc, vals[0].len,
                       "'body=' takes a size from 1 byte to 1G, such as 64K or 1M");
        } else {
            r->body_limit = (uint32_t)n;
        }
    } else if (tok_is(key, "header") || tok_is(key, "headers")) {
        if (nvals == 0)
            diag_error(&g->diag, key->loc, key->len, "'header' takes names: header=If-None-Match,X-Token");
        option_header(g, vals, nvals);
    } else {
        diag_error(&g->diag, key->loc, key->len,
                   "unknown route option '%.*s'; expected body, body=SIZE or header=NAME[,NAME]",
                   (int)key->len, key->s);
    }
    g->values_dropped = 0;
}

void model_route_end(struct gen *g)
{
    struct route *r;

    check_methods(g);
    g->cur.broken = g->diag.errors > g->cur.errors_before;
    g->cur.pattern = xstrndup(g->cur.pat_start, (size_t)(g->cur.pat_end - g->cur.pat_start));
    g->cur.index = g->nroutes;
    r = VEC_PUSH(g->routes, g->nroutes);
    *r = g->cur;
    route_reset(g);
}

/* ---- context ---- */

void gen_init(struct gen *g, const char *file, const char *src, size_t len, FILE *diag_out)
{
    memset(g, 0, sizeof *g);
    g->diag.file = file;
    g->diag.src = src;
    g->diag.src_len = len;
    g->diag.out = diag_out;
    diag_defaults(&g->diag);
    g->set.name = xstrndup("app", 3);
    g->set.addr = xstrndup("0.0.0.0", 7);
    g->set.port = 8080;
    g->set.connections = 64;
    g->set.request_line_max = 8192;
    g->set.head_max = 8192;
    g->set.fields_max = 64;
    g->set.body_max = 65536;
    g->set.response_max = 16384;
    g->set.head_timeout_ms = 10000;
    g->set.body_timeout_ms = 30000;
    g->set.idle_timeout_ms = 30000;
    g->set.main_fn = 1;
    g->re2c = "re2c";
}

void gen_free(struct gen *g)
{
    for (uint32_t i = 0; i < g->nroutes; i++)
        route_free(&g->routes[i]);
    route_free(&g->cur);
    free(g->routes);
    assets_free(g);
    for (uint32_t i = 0; i < g->noutputs; i++) {
        free(g->outputs[i].name);
        buf_free(&g->outputs[i].text);
    }
    free(g->outputs);
    free(g->set.name);
    free(g->set.addr);
}
