/*
 * tr_methods.h - the one list of request methods, for the runtime and the
 * generator alike (an X-macro, as sqlite lists its opcodes).
 *
 * X(NAME, ROUTE): NAME is the method's token (RFC 9110 §9: GET, HEAD, POST,
 * PUT, DELETE, CONNECT, OPTIONS, TRACE; RFC 5789: PATCH) and TR_NAME its
 * enum tr_method member, whose number is its bit in every method mask
 * (Allow, leaf_methods): so the order is fixed, new methods go last, and
 * there are at most 16.  ROUTE is 1 when a spec may route the method; HEAD
 * comes with GET, and CONNECT and TRACE are never routed (a tunnel and an
 * echo of the request are no handler's job).
 *
 * Every method listed is recognised by the request lexer whether a spec
 * routes it or not: one that the path lacks gets 405 with Allow, and only
 * a method missing here gets 501 (RFC 9110 §15.5.6, §15.6.2).
 */
#ifndef TR_METHODS_H
#define TR_METHODS_H

#define TR_METHODS(X) \
    X(GET, 1)         \
    X(HEAD, 0)        \
    X(POST, 1)        \
    X(PUT, 1)         \
    X(DELETE, 1)      \
    X(PATCH, 1)       \
    X(OPTIONS, 1)     \
    X(CONNECT, 0)     \
    X(TRACE, 0)

/* Request methods.  The numbers are bit positions in method masks. */
enum tr_method {
#define TR_METHOD_ENUM(name, route) TR_##name,
    TR_METHODS(TR_METHOD_ENUM)
#undef TR_METHOD_ENUM
    TR_METHOD_COUNT
};

#endif /* TR_METHODS_H */
