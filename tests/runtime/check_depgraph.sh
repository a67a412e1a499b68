#!/bin/sh
# check_depgraph.sh DEPGRAPH OBJECT... - fails when the runtime's objects
# among OBJECT (those named tr_*, as a generated server's build names its
# copies of runtime/) depend on each other in a circle: each file of the
# runtime calls only files below it (docs/ARCHITECTURE.md).  The edges are
# printed; a graph without the loop's edge to the connections, or with
# fewer than ten runtime objects, means the objects were not the ones
# meant, and fails too.
# An OBJECT may be a CMake list (a;b): add_test passes $<TARGET_OBJECTS>
# as one argument.
set -eu
depgraph=$1
shift
n=0
for arg in "$@"; do
    shift
    old_ifs=$IFS
    IFS=';'
    for o in $arg; do
        case ${o##*/} in
        tr_*) set -- "$@" "$o"; n=$((n + 1)) ;;
        esac
    done
    IFS=$old_ifs
done
[ "$n" -ge 10 ] || { echo "check_depgraph: only $n runtime objects" >&2; exit 1; }
edges=$(sh "$depgraph" "$@") || exit 1
echo "$edges"
echo "$edges" | grep -qx 'tr_server.o -> tr_conn.o' ||
    { echo "check_depgraph: no edge tr_server.o -> tr_conn.o" >&2; exit 1; }
