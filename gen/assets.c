/*
 * assets.c - embedded files: the `mount` line and the `type` and `cache`
 * settings (called by the grammar and model.c), then the tree of each
 * mount read at generation time into routes whose action is ACTION_ASSET,
 * appended after the spec's own routes so that check.c finds a file and
 * a handler route on one path as it finds any two routes.
 *
 * Everything the device would otherwise compute is decided here: the
 * Content-Type (one table, overridable per extension), Cache-Control, the
 * gzip variant and each variant's strong ETag.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "grammar.h"

const char *const asset_request_fields[4] = {
    "Accept-Encoding", "If-None-Match", "Range", "If-Range",
};

/* The web's common types by extension; `text` ones get a charset. */
static const struct {
    const char *ext, *type;
    int text;
} media_types[] = {
    { "css", "text/css", 1 },
    { "gif", "image/gif", 0 },
    { "htm", "text/html", 1 },
    { "html", "text/html", 1 },
    { "ico", "image/vnd.microsoft.icon", 0 },
    { "jpeg", "image/jpeg", 0 },
    { "jpg", "image/jpeg", 0 },
    { "js", "text/javascript", 1 },
    { "json", "application/json", 1 },
    { "map", "application/json", 1 },
    { "mjs", "text/javascript", 1 },
    { "pdf", "application/pdf", 0 },
    { "png", "image/png", 0 },
    { "svg", "image/svg+xml", 1 },
    { "txt", "text/plain", 1 },
    { "wasm", "application/wasm", 0 },
    { "webp", "image/webp", 0 },
    { "woff2", "font/woff2", 0 },
    { "xml", "application/xml", 1 },
};

/* Without a `cache` rule or option, a client revalidates every time:
 * cheap with ETags (a 304 is a head), and never stale after an update. */
#define DEFAULT_CACHE "no-cache"

/* A gzip variant is kept only when it saves at least an eighth of the
 * bytes and at least 64 of them: less is not worth its flash and its
 * second head. */
#define GZIP_MIN_SAVING(len) ((len) / 8 > 64 ? (len) / 8 : 64)

static struct assets *assets_of(struct gen *g)
{
    if (!g->assets)
        g->assets = xcalloc(1, sizeof *g->assets);
    return g->assets;
}

static int tok_is(const struct token *t, const char *s)
{
    return strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* A STRING token's text without its quotes. */
static char *unquote(const struct token *t)
{
    return xstrndup(t->s + 1, t->len - 2);
}

/* RFC 9110 §5.5 field-value: visible ASCII, blanks inside, obs-text. */
static int valid_field_value(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t')
            return 0;
    return 1;
}

/* Checks a value token for a field value; returns it unquoted or NULL. */
static char *field_value(struct gen *g, const struct token *v, const char *what)
{
    if (v->kind != TK_STRING) {
        diag_error(&g->diag, v->loc, v->len, "%s is a quoted string: \"%.*s\"", what, (int)v->len, v->s);
        return NULL;
    }
    char *s = unquote(v);
    if (!valid_field_value(s)) {
        diag_error(&g->diag, v->loc, v->len,
                   "%s must be a header field value: no control characters, no blanks at its ends", what);
        free(s);
        return NULL;
    }
    return s;
}

/* ---- the spec ---- */

void model_mount_start(struct gen *g, const struct token *kw)
{
    g->cur.action = ACTION_ASSET;
    g->cur.loc = kw->loc;
    g->cur.errors_before = g->diag.errors;
    struct assets *a = assets_of(g);
    struct mount *m = VEC_PUSH(a->mounts, a->nmounts);
    m->loc = kw->loc;
    m->broken = 1;          /* until model_mount_end sees it whole */
}

static struct mount *cur_mount(struct gen *g)
{
    return &g->assets->mounts[g->assets->nmounts - 1];
}

void model_mount_dir(struct gen *g, const struct token *dir)
{
    struct mount *m = cur_mount(g);

    m->dir = unquote(dir);
    m->dir_loc = dir->loc;
    m->dir_len = dir->len;
    m->index = xstrndup("index.html", 10);
    if (!m->dir[0])
        diag_error(&g->diag, dir->loc, dir->len, "a mount's directory is not empty: \"www\"");
}

/* Is s one file name of the tree (no '/', not "." or "..")? */
static int plain_name(const char *s)
{
    return s[0] && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

int assets_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    if (g->cur.action != ACTION_ASSET)
        return 0;
    struct mount *m = cur_mount(g);
    const struct token *v = nvals == 1 ? &vals[0] : NULL;

    g->nvalues = 0;
    g->values_dropped = 0;
    if (tok_is(key, "index") && v) {
        free(m->index);
        m->index = tok_is(v, "off") ? NULL : v->kind == TK_STRING ? unquote(v) : xstrndup(v->s, v->len);
        if (m->index && !plain_name(m->index))
            diag_error(&g->diag, v->loc, v->len, "'index=' takes a file name without '/', or off");
    } else if (tok_is(key, "fallback") && v) {
        free(m->fallback);      /* given twice: the last wins */
        m->fallback = v->kind == TK_STRING ? unquote(v) : xstrndup(v->s, v->len);
        m->fallback_loc = v->loc;
        if (m->fallback[0] == '/' || !m->fallback[0])
            diag_error(&g->diag, v->loc, v->len, "'fallback=' takes a file of the mount, such as index.html");
    } else if (tok_is(key, "store") && v && (tok_is(v, "gzip") || tok_is(v, "both"))) {
        m->gzip_only = tok_is(v, "gzip");
    } else if (tok_is(key, "cache") && v) {
        free(m->cache);
        m->cache = field_value(g, v, "'cache='");
    } else {
        diag_error(&g->diag, key->loc, key->len,
                   "unknown or incomplete mount option '%.*s'; expected index=NAME, "
                   "fallback=FILE, cache=\"VALUE\" or store=gzip|both", (int)key->len, key->s);
    }
    return 1;
}

/* The prefix must be literals and end in '/': it names a directory. */
static void take_prefix(struct gen *g, struct mount *m)
{
    struct route *r = &g->cur;

    m->path_loc = r->path_loc;
    m->prefix = xstrndup(r->pat_start, (size_t)(r->pat_end - r->pat_start));
    for (uint32_t i = 0; i < r->nsegs; i++)
        if (r->segs[i].kind != SEG_LITERAL || r->nquery) {
            diag_error(&g->diag, r->path_loc, (uint32_t)strlen(m->prefix),
                       "a mount's path is literal: no parameters, no query");
            return;
        }
    if (r->nsegs && r->segs[r->nsegs - 1].text_len != 0) {
        diag_error(&g->diag, r->path_loc, (uint32_t)strlen(m->prefix),
                   "a mount's path names a directory: end it with '/' (%s/)", m->prefix);
        return;
    }
    m->segs = r->segs;
    m->nsegs = r->nsegs ? r->nsegs - 1 : 0;
    free(m->nsegs < r->nsegs ? r->segs[m->nsegs].text : NULL);
    r->segs = NULL;
    r->nsegs = 0;
}

void model_mount_end(struct gen *g)
{
    struct mount *m = cur_mount(g);

    if (g->cur.pat_start)
        take_prefix(g, m);
    m->broken = g->diag.errors > g->cur.errors_before;
    model_route_discard(g);
}

static void add_rule(struct gen *g, struct asset_rule **v, uint32_t *n, const struct token *key,
                     char *k, const struct token *val, const char *what)
{
    char *value = field_value(g, val, what);
    if (!value) {
        free(k);
        return;
    }
    struct asset_rule *r = VEC_PUSH(*v, *n);
    r->key = k;
    r->value = value;
    r->loc = key->loc;
}

int assets_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    int type = tok_is(key, "type");
    if (!type && !tok_is(key, "cache"))
        return 0;
    struct assets *a = assets_of(g);
    g->nvalues = 0;
    g->values_dropped = 0;
    if (nvals != 2 || (type ? vals[0].kind != TK_WORD : vals[0].kind != TK_STRING)) {
        diag_error(&g->diag, key->loc, key->len,
                   type ? "'type' takes an extension and a media type: type wasm \"application/wasm\""
                        : "'cache' takes a file pattern and a value: cache \"*.html\" \"no-cache\"");
        return 1;
    }
    if (type)
        add_rule(g, &a->types, &a->ntypes, key, xstrndup(vals[0].s, vals[0].len), &vals[1], "a media type");
    else
        add_rule(g, &a->caches, &a->ncaches, key, unquote(&vals[0]), &vals[1], "a Cache-Control value");
    return 1;
}

/* ---- the tree ---- */

/* What a file name may hold to be a path segment as it is: RFC 3986
 * unreserved and sub-delims, ':' and '@'.  Anything else ('%', blanks,
 * '?', '#', non-ASCII) would need an escape the name does not have. */
static int path_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~!$&'()*+,;=:@", c));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory, sorted by bytes (readdir's order is the
 * file system's); NULL and a diagnostic if it cannot be read. */
static char **list_dir(struct gen *g, const struct mount *m, const char *path, uint32_t *n)
{
    DIR *d = opendir(path);
    char **names = NULL;
    struct dirent *e;

    *n = 0;
    if (!d) {
        diag_error(&g->diag, m->dir_loc, m->dir_len, "cannot read directory '%s': %s", path, strerror(errno));
        return NULL;
    }
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            *(char **)VEC_PUSH(names, *n) = xstrndup(e->d_name, strlen(e->d_name));
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, by_name);
    return names;
}

struct walk {
    struct gen *g;
    uint32_t mount;
    char root[PATH_MAX];     /* the mount's directory, resolved */
    size_t root_len;
};

static int inside(const struct walk *w, const char *real)
{
    return strncmp(real, w->root, w->root_len) == 0 &&
           (real[w->root_len] == '/' || real[w->root_len] == '\0');
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct buf b = { 0 };
    char chunk[8192];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    buf_put(&b, "", 0);
    if (bad) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return (unsigned char *)b.data;
}

static void add_file(struct walk *w, const char *path, const char *rel, const char *url)
{
    struct gen *g = w->g;
    const struct mount *m = &g->assets->mounts[w->mount];
    struct asset_file *f = VEC_PUSH(g->assets->files, g->assets->nfiles);

    f->rel = xstrndup(rel, strlen(rel));
    f->url = xstrndup(url, strlen(url));
    f->mount = w->mount;
    f->v[0].data = read_all(path, &f->v[0].len);
    if (!f->v[0].data) {
        diag_error(&g->diag, m->dir_loc, m->dir_len, "cannot read '%s': %s", rel, strerror(errno));
        f->v[0].data = (unsigned char *)xstrndup("", 0);
        f->v[0].len = 0;
    }
}

/* Reads dir (path on disk, rel as the spec names it, url its request
 * path, ending in '/') depth-first in sorted order. */
static void walk_dir(struct walk *w, const char *path, const char *rel, const char *url, int depth)
{
    struct gen *g = w->g;
    const struct mount *m = &g->assets->mounts[w->mount];
    uint32_t n;
    char **names = list_dir(g, m, path, &n);

    for (uint32_t i = 0; i < n; i++) {
        const char *name = names[i];
        struct buf p = { 0 }, r = { 0 }, u = { 0 };
        struct stat st;
        buf_printf(&p, "%s/%s", path, name);
        buf_printf(&r, "%s/%s", rel, name);
        buf_printf(&u, "%s%s", url, name);
        const char *bad = name;
        while (*bad && path_char((unsigned char)*bad))
            bad++;
        if (*bad) {
            unsigned char c = (unsigned char)*bad;
            char shown[16];
            snprintf(shown, sizeof shown, c > 0x20 && c < 0x7f ? "'%c'" : "byte 0x%02x", c);
            diag_error(&g->diag, m->dir_loc, m->dir_len,
                       "'%s' cannot be a path: %s is not a path character (letters, digits, "
                       "-._~!$&'()*+,;=:@); rename it", r.data, shown);
        } else if (lstat(p.data, &st) != 0) {
            diag_error(&g->diag, m->dir_loc, m->dir_len, "cannot read '%s': %s", r.data, strerror(errno));
        } else {
            char real[PATH_MAX];
            int link = S_ISLNK(st.st_mode);
            if (link && (!realpath(p.data, real) || !inside(w, real) || stat(p.data, &st) != 0)) {
                diag_error(&g->diag, m->dir_loc, m->dir_len,
                           "'%s' is a symbolic link that leaves the mounted tree", r.data);
            } else if (S_ISDIR(st.st_mode) && (link || depth >= 32)) {
                diag_error(&g->diag, m->dir_loc, m->dir_len, link
                           ? "'%s' is a symbolic link to a directory: not followed (it could loop)"
                           : "'%s' is nested too deep (32 directories)", r.data);
            } else if (S_ISDIR(st.st_mode)) {
                buf_puts(&u, "/");
                walk_dir(w, p.data, r.data, u.data, depth + 1);
            } else if (S_ISREG(st.st_mode)) {
                add_file(w, p.data, r.data, u.data);
            } else {
                diag_error(&g->diag, m->dir_loc, m->dir_len, "'%s' is not a regular file", r.data);
            }
        }
        buf_free(&p), buf_free(&r), buf_free(&u);
        free(names[i]);
    }
    free(names);
}

/* The spec's directory: mounts are relative to it. */
static char *spec_dir(const struct gen *g)
{
    const char *slash = strrchr(g->diag.file, '/');
    return slash ? xstrndup(g->diag.file, (size_t)(slash - g->diag.file)) : xstrndup(".", 1);
}

static void read_mount(struct gen *g, uint32_t i)
{
    struct mount *m = &g->assets->mounts[i];
    struct walk w = { .g = g, .mount = i };
    char *base = spec_dir(g);
    struct buf path = { 0 };

    if (m->dir[0] == '/')
        buf_puts(&path, m->dir);
    else
        buf_printf(&path, "%s/%s", base, m->dir);
    if (!realpath(path.data, w.root)) {
        diag_error(&g->diag, m->dir_loc, m->dir_len, "cannot mount '%s': %s", m->dir, strerror(errno));
    } else {
        w.root_len = strlen(w.root);
        walk_dir(&w, path.data, m->dir, m->prefix, 0);
    }
    buf_free(&path);
    free(base);
}

/* ---- per file: type, cache, variants ---- */

/* The file's Content-Type, malloc'd. */
static char *media_type(struct gen *g, const char *url)
{
    struct buf tmp = { 0 };
    const char *base = strrchr(url, '/') + 1, *dot = strrchr(base, '.');
    const char *ext = dot && dot != base ? dot + 1 : "";

    for (uint32_t i = 0; i < g->assets->ntypes; i++)
        if (strcasecmp(g->assets->types[i].key, ext) == 0)
            return xstrndup(g->assets->types[i].value, strlen(g->assets->types[i].value));
    for (size_t i = 0; i < sizeof media_types / sizeof media_types[0]; i++)
        if (strcasecmp(media_types[i].ext, ext) == 0) {
            buf_printf(&tmp, "%s%s", media_types[i].type, media_types[i].text ? "; charset=utf-8" : "");
            return tmp.data;
        }
    return xstrndup("application/octet-stream", 24);
}

/* The first `cache` rule whose pattern matches: against the request path
 * when the pattern holds a '/', else against the file's name. */
static const char *cache_of(const struct gen *g, const struct asset_file *f)
{
    const char *base = strrchr(f->url, '/') + 1;

    for (uint32_t i = 0; i < g->assets->ncaches; i++) {
        const char *pat = g->assets->caches[i].key;
        if (fnmatch(pat, strchr(pat, '/') ? f->url : base, 0) == 0)
            return g->assets->caches[i].value;
    }
    return g->assets->mounts[f->mount].cache ? g->assets->mounts[f->mount].cache : DEFAULT_CACHE;
}

/* FNV-1a, 64 bits, of the bytes sent: a strong validator (RFC 9110
 * §8.8.3) is one that changes whenever the bytes do. */
static void etag_of(struct asset_variant *v)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < v->len; i++)
        h = (h ^ v->data[i]) * 0x100000001b3u;
    v->hash = h;
}

static void finish_file(struct gen *g, struct asset_file *f)
{
    unsigned char *gz;
    size_t raw = f->v[0].len;

    f->type = media_type(g, f->url);
    f->cache = cache_of(g, f);
    f->gzip_len = asset_gzip(f->v[0].data, raw, &gz);
    if (f->gzip_len + GZIP_MIN_SAVING(raw) <= raw) {
        f->v[1].data = gz;
        f->v[1].len = f->gzip_len;
        etag_of(&f->v[1]);
        f->gzip_only = g->assets->mounts[f->mount].gzip_only;
    } else {
        free(gz);
    }
    etag_of(&f->v[0]);
}

/* ---- routes ---- */

static struct asset_file *find_file(const struct assets *a, uint32_t mount, const char *url)
{
    for (uint32_t i = 0; i < a->nfiles; i++)
        if (a->files[i].mount == mount && strcmp(a->files[i].url, url) == 0)
            return &a->files[i];
    return NULL;
}

/* A route GET url (a literal per segment; a trailing '/' is an empty
 * one, as in the spec) or, with rest, GET prefix<path..>, served by f. */
static void add_route(struct gen *g, const struct mount *m, const struct asset_file *f,
                      const char *url, int rest)
{
    struct route *r = VEC_PUSH(g->routes, g->nroutes);

    r->index = g->nroutes - 1;
    r->action = ACTION_ASSET;
    r->asset = (uint32_t)(f - g->assets->files);
    r->methods = 1u << 0;     /* GET, and so HEAD */
    r->loc = m->loc;
    r->path_loc = m->path_loc;
    r->pattern = rest ? NULL : xstrndup(url, strlen(url));
    for (uint32_t i = 0; i < m->nsegs; i++) {
        struct segment *s = VEC_PUSH(r->segs, r->nsegs);
        *s = m->segs[i];
        s->text = xstrndup(m->segs[i].text, m->segs[i].text_len);
    }
    if (rest) {
        struct buf p = { 0 };
        buf_printf(&p, "%s<path..>", m->prefix);
        r->pattern = p.data;
        struct segment *s = VEC_PUSH(r->segs, r->nsegs);
        s->kind = SEG_REST;
        s->param.name = xstrndup("path", 4);
        s->param.type = PT_REST;
        s->loc = m->path_loc;
        return;
    }
    for (const char *p = url + strlen(m->prefix); ; ) {
        const char *slash = strchr(p, '/'), *end = slash ? slash : p + strlen(p);
        struct segment *s = VEC_PUSH(r->segs, r->nsegs);
        s->kind = SEG_LITERAL;
        s->text = xstrndup(p, (size_t)(end - p));
        s->text_len = (uint32_t)(end - p);
        s->loc = m->path_loc;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (r->nsegs == 1 && r->segs[0].text_len == 0 && m->nsegs == 0) {
        free(r->segs[0].text);  /* "/" itself has no segments */
        r->nsegs = 0;
    }
}

static void add_routes(struct gen *g, uint32_t mi)
{
    struct assets *a = g->assets;
    const struct mount *m = &a->mounts[mi];

    for (uint32_t i = 0; i < a->nfiles; i++) {
        const struct asset_file *f = &a->files[i];
        if (f->mount != mi)
            continue;
        add_route(g, m, f, f->url, 0);
        const char *base = strrchr(f->url, '/') + 1;
        if (m->index && strcmp(base, m->index) == 0) {
            char *dir = xstrndup(f->url, (size_t)(base - f->url));
            add_route(g, m, f, dir, 0);
            free(dir);
        }
    }
    if (m->fallback) {
        struct buf url = { 0 };
        buf_printf(&url, "%s%s", m->prefix, m->fallback);
        const struct asset_file *f = find_file(a, mi, url.data);
        if (f)
            add_route(g, m, f, NULL, 1);
        else
            diag_error(&g->diag, m->fallback_loc, (uint32_t)strlen(m->fallback),
                       "fallback file '%s' is not in '%s'", m->fallback, m->dir);
        buf_free(&url);
    }
}

unsigned assets_scan(struct gen *g)
{
    struct assets *a = g->assets;
    unsigned before = g->diag.errors;

    if (!a || !a->nmounts)
        return 0;
    for (uint32_t i = 0; i < a->nmounts; i++)
        if (!a->mounts[i].broken)
            read_mount(g, i);
    a->first_route = g->nroutes;
    for (uint32_t i = 0; i < a->nfiles; i++)
        finish_file(g, &a->files[i]);
    for (uint32_t i = 0; i < a->nmounts; i++)
        if (!a->mounts[i].broken)
            add_routes(g, i);
    return g->diag.errors - before;
}

void assets_free(struct gen *g)
{
    struct assets *a = g->assets;

    if (!a)
        return;
    for (uint32_t i = 0; i < a->nmounts; i++) {
        struct mount *m = &a->mounts[i];
        for (uint32_t j = 0; j < m->nsegs; j++)
            free(m->segs[j].text);
        free(m->segs), free(m->prefix), free(m->dir), free(m->index), free(m->fallback), free(m->cache);
    }
    for (uint32_t i = 0; i < a->ntypes; i++)
        free(a->types[i].key), free(a->types[i].value);
    for (uint32_t i = 0; i < a->ncaches; i++)
        free(a->caches[i].key), free(a->caches[i].value);
    for (uint32_t i = 0; i < a->nfiles; i++)
        free(a->files[i].rel), free(a->files[i].url), free(a->files[i].type), free(a->files[i].v[0].data), free(a->files[i].v[1].data);
    free(a->mounts), free(a->types), free(a->caches), free(a->files);
    free(a);
    g->assets = NULL;
}
