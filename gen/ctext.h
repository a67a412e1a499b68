/*
 * ctext.h - spec text as C text.  Every piece of spec text that goes into
 * generated C goes through one of these, so that no spec can end a
 * comment, open a nested one or leave a string: `GET /a*` + `/b h` (one
 * line, without the quotes and the plus) is a valid spec, and its pattern
 * goes into comments.
 */
#ifndef CTEXT_H
#define CTEXT_H

#include "gen.h"

/* Appends s[0..n) for the inside of a comment: a slash after a star and a
 * star after a slash get a backslash before them, so does a question mark
 * after another (no trigraph), and bytes outside printable ASCII are
 * written as a backslash and three octal digits. */
void c_comment(struct buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string. */
void c_comment_str(struct buf *b, const char *s);
/* Appends s[0..n) as a C string literal, quotes included: '"', '\\', '?'
 * and bytes outside printable ASCII as octal escapes. */
void c_string(struct buf *b, const char *s, size_t n);
/* The same without the quotes, for text that goes between others. */
void c_string_inside(struct buf *b, const char *s, size_t n);

#endif
