/*
 * basic_check.c - handlers and checks of tests/guard/basic_check.routes.
 */
#include <string.h>

#include "checked_routes.h"

static int is(tr_str s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

/* admin:open sesame passes (a test server: a device would compare a
 * hash in constant time, tr_crypt_sha512). */
int checked_login(tr_res *res, tr_str user, tr_str password)
{
    (void)res;
    return is(user, "admin") && is(password, "open sesame") ? 0 : 1;
}

void checked_me(tr_res *res, tr_str basic)
{
    tr_res_puts(res, "me ");
    tr_res_write(res, basic.ptr, basic.len);
}

void checked_upload(tr_res *res, tr_str body, tr_str basic)
{
    tr_res_write(res, basic.ptr, basic.len);
    tr_res_puts(res, " sent ");
    tr_res_write(res, body.ptr, body.len);
}

/* Basic credentials (decoded in place) or the bearer token "t0k". */
int checked_either(tr_res *res, tr_str authorization, tr_str *either)
{
    tr_str user, password;

    if (is(authorization, "Bearer t0k")) {
        *either = (tr_str){ "token", 5 };
        return 0;
    }
    if (tr_basic_credentials(authorization, (char *)authorization.ptr, authorization.len, &user, &password) == 0 &&
        is(password, "pw")) {
        *either = user;
        return 0;
    }
    tr_res_header(res, "WWW-Authenticate", "Basic realm=\"either\"", 20);
    return 401;
}

void checked_either_me(tr_res *res, tr_str either)
{
    tr_res_puts(res, "either ");
    tr_res_write(res, either.ptr, either.len);
}
