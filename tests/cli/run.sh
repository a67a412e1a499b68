#!/bin/sh
# run.sh TINYROUTE SOURCE_DIR - the command line: usage errors, I/O errors,
# a missing re2c, warnings switches, the routes table, and that the runtime
# copies in a generated directory are the runtime's sources byte for byte.
set -u
tr=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
check() {   # check NAME WANT_STATUS COMMAND...: runs it, keeps stderr in $tmp/err
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $name: exit $got, want $want"; sed 's/^/    /' "$tmp/err"
        fails=$((fails + 1))
        return 1
    fi
    passes=$((passes + 1))
    return 0
}
expect() {  # expect NAME FILE PATTERN: grep for PATTERN in FILE
    if grep -q -- "$3" "$2"; then passes=$((passes + 1)); else
        echo "FAIL: $1: '$3' not in:"; sed 's/^/    /' "$2"; fails=$((fails + 1)); fi
}

spec=$src/examples/reference/reference.routes
printf 'name t\nGET /a/.. h\n' >"$tmp/warn.routes"

check "no arguments is a usage error" 2 "$tr"
expect "usage is printed" "$tmp/err" "usage: tinyroute gen"
check "an unknown command is a usage error" 2 "$tr" frob "$spec"
expect "the command is named" "$tmp/err" "unknown command 'frob'"
check "gen without -o is a usage error" 2 "$tr" gen "$spec"
check "an unknown option is a usage error" 2 "$tr" check --frob "$spec"
check "an unknown warning is a usage error" 2 "$tr" check -Wno-such-thing "$spec"
check "-o needs a value" 2 "$tr" gen "$spec" -o
check "--check goes with gen only" 2 "$tr" check --check "$spec"
check "an empty -o is a usage error, not the root directory" 2 "$tr" gen "$spec" -o ''
expect "the empty value is named" "$tmp/err" "option '-o' needs a non-empty value"
check "-o twice is a usage error" 2 "$tr" gen "$spec" -o "$tmp/o1" -o "$tmp/o2"
[ -e "$tmp/o1" ] || [ -e "$tmp/o2" ] && { echo "FAIL: -o twice wrote a directory"; fails=$((fails + 1)); }
if [ -w /dev/full ]; then
    check "a route table that cannot be written is an error" 1 sh -c "\"$tr\" routes \"$spec\" >/dev/full"
    expect "the failed write is said" "$tmp/err" "cannot write standard output"
    check "--help that cannot be written is an error" 1 sh -c "\"$tr\" --help >/dev/full"
fi
check "a second spec is a usage error" 2 "$tr" check "$spec" "$spec"
check "--help succeeds" 0 "$tr" --help
expect "--help documents every command" "$tmp/out" "routes SPEC"
check "--version succeeds" 0 "$tr" --version
expect "--version names the program" "$tmp/out" "^tinyroute [0-9]"

check "a missing spec is an I/O error" 1 "$tr" check "$tmp/none.routes"
expect "the missing file is named" "$tmp/err" "cannot open '$tmp/none.routes'"
check "a missing re2c is an error" 1 "$tr" gen --re2c "$tmp/no-re2c" "$spec" -o "$tmp/g1"
expect "the message says what to install" "$tmp/err" "apt-get install re2c"
[ -e "$tmp/g1" ] && { echo "FAIL: gen wrote $tmp/g1 without re2c"; fails=$((fails + 1)); }
: >"$tmp/file"
check "an output path that is a file is an I/O error" 1 "$tr" gen "$spec" -o "$tmp/file/sub"
expect "the directory is named" "$tmp/err" "cannot create directory '$tmp/file/sub'"

check "a warning alone succeeds" 0 "$tr" check "$tmp/warn.routes"
expect "the warning is named" "$tmp/err" "\[-Wunreachable-route\]"
check "-Wno-NAME silences it" 0 "$tr" check -Wno-unreachable-route "$tmp/warn.routes"
[ -s "$tmp/err" ] && { echo "FAIL: -Wno-unreachable-route still printed"; fails=$((fails + 1)); }
check "-Werror makes it fail" 1 "$tr" check -Werror "$tmp/warn.routes"
expect "-Werror reports an error" "$tmp/err" "error: .*\[-Wunreachable-route\]"

check "routes prints the table" 0 "$tr" routes "$spec"
expect "the table has a header" "$tmp/out" "^ORDER METHODS"
expect "routes are in precedence order" "$tmp/out" "^    2 GET .*/add/<a:int>/<b:int>"
[ "$(wc -l <"$tmp/out")" -eq 6 ] || { echo "FAIL: routes printed $(wc -l <"$tmp/out") lines"; fails=$((fails + 1)); }

check "gen writes the reference server" 0 "$tr" gen "$spec" -o "$tmp/ref"
for f in "$src"/runtime/*.[ch]; do
    if cmp -s "$f" "$tmp/ref/$(basename "$f")"; then passes=$((passes + 1)); else
        echo "FAIL: $(basename "$f") in the output differs from runtime/"; fails=$((fails + 1)); fi
done
grep -l "$src\|$tmp" "$tmp"/ref/* >/dev/null 2>&1 &&
    { echo "FAIL: an absolute path leaked into the output"; fails=$((fails + 1)); }

# The spec's name changes: the files of the old name go, and --check
# names them first, so that compiling DIR/*.c stays right.
printf 'name t1\nGET / root\n' >"$tmp/n.routes"
check "gen under one name" 0 "$tr" gen "$tmp/n.routes" -o "$tmp/n"
sed 's/name t1/name t2/' "$tmp/n.routes" >"$tmp/n2.routes" && mv "$tmp/n2.routes" "$tmp/n.routes"
check "--check after a rename fails" 1 "$tr" gen --check "$tmp/n.routes" -o "$tmp/n"
expect "--check names the old files" "$tmp/err" "not needed by this spec: $tmp/n/t1_main.c"
check "gen under the new name" 0 "$tr" gen "$tmp/n.routes" -o "$tmp/n"
[ -e "$tmp/n/t1_main.c" ] || [ -e "$tmp/n/t1_routes.c" ] &&
    { echo "FAIL: the old name's files stayed"; fails=$((fails + 1)); }
check "--check is clean after it" 0 "$tr" gen --check "$tmp/n.routes" -o "$tmp/n"

# An output that cannot be written: nothing in DIR changes, no temporary
# file stays.
printf 'GET /x other\n' >>"$tmp/n.routes"
rm "$tmp/n/t2_main.c" && mkdir "$tmp/n/t2_main.c"
cp -a "$tmp/n" "$tmp/n.before"
check "a directory in an output's place is an I/O error" 1 "$tr" gen "$tmp/n.routes" -o "$tmp/n"
expect "the output is named" "$tmp/err" "cannot write '$tmp/n/t2_main.c'"
if diff -r "$tmp/n" "$tmp/n.before" >/dev/null; then passes=$((passes + 1)); else
    echo "FAIL: a failed gen changed the output directory"; fails=$((fails + 1)); fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
