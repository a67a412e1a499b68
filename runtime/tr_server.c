/*
 * tr_server.c - the event loop: listening sockets, epoll, accept, signals
 * and the deadlines of the timer lists (tr_list.c); the top of the
 * runtime, with the connections it runs (tr_conn.c).
 *
 * Connections are registered once, edge-triggered, for input and output
 * together (EPOLLIN | EPOLLOUT | EPOLLET): the loop never calls epoll_ctl
 * again for them, which saves a system call per state change, and a
 * connection that waits for a buffer can simply stop reading without
 * being woken over and over as level-triggered polling would.  The price
 * is that tr_conn_run must always go on until read or write says EAGAIN.
 * The listening socket is level-triggered so that a paused accept loses
 * nothing.
 */
/* accept4, signalfd, SOCK_NONBLOCK; a build may define it already (as 1). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "tr_internal.h"

/* epoll data for the descriptors that are not connections: listener k is
 * ID_LISTEN - k, the signalfd below them. */
#define ID_LISTEN 0xffffffffu
#define ID_SIGNAL (ID_LISTEN - TR_LISTENERS)

/* While anyone waits for a buffer, how often a holder to cut is sought:
 * a holder falls behind the minimum rate between two looks by this much
 * at most, which bounds the wait at about the grace plus this. */
#define CUT_RETRY_MS (TR_MIN_RATE_GRACE_MS / 2 > 0 ? TR_MIN_RATE_GRACE_MS / 2 : 1)

/* How long accept pauses when no descriptor can be freed for it. */
#define ACCEPT_PAUSE_MS 100

/*
 * Logs what failed and errno.  Not strerror: its message table is ~2 KB
 * of a static musl firmware.  The two likely failures of start-up (the
 * port is taken, or below 1024 without the right) get words, the rest a
 * number (errno -l, or the target's <asm/errno.h>).
 */
static void log_errno(const char *what)
{
    char buf[28] = "errno ";
    int e = errno;
    const char *why = e == EADDRINUSE ? "address in use" : e == EACCES ? "permission denied" : buf;
    buf[6 + tr_fmt_u64(buf + 6, (uint64_t)(unsigned)e)] = '\0';
    tr_log(what, why);
}

/* ---- deadlines --------------------------------------------------------- */

/* Milliseconds on the monotonic clock; wraps, compared by difference. */
static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* tv_nsec / 1000000 as a multiplication, exact below 2^30: gcc -Os
     * would call libgcc's division, 0.6 KB on ARMv7 without a divider. */
    uint32_t ms = (uint32_t)(((uint64_t)(uint32_t)ts.tv_nsec * 1125899907u) >> 50);
    return (uint32_t)ts.tv_sec * 1000u + ms;
}

static int32_t until(uint32_t t)
{
    int32_t d = (int32_t)(t - tr_srv.now);
    return d < 0 ? 0 : d;
}

/*
 * A deadline counts as passed this much before it: the clock is read in
 * whole milliseconds and the loop takes time to reach it, so a deadline
 * fires at its time or just before it, never after (a client that allows
 * "at most 30 s" must not see the connection open at 30.0 s).
 */
#define TIMER_EARLY_MS 5

/* The epoll_wait timeout: the nearest deadline, -1 for none. */
static int next_timeout(void)
{
    int32_t best = -1;
    for (int l = 1; l < TR_TL_COUNT; l++) {
        tr_idx i = tr_srv.timer[l].head;
        if (i != TR_NIL && (best < 0 || until(tr_srv.conn[i].deadline - TIMER_EARLY_MS) < best))
            best = until(tr_srv.conn[i].deadline - TIMER_EARLY_MS);
    }
    /* Someone waits for a buffer: try cutting a holder again soon. */
    int waiting = 0;
    for (int k = 0; k < TR_POOLS; k++)
        waiting |= tr_srv.pool[k].wait.head != TR_NIL;
    if (waiting && (best < 0 || best > CUT_RETRY_MS))
        best = CUT_RETRY_MS;
    if (tr_srv.stopping && (best < 0 || until(tr_srv.stop_at) < best))
        best = until(tr_srv.stop_at);
    if (tr_srv.paused && (best < 0 || until(tr_srv.resume_at) < best))
        best = until(tr_srv.resume_at);
#if TR_WITH_LOOP
    tr_loop_next(&best);
#endif
    /* Linux lets a wait of t ms end up to t/1000 ms late (timer slack,
     * at most 100 ms: 30 ms for a 30 s timeout): wait less by more than
     * that, and the short wait that follows is as late as a few
     * microseconds. */
    return best > 0 ? best - (best >> 9) : best;
}

/* Acts on every passed deadline: list heads are the earliest. */
static void expire(void)
{
    for (int l = 1; l < TR_TL_COUNT; l++) {
        tr_idx i;
        while ((i = tr_srv.timer[l].head) != TR_NIL &&
               (int32_t)(tr_srv.conn[i].deadline - tr_srv.now) <= TIMER_EARLY_MS)
            tr_conn_expire(&tr_srv.conn[i]);
    }
}

/* ---- start-up ---------------------------------------------------------- */

/* Sets up the free lists without touching a single buffer page. */
static void pools_init(const struct tr_app *app)
{
    tr_srv.app = app;
    tr_srv.ep = tr_srv.lfd[0] = tr_srv.sfd = tr_srv.spare = -1;
    for (int k = 1; k < TR_LISTENERS; k++)
        tr_srv.lfd[k] = -1;
    tr_srv.now = now_ms();
    tr_srv.active = 0;
    tr_srv.stopping = tr_srv.paused = 0;
    for (int l = 0; l < TR_TL_COUNT; l++)
        tr_srv.timer[l].head = tr_srv.timer[l].tail = TR_NIL;
    for (int i = 0; i < TR_CONNECTIONS; i++) {
        tr_srv.conn[i].fd = -1;
        tr_srv.conn[i].state = TR_CS_FREE;
        tr_srv.conn[i].link[TR_LINK_TIMER].next = (tr_idx)(i + 1 < TR_CONNECTIONS ? i + 1 : TR_NIL);
    }
    tr_srv.free_conn = 0;
    tr_pool_init();
#if TR_WITH_STREAM
    tr_srv.resumed.head = tr_srv.resumed.tail = TR_NIL;
#endif
}

/*
 * Every connection is a descriptor: make the soft limit fit the pool.
 * prlimit64 as the plain system call, not getrlimit/setrlimit: musl's
 * setrlimit applies the limit to every thread through __synccall
 * (semaphores, signals: ~2 KB static), and this process has one thread.
 * The limits are the kernel's struct rlimit64 whatever libc's rlim_t is.
 */
static void raise_nofile(void)
{
    struct { uint64_t cur, max; } rl;
    uint64_t need = (uint64_t)TR_CONNECTIONS + TR_FD_MARGIN;
    if (tr_sys_prlimit(RLIMIT_NOFILE, NULL, &rl) != 0 || rl.cur == UINT64_MAX || rl.cur >= need)
        return;
    rl.cur = rl.max < need ? rl.max : need;      /* UINT64_MAX: infinity */
    if (tr_sys_prlimit(RLIMIT_NOFILE, &rl, NULL) != 0 || rl.cur < need)
        tr_log("RLIMIT_NOFILE is below the connection pool; some connections will be refused", NULL);
}

/* Opens listener k on addr:port. */
static int listen_open(int k, const char *addr, uint16_t port)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } a;
    socklen_t alen;
    memset(&a, 0, sizeof a);
    a.v4.sin_port = htons(port); /* sin6_port is at the same offset */
    if (tr_addr_parse(addr, 0, &a.v4.sin_addr) == 0) {
        a.v4.sin_family = AF_INET;
        alen = sizeof a.v4;
    } else if (tr_addr_parse(addr, 1, &a.v6.sin6_addr) == 0) {
        a.v6.sin6_family = AF_INET6;
        alen = sizeof a.v6;
    } else {
        tr_log("not an IPv4 or IPv6 address", addr);
        return -1;
    }
    int one = 1;
    int fd = tr_sys_socket(a.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        goto err;
    /* Restarting must not wait for TIME_WAIT connections to expire.
     * Answers go out in one write each: Nagle must not hold them; Linux
     * gives accepted sockets the listener's TCP_NODELAY. */
    if (tr_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        tr_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        tr_sys_bind(fd, &a.sa, alen) != 0 || tr_sys_listen(fd) != 0)
        goto err;
    tr_srv.lfd[k] = fd;
    return 0;
err:
    log_errno("cannot listen");
    if (fd >= 0)
        close(fd);
    return -1;
}

/* A descriptor held in reserve for EMFILE.  Any kind will do; an epoll
 * instance needs no file system (no /dev/null in a bare initramfs). */
static int spare_open(void)
{
    return tr_sys_epoll_create();
}

static int watch(int fd, uint32_t events, uint32_t id)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u32 = id;
    return epoll_ctl(tr_srv.ep, EPOLL_CTL_ADD, fd, &ev);
}

/*
 * epoll, the signalfd and the spare descriptor.  SIGPIPE is blocked and
 * read from the signalfd with SIGINT and SIGTERM, so a peer that closes
 * early costs an EPIPE, not the process, without a sigaction (which pulls
 * libc's signal-handling machinery into a static build) or sendmsg with
 * MSG_NOSIGNAL in place of writev (which costs more still).
 */
static int loop_open(tr_sigset *old)
{
    tr_sigset set = { { TR_SIGBIT(SIGINT) | TR_SIGBIT(SIGTERM) | TR_SIGBIT(SIGPIPE) } };
    if (tr_sys_sigmask(SIG_BLOCK, &set, old) != 0)
        goto err;
    tr_srv.sfd = tr_sys_signalfd(&set, SFD_NONBLOCK | SFD_CLOEXEC);
    tr_srv.ep = tr_sys_epoll_create();
    if (tr_srv.sfd < 0 || tr_srv.ep < 0 || watch(tr_srv.lfd[0], EPOLLIN, ID_LISTEN) != 0 ||
        watch(tr_srv.sfd, EPOLLIN, ID_SIGNAL) != 0)
        goto err;
    for (int k = 1; k < TR_LISTENERS; k++)
        if (watch(tr_srv.lfd[k], EPOLLIN, ID_LISTEN - (uint32_t)k) != 0)
            goto err;
    tr_srv.spare = spare_open();
    return 0;
err:
    log_errno("cannot set up the event loop");
    return -1;
}

/* ---- accepting --------------------------------------------------------- */

/* RFC 9110 §15.6.4: the pool is full; say so rather than stall. */
static void refuse(int fd)
{
#if TR_WITH_ERROR_BODIES
    /* With the spec's body for 503: the head built as any answer's, on
     * the stack (a Content-Type longer than its room goes without the
     * body), the body from flash after it.  One try, as without it. */
    char buf[TR_RES_RESERVE + 160];
    tr_res res;
    tr_res_init(&res, buf, sizeof buf, 0);
    tr_res_status(&res, 503);
    tr_res_error_body(&res);
    size_t n = tr_res_finish(&res, TR_FIN_CLOSE, NULL);
    struct iovec iov[2] = { { buf, n }, { (void *)res.sbody, res.slen } };
    if (writev(fd, iov, res.sbody ? 2 : 1) < 0) {
        /* nothing more to do for it */
    }
#else
    static const char busy[] =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (write(fd, busy, sizeof busy - 1) < 0) {
        /* nothing more to do for it */
    }
#endif
    close(fd);
}

static void accept_pause(int on)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = on ? 0 : EPOLLIN;
    for (int k = 0; k < TR_LISTENERS; k++) {
        ev.data.u32 = ID_LISTEN - (uint32_t)k;
        epoll_ctl(tr_srv.ep, EPOLL_CTL_MOD, tr_srv.lfd[k], &ev);
    }
    tr_srv.paused = (uint8_t)on;
    tr_srv.resume_at = tr_srv.now + ACCEPT_PAUSE_MS;
}

/*
 * Out of descriptors: the pending connection would make a level-triggered
 * listening socket spin.  Give up the spare descriptor to accept and close
 * it; if even that fails, stop accepting for a moment.
 */
static int shed_one(int k)
{
    int fd = -1;
    if (tr_srv.spare >= 0) {
        close(tr_srv.spare);
        fd = tr_sys_accept(tr_srv.lfd[k], SOCK_CLOEXEC);
        if (fd >= 0)
            close(fd);
        tr_srv.spare = spare_open();
    }
    if (fd < 0) {
        accept_pause(1);
        return -1;
    }
    return 0;
}

/*
 * The pool is full: close the connection idle longest to admit a newcomer
 * (RFC 9112 §9.8: closing an idle keep-alive connection is normal, and
 * clients retry), as nginx does.  That is the first on the idle list, or
 * one silent since its accept for more than TR_EVICT_GRACE_MS (on the
 * head list, which is in accept order for them), whichever came first;
 * never one that waits for a buffer with bytes to read, nor one in the
 * middle of a request or a response.  With tls, the TLS engines are what
 * is full: the same among the TLS connections (silent since the handshake
 * ended, on the head list), and one whose handshake heard no byte in the
 * grace since its accept (the handshake list is in accept order), never
 * a handshake under way.  Returns 0 if none could go.
 */
#if TR_WITH_TLS
#define not_tls(c, tls) ((tls) && !tr_conn_is_tls(c))
#else
#define not_tls(c, tls) 0
#endif
static int evict_idle(int tls)
{
    struct tr_conn *best = NULL;
    uint32_t since = 0;
    (void)tls;                  /* 0 without TLS */
    for (tr_idx i = tr_srv.timer[TR_TL_IDLE].head; i != TR_NIL;
         i = tr_srv.conn[i].link[TR_LINK_TIMER].next) {
        if (!(tr_srv.conn[i].flags & TR_CF_WAIT) && !not_tls(&tr_srv.conn[i], tls)) {
            best = &tr_srv.conn[i];
            since = best->deadline - TR_IDLE_TIMEOUT_MS;
            break;
        }
    }
    for (tr_idx i = tr_srv.timer[TR_TL_HEAD].head; i != TR_NIL;
         i = tr_srv.conn[i].link[TR_LINK_TIMER].next) {
        struct tr_conn *c = &tr_srv.conn[i];
        uint32_t accepted = c->deadline - TR_HEAD_TIMEOUT_MS;
        if ((int32_t)(tr_srv.now - accepted) < TR_EVICT_GRACE_MS)
            break;              /* the rest are younger still */
        if ((c->flags & (TR_CF_FRESH | TR_CF_WAIT)) == TR_CF_FRESH && !not_tls(c, tls)) {
            if (best == NULL || (int32_t)(accepted - since) < 0)
                best = c, since = accepted;
            break;
        }
    }
#if TR_WITH_TLS
    for (tr_idx i = tr_srv.timer[TR_TL_HANDSHAKE].head; tls && i != TR_NIL;
         i = tr_srv.conn[i].link[TR_LINK_TIMER].next) {
        struct tr_conn *c = &tr_srv.conn[i];
        uint32_t accepted = c->deadline - TR_TLS_HANDSHAKE_TIMEOUT_MS;
        if ((int32_t)(tr_srv.now - accepted) < TR_EVICT_GRACE_MS)
            break;
        if (tr_tls_silent(c)) {
            if (best == NULL || (int32_t)(accepted - since) < 0)
                best = c;
            break;
        }
    }
#endif
    if (best == NULL)
        return 0;
    tr_conn_close(best);
    return 1;
}

/* Accepts every pending connection of listener k. */
static void accept_all(int k)
{
    while (tr_srv.lfd[k] >= 0 && !tr_srv.paused) {
        int fd = tr_sys_accept(tr_srv.lfd[k], SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if ((errno == EMFILE || errno == ENFILE) && shed_one(k) == 0)
                continue;
            return; /* EAGAIN, or an error that a later wake-up retries */
        }
        if (tr_srv.free_conn == TR_NIL)
            evict_idle(0);
        tr_idx i = tr_srv.free_conn;
        if (tr_conn_open(fd) != 0) {
#if TR_WITH_TLS
            if (tr_srv.lkind[k] == TR_LISTEN_TLS) {
                close(fd);      /* a plain 503 would be junk to a TLS client */
                continue;
            }
#endif
            refuse(fd);
            continue;
        }
#if TR_MULTI_LISTEN
        tr_srv.conn[i].lst = (uint8_t)k;
#endif
#if TR_WITH_TLS
        /* No engine free: the TLS connection idle longest gives up its
         * own, as the pool's connections do above; only when none is
         * idle does the newcomer go (a plain 503 would be junk to a TLS
         * client). */
        if (tr_srv.lkind[k] == TR_LISTEN_TLS) {
            int r = tr_tls_open(&tr_srv.conn[i]);
            if (r == -1 && evict_idle(1))
                r = tr_tls_open(&tr_srv.conn[i]);
            if (r != 0) {
                tr_conn_close(&tr_srv.conn[i]);
                continue;
            }
        }
#endif
        /* The request has often arrived with the handshake: serve it now,
         * and a connection that asks to close is done without ever
         * entering epoll.  Registered after, it reports what is left. */
        tr_conn_run(&tr_srv.conn[i]);
        if (tr_srv.conn[i].state != TR_CS_FREE &&
            watch(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, i) != 0)
            tr_conn_close(&tr_srv.conn[i]);
    }
}

/* ---- stopping ---------------------------------------------------------- */

/* Reads the pending signals; returns 1 if SIGINT or SIGTERM was one of
 * them (SIGPIPE is only consumed: see loop_open). */
static int signals_read(void)
{
    struct signalfd_siginfo si;
    int stop = 0;
    while (read(tr_srv.sfd, &si, sizeof si) > 0)
        stop |= si.ssi_signo != SIGPIPE;
    return stop;
}

/* SIGINT or SIGTERM: stop accepting, drop idle connections, and give the
 * requests in flight until TR_STOP_TIMEOUT_MS to finish. */
static void stop(void)
{
    if (!signals_read() || tr_srv.stopping)
        return;
    tr_srv.stopping = 1;
    tr_srv.stop_at = tr_srv.now + TR_STOP_TIMEOUT_MS;
    for (int k = 0; k < TR_LISTENERS; k++) {
        close(tr_srv.lfd[k]);
        tr_srv.lfd[k] = -1;
    }
    tr_srv.paused = 0;
    while (tr_srv.timer[TR_TL_IDLE].head != TR_NIL)
        tr_conn_close(&tr_srv.conn[tr_srv.timer[TR_TL_IDLE].head]);
#if TR_WITH_TLS
    /* A handshake not finished has no request in flight either. */
    while (tr_srv.timer[TR_TL_HANDSHAKE].head != TR_NIL)
        tr_conn_close(&tr_srv.conn[tr_srv.timer[TR_TL_HANDSHAKE].head]);
#endif
}

static int stopped(void)
{
    return tr_srv.stopping &&
           (tr_srv.active == 0 || (int32_t)(tr_srv.now - tr_srv.stop_at) >= 0);
}

/* ---- the loop ---------------------------------------------------------- */

static void handle(uint32_t id, uint32_t events)
{
    if (ID_LISTEN - id < TR_LISTENERS) {
        accept_all((int)(ID_LISTEN - id));
    } else if (id == ID_SIGNAL) {
        stop();
#if TR_WITH_LOOP
    } else if (tr_loop_event(id, events)) {
        /* one of the app's descriptors */
#endif
    } else if (id < TR_CONNECTIONS && tr_srv.conn[id].state != TR_CS_FREE) {
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            tr_srv.conn[id].flags |= TR_CF_RDHUP;   /* see tr_conn_read */
        tr_conn_run(&tr_srv.conn[id]);
    }
}

#if TR_WITH_LOOP
/* One turn: waits up to wait_ms (-1: no limit) for events, then does
 * what is due.  0, or -1 when epoll_wait failed.  tr_step's too. */
static int turn(int wait_ms)
{
    struct epoll_event ev[64];
    int n = tr_sys_epoll_wait(tr_srv.ep, ev, 64, wait_ms);
    if (n < 0 && errno != EINTR) {
        log_errno("epoll_wait");
        return -1;
    }
    tr_srv.now = now_ms();
    for (int i = 0; i < n; i++)
        handle(ev[i].data.u32, ev[i].events);
    /* Before the deadlines: an answer a timer sends later goes out in
     * this turn (tr_later.c's TR_TL_READY). */
    tr_loop_timers();
    tr_conn_wake();
    expire();
    tr_conn_wake();
    if (tr_srv.paused && (int32_t)(tr_srv.now - tr_srv.resume_at) >= 0)
        accept_pause(0);
    return 0;
}

static int loop(void)
{
    while (!stopped()) {
        if (turn(next_timeout()) != 0)
            return 1;
    }
    return 0;
}
#else
/* The same as turn() in a loop, written out: gcc -Os lays it out a few
 * bytes smaller than a turn() it inlines, and hello pays nothing. */
static int loop(void)
{
    struct epoll_event ev[64];
    while (!stopped()) {
        int n = tr_sys_epoll_wait(tr_srv.ep, ev, 64, next_timeout());
        if (n < 0 && errno != EINTR) {
            log_errno("epoll_wait");
            return 1;
        }
        tr_srv.now = now_ms();
        for (int i = 0; i < n; i++)
            handle(ev[i].data.u32, ev[i].events);
        tr_conn_wake();
        expire();
        tr_conn_wake();
        if (tr_srv.paused && (int32_t)(tr_srv.now - tr_srv.resume_at) >= 0)
            accept_pause(0);
    }
    return 0;
}
#endif

#if TR_WITH_LOOP
/* The app's tables, then its init, once the loop is open. */
static int app_start(void)
{
    tr_loop_reset();
    if (tr_srv.app->init && tr_srv.app->init() != 0) {
        tr_log("the app's init failed; not serving", NULL);
        return -1;
    }
    return 0;
}
#define APP_START() app_start()
#else
#define APP_START() 0
#endif

static void cleanup(const tr_sigset *old)
{
    for (int i = 0; i < TR_CONNECTIONS; i++) {
        if (tr_srv.conn[i].state != TR_CS_FREE)
            tr_conn_close(&tr_srv.conn[i]);
    }
    /* A SIGPIPE still pending would kill the process once unblocked. */
    if (tr_srv.sfd >= 0)
        signals_read();
    for (int k = 1; k < TR_LISTENERS; k++) {
        if (tr_srv.lfd[k] >= 0)
            close(tr_srv.lfd[k]);
        tr_srv.lfd[k] = -1;
    }
    int *fds[] = { &tr_srv.lfd[0], &tr_srv.sfd, &tr_srv.ep, &tr_srv.spare };
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        if (*fds[i] >= 0)
            close(*fds[i]);
        *fds[i] = -1;
    }
    tr_sys_sigmask(SIG_SETMASK, old, NULL);
}

int tr_serve(const struct tr_app *app, const char *addr, uint16_t port)
{
    tr_sigset old;
    tr_sys_sigmask(SIG_SETMASK, NULL, &old);
#if TR_WITH_BASIC
    /* A bad credentials file stops the server before it listens. */
    if (tr_basic_load(TR_BASIC_FILE) != 0)
        return 1;
#endif
    pools_init(app);
    raise_nofile();
    if (listen_open(0, addr, port) != 0)
        return 1;
    int rc = loop_open(&old) != 0 || APP_START() != 0 ? 1 : loop();
    cleanup(&old);
    return rc;
}

#if TR_LISTENERS > 1 || TR_WITH_TLS
int tr_serve_on(const struct tr_app *app, const struct tr_listen *l, int n, const char *cert,
                const char *key)
{
    tr_sigset old;
    int rc = 1;
    tr_sys_sigmask(SIG_SETMASK, NULL, &old);
    pools_init(app);
    tr_srv.tls_port = 0;
    for (int k = 0; k < n && k < TR_LISTENERS; k++) {
        tr_srv.lkind[k] = l[k].kind;
        if (l[k].kind == TR_LISTEN_TLS && tr_srv.tls_port == 0)
            tr_srv.tls_port = l[k].port;
    }
#if TR_WITH_TLS
    /* Certificates first: a bad file must not leave ports half open. */
    if (tr_srv.tls_port != 0 && tr_tls_init(cert, key) != 0)
        return 1;
#else
    (void)cert;
    (void)key;
#endif
    raise_nofile();
    for (int k = 0; k < n && k < TR_LISTENERS; k++)
        if (listen_open(k, l[k].addr, l[k].port) != 0)
            goto out;
    rc = loop_open(&old) != 0 || APP_START() != 0 ? 1 : loop();
out:
    cleanup(&old);
    return rc;
}
#endif

#if TR_WITH_LOOP
/* ---- driven from another loop ------------------------------------------ */

static tr_sigset open_mask;   /* tr_open's caller's signal mask */

int tr_open(const struct tr_app *app, const char *addr, uint16_t port)
{
    tr_sys_sigmask(SIG_SETMASK, NULL, &open_mask);
#if TR_WITH_BASIC
    if (tr_basic_load(TR_BASIC_FILE) != 0)
        return -1;
#endif
    pools_init(app);
    raise_nofile();
    if (listen_open(0, addr, port) != 0 || loop_open(&open_mask) != 0 || app_start() != 0) {
        cleanup(&open_mask);
        return -1;
    }
    return tr_srv.ep;
}

int tr_timeout(void)
{
    tr_srv.now = now_ms();
    return next_timeout();
}

int tr_step(int timeout_ms)
{
    tr_srv.now = now_ms();
    int wait = next_timeout();
    if (timeout_ms >= 0 && (wait < 0 || timeout_ms < wait))
        wait = timeout_ms;
    if (turn(wait) != 0)
        return -1;
    return stopped();
}

void tr_close(void)
{
    cleanup(&open_mask);
}
#endif
