/*
 * guard.c - handlers and the user guards of tests/guard/guard.routes.
 */
#include <string.h>

#include "guarded_routes.h"

/* X-Api-Key: "k42" passes with token 42; none is 401, another is 403. */
int guarded_token(tr_res *res, tr_str x_api_key, uint64_t *token)
{
    if (!x_api_key.ptr) {
        tr_res_header(res, "WWW-Authenticate", "ApiKey", 6);
        return 401;
    }
    if (x_api_key.len != 3 || memcmp(x_api_key.ptr, "k42", 3) != 0)
        return 403;
    *token = 42;
    return 0;
}

/* Always a redirect to the login page, as a browser would be sent. */
int guarded_check(tr_res *res)
{
    tr_res_header(res, "Location", "/api/login", 10);
    return 303;
}

void guarded_items(tr_res *res, const int64_t *page, uint64_t token)
{
    tr_res_puts(res, "items ");
    tr_res_int(res, page ? *page : -1);
    tr_res_puts(res, " token ");
    tr_res_int(res, (int64_t)token);
}

void guarded_upload(tr_res *res, tr_str body, uint64_t token)
{
    tr_res_puts(res, "got ");
    tr_res_int(res, (int64_t)body.len);
    tr_res_puts(res, " token ");
    tr_res_int(res, (int64_t)token);
}

void guarded_login(tr_res *res, tr_str body)
{
    tr_res_puts(res, "login ");
    tr_res_int(res, (int64_t)body.len);
}

void guarded_users(tr_res *res, uint64_t token, tr_str basic)
{
    tr_res_puts(res, "users for ");
    tr_res_write(res, basic.ptr, basic.len);
    tr_res_puts(res, " token ");
    tr_res_int(res, (int64_t)token);
}

void guarded_open_page(tr_res *res)
{
    tr_res_puts(res, "open");
}

void guarded_special(tr_res *res)
{
    tr_res_puts(res, "never");
}

/* The password "pw" logs in as user 7, "pw8" as user 8. */
void guarded_app_login(tr_res *res, tr_str body)
{
    if (body.len >= 2 && memcmp(body.ptr, "pw", 2) == 0) {
        if (tr_session_start(res, body.len == 3 ? 8 : 7) == 0)
            return;
        tr_res_status(res, 500);
        return;
    }
    tr_res_status(res, 403);
}

void guarded_app_me(tr_res *res, uint64_t session)
{
    tr_res_puts(res, "me ");
    tr_res_int(res, (int64_t)session);
}

void guarded_app_change(tr_res *res, tr_str body, uint64_t session)
{
    tr_res_puts(res, "changed ");
    tr_res_write(res, body.ptr, body.len);
    tr_res_puts(res, " by ");
    tr_res_int(res, (int64_t)session);
}

void guarded_app_logout(tr_res *res, tr_str cookie, uint64_t session)
{
    (void)session;
    tr_session_end(res, cookie);
}

/* "good" logs in; anything else is a failed attempt. */
void guarded_t_login(tr_res *res, tr_str body, uint64_t throttle)
{
    if (body.len == 4 && memcmp(body.ptr, "good", 4) == 0) {
        tr_throttle_passed(throttle);
        tr_res_puts(res, "welcome");
        return;
    }
    tr_throttle_failed(throttle);
    tr_res_status(res, 403);
}

void guarded_form_post(tr_res *res, const tr_str *user, const int64_t *age)
{
    tr_res_puts(res, "user ");
    if (user)
        tr_res_write(res, user->ptr, user->len);
    else
        tr_res_puts(res, "-");
    tr_res_puts(res, " age ");
    tr_res_int(res, age ? *age : -1);
}

void guarded_json_page(tr_res *res)
{
    struct tr_json j;
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, "msg", 3);
    tr_json_str(&j, "a \"quote\"\n", 10);
    tr_json_key(&j, "n", 1);
    tr_json_int(&j, 3);
    tr_json_end(&j);
    tr_json_finish(&j);
}

void guarded_prefs(tr_res *res, const tr_str *theme, const int64_t *visits)
{
    tr_res_puts(res, "theme ");
    if (theme)
        tr_res_write(res, theme->ptr, theme->len);
    else
        tr_res_puts(res, "-");
    tr_res_puts(res, " visits ");
    tr_res_int(res, visits ? *visits : -1);
}

/* PUT /wifi: the fields decoded, the ranges the handler's (a JSON error else). */
void guarded_wifi_put(tr_res *res, const tr_str *ssid, const uint64_t *channel)
{
    const char *bad = !ssid || ssid->len < 1 || ssid->len > 32 ? "ssid is 1 to 32 bytes"
                    : !channel || *channel < 1 || *channel > 165 ? "channel is 1 to 165" : NULL;
    struct tr_json j;
    if (bad)
        tr_res_status(res, 400);
    tr_json_begin(&j, res);
    tr_json_object(&j);
    tr_json_key(&j, bad ? "error" : "ssid", bad ? 5 : 4);
    tr_json_str(&j, bad ? bad : ssid->ptr, bad ? strlen(bad) : ssid->len);
    if (!bad) {
        tr_json_key(&j, "channel", 7);
        tr_json_int(&j, (int64_t)*channel);
    }
    tr_json_end(&j);
    tr_json_finish(&j);
}

void guarded_either_login(tr_res *res, const tr_str *user, const tr_str *password)
{
    tr_res_puts(res, "user ");
    if (user)
        tr_res_write(res, user->ptr, user->len);
    tr_res_puts(res, " password ");
    if (password)
        tr_res_write(res, password->ptr, password->len);
}

static void put_bool(tr_res *res, const char *name, const int *v)
{
    tr_res_puts(res, name);
    tr_res_puts(res, v ? (*v ? "1" : "0") : "-");
}

/* GET /flag?<on:bool> cookie=<dark:bool>: each value 1, 0 or - (absent). */
void guarded_flag_get(tr_res *res, const int *on, const int *dark)
{
    put_bool(res, "on ", on);
    put_bool(res, " dark ", dark);
}

/* PUT /flag form=<on:bool>,<n:int> json */
void guarded_flag_put(tr_res *res, const int *on, const int64_t *n)
{
    put_bool(res, "on ", on);
    tr_res_puts(res, " n ");
    tr_res_int(res, n ? *n : -1);
}
