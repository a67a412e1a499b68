/*
 * template.c - named-hole substitution (see template.h).
 */
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "template.h"

const struct embedded_file *embedded_find(const char *name)
{
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const char *template_text(const char *name, size_t *len)
{
    const struct embedded_file *f = embedded_find(name);

    if (!f)
        return NULL;
    *len = f->len;
    return (const char *)f->data;
}

static const char *find_hole(const struct hole *holes, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(holes[i].name) == len && memcmp(holes[i].name, name, len) == 0)
            return holes[i].text;
    return NULL;
}

static const char *hole_text(const struct hole *holes, size_t n, const char *name, size_t len,
                             const char *tmpl)
{
    const char *t = find_hole(holes, n, name, len);

    if (t)
        return t;
    fprintf(stderr, "tinyroute: internal error: template %s has hole '%.*s' with no text\n", tmpl,
            (int)len, name);
    exit(1);
}

/* Is this line only a hole marker?  Sets name/len when it is. */
static int line_hole(const char *line, size_t len, const char **name, size_t *nlen)
{
    size_t i = 0;

    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (len - i < 6 || memcmp(line + i, "/*@", 3) != 0)
        return 0;
    const char *end = memmem(line + i, len - i, "@*/", 3);
    if (!end)
        return 0;
    for (const char *p = end + 3; p < line + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return 0;
    const char *s = line + i + 3;
    while (*s == ' ')
        s++;
    const char *e = end;
    while (e > s && e[-1] == ' ')
        e--;
    *name = s;
    *nlen = (size_t)(e - s);
    return 1;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static void fill_inline(struct buf *out, const char *line, size_t len, const struct hole *holes,
                        size_t n)
{
    size_t i = 0;

    while (i < len) {
        const char *at = memchr(line + i, '@', len - i);
        if (!at) {
            buf_put(out, line + i, len - i);
            return;
        }
        size_t j = (size_t)(at - line) + 1;
        while (j < len && is_name_char(line[j]))
            j++;
        /* Only known names are holes: re2c's tags (@p) and C strings keep their '@'. */
        const char *t = j < len && line[j] == '@'
                      ? find_hole(holes, n, at + 1, j - (size_t)(at - line) - 1) : NULL;
        if (t) {
            buf_put(out, line + i, (size_t)(at - line) - i);
            buf_puts(out, t);
            i = j + 1;
        } else {
            buf_put(out, line + i, (size_t)(at - line) + 1 - i);
            i = (size_t)(at - line) + 1;
        }
    }
}

void template_fill(struct buf *out, const char *template_name, const struct hole *holes, size_t n)
{
    size_t len;
    const char *text = template_text(template_name, &len);
    const char *p, *end;

    if (!text) {
        fprintf(stderr, "tinyroute: internal error: no template %s\n", template_name);
        exit(1);
    }
    for (p = text, end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t linelen = (size_t)((nl ? nl + 1 : end) - p);
        const char *name;
        size_t nlen;
        if (line_hole(p, linelen - (nl ? 1 : 0), &name, &nlen)) {
            const char *t = hole_text(holes, n, name, nlen, template_name);
            buf_puts(out, t);
            if (*t && t[strlen(t) - 1] != '\n')
                buf_puts(out, "\n");
        } else {
            fill_inline(out, p, linelen, holes, n);
        }
        p += linelen;
    }
}
