/*
 * tr.h - the tinyroute runtime as handlers see it.
 *
 * A handler receives a response object and the request's typed parameters
 * as views into the connection's request buffer (valid until the handler
 * returns).  It answers through the tr_res_* calls below, which never pull
 * stdio, printf or malloc into the firmware.
 */
#ifndef TR_H
#define TR_H

#include <stddef.h>
#include <stdint.h>

/* A byte string that points into a buffer it does not own. */
typedef struct tr_str {
    const char *ptr; /* NULL when the value is absent */
    size_t len;
} tr_str;

#include "tr_methods.h"   /* enum tr_method */

typedef struct tr_res tr_res;

/*
 * Sets the status line.  Defaults to 200 when a handler never calls it.
 * Any final status, 200 to 599, is sent; one the runtime has no reason
 * phrase for goes out with an empty phrase ("HTTP/1.1 451 ", RFC 9112 §4).
 * An interim (1xx) or out-of-range code is sent as 500.
 */
void tr_res_status(tr_res *res, int status);

/*
 * Adds a response header.  Returns 0, or -1 (and adds nothing) when the
 * name is not an RFC 9110 token or the value holds a control byte other
 * than HTAB (RFC 9110 §5.5): a handler can never split the response.
 * Leading and trailing whitespace of the value is dropped.  A field that
 * may appear once (Content-Type, Location, ETag, Last-Modified,
 * Retry-After, Expires) replaces an earlier one of the same name.  Content-Length,
 * Transfer-Encoding, Connection, Keep-Alive, Upgrade, Trailer, TE, Date and
 * Content-Encoding are the runtime's own and are refused.
 */
int tr_res_header(tr_res *res, const char *name, const char *value, size_t len);

/* tr_res_header(res, "Content-Type", type, strlen(type)); -1 for NULL. */
int tr_res_content_type(tr_res *res, const char *type);

/*
 * Sends a body that lives in constant memory (or any memory that outlives
 * the connection's write): it is not copied.  Replaces anything written.
 */
void tr_res_body_static(tr_res *res, const void *body, size_t len);

/*
 * Appends bytes to the body, copied into the connection's output buffer.
 * Returns 0, or -1 when the buffer is full: the response is then replaced
 * by a 500 when the handler returns.
 */
int tr_res_write(tr_res *res, const void *data, size_t len);

/* Appends a NUL-terminated string; see tr_res_write. */
int tr_res_puts(tr_res *res, const char *s);

/* Appends the decimal form of a signed 64-bit integer; see tr_res_write. */
int tr_res_int(tr_res *res, int64_t value);

/*
 * The address of the client the answer goes to, for logs and rate
 * limits: getpeername(2)'s, written to addr (a struct sockaddr_in or
 * sockaddr_in6; pass a struct sockaddr_storage), *len its size in and the
 * address's out.  Returns 0, or -1 when it is unknown (the client is
 * gone).  Costs a system call, and nothing when no handler calls it.
 */
int tr_res_peer(const tr_res *res, void *addr, unsigned *len);

/* ---- streamed request bodies (a route's `body=SIZE,stream`) -------------
 *
 * A streamed route's handler is three calls (four with `multipart`), whose
 * prototypes NAME_routes.h declares:
 *   int  NAME_h_begin(tr_res *res, tr_upload *up, <the route's arguments>);
 *   int  NAME_h_part(tr_upload *up, const tr_part *part);       (multipart)
 *   int  NAME_h_data(tr_upload *up, const char *data, size_t len);
 *   void NAME_h_end(tr_res *res, tr_upload *up, int how);
 * begin runs once the head is known, before `100 Continue` is sent and
 * before any body byte is read: it returns 0 to take the body, or a status
 * (200-599) to answer now with res's fields (the connection then closes,
 * the body unread).  data gets the body's bytes, de-chunked, in order, in
 * pieces of at most a request buffer; it returns 0 for more, TR_UPLOAD_PAUSE
 * to stop reading until tr_upload_resume, or a status to refuse the rest
 * (answered as is, then the connection closes).  end runs exactly once
 * after a begin that returned 0, with how it ended (TR_UPLOAD_*); res is
 * the answer to fill when how is TR_UPLOAD_DONE, as a handler fills it,
 * and NULL otherwise (the runtime answers 400, 408 or 413 itself, or the
 * client is gone).  The views begin received stay valid until end returns.
 */
typedef struct tr_upload {
    void *user;              /* the handler's: NULL at begin */
    uint64_t received;       /* body bytes (de-chunked) read and handed on so far */
    uint64_t length;         /* Content-Length, or TR_UPLOAD_CHUNKED */
    uint8_t multipart;       /* a multipart/form-data body, being split */
    uint8_t paused;          /* no data calls until tr_upload_resume */
    uint8_t state;           /* the runtime's (tr_stream.c) */
    uint8_t queued;          /* the runtime's: on the resumed list */
    uint16_t conn;           /* the runtime's: its connection */
    uint32_t pos;            /* the runtime's: next framing byte in the buffer */
    uint32_t pend, pend_len; /* the runtime's: de-framed bytes not yet taken */
} tr_upload;

#define TR_UPLOAD_CHUNKED UINT64_MAX
/* data's (and part's) return value that pauses the upload. */
#define TR_UPLOAD_PAUSE 1

/* How an upload ended: end's `how`. */
enum {
    TR_UPLOAD_DONE = 0,      /* the whole body arrived: answer through res */
    TR_UPLOAD_ABORTED,       /* the client went away, or framed it badly (400) */
    TR_UPLOAD_TIMEOUT,       /* `timeout body` passed with no byte, or the
                                minimum rate cut it for a waiting client (408) */
    TR_UPLOAD_TOO_BIG,       /* a chunked body outgrew the route's limit (413) */
    TR_UPLOAD_REFUSED        /* data or part returned a status: answered so */
};

/* Pauses reading, as a data call returning TR_UPLOAD_PAUSE does: from any
 * code that runs in the server's loop, while the upload is in progress. */
void tr_upload_pause(tr_upload *up);

/*
 * Resumes a paused upload: reading and data calls go on once the loop has
 * finished the event it is handling (never inside this call), so it may be
 * called from any code that runs in the loop, another request's handler
 * included.  Only between begin and end.
 */
void tr_upload_resume(tr_upload *up);

/* One part of a multipart/form-data body (RFC 7578), for part: views into
 * the splitter's copy of the part's header, valid until the part's first
 * data call.  A field that is absent has ptr NULL. */
typedef struct tr_part {
    tr_str name;             /* Content-Disposition's name */
    tr_str filename;         /* ... and filename, as sent (not decoded) */
    tr_str type;             /* Content-Type */
} tr_part;

/* ---- answers that come later (a `defer` route: TR_WITH_DEFER) ---------
 *
 * A handler of a route marked `defer` may return without answering: it
 * calls tr_res_defer and keeps the handle.  The connection keeps its slot
 * and its buffers (the request's views stay valid) until the answer is
 * sent, and requests pipelined behind it wait, so answers stay in order.
 * Later, from any event of the same thread (another request's handler, a
 * timer or descriptor of the loop), the app fills tr_later_res(h) with the
 * tr_res_* calls above and sends it with tr_later_send(h).  Long polling is
 * this.  The runtime gives up on the answer when
 *   - `timeout defer` (TR_DEFER_TIMEOUT_MS) passes: it answers 503 Service
 *     Unavailable itself (with the spec's `error 503` body, if any).  Not
 *     504: RFC 9110 §15.6.5 defines that for a gateway or proxy whose
 *     upstream was late, and this server is the origin; §15.6.4's 503 is
 *     an origin server's "cannot answer now, try again later";
 *   - the client goes away (end of file, a half-close, a reset or an error
 *     on the socket), or the server stops: the connection is closed;
 * and either way it first calls the `done` function given to tr_res_defer
 * once, with the handle (already stale) and why.  A handle is the
 * connection's index and a generation: once its answer is sent or given
 * up, every call with it returns NULL or -1, even after the slot serves
 * another client.  Handles are not for other threads (see tr_loop_*).
 * A handler that blocks instead stalls every client.
 */
typedef struct tr_later {
    uint32_t id;             /* 0: none */
} tr_later;

/* Why a deferred answer was given up (the `done` function's why). */
enum {
    TR_LATER_TIMEOUT = 1,    /* the deadline passed; the runtime answers 503 */
    TR_LATER_GONE = 2        /* the client went away, or the server stopped */
};

typedef void tr_later_fn(tr_later h, void *arg, int why);

/*
 * Leaves the answer for later: returns the handle (id 0 when res cannot
 * wait, as in a runtime test) and keeps what res holds so far (status,
 * fields, body bytes).  The handler then returns and its return value is
 * ignored.  done (may be NULL) is called at most once, only if the answer
 * is given up, never after tr_later_send.
 */
tr_later tr_res_defer(tr_res *res, tr_later_fn *done, void *arg);

/* The response to fill for h, or NULL when h is stale. */
tr_res *tr_later_res(tr_later h);

/* Sends h's answer (the runtime writes it as the loop turns); 0, or -1
 * when h is stale (the client is gone, or it was sent). */
int tr_later_send(tr_later h);

/* ---- bodies sent in pieces (a `stream` route: TR_WITH_PULL) ---------
 *
 * A handler of a `stream` route may answer with a body it produces in
 * pieces: tr_res_stream gives the status and fields set so far, the
 * length (or -1: unknown), and a fill function the runtime calls each
 * time the output buffer has been written out: fill(arg, buf, cap) writes
 * up to cap bytes at buf and returns how many, or
 *   TR_STREAM_END    the body is complete;
 *   TR_STREAM_PAUSE  nothing now: call tr_stream_resume(h) when there is;
 *   TR_STREAM_ABORT  give up: the connection is closed, the body cut short.
 * So a slow reader costs the output buffer (`limit response`) and no more.
 * A known length goes out as Content-Length (fill must produce exactly
 * that many bytes, or the connection is closed); an unknown one chunked
 * to an HTTP/1.1 client and delimited by the close to an HTTP/1.0 one.
 * done(arg, complete) is called once: complete 1 when the last byte was
 * written to the socket, 0 when the client went away or the stream was
 * aborted.  Requests pipelined behind it wait, as behind a deferral.  A
 * HEAD request gets the fields, and done(arg, 1) without any fill.
 */
enum { TR_STREAM_END = 0, TR_STREAM_PAUSE = -1, TR_STREAM_ABORT = -2 };

typedef long tr_fill_fn(void *arg, char *buf, size_t cap);
typedef void tr_stream_done_fn(void *arg, int complete);

/* Starts a streamed body (replacing any body written); returns the handle
 * for tr_stream_resume (id 0 when res cannot stream, as in a test). */
tr_later tr_res_stream(tr_res *res, int64_t length, tr_fill_fn *fill, tr_stream_done_fn *done,
                       void *arg);

/* A paused stream's fill is called again soon; 0, or -1 when h is stale. */
int tr_stream_resume(tr_later h);

/* ---- a file as the answer (a `file` route: TR_WITH_FILE) -----------
 *
 * A handler of a route marked `file` (a `stream` route that may also send
 * files) may answer with length bytes of an open file from offset: the
 * head goes out first, then on a plain socket the bytes go with
 * sendfile(2), page cache to socket, as fast as the client takes them
 * (partial sends resume when the socket is writable again, under the
 * send deadline), costing no buffer.  Over TLS sendfile cannot work (the
 * bytes must be encrypted in user space): they are pread into the output
 * buffer a piece at a time and written through the TLS engine.  The
 * descriptor is the runtime's from the call on: it is closed once the
 * last byte is written, the client is gone, or the answer turns out to
 * have no body (HEAD, a handler status) - and at once when 0 is returned.
 * done (may be NULL) is then called once, as a stream's.  A file that
 * shrinks under the send cuts the answer short (the connection closes).
 */

/* Sends length bytes of fd from offset as the body (Content-Length).
 * Returns the stream's handle, or id 0 when res cannot stream. */
tr_later tr_res_file(tr_res *res, int fd, uint64_t offset, uint64_t length, tr_stream_done_fn *done,
                     void *arg);

/*
 * tr_res_file with the request's Range (RFC 9110 §14), for a file of
 * size bytes: range and if_range are the request's fields (a route's
 * `header=Range,If-Range`; ptr NULL when absent).  To a GET, one
 * satisfiable byte range ("bytes=0-99", "bytes=100-", "bytes=-100") is a
 * 206 with Content-Range, an unsatisfiable one a 416 with Content-Range
 * "bytes *" "/SIZE" (one string) and no body (fd closed); several ranges,
 * another unit or bad syntax and a HEAD get the whole file, 200.
 * Accept-Ranges: bytes always, and an ETag made of the file's modification
 * time (with nanoseconds) and size: If-Range keeps the Range only when it
 * is that tag, exactly (§13.1.5's strong comparison); another tag, a weak
 * one or a date (no Last-Modified is sent) gets the whole file.
 */
tr_later tr_res_file_range(tr_res *res, int fd, uint64_t size, tr_str range, tr_str if_range,
                           tr_stream_done_fn *done, void *arg);

/* ---- the loop shared with the app (`loop on` or `init`: TR_WITH_LOOP) --
 *
 * The server runs one thread and one epoll loop; the app's own event
 * sources join it: a descriptor (a ubus or netlink socket, an eventfd a
 * worker thread signals) with a function called while it is readable or
 * writable (level-triggered), and timers, one-shot or periodic, in ms.
 * Everything runs on the loop's thread, between requests: a handler or a
 * callback that blocks (a slow flash write, a DNS lookup) stalls every
 * client.  Offload such work: a worker thread does it and writes to an
 * eventfd(2) the app watches here; its callback reads the eventfd and
 * answers (a deferred answer's tr_later_send, say).  The loop's calls are
 * not thread-safe: the worker only writes the eventfd.
 *
 *     static int efd;                         // eventfd(0, EFD_NONBLOCK)
 *     static void *worker(void *arg) {        // another thread
 *         slow_work(arg);
 *         uint64_t one = 1;
 *         write(efd, &one, sizeof one);       // wakes the loop
 *         return NULL;
 *     }
 *     static void work_done(int fd, unsigned ev, void *arg) {
 *         uint64_t n;
 *         if (read(fd, &n, sizeof n) == sizeof n)
 *             answer_the_waiters();           // on the loop's thread
 *     }
 *     int app_start(void) {                   // the spec's `init start`
 *         efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
 *         return tr_loop_fd(efd, TR_READABLE, work_done, NULL);
 *     }
 */
enum {
    TR_READABLE = 1u << 0,   /* EPOLLIN */
    TR_WRITABLE = 1u << 1,   /* EPOLLOUT */
    TR_HANGUP = 1u << 2      /* EPOLLHUP or EPOLLERR (reported, never asked) */
};

typedef void tr_fd_fn(int fd, unsigned events, void *arg);
typedef void tr_timer_fn(int timer, void *arg);

/*
 * Watches fd for events (TR_READABLE, TR_WRITABLE) and calls fn with
 * those that hold, or changes what an fd already watched waits for.
 * Returns 0, or -1 when TR_LOOP_FDS descriptors are watched already or
 * epoll refuses fd.  The app keeps owning fd: close it after
 * tr_loop_fd_remove.
 */
int tr_loop_fd(int fd, unsigned events, tr_fd_fn *fn, void *arg);

/* Stops watching fd; 0, or -1 when it was not watched. */
int tr_loop_fd_remove(int fd);

/*
 * Calls fn(timer, arg) in ms milliseconds (at least 1), then every ms if
 * periodic, until tr_loop_timer_stop.  Returns the timer's number (0 or
 * more), or -1 when TR_LOOP_TIMERS are running.  A periodic timer keeps
 * its rhythm (the next run is due ms after the last was due).
 */
int tr_loop_timer(uint32_t ms, int periodic, tr_timer_fn *fn, void *arg);

/* Stops a timer (a one-shot one stops by itself once run). */
void tr_loop_timer_stop(int timer);

/* ---- server-sent events (an `events` route: TR_WITH_SSE) -------------
 *
 * An `events` route (it implies `stream`) answers with a text/event-stream
 * (WHATWG HTML §9.2) that stays open.  Its handler refuses with a status
 * (401, 503), or subscribes the client with tr_res_sse and keeps the
 * handle; Last-Event-ID, which a browser sends when it reconnects, reaches
 * it as any header does: declare `header=Last-Event-ID` on the route.
 * Later, from any code of the loop, the app pushes events to one
 * subscriber (tr_sse_send) or to all (tr_sse_broadcast, which formats the
 * event once).  Each event is copied behind what the subscriber's output
 * buffer (`limit response`) still holds; when that cannot take it, the
 * client is not reading: it is closed, and gone is called.  Every
 * `timeout heartbeat` (TR_SSE_HEARTBEAT_MS) each subscriber gets a `:`
 * comment line, so that proxies and browsers keep the stream open.  At
 * most TR_SSE_SUBSCRIBERS (`limit subscribers`, half the request buffers
 * by default) at once: each holds a request buffer while it stays; over
 * TLS, at most half the TR_TLS_CONNECTIONS engines, which they hold too.
 *
 *     static tr_sse who;
 *     void app_events(tr_res *res, tr_str last_event_id) {
 *         who = tr_res_sse(res, NULL, NULL);  // 503 when id 0
 *         tr_sse_send(who, "status", NULL, json, len);  // the state now
 *     }
 *     ... tr_sse_broadcast("status", NULL, json, len);
 */
typedef struct tr_sse {
    uint32_t id;             /* 0: none */
} tr_sse;

/* The subscriber is gone (went away, dropped, or the server stopped); h is stale. */
typedef void tr_sse_gone_fn(tr_sse h, void *arg);

/*
 * Subscribes res's client: sets Content-Type: text/event-stream and
 * Cache-Control: no-store and starts the stream; returns the handle, or
 * id 0 when the table is full (answer 503 then: a Retry-After field of
 * the heartbeat's period in seconds is added to res for it).  gone (may be NULL) is
 * called once, when the subscription ends: for a HEAD, which gets the
 * head a GET would, as soon as the handler returns.
 */
tr_sse tr_res_sse(tr_res *res, tr_sse_gone_fn *gone, void *arg);

/*
 * Queues an event for h: `event: name` (NULL: none, a "message"), `id: id`
 * (NULL: none), and data, one `data:` line for each of its lines (split
 * at CRLF, LF or CR).  0, or -1 when h is stale, the event does not fit
 * the output buffer, a name or id holds a line break, or the client is
 * dropped for not reading.  Also inside the subscribing handler, after
 * tr_res_sse (its first event, the current state say, goes out behind the
 * head; -1 when the answer's buffer cannot take it).
 */
int tr_sse_send(tr_sse h, const char *name, const char *id, const void *data, size_t len);

/* The event to every subscriber, formatted once: how many took it, or -1
 * when it cannot be formatted (see tr_sse_send). */
int tr_sse_broadcast(const char *name, const char *id, const void *data, size_t len);

/*
 * Ends h's stream from the server's side: what is queued is written, then
 * the last chunk (HTTP/1.1: the connection goes on to its next request)
 * or the close (HTTP/1.0); gone is called then.  h is stale from now on
 * (sends to it fail, broadcasts skip it).  0, or -1 when h is stale.
 * Inside the subscribing handler too: the stream ends after its head.
 */
int tr_sse_close(tr_sse h);

#endif /* TR_H */
