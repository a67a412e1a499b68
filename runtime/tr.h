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
 * Unknown codes are sent as "500 Internal Server Error".
 */
void tr_res_status(tr_res *res, int status);

/*
 * Adds a response header.  Returns 0, or -1 (and adds nothing) when the
 * name is not an RFC 9110 token or the value holds CR, LF or NUL: a handler
 * can never split the response.  Content-Length, Connection, Date and
 * Transfer-Encoding are the runtime's own and are refused too.
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

#endif /* TR_H */
