#!/bin/sh
# Compiles a generated lexer with every compiler found (gcc, clang) at -O0
# and -Os with -Wall -Wextra -Werror, in C99 -pedantic and in C11.
#   check_warnings.sh FILE.c INCLUDE_DIR...
set -u
src=$1
shift
incs=
for d in "$@"; do incs="$incs -I$d"; done
status=0
ran=0
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    for opt in -O0 -Os; do
        for std in "-std=c99 -pedantic" "-std=c11"; do
            ran=$((ran + 1))
            # shellcheck disable=SC2086
            if ! "$cc" $opt $std -Wall -Wextra -Werror $incs -c "$src" -o /dev/null; then
                echo "FAIL: $cc $opt $std" >&2
                status=1
            fi
        done
    done
done
[ "$ran" -gt 0 ] || { echo "no compiler found" >&2; exit 1; }
exit $status
