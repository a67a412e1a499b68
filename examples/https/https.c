/* https.c - the handlers of https.routes. */
#include <string.h>

#include "https_routes.h"

void https_root(tr_res *res)
{
    static const char body[] = "Hello, world!";

    tr_res_content_type(res, "text/plain");
    tr_res_body_static(res, body, sizeof body - 1);
}

void https_echo(tr_res *res, tr_str word)
{
    tr_res_content_type(res, "text/plain");
    tr_res_write(res, word.ptr, word.len);
}
