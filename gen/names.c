/*
 * names.c - names of the model's things in C and in messages (names.h).
 */
#include <ctype.h>
#include <string.h>

#include "names.h"

static const char *const method_names[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
};

#define NMETHOD_NAMES (sizeof method_names / sizeof method_names[0])

const char *method_name(unsigned m)
{
    return m < NMETHOD_NAMES ? method_names[m] : "?";
}

int method_lookup(const char *s, size_t len)
{
    for (unsigned m = 0; m < NMETHOD_NAMES; m++)
        if (strlen(method_names[m]) == len && memcmp(method_names[m], s, len) == 0)
            return (int)m;
    return -1;
}

unsigned method_count(void)
{
    return NMETHOD_NAMES;
}

void methods_text(unsigned methods, struct buf *b)
{
    const char *sep = "";

    for (unsigned m = 0; m < 16; m++)
        if (methods & (1u << m)) {
            buf_printf(b, "%s%s", sep, method_name(m));
            sep = ",";
        }
}

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

const char *param_ctype(enum param_type t)
{
    switch (t) {
    case PT_INT: return "int64_t";
    case PT_UINT: return "uint64_t";
    default: return "tr_str";
    }
}

const char *param_field(enum param_type t)
{
    return t == PT_INT ? "i" : t == PT_UINT ? "u" : "s";
}

void header_ident(const char *name, struct buf *b)
{
    for (const char *p = name; *p; p++)
        buf_printf(b, "%c", isalnum((unsigned char)*p) ? tolower((unsigned char)*p) : '_');
}

void route_signature(const struct route *r, struct buf *b)
{
    if (r->methods & (r->methods - 1))
        buf_puts(b, "method");
    for (uint32_t i = 0; i < r->nsegs; i++) {
        const struct param *p = &r->segs[i].param;
        if (r->segs[i].kind == SEG_REST)
            buf_printf(b, "%s<%s..>", b->len ? ", " : "", p->name);
        else if (r->segs[i].kind != SEG_LITERAL)
            buf_printf(b, "%s<%s:%s>", b->len ? ", " : "", p->name, param_type_name(p->type));
    }
    for (uint32_t i = 0; i < r->nquery; i++)
        buf_printf(b, "%s?<%s:%s>", b->len ? ", " : "", r->query[i].name,
                   param_type_name(r->query[i].type));
    for (uint32_t i = 0; i < r->nheaders; i++)
        buf_printf(b, "%sheader %s", b->len ? ", " : "", r->headers[i]);
    if (r->body_limit)
        buf_printf(b, "%sbody", b->len ? ", " : "");
    if (!b->len)
        buf_puts(b, "no parameters");
}
