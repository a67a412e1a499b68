#!/bin/bash
# make.sh - examples/make/Makefile as a Buildroot or OpenWrt recipe runs it:
# once for the host, once with CC=arm-linux-gnueabihf-gcc (glibc) and once
# with CC=arm-linux-musleabihf-gcc LDFLAGS=-static; each server answers
# GET / (the armhf ones under qemu-arm).
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

echo "make: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
