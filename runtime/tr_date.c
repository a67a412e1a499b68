/*
 * tr_date.c - the Date header field, formatted by hand so that no
 * strftime, gmtime or locale code reaches the firmware.  Compiled to
 * nothing unless the spec says `date on`.
 */
#include "tr_internal.h"

#if TR_DATE

#include <time.h>

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
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
 * 32-bit arithmetic after one shift: no 64-bit division, which would pull
 * libgcc's into 32-bit firmware (about 2 KB on ARM).
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
    uint32_t z = (uint32_t)(u >> 7) / 675u;
    uint32_t secs = (uint32_t)(u - (uint64_t)z * 86400u);
    uint32_t wd = (z + 6) % 7;          /* z = 719468 is 1970-01-01 */
    uint32_t era = z / 146097;
    uint32_t doe = z - era * 146097;
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t d = doy - (153 * mp + 2) / 5 + 1;
    uint32_t m = mp < 10 ? mp + 3 : mp - 9;
    uint32_t y = yoe + era * 400 + (m <= 2);

    for (int i = 0; i < 3; i++) {
        out[i] = wday[wd * 3 + i];
        out[8 + i] = mon[(m - 1) * 3 + i];
    }
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ';
    out[11] = ' ';
    put2(out + 12, y / 100);
    put2(out + 14, y % 100);
    out[16] = ' ';
    put2(out + 17, secs / 3600);
    out[19] = ':';
    put2(out + 20, secs / 60 % 60);
    out[22] = ':';
    put2(out + 23, secs % 60);
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
