# lib.sh - sourced by tests/cross/run.sh and tests/package/*.sh (bash):
# start a server on a free loopback port (under qemu-user or not), talk to
# it with curl and with raw bytes over bash's /dev/tcp, count results.
#
#   start_server LOG CMD...   runs CMD... 127.0.0.1:PORT; sets PORT, SERVER_PID
#   stop_server
#   check_reference NAME      the end-to-end checks of examples/reference
#   pass NAME / fail NAME WHY, and the counters PASSED, FAILED

PASSED=${PASSED:-0}
FAILED=${FAILED:-0}
SERVER_PID=""
PORT=""

pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1: $2"; }

# Is anything listening on 127.0.0.1:$1?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nobody listens on, then the server; if it dies (the port was taken
# in between) another port.  Waits until the server accepts connections.
start_server() {
    local log=$1 try i
    shift
    for try in 1 2 3 4 5; do
        PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        port_open "$PORT" && continue
        "$@" "127.0.0.1:$PORT" >"$log" 2>&1 &
        SERVER_PID=$!
        for i in $(seq 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            if port_open "$PORT"; then
                kill -0 "$SERVER_PID" 2>/dev/null && return 0
                break
            fi
            sleep 0.1
        done
        stop_server
    done
    echo "cannot start $*; its output:" >&2
    cat "$log" >&2
    return 1
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

# raw BYTES: sends BYTES (printf %b escapes) in one write on a new
# connection and prints everything the server sends until it closes (the
# last request says Connection: close) or 10 s pass.
raw() {
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
    printf '%b' "$1" >&3
    timeout 10 cat <&3
    exec 3<&-
}

# get NAME PATH STATUS BODY [curl options]: one request with curl.
get() {
    local name=$1 path=$2 status=$3 body=$4 got
    shift 4
    got=$(curl -sS --max-time 10 -o "$tmp/body" -w '%{http_code}' "$@" \
          "http://127.0.0.1:$PORT$path") || { fail "$name" "curl failed"; return; }
    if [ "$got" != "$status" ]; then
        fail "$name" "status $got, want $status"
    elif [ "$(cat "$tmp/body")" != "$body" ]; then
        fail "$name" "body '$(head -c 200 "$tmp/body")', want '$body'"
    else
        pass "$name"
    fi
}

check_reference() {
    local n=$1 out
    tmp=$(mktemp -d)

    get "$n: GET / → 200 Hello, world!" / 200 "Hello, world!"
    get "$n: GET /hello/x" /hello/x 200 "Hello, x!"
    get "$n: GET /hello/a%20b (percent-decoded)" /hello/a%20b 200 "Hello, a b!"
    get "$n: GET /add/2/3 → 5" /add/2/3 200 5
    get "$n: GET /add/-7/3 → -4" /add/-7/3 200 -4
    get "$n: GET /add/x/3 → 404" /add/x/3 404 ""
    get "$n: GET /files/a/b/c (rest parameter)" /files/a/b/c 200 "path=a/b/c"
    get "$n: GET /nope → 404" /nope 404 ""

    # A body of 64 KiB: curl sends Expect: 100-continue, then the body.
    seq 1 12000 | head -c 65536 >"$tmp/payload"
    if curl -sS --max-time 10 -o "$tmp/echo" --data-binary @"$tmp/payload" \
            "http://127.0.0.1:$PORT/echo" && cmp -s "$tmp/payload" "$tmp/echo"; then
        pass "$n: POST /echo 64 KiB, Content-Length"
    else
        fail "$n: POST /echo 64 KiB, Content-Length" "echo differs"
    fi
    if curl -sS --max-time 10 -o "$tmp/echo" -H 'Transfer-Encoding: chunked' \
            --data-binary @"$tmp/payload" "http://127.0.0.1:$PORT/echo" &&
            cmp -s "$tmp/payload" "$tmp/echo"; then
        pass "$n: POST /echo 64 KiB, chunked"
    else
        fail "$n: POST /echo 64 KiB, chunked" "echo differs"
    fi

    # 405 names the allowed methods.
    out=$(curl -sS --max-time 10 -o /dev/null -D - "http://127.0.0.1:$PORT/echo" | tr -d '\r')
    if grep -q '^HTTP/1.1 405' <<<"$out" && grep -qi '^Allow:.*POST' <<<"$out"; then
        pass "$n: GET /echo → 405 with Allow: POST"
    else
        fail "$n: GET /echo → 405 with Allow: POST" "$(head -c 300 <<<"$out")"
    fi
    out=$(curl -sS --max-time 10 -o /dev/null -D - -X POST "http://127.0.0.1:$PORT/" | tr -d '\r')
    if grep -q '^HTTP/1.1 405' <<<"$out" && grep -qi '^Allow:.*GET' <<<"$out"; then
        pass "$n: POST / → 405 with Allow: GET"
    else
        fail "$n: POST / → 405 with Allow: GET" "$(head -c 300 <<<"$out")"
    fi

    # HEAD: GET's headers, no body (the connection closes right after them).
    out=$(raw 'HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | tr -d '\r')
    if grep -q '^HTTP/1.1 200' <<<"$out" && grep -qi '^Content-Length: 13$' <<<"$out" &&
            ! grep -q 'Hello' <<<"$out"; then
        pass "$n: HEAD / → 200, Content-Length 13, no body"
    else
        fail "$n: HEAD /" "$(head -c 300 <<<"$out")"
    fi

    # Keep-alive: curl reuses its connection for the second URL.
    out=$(curl -sS --max-time 10 -o /dev/null -o /dev/null -w '%{num_connects} ' \
          "http://127.0.0.1:$PORT/" "http://127.0.0.1:$PORT/add/1/1")
    if [ "$out" = "1 0 " ]; then
        pass "$n: keep-alive, two requests on one connection"
    else
        fail "$n: keep-alive" "connects per request: $out"
    fi

    # Pipelining: three requests in one write, answered in order.
    out=$(raw 'GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /add/40/2 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello/p HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
          tr -d '\r' | grep -oE 'HTTP/1\.1 [0-9]{3}|Hello, world!|^42|Hello, p!' | tr '\n' '|')
    if [ "$out" = "HTTP/1.1 200|Hello, world!|HTTP/1.1 200|42|HTTP/1.1 200|Hello, p!|" ]; then
        pass "$n: pipelining, three requests in one write"
    else
        fail "$n: pipelining" "$out"
    fi

    rm -rf "$tmp"
}
