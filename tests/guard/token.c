/*
 * token.c - handlers of tests/guard/token.routes.
 */
#include <string.h>

#include "tokened_routes.h"

/* "pw" logs in as user 7 (the token goes out in X-CSRF-Token). */
void tokened_login(tr_res *res, tr_str body)
{
    if (body.len != 2 || memcmp(body.ptr, "pw", 2) != 0) {
        tr_res_status(res, 403);
        return;
    }
    if (tr_session_start(res, 7) < 0)
        tr_res_status(res, 500);
}

/* The token, as a page would embed it. */
void tokened_token(tr_res *res, tr_str cookie, uint64_t session)
{
    char t[32];
    (void)session;
    if (tr_session_token(cookie, t) < 0) {
        tr_res_status(res, 500);
        return;
    }
    tr_res_write(res, t, sizeof t);
}

void tokened_change(tr_res *res, tr_str body, uint64_t session)
{
    tr_res_puts(res, "changed ");
    tr_res_write(res, body.ptr, body.len);
    tr_res_puts(res, " by ");
    tr_res_int(res, (int64_t)session);
}

void tokened_item_put(tr_res *res, uint64_t session)
{
    tr_res_int(res, (int64_t)session);
}

void tokened_item_delete(tr_res *res, uint64_t session)
{
    tr_res_int(res, (int64_t)session);
}

void tokened_item_patch(tr_res *res, uint64_t session)
{
    tr_res_int(res, (int64_t)session);
}

void tokened_b_me(tr_res *res, uint64_t session)
{
    tr_res_int(res, (int64_t)session);
}
