#!/bin/sh
# valgrind.sh BUILD_DIR - runs every end-to-end family (routes, methods, stream,
# framing, persistence, split, limits, timeouts, hello; and tests/answers) with every server
# they start running under valgrind (tests/e2e/client.c execs
# TR_E2E_WRAPPER with the server binary as its first argument), and fails
# on any valgrind error or leak in any server process.  CTest: valgrind_e2e (labels valgrind, slow).
#
# The families run side by side (VALGRIND_JOBS at once, default nproc:
# a server under valgrind costs about a CPU second to start, 369 starts,
# so the stage is CPU-bound and more at once only makes the timers late),
# each in a network namespace of its own with only its loopback up.  A server under
# valgrind takes a second to bind the port the client picked for it, long
# enough for another family's start-up probe to meet it on a shared
# loopback; with a loopback per family it can only meet its own.  Inside a
# family one job (--jobs=1), for the same reason.  Without the right to
# create a network namespace (not root, no user namespaces) the families
# run one after the other, as before.
set -eu
build=$(cd "$1" && pwd)
jobs=${VALGRIND_JOBS:-$(nproc)}
logs=$build/valgrind-logs
rm -rf "$logs"
mkdir -p "$logs"
wrapper=$logs/wrap.sh
cat > "$wrapper" <<WRAP
#!/bin/sh
exec valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --track-fds=no --log-file=$logs/vg.%p.log "\$@"
WRAP
chmod +x "$wrapper"

# netns: how to run a command in a fresh network namespace, or nothing.
netns=""
if unshare -n true 2>/dev/null; then
    netns="unshare -n"
elif unshare -rn true 2>/dev/null; then
    netns="unshare -rn"
fi
if [ -z "$netns" ]; then
    echo "valgrind: cannot create network namespaces; the families run one at a time"
    jobs=1
fi

# The test binaries, the longest first (a server under valgrind takes about a
# CPU second to start: routes starts 114, framing 70, methods 63, persistence
# 26, limits 20, the others 6-12).
tests=""
for family in routes framing methods persistence limits stream timeouts split hello; do
    tests="$tests $build/tests/e2e/e2e_$family"
done
# The answers that outlive their handler call (tests/answers).
for t in "$build"/tests/answers/answers_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    case $t in *_server) continue ;; esac
    tests="$tests $t"
done

# one TEST: the test binary under valgrind, its output in $logs/NAME.out, its
# exit status in $logs/NAME.rc.
cat > "$logs/one.sh" <<'ONE'
#!/bin/sh
t=$1 logs=$2 wrapper=$3 netns=$4
name=$(basename "$t")
start=$(date +%s)
# shellcheck disable=SC2086
if [ -n "$netns" ]; then
    TR_E2E_WRAPPER=$wrapper $netns sh -c 'ip link set lo up && exec "$0" --jobs=1' "$t"
else
    TR_E2E_WRAPPER=$wrapper "$t" --jobs=1
fi >"$logs/$name.out" 2>&1
rc=$?
echo $rc >"$logs/$name.rc"
echo "valgrind: $name: status $rc in $(( $(date +%s) - start )) s; $(grep Synthesis "$logs/$name.out" | tail -1)"
ONE

start=$(date +%s)
# shellcheck disable=SC2086
printf '%s\n' $tests | xargs -P "$jobs" -I{} sh "$logs/one.sh" {} "$logs" "$wrapper" "$netns"
status=0
for t in $tests; do
    name=$(basename "$t")
    rc=$(cat "$logs/$name.rc" 2>/dev/null || echo missing)
    if [ "$rc" != 0 ]; then
        echo "==== $name: status $rc" >&2
        cat "$logs/$name.out" >&2
        status=1
    fi
done
runs=$(ls "$logs"/vg.*.log 2>/dev/null | wc -l)
bad=$(grep -L "ERROR SUMMARY: 0 errors" "$logs"/vg.*.log || true)
echo "valgrind: $runs server runs in $(( $(date +%s) - start )) s, $jobs at once"
if [ "$runs" -eq 0 ]; then
    echo "valgrind: no server ran under valgrind" >&2
    exit 1
fi
if [ -n "$bad" ]; then
    # The logs stay in $logs for a look.
    for f in $bad; do
        echo "==== $f" >&2
        cat "$f" >&2
    done
    exit 1
fi
[ "$status" -eq 0 ] && rm -rf "$logs"
exit $status
