/*
 * tr_dispatch.h - the dispatch code that is the same for every spec: the
 * path split into segments and percent-decoded in place, the table walk,
 * typed and rest parameters, 404/405/OPTIONS, and the query split.
 *
 * Included by every NAME_routes.c after its tables (and before its node
 * functions and handler calls), so that the spec's sizes stay constants
 * that the compiler folds and -O2 inlines as before: each spec compiles
 * its own copy, and what it does not use (HAS_*, TR_WITH_*) is not there.
 * It expects tr_dispatch_types.h and the tables: leaf_routes,
 * leaf_methods, method_column, route_has_rest (HAS_REST), and nodes,
 * lit_pool, literal_disp and literals when the trie is tables.
 *
 * The contract with the rest of the runtime is tr_app.h: dispatch_request
 * is the tr_app's dispatch.
 */
#ifndef TR_DISPATCH_H
#define TR_DISPATCH_H


#if TR_DISPATCH_CODE && (HAS_WORD_KEYS || TR_WITH_INT)
/*
 * Little-endian numbers from unaligned bytes: one load each on most CPUs
 * (memcpy), a byte swap on big-endian ones, bytes one by one where the
 * byte order is unknown.  Not every spec uses all three.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FROM_LE(bits, v) (v)
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FROM_LE(bits, v) __builtin_bswap##bits(v)
#endif

static ALWAYS_INLINE MAYBE_UNUSED uint32_t le16(const char *s)
{
#ifdef FROM_LE
    uint16_t v;
    memcpy(&v, s, sizeof v);
    return FROM_LE(16, v);
#else
    const unsigned char *u = (const unsigned char *)s;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8;
#endif
}

static ALWAYS_INLINE MAYBE_UNUSED uint32_t le32(const char *s)
{
#ifdef FROM_LE
    uint32_t v;
    memcpy(&v, s, sizeof v);
    return FROM_LE(32, v);
#else
    return le16(s) | le16(s + 2) << 16;
#endif
}

static ALWAYS_INLINE MAYBE_UNUSED uint64_t le64(const char *s)
{
#ifdef FROM_LE
    uint64_t v;
    memcpy(&v, s, sizeof v);
    return FROM_LE(64, v);
#else
    return le32(s) | (uint64_t)le32(s + 4) << 32;
#endif
}
#endif


#if ROUTES_BELOW_ROOT || TR_WITH_QUERY
static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The byte "%XX" at p[0..3) stands for, reading no further than end;
 * -1 for a malformed escape or %00 (a NUL could cut a C string short). */
static int pct_byte(const char *p, const char *end)
{
    int hi = p + 2 < end ? hexval((unsigned char)p[1]) : -1;
    int lo = hi >= 0 ? hexval((unsigned char)p[2]) : -1;
    return lo < 0 || (hi | lo) == 0 ? -1 : hi << 4 | lo;
}

#endif

#if ROUTES_BELOW_ROOT
/* RFC 3986 §3.3: "." and ".." are dot segments, refused rather than
 * resolved so that no route can be reached around a check. */
static int is_dot_segment(const char *s, size_t len)
{
    return s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.'));
}

/* A decoded byte that no single-segment value may hold unchecked: '/' and
 * '\\' (a path separator to the handler's file system), or a byte of a
 * UTF-8 sequence to be validated.  Only an escape can make one (the lexer
 * lets no raw '\\' or byte above 0x7f into a path), so the usual path,
 * without '%', never tests a byte for them. */
#define UNSAFE_BYTE(b) ((b) == '/' || (b) == '\\' || (b) >= 0x80)

/* split_path's result when some segment holds an UNSAFE_BYTE: dispatch
 * checks the values of the route that matches (values_safe). */
#define SPLIT_UNSAFE (-100)

/*
 * Decodes the segment that starts at p[i] in place (a decoded segment is
 * never longer than its raw form) and sets *end to the '/' or the path's
 * end after it; sets *odd when a decoded byte is an UNSAFE_BYTE.  Returns
 * the decoded length, or -1 for a bad escape, %00 or a dot segment.
 */
static long decode_segment(char *p, size_t i, size_t n, size_t *end, unsigned *odd)
{
    size_t start = i, out;

    /* Most segments hold no escape: find the end without writing.  p[n]
     * is a '/' sentinel (split_path), so the loop needs no bound check. */
    while (p[i] != '/' && p[i] != '%')
        i++;
    out = i;
    while (i < n && p[i] != '/') {
        if (p[i] == '%') {
            int b = pct_byte(p + i, p + n);
            if (b < 0)
                return -1;
            *odd |= UNSAFE_BYTE(b);
            p[out++] = (char)b;
            i += 3;
        } else {
            p[out++] = p[i++];
        }
    }
    *end = i;
    return out > start && is_dot_segment(p + start, out - start) ? -1 : (long)(out - start);
}

/* Checks a segment as decode_segment would, without writing: for the
 * tail beyond the deepest pattern, decoded only if a rest route wins. */
static int segment_ok(const char *p, size_t i, size_t n, size_t *end, unsigned *odd)
{
    char first[2] = { 0, 0 };
    size_t len = 0;

    while (i < n && p[i] != '/') {
        char c = p[i];
        if (c == '%') {
            int b = pct_byte(p + i, p + n);
            if (b < 0)
                return 0;
            *odd |= UNSAFE_BYTE(b);
            c = (char)b;
            i += 3;
        } else {
            i++;
        }
        if (len < 2)
            first[len] = c;
        len++;
    }
    *end = i;
    return !(len && len <= 2 && is_dot_segment(first, len));
}

/*
 * Splits the path into segments and percent-decodes them in place, up to
 * TR_MAX_SEGMENTS (one more than the deepest pattern); the rest is only
 * checked, and left for a rest parameter.  Returns 0, SPLIT_UNSAFE, or
 * TR_BAD_TARGET for a bad escape, %00 or a dot segment anywhere in the path.
 */
static int split_segments(struct walk *w, char *p, size_t i, size_t n);

/* Not at -Os: the byte loop of split_segments is the smaller. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ \
    && !defined(__OPTIMIZE_SIZE__)
/* The high bit of each byte of v that is zero, and of no other. */
#define ZERO_BYTES(v) (~((((v) & 0x7f7f7f7f7f7f7f7fu) + 0x7f7f7f7f7f7f7f7fu) | (v) | 0x7f7f7f7f7f7f7f7fu))

/* split_plain found something only split_segments handles. */
#define SPLIT_GENERAL 1

/* Records the segment p[start, end) of a path without escapes. */
static int plain_segment(struct walk *w, const char *p, size_t start, size_t end)
{
    if (w->nseg == TR_MAX_SEGMENTS)
        return SPLIT_GENERAL;   /* a tail beyond the deepest pattern */
    if (end > start && is_dot_segment(p + start, end - start))
        return TR_BAD_TARGET;
    w->off[w->nseg] = (uint32_t)start;
    w->len[w->nseg++] = (uint32_t)(end - start);
    return 0;
}

/*
 * The common case of split_segments: a path without '%', eight bytes a
 * step, each '/' in them found from a bit mask rather than a compare a
 * byte.  Returns 0, TR_BAD_TARGET, or SPLIT_GENERAL (an escape, or more
 * segments than are decoded) with w->nseg to be reset.
 */
static int split_plain(struct walk *w, const char *p, size_t n)
{
    size_t i = 1, start = 1;
    int rc;

    for (; i + 8 <= n; i += 8) {
        uint64_t v, slashes;
        memcpy(&v, p + i, 8);
        if (ZERO_BYTES(v ^ 0x2525252525252525u))
            return SPLIT_GENERAL;
        for (slashes = ZERO_BYTES(v ^ 0x2f2f2f2f2f2f2f2fu); slashes; slashes &= slashes - 1) {
            size_t at = i + (size_t)__builtin_ctzll(slashes) / 8;
            if ((rc = plain_segment(w, p, start, at)) != 0)
                return rc;
            start = at + 1;
        }
    }
    for (; i < n; i++) {
        if (p[i] == '%')
            return SPLIT_GENERAL;
        if (p[i] == '/') {
            if ((rc = plain_segment(w, p, start, i)) != 0)
                return rc;
            start = i + 1;
        }
    }
    return plain_segment(w, p, start, n);
}
#endif

static NOINLINE int split_path(struct walk *w, char *p, size_t n)
{
    size_t i = 1;

    w->path = p;
    w->path_len = n;
    w->nseg = 0;
    w->tail = 0;
    if (n <= 1)
        return 0;               /* "/": no segments */
#ifdef SPLIT_GENERAL
    int plain = split_plain(w, p, n);
    if (plain != SPLIT_GENERAL)
        return plain;
    w->nseg = 0;
#endif
    char saved = p[n];
    p[n] = '/';                 /* the sentinel decode_segment stops at */
    int rc = split_segments(w, p, i, n);
    p[n] = saved;
    return rc;
}

static int split_segments(struct walk *w, char *p, size_t i, size_t n)
{
    size_t end;
    unsigned odd = 0;

    for (;;) {
        if (w->nseg < TR_MAX_SEGMENTS) {
            long len = decode_segment(p, i, n, &end, &odd);
            if (len < 0)
                return TR_BAD_TARGET;
            w->off[w->nseg] = (uint32_t)i;
            w->len[w->nseg++] = (uint32_t)len;
        } else {
            if (!w->tail)
                w->tail = (uint32_t)i;
            if (!segment_ok(p, i, n, &end, &odd))
                return TR_BAD_TARGET;
        }
        if (end == n)
            return odd ? SPLIT_UNSAFE : 0;
        i = end + 1;
    }
}

#endif /* ROUTES_BELOW_ROOT */

#if LIT_COUNT > 0 && ROUTES_BELOW_ROOT && !TR_DISPATCH_CODE
/* The literal child of `parent` spelled s[0..len), or 0. */
static node_t literal_child(uint32_t parent, const char *s, uint32_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t h = 2166136261u, i = 0;

    /* FNV-1a over little-endian 32-bit words, then bytes: the generator's
     * phash_bytes(); assembled bytewise, so every CPU gets the same value. */
    for (; i + 4 <= len; i += 4)
        h = (h ^ ((uint32_t)u[i] | (uint32_t)u[i + 1] << 8 | (uint32_t)u[i + 2] << 16 |
                  (uint32_t)u[i + 3] << 24)) * 16777619u;
    for (; i < len; i++)
        h = (h ^ u[i]) * 16777619u;
    h ^= LIT_SEED ^ (parent * 0x9E3779B1u);
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    h ^= h >> 16;
    const struct literal *e =
        &literals[((h * 0x9E3779B1u) >> (32 - LIT_SLOT_BITS)) ^ literal_disp[h & (LIT_BUCKETS - 1)]];
    if (e->parent != parent || e->len != len)
        return 0;
    /* Segments are short: compare in place rather than call memcmp. */
    const char *t = lit_pool + e->off;
    /* (A pool shorter than a word has no word to compare: gcc -Os would
     * warn of the read it cannot prove dead.) */
    for (i = 0; sizeof lit_pool > 4 && i + 4 <= len; i += 4) {
        uint32_t a, b;
        memcpy(&a, t + i, 4);
        memcpy(&b, s + i, 4);
        if (a != b)
            return 0;
    }
    for (; i < len; i++)
        if (t[i] != s[i])
            return 0;
    return e->child;
}
#endif

#if TR_WITH_INT
#if TR_DISPATCH_CODE
/* 1 to 18 digits into *v: 1, or 0 for a byte that is not a digit.  A
 * number that short never passes either limit, so the loop does not
 * compare with it: speed over size for the usual case of decode_int and
 * decode_uint. */
static ALWAYS_INLINE int short_digits(const char *s, uint32_t n, uint64_t *v)
{
    uint64_t x = 0;

    for (const char *end = s + n; s < end; s++) {
        uint64_t d = (uint64_t)(unsigned char)*s - '0';
        if (d > 9)
            return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}
#endif

/*
 * Decimal digits into *v, no overflow past max = limit * 10 + last (the
 * callers' constants: no division at run time): 1, or 0 when not digits.
 */
static int decode_digits(const char *s, uint32_t n, uint64_t limit, unsigned last, uint64_t *v)
{
    uint64_t x = 0;

    if (n == 0)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9 || x > limit || (x == limit && d > last))
            return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}

/* Decimal int64: optional '-', digits, no '+', no overflow.  (The node
 * code of a spec with uint segments only calls no decode_int.) */
static MAYBE_UNUSED int decode_int(const char *s, uint32_t n, int64_t *out)
{
    int neg = n > 0 && s[0] == '-';
    uint64_t v;

#if TR_DISPATCH_CODE
    if (n - (uint32_t)neg - 1u < 18u) {
        if (!short_digits(s + neg, n - (uint32_t)neg, &v))
            return 0;
        *out = neg ? (int64_t)(0 - v) : (int64_t)v;
        return 1;
    }
#endif
    /* The limit is INT64_MAX, or INT64_MAX + 1 (…808) with a '-'. */
    if (!decode_digits(s + neg, n - (uint32_t)neg, (uint64_t)INT64_MAX / 10,
                       (unsigned)(INT64_MAX % 10) + (unsigned)neg, &v))
        return 0;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

/* Decimal uint64: digits only, no overflow. */
static MAYBE_UNUSED int decode_uint(const char *s, uint32_t n, uint64_t *out)
{
#if TR_DISPATCH_CODE
    if (n - 1u < 18u)
        return short_digits(s, n, out);
#endif
    return decode_digits(s, n, UINT64_MAX / 10, (unsigned)(UINT64_MAX % 10), out);
}
#endif

/* A bool query, form, JSON or cookie value: true, 1 or on is 1; false, 0
 * or off is 0 (lower case, as HTML checkboxes send "on"); anything else
 * fails.  Compiled only into specs with bool values (unused, it is not). */
static MAYBE_UNUSED int decode_bool(const char *s, uint32_t n, int *out)
{
    static const char words[][6] = { "false", "0", "off", "true", "1", "on" };
    for (unsigned i = 0; i < 6; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) {
            *out = i >= 3;
            return 1;
        }
    return 0;
}

/* Does the leaf (1 + a row of leaf_routes, 0 for none) end a route for the
 * request's method?  Otherwise it remembers the methods it has, for 405
 * and OPTIONS.  Not inlined into every node function: a fifth less code
 * and compile time there, for a call at the end of the path. */
static NOINLINE int at_leaf(struct walk *w, uint32_t leaf)
{
    if (!leaf--)
        return 0;
    if (w->column < LEAF_COLUMNS) {
        int r = leaf_routes[leaf][w->column];
        if (r != NO_ROUTE) {
            w->route = r;
            return 1;
        }
    }
    w->allow |= leaf_methods[leaf];
#if TR_WITH_CORS
    /* A preflight is answered by the CORS rule of the path's routes. */
    for (unsigned c = 0; w->m->near < 0 && c < LEAF_COLUMNS; c++)
        if (leaf_routes[leaf][c] != NO_ROUTE)
            w->m->near = leaf_routes[leaf][c];
#endif
    return 0;
}

#if HAS_REST
/*
 * A rest parameter needs a value once normalize_rest (below) has dropped
 * its empty parts: a byte other than '/' from segment d on, where a
 * decoded segment may hold a '/' of its own (%2F) and the undecoded tail
 * may spell one so.
 */
static int rest_nonempty(const struct walk *w, uint32_t d)
{
    const char *p = w->path;

    for (; d < w->nseg; d++)
        for (uint32_t i = 0; i < w->len[d]; i++)
            if (p[w->off[d] + i] != '/')
                return 1;
    for (size_t i = w->tail; w->tail && i < w->path_len; i++) {
        if (p[i] == '%' && pct_byte(p + i, p + w->path_len) == '/')
            i += 2;
        else if (p[i] != '/')
            return 1;
    }
    return 0;
}

/* The rest child at segment d, parameter np, ending in leaf (as at_leaf
 * takes it): a match if there is a value and the leaf has the request's
 * method. */
static int rest_match(struct walk *w, uint32_t d, uint32_t np, uint32_t leaf)
{
    if (!rest_nonempty(w, d) || !at_leaf(w, leaf))
        return 0;
    w->rest_seg = d;
    w->rest_param = np;
    return 1;
}

/* memmove, but a part already in place (the usual case) is not copied;
 * at -Os (the tables) the call alone takes less flash. */
static void move_down(char *to, const char *from, size_t n)
{
#if TR_DISPATCH_CODE
    if (to == from)
        return;
#endif
    memmove(to, from, n);
}

/*
 * A decoded %2F makes a '/' inside a segment, so the joined value is split
 * again: empty parts are dropped and a "." or ".." part is refused (-1),
 * so that "..%2Fetc" can never hand a handler a path that climbs out.
 */
static int normalize_rest(char *s, size_t n, tr_str *value)
{
    size_t r = 0, w = 0;

    while (r < n) {
        size_t b = r;
        while (r < n && s[r] != '/')
            r++;
        if (r > b && is_dot_segment(s + b, r - b))
            return -1;
        if (r > b) {
            if (w)
                s[w++] = '/';
            move_down(s + w, s + b, r - b);
            w += r - b;
        }
        r++;
    }
    *value = (tr_str){ s, w };
    return 0;
}

/* Joins the non-empty segments from d on with '/', in place: the decoded
 * ones, then the tail, decoded now (split_path checked it).  Every byte is
 * written at or before the position it is read from, so nothing is
 * overwritten before it is read.  0, or -1 for a dot part (normalize_rest). */
static int join_rest(struct walk *w, uint32_t d, tr_str *value)
{
    char *p = w->path, *start = p + w->off[d], *out = start;
    size_t i = w->tail, n = w->path_len;

    for (; d < w->nseg; d++) {
        if (!w->len[d])
            continue;
        if (out != start)
            *out++ = '/';
        move_down(out, p + w->off[d], w->len[d]);
        out += w->len[d];
    }
    while (w->tail && i < n) {
        char *seg = out + (out != start), *o = seg;
        for (; i < n && p[i] != '/'; o++) {
            if (p[i] == '%') {
                *o = (char)pct_byte(p + i, p + n);
                i += 3;
            } else {
                *o = p[i++];
            }
        }
        if (o > seg) {          /* empty segments are dropped */
            if (out != start)
                *out = '/';
            out = o;
        }
        i++;                    /* the '/' */
    }
    return normalize_rest(start, (size_t)(out - start), value);
}
#endif

#if ROUTES_BELOW_ROOT && !TR_DISPATCH_CODE
/* Where to come back to: a node, its depth, and the kinds left to try. */
struct frame {
    uint32_t node, d, np;
    unsigned next;              /* the lowest ALT_* not yet tried */
};

/*
 * Depth-first in precedence order, the first route found wins: at each
 * node the literal child (one hash probe), then int, uint, <name> and
 * <name..>.  Only a node with an untried kind left is remembered for
 * backtracking, so the usual path, with one kind of child per node, walks
 * straight down without touching the stack.
 */
static int walk(struct walk *w)
{
    struct frame stack[TR_MAX_SEGMENTS + 1];
    unsigned top = 0, next = ALT_LITERAL;
    uint32_t n = 0, d = 0, np = 0;

    for (;;) {
        const struct node *nd = &nodes[n];
        unsigned todo = nd->alts & ~(next - 1u), took = 0;
        uint32_t child = 0;

        if (d == w->nseg) {
            if (!w->tail && at_leaf(w, nd->leaf))
                return 1;
            todo = 0;
        }
        const char *seg = w->path + w->off[d < w->nseg ? d : 0];
        uint32_t len = d < w->nseg ? w->len[d] : 0;
        (void)seg;              /* unused when the spec has no such segments */
        (void)len;
#if LIT_COUNT > 0
        if (todo & ALT_LITERAL) {
            took = ALT_LITERAL;
            child = literal_child(n, seg, len);
        }
#endif
#if TR_WITH_INT && TR_MAX_PARAMS > 0   /* (a spec may have int query values only) */
        if (!child && (todo & ALT_INT) && decode_int(seg, len, &w->m->param[np].i)) {
            took = ALT_INT;
            child = nd->int_child;
        }
        if (!child && (todo & ALT_UINT) && decode_uint(seg, len, &w->m->param[np].u)) {
            took = ALT_UINT;
            child = nd->uint_child;
        }
#endif
#if HAS_STRING
        if (!child && (todo & ALT_STRING) && len) {
            w->m->param[np].s = (tr_str){ seg, len };
            took = ALT_STRING;
            child = nd->str_child;
        }
#endif
#if HAS_REST
        if (!child && (todo & ALT_REST) && rest_match(w, d, np, nodes[nd->rest_child].leaf))
            return 1;
#endif
        if (child) {
            if (todo & ~((took << 1) - 1u))
                stack[top++] = (struct frame){ n, d, np, took << 1 };
            np += took != ALT_LITERAL;
            n = child;
            d++;
            next = ALT_LITERAL;
            continue;
        }
        if (top == 0)
            return 0;
        top--;
        n = stack[top].node;
        d = stack[top].d;
        np = stack[top].np;
        next = stack[top].next;
    }
}

#define MATCH_ROOT walk
#endif /* ROUTES_BELOW_ROOT && !TR_DISPATCH_CODE */

#if ROUTES_BELOW_ROOT && TR_DISPATCH_CODE
#if HAS_WORD_KEYS
/*
 * The bytes s[0..len), 1 <= len <= 8, as one number: byte i at bits 8i
 * whatever the CPU's byte order, the first and last halves overlapping
 * when len is not a power of two, so two literals of one length never
 * share a key; up to 4 bytes make a 32-bit key.  The generator computes
 * the same for every literal (gen/emit_match.c); len is a constant at
 * every call, so this folds to one or two loads.
 */
static ALWAYS_INLINE uint64_t word_key(const char *s, uint32_t len)
{
    if (len >= 8)
        return le64(s);
    if (len > 4)
        return le32(s) | (uint64_t)le32(s + len - 4) << 32;
    if (len == 4)
        return le32(s);
    if (len >= 2)
        return le16(s) | le16(s + len - 2) << 16;
    return (unsigned char)s[0];
}

/* Which of 1 << bits buckets a key falls in, for a node with many literals
 * of one length (the generator chose mul to spread them; few specs have
 * such a node). */
static ALWAYS_INLINE MAYBE_UNUSED uint32_t key_bucket(uint64_t k, uint32_t mul, unsigned bits)
{
    return ((uint32_t)k ^ (uint32_t)(k >> 32)) * mul >> (32 - bits);
}
#endif

/* The node functions, generated after this header (gen/emit_match.c). */
static int node_0(struct walk *w);

#define MATCH_ROOT node_0
#endif /* ROUTES_BELOW_ROOT && TR_DISPATCH_CODE */

#if ROUTES_BELOW_ROOT
/*
 * Matches the split path: 1 with w->route set, 0 for none (w->allow holds
 * the methods the path has), or TR_BAD_TARGET for a rest value that climbs
 * out.  A rest parameter's value is joined here, so that this function is
 * all of the match, up to the handler's parameters.
 */
static NOINLINE int match_path(struct walk *w)
{
    if (!MATCH_ROOT(w))
        return 0;
#if HAS_REST
    if (route_has_rest[w->route] && join_rest(w, w->rest_seg, &w->m->param[w->rest_param].s) < 0)
        return TR_BAD_TARGET;
#endif
    return 1;
}
#endif /* ROUTES_BELOW_ROOT */

#if ROUTES_BELOW_ROOT
/* 1 if s[0..n) is UTF-8 (RFC 3629: no overlong form, no surrogate, at most
 * U+10FFFF) and, for a single segment's value, holds no '/' or '\\'. */
static int value_ok(const unsigned char *s, size_t n, int single)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i++];
        if (c < 0x80) {
            if (single && (c == '/' || c == '\\'))
                return 0;
            continue;
        }
        /* A lead byte: C2-DF, E0-EF or F0-F4 (C0 and C1 only start
         * overlong forms of ASCII). */
        unsigned more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        if (c - 0xc2 > 0xf4 - 0xc2 || n - i < more)
            return 0;
        uint32_t cp = c & (0x3fu >> more);
        for (unsigned k = 0; k < more; k++, i++) {
            if ((s[i] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i] & 0x3fu);
        }
        /* Not overlong: at least 0x800 for three bytes, 0x10000 for four
         * (1 << 11, 1 << 16; two bytes from C2 are at least 0x80). */
        if (cp < 1u << (5 * more + 1) || cp > 0x10ffff || (cp >> 11) == 0x1b)  /* 0x1b: D800-DFFF */
            return 0;
    }
    return 1;
}

/*
 * The path held an UNSAFE_BYTE (SPLIT_UNSAFE) and w->route matched: 1 if
 * its values may still reach the handler.  A single-segment value (a
 * <name>: the segments before a rest parameter, as literals and numbers
 * never hold such bytes) may hold no '/' or '\\', so that "..%2F..%2Fetc"
 * never names a file above the handler's directory; every value, a rest
 * one too, must be UTF-8.  (Dot segments and %00 never get this far.)
 */
static int values_safe(const struct walk *w)
{
    uint32_t segs = w->nseg;

#if HAS_REST
    if (route_has_rest[w->route]) {
        const tr_str *v = &w->m->param[w->rest_param].s;
        if (!value_ok((const unsigned char *)v->ptr, v->len, 0))
            return 0;
        segs = w->rest_seg;
    }
#endif
    for (uint32_t d = 0; d < segs; d++)
        if (!value_ok((const unsigned char *)w->path + w->off[d], w->len[d], 1))
            return 0;
    return 1;
}
#endif /* ROUTES_BELOW_ROOT */

#if ROUTES_BELOW_ROOT
/* match_path for a path that held an UNSAFE_BYTE: the rare way, apart, so
 * that the usual one keeps no more registers than it needs. */
static NOINLINE int match_checked(struct walk *w)
{
    int rc = match_path(w);
    return rc > 0 && !values_safe(w) ? TR_BAD_TARGET : rc;
}
#endif

static int dispatch_request(struct tr_request *rq, struct tr_match *m)
{
    struct walk w;
    int rc;
    char first = rq->path[0];   /* read once: the stores below may alias it */

    m->allow = 0;
#if TR_WITH_CORS
    m->near = -1;
#endif
    if (first != '/') {
        /* OPTIONS * or CONNECT's authority-form (RFC 9112 §3.2.3): no
         * route serves them; Allow lists the server's methods (RFC 9110
         * §15.5.6). */
        m->allow = ALL_METHODS;
#if TR_WITH_OPTIONS
        m->allow |= 1u << TR_OPTIONS;
        /* RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole. */
        if (rq->path_len == 1 && first == '*')
            return TR_AUTO_OPTIONS;
#endif
        return TR_WRONG_METHOD;
    }
    w.column = method_column[rq->method < TR_METHOD_COUNT ? rq->method : TR_METHOD_COUNT];
    w.allow = 0;
    w.route = -1;
    w.m = m;
#if ROUTES_BELOW_ROOT
    rc = split_path(&w, rq->path, rq->path_len);
    if (rc == 0)
        rc = match_path(&w);
    else if (rc == SPLIT_UNSAFE)
        rc = match_checked(&w);
    if (rc < 0)
        return rc;
#else
    /* Every route is "/": the root is the only node, and leaf 1. */
    rc = rq->path_len == 1 && at_leaf(&w, 1);
    if (rq->path_len > 1)
        return TR_NOT_FOUND;
#endif
    if (rc)
        return w.route;
    if (!w.allow)
        return TR_NOT_FOUND;
    m->allow = w.allow;
#if TR_WITH_OPTIONS
    m->allow |= 1u << TR_OPTIONS;   /* every path answers OPTIONS */
    if (rq->method == TR_OPTIONS)
        return TR_AUTO_OPTIONS;
#endif
    return TR_WRONG_METHOD;
}

#if TR_WITH_QUERY
/*
 * Finds the spec's query parameters in one pass over the query: each
 * name=value pair whose name is wanted (and not yet seen) has its value
 * percent-decoded in place ('+' is a space).  Returns 0, or -1 for a bad
 * escape or %00.
 */
static int split_query(tr_str q, const char *const *names, uint32_t n, tr_str *values)
{
    char *p = (char *)q.ptr, *end = p + q.len;

    for (uint32_t i = 0; i < n; i++)
        values[i] = (tr_str){ NULL, 0 };
    while (p && p < end) {
        char *amp = memchr(p, '&', (size_t)(end - p)), *pair_end = amp ? amp : end;
        char *eq = memchr(p, '=', (size_t)(pair_end - p)), *key_end = eq ? eq : pair_end;
        for (uint32_t i = 0; i < n; i++) {
            size_t klen = strlen(names[i]);
            if (values[i].ptr || (size_t)(key_end - p) != klen || memcmp(p, names[i], klen))
                continue;
            char *v = eq ? eq + 1 : pair_end, *out = v;
            for (char *s = v; s < pair_end; s++) {
                if (*s == '%') {
                    int b = pct_byte(s, pair_end);
                    if (b < 0)
                        return -1;
                    *out++ = (char)b;
                    s += 2;
                } else {
                    *out++ = *s == '+' ? ' ' : *s;
                }
            }
            values[i] = (tr_str){ v, (size_t)(out - v) };
            break;
        }
        p = amp ? amp + 1 : end;
    }
    return 0;
}
#endif /* TR_WITH_QUERY */

#endif
