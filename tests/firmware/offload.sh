#!/bin/bash
# offload.sh ADMIN_BIN WORKDIR - examples/admin's firmware upload hands its
# flash writes to a worker thread (firmware.c): with the worker made slow
# (ADMIN_FLASH_DELAY_MS=500, each piece held half a second), GET /api/status
# still answers at once while an upload is in progress, the upload still
# lands byte-identical with the right SHA-256, and an upload cut while the
# worker holds a piece leaves no .part file and the last image in place,
# a write that fails gets 507 and keeps the last image, and the next
# upload is taken.
set -u
bin=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/dir"
cd "$work" || exit 1
. "$here/server.sh"
start_admin ADMIN_FLASH_DELAY_MS=500
trap 'kill $pid $up 2>/dev/null' EXIT
base=http://127.0.0.1:$hp/api
up=""

# start FILE: the raw upload of FILE in the background ($up), once its
# .part file is there (the first piece is the worker's).
start() {
    curl -s -o up.out -w '%{http_code}' --max-time 60 -u admin:pw-42 \
        -H 'Content-Type: application/octet-stream' --data-binary @"$1" "$base/firmware" >up.code &
    up=$!
    for _ in $(seq 50); do
        [ -e dir/firmware.bin.part ] && return 0
        sleep 0.05
    done
    fail "no upload in progress after 2.5 s"
    return 1
}

# 64 KiB: at least 8 pieces of a request buffer, 4 s of slow flash at least.
head -c 65536 /dev/urandom >fw
want=$(sha256sum <fw | cut -d' ' -f1)
if start fw; then
    slow=0
    for i in 1 2 3 4 5; do
        t=$(curl -s -o status.out -w '%{http_code} %{time_total}' --max-time 5 -u admin:pw-42 "$base/status")
        case $t in
        "200 "*) awk -v t="${t#* }" 'BEGIN { exit !(t < 0.25) }' || { slow=1; fail "status $i took ${t#* } s during the upload"; } ;;
        *) slow=1; fail "status $i during the upload: $t" ;;
        esac
    done
    kill -0 $up 2>/dev/null && [ -e dir/firmware.bin.part ] || fail "the upload was over before the status requests were"
    [ $slow = 0 ] && ok "5 status requests answered in < 0.25 s each while the worker held the upload"
    wait $up
    if [ "$(cat up.code)" = 200 ] && grep -q "\"bytes\": 65536, \"sha256\": \"$want\"" up.out && cmp -s fw dir/firmware.bin; then
        ok "the slow upload: $(cat up.out)"
    else
        fail "the slow upload: $(cat up.code) $(cat up.out)"
    fi
fi

# Cut: a client says 4 MiB, sends 20 KB and goes (curl's whole 64 KiB
# would sit in the socket's buffers, a complete body).
exec 3<>/dev/tcp/127.0.0.1/$hp
printf 'POST /api/firmware HTTP/1.1\r\nHost: t\r\nAuthorization: Basic YWRtaW46cHctNDI=\r\nContent-Length: 4194304\r\n\r\n' >&3
head -c 20000 /dev/urandom >&3
for _ in $(seq 50); do
    [ -e dir/firmware.bin.part ] && break
    sleep 0.05
done
[ -e dir/firmware.bin.part ] || fail "the cut upload did not begin"
exec 3>&-
for _ in $(seq 80); do
    [ -e dir/firmware.bin.part ] || break
    sleep 0.1
done
[ -e dir/firmware.bin.part ] && fail "a cut upload left its .part file" || ok "a cut upload: no .part file left"
cmp -s fw dir/firmware.bin && ok "a cut upload leaves the last image" || fail "firmware.bin changed by a cut upload"
# A flash that fails: the .part file is /dev/full (open follows the link),
# so the worker's first write fails (ENOSPC) and the next piece is refused
# with 507 (not the 500 that the fsync at the end would give).
ln -s /dev/full dir/firmware.bin.part
head -c 65536 /dev/urandom >fwfull
code=$(curl -s -o out -w '%{http_code}' --max-time 20 -u admin:pw-42 \
    -H 'Content-Type: application/octet-stream' --data-binary @fwfull "$base/firmware")
if [ "$code" = 507 ] && cmp -s fw dir/firmware.bin && [ ! -e dir/firmware.bin.part ]; then
    ok "a failing write: 507, the last image kept, the link removed"
else
    fail "a failing write: $code $(cat out)"
fi
rm -f dir/firmware.bin.part
head -c 100 /dev/urandom >fw3
code=$(curl -s -o out -w '%{http_code}' --max-time 20 -u admin:pw-42 \
    -H 'Content-Type: application/octet-stream' --data-binary @fw3 "$base/firmware")
[ "$code" = 200 ] && cmp -s fw3 dir/firmware.bin && ok "the next upload is taken" || fail "the next upload: $code $(cat out)"

kill $pid; wait $pid 2>/dev/null
trap - EXIT
[ $fails -eq 0 ] && echo "offload: all passed" || echo "offload: $fails failed"
[ $fails -eq 0 ]
