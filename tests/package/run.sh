#!/bin/bash
# run.sh - the CMake package, as a firmware project uses it: install a host
# build of tinyroute into a temporary prefix, configure tests/package/consumer
# (its own project: find_package(tinyroute)) for armhf with
# cmake/toolchains/armhf.cmake, build it, and ask the server for / under
# qemu-arm.
#
#   tests/package/run.sh [HOST_BUILD_DIR [WORK_DIR]]
#
#   HOST_BUILD_DIR  a built host configuration (default: build); it must
#                   have built the generator
#   WORK_DIR        prefix and build tree (default: a temporary directory)
# Installs the cross packages when missing (scripts/deps.sh --cross).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
host=$(cd "${1:-$root/build}" && pwd)
if [ -n "${2:-}" ]; then
    rm -rf "$2" && mkdir -p "$2"
    work=$(cd "$2" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
prefix=$work/prefix

# shellcheck source=../cross/lib.sh
source "$root/tests/cross/lib.sh"
trap 'stop_server; [ -n "${2:-}" ] || rm -rf "$work"' EXIT

"$root/scripts/deps.sh" --cross

cmake --install "$host" --prefix "$prefix" >"$work/install.log"
for f in bin/tinyroute share/man/man1/tinyroute.1 share/tinyroute/runtime/tr.h \
         share/tinyroute/runtime/tr_server.c share/tinyroute/cmake/tinyrouteConfig.cmake \
         share/tinyroute/cmake/tinyrouteConfigVersion.cmake \
         share/tinyroute/cmake/tinyrouteTargets.cmake share/tinyroute/cmake/TinyrouteGenerate.cmake; do
    if [ -e "$prefix/$f" ]; then pass "installed $f"; else fail "installed $f" "missing"; fi
done
if "$prefix/bin/tinyroute" --version | grep -q '^tinyroute '; then
    pass "installed tinyroute --version"
else
    fail "installed tinyroute --version" "no version"
fi

# The consumer: its own source tree, the installed package, an armhf
# toolchain.  TINYROUTE_EXECUTABLE is left to the package.
build=$work/consumer-armhf
if { cmake -S "$root/tests/package/consumer" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
           -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/armhf.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel &&
     cmake --build "$build" -j"$(nproc)"; } >"$work/consumer.log" 2>&1; then
    pass "consumer: find_package(tinyroute), armhf build"
else
    fail "consumer: find_package(tinyroute), armhf build" "see $work/consumer.log"
    tail -30 "$work/consumer.log"
    echo "package: $PASSED passed, $FAILED failed"
    exit 1
fi
exe=$(sed -n 's/^TINYROUTE_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
if [ "$exe" = "$prefix/bin/tinyroute" ]; then
    pass "consumer: TINYROUTE_EXECUTABLE is the installed generator"
else
    fail "consumer: TINYROUTE_EXECUTABLE" "'$exe'"
fi

what=$(file -b "$build/sensor")
if [[ $what == *"ARM, EABI5"* ]]; then
    pass "consumer: file: $what"
else
    fail "consumer: file" "$what"
fi

# A rebuild changes nothing; a generated file deleted by hand comes back
# (the Makefile generator too: the output directory is a dependency).
gen_dir=$(dirname "$(find "$build" -name sensor_routes.c | head -1)")
if cmake --build "$build" 2>&1 | grep -q "tinyroute gen"; then
    fail "consumer: a second build runs tinyroute gen again" ""
else
    pass "consumer: a second build generates nothing"
fi
rm -f "$gen_dir/sensor_routes.c"
if cmake --build "$build" >>"$work/consumer.log" 2>&1 && [ -f "$gen_dir/sensor_routes.c" ]; then
    pass "consumer: a deleted generated file is generated again"
else
    fail "consumer: a deleted generated file is generated again" "see $work/consumer.log"
fi

# MinSizeRel is the size profile: stripped, section GC, no build-id note.
sections=$(arm-linux-gnueabihf-readelf -SW "$build/sensor")
if [[ $sections != *".symtab"* && $sections != *".note.gnu.build-id"* ]] &&
   grep -q -- '--gc-sections' "$build/CMakeFiles/sensor.dir/link.txt"; then
    pass "consumer: MinSizeRel links with the size profile"
else
    fail "consumer: MinSizeRel size profile" "$(echo "$sections" | grep -E 'symtab|build-id') $(grep -c -- --gc-sections "$build/CMakeFiles/sensor.dir/link.txt")"
fi

if start_server "$work/server.log" qemu-arm -L /usr/arm-linux-gnueabihf "$build/sensor"; then
    tmp=$(mktemp -d)
    get "consumer under qemu-arm: GET /" / 200 "sensor ok"
    get "consumer under qemu-arm: GET /sensor/4" /sensor/4 200 40
    rm -rf "$tmp"
    stop_server
else
    fail "consumer: server starts under qemu-arm" "see $work/server.log"
fi

# The same project with tinyroute as a checkout inside it, for the host:
# the generator is built as part of the project; no tests, no examples.
build=$work/consumer-subdir
if { cmake -S "$root/tests/package/consumer" -B "$build" -DTINYROUTE_SOURCE_DIR="$root" &&
     cmake --build "$build" -j"$(nproc)"; } >"$work/subdir.log" 2>&1; then
    pass "consumer: add_subdirectory(tinyroute), host build"
    if [ -e "$build/tinyroute/examples" ] || [ -e "$build/tinyroute/tests" ]; then
        fail "consumer: add_subdirectory builds no examples or tests" "$(ls "$build/tinyroute")"
    else
        pass "consumer: add_subdirectory builds no examples or tests"
    fi
    if start_server "$work/server.log" "$build/sensor"; then
        tmp=$(mktemp -d)
        get "consumer (add_subdirectory): GET /sensor/7" /sensor/7 200 70
        rm -rf "$tmp"
        stop_server
    else
        fail "consumer (add_subdirectory): server starts" "see $work/server.log"
    fi
else
    fail "consumer: add_subdirectory(tinyroute), host build" "see $work/subdir.log"
    tail -30 "$work/subdir.log"
fi

echo "package: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
