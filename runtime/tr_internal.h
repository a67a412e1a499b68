/*
 * tr_internal.h - what the runtime's files share and handlers never see:
 * the response object, the connection and buffer pools, the timer lists,
 * the chunked decoder and the serializer.
 */
#ifndef TR_INTERNAL_H
#define TR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tr_app.h"

/* A compile-time check: C11's _Static_assert, or where a compiler predates
 * it (older vendor toolchains) a negative array size. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define TR_ASSERT(c, m) _Static_assert(c, m)
#else
#define TR_CAT_(a, b) a##b
#define TR_CAT(a, b) TR_CAT_(a, b)
#define TR_ASSERT(c, m) typedef char TR_CAT(tr_assert_, __LINE__)[(c) ? 1 : -1]
#endif

/* Several listeners, or one of another kind than plain: each connection
 * remembers its listener (struct tr_conn.lst). */
#define TR_MULTI_LISTEN (TR_LISTENERS > 1 || TR_WITH_TLS || TR_WITH_REDIRECT)

/* Indexes into the connection and buffer pools; TR_NIL is "none". */
typedef uint16_t tr_idx;
#define TR_NIL ((tr_idx)0xffff)

TR_ASSERT(TR_CONNECTIONS > 0 && TR_CONNECTIONS < TR_NIL, "TR_CONNECTIONS out of range");
TR_ASSERT(TR_BUFFERS > 0 && TR_BUFFERS < TR_NIL, "TR_BUFFERS out of range");

/* Status line and runtime-owned headers are written into this many bytes
 * reserved in front of each response: "HTTP/1.1 431 Request Header Fields
 * Too Large\r\n" (46) + Content-Length (38) + "Connection: keep-alive\r\n"
 * (24) + Date (37), plus the blank line (2). */
#define TR_RES_RESERVE 152

/* A static body this short is copied behind its head rather than sent
 * from where it lies. */
#define TR_STATIC_COPY_MAX 128

/* The interim answer to Expect: 100-continue (RFC 9110 §15.2.1). */
#define TR_CONTINUE "HTTP/1.1 100 Continue\r\n\r\n"

/* An answer the runtime builds itself also needs an Allow field. */
#define TR_RES_MIN (TR_RES_RESERVE + 64)

TR_ASSERT(TR_OUT_MAX >= TR_RES_MIN + 64, "TR_OUT_MAX too small for a response head");
TR_ASSERT(TR_HEAD_MAX < (1u << 30), "TR_HEAD_MAX too large");

/* ---- responses (tr_response.c) ---------------------------------------- */

/*
 * One response being built in a connection's output buffer.  Its region
 * starts at buf + base: TR_RES_RESERVE bytes for the status line, then the
 * handler's header lines (hlen bytes), then the copied body (blen bytes).
 */
struct tr_res {
    char *buf;               /* the connection's output buffer */
    uint32_t cap;            /* its size */
    uint32_t base;           /* start of this response's region */
    uint32_t hlen;           /* header-line bytes after the reserve */
    uint32_t blen;           /* copied body bytes after the headers */
    const void *sbody;       /* static body sent by writev, or NULL */
    size_t slen;
    int status;
    uint8_t overflow;        /* a write did not fit: answer 500 instead */
#if TR_WITH_DEFER
    uint8_t later;           /* tr_res_defer was called: no answer now */
#endif
#if TR_WITH_PULL
    uint8_t stream;          /* TR_SM_*: tr_res_stream was called */
    int64_t stream_len;      /* its length, -1 unknown */
#endif
    /* Makes room by writing out earlier answers; 0 when res->base moved
     * down.  NULL in unit tests. */
    int (*spill)(struct tr_res *res);
    void *ctx;               /* the connection, for spill */
};

/* Serializer options. */
enum {
    TR_FIN_HEAD = 1u << 0,       /* HEAD request: send no body */
    TR_FIN_CLOSE = 1u << 1,      /* add Connection: close */
    TR_FIN_KEEP_ALIVE = 1u << 2  /* HTTP/1.0 keep-alive: say so */
};

/* Starts an empty 200 response whose region begins at buf + base. */
void tr_res_init(tr_res *res, char *buf, uint32_t cap, uint32_t base);

/* Drops headers and body and sets status: the runtime's own answers. */
void tr_res_reset(tr_res *res, int status);

/* Appends header lines built and checked at generation time ("Name:
 * value\r\n" each): an embedded file's head (tr_asset.c).  0 or -1. */
int tr_res_fields(tr_res *res, const char *lines, size_t len);

#if TR_WITH_ERROR_BODIES
/* Gives one of the runtime's own answers the spec's body for its status,
 * with its Content-Type (tr_error_bodies, tr_app.h), if there is one;
 * without room for the field the answer stays bodiless. */
void tr_res_error_body(tr_res *res);
#endif

/* Adds "Allow: GET, HEAD, ..." for the methods in mask (GET implies HEAD). */
int tr_res_allow(tr_res *res, uint16_t mask);

/*
 * Writes the status line and the runtime's headers in front of the
 * handler's, closes the head and moves the copied body after it, all in
 * place.  date is 29 bytes of IMF-fixdate or NULL.  Returns the bytes of
 * head plus copied body now at buf + base.  res->sbody/slen is what must
 * follow it on the wire (cleared for HEAD, 204 and 304).
 */
uint32_t tr_res_finish(tr_res *res, unsigned fin, const char *date);

/* The reason phrase for status, or NULL when the runtime does not know it. */
const char *tr_res_reason(int status);

/* Writes v in decimal at p, no NUL; returns the digit count (at most 20). */
size_t tr_fmt_u64(char *p, uint64_t v);

/* ---- Date (tr_date.c) --------------------------------------------------- */

#define TR_DATE_LEN 29

/* Writes t (seconds since the epoch) as IMF-fixdate, RFC 9110 §5.6.7. */
void tr_date_format(int64_t t, char out[TR_DATE_LEN]);

/* The current IMF-fixdate, formatted at most once a second. */
const char *tr_date_now(void);

/* ---- chunked decoder (tr_chunked.c) ----------------------------------- */

/* Incremental RFC 9112 §7.1 decoder state; zero it to start. */
struct tr_chunked {
    uint8_t state;           /* where in the grammar (tr_body.c) */
    uint16_t line;           /* bytes of this size line before its CR */
    uint32_t trailer;        /* trailer-section bytes so far */
    uint64_t left;           /* data bytes left in the current chunk */
};

enum {
    TR_CHUNK_DONE = 0,       /* last chunk and trailers read */
    TR_CHUNK_MORE = 1,       /* all input consumed; feed more */
    TR_CHUNK_ERR = -1,       /* malformed: 400 and close */
    TR_CHUNK_TOO_BIG = -2    /* body exceeds out_cap: 413 and close */
};

/*
 * Decodes in[0..in_len) into out + *out_len, up to out_cap bytes in all.
 * *used is set to the input bytes consumed: all of them unless DONE, when
 * the rest belongs to the next request.  Never reads past in_len.
 */
int tr_chunked_decode(struct tr_chunked *c, const char *in, size_t in_len, size_t *used,
                      char *out, size_t *out_len, size_t out_cap);

#if TR_WITH_STREAM
/* Zero-copy chunked decoding for streamed bodies: consumes framing bytes
 * of in[0..in_len) up to the next chunk data and sets *data, *len to the
 * data there (at most what is in, and what is left of the chunk); *used
 * is every byte consumed, the data's included.  room is what the body may
 * still grow by.  Returns TR_CHUNK_MORE (call again with the rest; *len
 * may be 0), TR_CHUNK_DONE, TR_CHUNK_ERR or TR_CHUNK_TOO_BIG. */
int tr_chunked_next(struct tr_chunked *c, const char *in, size_t in_len, size_t *used,
                    const char **data, size_t *len, uint64_t room);
#endif

#if TR_WITH_MULTIPART
/* The multipart/form-data splitter's state (tr_multipart.c). */
struct tr_multipart {
    uint8_t state;
    uint8_t dlen;            /* delimiter bytes: CRLF "--" boundary */
    uint8_t k;               /* of them, matched so far */
    uint16_t hlen;           /* bytes in hdr */
    char delim[4 + 70];      /* RFC 2046 §5.1.1: a boundary is 1-70 bytes */
    char hdr[TR_MULTIPART_HEAD_MAX]; /* the current part's header section */
};

enum {
    TR_MP_MORE = 0,          /* every byte taken: feed more */
    TR_MP_ERR = -1,          /* malformed, or a part header too long: 400 */
    TR_MP_DONE = -2          /* the close delimiter was seen */
};

/* Starts splitting a body of Content-Type type: 0; 1 when type is not
 * multipart/form-data (the body is raw); -1 when its boundary is bad. */
int tr_multipart_init(struct tr_multipart *mp, tr_str type);

/* Splits in[0..n): calls fn->part at each part's header (if not NULL) and
 * fn->data with its bytes.  Returns TR_MP_MORE, TR_MP_DONE, TR_MP_ERR, or
 * the nonzero value a call returned, when it stopped right after that
 * call: *used says how much of in it took (all of it unless stopped). */
int tr_multipart_feed(struct tr_multipart *mp, const char *in, size_t n, size_t *used,
                      const struct tr_stream *fn, tr_upload *up);

/* Was the close delimiter seen? */
int tr_multipart_done(const struct tr_multipart *mp);
#endif

/* ---- pools, connections and the server (tr_server.c, tr_conn.c) ------- */

/* Connection states. */
enum {
    TR_CS_FREE = 0,          /* slot unused */
    TR_CS_IDLE,              /* between requests; may hold no buffer */
    TR_CS_HEAD,              /* reading a request head */
    TR_CS_BODY,              /* reading a request body */
    TR_CS_LINGER,            /* answered, write side shut: draining input */
    TR_CS_LATER,             /* the handler deferred its answer (tr_later.c) */
    TR_CS_STREAM             /* its body is being sent in pieces (tr_pull.c) */
};

/* How a streamed body is framed (tr_res.stream). */
enum { TR_SM_NONE = 0, TR_SM_LENGTH, TR_SM_CHUNKED, TR_SM_CLOSE };

/* Connection flags. */
enum {
    TR_CF_CLOSE = 1u << 0,     /* close once the output is written */
    TR_CF_WAIT = 1u << 1,      /* on a wait list for a buffer */
    TR_CF_ERROR = 1u << 2,     /* the socket failed: close now */
    TR_CF_QUIT = 1u << 3,      /* with TR_CF_CLOSE: the client asked for it and
                                  sent nothing unread, so no lingering */
    TR_CF_DRAINED = 1u << 4,   /* this run's last read was short: the socket
                                  had no more, and new bytes raise a new edge */
    TR_CF_RDHUP = 1u << 5,     /* epoll saw the peer's FIN: a short read no
                                  longer vouches for an empty socket, as
                                  the end of file is still to be read */
    TR_CF_FRESH = 1u << 6      /* accepted, and no byte read yet: its first
                                  request's head deadline runs from accept */
};

/* Timer lists: each has one constant duration, so FIFO order is deadline
 * order and insertion is O(1). */
enum {
    TR_TL_NONE = 0, TR_TL_HEAD, TR_TL_BODY, TR_TL_SEND, TR_TL_IDLE,
#if TR_WITH_TLS
    TR_TL_HANDSHAKE,         /* a TLS handshake not finished yet */
#endif
#if TR_WITH_DEFER
    TR_TL_LATER,             /* a deferred answer not sent yet */
    TR_TL_READY,             /* a deferred answer to queue at once (duration 0) */
#endif
    TR_TL_COUNT
};
/* The lists whose members may hold buffers: TR_TL_HEAD .. TR_TL_SEND (an
 * idle connection holds none). */

/* A doubly linked list of pool indexes, and a member's links in it. */
struct tr_list {
    tr_idx head, tail;
};
struct tr_link {
    tr_idx prev, next;
};
/* A connection's two links, and the list kind argument of tr_list_*. */
enum { TR_LINK_TIMER = 0, TR_LINK_WAIT = 1 };

/*
 * One connection slot: small, because a thousand idle keep-alive
 * connections hold nothing else.
 */
struct tr_conn {
    int fd;                  /* -1 when free */
    uint32_t deadline;       /* tr_srv.now clock, ms; wraps */
    struct tr_link link[2];  /* TR_LINK_TIMER: timer list (free list: its
                                next); TR_LINK_WAIT: wait list for a buffer */
    tr_idx buf;              /* its slot in the buffer pool, or TR_NIL */
    uint8_t state;           /* TR_CS_* */
    uint8_t tlist;           /* TR_TL_* it is on */
    uint8_t flags;           /* TR_CF_* */
#if TR_MULTI_LISTEN
    uint8_t lst;             /* the listener it came from */
#endif
#if TR_WITH_TLS
    tr_idx tls;              /* its engine in tr_tls.c's pool, TR_NIL: plain */
#endif
#if TR_WITH_DEFER
    uint16_t gen;            /* of its last deferred answer's handle; kept
                                across clients, so old handles stay stale */
#endif
};

/* Output queue: out[off..len) with static bodies inserted before out[at]. */
struct tr_ins {
    uint32_t at;             /* goes on the wire before out[at] */
    size_t len;
    const char *ptr;
};

struct tr_outq {
    uint32_t len;            /* bytes queued in out[] */
    uint32_t off;            /* of them, written */
    uint8_t nins;            /* static bodies queued */
    uint8_t ins_i;           /* next one to write */
    size_t ins_off;          /* bytes of ins[ins_i] written */
    struct tr_ins ins[TR_OUT_STATIC];
};

#if TR_WITH_CHUNKED
#define TR_IN_SIZE (TR_HEAD_MAX + TR_CHUNK_SLACK)
#else
#define TR_IN_SIZE TR_HEAD_MAX
#endif

/*
 * Everything a busy connection needs, taken from the pool when it has
 * bytes to read and given back when it is idle again.  The input and
 * output buffers are paired: every request needs both.
 */
struct tr_slot {
    struct tr_lex lx;
    struct tr_request rq;
    struct tr_match m;
    int route;               /* dispatch result, once the head is done */
    uint32_t start;          /* where the current request starts in in[] */
    uint32_t in_len;         /* bytes in in[] */
    uint32_t lexed;          /* in_len the lexer last saw */
    uint32_t used;           /* bytes of in[] the current request consumed */
    uint32_t heard;          /* the time (tr_srv.now clock) up to which the
                                bytes its connection moved pay for holding
                                it, at TR_MIN_RATE: tr_pool_moved */
    uint16_t outq;           /* minus the bytes the kernel had unsent when
                                last asked, mod 2^16: enough to see them shrink */
#if TR_WITH_BODY
    tr_idx body;             /* body buffer, or TR_NIL */
    uint32_t body_len;       /* body bytes received (decoded) */
    uint64_t body_want;      /* Content-Length */
    uint8_t cont;            /* a 100 Continue is still owed */
    uint8_t body_held;       /* body is kept: a queued answer sends from it */
    uint16_t inq;            /* waiting for a body buffer: bytes unread in
                                the socket when last asked, mod 2^16 */
#if TR_WITH_CHUNKED
    struct tr_chunked ch;
#endif
#endif
#if TR_WITH_STREAM
    tr_upload up;            /* a streamed body's (tr_stream.c) */
#if TR_WITH_MULTIPART
    struct tr_multipart mp;
#endif
#endif
#if TR_WITH_DEFER
    tr_res later;            /* a deferred answer being built (TR_CS_LATER) */
    tr_later_fn *later_fn;   /* told if it is given up */
    void *later_arg;
    uint8_t later_done;      /* sent or given up: queue it (TR_TL_READY) */
#endif
#if TR_WITH_PULL
    tr_fill_fn *fill;        /* the streamed body's source; NULL once done */
    tr_stream_done_fn *sdone;
    void *sarg;
    uint64_t sleft;          /* TR_SM_LENGTH: bytes still to come */
    uint8_t smode;           /* TR_SM_* */
    uint8_t spaused;         /* fill said TR_STREAM_PAUSE */
    uint8_t send_;           /* fill said TR_STREAM_END: the end is queued */
    uint8_t sdrop;           /* tr_pull_push found no room: close at the next step */
#if TR_WITH_FILE
    uint8_t is_file;         /* the body is ffd's bytes (tr_file.c) */
    uint8_t fblocked;        /* sendfile said EAGAIN: a send deadline runs */
    int ffd;                 /* the file, closed when the body is over */
    uint64_t foff;           /* its next byte to send */
    tr_stream_done_fn *fdone; /* the app's completion, and its argument */
    void *farg;
#endif
#endif
    struct tr_outq q;
    char in[TR_IN_SIZE];
    char out[TR_OUT_MAX];
};

#if TR_WITH_BODY
TR_ASSERT(TR_BODY_BUFFERS > 0 && TR_BODY_BUFFERS < TR_NIL, "TR_BODY_BUFFERS out of range");
TR_ASSERT(TR_BODY_MAX > 0, "TR_WITH_BODY needs TR_BODY_MAX");
#endif

/* The buffer pools (tr_pool.c). */
enum {
    TR_POOL_SLOT = 0,        /* request buffers: struct tr_slot */
#if TR_WITH_BODY
    TR_POOL_BODY,            /* body buffers: tr_srv.body[] */
#endif
    TR_POOLS
};

struct tr_pool {
    tr_idx free;             /* free list through slot_next or body_next */
    struct tr_list wait;     /* connections waiting for a buffer, in order */
};

/* The single server instance; the pools are sized at compile time. */
struct tr_srv {
    const struct tr_app *app;
    int ep;                  /* epoll */
    int lfd[TR_LISTENERS];   /* listening sockets, -1 once stopping */
#if TR_MULTI_LISTEN
    uint8_t lkind[TR_LISTENERS]; /* TR_LISTEN_* */
    uint16_t tls_port;       /* the first TLS listener's, for redirects */
#endif
    int sfd;                 /* signalfd */
    int spare;               /* reserve descriptor for EMFILE */
    uint32_t now;            /* ms since start, refreshed after each wait */
    uint32_t active;         /* connections open */
    uint8_t stopping;
    tr_idx free_conn;        /* free list through t.next */
    uint32_t stop_at;        /* hard stop once stopping */
    uint32_t resume_at;      /* accept paused (out of descriptors) until */
    uint8_t paused;
    struct tr_list timer[TR_TL_COUNT];
    struct tr_pool pool[TR_POOLS];
#if TR_WITH_STREAM
    struct tr_list resumed;  /* paused uploads resumed: run them (tr_stream.c) */
#endif
#if TR_WITH_BODY
    tr_idx body_next[TR_BODY_BUFFERS];
    char body[TR_BODY_BUFFERS][TR_BODY_MAX];
#endif
    struct tr_conn conn[TR_CONNECTIONS];
    /* Kept apart from the slots so that start-up touches no buffer page:
     * an unused buffer costs no RAM. */
    tr_idx slot_next[TR_BUFFERS];
    struct tr_slot slot[TR_BUFFERS];
};

/* The single server instance (tr_list.c). */
extern struct tr_srv tr_srv;

/* ---- lists and timers (tr_list.c) ----------------------------------------
 * The bottom of the runtime with tr_sys.c: they call no other file of it. */

/* Appends connection i to l through its link of kind TR_LINK_*. */
void tr_list_push(struct tr_list *l, tr_idx i, int kind);
/* Takes connection i out of l; its link is left empty. */
void tr_list_unlink(struct tr_list *l, tr_idx i, int kind);
/* Moves c to the tail of timer list `list` (TR_TL_*), its deadline now
 * plus the list's duration; TR_TL_NONE takes it off every timer list. */
void tr_timer_set(struct tr_conn *c, int list);

/* ---- system calls (tr_sys.c) ------------------------------------------ */

/* setsockopt(2), as the plain system call where there is one. */
int tr_setsockopt(int fd, int level, int name, const void *value, unsigned len);
/* Bytes the kernel has not sent yet from fd's queue (TIOCOUTQ); -1 when
 * it cannot say. */
int tr_sock_unsent(int fd);
#if TR_WITH_BODY
/* Bytes in fd's receive queue (FIONREAD); -1 when it cannot say. */
int tr_sock_unread(int fd);
#endif
/* Writes "tinyroute: what: why\n" to stderr; why may be NULL. */
void tr_log(const char *what, const char *why);

/*
 * The loop's system calls (tr_server.c), made as plain system calls where
 * the kernel has them (i386 may only have socketcall): musl's wrappers
 * carry fallbacks for kernels before 2.6.27 (accept4 and socket set their
 * flags with fcntl, signalfd goes without them), and sigprocmask filters
 * libc's own signals; a static firmware pays about 0.6 KB for them.  A
 * signal mask is then the kernel's, of its size: 64 signals, 128 on MIPS.
 */
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__mips__)
#define TR_SIGSET_BYTES 16
#else
#define TR_SIGSET_BYTES 8
#endif
typedef struct {
    unsigned long word[TR_SIGSET_BYTES / sizeof(unsigned long)];
} tr_sigset;
#define TR_SIGBIT(s) (1ul << ((s) - 1))     /* signal s < 32, in word[0] */
#define tr_sys_sigmask(how, set, old) \
    syscall(SYS_rt_sigprocmask, (how), (set), (old), TR_SIGSET_BYTES)
#define tr_sys_signalfd(set, flags) \
    ((int)syscall(SYS_signalfd4, -1, (set), TR_SIGSET_BYTES, (flags)))
#define tr_sys_prlimit(res, set, old) syscall(SYS_prlimit64, 0, (res), (set), (old))
#define tr_sys_epoll_create() ((int)syscall(SYS_epoll_create1, EPOLL_CLOEXEC))
#define tr_sys_epoll_wait(ep, ev, n, ms) \
    ((int)syscall(SYS_epoll_pwait, (ep), (ev), (n), (ms), NULL, 0))
#if defined(SYS_socket) && defined(SYS_accept4) && !defined(__i386__)
#define tr_sys_socket(family, type) ((int)syscall(SYS_socket, (family), (type), 0))
#define tr_sys_bind(fd, addr, len) syscall(SYS_bind, (fd), (addr), (len))
#define tr_sys_listen(fd) syscall(SYS_listen, (fd), SOMAXCONN)
#define tr_sys_accept(fd, flags) ((int)syscall(SYS_accept4, (fd), NULL, NULL, (flags)))
#define tr_sys_shutdown(fd) syscall(SYS_shutdown, (fd), SHUT_WR)
#else
#define tr_sys_socket(family, type) socket((family), (type), 0)
#define tr_sys_bind(fd, addr, len) bind((fd), (addr), (len))
#define tr_sys_listen(fd) listen((fd), SOMAXCONN)
#define tr_sys_accept(fd, flags) accept4((fd), NULL, NULL, (flags))
#define tr_sys_shutdown(fd) shutdown((fd), SHUT_WR)
#endif

/*
 * Parses an IPv4 dotted quad (v6 = 0) or an IPv6 literal without brackets
 * (v6 = 1) into out (4 or 16 bytes, network order), as inet_pton would.
 * Returns 0, or -1 when s is not one (tr_listen.c).
 */
int tr_addr_parse(const char *s, int v6, void *out);

/* ---- a connection's socket (tr_io.c, tr_tls.c) ---------------------------
 * Reads and writes go through these two: the socket itself, or with
 * TR_WITH_TLS the TLS engine of a connection that has one.  Both behave as
 * read(2) and writev(2) on a non-blocking socket (-1 and errno EAGAIN when
 * it would block); a count the TLS writev returns is on the socket. */
#if TR_WITH_TLS
#include <sys/uio.h>
long tr_tls_read(struct tr_conn *c, void *p, size_t n);
long tr_tls_writev(struct tr_conn *c, const struct iovec *iov, int n);
#define tr_io_read(c, p, n) ((c)->tls != TR_NIL ? tr_tls_read(c, p, n) : read((c)->fd, p, n))
#define tr_io_writev(c, iov, n) \
    ((c)->tls != TR_NIL ? tr_tls_writev(c, iov, n) : writev((c)->fd, iov, n))
/* Loads the certificate chain and the key, and readies the engines; 0, or
 * -1 after saying why on stderr. */
int tr_tls_init(const char *cert, const char *key);
/* Gives the accepted connection c an engine; -1 if the pool is empty, -2
 * if the engine cannot start (no random seed). */
int tr_tls_open(struct tr_conn *c);
/* Sends close_notify if it fits in the socket, before a half-close. */
void tr_tls_shutdown(struct tr_conn *c);
/* Returns c's engine to the pool (tr_conn_close). */
void tr_tls_close(struct tr_conn *c);
/* 1 while c's handshake is not finished (its timer list). */
int tr_tls_handshaking(const struct tr_conn *c);
/* 1 while no byte of c's handshake came: a client that connected and said
 * nothing, whose engine a newcomer may take (tr_server.c, evict_idle). */
int tr_tls_silent(const struct tr_conn *c);
/* Drives c's handshake without a request buffer: 0 once it is done,
 * TR_IO_AGAIN while it waits on the socket, TR_IO_END when it failed. */
long tr_tls_handshake(struct tr_conn *c);
/* Adds HSTS to an answer on a TLS connection (TR_TLS_HSTS > 0). */
void tr_tls_res(struct tr_conn *c, tr_res *res);
#define tr_conn_is_tls(c) ((c)->tls != TR_NIL)
#else
#define tr_io_read(c, p, n) read((c)->fd, p, n)
#define tr_io_writev(c, iov, n) writev((c)->fd, iov, n)
#define tr_conn_is_tls(c) 0
#endif

/* I/O results below zero; a positive count otherwise. */
enum { TR_IO_AGAIN = -1, TR_IO_END = -2 };

/* Reads into p; returns bytes, TR_IO_AGAIN, or TR_IO_END on EOF/error
 * (tr_io.c). */
long tr_conn_read(struct tr_conn *c, char *p, size_t n);

/* ---- buffer pools (tr_pool.c) ---------------------------------------------
 * Above lists and system calls; tr_pool.c's header comment has the policy.
 * The free and wait lists' few instructions are inline here: the pool
 * kind is a constant where they are asked, and a spec without bodies has
 * one pool. */

/* The free-list links of pool kind's buffers. */
static inline tr_idx *tr_pool_links(int kind)
{
#if TR_WITH_BODY
    if (kind == TR_POOL_BODY)
        return tr_srv.body_next;
#endif
    (void)kind;
    return tr_srv.slot_next;
}

/* Links every buffer into its pool's free list; no waiters. */
static inline void tr_pool_init(void)
{
    for (int i = 0; i < TR_BUFFERS; i++)
        tr_srv.slot_next[i] = (tr_idx)(i + 1 < TR_BUFFERS ? i + 1 : TR_NIL);
#if TR_WITH_BODY
    for (int i = 0; i < TR_BODY_BUFFERS; i++)
        tr_srv.body_next[i] = (tr_idx)(i + 1 < TR_BODY_BUFFERS ? i + 1 : TR_NIL);
#endif
    for (int k = 0; k < TR_POOLS; k++) {
        tr_srv.pool[k].free = 0;
        tr_srv.pool[k].wait.head = tr_srv.pool[k].wait.tail = TR_NIL;
    }
}

/* Takes a free buffer of pool kind (TR_POOL_*): its index, or TR_NIL. */
static inline tr_idx tr_pool_take(int kind)
{
    tr_idx i = tr_srv.pool[kind].free;
    if (i != TR_NIL)
        tr_srv.pool[kind].free = tr_pool_links(kind)[i];
    return i;
}

/* Gives buffer i back to pool kind. */
static inline void tr_pool_give(int kind, tr_idx i)
{
    tr_pool_links(kind)[i] = tr_srv.pool[kind].free;
    tr_srv.pool[kind].free = i;
}

/* Queues c behind the others waiting for a buffer of pool kind
 * (TR_CF_WAIT): it reads nothing until tr_conn_wake hands one over. */
static inline void tr_pool_wait(struct tr_conn *c, int kind)
{
    c->flags |= TR_CF_WAIT;
    tr_list_push(&tr_srv.pool[kind].wait, (tr_idx)(c - tr_srv.conn), TR_LINK_WAIT);
}

/* The first connection waiting for pool kind, which has one, off its
 * list (its TR_CF_WAIT cleared). */
static inline struct tr_conn *tr_pool_next(int kind)
{
    struct tr_list *l = &tr_srv.pool[kind].wait;
    struct tr_conn *c = &tr_srv.conn[l->head];
    tr_list_unlink(l, l->head, TR_LINK_WAIT);
    c->flags &= (uint8_t)~TR_CF_WAIT;
    return c;
}

#if TR_WITH_BODY
/* Gives s's body buffer back, if it holds one. */
void tr_pool_give_body(struct tr_slot *s);
#endif
/* Takes c off the wait list it is on, if any. */
void tr_pool_unwait(struct tr_conn *c);
/* n bytes that s's client sent, or took from the kernel's queue: credit
 * for holding s at TR_MIN_RATE. */
void tr_pool_moved(struct tr_slot *s, uint32_t n);
/* The connection to cut for a buffer of pool kind, as its pool is empty:
 * the holder furthest behind the minimum rate, if that is
 * TR_MIN_RATE_GRACE_MS or more; NULL if none is. */
struct tr_conn *tr_pool_laggard(int kind);

/* ---- the steps of a connection -----------------------------------------
 * What the step functions of the connection's states tell it (tr_conn.c,
 * process): the first five end a run of steps, and tr_conn_run acts on
 * them; the others name what a feature's step leaves to the connection. */
enum {
    TR_STEP_AGAIN = -1,      /* made progress, or moved to another state: step again */
    TR_STEP_INPUT = 0,       /* needs bytes from the socket */
    TR_STEP_FLUSH,           /* the output buffer must drain first */
    TR_STEP_WAIT,            /* waits (for a pool buffer, the app): do not read */
    TR_STEP_CLOSE,           /* answered for the last time */
#if TR_WITH_BODY
    TR_STEP_BODY_DONE,       /* tr_body_step: the body is in, call the handler */
#endif
#if TR_WITH_FILE
    TR_STEP_FILE,            /* tr_pull_step: the body's next bytes are the
                                file's, by sendfile(2): tr_file_step */
#endif
};

/* ---- the output queue and answers (tr_out.c) ------------------------------
 * Below every feature that answers: queuing an answer moves the connection
 * on to its next request, and asks nothing of the connection's steps. */

/* Forgets the request: the byte at s->start starts a new one. */
void tr_rq_reset(struct tr_slot *s);
/* Whether c has bytes queued that are not written yet. */
int tr_out_pending(const struct tr_conn *c);
/* Writes everything queued: 0 when done (the queue is then empty),
 * TR_IO_AGAIN when the socket is full, TR_IO_END when it failed. */
int tr_out_flush(struct tr_conn *c);
/* Starts the answer of c's current request in res: its region behind the
 * answers queued, its spill hook, HSTS on TLS. */
void tr_out_res(struct tr_conn *c, tr_res *res);
/* Serializes res into the queue and moves on to the next request (or
 * marks c to close: TR_CF_CLOSE). */
void tr_out_respond(struct tr_conn *c, tr_res *res);
/* Queues res as the answer of c's current request; st nonzero: the status
 * instead, res's fields kept, its body dropped (as for invoke). */
void tr_out_answer(struct tr_conn *c, tr_res *res, int st);
/* Queues an answer of the runtime's own: status, the Allow mask or 0, the
 * spec's body for the status if it has one. */
void tr_out_status(struct tr_conn *c, int status, uint16_t allow);
/* Queues an error answer with Connection: close. */
void tr_out_fail(struct tr_conn *c, int status);

/* ---- features: each above the output queue, below the connection --------- */

#if TR_WITH_BODY
/* Starts reading the body of a request for a route that takes one. */
void tr_body_begin(struct tr_conn *c, struct tr_slot *s);
/* Consumes buffered body bytes into s's body buffer, which it has (a
 * streamed body is tr_stream_step's).  Returns TR_STEP_BODY_DONE once the
 * body is complete (the handler is the connection's to call),
 * TR_STEP_AGAIN after answering an error, else the TR_STEP_* it waits
 * for. */
int tr_body_step(struct tr_conn *c, struct tr_slot *s);
/* Reads body bytes from the socket (not a streamed body's: tr_stream_read);
 * see tr_conn_read. */
long tr_body_read(struct tr_conn *c, struct tr_slot *s);
#endif

#if TR_WITH_STREAM
/* A streamed route's body (tr_stream.c): starts it (calls begin), steps
 * and reads it as tr_body_step and tr_body_read do; tr_stream_cut calls
 * end once with how when the upload is cut short (a deadline, the client
 * gone) and nothing else did; tr_stream_resumed takes the next upload
 * resumed (tr_upload_resume) off its list, for the connection to run;
 * tr_stream_paused says whether s's upload is paused (not cut for the
 * minimum rate: its holder chose the wait). */
void tr_stream_begin(struct tr_conn *c, struct tr_slot *s);
int tr_stream_step(struct tr_conn *c, struct tr_slot *s);
long tr_stream_read(struct tr_conn *c, struct tr_slot *s);
void tr_stream_cut(struct tr_conn *c, int how);
struct tr_conn *tr_stream_resumed(void);
#define tr_stream_paused(s) ((s)->up.state != 0 && (s)->up.paused)
#endif

#if TR_WITH_DEFER
/* After the handler returned (tr_conn.c, invoke): 1 if it deferred and c now
 * waits in TR_CS_LATER, else 0 (res is the answer). */
int tr_later_hold(struct tr_conn *c, tr_res *res, int status);
/* process() for TR_CS_LATER: queues the answer once it is done
 * (TR_STEP_AGAIN), closes for a client that went away, else TR_STEP_WAIT. */
int tr_later_step(struct tr_conn *c, struct tr_slot *s);
/* The deadline passed: tells the app and makes the answer a 503. */
void tr_later_expire(struct tr_conn *c);
/* c closes while deferred: tells the app, unless it was done. */
void tr_later_gone(struct tr_conn *c);
#endif

#if TR_WITH_PULL
/* After the handler returned: 1 if it streams, and c now does (the head
 * queued), else 0. */
int tr_pull_hold(struct tr_conn *c, tr_res *res, int status);
/* process() for TR_CS_STREAM: fills the output buffer once it is empty;
 * TR_STEP_FILE when a file's bytes are next (tr_file_step sends them). */
int tr_pull_step(struct tr_conn *c, struct tr_slot *s);
/* Aborted, too much, or too little for the length said: the client must
 * see the body cut short, so c closes without its end; TR_STEP_CLOSE. */
int tr_pull_cut(struct tr_conn *c, struct tr_slot *s);
/* c closes while streaming: done(arg, 0), unless it was called. */
void tr_pull_gone(struct tr_conn *c);
/* Queues len bytes of h's stream behind what is queued, framed, from
 * outside its fill (tr_sse.c); 0, or -1 when h is stale or the output
 * buffer cannot take them: the connection is then closed as the loop
 * turns, its done called with 0.  TR_PULL_EARLY while the handler that
 * made h still runs: nothing is queued, see tr_pull_early. */
int tr_pull_push(tr_later h, const char *data, size_t len);
#define TR_PULL_EARLY (-2)
/* Writes len bytes, framed as a piece of the stream, into the body of the
 * streamed answer res that a handler is still filling, behind its head:
 * 0, or -1 (nothing written) when they do not fit. */
int tr_pull_early(tr_res *res, const char *data, size_t len);
#endif

#if TR_WITH_FILE
/* The step of a file on a plain socket, after tr_pull_step's TR_STEP_FILE:
 * one sendfile(2).  TR_STEP_AGAIN (-1) after progress, TR_STEP_WAIT when
 * the socket is full, TR_STEP_CLOSE to cut (tr_pull_cut). */
int tr_file_step(struct tr_conn *c, struct tr_slot *s);
#define tr_file_sends(c, s) ((s)->is_file && !tr_conn_is_tls(c))
#define tr_file_blocked(s) ((s)->is_file && (s)->fblocked)
#else
#define tr_file_blocked(s) 0
#endif

#if TR_WITH_REDIRECT
/* Whether c came in on a redirecting listener (tr_redirect.c). */
#define tr_conn_redirects(c) (tr_srv.lkind[(c)->lst] == TR_LISTEN_REDIRECT)
/* Fills res with the 308 to the TLS listener for rq (tr_redirect.c). */
void tr_redirect(const struct tr_request *rq, tr_res *res);
#endif

#if TR_WITH_LOOP
/* epoll data of the app's descriptor k (tr_loop.c), below the signalfd's. */
#define TR_ID_APP(k) (0xffffffffu - TR_LISTENERS - 1u - (uint32_t)(k))
/* Calls the app's function for the descriptor of epoll data id; 0 if id
 * is not one of the app's. */
int tr_loop_event(uint32_t id, uint32_t events);
/* Lowers *best (ms, -1: none) to the app's next timer. */
void tr_loop_next(int32_t *best);
/* Runs the app's timers that are due. */
void tr_loop_timers(void);
/* Forgets every watch and timer (the loop closes). */
void tr_loop_reset(void);
#endif

/* ---- the connection and the server (tr_conn.c, tr_server.c) ------------
 * The top: tr_conn.c's steps call the features' hooks, tr_server.c's loop
 * calls the connections. */

/* Sets up an accepted socket in a free slot; returns 0, or -1 if full. */
int tr_conn_open(int fd);

/* Does everything the connection can do without blocking. */
void tr_conn_run(struct tr_conn *c);

/* A deadline passed on the connection's timer list. */
void tr_conn_expire(struct tr_conn *c);

/* Closes the connection and returns its slots to the pools. */
void tr_conn_close(struct tr_conn *c);

/* Gives buffers to waiting connections and runs them. */
void tr_conn_wake(void);

#endif /* TR_INTERNAL_H */
