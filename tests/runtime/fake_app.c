/*
 * fake_app.c - a hand-written stand-in for generated code, so the event
 * loop can be tested before the generator exists.  Its lexer is naive
 * (it rescans the head on every call) and knows only the fields framing
 * needs.  Test-only.
 *
 * Routes:  0 GET /        "hello\n"
 *          1 POST /echo   echoes a body of at most 64 bytes
 *          2 GET /static  static body "static!"
 *          3 GET /big     2000 bytes: more than TR_OUT_MAX, so 500
 *          4 GET /half    600 bytes: two pipelined need the spill
 *          5 GET /bad     invoke says 400 (a bad query parameter)
 *          6 GET /sleep   answers after 300 ms (holds the loop; for stop tests)
 *          7 GET /guard   a guard's refusal: WWW-Authenticate and a body, then
 *                         invoke says 401
 *          8 GET /peer    the client's IPv4 address and port, "a.b.c.d:port"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fake_app.h"

static const struct tr_route routes[] = { { 0 }, { 64 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 }, { 0 },
                                          { 0 } };

static int ieq(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if ((a[i] | 0x20) != (b[i] | 0x20))
            return 0;
    }
    return 1;
}

static int method_of(const char *p, size_t n)
{
#define FAKE_METHOD_NAME(name, route) #name,
    static const char *names[] = { TR_METHODS(FAKE_METHOD_NAME) };  /* tr_methods.h */
#undef FAKE_METHOD_NAME
    for (int i = 0; i < TR_METHOD_COUNT; i++) {
        if (strlen(names[i]) == n && memcmp(p, names[i], n) == 0)
            return i;
    }
    return TR_METHOD_COUNT;
}

/* One "name: value" line. */
static int field(struct tr_request *rq, char *p, char *end)
{
    char *colon = memchr(p, ':', (size_t)(end - p));
    if (!colon || colon == p)
        return 400;
    size_t nl = (size_t)(colon - p);
    char *v = colon + 1;
    while (v < end && *v == ' ')
        v++;
    size_t vl = (size_t)(end - v);
    if (++rq->field_count > TR_FIELDS_MAX)
        return 431;
    if (ieq(p, nl, "host")) {
        rq->host_count++;
        rq->host.ptr = v;
        rq->host.len = vl;
    } else if (ieq(p, nl, "content-length")) {
        uint64_t n = 0;
        if (vl == 0 || (rq->flags & TR_RQ_HAS_LENGTH))
            return 400;
        for (size_t i = 0; i < vl; i++) {
            if (v[i] < '0' || v[i] > '9')
                return 400;
            n = n * 10 + (uint64_t)(v[i] - '0');
        }
        rq->content_length = n;
        rq->flags |= TR_RQ_HAS_LENGTH;
    } else if (ieq(p, nl, "transfer-encoding")) {
        if (ieq(v, vl, "chunked"))
            rq->flags |= TR_RQ_CHUNKED;
        else if (ieq(v, vl, "gzip, chunked"))
            rq->flags |= TR_RQ_CHUNKED | TR_RQ_TE_OTHER;
        else
            rq->flags |= TR_RQ_TE_OTHER;
    } else if (ieq(p, nl, "connection")) {
        if (ieq(v, vl, "close"))
            rq->flags |= TR_RQ_CLOSE;
        else if (ieq(v, vl, "keep-alive"))
            rq->flags |= TR_RQ_KEEP_ALIVE;
    } else if (ieq(p, nl, "expect")) {
        rq->flags |= ieq(v, vl, "100-continue") ? TR_RQ_CONTINUE : TR_RQ_BAD_EXPECT;
    }
    return 0;
}

static int request_line(struct tr_request *rq, char *p, char *end)
{
    char *sp1 = memchr(p, ' ', (size_t)(end - p));
    char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1)) : NULL;
    if (!sp1 || !sp2)
        return 400;
    rq->method = (uint8_t)method_of(p, (size_t)(sp1 - p));
    rq->path = sp1 + 1;
    rq->path_len = (size_t)(sp2 - sp1 - 1);
    if (end - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return 400;
    if (sp2[8] == '1')
        rq->version = 11;
    else if (sp2[8] == '0')
        rq->version = 10;
    else
        return 505;
    return 0;
}

static int fake_lex(struct tr_lex *lx, struct tr_request *rq, char *buf, uint32_t len)
{
    char *eol = memchr(buf, '\n', len);
    if ((eol ? (uint32_t)(eol - buf) : len) > TR_REQUEST_LINE_MAX)
        return 414;
    char *end = NULL;
    for (uint32_t i = 0; i + 3 < len; i++) {
        if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
            end = buf + i + 2;
            break;
        }
    }
    if (!end)
        return TR_LEX_MORE;
    memset(rq, 0, sizeof *rq);
    char *p = buf;
    eol = memmem(p, (size_t)(end + 2 - p), "\r\n", 2);
    int st = request_line(rq, p, eol);
    for (p = eol + 2; !st && p < end; p = eol + 2) {
        eol = memmem(p, (size_t)(end + 2 - p), "\r\n", 2);
        st = field(rq, p, eol);
    }
    if (st)
        return st;
    lx->cursor = (uint32_t)(end + 2 - buf);
    return TR_LEX_DONE;
}

static int path_is(const struct tr_request *rq, const char *s)
{
    return rq->path_len == strlen(s) && memcmp(rq->path, s, rq->path_len) == 0;
}

static int fake_dispatch(struct tr_request *rq, struct tr_match *m)
{
    static const char *paths[] = { "/", "/echo", "/static", "/big", "/half", "/bad", "/sleep",
                                   "/guard", "/peer" };
    if (memchr(rq->path, '%', rq->path_len))
        return TR_BAD_TARGET;
    for (int r = 0; r < 9; r++) {
        if (!path_is(rq, paths[r]))
            continue;
        int want = r == 1 ? TR_POST : TR_GET;
        m->allow = (uint16_t)(1u << want);
        if (rq->method == want || (want == TR_GET && rq->method == TR_HEAD))
            return r;
        if (rq->method == TR_OPTIONS)
            return TR_AUTO_OPTIONS;
        return TR_WRONG_METHOD;
    }
    return TR_NOT_FOUND;
}

static int fake_invoke(int route, struct tr_request *rq, struct tr_match *m, tr_res *res)
{
    static const char body[] = "static!";
    static const struct timespec nap = { 0, 300 * 1000000L };
    (void)m;
    switch (route) {
    case 0:
        tr_res_content_type(res, "text/plain");
        return tr_res_puts(res, "hello\n") ? 500 : 0;
    case 1:
        tr_res_write(res, rq->body.ptr, rq->body.len);
        return 0;
    case 2:
        tr_res_body_static(res, body, sizeof body - 1);
        return 0;
    case 3:
    case 4:
        for (int i = 0; i < (route == 3 ? 200 : 60); i++)
            tr_res_write(res, "0123456789", 10);
        return 0;
    case 5:
        return 400;
    case 7:
        tr_res_header(res, "WWW-Authenticate", "Basic realm=\"t\"", 15);
        tr_res_puts(res, "not for you");
        return 401;
    case 8: {
        struct sockaddr_storage ss;
        unsigned len = sizeof ss;
        const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
        if (tr_res_peer(res, &ss, &len) != 0 || ss.ss_family != AF_INET)
            return 500;
        const unsigned char *a = (const unsigned char *)&in->sin_addr;
        for (int i = 0; i < 4; i++) {
            tr_res_int(res, a[i]);
            tr_res_puts(res, i < 3 ? "." : ":");
        }
        tr_res_int(res, ntohs(in->sin_port));
        return 0;
    }
    default:
        nanosleep(&nap, NULL);
        tr_res_puts(res, "slept");
        return 0;
    }
}

/* The generated lexer's table (tr_app.h), which the runtime's Allow reads. */
#define FAKE_METHOD_NAME(name, route) #name "\0"
const char tr_method_names[] = TR_METHODS(FAKE_METHOD_NAME);

const struct tr_app tr_fake_app = {
    "fake", fake_lex, fake_dispatch, fake_invoke, routes
};
