/*
 * ctext.c - spec text made safe for C comments and string literals.
 */
#include <string.h>

#include "ctext.h"

void c_comment(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : 0;
        if (c < 0x20 || c > 0x7e)
            buf_printf(b, "\\%03o", c);
        else if ((c == '/' && prev == '*') || (c == '*' && prev == '/') || (c == '?' && prev == '?'))
            buf_printf(b, "\\%c", c);
        else
            buf_put(b, &s[i], 1);
    }
    buf_put(b, "", 0);         /* data non-NULL even for empty text */
}

void c_comment_str(struct buf *b, const char *s)
{
    c_comment(b, s, strlen(s));
}

void c_string(struct buf *b, const char *s, size_t n)
{
    buf_puts(b, "\"");
    c_string_inside(b, s, n);
    buf_puts(b, "\"");
}

void c_string_inside(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '?')
            buf_printf(b, "\\%03o", c);
        else
            buf_put(b, &s[i], 1);
    }
}
