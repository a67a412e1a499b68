/*
 * tr_basic.h - HTTP Basic credentials for handlers (tr_basic_credentials.c).
 * NAME_routes.h includes it in specs that say `basic_credentials on` or
 * run a `basic check=NAME` guard, so that a guard of the app's (one that
 * takes Basic or a session, say) reads Authorization without decoding
 * base64 by hand.
 */
#ifndef TR_BASIC_H
#define TR_BASIC_H

#include <stddef.h>

#include "tr.h"

/*
 * The credentials of an Authorization value (RFC 7617 §2): the scheme
 * "Basic" in any case, one SP, then base64 (RFC 4648 §4, padded, nothing
 * but the alphabet, the unused bits zero) of user-id ":" password.  The
 * decoded bytes go to buf (cap bytes; buf may be authorization.ptr itself:
 * the decoder never writes ahead of what it has read); *user and
 * *password are views into it, split at the first ':' (the user-id cannot
 * hold one).  Returns 0, or -1 (with both views empty) for another
 * scheme, bad base64, no ':', a control character (RFC 7617 §2: neither
 * part may hold one) or more than cap bytes.
 */
int tr_basic_credentials(tr_str authorization, char *buf, size_t cap, tr_str *user, tr_str *password);

#endif /* TR_BASIC_H */
