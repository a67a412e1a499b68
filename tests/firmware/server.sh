# server.sh - sourced by run.sh and offload.sh (bash): ok/fail counting, a
# throwaway certificate for admin's TLS listener, and start_admin, which
# starts ADMIN_BIN ($bin) with ADMIN_DIR=$work/dir on two fresh ports
# ($hp plain, $tp TLS) and waits until it answers; its pid is $pid.
#   start_admin [NAME=VALUE...]   extra environment for the server
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem \
    -subj /CN=localhost -days 2 -out cert.pem >pki.log 2>&1 || { echo "FAIL: openssl"; cat pki.log; exit 1; }

start_admin() {
    for _try in 1 2 3 4 5; do
        hp=$((20000 + RANDOM % 40000)); tp=$((hp + 1))
        env "$@" ADMIN_PASSWORD=pw-42 ADMIN_DIR="$work/dir" "$bin" --cert cert.pem --key key.pem \
            127.0.0.1:$hp 127.0.0.1:$tp 2>stderr &
        pid=$!
        for _ in $(seq 50); do
            curl -s -o /dev/null http://127.0.0.1:$hp/ && return 0
            kill -0 $pid 2>/dev/null || break
            sleep 0.1
        done
        kill $pid 2>/dev/null; wait $pid 2>/dev/null
    done
    echo "FAIL: the server did not start"; cat stderr
    exit 1
}
