#!/bin/sh
# run.sh SPEC HANDLERS.c PATH... - instructions per dispatch (callgrind),
# averaged over 1000 calls per path, gcc -O2: inside split_path (the path
# into decoded segments), inside match_path (segments to a route, typed
# parameters decoded), and inside the whole generated dispatch function.
# Run by hand; see bench/README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tr=${TINYROUTE:-$root/build/gen/tinyroute}
spec=$1 handlers=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tr" gen "$spec" -o "$tmp/out" >/dev/null
name=$(cd "$tmp/out" && ls *_routes.c | sed 's/_routes\.c$//')
${CC:-gcc} -O2 -I"$tmp/out" -DAPP="${name}_app" -o "$tmp/bench" "$here/harness.c" \
    "$tmp/out/${name}_routes.c" "$tmp/out/${name}_lexer.c" "$handlers" \
    "$tmp/out/tr_response.c" "$tmp/out/tr_date.c" 2>/dev/null || {
    echo "build failed" >&2; exit 1; }
# count PATH FUNCTION: instructions inside FUNCTION (and its callees) per call.
count() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect="$2" \
        "$tmp/bench" "$1" 1000 >/dev/null 2>"$tmp/log"
    echo $(($(grep '^summary:' "$tmp/cg" | awk '{print $2}') / 1000))
}

printf '%-40s %8s %8s %10s\n' PATH SPLIT MATCH DISPATCH
for p in "$@"; do
    # gcc may clone a static function (split_path.constprop.0): match the stem.
    printf '%-40s %8s %8s %10s\n' "$p" "$(count "$p" 'split_path*')" "$(count "$p" 'match_path*')" \
        "$(count "$p" dispatch_request)"
done
