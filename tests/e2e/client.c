/*
 * client.c - the end-to-end tests' HTTP client (see client.h).
 *
 * Blocking sockets with poll() for every deadline; no threads.  A
 * connection keeps the bytes it has read beyond one response so that
 * pipelined answers that arrive in one segment are parsed one by one.
 *
 * Built with TC_TLS=1 (the families' _tls copies), every connection is
 * TLS 1.2 through BearSSL's client engine, trusting the CA of the test
 * PKI in TC_TLS_DIR (tls_pki.sh), and the server is started with that
 * directory's --cert and --key.  The API keeps its meaning on plaintext:
 * each tc_send is flushed as its own records, so a split or a byte sent
 * alone is a record of its own; tc_connect returns once the handshake is
 * done; c->fd stays the TCP socket (shutdown(2) on it is a TCP
 * half-close under records whole).
 */
#define _GNU_SOURCE
#include "client.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if TC_TLS
#include <bearssl.h>
#endif

/* How long a starting server may take to accept its first connection. */
#define START_MS 3000
/* How long a stopping server may take to exit (the brief's bound). */
#define STOP_MS 2000

static void open_close_all(void);

/* A server run under TR_E2E_WRAPPER (valgrind) starts and stops this many
 * times more slowly. */
static int wrapper_slack(void)
{
    const char *w = getenv("TR_E2E_WRAPPER");
    return w && *w ? 5 : 1;
}

int64_t tc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tc_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- the server process ------------------------------------------------ */

/* A port nobody listens on right now: bind port 0 and ask which it got. */
static uint16_t free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(fd >= 0, "socket: %s", strerror(errno));
    cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "bind: %s", strerror(errno));
    cr_assert(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

static int dial(uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* One attempt to start bin on a fresh port: 0 once it accepts, -1 when it
 * exited first (the port was taken meanwhile). */
/* TR_E2E_REFERENCE replaces the reference server's binary (a cross build,
 * run under TR_E2E_EMULATOR); the other servers stay the host's. */
static const char *server_binary(const char *bin)
{
    const char *ref = getenv("TR_E2E_REFERENCE");
    const char *base = strrchr(bin, '/');

    return ref && *ref && strcmp(base ? base + 1 : bin, "reference") == 0 ? ref : bin;
}

static int start_once(struct tc_server *s, const char *host_bin)
{
    const char *bin = server_binary(host_bin);
    const char *emu = bin != host_bin ? getenv("TR_E2E_EMULATOR") : NULL;
    /* TR_E2E_WRAPPER (e.g. a valgrind script) runs every host-built server:
     * exec'ed with the server binary as its first argument. */
    const char *wrap = bin == host_bin ? getenv("TR_E2E_WRAPPER") : NULL;
    char addr[32];
    s->port = free_port();
    snprintf(addr, sizeof addr, "127.0.0.1:%u", (unsigned)s->port);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Never outlive a test process that crashed. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
        }
#if TC_TLS
#define TLS_ARGS "--cert", TC_TLS_DIR "/cert.pem", "--key", TC_TLS_DIR "/key.pem",
#else
#define TLS_ARGS
#endif
        /* TR_E2E_EMULATOR (e.g. qemu-arm) runs a cross-built server. */
        if (emu && *emu)
            execlp(emu, emu, bin, TLS_ARGS addr, (char *)NULL);
        else if (wrap && *wrap)
            execlp(wrap, wrap, bin, TLS_ARGS addr, (char *)NULL);
        else
            execl(bin, bin, TLS_ARGS addr, (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    int64_t until = tc_now_ms() + START_MS * wrapper_slack();
    while (tc_now_ms() < until) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            cr_assert(!(WIFEXITED(st) && WEXITSTATUS(st) == 127), "cannot exec %s", bin);
            s->pid = 0;
            return -1;
        }
        int fd = dial(s->port);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        tc_sleep_ms(5);
    }
    tc_server_kill(s);
    cr_assert_fail("%s did not accept on port %u within %d ms", bin, (unsigned)s->port,
                   START_MS * wrapper_slack());
    return -1;
}

void tc_server_start(struct tc_server *s, const char *bin)
{
    signal(SIGPIPE, SIG_IGN);
    memset(s, 0, sizeof *s);
    for (int attempt = 0; attempt < 5; attempt++) {
        if (start_once(s, bin) == 0)
            return;
    }
    cr_assert_fail("%s exited at start-up five times", bin);
}

void tc_server_stop(struct tc_server *s)
{
    tc_server_stop_signal(s, SIGTERM);
}

void tc_server_stop_signal(struct tc_server *s, int sig)
{
    if (s->pid <= 0)
        return;
    pid_t pid = s->pid;
    open_close_all();
    cr_assert(kill(pid, sig) == 0, "kill: %s", strerror(errno));
    int64_t until = tc_now_ms() + STOP_MS * wrapper_slack();
    int st = 0;
    pid_t w;
    while ((w = waitpid(pid, &st, WNOHANG)) == 0 && tc_now_ms() < until)
        tc_sleep_ms(5);
    if (w != pid) {
        tc_server_kill(s);
        cr_assert_fail("the server did not exit within %d ms of signal %d",
                       STOP_MS * wrapper_slack(), sig);
    }
    s->pid = 0;
    cr_assert(WIFEXITED(st), "the server died of signal %d at signal %d",
              WIFSIGNALED(st) ? WTERMSIG(st) : 0, sig);
    cr_assert_eq(WEXITSTATUS(st), 0, "the server exited with status %d at signal %d",
                 WEXITSTATUS(st), sig);
}

void tc_server_kill(struct tc_server *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
}

/* ---- connections ------------------------------------------------------- */

/* Connections a test left open when an assertion ended it early: closed
 * before the server is told to stop, so that they do not hold it up. */
#define OPEN_MAX 256
static int open_fds[OPEN_MAX];
static int open_count;

static void open_add(int fd)
{
    if (open_count < OPEN_MAX)
        open_fds[open_count++] = fd;
}

static void open_del(int fd)
{
    for (int i = 0; i < open_count; i++) {
        if (open_fds[i] == fd) {
            open_fds[i] = open_fds[--open_count];
            return;
        }
    }
}

static void open_close_all(void)
{
    while (open_count > 0)
        close(open_fds[--open_count]);
}


/* ---- TLS (TC_TLS) ------------------------------------------------------ */

#if TC_TLS
/* One connection's client engine. */
struct tc_tls {
    br_ssl_client_context cc;
    br_x509_minimal_context xc;
    unsigned char io[BR_SSL_BUFSIZE_BIDI];  /* full duplex: a sender child
                                               and a reading parent */
};

/* The test CA as BearSSL's trust anchor, decoded once a process. */
static br_x509_trust_anchor anchor;
static unsigned char anchor_dn[1024], anchor_q[BR_EC_KBUF_PUB_MAX_SIZE];
static unsigned char anchor_der[4096];
static size_t anchor_dn_len, anchor_der_len;
/* The last session: later connections resume it (an abbreviated
 * handshake, as a browser's would be). */
static br_ssl_session_parameters session;
static int have_session;

static void dn_append(void *ctx, const void *p, size_t n)
{
    (void)ctx;
    cr_assert(n <= sizeof anchor_dn - anchor_dn_len, "the CA's name is too long");
    memcpy(anchor_dn + anchor_dn_len, p, n);
    anchor_dn_len += n;
}

static void der_append(void *ctx, const void *p, size_t n)
{
    (void)ctx;
    cr_assert(n <= sizeof anchor_der - anchor_der_len, "the CA certificate is too long");
    memcpy(anchor_der + anchor_der_len, p, n);
    anchor_der_len += n;
}

static void anchor_load(void)
{
    static char pem[8192];
    if (anchor.dn.data)
        return;
    FILE *f = fopen(TC_TLS_DIR "/ca.pem", "r");
    cr_assert_not_null(f, "no test CA at %s (the e2e_tls_pki fixture)", TC_TLS_DIR "/ca.pem");
    size_t n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    br_pem_decoder_context pc;
    br_pem_decoder_init(&pc);
    const char *p = pem;
    int done = 0;
    while (n > 0 && !done) {
        size_t k = br_pem_decoder_push(&pc, p, n);
        p += k;
        n -= k;
        switch (br_pem_decoder_event(&pc)) {
        case BR_PEM_BEGIN_OBJ:
            br_pem_decoder_setdest(&pc, der_append, NULL);
            break;
        case BR_PEM_END_OBJ:
            done = 1;
            break;
        case BR_PEM_ERROR:
            cr_assert_fail("the test CA is not PEM");
        }
    }
    cr_assert(done, "no certificate in the test CA file");
    br_x509_decoder_context dc;
    br_x509_decoder_init(&dc, dn_append, NULL);
    br_x509_decoder_push(&dc, anchor_der, anchor_der_len);
    const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
    cr_assert(pk && pk->key_type == BR_KEYTYPE_EC, "the test CA has no EC key (%d)",
              br_x509_decoder_last_error(&dc));
    memcpy(anchor_q, pk->key.ec.q, pk->key.ec.qlen);
    anchor.dn.data = anchor_dn;
    anchor.dn.len = anchor_dn_len;
    anchor.flags = BR_X509_TA_CA;
    anchor.pkey.key_type = BR_KEYTYPE_EC;
    anchor.pkey.key.ec.curve = pk->key.ec.curve;
    anchor.pkey.key.ec.q = anchor_q;
    anchor.pkey.key.ec.qlen = pk->key.ec.qlen;
}

/* Writes the engine's pending records, blocking: 0, or -1 when the peer
 * is gone. */
static int tls_records_send(struct tc_conn *c)
{
    br_ssl_engine_context *e = &c->tls->cc.eng;
    while (br_ssl_engine_current_state(e) & BR_SSL_SENDREC) {
        size_t len;
        unsigned char *p = br_ssl_engine_sendrec_buf(e, &len);
        ssize_t w = send(c->fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        br_ssl_engine_sendrec_ack(e, (size_t)w);
    }
    return 0;
}

/* Moves incoming bytes into the engine before the deadline: 1, 0 at EOF
 * or reset, TC_TIMEOUT. */
static long tls_records_recv(struct tc_conn *c, int64_t deadline)
{
    br_ssl_engine_context *e = &c->tls->cc.eng;
    for (;;) {
        int64_t left = deadline - tc_now_ms();
        if (left <= 0)
            return TC_TIMEOUT;
        struct pollfd pfd = { c->fd, POLLIN, 0 };
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return TC_TIMEOUT;
        size_t len;
        unsigned char *q = br_ssl_engine_recvrec_buf(e, &len);
        ssize_t n = recv(c->fd, q, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        br_ssl_engine_recvrec_ack(e, (size_t)n);
        return 1;
    }
}

/* The handshake, within the deadline: 0, or -1 (closed, refused, bad
 * certificate: the engine's error is in errno). */
static int tls_handshake(struct tc_conn *c, int64_t deadline)
{
    br_ssl_engine_context *e = &c->tls->cc.eng;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st == BR_SSL_CLOSED) {
            errno = ECONNREFUSED;
            return -1;
        }
        if (st & BR_SSL_SENDAPP)
            break;
        if (st & BR_SSL_SENDREC) {
            if (tls_records_send(c) != 0)
                return -1;
            continue;
        }
        if (tls_records_recv(c, deadline) != 1) {
            errno = ETIMEDOUT;
            return -1;
        }
    }
    br_ssl_engine_get_session_parameters(e, &session);
    have_session = 1;
    return 0;
}

/* A new engine on c->fd and its handshake: 0, or -1. */
static int tls_open(struct tc_conn *c)
{
    anchor_load();
    c->tls = malloc(sizeof *c->tls);
    cr_assert_not_null(c->tls);
    struct tc_tls *t = c->tls;
    br_ssl_client_init_full(&t->cc, &t->xc, &anchor, 1);
    br_ssl_engine_set_buffer(&t->cc.eng, t->io, sizeof t->io, 1);
    if (have_session)
        br_ssl_engine_set_session_parameters(&t->cc.eng, &session);
    cr_assert(br_ssl_client_reset(&t->cc, "localhost", have_session), "br_ssl_client_reset: %d",
              br_ssl_engine_last_error(&t->cc.eng));
    return tls_handshake(c, tc_now_ms() + TC_TIMEOUT_MS * wrapper_slack());
}

/* tc_send over TLS: the bytes, then a flush, so that they leave as
 * records of their own; 0, or -1 when the peer is gone. */
static int tls_send(struct tc_conn *c, const unsigned char *p, size_t n)
{
    br_ssl_engine_context *e = &c->tls->cc.eng;
    int flushed = 0;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st == BR_SSL_CLOSED)
            return -1;
        if (st & BR_SSL_SENDREC) {
            if (tls_records_send(c) != 0)
                return -1;
            continue;
        }
        if (n == 0) {
            if (flushed)
                return 0;
            br_ssl_engine_flush(e, 0);
            flushed = 1;
            continue;
        }
        if (!(st & BR_SSL_SENDAPP))
            return -1;      /* no renegotiation: cannot happen after the handshake */
        size_t len;
        unsigned char *q = br_ssl_engine_sendapp_buf(e, &len);
        size_t k = n < len ? n : len;
        memcpy(q, p, k);
        br_ssl_engine_sendapp_ack(e, k);
        p += k;
        n -= k;
    }
}

/* fill() over TLS: plaintext into c->buf (which has room for 4 KiB). */
static long tls_fill(struct tc_conn *c, int64_t deadline)
{
    br_ssl_engine_context *e = &c->tls->cc.eng;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st == BR_SSL_CLOSED)
            return 0;       /* close_notify, or an error: the peer is gone */
        if (st & BR_SSL_RECVAPP) {
            size_t len;
            unsigned char *q = br_ssl_engine_recvapp_buf(e, &len);
            if (len > c->cap - c->len)
                len = c->cap - c->len;
            memcpy(c->buf + c->len, q, len);
            br_ssl_engine_recvapp_ack(e, len);
            c->len += len;
            return (long)len;
        }
        if (st & BR_SSL_SENDREC) {
            /* the engine's answer to an alert (its own close_notify) */
            if (tls_records_send(c) != 0)
                return 0;
            continue;
        }
        long r = tls_records_recv(c, deadline);
        if (r != 1)
            return r;
    }
}
#endif /* TC_TLS */

int tc_try_connect(struct tc_conn *c, uint16_t port)
{
    memset(c, 0, sizeof *c);
    c->fd = dial(port);
    if (c->fd < 0)
        return -1;
    open_add(c->fd);
    c->cap = 4096;
    c->buf = malloc(c->cap);
    cr_assert(c->buf != NULL);
#if TC_TLS
    if (tls_open(c) != 0) {
        int e = errno;
        tc_close(c);
        errno = e;
        return -1;
    }
#endif
    return 0;
}

void tc_connect(struct tc_conn *c, uint16_t port)
{
    cr_assert(tc_try_connect(c, port) == 0, "cannot connect to 127.0.0.1:%u: %s",
              (unsigned)port, strerror(errno));
}

/* Over TLS without a close_notify, as a plain close sends no more than
 * a FIN (and a sender child may have moved the engine's sequence on). */
void tc_close(struct tc_conn *c)
{
    free(c->tls);
    c->tls = NULL;
    if (c->fd >= 0) {
        open_del(c->fd);
        close(c->fd);
    }
    c->fd = -1;
    free(c->buf);
    c->buf = NULL;
    c->len = c->cap = 0;
}

int tc_send(struct tc_conn *c, const void *p, size_t n)
{
#if TC_TLS
    return tls_send(c, p, n);
#endif
    const char *b = p;
    while (n > 0) {
        ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

int tc_send_str(struct tc_conn *c, const char *s)
{
    return tc_send(c, s, strlen(s));
}

int tc_send_split(struct tc_conn *c, const void *p, size_t n, const size_t *at, size_t nat,
                  int pause_ms)
{
    const char *b = p;
    size_t from = 0;
    for (size_t i = 0; i <= nat; i++) {
        size_t to = i < nat ? at[i] : n;
        cr_assert(to >= from && to <= n, "split points must ascend within the request");
        if (to > from && tc_send(c, b + from, to - from) != 0)
            return -1;
        from = to;
        if (i < nat)
            tc_sleep_ms(pause_ms);
    }
    return 0;
}

/* Reads more bytes before the deadline: >0 bytes, 0 at EOF or reset,
 * TC_TIMEOUT. */
static long fill(struct tc_conn *c, int64_t deadline)
{
    if (c->cap - c->len < 4096) {
        c->cap *= 2;
        c->buf = realloc(c->buf, c->cap);
        cr_assert(c->buf != NULL);
    }
#if TC_TLS
    return tls_fill(c, deadline);
#endif
    for (;;) {
        int64_t left = deadline - tc_now_ms();
        if (left <= 0)
            return TC_TIMEOUT;
        struct pollfd pfd = { c->fd, POLLIN, 0 };
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return TC_TIMEOUT;
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0; /* EOF, or a reset: the peer is gone either way */
        c->len += (size_t)n;
        return n;
    }
}

/* ---- responses --------------------------------------------------------- */

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* Parses the head c->buf[0..hlen) (hlen includes the blank line). */
static int parse_head(const char *p, size_t hlen, struct tc_response *r)
{
    const char *end = p + hlen - 2; /* at the final CRLF */
    const char *eol = memmem(p, hlen, "\r\n", 2);
    if (hlen < 12 || memcmp(p, "HTTP/", 5) != 0)
        return TC_BAD;
    const char *sp = memchr(p, ' ', (size_t)(eol - p));
    if (!sp || (size_t)(sp - p) >= sizeof r->version || eol - sp < 4)
        return TC_BAD;
    memcpy(r->version, p, (size_t)(sp - p));
    r->version[sp - p] = '\0';
    for (int i = 1; i <= 3; i++) {
        if (sp[i] < '0' || sp[i] > '9')
            return TC_BAD;
    }
    r->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
    if (sp + 4 < eol) {
        if (sp[4] != ' ')
            return TC_BAD;
        size_t n = (size_t)(eol - (sp + 5));
        if (n >= sizeof r->reason)
            n = sizeof r->reason - 1;
        memcpy(r->reason, sp + 5, n);
        r->reason[n] = '\0';
    }
    for (const char *line = eol + 2; line < end;) {
        const char *le = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
        const char *colon = memchr(line, ':', (size_t)(le - line));
        if (!colon || colon == line || r->nheaders >= TC_MAX_HEADERS)
            return TC_BAD;
        struct tc_header *h = &r->headers[r->nheaders++];
        const char *vb = colon + 1, *ve = le;
        trim(&vb, &ve);
        if ((size_t)(colon - line) >= sizeof h->name || (size_t)(ve - vb) >= sizeof h->value)
            return TC_BAD;
        memcpy(h->name, line, (size_t)(colon - line));
        h->name[colon - line] = '\0';
        memcpy(h->value, vb, (size_t)(ve - vb));
        h->value[ve - vb] = '\0';
        line = le + 2;
    }
    return TC_OK;
}

/* Removes the first n buffered bytes. */
static void consume(struct tc_conn *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

size_t tc_recv_some(struct tc_conn *c, void *buf, size_t cap, int ms)
{
    int64_t deadline = tc_now_ms() + ms;
    while (c->len < cap && fill(c, deadline) > 0)
        deadline = tc_now_ms() + 100;
    size_t n = c->len < cap ? c->len : cap;
    memcpy(buf, c->buf, n);
    consume(c, n);
    return n;
}

const char *tc_curl_opts(void)
{
#if TC_TLS
    return "--cacert " TC_TLS_DIR "/ca.pem";
#else
    return "";
#endif
}

const char *tc_origin(uint16_t port)
{
    static char o[64];
#if TC_TLS
    snprintf(o, sizeof o, "https://localhost:%u", (unsigned)port);
#else
    snprintf(o, sizeof o, "http://127.0.0.1:%u", (unsigned)port);
#endif
    return o;
}

int tc_read_response(struct tc_conn *c, struct tc_response *r, int timeout_ms, int head_request)
{
    int64_t deadline = tc_now_ms() + timeout_ms;
    char *hend;
    long n;
    memset(r, 0, sizeof *r);
    /* The head: up to and including the blank line. */
    while (!(hend = memmem(c->buf, c->len, "\r\n\r\n", 4))) {
        if (c->len >= 5 && memcmp(c->buf, "HTTP/", 5) != 0)
            return TC_BAD;
        if ((n = fill(c, deadline)) == TC_TIMEOUT)
            return TC_TIMEOUT;
        if (n == 0)
            return c->len == 0 ? TC_CLOSED : TC_BAD;
    }
    size_t hlen = (size_t)(hend + 4 - c->buf);
    if (parse_head(c->buf, hlen, r) != TC_OK)
        return TC_BAD;
    consume(c, hlen);

    /* RFC 9112 §6.3: the length of the response body. */
    int64_t want = -1; /* -1: until close */
    const char *cl = tc_header(r, "Content-Length");
    if (head_request || r->status / 100 == 1 || r->status == 204 || r->status == 304)
        want = 0;
    else if (tc_header(r, "Transfer-Encoding"))
        return TC_BAD; /* the servers under test never send chunked */
    else if (cl) {
        char *e;
        want = strtoll(cl, &e, 10);
        if (*e || want < 0)
            return TC_BAD;
    }
    while (want < 0 || c->len < (size_t)want) {
        n = fill(c, deadline);
        if (n == TC_TIMEOUT)
            return TC_TIMEOUT;
        if (n == 0) {
            if (want >= 0)
                return TC_BAD; /* truncated body */
            want = (int64_t)c->len;
        }
    }
    r->body_len = (size_t)want;
    r->body = malloc(r->body_len + 1);
    cr_assert(r->body != NULL);
    memcpy(r->body, c->buf, r->body_len);
    r->body[r->body_len] = '\0';
    consume(c, r->body_len);
    return TC_OK;
}

void tc_response_free(struct tc_response *r)
{
    free(r->body);
    r->body = NULL;
}

int tc_wait_close(struct tc_conn *c, int timeout_ms)
{
    int64_t deadline = tc_now_ms() + timeout_ms;
    if (c->len > 0)
        return TC_DATA;
    long n = fill(c, deadline);
    if (n == TC_TIMEOUT)
        return TC_TIMEOUT;
    return n == 0 ? TC_CLOSED : TC_DATA;
}

int tc_read_until_close(struct tc_conn *c, struct tc_response *r, int max, int timeout_ms,
                        int *closed)
{
    int64_t deadline = tc_now_ms() + timeout_ms;
    int count = 0;
    *closed = 0;
    for (;;) {
        struct tc_response tmp;
        int left = (int)(deadline - tc_now_ms());
        int st = tc_read_response(c, &tmp, left > 0 ? left : 1, 0);
        if (st != TC_OK) {
            *closed = st == TC_CLOSED || st == TC_BAD;
            return count;
        }
        if (count < max)
            r[count] = tmp;
        else
            tc_response_free(&tmp);
        count++;
    }
}

const char *tc_header(const struct tc_response *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    }
    return NULL;
}

int tc_header_count(const struct tc_response *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->nheaders; i++)
        n += strcasecmp(r->headers[i].name, name) == 0;
    return n;
}

int tc_header_has_token(const struct tc_response *r, const char *name, const char *token)
{
    size_t tl = strlen(token);
    for (int i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, name) != 0)
            continue;
        const char *p = r->headers[i].value;
        while (*p) {
            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            const char *b = p;
            while (*p && *p != ',')
                p++;
            const char *e = p;
            trim(&b, &e);
            if ((size_t)(e - b) == tl && strncasecmp(b, token, tl) == 0)
                return 1;
        }
    }
    return 0;
}

/* ---- one-shot helpers -------------------------------------------------- */

void tc_exchange(uint16_t port, const void *req, size_t n, struct tc_response *r)
{
    struct tc_conn c;
    tc_connect(&c, port);
    tc_send(&c, req, n); /* a server that answers early may reset: read anyway */
    int st = tc_read_response(&c, r, TC_TIMEOUT_MS, 0);
    tc_close(&c);
    cr_assert_eq(st, TC_OK, "no response (%d) to: %.*s", st, (int)(n < 200 ? n : 200),
                 (const char *)req);
}

void tc_exchange_str(uint16_t port, const char *req, struct tc_response *r)
{
    tc_exchange(port, req, strlen(req), r);
}

void tc_assert_alive(uint16_t port)
{
    struct tc_response r;
    tc_exchange_str(port, "GET / HTTP/1.1\r\nHost: alive.test\r\n\r\n", &r);
    cr_assert_eq(r.status, 200, "the server is not serving any more: GET / got %d", r.status);
    cr_assert_str_eq(r.body, "Hello, world!");
    tc_response_free(&r);
}
