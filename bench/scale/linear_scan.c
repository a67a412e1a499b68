/*
 * linear_scan.c - the baseline of the dispatch goal: a router that tries
 * every route in spec order and compares the request's pre-split segments
 * with the route's (a literal by length and memcmp, int and uint decoded,
 * <name> non-empty, <name..> one or more segments left).  Splitting the
 * path is done before the count, as the "comparing pre-split
 * segments" says; callgrind counts linear_match only.
 *
 *   linear_scan SPEC PATHS ROUNDS    exit 1 if a path reaches no route
 *
 * A benchmark helper, not part of the project's code: it reads the spec
 * lines bench/scale/make_spec.sh writes (METHODS PATH HANDLER ...).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { LIT, INT, UINT, STR, REST };

struct seg {
    enum kind kind;
    const char *s;
    size_t len;
};

#define MAX_SEGS 16
#define MAX_ROUTES 4096

struct route {
    int get;                    /* has GET */
    int nseg;
    struct seg seg[MAX_SEGS];
};

static struct route routes[MAX_ROUTES];
static int nroutes;

union value {
    int64_t i;
    uint64_t u;
    struct seg s;
};

static int split(char *path, struct seg *out)
{
    int n = 0;
    char *p = path + 1;
    if (*p == '\0')
        return 0;
    for (;;) {
        char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == MAX_SEGS)
            return -1;
        out[n].kind = LIT;
        out[n].s = p;
        out[n++].len = len;
        if (!e)
            return n;
        p = e + 1;
    }
}

static void add_route(char *methods, char *path)
{
    struct route *r = &routes[nroutes++];
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    r->get = strstr(methods, "GET") != NULL;
    r->nseg = split(path, r->seg);
    for (int i = 0; i < r->nseg; i++) {
        struct seg *s = &r->seg[i];
        if (s->len && s->s[0] == '<') {
            if (s->len > 4 && memcmp(s->s + s->len - 3, "..>", 3) == 0)
                s->kind = REST;
            else if (s->len > 5 && memcmp(s->s + s->len - 5, ":int>", 5) == 0)
                s->kind = INT;
            else if (s->len > 6 && memcmp(s->s + s->len - 6, ":uint>", 6) == 0)
                s->kind = UINT;
            else
                s->kind = STR;
        }
    }
}

static int digits(const char *s, size_t n, uint64_t max, uint64_t *v)
{
    uint64_t x = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9 || x > (max - d) / 10)
            return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}

static int seg_matches(const struct seg *p, const struct seg *s, union value *v)
{
    uint64_t x;
    switch (p->kind) {
    case LIT:
        return p->len == s->len && memcmp(p->s, s->s, s->len) == 0;
    case INT: {
        int neg = s->len > 0 && s->s[0] == '-';
        uint64_t max = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
        if (!digits(s->s + neg, s->len - (size_t)neg, max, &x))
            return 0;
        v->i = neg ? (int64_t)(0 - x) : (int64_t)x;
        return 1;
    }
    case UINT:
        return digits(s->s, s->len, UINT64_MAX, &v->u);
    case STR:
        v->s = *s;
        return s->len > 0;
    default:
        return 0;
    }
}

__attribute__((noinline)) int linear_match(const struct seg *segs, int n, union value *values)
{
    for (int r = 0; r < nroutes; r++) {
        const struct route *rt = &routes[r];
        int i = 0;
        if (!rt->get)
            continue;
        for (; i < rt->nseg; i++) {
            if (rt->seg[i].kind == REST) {
                if (i < n)
                    return r;
                break;
            }
            if (i >= n || !seg_matches(&rt->seg[i], &segs[i], &values[i]))
                break;
        }
        if (i == rt->nseg && i == n)
            return r;
    }
    return -1;
}

static char *slurp(const char *name)
{
    FILE *f = fopen(name, "r");
    static char bufs[2][1 << 21];
    static int which;
    char *b = bufs[which++];
    size_t n = f ? fread(b, 1, sizeof bufs[0] - 1, f) : 0;
    if (!f)
        return NULL;
    fclose(f);
    b[n] = '\0';
    return b;
}

int main(int argc, char **argv)
{
    char *spec = argc == 4 ? slurp(argv[1]) : NULL;
    char *paths = argc == 4 ? slurp(argv[2]) : NULL;
    if (!spec || !paths) {
        fprintf(stderr, "usage: linear_scan SPEC PATHS ROUNDS\n");
        return 2;
    }
    for (char *line = strtok(spec, "\n"); line; line = strtok(NULL, "\n")) {
        char methods[64], path[512];
        if (line[0] >= 'A' && line[0] <= 'Z' && sscanf(line, "%63s %511s", methods, path) == 2 &&
            nroutes < MAX_ROUTES) {
            char *copy = strdup(path);
            add_route(methods, copy);
        }
    }
    static char *list[1 << 16];
    int npaths = 0;
    for (char *line = strtok(paths, "\n"); line && npaths < (1 << 16); line = strtok(NULL, "\n"))
        list[npaths++] = line;
    int rounds = atoi(argv[3]);
    for (int k = 0; k < rounds; k++) {
        for (int i = 0; i < npaths; i++) {
            struct seg segs[MAX_SEGS];
            union value values[MAX_SEGS];
            int n = split(list[i], segs);
            if (n < 0 || linear_match(segs, n, values) < 0) {
                fprintf(stderr, "no route: %s\n", list[i]);
                return 1;
            }
        }
    }
    return 0;
}
