#!/bin/sh
# gen.sh - the generator at scale: time and peak memory of `tinyroute gen`
# and of compiling its output (gcc -Os -c, each .c the spec owns), for specs
# of about 100, 1,000 and 10,000 routes; and the time of the routes at -O2
# (O2_S), where dispatch is a function per trie node rather than tables up
# to 4,096 nodes (the 10,000-route spec has more: tables, by default).
# Run by hand; see bench/README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tr=${TINYROUTE:-$here/../../build/gen/tinyroute}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%8s %10s %10s %12s %12s %10s %8s\n' ROUTES GEN_S GEN_MB COMPILE_S COMPILE_MB TOTAL_S O2_S
for n in 100 1000 10000; do
    sh "$here/make_spec.sh" "$n" s >"$tmp/s.routes"
    routes=$(grep -c '^[A-Z]' "$tmp/s.routes")
    /usr/bin/time -f '%e %M' -o "$tmp/gen.t" "$tr" gen "$tmp/s.routes" -o "$tmp/out"
    /usr/bin/time -f '%e %M' -o "$tmp/cc.t" sh -c \
        "cd '$tmp/out' && ${CC:-gcc} -Os -c s_routes.c -o /dev/null && ${CC:-gcc} -Os -c s_lexer.c -o /dev/null"
    /usr/bin/time -f '%e' -o "$tmp/o2.t" sh -c "cd '$tmp/out' && ${CC:-gcc} -O2 -c s_routes.c -o /dev/null"
    read -r gs gm <"$tmp/gen.t"
    read -r cs cm <"$tmp/cc.t"
    read -r o2 <"$tmp/o2.t"
    printf '%8s %10s %10.1f %12s %12.1f %10.2f %8s\n' "$routes" "$gs" "$(echo "$gm / 1024" | bc -l)" \
        "$cs" "$(echo "$cm / 1024" | bc -l)" "$(echo "$gs + $cs" | bc -l)" "$o2"
    rm -rf "$tmp/out"
done
