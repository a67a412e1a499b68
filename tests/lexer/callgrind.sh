#!/bin/sh
# Counts the instructions tr_lex_request executes on one 550-byte browser
# GET (bench_lexer.c), inclusive, from callgrind.
#   callgrind.sh VALGRIND BENCH
set -eu
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$1" --tool=callgrind --callgrind-out-file="$out" --toggle-collect=tr_lex_request \
    "$2" >/dev/null 2>&1
ir=$(awk '/^summary:/ { print $2 }' "$out")
echo "tr_lex_request: $ir instructions for one 550-byte GET with 10 fields"
