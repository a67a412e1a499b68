/*
 * assets.h - embedded files: the spec's mounts, the file tree read at
 * generation time, and each file's stored variants (assets.c), which
 * emit_assets.c writes out as NAME_assets.c.
 */
#ifndef ASSETS_H
#define ASSETS_H

#include "gen.h"

/* `mount /PREFIX/ "DIR" [index=NAME] [fallback=FILE] [cache="VALUE"]` */
struct mount {
    struct loc loc;          /* of the keyword */
    struct loc path_loc;     /* of the prefix */
    struct segment *segs;    /* the prefix, as a route's literals (no trailing "") */
    uint32_t nsegs;
    char *prefix;            /* as written, ends in '/' */
    char *dir;               /* as written, relative to the spec's directory */
    struct loc dir_loc;
    uint32_t dir_len;        /* of the token, quotes included */
    char *index;             /* file served for a directory path; NULL: none */
    char *fallback;          /* file for unmatched paths under the prefix, or NULL */
    struct loc fallback_loc;
    char *cache;             /* Cache-Control of its files, NULL: the default */
    int gzip_only;           /* store=gzip: a file with a gzip variant keeps no other */
    int broken;
};

/* `type EXT "MEDIA-TYPE"` and `cache "PATTERN" "VALUE"` settings. */
struct asset_rule {
    char *key;               /* extension, or file pattern */
    char *value;
    struct loc loc;
};

/* One stored form of a file: the bytes sent and their strong ETag. */
struct asset_variant {
    unsigned char *data;
    size_t len;
    uint64_t hash;           /* FNV-1a of the bytes: the strong ETag */
};

struct asset_file {
    char *rel;               /* DIR/sub/name as the spec names it, for messages */
    char *url;               /* the request path that serves it */
    uint32_t mount;
    char *type;              /* Content-Type value */
    const char *cache;       /* Cache-Control value */
    struct asset_variant v[2];  /* identity, gzip (len 0: not kept) */
    int gzip_only;           /* the identity bytes are not stored */
    size_t gzip_len;         /* what gzip made, kept or not (for the tables) */
};

struct assets {
    struct mount *mounts;
    uint32_t nmounts;
    struct asset_rule *types, *caches;
    uint32_t ntypes, ncaches;
    struct asset_file *files;
    uint32_t nfiles;
    uint32_t first_route;    /* the asset routes are g->routes[first_route..] */
};

/* The request fields the serving code reads, in tr_asset.h's order: the
 * generator declares them for every spec with a mount. */
extern const char *const asset_request_fields[4];

/* gzip of data at maximum effort, with a header that holds no time and
 * no name (same input, same bytes).  Returns the length; *out is malloc'd. */
size_t asset_gzip(const unsigned char *data, size_t len, unsigned char **out);

#endif
