#!/bin/sh
# bench/json/run.sh - the JSON request reader against one written on jsmn
# (by hand, not a test; bench/README.md, "JSON request reader").
#
#   bench/json/run.sh [BUILD_DIR]      (default: build; needs BUILD/gen/tinyroute)
#
# 1. tests/runtime/json_cases.h run against runtime/tr_json_read.c and
#    against jsmn_fields.c (jsmn 1.1.0 from libjsmn-dev), each under ASan
#    and UBSan;
# 2. JSON_FUZZ_SECONDS (default 60) of differential fuzzing (diff.c, clang's
#    libFuzzer): both must agree on every body;
# 3. bytes of text of each, -Os (Thumb-2 on armhf), as objects, and their
#    RAM: jsmn's token array for a body=1K route, and each one's stack
#    (-fstack-usage).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/json
build=${1:-$root/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
[ -f /usr/include/jsmn.h ] || { echo "json: no jsmn.h (scripts/deps.sh installs libjsmn-dev)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The runtime as a json= spec has it (tr_config.h: TR_WITH_JSON_READ 1).
"$build/gen/tinyroute" gen "$root/tests/golden/good/json/json.routes" -o "$tmp/rt" >/dev/null
inc="-I$tmp/rt -I$root/tests/runtime"
san="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Wno-missing-field-initializers -Werror"

echo "Cases (tests/runtime/json_cases.h):"
# shellcheck disable=SC2086
cc $san $inc -o "$tmp/check_ours" "$root/tests/runtime/json_read_cases.c" "$tmp/rt/tr_json_read.c"
# shellcheck disable=SC2086
cc $san $inc -o "$tmp/check_jsmn" "$root/tests/runtime/json_read_cases.c" "$here/jsmn_fields.c"
printf '  tr_json_read.c: '; "$tmp/check_ours"
printf '  jsmn_fields.c:  '; "$tmp/check_jsmn"

secs=${JSON_FUZZ_SECONDS:-60}
if [ "$secs" -gt 0 ] && command -v clang >/dev/null; then
    fz="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
    # shellcheck disable=SC2086
    clang $fz $inc -c -o "$tmp/ours.o" "$tmp/rt/tr_json_read.c"
    # shellcheck disable=SC2086
    clang $fz $inc -Dtr_json_fields=jsmn_json_fields -c -o "$tmp/jsmn.o" "$here/jsmn_fields.c"
    # shellcheck disable=SC2086
    clang $fz $inc -o "$tmp/diff" "$here/diff.c" "$tmp/ours.o" "$tmp/jsmn.o"
    mkdir -p "$tmp/corpus"
    cp "$root"/tests/fuzz/corpus/json/* "$tmp/corpus/" 2>/dev/null || true
    "$tmp/diff" -max_total_time="$secs" -max_len=1025 "$tmp/corpus" >"$tmp/diff.log" 2>&1 ||
        { tail -30 "$tmp/diff.log"; echo "json: the two disagree (above)" >&2; exit 1; }
    echo "Differential fuzzing: $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$tmp/diff.log") bodies in ${secs} s, no disagreement"
fi

echo
echo "Text bytes of each object, -Os (size -B), and stack bytes (-fstack-usage, the entry point's frame"
echo "plus its deepest callee's); jsmn's tokens for a body=1K route: bss."
echo
printf '%-8s %10s %8s %10s %8s %8s\n' target ours stack on-jsmn stack tokens
for t in x86_64 armhf; do
    case $t in
    x86_64) cc=gcc sz=size extra= ;;
    armhf) cc=arm-linux-gnueabihf-gcc sz=arm-linux-gnueabihf-size extra=-mthumb ;;
    esac
    command -v "$cc" >/dev/null || { echo "($cc missing: $t skipped)"; continue; }
    o="-Os $extra -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fstack-usage"
    # shellcheck disable=SC2086
    (cd "$tmp" && "$cc" $o $inc -c -o "ours.$t.o" "$tmp/rt/tr_json_read.c" &&
        "$cc" $o $inc -c -o "jsmn.$t.o" "$here/jsmn_fields.c")
    a=$("$sz" -B "$tmp/ours.$t.o" | awk 'NR == 2 { print $1 }')
    b=$("$sz" -B "$tmp/jsmn.$t.o" | awk 'NR == 2 { print $1 }')
    bss=$("$sz" -B "$tmp/jsmn.$t.o" | awk 'NR == 2 { print $3 }')
    # the largest frame, plus the entry point's when that is another function
    sa=$(awk -F'\t' '{ split($1, f, ":"); n = f[4]; s = $2 + 0; if (n == "tr_json_fields") e = s; else if (s > m) m = s }
                     END { print e + m }' "$tmp/ours.$t.su")
    sb=$(awk -F'\t' '{ split($1, f, ":"); n = f[4]; s = $2 + 0; if (n == "tr_json_fields") e = s; else if (s > m) m = s }
                     END { print e + m }' "$tmp/jsmn.$t.su")
    printf '%-8s %10d %8d %10d %8d %8d\n' "$t" "$a" "$sa" "$b" "$sb" "$bss"
    rm -f "$tmp"/*.su
done
