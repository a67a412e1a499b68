/*
 * plan.h - what the generator decides about a checked spec, built once
 * between check and emit: the trie, the perfect hash of its literal edges,
 * the call shapes of the handlers, the declared headers, the method
 * columns, the features and the configuration values.
 *
 * The emitters only read a plan; they print it and decide nothing, so a
 * test can inspect every decision here without parsing C.
 */
#ifndef PLAN_H
#define PLAN_H

#include "gen.h"
#include "phash.h"
#include "trie.h"

/* The runtime features the spec uses (TR_WITH_* and the template's HAS_*). */
struct features {
    int body, query, integers, strings, rest, options;
    int assets;                /* a mount embeds files (runtime/tr_asset.c) */
    int guard, basic;          /* TR_WITH_GUARD, TR_WITH_BASIC: only when a route runs one */
    int basic_check;           /* a route runs a `basic check=NAME` guard */
    int basic_credentials;     /* TR_WITH_BASIC_CREDENTIALS: basic_check or the setting */
    int session;               /* TR_WITH_SESSION (and TR_WITH_COOKIE) */
    const struct guard *session_guard;
    int throttle;              /* TR_WITH_THROTTLE */
    int form;                  /* a route has form= or json= fields (needs Content-Type) */
    int urlencoded;            /* some take them from an urlencoded body (is_form) */
    int json_read;             /* some from a JSON body (is_json, TR_WITH_JSON_READ) */
    int cookie;                /* a route takes cookie parameters (TR_WITH_COOKIE, needs Cookie) */
    const struct guard *throttle_guard;
    int tls, redirect;         /* a TLS listener; a redirecting one */
    int listeners;             /* more than one, or one that is not plain:
                                  TR_LISTENERS and main()'s listener table */
    int error_bodies;          /* `error` lines: bodies for the runtime's answers */
    int stream, multipart;     /* TR_WITH_STREAM, TR_WITH_MULTIPART: a streamed body route */
    int defer;                 /* a `defer` route: TR_WITH_DEFER (runtime/tr_later.c) */
    int pull;                  /* a `stream` route: TR_WITH_PULL (runtime/tr_pull.c), with defer's handles */
    int file;                  /* a `file` route: TR_WITH_FILE (runtime/tr_file.c), with pull */
    int loop;                  /* `loop on` or `init`: TR_WITH_LOOP (runtime/tr_loop.c) */
    int cors;                  /* a route under a `cors` prefix (TR_WITH_CORS) */
    int sse;                   /* an `events` route: TR_WITH_SSE (runtime/tr_sse.c), with pull and loop */
};

/* The methods the spec routes, as leaf_routes columns. */
struct columns {
    int of_method[NMETHODS];   /* -1: no column; HEAD shares GET's */
    unsigned count;
};

/* The literal edges of the trie, in node order, and their perfect hash. */
struct literal_table {
    const struct tnode **edge; /* [n]: the child node of each edge */
    uint32_t *off;             /* [n]: its bytes' offset in the pool */
    uint32_t n;
    uint32_t pool;             /* bytes of every literal, back to back */
    uint32_t longest;
    struct phash ph;           /* keys: (parent id, bytes), in edge order */
};

/*
 * Handlers are called through one thunk per call shape (the C types of
 * the arguments), not through a switch with a case per route: a switch of
 * ten thousand calls takes gcc minutes to compile and costs a call site of
 * flash per route, while a thunk per shape and a table row per route grow
 * linearly in both.
 */
struct shapes {
    char **keys;               /* in order of first use, e.g. "mi/s/1b" */
    uint32_t n;
    uint32_t *of_route;        /* route index -> shape */
    uint32_t *example;         /* shape -> the first route of that shape */
};

/* What the plan decided for one route: its action, and what calls it.
 * Guards (to come) go here too, in the order they run before the action. */
struct route_plan {
    enum action_kind action;
    uint32_t shape;            /* ACTION_HANDLER, ACTION_STREAM: its thunk, in shapes */
    uint32_t stream;           /* ACTION_STREAM: 1 + its row in NAME_streams; 0 else */
};

/* How a node's function tells its literal children of one length apart
 * (plan_match.c): a switch on the key, or with bits > 0 a switch on the
 * key's bucket under mul (key_bucket). */
struct literal_group {
    uint32_t start, n;         /* in node_literals.lits */
    uint32_t mul;
    unsigned bits;             /* 0: a switch on the key itself */
    uint32_t *bucket;          /* bits > 0: each literal's bucket, ascending */
};

/* A node's literal children in the order its function tests them: by
 * length, then key (by bucket in a hashed group).  Empty for nodes with
 * fewer than two. */
struct node_literals {
    struct tnode **lits;
    struct literal_group *groups;  /* one a length */
    uint32_t ngroups;
};

/*
 * Up to this many literals of one length are told apart by a switch on
 * the key, which compilers make a binary search; more by a switch on a
 * multiplicative hash of it (a jump table) and a compare or two in each
 * bucket, so the cost stays flat however many routes share a prefix.
 */
#define SEARCH_MAX 8

/* The number dispatch computes from a segment's bytes s[0..len), 1 <= len
 * <= 8 (word_key in templates/routes.c.in). */
uint64_t word_key(const unsigned char *s, uint32_t len);
/* word_key of a literal's first 8 bytes (all of a shorter one). */
uint64_t first_key(const struct tnode *n);
/* The bucket of key k among 1 << bits (key_bucket in the template). */
uint32_t key_bucket(uint64_t k, uint32_t mul, unsigned bits);

/*
 * A response head of an embedded file's variant, but for its ETag (per
 * file): first what a 304 repeats (RFC 9110 §15.4.5: after the ETag,
 * Cache-Control and Vary), then the rest of a 200's fields.
 */
#define ASSET_HEAD_FIELDS 4
struct asset_head {
    const char *name[ASSET_HEAD_FIELDS], *value[ASSET_HEAD_FIELDS];
    uint32_t nfields;
    uint32_t len, len_304;     /* bytes as "Name: value\r\n" lines: all, a 304's */
};

/* The heads of the spec's variants, each once in order of first use, and
 * which two each file route sends (plan_assets.c). */
struct asset_plan {
    struct asset_head *heads;
    uint32_t nheads;
    uint32_t (*route_heads)[2]; /* [route - first asset route]: identity's, gzip's */
};

/* The configuration values that are not settings as written. */
struct config {
    uint32_t body_max;         /* the largest body a route takes */
    uint32_t max_segments;     /* TR_MAX_SEGMENTS */
    uint32_t max_params;
};

struct plan {
    char spec_base[128];       /* the spec's file name without directories */
    struct trie *trie;
    struct literal_table lits;
    struct features f;
    struct columns cols;
    uint16_t all_methods;      /* every method a route lists */
    char **headers;            /* declared headers, sorted, unique (case-insensitive) */
    uint32_t nheaders;
    uint32_t nroutes;
    uint32_t **header_index;   /* [route][j]: the index of its j-th header in headers */
    struct shapes shapes;
    struct route_plan *routes; /* [nroutes], by route index */
    struct node_literals *node_lits;   /* [trie->nnodes], by node id */
    uint32_t nquery_lists;     /* routes with query parameters */
    uint32_t nheader_lists;    /* routes with declared headers */
    uint32_t **guard_header_index; /* [guard][j]: the index of its j-th header in headers */
    uint32_t nguards;
    uint32_t guard_data;       /* TR_GUARD_DATA: guards that hand data to handlers */
    uint32_t content_type;     /* f.form or f.multipart: the index of Content-Type in headers */
    uint32_t nstreams;         /* streamed routes: rows of NAME_streams */
    uint32_t cookie_header;    /* f.cookie: the index of Cookie in headers */
    uint32_t cors_header[3];   /* f.cors: Origin, Access-Control-Request-Method and -Headers */
    struct config config;
    struct asset_plan assets;  /* f.assets: the embedded files' heads */
};

/* Builds the plan of a checked spec; 0, or -1 with a diagnostic. */
int plan_build(struct gen *g, struct plan *p);
void plan_free(struct plan *p);
/* The index of a declared header among the sorted, unique p->headers. */
uint32_t plan_header_position(const struct plan *p, const char *name);

/* plan_assets.c: p->assets, from the mounts' files. */
void plan_assets(const struct gen *g, struct plan *p);
void plan_assets_free(struct plan *p);

/* plan_match.c: p->node_lits, from p->trie. */
void plan_node_literals(struct plan *p);
void plan_node_literals_free(struct plan *p);

#endif
