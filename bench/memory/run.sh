#!/bin/sh
# run.sh [BUILD_DIR] - VmRSS/VmHWM (KiB) of examples/hello built musl static
# (-Os), the glibc build of the project, nginx (one worker) and the
# hand-written bench/throughput/epoll_hello.c: idle after start, then while
# 1,000 keep-alive connections that each sent one request are held open
# (hold.c).  Run by hand as root (installs musl-tools, nginx); see
# bench/README.md.   MEM_CONNS=1000 MEM_PORT=18580 (uses PORT..PORT+3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
conns=${MEM_CONNS:-1000}
port=${MEM_PORT:-18580}
cc=${CC:-gcc}

need() {
    miss=
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || miss="$miss $p"
    done
    [ -z "$miss" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y $miss >/dev/null
}
need musl-tools nginx
ulimit -n 8192

tmp=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$build/gen/tinyroute" gen "$root/examples/hello/hello.routes" -o "$tmp/h" >/dev/null
musl-gcc -static -Os -I"$tmp/h" -o "$tmp/hello_musl" "$tmp"/h/*.c "$root/examples/hello/hello.c"
$cc -O2 -o "$tmp/epoll_hello" "$root/bench/throughput/epoll_hello.c"
$cc -O2 -o "$tmp/hold" "$here/hold.c"
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 8192;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_timeout 60s;
    client_body_temp_path $tmp/nginx/cb;
    proxy_temp_path $tmp/nginx/px;
    fastcgi_temp_path $tmp/nginx/fc;
    uwsgi_temp_path $tmp/nginx/uw;
    scgi_temp_path $tmp/nginx/sc;
    server {
        listen 127.0.0.1:$((port + 2));
        location / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
    }
}
CONF

mem() {  # mem PID -> "RSS HWM" in KiB, summed over the process and its children
    awk '/^VmRSS:/ { r += $2 } /^VmHWM:/ { h += $2 } END { print r, h }' \
        /proc/$1/status $(for q in $(pgrep -P "$1" || true); do echo /proc/$q/status; done)
}

printf '%-22s %9s %9s %9s %9s   %s\n' SERVER "IDLE-RSS" "IDLE-HWM" "$conns-RSS" "$conns-HWM" GOAL
printf '%-22s %9s %9s %9s %9s   %s\n' ------ -------- -------- -------- -------- ----
one() {  # one LABEL PORT GOAL CMD...
    label=$1 p=$2 goal=$3
    shift 3
    "$@" >/dev/null 2>&1 &
    s=$!
    pids="$pids $s"
    sleep 1
    curl -sf http://127.0.0.1:$p/ >/dev/null || { echo "$label does not answer" >&2; return 1; }
    sleep 0.2
    idle=$(mem $s)
    "$tmp/hold" $p "$conns" >"$tmp/hold.out" &
    h=$!
    pids="$pids $h"
    i=0
    while ! grep -q ready "$tmp/hold.out" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
    busy=$(mem $s)
    ready=$(cat "$tmp/hold.out")
    kill $h $s 2>/dev/null || true
    wait $h $s 2>/dev/null || true
    printf '%-22s %9s %9s %9s %9s   %s (%s)\n' "$label" ${idle% *} ${idle#* } ${busy% *} ${busy#* } \
        "$goal" "$ready"
}
one "hello musl static" $port "<= 128 idle, <= 1536 at 1000" "$tmp/hello_musl" 127.0.0.1:$port
one "hello glibc (build/)" $((port + 1)) - "$build/examples/hello" 127.0.0.1:$((port + 1))
one "nginx (master+worker)" $((port + 2)) - nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf"
one "epoll_hello glibc" $((port + 3)) - "$tmp/epoll_hello" 127.0.0.1 $((port + 3))
echo
echo "KiB; musl $(dpkg-query -W -f '${Version}' musl-tools), gcc $($cc -dumpfullversion)," \
    "nginx $(nginx -v 2>&1 | sed 's/.*\///'); hello musl: musl-gcc -static -Os," \
    "stripped size $(strip -o "$tmp/s" "$tmp/hello_musl" && stat -c %s "$tmp/s") B."
