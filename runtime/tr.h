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

#endif /* TR_H */
