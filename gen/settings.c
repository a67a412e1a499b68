/*
 * settings.c - the settings language: `key value` and `key sub value`
 * lines, checked against the one table of settings (settings.h), and the
 * model's defaults, tr_config.h's values and the doc rows made from it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "grammar.h"
#include "names.h"
#include "settings.h"


#define FIELD(f) offsetof(struct settings, f)
#define ROW(key, sub, kind, field, min, max, def, macro, rdef, meaning) \
    { key, sub, kind, FIELD(field), min, max, def, macro, rdef, meaning },

const struct setting_def settings_table[] = { SETTINGS(ROW) };
const size_t settings_count = sizeof settings_table / sizeof settings_table[0];
/* g->set_loc has a slot a row: a row more than it holds would write past it. */
#define COUNT_ROW(...) +1
_Static_assert(0 SETTINGS(COUNT_ROW) <= sizeof ((struct gen *)0)->set_loc / sizeof (struct loc),
               "struct gen's set_loc is smaller than the settings table");

#define NSETTINGS settings_count

static const char *const kind_example[] = {
    [V_IDENT] = "a C identifier such as 'myapp'",
    [V_LISTEN] = "an address such as '0.0.0.0:8080', '[::]:80' or a port",
    [V_COUNT] = "a whole number",
    [V_SIZE] = "a size such as 8192, 8K or 1M",
    [V_DURATION] = "a duration such as 500ms, 10s or 2m",
    [V_BOOL] = "'on' or 'off'",
    [V_PATH] = "a file name such as \"/etc/tinyroute/cert.pem\"",
    [V_WORDS] = "a list of words (spec/README.md)",
};

/* The words of the V_WORDS settings, each a bit of its value. */
static const struct { size_t field; const char *word; uint32_t bit; } word_bits[] = {
    { offsetof(struct settings, tls_ciphers), "aes128-gcm", 1 },
    { offsetof(struct settings, tls_ciphers), "aes256-gcm", 2 },
    { offsetof(struct settings, tls_ciphers), "chacha20", 4 },
    { offsetof(struct settings, tls_keys), "ec", 1 },
    { offsetof(struct settings, tls_keys), "rsa", 2 },
};

/* The bit of word v in the setting at field; 0 if it is not one. */
static uint32_t word_bit(size_t field, const struct token *v)
{
    for (size_t i = 0; i < sizeof word_bits / sizeof word_bits[0]; i++)
        if (word_bits[i].field == field && v->len == strlen(word_bits[i].word) &&
            memcmp(v->s, word_bits[i].word, v->len) == 0)
            return word_bits[i].bit;
    return 0;
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

int settings_scale(const struct token *t, int durations, uint64_t *out)
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

/* Stores a numeric value in its field (an int for V_BOOL). */
static void setting_set(struct settings *s, const struct setting_def *d, uint32_t v)
{
    char *field = (char *)s + d->field;
    if (d->kind == V_BOOL)
        *(int *)field = (int)v;
    else
        *(uint32_t *)field = v;
}

static int set_value(struct gen *g, const struct setting_def *def, const struct token *v)
{
    char *field = (char *)&g->set + def->field;
    uint64_t n = 0;

    switch (def->kind) {
    case V_IDENT:
        if (v->kind != TK_WORD || !c_is_ident(v->s, v->len))
            return -1;
        free(*(char **)field);
        *(char **)field = xstrndup(v->s, v->len);
        return 0;
    case V_LISTEN:
        if (v->kind == TK_WORD)
            return -1;
        return parse_listen(g, v);
    case V_PATH:
        if (v->kind != TK_STRING && v->kind != TK_WORD)
            return -1;
        free(*(char **)field);
        *(char **)field = v->kind == TK_STRING ? xstrndup(v->s + 1, v->len - 2) : xstrndup(v->s, v->len);
        return **(char **)field ? 0 : -1;
    case V_WORDS:
        n = word_bit(def->field, v);
        if (n == 0)
            return -1;
        *(uint32_t *)field |= (uint32_t)n;
        return 0;
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
        int rc = settings_scale(v, def->kind == V_DURATION, &n);
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

const char *setting_title(const struct setting_def *d, char *tmp, size_t n)
{
    snprintf(tmp, n, "%s%s%s", d->key, d->sub ? " " : "", d->sub ? d->sub : "");
    return tmp;
}

static int is_method_word(const struct token *t)
{
    return method_lookup(t->s, t->len) >= 0;
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

    if (rc == -1 && def->kind == V_WORDS) {
        for (size_t i = 0; i < sizeof word_bits / sizeof word_bits[0]; i++)
            if (word_bits[i].field == def->field)
                buf_printf(&lo, "%s%s", lo.len ? ", " : "", word_bits[i].word);
        diag_error(&g->diag, v->loc, v->len, "'%.*s' is not a word of '%s'; expected: %s", (int)v->len, v->s,
                   setting_title(def, title, sizeof title), lo.data);
        buf_free(&lo);
        return;
    }
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

/* A `listen` line: ADDRESS [plain|tls|redirect], one a listener, in
 * order; the first is also the settings' addr and port. */
static void listen_line(struct gen *g, const struct setting_def *def, const struct token *key,
                        const struct token *vals, int nvals)
{
    static const char *const kinds[] = { "plain", "tls", "redirect" };
    struct settings *s = &g->set;
    int kind = 0;
    char *addr0 = s->addr;
    uint16_t port0 = s->port;

    if (nvals < 1 || nvals > 2 || g->values_dropped) {
        const struct token *at = nvals ? &vals[nvals - 1] : key;
        diag_error(&g->diag, at->loc, at->len, "'listen' takes an address and optionally "
                   "'plain', 'tls' or 'redirect'");
        g->values_dropped = 0;
        return;
    }
    if (nvals == 2) {
        for (kind = 0; kind < 3 && !tok_is(&vals[1], kinds[kind]); kind++)
            ;
        if (kind == 3 && vals[1].kind != TK_WORD) {
            diag_error(&g->diag, vals[1].loc, vals[1].len, "setting 'listen' takes one address, "
                       "then 'plain', 'tls' or 'redirect'; a second listener is a second line");
            return;
        }
        if (kind == 3) {
            diag_error(&g->diag, vals[1].loc, vals[1].len, "'%.*s' is not 'plain', 'tls' or 'redirect'",
                       (int)vals[1].len, vals[1].s);
            return;
        }
    }
    if (s->nlisten == LISTEN_MAX) {
        diag_error(&g->diag, key->loc, key->len, "more than %d listen lines", LISTEN_MAX);
        return;
    }
    s->addr = xstrndup(addr0, strlen(addr0));   /* parse_listen frees it */
    int rc = parse_listen(g, &vals[0]);
    if (rc < 0) {
        report_value(g, def, &vals[0], rc);
        free(s->addr);
        s->addr = addr0;
        s->port = port0;
        return;
    }
    struct listener *l = &s->listen[s->nlisten++];
    l->addr = s->addr;
    l->port = s->port;
    l->kind = (enum listen_kind)kind;
    l->loc = key->loc;
    /* The first line stays the settings' own addr and port. */
    if (s->nlisten > 1) {
        s->addr = addr0;
        s->port = port0;
    } else {
        free(addr0);
        s->addr = xstrndup(l->addr, strlen(l->addr));
        g->set_loc[(size_t)(def - settings_table)] = key->loc;
    }
}

void model_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    const struct token *sub = is_group(key) && nvals > 0 ? &vals[0] : NULL;
    const struct setting_def *def = find_setting(key, sub);
    int want = def && def->sub ? 2 : 1;
    char title[64];

    g->nvalues = 0;
    if (!def) {
        unknown_setting(g, key, vals, nvals);
        return;
    }
    if (def->kind == V_LISTEN) {
        listen_line(g, def, key, vals, nvals);
        return;
    }
    if (def->kind == V_WORDS && nvals > want && !g->values_dropped)
        want = nvals;               /* a list: every value is a word of it */
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
    int rc = 0;
    if (def->kind == V_WORDS) {
        setting_set(&g->set, def, 0);
        for (int i = def->sub ? 1 : 0; i < nvals && rc == 0; i++)
            rc = set_value(g, def, v = &vals[i]);
    } else {
        rc = set_value(g, def, v);
    }
    if (rc < 0)
        report_value(g, def, v, rc);
    else if (def->field == FIELD(name) && def->kind == V_IDENT &&
             (strncmp(g->set.name, "tr_", 3) == 0 || strcmp(g->set.name, "tr") == 0))
        diag_error(&g->diag, v->loc, v->len, "name '%s' is reserved: the runtime's names start with tr_",
                   g->set.name);
    else if (def->field == FIELD(name) && def->kind == V_IDENT && c_name_owner(g->set.name))
        diag_error(&g->diag, v->loc, v->len, "name '%s' is owned by %s; rename it", g->set.name,
                   c_name_owner(g->set.name));
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


void settings_defaults(struct settings *s)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const struct setting_def *d = &settings_table[i];
        if (d->kind != V_IDENT && d->kind != V_LISTEN && d->kind != V_PATH)
            setting_set(s, d, d->def);
    }
    s->name = xstrndup("app", 3);
    s->addr = xstrndup("0.0.0.0", 7);
    s->port = 8080;
}

uint32_t setting_value(const struct settings *s, const struct setting_def *d)
{
    const char *field = (const char *)s + d->field;
    return d->kind == V_BOOL ? (uint32_t)*(const int *)field : *(const uint32_t *)field;
}

void setting_doc_row(const struct setting_def *d, struct buf *b)
{
    char title[64];
    buf_printf(b, "| `%s` | %s | `%s` | `%s` |", d->macro, d->meaning, setting_title(d, title, sizeof title),
               d->runtime_def);
}
