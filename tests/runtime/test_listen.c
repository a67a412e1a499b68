/* test_listen.c - the "[ADDR:]PORT" argument. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "tr_internal.h"

struct good {
    const char *arg;
    const char *addr;
    uint16_t port;
};

static const struct good valid_arguments_parse_table[] = {
    { "8080", "0.0.0.0", 8080 },
    { ":8080", "0.0.0.0", 8080 },
    { "127.0.0.1:8080", "127.0.0.1", 8080 },
    { "0.0.0.0:1", "0.0.0.0", 1 },
    { "[::1]:8080", "::1", 8080 },
    { "[::]:65535", "::", 65535 },
    { "[fe80::1:2]:80", "fe80::1:2", 80 },
    { "[::ffff:10.0.0.1]:443", "::ffff:10.0.0.1", 443 },
    { "00080", "0.0.0.0", 80 },
};

ParameterizedTestParameters(listen, valid_arguments_parse)
{
    static size_t idx[sizeof valid_arguments_parse_table / sizeof valid_arguments_parse_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, listen, valid_arguments_parse)
{
    const struct good *g = &valid_arguments_parse_table[*ix];
    char addr[46];
    uint16_t port = 0;
    cr_assert_eq(tr_parse_listen(g->arg, addr, &port), 0, "%s", g->arg);
    cr_assert_str_eq(addr, g->addr);
    cr_assert_eq(port, g->port);
}

static const char *const invalid_arguments_are_rejected_table[] = {
    "", "0", ":0", "65536", "99999999999999999999", "-1", "+80", "80x", "x80", " 80",
    "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.256:80", "localhost:80",
    "::1:8080", "[::1]", "[::1]:", "[::1:80", "::1]:80", "[127.0.0.1]:80", "[]:80",
    ":", "1.2.3.4:80:80", "[::1]x:80",
};

ParameterizedTestParameters(listen, invalid_arguments_are_rejected)
{
    static size_t idx[sizeof invalid_arguments_are_rejected_table / sizeof invalid_arguments_are_rejected_table[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ix, listen, invalid_arguments_are_rejected)
{
    const char *const *arg = &invalid_arguments_are_rejected_table[*ix];
    char addr[46];
    uint16_t port = 0;
    cr_assert_eq(tr_parse_listen(*arg, addr, &port), -1, "'%s' accepted", *arg);
}
