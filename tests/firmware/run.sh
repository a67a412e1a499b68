#!/bin/bash
# run.sh ADMIN_BIN WORKDIR - POST /api/firmware of examples/admin end to end
# over plain HTTP with curl: a raw and a multipart upload (8 MiB, and a
# 64 MiB one) land in $ADMIN_DIR/firmware.bin byte-identical, answered with
# the bytes and the SHA-256 sha256sum computes; 65 MiB gets 413; without
# credentials 401 comes before any body byte (no 100 Continue).  The TLS
# listener gets a throwaway certificate made here.
set -u
bin=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/dir"
cd "$work" || exit 1
. "$here/server.sh"
start_admin
trap 'kill $pid 2>/dev/null' EXIT
u=http://127.0.0.1:$hp/api/firmware

# upload WHAT FILE CURL_ARGS...: 200, the JSON's bytes and sha256 are the
# file's, and firmware.bin is the file.
upload() {
    local what=$1 file=$2
    shift 2
    local code want
    code=$(curl -s -o out -w '%{http_code}' --max-time 60 -u admin:pw-42 "$@" "$u")
    want=$(sha256sum <"$file" | cut -d' ' -f1)
    if [ "$code" != 200 ]; then fail "$what: status $code: $(head -c 200 out)"; return; fi
    grep -q "\"bytes\": $(stat -c %s "$file")," out || fail "$what: bytes: $(cat out)"
    grep -q "\"sha256\": \"$want\"" out || fail "$what: sha256: $(cat out), want $want"
    cmp -s "$file" dir/firmware.bin || fail "$what: firmware.bin differs from the upload"
    [ -e dir/firmware.bin.part ] && fail "$what: the .part file is left"
    ok "$what: $(cat out)"
}

head -c $((8 << 20)) /dev/urandom >fw8
head -c $((64 << 20)) /dev/urandom >fw64
head -c $(((64 << 20) + 1)) /dev/urandom >fw64plus
upload "raw 8 MiB" fw8 -H 'Content-Type: application/octet-stream' --data-binary @fw8
upload "multipart 8 MiB" fw8 -F note=hello -F firmware=@fw8
upload "chunked raw 8 MiB" fw8 -H 'Content-Type: application/octet-stream' -H 'Transfer-Encoding: chunked' --data-binary @fw8
upload "multipart 64 MiB" fw64 -F firmware=@fw64
code=$(curl -s -o out -w '%{http_code}' --max-time 60 -u admin:pw-42 -F firmware=@fw64plus "$u")
[ "$code" = 413 ] && ok "64 MiB + 1 in a part: 413" || fail "64 MiB + 1: $code"
code=$(curl -s -o out -w '%{http_code}' --max-time 60 -u admin:pw-42 -H 'Content-Type: application/octet-stream' \
    --data-binary @fw64plus "$u")
[ "$code" = 413 ] && ok "64 MiB + 1 raw: 413" || fail "64 MiB + 1 raw: $code"
cmp -s fw64 dir/firmware.bin && ok "a refused upload leaves the last image" || fail "firmware.bin changed by a refused upload"
code=$(curl -s -o out -w '%{http_code}' --max-time 10 -u admin:pw-42 -F other=@fw8 "$u")
[ "$code" = 400 ] && ok "multipart without a firmware part: 400" || fail "no firmware part: $code"

# No credentials: 401 before any body byte, and never a 100 Continue.
exec 3<>/dev/tcp/127.0.0.1/$hp
printf 'POST /api/firmware HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n' >&3
answer=$(timeout 3 head -c 12 <&3)
exec 3>&-
[ "$answer" = "HTTP/1.1 401" ] && ok "no credentials: 401 first" || fail "no credentials: '$answer'"

kill $pid; wait $pid 2>/dev/null
trap - EXIT
[ $fails -eq 0 ] && echo "firmware: all passed" || echo "firmware: $fails failed"
[ $fails -eq 0 ]
