#!/bin/sh
# Compiles every runtime file alone, as the brief demands, with gcc and clang
# at -O0 and -Os, against each tr_config.h directory given (default: this one).
set -e
here=$(cd "$(dirname "$0")" && pwd)
rt="$here/../../runtime"
[ $# -gt 0 ] || set -- "$here"
fail=0
for cfg in "$@"; do
    for cc in gcc clang; do
        for o in -O0 -Os; do
            for f in "$rt"/*.c; do
                if ! $cc -Wall -Wextra -Werror $o -I"$cfg" -I"$rt" -c "$f" -o /dev/null; then
                    echo "FAIL: $cc $o $f ($cfg)"; fail=1
                fi
            done
        done
    done
done
exit $fail
