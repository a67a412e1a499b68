#!/bin/sh
# depgraph.sh OBJECT... - the dependency graph of object files, from nm:
# an edge "a.o -> b.o" for each object a that uses (U) a symbol that b
# defines.  Prints the edges sorted, then fails (exit 1, the cycle on
# stderr) if they form a cycle.  Symbols no object defines (libc) are no
# edges.  Works on the generator's objects and on the runtime's:
#
#   scripts/depgraph.sh build/gen/CMakeFiles/tinyroute_core.dir/*.o
set -eu
[ $# -gt 0 ] || { echo "usage: depgraph.sh OBJECT..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for o in "$@"; do
    n=$(basename "$o")
    n=${n%.o}; n=${n%.c}; n=$n.o          # CMake names objects x.c.o
    nm -P "$o" >"$tmp/nm" || { echo "depgraph: cannot read $o" >&2; exit 2; }
    awk -v o="$n" '$2 ~ /^[TDBRCGSVW]$/ { print $1, o >> "'"$tmp"'/def" }
                               $2 == "U" { print $1, o >> "'"$tmp"'/use" }' "$tmp/nm"
done
touch "$tmp/def" "$tmp/use"
sort -u "$tmp/def" >"$tmp/def.s"
sort -u "$tmp/use" >"$tmp/use.s"
# use: sym user; def: sym definer -> user definer
join "$tmp/use.s" "$tmp/def.s" | awk '$2 != $3 { print $2, $3 }' | sort -u >"$tmp/edges"
awk '{ print $1 " -> " $2 }' "$tmp/edges"
if ! tsort <"$tmp/edges" >/dev/null 2>"$tmp/err"; then
    # tsort names each loop's members, one a line, after a header line.
    echo "depgraph: the objects depend on each other in a circle:" >&2
    sed -e 's/^tsort: -: input contains a loop:$/  loop:/' -e 's/^tsort: /    /' "$tmp/err" >&2
    exit 1
fi
