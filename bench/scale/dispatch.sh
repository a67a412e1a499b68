#!/bin/sh
# dispatch.sh - instructions per dispatch (callgrind) for REST-style specs
# of 20 to 2,000 routes, one request path per GET route: the cost should
# stay flat.  Run by hand; see bench/README.md, "Dispatch".
#
# Per path, averaged, gcc -O2 (the trie as code, TR_DISPATCH_CODE):
#   SPLIT     split_path: the path into segments, percent-decoded
#   MATCH     match_path: the pre-split segments to a route, typed
#             parameters decoded (the issue's measure, goal <= 200)
#   DISPATCH  the whole generated dispatch function (split + match + setup)
# and, for the other shape, gcc -Os (the trie as tables, the default there):
#   OS-DISPATCH  the whole dispatch function (split and match inlined)
# Beside them, the issue's baseline: linear_scan.c, a scan of every route
# in spec order over the pre-split path (only its match function counted).
#   DISPATCH_SIZES="20 200 2000"  the spec sizes (default: a curve of seven)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tr=${TINYROUTE:-$here/../../build/gen/tinyroute}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-gcc}
rounds=10
$cc -O2 -o "$tmp/linear" "$here/linear_scan.c"

# count BINARY FUNCTION: instructions inside FUNCTION (and its callees) per path.
count() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect="$2" \
        "$1" "$tmp/paths" "$rounds" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
    echo $(($(grep '^summary:' "$tmp/cg" | awk '{print $2}') / (paths * rounds)))
}

printf '%7s %6s %6s %6s %9s %12s %12s %6s\n' ROUTES PATHS SPLIT MATCH DISPATCH OS-DISPATCH LINEAR-SCAN GOAL
for n in ${DISPATCH_SIZES:-20 50 100 200 500 1000 2000}; do
    sh "$here/make_spec.sh" "$n" s >"$tmp/s.routes"
    "$tr" gen "$tmp/s.routes" -o "$tmp/out" >/dev/null
    # One path per GET route: typed segments get a value that decodes.
    grep '^GET' "$tmp/s.routes" | awk '{print $2}' |
        sed -e 's/<[a-z]*:uint>/4711/g' -e 's/<[a-z]*:int>/-42/g' -e 's/<[a-z]*>/widget/g' >"$tmp/paths"
    paths=$(wc -l <"$tmp/paths")
    # Empty handlers for every prototype.
    { echo '#include "s_routes.h"'
      sed -n 's/^void \([a-z0-9_]*\)(tr_res \*res\(.*\));$/void \1(tr_res *res\2) { (void)res; }/p' \
          "$tmp/out/s_routes.h"; } >"$tmp/stubs.c"
    for opt in O2 Os; do
        $cc -$opt -w -I"$tmp/out" -DAPP=s_app -o "$tmp/bench_$opt" "$here/dispatch_all.c" "$tmp/stubs.c" \
            "$tmp/out/s_routes.c" "$tmp/out/s_lexer.c"
    done
    # gcc may clone a static function (split_path.constprop.0): match the stem.
    split=$(count "$tmp/bench_O2" 'split_path*')
    match=$(count "$tmp/bench_O2" 'match_path*')
    whole=$(count "$tmp/bench_O2" dispatch_request)
    small=$(count "$tmp/bench_Os" dispatch_request)
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cgl" --toggle-collect=linear_match \
        "$tmp/linear" "$tmp/s.routes" "$tmp/paths" "$rounds" >/dev/null 2>"$tmp/log"
    lin=$(grep '^summary:' "$tmp/cgl" | awk '{print $2}')
    printf '%7s %6s %6s %6s %9s %12s %12s %6s\n' "$(grep -c '^[A-Z]' "$tmp/s.routes")" "$paths" \
        "$split" "$match" "$whole" "$small" "$((lin / (paths * rounds)))" "<= 200"
    rm -rf "$tmp/out"
done
