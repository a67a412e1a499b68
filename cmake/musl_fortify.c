/*
 * musl_fortify.c - the two _FORTIFY_SOURCE checks that Debian's
 * libbearssl.a calls, for a static musl link (musl has no __*_chk).
 * Debian builds its packages with -D_FORTIFY_SOURCE=2, so the archive
 * references __memcpy_chk and __memset_chk; everything else BearSSL needs
 * (memcpy, memmove, memset, memcmp, strlen, open/read for its seed) musl
 * has.  Same contract as glibc's: abort when the object is too small.
 */
#include <stddef.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memset_chk(void *dst, int c, size_t n, size_t dst_len);

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
    if (n > dst_len)
        __builtin_trap();
    return memcpy(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_len)
{
    if (n > dst_len)
        __builtin_trap();
    return memset(dst, c, n);
}
