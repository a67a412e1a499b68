/*
 * main.c - the tinyroute command line.
 *
 *   tinyroute gen [--check] [options] SPEC -o DIR
 *   tinyroute check [options] SPEC
 *   tinyroute routes [options] SPEC
 *
 * One call per phase, as in lemon's main() (see run()): read, parse,
 * resolve defaults, check, plan, emit, write.  Any error stops before the
 * write, so no output file is touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gen.h"
#include "plan.h"

#ifndef TINYROUTE_VERSION
#define TINYROUTE_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "usage: tinyroute gen [--check] [OPTIONS] SPEC -o DIR\n"
    "       tinyroute check [OPTIONS] SPEC\n"
    "       tinyroute routes [OPTIONS] SPEC\n"
    "       tinyroute --help | --version\n";

static const char help_text[] =
    "\n"
    "Commands:\n"
    "  gen SPEC -o DIR   check SPEC and write the server's C sources into DIR\n"
    "                    (created if missing; files whose bytes are unchanged\n"
    "                    are left untouched)\n"
    "  gen --check SPEC -o DIR\n"
    "                    generate in memory and compare with DIR; exit 1 and\n"
    "                    name each stale or missing file\n"
    "  check SPEC        report diagnostics only\n"
    "  routes SPEC       print the route table in dispatch precedence order\n"
    "\n"
    "Options:\n"
    "  -o DIR            output directory (gen)\n"
    "  -W NAME           enable warning NAME; -Wno-NAME disables it\n"
    "  -Werror           treat warnings as errors\n"
    "  --re2c PATH       the re2c program to run (default: re2c on PATH;\n"
    "                    re2c 3.0 or later)\n"
    "  -h, --help        show this help\n"
    "  --version         print the version\n"
    "\n"
    "Warnings: unreachable-route, unused-setting (both on by default).\n"
    "Exit status: 0 success, 1 errors in the spec or I/O errors, 2 bad usage.\n";

struct args {
    const char *command;
    const char *spec;
    const char *outdir;
    int check_only;
    const char *re2c;
    int warn[W_COUNT];       /* -1 off, 1 on, 0 as default */
    int werror;
};

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "tinyroute: %s\n", why);
    fputs(usage_text, stderr);
    return 2;
}

static int parse_warning(struct args *a, const char *name)
{
    int on = 1, w;

    if (strcmp(name, "error") == 0) {
        a->werror = 1;
        return 0;
    }
    if (strncmp(name, "no-", 3) == 0) {
        on = -1;
        name += 3;
    }
    w = diag_warning_by_name(name);
    if (w < 0)
        return -1;
    a->warn[w] = on;
    return 0;
}

/* Parses argv; returns -1 on bad usage (after printing why), 1 for --help
 * or --version (already answered), 0 to go on. */
static int parse_args(int argc, char **argv, struct args *a)
{
    char msg[256];

    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            return 1;
        } else if (strcmp(s, "--version") == 0) {
            printf("tinyroute %s\n", TINYROUTE_VERSION);
            return 1;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--re2c") == 0) {
            if (i + 1 >= argc) {
                snprintf(msg, sizeof msg, "option '%s' needs a value", s);
                return usage(msg), -1;
            }
            const char **value = strcmp(s, "-o") == 0 ? &a->outdir : &a->re2c;
            if (*value) {
                snprintf(msg, sizeof msg, "option '%s' given twice", s);
                return usage(msg), -1;
            }
            if (argv[++i][0] == '\0') {
                /* An empty DIR would make "DIR/file" a path from the root. */
                snprintf(msg, sizeof msg, "option '%s' needs a non-empty value", s);
                return usage(msg), -1;
            }
            *value = argv[i];
        } else if (strcmp(s, "--check") == 0) {
            a->check_only = 1;
        } else if (strncmp(s, "-W", 2) == 0) {
            const char *name = s[2] ? s + 2 : (i + 1 < argc ? argv[++i] : "");
            if (parse_warning(a, name) < 0) {
                snprintf(msg, sizeof msg, "unknown warning '%s'", name);
                return usage(msg), -1;
            }
        } else if (s[0] == '-' && s[1] != '\0') {
            snprintf(msg, sizeof msg, "unknown option '%s'", s);
            return usage(msg), -1;
        } else if (!a->command) {
            a->command = s;
        } else if (!a->spec) {
            a->spec = s;
        } else {
            snprintf(msg, sizeof msg, "unexpected argument '%s'", s);
            return usage(msg), -1;
        }
    }
    if (!a->command)
        return usage("no command given"), -1;
    if (strcmp(a->command, "gen") && strcmp(a->command, "check") && strcmp(a->command, "routes")) {
        snprintf(msg, sizeof msg, "unknown command '%s'", a->command);
        return usage(msg), -1;
    }
    if (!a->spec)
        return usage("no spec file given"), -1;
    if (strcmp(a->command, "gen") == 0 && !a->outdir)
        return usage("gen needs an output directory: -o DIR"), -1;
    if (strcmp(a->command, "gen") != 0 && (a->outdir || a->check_only))
        return usage("-o and --check go with gen"), -1;
    return 0;
}

/* Reads the whole file, NUL-terminated (the spec lexer's sentinel). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct buf b = { 0 };
    char chunk[8192];
    size_t n;

    if (!f) {
        fprintf(stderr, "tinyroute: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    if (ferror(f)) {
        fprintf(stderr, "tinyroute: cannot read '%s': %s\n", path, strerror(errno));
        fclose(f);
        buf_free(&b);
        return NULL;
    }
    fclose(f);
    buf_put(&b, "", 0);         /* makes data non-NULL and NUL-terminated */
    *len = b.len;
    return b.data;
}

static void apply_warning_args(struct gen *g, const struct args *a)
{
    for (int w = 0; w < W_COUNT; w++)
        if (a->warn[w])
            g->diag.warn_enabled[w] = a->warn[w] > 0;
    g->diag.werror = a->werror;
    if (a->re2c)
        g->re2c = a->re2c;
}

/* Writes every output into a->outdir, or compares them with it. */
static int write_outputs(struct gen *g, const struct args *a)
{
    return a->check_only ? outputs_compare(g, a->outdir) : outputs_write(g, a->outdir);
}

static int run(const struct args *a)
{
    size_t len;
    char *src = read_file(a->spec, &len);
    struct gen g;
    struct plan plan = { 0 };
    int rc = 1;

    if (!src)
        return 1;
    gen_init(&g, a->spec, src, len, stderr);
    apply_warning_args(&g, a);

    /* Parse: lex and parse the whole spec into the model, reporting every
     * syntax error and what a token shows alone. */
    spec_parse(&g);
    /* Assets: read each mount's tree into routes, so the later phases see them. */
    assets_scan(&g);
    /* Resolve: the defaults that depend on the rest of the spec. */
    resolve_defaults(&g);
    /* Check: every whole-spec rule, on whatever parsed cleanly. */
    check_spec(&g);
    if (g.diag.errors)
        goto out;
    if (strcmp(a->command, "routes") == 0) {
        /* Routes: the table in precedence order, like `rails routes`. */
        print_routes(&g, stdout);
    } else if (strcmp(a->command, "gen") == 0) {
        /* Plan: the trie, the perfect hash, the call shapes, the features. */
        if (plan_build(&g, &plan) < 0)
            goto out;
        /* Emit: every output in memory, from the plan (runs re2c). */
        if (emit_all(&g, &plan) < 0)
            goto out;
        /* Write: only now does the disk change (or compare, for --check). */
        if (write_outputs(&g, a))
            goto out;
    }
    rc = 0;
out:
    if (g.diag.errors)
        fprintf(stderr, "%u error%s generated.\n", g.diag.errors, g.diag.errors == 1 ? "" : "s");
    plan_free(&plan);
    gen_free(&g);
    free(src);
    return rc;
}

/* What went to stdout (the route table, --help) must have arrived. */
static int flush_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tinyroute: cannot write standard output: %s\n", strerror(errno));
        return 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct args a;
    int rc = parse_args(argc, argv, &a);

    if (rc)
        return rc < 0 ? 2 : flush_stdout(0);
    return flush_stdout(run(&a));
}
