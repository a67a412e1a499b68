#!/bin/sh
# run.sh [SECONDS] [BUILD_DIR] - builds the libFuzzer harnesses with clang
# under AddressSanitizer and UndefinedBehaviorSanitizer and runs each for
# SECONDS (default 20) from its committed seed corpus.  A crash fails the
# run; its input is kept in tests/fuzz/crashes/ to become a regression
# test.  Prints executions and coverage per harness.  corpus/request/e2e_*
# are the requests of tests/e2e and tests/conformance, one a file, with a
# first byte of 0 (sent whole; the fuzzer explores the splits).  fuzz_json
# reads JSON request fields (runtime/tr_json_read.c); corpus/json's first
# byte chooses the kinds the fields want.  fuzz_fields lexes heads whose
# declared fields repeat (tests/fuzz/fields.routes), joined in place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-20}
build=$(cd "${2:-$root/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE"

"$build/gen/tinyroute" gen "$root/examples/reference/reference.routes" -o "$tmp/ref" >/dev/null
clang $flags -I"$tmp/ref" -o "$tmp/fuzz_request" "$here/fuzz_request.c" \
    "$tmp/ref/reference_routes.c" "$tmp/ref/reference_lexer.c"
# The decoder calls nothing of the runtime: its file alone.
clang $flags -I"$tmp/ref" -o "$tmp/fuzz_chunked" "$here/fuzz_chunked.c" "$tmp/ref/tr_chunked.c"
"$build/gen/tinyroute" gen "$root/tests/golden/good/json/json.routes" -o "$tmp/json" >/dev/null
clang $flags -I"$tmp/json" -o "$tmp/fuzz_json" "$here/fuzz_json.c" "$tmp/json/tr_json_read.c"
"$build/gen/tinyroute" gen "$here/fields.routes" -o "$tmp/fields" >/dev/null
clang $flags -I"$tmp/fields" -o "$tmp/fuzz_fields" "$here/fuzz_fields.c" "$tmp/fields/fields_lexer.c"
gen_sources=$(ls "$root"/gen/*.c | grep -v '/main\.c$')
# shellcheck disable=SC2086
clang $flags -I"$root/gen" -I"$root/spec" -I"$root/runtime" -I"$build/gen" -o "$tmp/fuzz_spec" "$here/fuzz_spec.c" \
    $gen_sources "$root/spec/parse.c" "$root/spec/syntax.c" "$build/gen/lexer.c" "$build/gen/grammar.c" "$build/gen/embedded.c" \
    -lz     # gen/asset_gzip.c

# The spec harness also starts from every golden spec, good and bad.
mkdir -p "$tmp/seed_spec" "$tmp/seed_request" "$tmp/seed_chunked" "$tmp/seed_json" "$tmp/seed_fields"
cp "$root"/tests/golden/*/*.routes "$root"/tests/golden/*/*/*.routes "$tmp/seed_spec/" 2>/dev/null || true

status=0
for h in request fields chunked json spec; do
    mkdir -p "$tmp/corpus_$h" "$here/crashes"
    if ! "$tmp/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$here/crashes/$h-" \
            "$tmp/corpus_$h" "$here/corpus/$h" "$tmp/seed_$h" >"$tmp/$h.log" 2>&1; then
        echo "fuzz_$h: FAILED"; tail -40 "$tmp/$h.log"; status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$tmp/$h.log" | awk '{print $2}')
    cov=$(grep -o 'cov: [0-9]*' "$tmp/$h.log" | tail -1 | awk '{print $2}')
    echo "fuzz_$h: ${execs:-?} executions, coverage ${cov:-?} edges, ${secs}s"
done
exit $status
