/* test_date.c - IMF-fixdate by hand, against known instants. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "tr_internal.h"

struct instant {
    int64_t t;
    const char *s;
};

static const struct instant known_instants_format_as_imf_fixdate_table[] = {
    { 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
    { 784111777, "Sun, 06 Nov 1994 08:49:37 GMT" }, /* RFC 9110's example */
    { 951782400, "Tue, 29 Feb 2000 00:00:00 GMT" },
    { 951868800, "Wed, 01 Mar 2000 00:00:00 GMT" },
    { 1700000000, "Tue, 14 Nov 2023 22:13:20 GMT" },
    { 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT" },
    { 4102444800, "Fri, 01 Jan 2100 00:00:00 GMT" },
    { 4107456000, "Sun, 28 Feb 2100 00:00:00 GMT" },
    { 4107542400, "Mon, 01 Mar 2100 00:00:00 GMT" },
    { 253402300799, "Fri, 31 Dec 9999 23:59:59 GMT" },
    { -1, "Wed, 31 Dec 1969 23:59:59 GMT" },
    { -62162035200, "Wed, 01 Mar 0000 00:00:00 GMT" },  /* the first instant shown */
    { -70000000000, "Wed, 01 Mar 0000 00:00:00 GMT" },  /* clamped */
    { 253402300800, "Fri, 31 Dec 9999 23:59:59 GMT" },  /* clamped */
    { INT64_MAX, "Fri, 31 Dec 9999 23:59:59 GMT" },
};

ParameterizedTestParameters(date, known_instants_format_as_imf_fixdate)
{
    static size_t idx[sizeof known_instants_format_as_imf_fixdate_table / sizeof known_instants_format_as_imf_fixdate_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, date, known_instants_format_as_imf_fixdate)
{
    const struct instant *v = &known_instants_format_as_imf_fixdate_table[*ix];
    char out[TR_DATE_LEN + 1];
    memset(out, 0, sizeof out);
    tr_date_format(v->t, out);
    cr_assert_str_eq(out, v->s);
}

/* The naive calendar the tests compare with: the day after y-(m+1)-d. */
static void next_day(int *y, int *m, int *d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    if (++*d > mdays[*m] + (*m == 1 && leap)) {
        *d = 1;
        if (++*m == 12) {
            *m = 0;
            ++*y;
        }
    }
}

Test(date, every_day_of_four_centuries_agrees_with_a_day_counter)
{
    /* Walk day by day from 1970 and compare with a naive calendar. */
    static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int y = 1970, m = 0, d = 1;
    char out[TR_DATE_LEN + 1], want[16];
    out[TR_DATE_LEN] = '\0';
    for (int64_t day = 0; day < 146097; day++) {
        tr_date_format(day * 86400 + 43200, out);
        want[0] = (char)('0' + d / 10);
        want[1] = (char)('0' + d % 10);
        want[2] = ' ';
        memcpy(want + 3, mon[m], 3);
        want[6] = ' ';
        want[7] = (char)('0' + y / 1000);
        want[8] = (char)('0' + y / 100 % 10);
        want[9] = (char)('0' + y / 10 % 10);
        want[10] = (char)('0' + y % 10);
        cr_assert(memcmp(out + 5, want, 11) == 0, "day %lld: %s", (long long)day, out);
        next_day(&y, &m, &d);
    }
}

Test(date, now_is_29_bytes_ending_in_gmt)
{
    const char *s = tr_date_now();
    cr_assert(memcmp(s + 26, "GMT", 3) == 0);
    cr_assert_eq(s, tr_date_now(), "cached in one buffer");
}

Test(date, every_day_from_year_0_to_9999_agrees_with_a_day_counter)
{
    /* The whole clamped range, so every division's range is exercised
     * (they are multiplies and shifts, exact only within their ranges). */
    static const char wday[] = "WedThuFriSatSunMonTue"; /* 0000-03-01 was a Wednesday */
    static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y = 0, m = 2, d = 1;
    char out[TR_DATE_LEN + 1], want[64];
    out[TR_DATE_LEN] = '\0';
    for (int64_t day = 0; y < 10000; day++) {
        tr_date_format(-62162035200 + day * 86400 + 86399, out);
        snprintf(want, sizeof want, "%.3s, %02d %.3s %04d 23:59:59 GMT", wday + day % 7 * 3, d,
                 mon + m * 3, y);
        cr_assert(strcmp(out, want) == 0, "day %lld: %s, not %s", (long long)day, out, want);
        next_day(&y, &m, &d);
    }
}

Test(date, every_second_of_a_day_has_its_time)
{
    char out[TR_DATE_LEN + 1], want[9];
    out[TR_DATE_LEN] = '\0';
    for (int s = 0; s < 86400; s++) {
        tr_date_format(1700006400 + s, out); /* 2023-11-15 00:00:00 + s */
        snprintf(want, sizeof want, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        cr_assert(memcmp(out + 17, want, 8) == 0, "second %d: %s", s, out);
        cr_assert(memcmp(out, "Wed, 15 Nov 2023", 16) == 0, "%s", out);
    }
}
