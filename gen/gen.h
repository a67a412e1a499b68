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
/* PT_BOOL: query, form, JSON and cookie values only, not path segments. */
enum param_type { PT_STRING, PT_INT, PT_UINT, PT_REST, PT_BOOL };

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

/*
 * What a handler receives, in the order of its C parameters after
 * `tr_res *res`: the one argument model of a route, built by the resolve
 * phase.  Prototypes, thunks, call shapes, signatures and name checks are
 * maps over it.  Cookies and guard data are kinds to come.
 */
enum arg_kind {
    ARG_METHOD,            /* enum tr_method, when the route lists several */
    ARG_PATH,              /* a path parameter, typed (m->param[index]) */
    ARG_QUERY,             /* an optional query parameter, typed (its index among the query's) */
    ARG_HEADER,            /* a declared request header (its index among the route's) */
    ARG_COOKIE,            /* an optional cookie of the Cookie field, typed (its index among the route's) */
    ARG_FORM,              /* an optional field of a form body, typed (its index among the form's) */
    ARG_BODY,              /* the request body */
    ARG_GUARD,             /* what a passing guard handed on (its data slot: m->guard[index]) */
};

struct arg {
    enum arg_kind kind;
    enum param_type type;  /* ARG_PATH and ARG_QUERY; PT_STRING else */
    const char *name;      /* as the spec writes it: parameter or header name */
    char *ident;           /* the C parameter's name */
    uint32_t index;        /* among the route's arguments of this kind */
    struct loc loc;        /* where the spec names it */
    uint32_t len;
};

/*
 * What a route does once it matched: its action, of one kind.  Guards (to
 * come) run before the action, whatever its kind.  Adding a kind touches
 * this enum, the grammar's action that sets it (model.c), the plan
 * (plan.c's per-route entry) and the one emitter that calls it
 * (emit_dispatch.c's call row).
 */
enum action_kind {
    ACTION_HANDLER,        /* call the user's NAME_handler with the route's arguments */
    ACTION_ASSET,          /* serve an embedded file (gen/assets.c, runtime/tr_asset.c) */
    ACTION_STREAM,         /* the user's NAME_handler_begin/_data/_end (and _part): a body
                              read in pieces (`body=SIZE,stream|multipart`, runtime/tr_stream.c) */
};

/*
 * A guard (gen/guards.c): a check that runs before a route's query, its
 * 100-continue and its body, and passes or answers.  Declared by a line
 * `guard PREFIX NAME [OPTION ...]`, which the grammar reads as a route
 * whose method word is `guard`: its pattern is the prefix (literal
 * segments only), its handler word the guard's name.
 */
enum guard_kind {
    GUARD_USER,            /* the user's int NAME_name(tr_res *, headers..., [TYPE *data]) */
    GUARD_BASIC,           /* built in: HTTP Basic against the credentials file (tr_basic.c),
                              or handed to the user's check= (tr_basic_credentials.c) */
    GUARD_SESSION,         /* built in: the session cookie, and CSRF (tr_session.c) */
    GUARD_THROTTLE,        /* built in: failed logins per client address (tr_throttle.c) */
};

/* One `guard` line's prefix: the routes whose first segments are these. */
struct guard_prefix {
    char *text;            /* as written */
    char **segs;           /* its literal segments, decoded */
    uint32_t nsegs;
    struct loc loc;
};

struct guard {
    enum guard_kind kind;
    char *name;            /* as written: the C name after NAME_ for a user guard */
    struct loc loc;        /* of its first `guard` line, or of the first guard= naming it */
    struct guard_prefix *prefixes;  /* one a `guard` line naming it; none: by guard= only */
    uint32_t nprefixes;
    char **headers;        /* request headers a user guard receives */
    struct loc *header_locs;
    uint32_t nheaders;
    int has_data;          /* hands a value to the handler (argument named after the guard) */
    enum param_type data_type;
    char *realm;           /* GUARD_BASIC: the realm in WWW-Authenticate */
    char *check;           /* GUARD_BASIC with check=NAME: the user's NAME_check, else NULL (the file) */
    struct loc check_loc;
    uint32_t sessions;     /* GUARD_SESSION: table size, idle and absolute lifetime (0: default) */
    uint32_t idle_ms, lifetime_ms;
    char *token_header;    /* GUARD_SESSION with csrf-token: the header of its CSRF token, else NULL */
    uint32_t after, max_ms;  /* GUARD_THROTTLE: free failures, longest block (0: default) */
    uint32_t slot;         /* has_data: its index in tr_match.guard (resolve.c) */
};

/* How a streamed body is handed over: `body=SIZE,stream` or `,multipart`. */
enum { STREAM_NONE, STREAM_RAW, STREAM_MULTIPART };

struct route {
    uint32_t index;        /* in source order */
    uint32_t asset;        /* ACTION_ASSET: its row in NAME_assets.c */
    uint16_t methods;      /* bit (1 << enum tr_method) */
    struct loc loc;        /* of the first method */
    struct loc path_loc;
    char *pattern;         /* the path as written, for messages */
    enum action_kind action;
    char *handler;         /* ACTION_HANDLER: the C name after NAME_ */
    struct loc handler_loc;
    struct segment *segs;
    uint32_t nsegs;        /* 0 for "/" */
    struct param *query;
    uint32_t nquery;
    char **headers;        /* declared request headers, as written */
    struct loc *header_locs;
    uint32_t nheaders;
    uint32_t body_limit;   /* 0: takes no body */
    int stream;            /* STREAM_*: the body is streamed (ACTION_STREAM) */
    int body_default;      /* `body` without a size: the spec's default */
    struct loc body_loc;
    const char *pat_start, *pat_end;  /* the pattern in the source */
    unsigned errors_before;           /* diag.errors when the route began */
    int broken;                       /* had errors: left out of whole-spec checks */
    struct arg *args;                 /* the handler's arguments (resolve.c) */
    uint32_t nargs;
    struct token *guard_words;        /* guard=NAME,...: as written (none drops the prefixes') */
    uint32_t nguard_words;
    int unguarded;                    /* guard=none */
    uint32_t *guards;                 /* the guards it runs, in order: indexes in g->guards (resolve.c) */
    uint32_t nguards;
    int is_guard;                     /* the line being parsed is a `guard` line */
    int is_cors;                      /* the line being parsed is a `cors` line */
    uint32_t cors;                    /* 1 + its rule in g->cors (longest prefix), 0: none (cors.c) */
    struct param *cookies;            /* cookie=<a>,<b:int>: cookies the handler receives */
    uint32_t ncookies;
    struct param *form;               /* form=<a>,<b:int>: fields of an urlencoded body */
    uint32_t nform;
    struct loc form_loc;
    int form_body;                    /* the body is read for the form only (no `body` option) */
    int defer;                        /* `defer`: its handler may answer later (tr_res_defer) */
    int pull;                         /* `stream`: its handler may send a body in pieces (tr_res_stream) */
    unsigned fields_in;               /* FIELDS_FORM | FIELDS_JSON: the bodies its fields come in */
    int events;                       /* `events`: server-sent events (tr_res_sse), implies pull */
    int file;                         /* `file`: ... or a file's bytes (tr_res_file), pull too */
};

/*
 * A `cors PREFIX origins=... [methods=...] [headers=...] [credentials]
 * [max-age=D]` line (gen/cors.c, runtime/tr_cors.c): who may call the
 * routes under PREFIX from another origin.  Not a guard: guard=none keeps it.
 */
struct cors {
    struct guard_prefix prefix;
    struct loc loc;        /* of the `cors` word */
    char *origins;         /* "https://a, http://b" as serialized origins; NULL: any ("*") */
    int any;               /* origins="*" */
    uint16_t methods;      /* bit (1 << enum tr_method); 0: the path's own */
    char *headers;         /* "Content-Type, X-Token": request headers allowed; NULL none */
    int credentials;       /* Access-Control-Allow-Credentials: true */
    int has_max_age;
    uint32_t max_age;      /* seconds */
};

/* The body types a route's fields (form= and json=) are read from. */
enum { FIELDS_FORM = 1, FIELDS_JSON = 2 };
/* tr_json_fields takes at most this many. */
#define JSON_FIELDS_MAX 64

/* One `listen` line. */
enum listen_kind { LISTEN_PLAIN, LISTEN_TLS, LISTEN_REDIRECT };
#define LISTEN_MAX 8
struct listener {
    char *addr;            /* IPv4 or IPv6 literal */
    uint16_t port;
    enum listen_kind kind;
    struct loc loc;
};

struct settings {
    char *name;            /* C prefix */
    char *addr;            /* the first listener's: IPv4 or IPv6 literal */
    uint16_t port;
    struct listener listen[LISTEN_MAX]; /* every `listen` line, in order */
    uint32_t nlisten;      /* 0: none given, the default 0.0.0.0:8080 */
    char *tls_cert;        /* PEM file paths, or NULL */
    char *tls_key;
    uint32_t tls_connections;
    uint32_t tls_record;
    uint32_t tls_sessions;
    uint32_t tls_hsts;
    uint32_t tls_handshake_ms;
    uint32_t tls_ciphers;  /* TLS_CIPHER_* bits */
    uint32_t tls_keys;     /* TLS_KEY_* bits */
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
    uint32_t defer_timeout_ms;
    uint32_t sse_heartbeat_ms;
    uint32_t sse_subscribers;   /* 0: derived from buffers (resolve.c) */
    uint32_t min_rate;     /* bytes a second */
    uint32_t min_rate_grace_ms;
    int date;
    int main_fn;
    int json;              /* the JSON writer (tr_json.c) */
    int crypt;             /* SHA-512 crypt for handlers (tr_crypt.c) */
    int basic_credentials; /* the Basic decoder for handlers (tr_basic_credentials.c) */
    int loop;              /* the app's descriptors and timers in the loop (tr_loop.c) */
    char *init;            /* `init NAME`: int PREFIX_NAME(void) runs before the first accept */
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
    struct loc set_loc[48];      /* where each setting was given, by setting index (settings.c asserts the size) */
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
    struct guard *guards;        /* in order of first mention */
    uint32_t nguards;
    struct guard gline;          /* the `guard` line being parsed: its options */
    int gline_opts;              /* it gave data= or realm= */
    struct cors *cors;           /* `cors` lines, in source order */
    uint32_t ncors;
    struct cors cline;           /* the `cors` line being parsed */
    struct output *outputs;
    uint32_t noutputs;
    const char *re2c;            /* the re2c program to run; NULL: emit the .re only (the fuzzer) */
    struct assets *assets;       /* mounts and embedded files (assets.c); NULL if none */
    struct error_body *errors;   /* `error` lines, in status order (errors.c) */
    uint32_t nerrors;
};

/* An `error` line: the body of one of the runtime's own answers. */
struct error_body {
    unsigned status;
    char *type;                  /* a valid media type */
    char *body;                  /* len bytes, any */
    size_t len;
    struct loc loc;              /* the status */
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
/* in_path: a path segment's, which cannot be bool. */
int model_parse_param(struct gen *g, const struct token *t, struct param *p, int in_path);
struct loc setting_loc(const struct gen *g, const char *key, const char *sub);
void route_free(struct route *r);

/* resolve.c: fills in the defaults that depend on the rest of the spec;
 * the only phase after the parse that changes the model. */
void resolve_defaults(struct gen *g);
/* Does a route read a body? */
int spec_reads_body(const struct gen *g);
/* assets.c: the `mount` line and the `type`/`cache` settings; the tree
 * read into routes (before check_spec); freed by gen_free. */
void model_mount_start(struct gen *g, const struct token *kw);
void model_mount_dir(struct gen *g, const struct token *dir);
void model_mount_end(struct gen *g);
int assets_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);
int assets_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals);
unsigned assets_scan(struct gen *g);
void assets_free(struct gen *g);
/* errors.c: the `error` setting (1 if key is `error`); freed by gen_free. */
int errors_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void errors_free(struct gen *g);

/* guards.c: the `guard` lines and the routes' guard lists. */
void guard_line_end(struct gen *g);
int guard_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void guards_resolve(struct gen *g);
unsigned guards_check(struct gen *g);
void guards_free(struct gen *g);
/* cors.c: the `cors` lines and each route's rule. */
void cors_line_start(struct gen *g, const struct token *kw);
int cors_option(struct gen *g, const struct token *key, const struct token *vals, int nvals);
void cors_line_end(struct gen *g);
void cors_line_reset(struct gen *g);
void cors_resolve(struct gen *g);
unsigned cors_check(struct gen *g);
void cors_free(struct gen *g);
/* guards.c's prefixes, which cors lines share. */
int guard_prefix_of(struct gen *g, const struct route *r, struct guard_prefix *p, const char *what);
int guard_prefix_covers(const struct guard_prefix *p, const struct route *r);
void guard_prefix_free(struct guard_prefix *p);
/* A route's guards as `tinyroute routes` shows them: "token,basic", "none" or "-". */
void route_guards_text(const struct gen *g, const struct route *r, struct buf *b);

/* check.c: every check on the whole model, which it does not change; the
 * number of errors found. */
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

/* output.c: a new output file in memory, named by fmt; then all of them
 * written to DIR, or compared with it. */
struct buf *output_new(struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int outputs_write(struct gen *g, const char *dir);
int outputs_compare(struct gen *g, const char *dir);

#endif /* GEN_H */
