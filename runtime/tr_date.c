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

/*
 * Writes t as IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110
 * §5.6.7).  The civil date comes from Howard Hinnant's days_from_civil
 * inverse, exact for the whole proleptic Gregorian calendar.
 */
void tr_date_format(int64_t t, char out[TR_DATE_LEN])
{
    static const char wday[] = "ThuFriSatSunMonTueWed"; /* 1970-01-01 was a Thursday */
    static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t wd = days % 7;
    if (wd < 0)
        wd += 7;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = (int64_t)yoe + era * 400 + (m <= 2);

    for (int i = 0; i < 3; i++) {
        out[i] = wday[wd * 3 + i];
        out[8 + i] = mon[(m - 1) * 3 + i];
    }
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ';
    out[11] = ' ';
    /* IMF-fixdate has a four-digit year; clocks outside 0..9999 are wrong. */
    unsigned yy = y < 0 ? 0 : y > 9999 ? 9999 : (unsigned)y;
    put2(out + 12, yy / 100);
    put2(out + 14, yy % 100);
    out[16] = ' ';
    put2(out + 17, (unsigned)(secs / 3600));
    out[19] = ':';
    put2(out + 20, (unsigned)(secs / 60 % 60));
    out[22] = ':';
    put2(out + 23, (unsigned)(secs % 60));
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
