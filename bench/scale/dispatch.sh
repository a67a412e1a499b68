#!/bin/sh
# dispatch.sh - instructions per dispatch (callgrind, inside the generated
# dispatch function only) for REST-style specs of about 20, 200 and 2,000
# routes, one request path per GET route: the cost should stay flat.
# Beside it, the issue's baseline: linear_scan.c, a scan of every route in
# spec order over the pre-split path (only its match function counted).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tr=${TINYROUTE:-$here/../../build/gen/tinyroute}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-gcc} -O2 -o "$tmp/linear" "$here/linear_scan.c"
printf '%8s %8s %14s %14s %8s\n' ROUTES PATHS INSTR/DISPATCH LINEAR-SCAN GOAL
for n in 20 200 2000; do
    sh "$here/make_spec.sh" "$n" s >"$tmp/s.routes"
    "$tr" gen "$tmp/s.routes" -o "$tmp/out" >/dev/null
    # One path per GET route: typed segments get a value that decodes.
    grep '^GET' "$tmp/s.routes" | awk '{print $2}' |
        sed -e 's/<[a-z]*:uint>/4711/g' -e 's/<[a-z]*:int>/-42/g' -e 's/<[a-z]*>/widget/g' >"$tmp/paths"
    # Empty handlers for every prototype.
    { echo '#include "s_routes.h"'
      sed -n 's/^void \([a-z0-9_]*\)(tr_res \*res\(.*\));$/void \1(tr_res *res\2) { (void)res; }/p' \
          "$tmp/out/s_routes.h"; } >"$tmp/stubs.c"
    ${CC:-gcc} -O2 -w -I"$tmp/out" -DAPP=s_app -o "$tmp/bench" "$here/dispatch_all.c" "$tmp/stubs.c" \
        "$tmp/out/s_routes.c" "$tmp/out/s_lexer.c"
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect=s_dispatch \
        "$tmp/bench" "$tmp/paths" 10 >/dev/null 2>"$tmp/log"
    ir=$(grep '^summary:' "$tmp/cg" | awk '{print $2}')
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cgl" --toggle-collect=linear_match \
        "$tmp/linear" "$tmp/s.routes" "$tmp/paths" 10 >/dev/null 2>"$tmp/log"
    lin=$(grep '^summary:' "$tmp/cgl" | awk '{print $2}')
    paths=$(wc -l <"$tmp/paths")
    printf '%8s %8s %14s %14s %8s\n' "$(grep -c '^[A-Z]' "$tmp/s.routes")" "$paths" \
        "$((ir / (paths * 10)))" "$((lin / (paths * 10)))" "<= 200"
    rm -rf "$tmp/out"
done
