/*
 * output.c - puts the generated files on disk, or compares them with it.
 *
 * A file whose bytes are unchanged is not rewritten (its timestamp stays,
 * so incremental firmware builds do not recompile it); a changed one is
 * written beside its target and renamed over it, so a reader never sees
 * half a file.  Runtime sources an earlier run wrote but this spec no
 * longer needs are removed, so compiling every .c in DIR stays right.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embedded.h"
#include "gen.h"

static int make_dirs(const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);

    if (n >= sizeof path)
        return -1;
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST)
            return -1;
        path[i] = c;
    }
    return 0;
}

/* 1 when the file holds exactly these bytes, 0 when not, -1 when absent. */
static int same_bytes(const char *path, const struct buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n, at = 0;
    int same = 1;

    if (!f)
        return -1;
    while (same && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        same = at + n <= b->len && memcmp(b->data + at, chunk, n) == 0;
        at += n;
    }
    fclose(f);
    return same && at == b->len;
}

static int write_file(struct gen *g, const char *path, const struct buf *b)
{
    char tmp[4216];          /* path (at most 4199 bytes) + ".tmp" */
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0 || rename(tmp, path) < 0) {
        int e = errno;
        if (f)
            unlink(tmp);
        fprintf(stderr, "%s: error: cannot write '%s': %s\n", g->diag.file, path, strerror(e));
        g->diag.errors++;
        return -1;
    }
    return 0;
}

static int is_output(const struct gen *g, const char *name)
{
    for (uint32_t i = 0; i < g->noutputs; i++)
        if (strcmp(g->outputs[i].name, name) == 0)
            return 1;
    return 0;
}

/* Runtime files (by name) in dir that this spec does not produce. */
static void for_stale_runtime(struct gen *g, const char *dir, int (*fn)(struct gen *, const char *))
{
    char path[4200];

    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        const char *base = f->name + 8;
        if (strncmp(f->name, "runtime/", 8) != 0 || is_output(g, base))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, base);
        if (access(path, F_OK) == 0)
            fn(g, path);
    }
}

static int remove_stale(struct gen *g, const char *path)
{
    if (unlink(path) < 0)
        fprintf(stderr, "%s: warning: cannot remove stale '%s': %s\n", g->diag.file, path,
                strerror(errno));
    return 0;
}

int outputs_write(struct gen *g, const char *dir)
{
    char path[4200];

    if (make_dirs(dir) < 0) {
        fprintf(stderr, "%s: error: cannot create directory '%s': %s\n", g->diag.file, dir,
                strerror(errno));
        g->diag.errors++;
        return -1;
    }
    for (uint32_t i = 0; i < g->noutputs; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, g->outputs[i].name);
        if (same_bytes(path, &g->outputs[i].text) == 1)
            continue;
        if (write_file(g, path, &g->outputs[i].text) < 0)
            return -1;
    }
    for_stale_runtime(g, dir, remove_stale);
    return 0;
}

static int report_extra(struct gen *g, const char *path)
{
    fprintf(stderr, "%s: not needed by this spec: %s\n", g->diag.file, path);
    g->diag.warnings++;     /* counted so the caller fails */
    return 0;
}

int outputs_compare(struct gen *g, const char *dir)
{
    char path[4200];
    unsigned stale = 0;

    for (uint32_t i = 0; i < g->noutputs; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, g->outputs[i].name);
        int same = same_bytes(path, &g->outputs[i].text);
        if (same != 1) {
            fprintf(stderr, "%s: %s: %s\n", g->diag.file, same < 0 ? "missing" : "stale", path);
            stale++;
        }
    }
    unsigned before = g->diag.warnings;
    for_stale_runtime(g, dir, report_extra);
    stale += g->diag.warnings - before;
    if (stale)
        fprintf(stderr, "%s: %u generated file%s out of date in '%s'; run tinyroute gen\n",
                g->diag.file, stale, stale == 1 ? " is" : "s are", dir);
    return stale ? -1 : 0;
}
