/*
 * names.h - the bottom layer: how the model's things are named in C and in
 * messages (methods, parameter types, header fields as C identifiers,
 * handler signatures).  Every other generator file may use it; it uses
 * only the model's types and util.c.
 */
#ifndef NAMES_H
#define NAMES_H

#include "gen.h"

/* Is s[0..len) a C identifier? */
int c_is_ident(const char *s, size_t len);

/* "GET" for enum tr_method's 0; "?" past the end. */
const char *method_name(unsigned m);
/* The method the word names, or -1. */
int method_lookup(const char *s, size_t len);
/* How many methods there are (enum tr_method's count). */
unsigned method_count(void);
/* Whether a spec may route method m (CONNECT and TRACE it may not). */
int method_routable(unsigned m);
/* Appends "GET, POST, ... or OPTIONS": the methods a spec may route. */
void methods_routable_list(struct buf *b);
/* Appends "GET,POST" for a method mask. */
void methods_text(unsigned methods, struct buf *b);

/* "str", "int", "uint", "..". */
const char *param_type_name(enum param_type t);
/* The C type of a parameter as the handler receives it: int64_t, ... */
const char *param_ctype(enum param_type t);
/* The field of union tr_param it is read from: "i", "u", "s". */
const char *param_field(enum param_type t);

/* A header name as a C identifier: If-None-Match -> if_none_match. */
void header_ident(const char *name, struct buf *b);

/*
 * Who owns a C name the generated code cannot give a parameter or a
 * handler, other than C's keywords and the handler API (check.c): NULL if
 * it is free, else words for a message such as "<errno.h>".  The rules
 * (spec/README.md lists them): names C reserves for the implementation
 * (__x, _X), errno.h's E... macros, every upper-case ..._MAX, _MIN, _C and
 * _WIDTH macro of limits.h and stdint.h, the macros of the headers the
 * generated code includes (errno, assert, stdin, EOF, offsetof, ...), and
 * the runtime's tr_ and TR_ names.
 */
const char *c_name_owner(const char *ident);

/* The C type of an argument as its handler receives it: "int64_t",
 * "const tr_str *" (an optional query parameter), "enum tr_method". */
void arg_c_type(const struct arg *a, struct buf *b);
/* The C parameter declaration: ", tr_str name" with `named`, else the
 * type alone, each after ", ". */
void arg_c_param(const struct arg *a, int named, struct buf *b);

/* A route's parameters in words, e.g. "<a:int>, body", for comparing
 * handler signatures and for messages. */
void route_signature(const struct route *r, struct buf *b);

#endif
