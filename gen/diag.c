/*
 * diag.c - compiler-style diagnostics: `file:line:col: error: message`,
 * then the source line and a caret under the span, as gcc and clang print
 * them.  Warnings have names from one table and can be switched by name.
 */
#include <stdarg.h>
#include <string.h>

#include "gen.h"

static const struct {
    const char *name;
    int on_by_default;
} warnings[W_COUNT] = {
    [W_UNREACHABLE_ROUTE] = { "unreachable-route", 1 },
    [W_UNUSED_SETTING] = { "unused-setting", 1 },
};

int diag_warning_by_name(const char *name)
{
    for (int w = 0; w < W_COUNT; w++)
        if (strcmp(warnings[w].name, name) == 0)
            return w;
    return -1;
}

const char *diag_warning_name(enum warning w)
{
    return warnings[w].name;
}

void diag_defaults(struct diag *d)
{
    for (int w = 0; w < W_COUNT; w++)
        d->warn_enabled[w] = warnings[w].on_by_default;
}

/* Finds line `n` (1-based) of the source; sets *len to its length. */
static const char *source_line(const struct diag *d, uint32_t n, size_t *len)
{
    const char *p = d->src, *end = d->src + d->src_len;

    for (uint32_t i = 1; i < n && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    if (*len && p[*len - 1] == '\r')
        (*len)--;
    return p;
}

/* Prints the source line with a caret and tildes under [col, col+span). */
static void show_source(const struct diag *d, struct loc at, uint32_t span)
{
    size_t len;
    const char *line = source_line(d, at.line, &len);

    if (at.line == 0)
        return;
    fprintf(d->out, "%5u | ", at.line);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        fputc(c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?', d->out);
    }
    fputs("\n      | ", d->out);
    for (uint32_t i = 1; i < at.col; i++)
        fputc(i - 1 < len && line[i - 1] == '\t' ? '\t' : ' ', d->out);
    fputc('^', d->out);
    for (uint32_t i = 1; i < span && at.col - 1 + i < len; i++)
        fputc('~', d->out);
    fputc('\n', d->out);
}

static void report(struct diag *d, const char *kind, const char *suffix,
                   struct loc at, uint32_t span, const char *fmt, va_list ap)
{
    if (at.line)
        fprintf(d->out, "%s:%u:%u: %s: ", d->file, at.line, at.col, kind);
    else
        fprintf(d->out, "%s: %s: ", d->file, kind);
    vfprintf(d->out, fmt, ap);
    fprintf(d->out, "%s\n", suffix);
    show_source(d, at, span);
}

void diag_error(struct diag *d, struct loc at, uint32_t span, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(d, "error", "", at, span, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warning(struct diag *d, enum warning w, struct loc at, uint32_t span,
                  const char *fmt, ...)
{
    char suffix[64];
    va_list ap;

    if (!d->warn_enabled[w])
        return;
    snprintf(suffix, sizeof suffix, " [-W%s]", warnings[w].name);
    va_start(ap, fmt);
    report(d, d->werror ? "error" : "warning", suffix, at, span, fmt, ap);
    va_end(ap);
    if (d->werror)
        d->errors++;
    else
        d->warnings++;
}

void diag_note(struct diag *d, struct loc at, uint32_t span, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(d, "note", "", at, span, fmt, ap);
    va_end(ap);
}
