#!/bin/sh
# run.sh - one golden (snapshot) test case of the generator.
#
#   run.sh TINYROUTE bad/NAME.routes    diagnostics: stderr must equal
#                                       bad/NAME.stderr, exit status 1, and
#                                       `gen` must write nothing
#   run.sh TINYROUTE good/NAME [syntax] generated code: DIR/NAME.routes gives
#                                       exactly the files in DIR/expected,
#                                       byte-stable, and it compiles with gcc
#                                       and clang at -O0 and -Os under
#                                       -Wall -Wextra -Werror (-O0 as C99
#                                       with -Wpedantic, -Os with
#                                       -D_GNU_SOURCE, as firmware builds do);
#                                       with `syntax`, gcc -fsyntax-only
#                                       -Wall -Wextra -Werror only (the
#                                       sanitized build's run: see
#                                       tests/CMakeLists.txt)
#
# The goldens show the generator's decisions, not the templates' text nor
# re2c's: a file made from a template (NAME_routes.c, NAME_lexer.re,
# NAME_main.c) is kept as NAME_routes.c.holes etc., only the lines that are
# not in its template (what the generator wrote into the holes), each run of
# them after a "@@" line; a file the generator writes whole (NAME_routes.h,
# tr_config.h) is kept whole; re2c's NAME_lexer.c is not kept, only
# compiled.  So a template edit changes no golden.
#
# UPDATE_SNAPSHOTS=1 rewrites the expected files instead of comparing them;
# review the diff (git diff tests/golden) before committing it.
set -u
tr=$1
case_path=$2
compile=${3:-full}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Compares $1 (expected) with $2 (actual), or updates $1.
compare() {
    if [ "${UPDATE_SNAPSHOTS:-0}" = 1 ]; then
        mkdir -p "$(dirname "$1")"
        cp "$2" "$1"
        return 0
    fi
    [ -f "$1" ] || fail "missing golden file $1 (run with UPDATE_SNAPSHOTS=1 to create it)"
    diff -u "$1" "$2" || fail "${3:-$2} differs from $1"
}

bad_case() {
    dir=$here/$(dirname "$case_path")
    name=$(basename "$case_path" .routes)
    cd "$dir" || exit 1
    "$tr" check "$name.routes" 2>"$tmp/stderr" >"$tmp/stdout"
    rc=$?
    [ $rc -eq 1 ] || fail "check exited $rc, want 1"
    [ -s "$tmp/stdout" ] && fail "check wrote to stdout"
    compare "$dir/$name.stderr" "$tmp/stderr"
    "$tr" gen "$name.routes" -o "$tmp/out" 2>/dev/null
    rc=$?
    [ $rc -eq 1 ] || fail "gen exited $rc, want 1"
    [ -e "$tmp/out" ] && fail "gen created $tmp/out for a bad spec"
    return 0
}

# Generated files that are this spec's own (the runtime copies are checked
# against runtime/ by another test), but re2c's output.
spec_files() {
    (cd "$1" && ls | grep -v -E '^tr_.*\.[ch]$|^tr\.h$|_lexer\.c$' ; ls "$1" | grep -x tr_config.h) | sort -u
}

# The template a generated file was made from, or nothing.
template_of() {
    case $1 in
    *_routes.c) echo "$here/../../templates/routes.c.in" ;;
    *_lexer.re) echo "$here/../../templates/request.re.in" ;;
    *_main.c)
        # Specs with several listeners or TLS get main() from main_listen.c.in.
        if grep -q ' and its listeners, in the spec.s order:' "$2"; then
            echo "$here/../../templates/main_listen.c.in"
        else
            echo "$here/../../templates/main.c.in"
        fi ;;
    esac
}

# The golden's name and text of generated file $1: the lines that are not
# in its template (GNU diff's group formats), or the file itself.
golden_of() {
    t=$(template_of "$(basename "$1")" "$1")
    if [ -z "$t" ]; then
        cp "$1" "$tmp/golden"
        echo "$(basename "$1")"
        return
    fi
    diff --unchanged-group-format= --old-group-format= --new-group-format='@@%c'\''\012'\''%>' \
        --changed-group-format='@@%c'\''\012'\''%>' "$t" "$1" >"$tmp/golden"
    echo "$(basename "$1").holes"
}

good_case() {
    dir=$here/$case_path
    name=$(basename "$case_path")
    cd "$dir" || exit 1
    "$tr" gen "$name.routes" -o "$tmp/out" || fail "gen failed"
    : >"$tmp/made"
    for f in $(spec_files "$tmp/out"); do
        g=$(golden_of "$tmp/out/$f")
        echo "$g" >>"$tmp/made"
        compare "$dir/expected/$g" "$tmp/golden" "generated $f"
    done
    if [ "${UPDATE_SNAPSHOTS:-0}" != 1 ]; then
        for f in $(ls "$dir/expected"); do
            grep -qx -- "$f" "$tmp/made" || fail "expected/$f was not generated"
        done
    fi
    # The output files are named after the spec's `name` setting, which
    # need not be the case's directory name.
    stem=$(cd "$tmp/out" && ls -- *_routes.c 2>/dev/null | sed -n 's/_routes\.c$//p')
    [ -n "$stem" ] && [ -f "$tmp/out/${stem}_routes.h" ] || fail "gen wrote no NAME_routes.c and NAME_routes.h"
    # Same spec, same bytes; an unchanged file is not rewritten.
    touch -d '2000-01-01' "$tmp/out/$stem"_routes.c
    before=$(stat -c %Y "$tmp/out/$stem"_routes.c)
    "$tr" gen "$name.routes" -o "$tmp/out" || fail "second gen failed"
    [ "$(stat -c %Y "$tmp/out/$stem"_routes.c)" = "$before" ] || fail "an unchanged file was rewritten"
    "$tr" gen --check "$name.routes" -o "$tmp/out" || fail "gen --check failed on fresh output"
    echo "/* edited */" >>"$tmp/out/$stem"_routes.h
    "$tr" gen --check "$name.routes" -o "$tmp/out" 2>"$tmp/check.err" && fail "gen --check missed an edited file"
    grep -q "stale: .*${stem}_routes.h" "$tmp/check.err" || fail "gen --check did not name the stale file"
    "$tr" gen "$name.routes" -o "$tmp/out" || fail "regeneration failed"
    if [ "$compile" = syntax ]; then
        for c in "$tmp/out"/*.c; do
            gcc -fsyntax-only -Wall -Wextra -Werror -std=gnu99 -Wpedantic "$c" \
                || fail "gcc -fsyntax-only: $(basename "$c") does not compile cleanly"
        done
        return 0
    fi
    for cc in gcc clang; do
        command -v $cc >/dev/null || fail "$cc is not installed"
        # -O0 as C99 (older vendor compilers); -Os as firmware builds
        # often compile: with _GNU_SOURCE defined (as 1).
        for opt in "-O0 -std=gnu99 -Wpedantic" "-Os -D_GNU_SOURCE"; do
            for c in "$tmp/out"/*.c; do
                $cc -Wall -Wextra -Werror $opt -c "$c" -o "$tmp/x.o" \
                    || fail "$cc $opt: $(basename "$c") does not compile cleanly"
            done
        done
    done
    return 0
}

case $case_path in
    *.routes) bad_case ;;
    *) good_case ;;
esac
echo "ok: $case_path"
