/* site.c - the one API route of the site example. */
#include "site_routes.h"

void site_status(tr_res *res)
{
    tr_res_content_type(res, "application/json");
    tr_res_puts(res, "{\"uptime\":42,\"name\":\"tinyroute\"}");
}
