#!/bin/bash
# make.sh - examples/make/Makefile as a Buildroot or OpenWrt recipe runs it:
# once for the host, once with CC=arm-linux-gnueabihf-gcc (glibc) and once
# with CC=arm-linux-musleabihf-gcc LDFLAGS=-static; each server answers
# GET / (the armhf ones under qemu-arm).  Then a `main off` spec built with
# plain cc and a firmware main() of its own that calls tr_serve().
#
#   tests/package/make.sh TINYROUTE_EXECUTABLE [WORK_DIR]
# Installs the cross packages when missing (scripts/deps.sh --cross).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=${2:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

# shellcheck source=../cross/lib.sh
source "$root/tests/cross/lib.sh"
trap stop_server EXIT

"$root/scripts/deps.sh" --cross

# variant NAME FILE-SAYS RUNNER... -- MAKE-ARGS...
variant() {
    local name=$1 want=$2 runner=() o
    shift 2
    while [ "$1" != -- ]; do runner+=("$1"); shift; done
    shift
    o=$work/$name
    rm -rf "$o" && mkdir -p "$o"
    if ! make -C "$root/examples/make" TINYROUTE="$exe" O="$o" "$@" >"$o.log" 2>&1; then
        fail "make $name" "see $o.log"
        tail -20 "$o.log"
        return
    fi
    pass "make $name"
    if [[ $(file -b "$o/hello") == *$want* ]]; then
        pass "make $name: file says $want"
    else
        fail "make $name: file" "$(file -b "$o/hello")"
    fi
    if start_server "$o.server.log" "${runner[@]}" "$o/hello"; then
        tmp=$(mktemp -d)
        get "make $name: GET /" / 200 "Hello, world!"
        rm -rf "$tmp"
        stop_server
    else
        fail "make $name: server starts" "see $o.server.log"
    fi
}

variant host "$(uname -m | sed 's/_/-/')" -- 
variant armhf-glibc "ARM, EABI5" qemu-arm -L /usr/arm-linux-gnueabihf -- CC=arm-linux-gnueabihf-gcc
variant armhf-musl "ARM, EABI5*statically linked" qemu-arm -- CC=arm-linux-musleabihf-gcc LDFLAGS=-static

# `main off`: the firmware's own main() calls tr_serve(), as a program
# that embeds the server does; built with nothing but cc.
emb=$work/embedded
rm -rf "$emb" && mkdir -p "$emb"
cat >"$emb/firmware.c" <<'C'
#include "embedded_routes.h"
#include "tr_app.h" /* tr_serve, tr_parse_listen */

void embedded_root(tr_res *res) { tr_res_body_static(res, "embedded", 8); }
void embedded_led_get(tr_res *res, uint64_t n) { tr_res_int(res, (int64_t)n); }
void embedded_led_set(tr_res *res, uint64_t n, tr_str body)
{
    (void)n;
    tr_res_body_static(res, body.ptr, body.len);
}

int main(int argc, char **argv)
{
    char addr[64];
    uint16_t port;
    if (argc != 2 || tr_parse_listen(argv[1], addr, &port) != 0)
        return 2;
    return tr_serve(&embedded_app, addr, port);
}
C
if "$exe" gen "$root/tests/golden/good/main-off/main-off.routes" -o "$emb/out" >"$emb.log" 2>&1 &&
   ! grep -q 'int main' "$emb"/out/*.c &&
   cc -Wall -Wextra -Werror -I"$emb/out" "$emb"/out/*.c "$emb/firmware.c" -o "$emb/firmware" \
       >>"$emb.log" 2>&1; then
    pass "main off: a firmware main() calling tr_serve builds"
    if start_server "$emb.server.log" "$emb/firmware"; then
        tmp=$(mktemp -d)
        get "main off: GET /" / 200 "embedded"
        get "main off: GET /led/7" /led/7 200 "7"
        rm -rf "$tmp"
        stop_server
    else
        fail "main off: server starts" "see $emb.server.log"
    fi
else
    fail "main off: a firmware main() calling tr_serve builds" "see $emb.log"
fi

echo "make: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
