/*
 * reference.c - the handlers of reference.routes, the route set every
 * conformance and end-to-end test runs against.
 */
#include "reference_routes.h"

void reference_root(tr_res *res)
{
    static const char body[] = "Hello, world!";

    tr_res_content_type(res, "text/plain");
    tr_res_body_static(res, body, sizeof body - 1);
}

void reference_hello(tr_res *res, tr_str name)
{
    tr_res_content_type(res, "text/plain");
    tr_res_puts(res, "Hello, ");
    tr_res_write(res, name.ptr, name.len);
    tr_res_puts(res, "!");
}

void reference_add(tr_res *res, int64_t a, int64_t b)
{
    int64_t sum;

    tr_res_content_type(res, "text/plain");
    if (__builtin_add_overflow(a, b, &sum)) {
        tr_res_status(res, 400);
        tr_res_puts(res, "the sum does not fit in 64 bits");
        return;
    }
    tr_res_int(res, sum);
}

/* The body stays in its buffer until the response is sent: no copy. */
void reference_echo(tr_res *res, tr_str body)
{
    tr_res_content_type(res, "application/octet-stream");
    tr_res_body_static(res, body.ptr, body.len);
}

void reference_files(tr_res *res, tr_str path)
{
    tr_res_content_type(res, "text/plain");
    tr_res_puts(res, "path=");
    tr_res_write(res, path.ptr, path.len);
}
