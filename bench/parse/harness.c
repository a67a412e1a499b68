/*
 * harness.c - parses one request N times with one parser, for callgrind
 * (bench/parse/run.sh counts the instructions inside the parse function only,
 * with --toggle-collect, and divides by N).  Built once per parser:
 *   -DP_TR      tinyroute's generated lexer (tr_lex_request)
 *   -DP_PICO    picohttpparser (phr_parse_request, from Debian's libh2o)
 *   -DP_LLHTTP  llhttp (llhttp_execute, Debian's node-llhttp C sources)
 *   -DP_HP      http-parser (http_parser_execute, libhttp-parser-dev)
 * The request is copied into a fresh buffer before every parse (outside the
 * counted function).  llhttp and http-parser get callbacks that record the
 * URL and each header name/value (pointer + length), the least a server
 * needs and what the other two produce; their cost is counted (inclusive).
 *   harness REQ(0..2) N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browser_request.h"

static const char *const reqs[] = {
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
    BROWSER_REQUEST,
};

#if defined(P_TR)
#include "tr_app.h"
int tr_lex_request(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len);

static int parse(char *buf, size_t len)
{
    static struct tr_lex lx;
    static struct tr_request rq;
    tr_lex_reset(&lx, &rq);
    return tr_lex_request(&lx, &rq, buf, (uint32_t)len) == TR_LEX_DONE && lx.cursor == len;
}
#elif defined(P_PICO)
/* picohttpparser.h is not installed by Debian; its ABI (h2o 2.2.x): */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);

static int parse(char *buf, size_t len)
{
    const char *method, *path;
    size_t method_len, path_len, num_headers = 64;
    int minor;
    static struct phr_header headers[64];
    return phr_parse_request(buf, len, &method, &method_len, &path, &path_len, &minor,
                             headers, &num_headers, 0) == (int)len;
}
#elif defined(P_LLHTTP) || defined(P_HP)
struct span { const char *p; size_t n; };
static struct span url, names[64], values[64];
static int nf, done;

#define CB_DATA(NAME, EXPR)                                              \
    static int NAME(PARSER_T *p, const char *at, size_t n)               \
    {                                                                    \
        (void)p;                                                         \
        struct span *s = &(EXPR);                                        \
        if (s->p == NULL) s->p = at;                                     \
        s->n += n;                                                       \
        return 0;                                                        \
    }
#if defined(P_LLHTTP)
#include "llhttp.h"
#define PARSER_T llhttp_t
#else
#include <http_parser.h>
#define PARSER_T http_parser
#endif
CB_DATA(on_url, url)
CB_DATA(on_field, names[nf])
CB_DATA(on_value, values[nf])
static int on_value_done(PARSER_T *p) { (void)p; nf++; return 0; }
static int on_complete(PARSER_T *p) { (void)p; done = 1; return 0; }

#if defined(P_LLHTTP)
static llhttp_settings_t settings;
static llhttp_t parser;
static int parse(char *buf, size_t len)
{
    memset(names, 0, sizeof names); memset(values, 0, sizeof values);
    url.p = NULL; url.n = 0; nf = 0; done = 0;
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    return llhttp_execute(&parser, buf, len) == HPE_OK && done;
}
static void setup(void)
{
    llhttp_settings_init(&settings);
    settings.on_url = on_url;
    settings.on_header_field = on_field;
    settings.on_header_value = on_value;
    settings.on_header_value_complete = on_value_done;
    settings.on_headers_complete = on_complete;
}
#else
static http_parser_settings settings;
static http_parser parser;
static int parse(char *buf, size_t len)
{
    memset(names, 0, sizeof names); memset(values, 0, sizeof values);
    url.p = NULL; url.n = 0; nf = 0; done = 0;
    http_parser_init(&parser, HTTP_REQUEST);
    return http_parser_execute(&parser, &settings, buf, len) == len && done;
}
/* http-parser has no on_header_value_complete: a field starts a new pair. */
static int on_field_hp(http_parser *p, const char *at, size_t n)
{
    if (values[nf].p != NULL) nf++;
    return on_field(p, at, n);
}
static void setup(void)
{
    http_parser_settings_init(&settings);
    settings.on_url = on_url;
    settings.on_header_field = on_field_hp;
    settings.on_header_value = on_value;
    settings.on_headers_complete = on_complete;
    (void)on_value_done;
}
#endif
#endif

#ifndef P_LLHTTP
#ifndef P_HP
static void setup(void) {}
#endif
#endif

int main(int argc, char **argv)
{
    int which = argc > 1 ? atoi(argv[1]) : 2;
    long n = argc > 2 ? atol(argv[2]) : 1000;
    const char *req = reqs[which];
    size_t len = strlen(req);
    char *buf = malloc(len + 1);
    long i, ok = 0;

    if (buf == NULL)
        return 1;
    setup();
    for (i = 0; i < n; i++) {
        memcpy(buf, req, len + 1);
        ok += parse(buf, len);
    }
    printf("%zu bytes, %ld/%ld parsed\n", len, ok, n);
    free(buf);
    return ok == n ? 0 : 1;
}
