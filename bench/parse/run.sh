#!/bin/sh
# run.sh [BUILD_DIR] - instructions per parse (callgrind, counted inside the
# parse function only with --toggle-collect, averaged over N parses) of three
# requests by tinyroute's generated lexer (examples/reference), picohttpparser,
# llhttp and http-parser.  Run by hand as root (installs Debian packages);
# see bench/README.md.
#   PARSE_N=1000 (parses per run)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
tr=${TINYROUTE:-$build/gen/tinyroute}
n=${PARSE_N:-1000}
cc=${CC:-gcc}

need() {  # need PACKAGE... - installs the missing Debian packages
    miss=
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || miss="$miss $p"
    done
    [ -z "$miss" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y $miss >/dev/null
}
need valgrind libh2o-dev node-llhttp libhttp-parser-dev

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tr" gen "$root/examples/reference/reference.routes" -o "$tmp/out" >/dev/null

x86=0
case $(uname -m) in x86_64) x86=1 ;; esac
scalar=-O2
[ $x86 = 1 ] && scalar="-O2 -mno-sse4.2"
inc="-I$root/tests/lexer"
H=$here/harness.c
L=/usr/share/llhttp
lib=$(dpkg -L libhttp-parser-dev | grep 'libhttp_parser\.a$')

# name  function  build command
$cc $scalar -DP_TR -I"$tmp/out" $inc -o "$tmp/tr" "$H" "$tmp/out/reference_lexer.c"
$cc $scalar -DP_PICO $inc -o "$tmp/pico" "$H" -lh2o
$cc $scalar -DP_LLHTTP $inc -I/usr/share/include/llhttp -o "$tmp/llhttp" "$H" \
    $L/api.c $L/http.c $L/llhttp.c
[ $x86 = 1 ] && $cc -O2 -msse4.2 -DP_LLHTTP $inc -I/usr/share/include/llhttp \
    -o "$tmp/llhttp42" "$H" $L/api.c $L/http.c $L/llhttp.c
$cc $scalar -DP_HP $inc -o "$tmp/hp" "$H" "$lib"

# Debian builds libh2o for baseline x86-64: its picohttpparser is scalar.
pico_simd=$(objdump -d "$(readlink -f /usr/lib/*/libh2o.so)" | grep -c pcmpestri || true)

count() {  # count BIN FUNC REQ -> instructions per parse
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect="$2" \
        "$1" "$3" "$n" >"$tmp/out.txt" 2>"$tmp/log" || {
        echo "$1 failed:" >&2; cat "$tmp/out.txt" "$tmp/log" >&2; exit 1; }
    ir=$(awk '/^summary:/ { print $2 }' "$tmp/cg")
    echo $((ir / n))
}

row() {  # row LABEL BIN FUNC REF GOAL
    printf '%-26s' "$1"
    for r in 0 1 2; do printf ' %9s' "$(count "$2" "$3" $r)"; done
    printf '   %-8s %s\n' "$4" "$5"
}

ver_llhttp=$(dpkg-query -W -f '${Version}' node-llhttp)
ver_hp=$(dpkg-query -W -f '${Version}' libhttp-parser-dev)
ver_h2o=$(dpkg-query -W -f '${Version}' libh2o-dev)
echo "Instructions per parse (callgrind, inside the parse function, mean of $n);"
echo "gcc $($cc -dumpfullversion), $(uname -m); requests: 27 B (Host only),"
echo "88 B (curl, 3 fields), 550 B (browser, 10 fields).  issue: the issue's figure"
echo "for the browser request."
echo "llhttp $ver_llhttp (node-llhttp sources, built -O2 here),"
echo "http-parser $ver_hp (Debian's libhttp_parser.a), picohttpparser from libh2o $ver_h2o"
echo "(Debian's build; pcmpestri in it: $pico_simd)."
echo
printf '%-26s %9s %9s %9s   %-8s %s\n' PARSER 27B 88B 550B issue goal
printf '%-26s %9s %9s %9s   %-8s %s\n' ------ --- --- ---- ----- ----
row "tinyroute (reference)" "$tmp/tr" tr_lex_request - "550B <= 1800, no SIMD"
row "picohttpparser scalar" "$tmp/pico" phr_parse_request 4362 -
if [ "$pico_simd" -gt 0 ]; then
    echo "picohttpparser SSE4.2      (Debian's libh2o has it: counted above)"
else
    printf '%-26s %9s %9s %9s   %-8s %s\n' "picohttpparser SSE4.2" n/a n/a n/a 1827 \
        "(no SSE4.2 build in Debian)"
fi
row "llhttp" "$tmp/llhttp" llhttp_execute 5804 -
[ $x86 = 1 ] && row "llhttp -msse4.2" "$tmp/llhttp42" llhttp_execute - -
row "http-parser" "$tmp/hp" http_parser_execute 12704 -
