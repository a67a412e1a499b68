/*
 * emit_lexer.c - NAME_lexer.re from templates/request.re.in, and
 * NAME_lexer.c from it by running re2c on the build host.
 *
 * The .re is kept in the output for readers; re2c runs on a private
 * temporary copy so nothing in the output directory changes unless every
 * phase succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit.h"
#include "names.h"
#include "template.h"

/* re2c's flags for the request lexer: storable state (-f) so input can
 * arrive in pieces; no #line (-i) and no version or date, so the output
 * is the same bytes on every machine. */
static const char *const re2c_flags[] = {
    "-f", "-i", "-W", "-Werror", "--no-generation-date", "--no-version",
};

/* Runs argv, its stdout and stderr into `out`; returns the exit status,
 * or -1 (errno set) when it could not be started. */
static int run_capture(char *const argv[], struct buf *out)
{
    int pipefd[2], status, err[2];
    pid_t pid;
    char chunk[4096];
    ssize_t n;

    if (pipe(pipefd) < 0 || pipe2(err, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        close(err[0]);
        execvp(argv[0], argv);
        int e = errno;
        if (write(err[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(pipefd[1]);
    close(err[1]);
    while ((n = read(pipefd[0], chunk, sizeof chunk)) > 0)
        buf_put(out, chunk, (size_t)n);
    close(pipefd[0]);
    int exec_errno = 0;
    n = read(err[0], &exec_errno, sizeof exec_errno);
    close(err[0]);
    waitpid(pid, &status, 0);
    if (n == (ssize_t)sizeof exec_errno) {
        errno = exec_errno;
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void missing_re2c(struct gen *g, const char *why)
{
    diag_error(&g->diag, (struct loc){ 0, 0 }, 0,
               "cannot run '%s' (%s): tinyroute needs re2c 3.0 or later on the build host "
               "(Debian and Ubuntu: apt-get install re2c)", g->re2c, why);
}

/* re2c --version prints "re2c 3.0"; older releases lack what we use. */
static int check_re2c_version(struct gen *g)
{
    char *argv[] = { (char *)g->re2c, "--version", NULL };
    struct buf out = { 0 };
    int rc = run_capture(argv, &out), major = 0, minor = 0;

    if (rc < 0) {
        missing_re2c(g, strerror(errno));
    } else if (rc != 0 || !out.data || sscanf(out.data, "re2c %d.%d", &major, &minor) < 1) {
        missing_re2c(g, "it does not answer --version like re2c");
        rc = -1;
    } else if (major < 3) {
        missing_re2c(g, "it is older than 3.0");
        rc = -1;
    }
    buf_free(&out);
    return rc;
}

static int write_all(const char *path, const struct buf *b)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(b->data, 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int read_all(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(b, chunk, n);
    fclose(f);
    return 0;
}

/* Runs re2c on `re`, leaving the C in `c`. */
static int run_re2c(struct gen *g, const struct buf *re, struct buf *c)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], in[4200], out[4200];
    struct buf log = { 0 };
    int rc = -1;

    snprintf(dir, sizeof dir, "%s/tinyroute.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0, "cannot create a temporary directory: %s",
                   strerror(errno));
        return -1;
    }
    snprintf(in, sizeof in, "%s/%s_lexer.re", dir, g->set.name);
    snprintf(out, sizeof out, "%s/%s_lexer.c", dir, g->set.name);
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)g->re2c;
    for (size_t i = 0; i < sizeof re2c_flags / sizeof re2c_flags[0]; i++)
        argv[n++] = (char *)re2c_flags[i];
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n++] = in;
    argv[n] = NULL;
    if (write_all(in, re) < 0) {
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0, "cannot write '%s': %s", in, strerror(errno));
    } else if (run_capture(argv, &log) != 0 || read_all(out, c) < 0) {
        diag_error(&g->diag, (struct loc){ 0, 0 }, 0,
                   "re2c failed on the generated request lexer (a bug in tinyroute):\n%s",
                   log.data ? log.data : "");
    } else {
        rc = 0;
    }
    unlink(in);
    unlink(out);
    rmdir(dir);
    buf_free(&log);
    return rc;
}

static void header_rules(const struct emit *e, struct buf *b)
{
    for (uint32_t i = 0; i < e->p->nheaders; i++) {
        buf_puts(b, "    '");
        for (const char *p = e->p->headers[i]; *p; p++)
            buf_puts(b, *p == '\'' ? "\\'" : (char[2]){ *p, 0 });  /* re2c quotes only ' */
        buf_printf(b, "' colon { lx->field = %u; goto value; }\n", i);
    }
}

int emit_lexer(const struct emit *e)
{
    struct gen *g = e->g;
    struct buf banner = { 0 }, headers = { 0 };
    struct buf *re, c = { 0 };
    int rc;

    if (g->re2c && check_re2c_version(g) < 0)
        return -1;
    buf_puts(&banner, e->banner);
    header_rules(e, &headers);
    struct hole holes[] = {
        { "banner", banner.data }, { "spec", e->spec_base }, { "name", g->set.name },
        { "declared_headers", headers.data ? headers.data : "" },
    };
    re = output_new(g, "%s_lexer.re", g->set.name);
    template_fill(re, "templates/request.re.in", holes, sizeof holes / sizeof holes[0]);
    if (!g->re2c)
        return buf_free(&banner), buf_free(&headers), 0;
    rc = run_re2c(g, re, &c);
    if (rc == 0) {
        struct buf *out = output_new(g, "%s_lexer.c", g->set.name);
        *out = c;
    } else {
        buf_free(&c);
    }
    buf_free(&banner), buf_free(&headers);
    return rc;
}
