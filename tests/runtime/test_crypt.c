/*
 * test_crypt.c - tr_crypt.c's SHA-512 crypt ($6$) gives what the C
 * library's crypt(3) gives (glibc's libxcrypt): default and custom rounds,
 * salts up to and past 16 characters, keys of every length around the
 * 64-byte digest and the 128-byte block.
 */
#include <criterion/criterion.h>
#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "tr_internal.h"

static void same(const char *key, const char *setting)
{
    char out[256];
    const char *want = crypt(key, setting);
    cr_assert_not_null(want);
    const char *got = tr_crypt_sha512(key, strlen(key), setting, out);
    cr_assert_not_null(got, "%s", setting);
    cr_assert_str_eq(got, want, "key '%s' setting '%s'", key, setting);
}

Test(crypt, the_openssl_vector_of_the_test_credentials)
{
    char out[256];
    cr_assert_str_eq(tr_crypt_sha512("hunter2", 7, "$6$testsalt$", out),
                     "$6$testsalt$ehrqOiQRn2f7nCvA/LgwTY1odMW9hjQ/GS8KC7ztGNzzC8hmzy8/g/pV7Ryg5gmQx7Wa1u13rOGLJIS5QQGcQ/");
}

Test(crypt, agrees_with_the_c_library_for_keys_of_every_length_up_to_200)
{
    char key[201];
    for (int n = 0; n <= 200; n += (n < 140 ? 1 : 7)) {
        for (int i = 0; i < n; i++)
            key[i] = (char)('!' + (i * 7 + n) % 90);
        key[n] = '\0';
        same(key, "$6$saltsaltsalt12$");
    }
}

Test(crypt, agrees_with_the_c_library_for_salts_and_rounds)
{
    same("pw", "$6$a$");
    same("pw", "$6$$");
    same("pw", "$6$abcdefghijklmnopqrstuvwxyz$");    /* 16 characters count */
    same("pw", "$6$rounds=1000$xy$");
    same("pw", "$6$rounds=6001$saltsalt$");
    same("pw", "$6$saltsalt$ignored-hash-part");
}

Test(crypt, another_scheme_is_not_computed)
{
    char out[256];
    cr_assert_null(tr_crypt_sha512("pw", 2, "$5$salt$", out));
    cr_assert_null(tr_crypt_sha512("pw", 2, "$6$rounds=x$salt$", out));
}
