#!/bin/sh
# test.sh - installs what is missing, builds everything and runs the whole
# test suite: unit, golden, lexer, runtime, end-to-end, conformance,
# exhaustion, cross builds under qemu, fuzzing.  This is what CI runs.
#   BUILD_DIR   build directory (default: build)
#   SLOW=1      also run the tests labelled slow (valgrind over every lexer case)
#   FULL=1      also rebuild the suite with -fsanitize=address,undefined and run
#               it there, and run the end-to-end suites against a server under
#               valgrind memcheck (on by default when CI=true)
# Each stage prints its wall time ("stage NAME: N s").
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
t0=$(date +%s)
stage() { # NAME: the time since the last stage
    t1=$(date +%s)
    echo "stage $1: $((t1 - t0)) s"
    t0=$t1
}
scripts/deps.sh --cross
stage deps
build=${BUILD_DIR:-build}
full=${FULL:-}
[ -z "$full" ] && [ "${CI:-}" = true ] && full=1
jobs=$(nproc)
# Ninja when there is one: less overhead than make on a build of ~250 small
# targets (a fresh build dir only: a make one stays make).
gen=""
command -v ninja >/dev/null && gen="-G Ninja"

# The tests' scheduling: CTest runs nproc tests at once (CTEST_JOBS for
# more), and of the tests that keep a core busy (compilers, fuzzers, qemu,
# Chromium: RESOURCE_GROUPS cpu:1 in their CMakeLists.txt) never more than
# nproc, through this resource file, so that a larger CTEST_JOBS only adds
# tests that wait on timers and sockets.  nproc by default: many tests
# assert deadlines and latencies, and a loaded machine makes them late.
# Without the file (a plain `ctest -j`) the groups are ignored.
ctest_jobs=${CTEST_JOBS:-$jobs}
ctest_run() { # DIR CTEST-ARGS...: ctest in DIR with this script's scheduling
    d=$1
    shift
    (cd "$d" && ctest --output-on-failure -j"$ctest_jobs" --resource-spec-file "$resources" "$@")
}

[ -f "$build/CMakeCache.txt" ] && gen=""
# shellcheck disable=SC2086
cmake -S . -B "$build" $gen -DCMAKE_BUILD_TYPE=Debug >/dev/null
resources=$(cd "$build" && pwd)/ci-resources.json
cat > "$resources" <<EOF
{ "version": { "major": 1, "minor": 0 },
  "local": [ { "cpu": [ { "id": "0", "slots": $jobs } ] } ] }
EOF
cmake --build "$build" -j"$jobs"
stage build

# FULL: the sanitized build is made while the first pass runs, at the
# lowest priority: many tests wait on timers and sockets, and the build
# takes the CPU they leave (niced, it takes nothing they want: their
# timing stays theirs).  Its output goes to a log, shown if it fails.
build_asan=$build-asan
if [ "$full" = 1 ]; then
    gen_asan="-G Ninja"
    command -v ninja >/dev/null || gen_asan=""
    [ -f "$build_asan/CMakeCache.txt" ] && gen_asan=""
    # shellcheck disable=SC2086
    cmake -S . -B "$build_asan" $gen_asan -DCMAKE_BUILD_TYPE=Debug -DTINYROUTE_SANITIZE=ON >/dev/null
    asan_log=$(cd "$build_asan" && pwd)/build.log
    # Its own process group (setsid), so that a failing first pass stops
    # all of it, ninja and compilers included.
    setsid -w nice -n 19 cmake --build "$build_asan" -j"$jobs" >"$asan_log" 2>&1 &
    asan_pid=$!
    trap 'kill -- -$asan_pid 2>/dev/null || true' EXIT
fi
if [ "${SLOW:-0}" = 1 ]; then
    ctest_run "$build"
else
    ctest_run "$build" -LE slow
fi
stage ctest

if [ "$full" = 1 ]; then
    # The suite again under AddressSanitizer and UBSan.  Left out: the
    # fuzzers (sanitized already), the cross builds (no host code) and
    # callgrind (it cannot run a sanitized binary); and the tests that run
    # only compilers over our sources, none of our code, so that the
    # sanitizers have nothing to watch: lexer_warnings (the generated lexer
    # under gcc and clang) and tr_rt_compile_alone (each runtime file alone,
    # gcc and clang).  lexer_asan is left out too: it is the lexer suite
    # built with -fsanitize=address,undefined whatever the build, so the
    # first pass ran it already, and `lexer` is that suite here.  The golden
    # tests run the sanitized generator but compile its output only with
    # gcc -fsyntax-only (tests/CMakeLists.txt says why).
    if ! wait $asan_pid; then
        tail -50 "$asan_log"
        echo "test.sh: the sanitized build failed (its log: $asan_log)" >&2
        exit 1
    fi
    stage build-asan-rest
    LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" ctest_run "$build_asan" \
        -LE 'slow|cross|fuzz' -E '^(lexer_callgrind|lexer_asan|lexer_warnings|tr_rt_compile_alone)$'
    stage ctest-asan
    # The end-to-end suites against a server under valgrind memcheck: one
    # test, valgrind_e2e, its families side by side (valgrind.sh).
    (cd "$build" && ctest --output-on-failure -L valgrind)
    stage valgrind
fi
