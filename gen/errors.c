/*
 * errors.c - the `error` setting: a body of the spec's for the runtime's
 * own answers.
 *
 *   error 404 "text/html" "<h1>Not found</h1>"
 *   error 413 "application/json" file "errors/413.json"
 *
 * The status is one the runtime answers by itself (ERROR_STATUSES), the
 * type a media type (RFC 9110 §8.3.1), the body inline text or a file
 * relative to the spec, at most ERROR_BODY_MAX bytes.  The bodies become
 * const data in NAME_routes.c (emit_dispatch.c) and TR_WITH_ERROR_BODIES
 * in tr_config.h; a spec without `error` lines makes neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "grammar.h"

/* The statuses the runtime answers by itself (runtime/tr_conn.c,
 * tr_body.c, tr_response.c and the lexer's limits). */
static const unsigned error_statuses[] = { 400, 404, 405, 408, 413, 414, 431, 500, 503 };

/* The answer is one static iovec, but a device's flash is small: an
 * error page larger than this is more likely a mistake than a wish. */
#define ERROR_BODY_MAX 16384u

static int tok_is(const struct token *t, const char *s)
{
    return strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* RFC 9110 §5.6.2 tchar. */
static int tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Skips a token at s; returns its end (s itself if there is none). */
static const char *token_end(const char *s)
{
    while (tchar((unsigned char)*s))
        s++;
    return s;
}

/* RFC 9110 §8.3.1: media-type = type "/" subtype parameters, parameters
 * = *( OWS ";" OWS [ name "=" token ] ); a quoted-string value cannot be
 * written in a spec string, which holds no '"'. */
static int valid_media_type(const char *s)
{
    const char *p = token_end(s);
    if (p == s || *p++ != '/')
        return 0;
    const char *q = token_end(p);
    if (q == p)
        return 0;
    for (p = q; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p++ != ';')
            return 0;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == ';')
            continue;
        q = token_end(p);
        if (q == p || *q++ != '=')
            return 0;
        p = token_end(q);
        if (p == q)
            return 0;
    }
    return 1;
}

/* The file's bytes, or NULL with a diagnostic at the token t. */
static char *read_body(struct gen *g, const struct token *t, size_t *len)
{
    char *name = xstrndup(t->s + 1, t->len - 2);
    struct buf path = { 0 };
    const char *slash = strrchr(g->diag.file, '/');
    if (name[0] == '/' || !slash)
        buf_puts(&path, name);
    else
        buf_printf(&path, "%.*s/%s", (int)(slash - g->diag.file), g->diag.file, name);
    char *data = NULL;
    FILE *f = fopen(path.data, "rb");
    if (!f) {
        diag_error(&g->diag, t->loc, t->len, "cannot read '%s': %s", name, strerror(errno));
    } else {
        data = xcalloc(1, ERROR_BODY_MAX + 1);
        *len = fread(data, 1, ERROR_BODY_MAX + 1, f);
        if (ferror(f)) {
            diag_error(&g->diag, t->loc, t->len, "cannot read '%s': %s", name, strerror(errno));
            free(data);
            data = NULL;
        }
        fclose(f);
    }
    buf_free(&path);
    free(name);
    return data;
}

int errors_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    if (!tok_is(key, "error"))
        return 0;
    g->nvalues = 0;
    g->values_dropped = 0;
    int file = nvals == 4 && vals[2].kind == TK_WORD && tok_is(&vals[2], "file");
    if (!(nvals == 3 || file) || vals[0].kind != TK_NUMBER || vals[1].kind != TK_STRING ||
        vals[nvals - 1].kind != TK_STRING) {
        diag_error(&g->diag, key->loc, key->len,
                   "'error' takes a status, a media type and a body: "
                   "error 404 \"text/html\" \"<h1>Not found</h1>\" (or file \"404.html\")");
        return 1;
    }
    unsigned status = 0;
    for (uint32_t i = 0; i < vals[0].len && status < 1000; i++)
        status = vals[0].s[i] >= '0' && vals[0].s[i] <= '9' ? status * 10 + (unsigned)(vals[0].s[i] - '0')
                                                            : 1000;
    size_t k = 0;
    while (k < sizeof error_statuses / sizeof *error_statuses && error_statuses[k] != status)
        k++;
    if (k == sizeof error_statuses / sizeof *error_statuses) {
        diag_error(&g->diag, vals[0].loc, vals[0].len,
                   "%.*s is not one of the runtime's own answers: an error body is for "
                   "400, 404, 405, 408, 413, 414, 431, 500 or 503",
                   (int)vals[0].len, vals[0].s);
        return 1;
    }
    for (uint32_t i = 0; i < g->nerrors; i++)
        if (g->errors[i].status == status) {
            diag_error(&g->diag, vals[0].loc, vals[0].len, "a second body for %u", status);
            diag_note(&g->diag, g->errors[i].loc, 3, "the first is here");
            return 1;
        }
    char *type = xstrndup(vals[1].s + 1, vals[1].len - 2);
    if (!valid_media_type(type)) {
        diag_error(&g->diag, vals[1].loc, vals[1].len,
                   "'%s' is no media type: type/subtype, then any '; name=value'", type);
        free(type);
        return 1;
    }
    const struct token *b = &vals[nvals - 1];
    size_t len = b->len - 2;
    char *body = file ? read_body(g, b, &len) : xstrndup(b->s + 1, len);
    if (!body) {
        free(type);
        return 1;
    }
    if (len > ERROR_BODY_MAX) {
        diag_error(&g->diag, b->loc, b->len, "an error body is at most %u bytes; this one is %s",
                   ERROR_BODY_MAX, file ? "larger" : "too large");
        free(type);
        free(body);
        return 1;
    }
    /* Kept in status order, so the table's bytes do not follow the spec's
     * line order. */
    struct error_body *e = VEC_PUSH(g->errors, g->nerrors);
    uint32_t at = g->nerrors - 1;
    while (at > 0 && g->errors[at - 1].status > status) {
        g->errors[at] = g->errors[at - 1];
        at--;
    }
    e = &g->errors[at];
    e->status = status;
    e->type = type;
    e->body = body;
    e->len = len;
    e->loc = vals[0].loc;
    return 1;
}

void errors_free(struct gen *g)
{
    for (uint32_t i = 0; i < g->nerrors; i++) {
        free(g->errors[i].type);
        free(g->errors[i].body);
    }
    free(g->errors);
    g->errors = NULL;
    g->nerrors = 0;
}
