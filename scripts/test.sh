#!/bin/sh
# test.sh - installs what is missing, builds everything and runs the whole
# test suite (unit, golden, end-to-end).  This is what CI runs.
#   BUILD_DIR   build directory (default: build)
#   SANITIZE=1  build with -fsanitize=address,undefined
#   SLOW=1      also run the tests labelled slow (valgrind over every lexer case)
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh --cross
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DTINYROUTE_SANITIZE="${SANITIZE:-0}" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
if [ "${SLOW:-0}" = 1 ]; then
    ctest --output-on-failure -j"$(nproc)"
else
    ctest --output-on-failure -j"$(nproc)" -LE slow
fi
