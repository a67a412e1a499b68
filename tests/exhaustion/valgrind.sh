#!/bin/sh
# valgrind.sh BUILD_DIR - runs every end-to-end family (routes, methods, stream,
# framing, persistence, split, limits, timeouts, hello; and tests/answers) with every server
# they start running under valgrind (tests/e2e/client.c execs
# TR_E2E_WRAPPER with the server binary as its first argument), and fails
# on any valgrind error or leak in any server process.  CTest: valgrind_e2e (labels valgrind, slow).
set -eu
build=$(cd "$1" && pwd)
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
start=$(date +%s)
status=0
for family in routes methods framing persistence split limits timeouts hello stream; do
    # One job: a server under valgrind takes a second to bind its port,
    # long enough for a parallel job's start-up probe to meet the wrong one.
    TR_E2E_WRAPPER=$wrapper "$build/tests/e2e/e2e_$family" --jobs=1 || status=1
done
# The answers that outlive their handler call (tests/answers).
for t in "$build"/tests/answers/answers_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    case $t in *_server) continue ;; esac
    TR_E2E_WRAPPER=$wrapper "$t" --jobs=1 || status=1
done
runs=$(ls "$logs"/vg.*.log 2>/dev/null | wc -l)
bad=$(grep -L "ERROR SUMMARY: 0 errors" "$logs"/vg.*.log || true)
echo "valgrind: $runs server runs in $(( $(date +%s) - start )) s"
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
