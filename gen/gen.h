/*
 * gen.h - the generator's model of a route spec and the context that
 * carries it through every phase (lex+parse, check, hash, emit).
 *
 * Nothing here is file-scope state: one `struct gen` holds the spec, the
 * diagnostics and the outputs, so a test can run a whole generation on a
 * string in-process.
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- small utilities (util.c) ---- */

struct buf {
    char *data;
    size_t len, cap;
};

void buf_put(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrndup(const char *s, size_t len);

/* Grows a vector `v` of `n` elements by one and returns the new element. */
#define VEC_PUSH(v, n) \
    (*(void **)&(v) = xrealloc((v), ((n) + 1) * sizeof *(v)), \
     memset(&(v)[(n)], 0, sizeof *(v)), &(v)[(n)++])

/* ---- source locations and tokens ---- */

struct loc {
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based, in bytes */
};

struct token {
    int kind;       /* TK_* from grammar.h, 0 at end of input */
    const char *s;  /* into the source text */
    uint32_t len;
    struct loc loc;
};

/* ---- the model ---- */

/* Segment kinds, in precedence order: a lower kind beats a higher one. */
enum seg_kind { SEG_LITERAL, SEG_TYPED, SEG_STRING, SEG_REST };

/* Parameter types; the table in model.c names them and says how they decode. */
enum param_type { PT_STRING, PT_INT, PT_UINT, PT_REST };

struct param {
    char *name;
    enum param_type type;
    struct loc loc;      /* of the '<' */
    uint32_t len;        /* of the whole <...> in the source */
};

struct segment {
    enum seg_kind kind;
    char *text;          /* SEG_LITERAL: the decoded bytes */
    uint32_t text_len;
    struct param param;  /* other kinds */
    struct loc loc;
};

/* What answers a route: a user handler, a built-in (an embedded file,
 * gen/assets.c), or a streaming handler. */
enum route_action { ACTION_HANDLER, ACTION_ASSET, ACTION_STREAM };

struct route {
    uint32_t index;        /* in source order */
    enum route_action action;
    uint32_t asset;        /* ACTION_ASSET: its row in NAME_assets.c */
    uint16_t methods;      /* bit (1 << enum tr_method) */
    struct loc loc;        /* of the first method */
    struct loc path_loc;
    char *pattern;         /* the path as written, for messages */
    char *handler;
    struct loc handler_loc;
    struct segment *segs;
    uint32_t nsegs;        /* 0 for "/" */
    struct param *query;
    uint32_t nquery;
    char **headers;        /* declared request headers, as written */
    struct loc *header_locs;
    uint32_t nheaders;
    uint32_t body_limit;   /* 0: takes no body */
    int body_default;      /* `body` without a size: the spec's default */
    struct loc body_loc;
    const char *pat_start, *pat_end;  /* the pattern in the source */
    unsigned errors_before;           /* diag.errors when the route began */
    int broken;                       /* had errors: left out of whole-spec checks */
};

struct settings {
    char *name;            /* C prefix */
    char *addr;            /* IPv4 or IPv6 literal */
    uint16_t port;
    uint32_t connections;
    uint32_t buffers;
    uint32_t body_buffers;
    uint32_t request_line_max;
    uint32_t head_max;
    uint32_t fields_max;
    uint32_t body_max;     /* default body limit for `body` without a size */
    uint32_t response_max;
    uint32_t head_timeout_ms;
    uint32_t body_timeout_ms;
    uint32_t idle_timeout_ms;
    int date;
    int main_fn;
};

/* Names of warnings: one table, each switchable by -Wname / -Wno-name. */
enum warning {
    W_UNREACHABLE_ROUTE,
    W_UNUSED_SETTING,
    W_COUNT
};

struct diag {
    const char *file;      /* as given on the command line */
    const char *src;
    size_t src_len;
    FILE *out;             /* where messages go (stderr, or a test's memstream) */
    unsigned errors, warnings;
    uint32_t last_error_line;  /* to silence knock-on syntax errors */
    int warn_enabled[W_COUNT];
    int werror;
};

/* One generated file, held in memory until every phase succeeded. */
struct output {
    char *name;
    struct buf text;
};

struct gen {
    struct diag diag;
    struct settings set;
    struct loc set_loc[32];      /* where each setting was given, by setting index */
    struct route *routes;
    uint32_t nroutes;
    struct route cur;            /* the route being parsed */
    struct token values[8];      /* values of the setting or option being parsed */
    int nvalues;
    int values_dropped;          /* more values than fit in `values` */
    struct token methods[8];     /* the route's method words, checked at its end */
    int nmethods;
    int prev_kind;               /* the token before the one being parsed */
    const char *prev_end;
    struct output *outputs;
    uint32_t noutputs;
    const char *re2c;            /* the re2c program to run */
    struct assets *assets;       /* mounts and embedded files (assets.c); NULL if none */
};

/* ---- phases ---- */

void gen_init(struct gen *g, const char *file, const char *src, size_t len, FILE *diag_out);
void gen_free(struct gen *g);

/* spec/parse.c: lexes and parses the spec into g's model; 0 or -1. */
int spec_parse(struct gen *g);

/* model.c: actions of the grammar. */
void model_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void model_method(struct gen *g, const struct token *t);
void model_segment(struct gen *g, const struct token *t);
void model_trailing_slash(struct gen *g, const struct token *t);
void model_query(struct gen *g, const struct token *t);
void model_handler(struct gen *g, const struct token *t);
void model_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void model_route_end(struct gen *g);
void model_route_discard(struct gen *g);
int model_parse_param(struct gen *g, const struct token *t, struct param *p);
struct loc setting_loc(const struct gen *g, const char *key, const char *sub);
const char *param_type_name(enum param_type t);
const char *method_name(unsigned m);
void route_free(struct route *r);

/* assets.c: the `mount` line and the `type`/`cache` settings; the tree
 * read into routes (before check_spec); freed by gen_free. */
void model_mount_start(struct gen *g, const struct token *kw);
void model_mount_dir(struct gen *g, const struct token *dir);
void model_mount_end(struct gen *g);
int assets_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);
int assets_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals);
unsigned assets_scan(struct gen *g);
void assets_free(struct gen *g);

/* check.c: a route's parameters in words, e.g. "<a:int>, body". */
void route_signature(const struct route *r, struct buf *b);

/* check.c: every check on the whole model; the number of errors found. */
unsigned check_spec(struct gen *g);

/* diag.c */
void diag_error(struct diag *d, struct loc at, uint32_t span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warning(struct diag *d, enum warning w, struct loc at, uint32_t span,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_note(struct diag *d, struct loc at, uint32_t span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_defaults(struct diag *d);
int diag_warning_by_name(const char *name);
const char *diag_warning_name(enum warning w);

/* routes.c */
void print_routes(struct gen *g, FILE *out);
/* Orders route pointers by dispatch precedence (a total order). */
int route_precedence_cmp(const struct route *a, const struct route *b);
struct route **routes_by_precedence(struct gen *g);
/* Appends "GET,POST" for a method mask. */
void methods_text(unsigned methods, struct buf *b);

/* emit*.c: produce g->outputs; 0 or -1 (with a diagnostic). */
int emit_all(struct gen *g);
struct buf *output_new(struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* output.c */
int outputs_write(struct gen *g, const char *dir);
int outputs_compare(struct gen *g, const char *dir);

#endif /* GEN_H */
