/*
 * tr_date.c - the Date header field, formatted by hand so that no
 * strftime, gmtime or locale code reaches the firmware.  Compiled to
 * nothing unless the spec says `date on`.
 */
#include "tr_internal.h"

#if TR_DATE

#include <time.h>

/*
 * n / d for n < max, by a multiply by M = floor(2^k / d) + 1 and a shift:
 * no divide instruction (ARMv7-A has none) and no libgcc call (gcc makes
 * one of a division by a constant at -Os: 2 KB of Thumb-2).  Exact when
 * (M * d - 2^k) * (max - 1) < 2^k (Granlund and Montgomery); DIV_EXACT
 * proves it at compile time for each divisor, k and range used below.
 */
#define DIV_M(d, k) ((UINT64_C(1) << (k)) / (d) + 1)
#define DIV(n, d, k) ((uint32_t)(((uint64_t)(n) * DIV_M(d, k)) >> (k)))
#define DIV_EXACT(d, k, max)                                                   \
    TR_ASSERT((DIV_M(d, k) * (d) - (UINT64_C(1) << (k))) * ((max) - 1) <  \
                           (UINT64_C(1) << (k)) &&                             \
                       (uint64_t)(max) - 1 <= UINT64_MAX / DIV_M(d, k),        \
                   "DIV is not exact for this range")
DIV_EXACT(675, 41, 2465346376u);        /* (seconds since 0000-03-01) / 128 */
DIV_EXACT(146097, 39, 3700000);         /* days since 0000-03-01 */
DIV_EXACT(7, 25, 3700010);
DIV_EXACT(1460, 26, 146097);            /* day of the era */
DIV_EXACT(36524, 33, 146097);
DIV_EXACT(146096, 35, 146097);
DIV_EXACT(365, 24, 146097);
DIV_EXACT(100, 19, 10000);              /* year of the era, year */
DIV_EXACT(153, 17, 1900);               /* day of the year */
DIV_EXACT(5, 13, 1900);
DIV_EXACT(3600, 27, 86400);             /* second of the day */
DIV_EXACT(60, 23, 86400);
DIV_EXACT(10, 10, 100);                 /* two digits */

static void put2(char *p, uint32_t v)
{
    uint32_t tens = DIV(v, 10, 10);
    p[0] = (char)('0' + tens);
    p[1] = (char)('0' + (v - tens * 10));
}

/* Seconds from 0000-03-01, where the civil-date arithmetic below starts
 * its eras, to 1970-01-01 (719,468 days); and the last second of 9999. */
#define TR_DATE_EPOCH_SHIFT 62162035200
#define TR_DATE_LAST 253402300799

/*
 * Writes t as IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110
 * §5.6.7).  The civil date comes from Howard Hinnant's days_from_civil
 * inverse, exact for the proleptic Gregorian calendar; instants outside
 * 0000-03-01 .. 9999-12-31 (IMF-fixdate has four year digits) are clamped.
 * 32-bit arithmetic after one shift, and no division at all (DIV).
 */
void tr_date_format(int64_t t, char out[TR_DATE_LEN])
{
    static const char wday[] = "ThuFriSatSunMonTueWed"; /* 1970-01-01 was a Thursday */
    static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (t < -TR_DATE_EPOCH_SHIFT)
        t = -TR_DATE_EPOCH_SHIFT;
    if (t > TR_DATE_LAST)
        t = TR_DATE_LAST;
    uint64_t u = (uint64_t)(t + TR_DATE_EPOCH_SHIFT);
    /* u / 86400 as (u / 128) / 675, and u / 128 fits 32 bits up to 9999. */
    uint32_t z = DIV((uint32_t)(u >> 7), 675, 41);
    uint32_t secs = (uint32_t)(u - (uint64_t)z * 86400u);
    uint32_t wd = z + 6 - DIV(z + 6, 7, 25) * 7;  /* z = 719468 is 1970-01-01 */
    uint32_t era = DIV(z, 146097, 39);
    uint32_t doe = z - era * 146097;
    uint32_t yoe = DIV(doe - DIV(doe, 1460, 26) + DIV(doe, 36524, 33) - DIV(doe, 146096, 35),
                       365, 24);
    uint32_t doy = doe - (365 * yoe + yoe / 4 - DIV(yoe, 100, 19));
    uint32_t mp = DIV(5 * doy + 2, 153, 17);
    uint32_t d = doy - DIV(153 * mp + 2, 5, 13) + 1;
    uint32_t m = mp < 10 ? mp + 3 : mp - 9;
    uint32_t y = yoe + era * 400 + (m <= 2);
    uint32_t minutes = DIV(secs, 60, 23);

    for (int i = 0; i < 3; i++) {
        out[i] = wday[wd * 3 + i];
        out[8 + i] = mon[(m - 1) * 3 + i];
    }
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ';
    out[11] = ' ';
    put2(out + 12, DIV(y, 100, 19));
    put2(out + 14, y - DIV(y, 100, 19) * 100);
    out[16] = ' ';
    put2(out + 17, DIV(secs, 3600, 27));
    out[19] = ':';
    put2(out + 20, minutes - DIV(minutes, 60, 23) * 60);
    out[22] = ':';
    put2(out + 23, secs - minutes * 60);
    out[25] = ' ';
    out[26] = 'G';
    out[27] = 'M';
    out[28] = 'T';
}

/* Returns the current date; reformats only when the second changes. */
const char *tr_date_now(void)
{
    static char buf[TR_DATE_LEN];
    static time_t last = -1;
    time_t t = time(NULL);
    if (t != last) {
        last = t;
        tr_date_format((int64_t)t, buf);
    }
    return buf;
}

#else
typedef int tr_date_unused; /* ISO C forbids an empty translation unit */
#endif /* TR_DATE */
