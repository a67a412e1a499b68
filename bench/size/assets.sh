#!/bin/sh
# bench/size/assets.sh - the byte table of a mounted directory, by hand.
#
#   bench/size/assets.sh [BUILD_DIR] [SPEC]   (default: build, examples/site/site.routes)
#
# Per file: raw bytes, gzip -9 (gzip -9 -n, as the generator makes it, same
# length), zopfli (--gzip, 15 iterations; '-' when zopfli is not installed),
# and what NAME_assets.c stores (raw, plus the gzip variant when it is
# kept), from the comments the generator writes there.  Then the totals.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
spec=${2:-$root/examples/site/site.routes}
gen=${TINYROUTE:-$build/gen/tinyroute}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" gen "$spec" -o "$work" >/dev/null
dir=$(dirname "$spec")
printf '| %-18s | %7s | %7s | %7s | %7s |\n' file raw "gzip -9" zopfli stored
printf '|%s|%s|%s|%s|%s|\n' -------------------- ---------: ---------: ---------: ---------:
# "/* N: www/a/b.txt, 2 bytes; gzip -9 22, not kept */"
sed -n 's|^/\* [0-9]*: \(.*\), \([0-9]*\) bytes; gzip -9 \([0-9]*\)\(.*\) \*/$|\1 \2 \3 \4|p' "$work"/*_assets.c |
while read -r f raw gz kept; do
    z=-
    command -v zopfli >/dev/null 2>&1 && z=$(zopfli --gzip -c "$dir/$f" | wc -c | tr -d ' ')
    stored=$((raw + gz))
    [ -n "$kept" ] && stored=$raw
    printf '| %-18s | %7s | %7s | %7s | %7s |\n' "$f" "$raw" "$gz" "$z" "$stored"
    echo "$raw $gz $z $stored" >>"$work/sum"
done
awk '{ r += $1; g += $2; z += $3; s += $4 }
     END { printf "| %-18s | %7d | %7d | %7s | %7d |\n", "total", r, g, z ? z : "-", s }' "$work/sum"
