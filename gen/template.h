/*
 * template.h - fills the named holes of an embedded template.
 *
 * A line holding only `/ *@ name @* /` (without the spaces) is replaced by
 * the hole's text; `@name@` inside a line is replaced inline.  A hole the
 * template uses but the caller did not give is a bug in the generator and
 * ends it.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include "gen.h"

struct hole {
    const char *name;
    const char *text;
};

void template_fill(struct buf *out, const char *template_name, const struct hole *holes, size_t n);

/* The embedded file's text, or NULL. */
const char *template_text(const char *name, size_t *len);

#endif
