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
    uint32_t shape;            /* ACTION_HANDLER: its thunk, in shapes */
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
    uint16_t lexer_methods;    /* the methods the request lexer knows */
    char **headers;            /* declared headers, sorted, unique (case-insensitive) */
    uint32_t nheaders;
    uint32_t nroutes;
    uint32_t **header_index;   /* [route][j]: the index of its j-th header in headers */
    struct shapes shapes;
    struct route_plan *routes; /* [nroutes], by route index */
    uint32_t nquery_lists;     /* routes with query parameters */
    uint32_t nheader_lists;    /* routes with declared headers */
    struct config config;
};

/* Builds the plan of a checked spec; 0, or -1 with a diagnostic. */
int plan_build(struct gen *g, struct plan *p);
void plan_free(struct plan *p);

#endif
