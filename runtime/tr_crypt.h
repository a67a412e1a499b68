/*
 * tr_crypt.h - crypt(3)'s SHA-512 scheme for handlers (tr_crypt.c).
 * NAME_routes.h includes it in specs that say `crypt on`, so that a
 * program given a password (a command line, the environment) keeps only
 * its salted hash and checks attempts against it.
 */
#ifndef TR_CRYPT_H
#define TR_CRYPT_H

#include <stddef.h>

/*
 * crypt(key, setting) for a setting "$6$[rounds=N$]salt[$...]" (a salt of
 * up to 16 characters of [./0-9A-Za-z]) into out, at least 128 bytes: the
 * NUL-terminated "$6$...salt$hash".  Returns out, or NULL for another
 * setting or a key longer than 256 bytes.  The time it takes depends on
 * the key's length and the rounds, not on its bytes.
 */
char *tr_crypt_sha512(const char *key, size_t klen, const char *setting, char *out);

#endif /* TR_CRYPT_H */
