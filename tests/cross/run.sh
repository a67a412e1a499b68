#!/bin/bash
# run.sh - the cross pipeline, end to end: for each target (musl, static)
# configure a cross build of examples/reference and examples/admin (TLS,
# with Debian's libbearssl.a of the target) with the host's generator,
# build them, check what `file` says, run them under qemu-user on free
# loopback ports and check them over loopback with curl and raw sockets;
# for armhf, headless Chromium drives the admin UI (tests/admin/browser.py).
#
#   tests/cross/run.sh [TINYROUTE_EXECUTABLE [WORK_DIR [E2E_DIR]]]
#
# With E2E_DIR (the build directory of tests/e2e), the project's end-to-end
# suites that run against examples/reference are also run against each
# cross binary under qemu (TR_E2E_REFERENCE, TR_E2E_EMULATOR).
# Without a generator, builds one for the host in WORK_DIR/host.
#   WORK_DIR   build trees (default: build-cross in the checkout)
#   ARCHES     targets to run (default: "armhf aarch64 mipsel")
# Installs the cross compilers, musl and qemu-user when missing
# (scripts/deps.sh --cross).  Exit status 0 only if every check passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=${1:-${TINYROUTE_EXECUTABLE:-}}
work=${2:-$root/build-cross}
e2e=${3:-}
arches=${ARCHES:-armhf aarch64 mipsel}
jobs=$(nproc)
mkdir -p "$work"
work=$(cd "$work" && pwd)

# shellcheck source=lib.sh
source "$root/tests/cross/lib.sh"
trap stop_server EXIT

"$root/scripts/deps.sh" --cross

if [ -z "$exe" ]; then
    echo "== host generator"
    cmake -S "$root" -B "$work/host" -DCMAKE_BUILD_TYPE=Release \
          -DTINYROUTE_BUILD_TESTS=OFF -DTINYROUTE_BUILD_EXAMPLES=OFF >"$work/host.log"
    cmake --build "$work/host" -j"$jobs" --target tinyroute >>"$work/host.log"
    exe=$work/host/gen/tinyroute
fi

# check_admin ARCH BIN: examples/admin (TLS, BearSSL from Debian's
# libbearssl-dev:ARCH) built static, its API over HTTP and HTTPS under
# qemu (tests/admin/run.sh), and for armhf the browser test too.
check_admin() {
    local arch=$1 bin=$2 what
    what=$(file -b "$bin")
    if [[ $what == *"$want"* && $what == *"statically linked"* ]]; then
        pass "$arch: admin (TLS): file: $what"
    else
        fail "$arch: admin (TLS): file" "$what"
        return
    fi
    "$triplet-strip" -o "$bin.stripped" "$bin"
    echo "     $arch: admin (with TLS) stripped: $(stat -c %s "$bin.stripped") bytes"
    if ADMIN_EMULATOR=$qemu bash "$root/tests/admin/run.sh" "$bin" "$work/$arch-admin" \
            >"$work/$arch-admin.log" 2>&1; then
        pass "$arch: admin API over HTTP and HTTPS under $qemu"
    else
        fail "$arch: admin API under $qemu" "see $work/$arch-admin.log"
        grep FAIL "$work/$arch-admin.log" | head -20
    fi
    [ "$arch" = armhf ] || return 0
    local rc=0
    ADMIN_EMULATOR=$qemu python3 "$root/tests/admin/browser.py" "$bin" "$work/$arch-browser" \
        >"$work/$arch-browser.log" 2>&1 || rc=$?
    grep '^SKIP' "$work/$arch-browser.log" || true
    case $rc in
    0) pass "$arch: admin in headless Chromium over HTTP and HTTPS, server under $qemu" ;;
    77) echo "     $arch: browser test skipped: $(tail -1 "$work/$arch-browser.log")" ;;
    *) fail "$arch: admin in Chromium, server under $qemu" "see $work/$arch-browser.log"
       tail -20 "$work/$arch-browser.log" ;;
    esac
}

for arch in $arches; do
    case $arch in
    armhf)   triplet=arm-linux-gnueabihf qemu=qemu-arm     want='ARM, EABI5' ;;
    aarch64) triplet=aarch64-linux-gnu   qemu=qemu-aarch64 want='ARM aarch64' ;;
    mipsel)  triplet=mipsel-linux-gnu    qemu=qemu-mipsel  want='MIPS, MIPS32' ;;
    *) echo "run.sh: unknown target '$arch'" >&2; exit 2 ;;
    esac
    echo "== $arch (musl, static)"
    dir=$work/$arch-musl
    log=$work/$arch-musl.log
    # Runtime-only configuration: no generator, no tests (the defaults of a
    # cross build, spelled out).
    if ! { cmake -S "$root" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$arch-musl.cmake" \
                 -DCMAKE_BUILD_TYPE=MinSizeRel -DTINYROUTE_EXECUTABLE="$exe" \
                 -DTINYROUTE_BUILD_GENERATOR=OFF -DTINYROUTE_BUILD_TESTS=OFF &&
           cmake --build "$dir" -j"$jobs" --target reference admin; } >"$log" 2>&1; then
        fail "$arch: configure and build" "see $log"
        tail -20 "$log"
        continue
    fi
    pass "$arch: configure and build"
    bin=$dir/examples/reference
    if [ -e "$dir/gen" ]; then
        fail "$arch: no generator in a cross build" "$dir/gen exists"
    else
        pass "$arch: no generator in a cross build"
    fi

    what=$(file -b "$bin")
    if [[ $what == *"$want"* && $what == *"statically linked"* ]]; then
        pass "$arch: file: $what"
    else
        fail "$arch: file" "$what (want '$want', statically linked)"
    fi
    "$triplet-strip" -o "$bin.stripped" "$bin"
    echo "     $arch: reference stripped: $(stat -c %s "$bin.stripped") bytes"

    if ! start_server "$work/$arch-musl.server.log" "$qemu" "$bin"; then
        fail "$arch: server starts under $qemu" "see $work/$arch-musl.server.log"
        continue
    fi
    check_reference "$arch"
    stop_server
    if [ -n "$e2e" ]; then
        for family in routes methods framing persistence split; do
            if TR_E2E_REFERENCE="$bin" TR_E2E_EMULATOR="$qemu" "$e2e/e2e_$family" --jobs=2 \
                    >"$work/$arch-e2e-$family.log" 2>&1; then
                pass "$arch: e2e $family suite under $qemu"
            else
                fail "$arch: e2e $family suite under $qemu" "see $work/$arch-e2e-$family.log"
                grep -E 'FAIL|Synthesis' "$work/$arch-e2e-$family.log" | head -20
            fi
        done
    fi
    check_admin "$arch" "$dir/examples/admin"
done

echo "cross: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
