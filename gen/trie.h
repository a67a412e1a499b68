/*
 * trie.h - the routes as a trie of segments, the shape dispatch walks.
 *
 * Each node's children are kept in precedence order (literal, typed by
 * type, <name>, <name..>) and nodes are numbered breadth-first in that
 * order, so the same spec always gives the same numbering.
 */
#ifndef TRIE_H
#define TRIE_H

#include "gen.h"
#include "tr_methods.h"

#define NMETHODS TR_METHOD_COUNT

struct tnode {
    uint32_t id;
    uint32_t depth;            /* segments from the root */
    struct tnode *parent;
    enum seg_kind kind;        /* of the edge from the parent */
    enum param_type type;
    char *text;                /* SEG_LITERAL: the decoded bytes */
    uint32_t text_len;
    struct tnode **lits;       /* literal children, sorted by bytes */
    uint32_t nlits;
    struct tnode *typed[2];    /* PT_INT, PT_UINT */
    struct tnode *str, *rest;
    const struct route *leaf[NMETHODS];  /* the route each method reaches here */
    uint16_t leaf_methods;
    int32_t leaf_id;           /* index in the leaf table, -1 if none */
};

struct trie {
    struct tnode **nodes;      /* by id; nodes[0] is the root */
    uint32_t nnodes;
    uint32_t nleaves;
    uint32_t nlits;            /* literal edges: the perfect hash's keys */
    uint32_t max_depth;        /* deepest pattern, in segments */
    uint32_t max_params;
};

struct trie *trie_build(const struct gen *g);
void trie_free(struct trie *t);

/* The pattern of the path from the root to n, e.g. "/users/<:int>". */
void trie_node_path(const struct tnode *n, struct buf *b);

#endif
