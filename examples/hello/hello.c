/* hello.c - the handler of hello.routes. */
#include "hello_routes.h"

void hello_root(tr_res *res)
{
    static const char body[] = "Hello, world!";

    tr_res_content_type(res, "text/plain");
    tr_res_body_static(res, body, sizeof body - 1);
}
