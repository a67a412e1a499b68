#!/bin/bash
# bench/admin/run.sh [BUILD_DIR] - examples/admin's figures for bench/README.md
# (issue 17), by hand, not a test:
#  1. its stripped size, musl static with the budget flags of bench/size,
#     per target, with TLS (the spec as it is) and without (the spec's
#     `listen ... tls` and `tls` lines dropped);
#  2. its RSS (VmRSS, VmHWM in KiB) on the x86_64 musl build: idle after
#     start-up, then with ADMIN_SESSIONS (50) logged-in browsers, each a
#     keep-alive connection that logged in (JSON), loaded the page's
#     files and asked for status, Wi-Fi and clients with its cookie, then
#     (all open) asked for status once more on the same connection, held
#     open while RSS is read; then the same over HTTPS for as many browsers
#     as the spec's TLS pool holds (`tls connections`); then during a
#     64 MiB raw upload to POST /api/firmware (said so when it is absent).
# Needs BUILD_DIR/gen/tinyroute, the musl cross compilers and libbearssl-dev
# of each target (scripts/deps.sh --cross), python3 and openssl.
#   SIZE_TARGETS="x86_64 armhf"  limits the targets; ADMIN_SESSIONS=50.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
gen=${TINYROUTE:-$build/gen/tinyroute}
[ -x "$gen" ] || { echo "admin bench: no generator at $gen (build it first)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=""
sessions=${ADMIN_SESSIONS:-50}

# The flags of bench/size/run.sh, so the figures compare with its table.
FLAGS="-Os -ffunction-sections -fdata-sections -Wl,--gc-sections -fno-asynchronous-unwind-tables
       -Wl,--build-id=none -Wl,-z,norelro -s -static"
cc_of() { # TARGET -> "compiler extra-flags bearssl-multiarch-dir"
    case $1 in
    x86_64)  echo "musl-gcc -Wl,-z,noseparate-code x86_64-linux-gnu" ;;
    armhf)   echo "arm-linux-musleabihf-gcc -mthumb arm-linux-gnueabihf" ;;
    aarch64) echo "aarch64-linux-musl-gcc - aarch64-linux-gnu" ;;
    mipsel)  echo "mipsel-linux-musl-gcc - mipsel-linux-gnu" ;;
    esac
}

mkdir -p "$work/tls" "$work/plain"
cp "$root/examples/admin/admin.routes" "$work/tls/"
grep -vE '^(listen[^#]* tls|tls )' "$root/examples/admin/admin.routes" >"$work/plain/admin.routes"
for v in tls plain; do
    ln -s "$root/examples/admin/www" "$work/$v/www"
    "$gen" gen "$work/$v/admin.routes" -o "$work/$v/out" >/dev/null
done

build_one() { # TARGET VARIANT -> prints the stripped size; binary at $work/VARIANT/admin.TARGET
    set -- "$1" "$2" $(cc_of "$1")
    local cc=$3 extra=$4 dir=$5 out=$work/$2/admin.$1 tls=""
    [ "$extra" = - ] && extra=""
    command -v "$cc" >/dev/null || { echo -; return; }
    if [ "$2" = tls ]; then
        [ -f "/usr/lib/$dir/libbearssl.a" ] || { echo -; return; }
        tls="$root/cmake/musl_fortify.c -I/usr/include/bearssl /usr/lib/$dir/libbearssl.a"
    fi
    # shellcheck disable=SC2086
    "$cc" $FLAGS $extra -I"$work/$2/out" "$work/$2"/out/*.c "$root"/examples/admin/{admin,events,firmware,logs,sha256}.c $tls \
        -o "$out" 2>"$out.log" || { echo "failed: $out.log" >&2; echo -; return; }
    stat -c %s "$out"
}

targets=${SIZE_TARGETS:-x86_64 armhf aarch64 mipsel}
echo "examples/admin, musl static, stripped bytes (bench/size flags):"
printf '%-8s %12s %12s %10s\n' target "with TLS" "without" TLS
for t in $targets; do
    a=$(build_one "$t" tls) b=$(build_one "$t" plain)
    d=-; [ "$a" != - ] && [ "$b" != - ] && d=$((a - b))
    printf '%-8s %12s %12s %10s\n' "$t" "$a" "$b" "$d"
done

bin=$work/tls/admin.x86_64
[ -x "$bin" ] || { echo "no x86_64 musl build: no RSS figures"; exit 0; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -days 1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
hp=$((20000 + RANDOM % 30000)) tp=$((hp + 1))
mkdir -p "$work/dir"
ADMIN_PASSWORD=bench-pw ADMIN_DIR=$work/dir "$bin" --cert "$work/cert.pem" --key "$work/key.pem" \
    127.0.0.1:$hp 127.0.0.1:$tp 2>"$work/server.log" &
pid=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:$hp/ && break; sleep 0.1; done
rss() { awk '/^VmRSS|^VmHWM/ { printf "%s %s KiB  ", $1, $2 }' /proc/$pid/status; echo; }
tlsmax=$(awk '$1 == "tls" && $2 == "connections" { print $3 }' "$root/examples/admin/admin.routes")
echo
echo "RSS of the x86_64 musl build with TLS ($(stat -c %s "$bin") bytes):"
printf '%-40s ' "idle after start-up and one GET /:"; rss
# browsers SCHEME PORT N: N logged-in keep-alive connections, RSS read while they are held
browsers() {
    python3 - "$1" "$2" "$3" "$pid" <<'PY'
import http.client, json, ssl, sys
scheme, port, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ctx = ssl._create_unverified_context()
conns = []
for i in range(n):
    c = (http.client.HTTPSConnection("127.0.0.1", port, context=ctx) if scheme == "https"
         else http.client.HTTPConnection("127.0.0.1", port))
    c.request("POST", "/api/login", json.dumps({"user": "admin", "password": "bench-pw"}),
              {"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
    cookie = r.getheader("Set-Cookie").split(";")[0]
    for path in ("/", "/app.js", "/style.css", "/api/status", "/api/wifi", "/api/clients?limit=50"):
        c.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        r = c.getresponse(); r.read()
        assert r.status == 200, (path, r.status)
    conns.append((c, cookie, c.sock))
# All still logged in, each on the connection it opened (none evicted).
for c, cookie, sock in conns:
    c.request("GET", "/api/status", headers={"Cookie": cookie})
    r = c.getresponse(); r.read()
    assert r.status == 200 and c.sock is sock, "a browser lost its session or its connection"
status = open("/proc/%s/status" % pid).read().split("\n")
print("  ".join(l.split()[0] + " " + l.split()[1] + " KiB" for l in status if l.startswith(("VmRSS", "VmHWM"))))
PY
}
printf '%-40s ' "$sessions browsers over HTTP, held open:"; browsers http $hp "$sessions"
printf '%-40s ' "$tlsmax browsers over HTTPS, held open:"; browsers https $tp "$tlsmax"
printf '%-40s ' "after they closed:"; sleep 0.5; rss
# A 64 MiB raw upload, RSS sampled while it streams (peak VmRSS of the samples).
head -c $((64 << 20)) /dev/urandom >"$work/fw.bin"
code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:bench-pw -X POST http://127.0.0.1:$hp/api/firmware)
printf '%-40s ' "during a 64 MiB upload (raw body):"
if [ "$code" = 404 ]; then
    echo "no POST /api/firmware in this build (404)"
else
    curl -s -o "$work/fw.json" -u admin:bench-pw -H 'Content-Type: application/octet-stream' \
        --data-binary @"$work/fw.bin" http://127.0.0.1:$hp/api/firmware &
    up=$! peak=0
    while kill -0 $up 2>/dev/null; do
        r=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status)
        [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.05
    done
    wait $up || true
    echo "peak VmRSS $peak KiB  $(awk '/^VmHWM/ { print $1, $2 }' /proc/$pid/status) KiB  answer $(cat "$work/fw.json")"
    echo "  (the file's sha256: $(sha256sum <"$work/fw.bin" | cut -c1-64))"
fi
