#!/bin/sh
# siblings.sh [N...] - the generator's time and peak memory for N sibling
# literals under one node (GET /s/lit0 ... /s/litN-1, one handler), where
# the node code tells thousands of literals of one length apart by a
# hashed switch.  Default N: 20000 40000.  Run by hand.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tr=${TINYROUTE:-$here/../../build/gen/tinyroute}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- 20000 40000
printf '%8s %10s %10s\n' SIBLINGS GEN_S GEN_MB
for n in "$@"; do
    awk -v n="$n" 'BEGIN { print "name s\nmain off"; for (i = 0; i < n; i++) print "GET /s/lit" i " h" }' \
        >"$tmp/s.routes"
    /usr/bin/time -f '%e %M' -o "$tmp/gen.t" "$tr" gen "$tmp/s.routes" -o "$tmp/out"
    read -r gs gm <"$tmp/gen.t"
    printf '%8s %10s %10.1f\n' "$n" "$gs" "$(echo "$gm / 1024" | bc -l)"
    rm -rf "$tmp/out"
done
