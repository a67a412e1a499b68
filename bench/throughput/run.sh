#!/bin/sh
# run.sh - requests/s and server CPU time per request of
# examples/hello, nginx (one worker) and the hand-written epoll_hello.c, with
# wrk on loopback: keep-alive, "Connection: close" and 16 requests pipelined
# per write; and keep-alive over TLS 1.2 (ECDHE-ECDSA-CHACHA20-POLY1305, an
# EC P-256 certificate made here) of hello's spec with a `tls` listener
# against nginx with TLS.  Servers pinned to CPU 0, wrk to CPU 1; runs
# interleaved (A B C, A B C ...).  Run by hand as root (installs Debian's wrk
# and nginx; needs openssl and libbearssl-dev); see bench/README.md.
#   TP_ROUNDS=5 TP_SECONDS=5 TP_CONNS=50 TP_PORT=18480 (uses PORT..PORT+4)
#   TP_MODES="keepalive close pipeline16 keepalive-tls" (a subset to run)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${TP_ROUNDS:-5}
secs=${TP_SECONDS:-5}
conns=${TP_CONNS:-50}
port=${TP_PORT:-18480}
modes=${TP_MODES:-keepalive close pipeline16 keepalive-tls}
cc=${CC:-gcc}

need() {
    miss=
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || miss="$miss $p"
    done
    [ -z "$miss" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y $miss >/dev/null
}
need wrk nginx
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs" >&2; exit 1; }

tmp=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

$cc -O2 -o "$tmp/epoll_hello" "$here/epoll_hello.c"
# hello as a firmware would ship it: a Release build (-O3 -DNDEBUG), not the
# test suite's Debug build.
cmake -S "$root" -B "$tmp/rel" -DCMAKE_BUILD_TYPE=Release -DTINYROUTE_BUILD_TESTS=OFF >/dev/null
cmake --build "$tmp/rel" -j"$(nproc)" --target hello >/dev/null
build=$tmp/rel
# hello over TLS: hello's spec with its listen line made `tls` (the pool
# holds wrk's connections), generated and compiled as the Release build
# compiles hello (-O3 -DNDEBUG), with Debian's BearSSL.
cmake --build "$tmp/rel" -j"$(nproc)" --target tinyroute >/dev/null
sed "s/^listen.*/listen 127.0.0.1:8080 tls\ntls connections $((conns + 14))/" \
    "$root/examples/hello/hello.routes" >"$tmp/hello_tls.routes"
"$tmp/rel/gen/tinyroute" gen "$tmp/hello_tls.routes" -o "$tmp/hello_tls" >/dev/null
$cc -O3 -DNDEBUG -I"$tmp/hello_tls" -I/usr/include/bearssl "$tmp/hello_tls"/*.c \
    "$root/examples/hello/hello.c" -lbearssl -o "$tmp/hello_tls/hello_tls"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/key.pem" 2>/dev/null
openssl req -x509 -new -key "$tmp/key.pem" -subj /CN=localhost -days 1 -out "$tmp/cert.pem" 2>/dev/null
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $tmp/nginx/cb;
    proxy_temp_path $tmp/nginx/px;
    fastcgi_temp_path $tmp/nginx/fc;
    uwsgi_temp_path $tmp/nginx/uw;
    scgi_temp_path $tmp/nginx/sc;
    server {
        listen 127.0.0.1:$((port + 1));
        location / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
    }
    server {
        listen 127.0.0.1:$((port + 4)) ssl;
        ssl_certificate $tmp/cert.pem;
        ssl_certificate_key $tmp/key.pem;
        ssl_protocols TLSv1.2;
        ssl_ciphers ECDHE-ECDSA-CHACHA20-POLY1305;
        location / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
    }
}
CONF

taskset -c 0 "$build/examples/hello" 127.0.0.1:$port >/dev/null 2>&1 &
hello=$!
taskset -c 0 nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" >/dev/null 2>&1 &
nginx=$!
taskset -c 0 "$tmp/epoll_hello" 127.0.0.1 $((port + 2)) &
epoll=$!
taskset -c 0 "$tmp/hello_tls/hello_tls" --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
    127.0.0.1:$((port + 3)) >/dev/null 2>&1 &
hello_tls=$!
pids="$hello $nginx $epoll $hello_tls"
sleep 1
for s in 0 1 2; do
    curl -sf http://127.0.0.1:$((port + s))/ >/dev/null || {
        echo "server on port $((port + s)) does not answer" >&2; exit 1; }
done
for s in 3 4; do
    curl -sfk https://127.0.0.1:$((port + s))/ >/dev/null || {
        echo "TLS server on port $((port + s)) does not answer" >&2; exit 1; }
done

cpu() {  # cpu PID... -> utime+stime in ticks of the processes and their children
    t=0
    for p in "$@"; do
        for q in $p $(pgrep -P "$p" || true); do
            v=$(sed 's/.*) //' /proc/$q/stat | awk '{ print $12 + $13 }')
            t=$((t + v))
        done
    done
    echo $t
}
hz=$(getconf CLK_TCK)

res=$tmp/results
: >"$res"
for r in $(seq "$rounds"); do
    for mode in $modes; do
        srvs="hello nginx epoll"
        [ "$mode" = keepalive-tls ] && srvs="hello nginx"
        for s in $srvs; do
            case $s in hello) p=$hello; o=0 ;; nginx) p=$nginx; o=1 ;; epoll) p=$epoll; o=2 ;; esac
            url=http://127.0.0.1:$((port + o))/
            if [ "$mode" = keepalive-tls ]; then
                case $s in hello) p=$hello_tls; o=3 ;; nginx) o=4 ;; esac
                url=https://127.0.0.1:$((port + o))/
            fi
            c0=$(cpu $p)
            case $mode in
            keepalive|keepalive-tls) taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" "$url" ;;
            close) taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" -H 'Connection: close' "$url" ;;
            pipeline16) taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" -s "$here/pipeline.lua" "$url" ;;
            esac >"$tmp/wrk" 2>&1
            c1=$(cpu $p)
            n=$(awk '/requests in/ { print $1 }' "$tmp/wrk")
            rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk")
            err=$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$tmp/wrk")
            [ -z "$err" ] || echo "round $r $mode $s: $err" >&2
            echo "$mode $s $rps $n $((c1 - c0))" >>"$res"
        done
    done
done

echo "wrk $(dpkg-query -W -f '${Version}' wrk), nginx $(nginx -v 2>&1 | sed 's/.*\///'),"
echo "$(uname -r), $(nproc) CPUs, server on CPU 0, wrk on CPU 1; wrk -t1 -c$conns -d${secs}s,"
echo "$rounds rounds interleaved; medians.  CPU/req: server utime+stime (/proc, ${hz} Hz"
echo "ticks; nginx master+worker) over the run / requests wrk counted, in microseconds."
echo "ratio: to the hand-written epoll server (rps) / (CPU/req); keepalive-tls: to nginx"
echo "with TLS (TLS 1.2, ECDHE-ECDSA-CHACHA20-POLY1305 for both; wrk's handshakes in the run)."
echo
awk -v hz="$hz" -v modes="$modes" '
function median(s,   a, k, i, j, t) {
    k = split(s, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
        if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{ k = $1 " " $2; rps[k] = rps[k] " " $3; cpu[k] = cpu[k] " " ($5 / hz * 1e6 / $4) }
END {
    nm = split(modes, mode, " ")
    goal["keepalive hello"] = "CPU/req <= epoll"
    goal["close hello"] = "CPU/req <= nginx"
    goal["pipeline16 hello"] = "rps >= 0.8 x epoll"
    goal["keepalive-tls hello"] = "beside nginx (issue 16)"
    printf "%-13s %-6s %10s %9s %9s %9s   %s\n", "MODE", "SERVER", "REQ/S", "CPU/REQ", "RPS-RATIO", "CPU-RATIO", "GOAL"
    printf "%-13s %-6s %10s %9s %9s %9s   %s\n", "----", "------", "-----", "-------", "---------", "---------", "----"
    for (m = 1; m <= nm; m++) {
        tls = mode[m] == "keepalive-tls"
        ns = split(tls ? "hello nginx" : "hello nginx epoll", srvs, " ")
        e = mode[m] (tls ? " nginx" : " epoll"); er = median(rps[e]); ec = median(cpu[e])
        for (s = 1; s <= ns; s++) {
            k = mode[m] " " srvs[s]; r = median(rps[k]); c = median(cpu[k])
            g = (k in goal) ? goal[k] : ""
            printf "%-13s %-6s %10.0f %9.2f %9.2f %9.2f   %s\n", mode[m], srvs[s], r, c, r / er, c / ec, g
        }
    }
    print ""
    print "all runs (mode server rps requests cpu-ticks):"
}' "$res"
cat "$res"
