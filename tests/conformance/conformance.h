/*
 * conformance.h - one table row per RFC requirement, and the one runner
 * every row goes through (see README.md).
 *
 * A row holds raw request bytes, the section it enforces, the statuses
 * the RFC allows for the first answer and what must become of the
 * connection.  Criterion may run each row in a fresh process, so rows
 * hold arrays, never pointers.  Prefix: cf_.
 */
#ifndef CF_CONFORMANCE_H
#define CF_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

/* What the connection must do after the first answer (and the answers
 * listed in .more). */
enum {
    CF_ANY = 0,     /* close, or stay open and in sync: the RFC allows both */
    CF_CLOSE = 1,   /* MUST close: no later request is ever answered */
    CF_KEEP = 2     /* stays open and answers the next request */
};

/* The request hidden in an ambiguous body: its answer would say
 * "Hello, smuggled!", and no answer may ever say that (an echo of the
 * request's own bytes may contain "smuggled"). */
#define CF_SMUGGLED "GET /hello/smuggled HTTP/1.1\r\nHost: smuggle.test\r\n\r\n"

/* A string literal and its length, NULs included: for .req and .len. */
#define CF_REQ(s) s, sizeof(s) - 1

struct cf_case {
    char rfc[80];       /* the requirement enforced, e.g. "RFC 9112 §5.1 MUST" */
    char req[480];      /* the bytes sent on a fresh connection */
    unsigned len;       /* how many of them (NULs allowed); 0: strlen(req) */
    int status[5];      /* statuses allowed for the first answer, 0-terminated */
    char body[48];      /* the body a 2xx must have; "" for any */
    char more[3][32];   /* answers that must follow, in order: a body, or
                           "#NNN" for a status; "" ends the list */
    int conn;           /* CF_ANY, CF_CLOSE or CF_KEEP */
};

/* The reference server's port for this test (started by cf_start). */
extern uint16_t cf_port;
void cf_start_reference(void);
void cf_start_short(void);
void cf_stop(void);

/*
 * Sends c->req on a new connection and checks, in this order: one answer
 * arrives with an allowed status (a 2xx with c->body); no answer ever
 * says "Hello, smuggled!"; the answers in c->more follow; then a sentinel request
 * on the same connection is either answered correctly (the connection
 * was in sync; CF_CLOSE forbids it) or meets a close (CF_KEEP forbids
 * it), and never hangs (a hang means the sentinel was swallowed as part
 * of this request).  Finally a fresh GET / must still be answered.
 */
void cf_check(const struct cf_case *c);

/* Like cf_check for a request built at run time (n bytes at req). */
void cf_check_bytes(const struct cf_case *c, const char *req, size_t n);

/* c->req with unprintable bytes escaped, for messages (static buffer). */
const char *cf_show(const char *p, size_t n);

#endif /* CF_CONFORMANCE_H */
