/*
 * names.c - names of the model's things in C and in messages (names.h).
 */
#include <ctype.h>
#include <string.h>

#include "names.h"
#include "tr_methods.h"

#define METHOD_NAME(name, route) #name,
static const char *const method_names[] = { TR_METHODS(METHOD_NAME) };
#undef METHOD_NAME

/* Bit m: a spec may route method m (tr_methods.h). */
#define METHOD_ROUTE(name, route) | (route) << TR_##name
static const unsigned routable = 0 TR_METHODS(METHOD_ROUTE);
#undef METHOD_ROUTE

#define NMETHOD_NAMES (sizeof method_names / sizeof method_names[0])

int c_is_ident(const char *s, size_t len)
{
    if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

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

int method_routable(unsigned m)
{
    return m < NMETHOD_NAMES && (routable & (1u << m));
}

void methods_routable_list(struct buf *b)
{
    unsigned left = routable;

    for (unsigned m = 0; left; m++) {
        if (!(left & (1u << m)))
            continue;
        left &= ~(1u << m);
        buf_printf(b, "%s%s", b->len ? (left ? ", " : " or ") : "", method_names[m]);
    }
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
    case PT_BOOL: return "bool";
    }
    return "?";
}

const char *param_ctype(enum param_type t)
{
    switch (t) {
    case PT_INT: return "int64_t";
    case PT_UINT: return "uint64_t";
    case PT_BOOL: return "int";
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

/* Macros of the headers generated code includes, directly or through
 * libc's own (stddef.h, stdint.h, string.h, stdio.h, errno.h, assert.h,
 * unistd.h): a parameter with one of these names is expanded away. */
static const struct {
    const char *name, *owner;
} libc_macros[] = {
    { "EOF", "<stdio.h>" }, { "BUFSIZ", "<stdio.h>" }, { "FILENAME_MAX", "<stdio.h>" },
    { "FOPEN_MAX", "<stdio.h>" }, { "L_tmpnam", "<stdio.h>" }, { "NULL", "<stddef.h>" },
    { "SEEK_CUR", "<stdio.h>" }, { "SEEK_END", "<stdio.h>" }, { "SEEK_SET", "<stdio.h>" },
    { "STDERR_FILENO", "<unistd.h>" }, { "STDIN_FILENO", "<unistd.h>" },
    { "STDOUT_FILENO", "<unistd.h>" }, { "TMP_MAX", "<stdio.h>" }, { "assert", "<assert.h>" },
    { "errno", "<errno.h>" }, { "offsetof", "<stddef.h>" }, { "static_assert", "<assert.h>" },
    { "stderr", "<stdio.h>" }, { "stdin", "<stdio.h>" }, { "stdout", "<stdio.h>" },
};

static int all_upper(const char *s)
{
    for (; *s; s++)
        if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n > m && strcmp(s + n - m, tail) == 0;
}

const char *c_name_owner(const char *id)
{
    for (size_t i = 0; i < sizeof libc_macros / sizeof libc_macros[0]; i++)
        if (strcmp(id, libc_macros[i].name) == 0)
            return libc_macros[i].owner;
    /* C11 7.1.3: reserved for any use. */
    if (id[0] == '_' && (id[1] == '_' || isupper((unsigned char)id[1])))
        return "the C implementation (names starting with __ or _ and a capital)";
    /* C11 7.31.3: E and a digit or capital is errno.h's. */
    if (id[0] == 'E' && (isupper((unsigned char)id[1]) || isdigit((unsigned char)id[1])))
        return "<errno.h> (E and a capital or digit)";
    if (all_upper(id) && (ends_with(id, "_MAX") || ends_with(id, "_MIN") || ends_with(id, "_C") ||
                          ends_with(id, "_WIDTH")))
        return "<limits.h> and <stdint.h> (..._MAX, _MIN, _C, _WIDTH)";
    if (strncmp(id, "tr_", 3) == 0 || strncmp(id, "TR_", 3) == 0)
        return "the tinyroute runtime (tr_ and TR_)";
    return NULL;
}

void arg_c_type(const struct arg *a, struct buf *b)
{
    switch (a->kind) {
    case ARG_METHOD: buf_puts(b, "enum tr_method"); return;
    case ARG_PATH: buf_puts(b, param_ctype(a->type)); return;
    case ARG_QUERY:
    case ARG_COOKIE:
    case ARG_FORM: buf_printf(b, "const %s *", param_ctype(a->type)); return;
    case ARG_GUARD: buf_puts(b, param_ctype(a->type)); return;
    case ARG_HEADER:
    case ARG_BODY: buf_puts(b, "tr_str"); return;
    }
}

void arg_c_param(const struct arg *a, int named, struct buf *b)
{
    buf_puts(b, ", ");
    arg_c_type(a, b);
    if (named)
        buf_printf(b, "%s%s", a->kind == ARG_QUERY || a->kind == ARG_FORM || a->kind == ARG_COOKIE ? "" : " ",
                   a->ident);
}

/* One argument in words: "method", "<id:int>", "<p..>", "?<q:str>",
 * "header X-Token", "body". */
static void arg_words(const struct arg *a, struct buf *b)
{
    switch (a->kind) {
    case ARG_METHOD: buf_puts(b, "method"); return;
    case ARG_PATH:
        if (a->type == PT_REST)
            buf_printf(b, "<%s..>", a->name);
        else
            buf_printf(b, "<%s:%s>", a->name, param_type_name(a->type));
        return;
    case ARG_QUERY: buf_printf(b, "?<%s:%s>", a->name, param_type_name(a->type)); return;
    case ARG_HEADER: buf_printf(b, "header %s", a->name); return;
    case ARG_BODY: buf_puts(b, "body"); return;
    case ARG_FORM: buf_printf(b, "form <%s:%s>", a->name, param_type_name(a->type)); return;
    case ARG_COOKIE: buf_printf(b, "cookie <%s:%s>", a->name, param_type_name(a->type)); return;
    case ARG_GUARD: buf_printf(b, "guard %s:%s", a->name, param_type_name(a->type)); return;
    }
}

void route_signature(const struct route *r, struct buf *b)
{
    for (uint32_t i = 0; i < r->nargs; i++) {
        if (i)
            buf_puts(b, ", ");
        arg_words(&r->args[i], b);
    }
    if (!b->len)
        buf_puts(b, "no parameters");
}
