#!/bin/sh
# run.sh SPEC HANDLERS.c PATH... - instructions per dispatch (callgrind),
# counted inside the generated dispatch function only, averaged over 1000
# calls per path.  Run by hand; see bench/README.md.
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
printf '%-40s %12s\n' PATH "INSTR/CALL"
for p in "$@"; do
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect="${name}_dispatch" \
        "$tmp/bench" "$p" 1000 >/dev/null 2>"$tmp/log"
    ir=$(grep '^summary:' "$tmp/cg" | awk '{print $2}')
    printf '%-40s %12s\n' "$p" "$((ir / 1000))"
done
