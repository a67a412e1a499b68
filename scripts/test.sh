#!/bin/sh
# test.sh - installs what is missing, builds everything and runs the whole
# test suite: unit, golden, lexer, runtime, end-to-end, conformance,
# exhaustion, cross builds under qemu, fuzzing.  This is what CI runs.
#   BUILD_DIR   build directory (default: build)
#   SLOW=1      also run the tests labelled slow (valgrind over every lexer case)
#   FULL=1      also rebuild the suite with -fsanitize=address,undefined and run
#               it there, and run the end-to-end suites against a server under
#               valgrind memcheck (on by default when CI=true)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/deps.sh --cross
build=${BUILD_DIR:-build}
full=${FULL:-}
[ -z "$full" ] && [ "${CI:-}" = true ] && full=1
jobs=$(nproc)

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$jobs"
if [ "${SLOW:-0}" = 1 ]; then
    (cd "$build" && ctest --output-on-failure -j"$jobs")
else
    (cd "$build" && ctest --output-on-failure -j"$jobs" -LE slow)
fi

if [ "$full" = 1 ]; then
    # The suite again under AddressSanitizer and UBSan.  Left out: the
    # fuzzers (sanitized already), the cross builds (no host code) and
    # callgrind (it cannot run a sanitized binary).
    cmake -S . -B "$build-asan" -DCMAKE_BUILD_TYPE=Debug -DTINYROUTE_SANITIZE=ON >/dev/null
    cmake --build "$build-asan" -j"$jobs"
    (cd "$build-asan" && LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" \
        ctest --output-on-failure -j"$jobs" -LE 'slow|cross|fuzz' -E lexer_callgrind)
    # The end-to-end suites against a server under valgrind memcheck.
    (cd "$build" && ctest --output-on-failure -L valgrind)
fi
