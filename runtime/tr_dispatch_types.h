/*
 * tr_dispatch_types.h - the settings and types of a generated dispatcher.
 *
 * Included by every NAME_routes.c right after its constants block (the
 * spec's sizes and HAS_* switches) and before its tables, whose types are
 * defined here; tr_dispatch.h, after the tables, holds the code.  Not a
 * header for handlers: only NAME_routes.c includes it.
 */
#ifndef TR_DISPATCH_TYPES_H
#define TR_DISPATCH_TYPES_H


#if TR_MAX_SEGMENTS < 1 || TR_MAX_SEGMENTS > 255
#error "TR_MAX_SEGMENTS must be 1..255"
#endif

/* 1: the trie as code (fast); 0: as tables (small).  Code costs more
 * flash per route than tables, so -Os builds get the tables; so do specs
 * of more than 4,096 trie nodes, whose node functions would take gcc -O2
 * longer than the rest of a build (about 4 ms each: 8,755 nodes, 36 s). */
#ifndef TR_DISPATCH_CODE
#if defined(__OPTIMIZE_SIZE__) || NODE_COUNT > 4096
#define TR_DISPATCH_CODE 0
#else
#define TR_DISPATCH_CODE 1
#endif
#endif

/* split_path, match_path and the node functions stay functions of their
 * own (see gen/emit_match.c); benchmarks count split and match apart
 * (bench/README.md, "Dispatch").  At -Os, inlined they take less flash. */
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

#ifdef __GNUC__
#define MAYBE_UNUSED __attribute__((unused))
#else
#define MAYBE_UNUSED
#endif

#ifdef __GNUC__
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* A spec that routes "/" alone (NODE_COUNT 1) needs no path decoding:
 * any other path is not found.  Its firmware carries none of this. */
#define ROUTES_BELOW_ROOT (NODE_COUNT > 1)

#if ROUTES_BELOW_ROOT && !TR_DISPATCH_CODE
/* The kinds of children a node has, in precedence order. */
enum { ALT_LITERAL = 1, ALT_INT = 2, ALT_UINT = 4, ALT_STRING = 8, ALT_REST = 16 };

/* A trie node.  Children are node numbers; 0 means none (the root is
 * never a child).  leaf is 1 + the row in leaf_routes, or 0. */
struct node {
    uint8_t alts;               /* ALT_* of the children it has */
    node_t int_child, uint_child, str_child, rest_child;
    leaf_t leaf;
};

#if LIT_COUNT > 0
/* A literal edge: the segment's bytes are lit_pool[off .. off+len). */
struct literal {
    node_t parent, child;       /* child 0: an empty slot */
    litlen_t len;
    litoff_t off;
};
#endif

#endif /* ROUTES_BELOW_ROOT && !TR_DISPATCH_CODE */

/* The path's segments, decoded in place. */
struct walk {
    char *path;
    size_t path_len;
    uint32_t nseg;              /* segments decoded into off/len */
    uint32_t tail;              /* where undecoded segments beyond them start, 0 if none */
    uint32_t off[TR_MAX_SEGMENTS];
    uint32_t len[TR_MAX_SEGMENTS];
    uint8_t column;             /* the method's column in leaf_routes */
    uint16_t allow;             /* methods of paths that matched */
    int route;
    uint32_t rest_seg;          /* where the winning rest parameter starts */
    uint32_t rest_param;
    struct tr_match *m;
};

#endif
