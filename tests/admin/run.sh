#!/bin/bash
# run.sh ADMIN_BIN WORKDIR - examples/admin's API rules end to end, over
# plain HTTP and HTTPS (a test CA and certificate made here at every run,
# never committed), with curl.  ADMIN_EMULATOR (e.g. qemu-arm) runs a
# cross build under qemu-user (tests/cross/run.sh).
set -u
bin=$1
work=$2
emu=${ADMIN_EMULATOR:-}
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
# expect WHAT CODE CURL_ARGS...: the status of a curl request
expect() {
    local what=$1 want=$2
    shift 2
    local got
    got=$(curl -s -o out -w '%{http_code}' --max-time 5 "$@")
    if [ "$got" = "$want" ]; then ok "$what ($got)"; else fail "$what: got $got, want $want: $(head -c 200 out)"; fi
}
body_has() { if grep -q -- "$2" out; then ok "$1"; else fail "$1: $(head -c 200 out)"; fi; }

{
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=admin test CA" -days 2 -out ca.pem
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext
    openssl ecparam -name prime256v1 -genkey -noout -out key.pem
    openssl req -new -key key.pem -subj /CN=localhost -out srv.csr
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out cert.pem
} >pki.log 2>&1 || { echo "FAIL: openssl could not make the test PKI"; cat pki.log; exit 1; }

port() { echo $((20000 + RANDOM % 40000)); }
# start [ENV...]: the server on two fresh ports; sets pid, hp, tp
start() {
    for _try in 1 2 3 4 5; do
        hp=$(port); tp=$((hp + 1))
        env "$@" ADMIN_DIR="$work" $emu "$bin" --cert cert.pem --key key.pem 127.0.0.1:$hp 127.0.0.1:$tp 2>stderr &
        pid=$!
        for _ in $(seq 100); do
            curl -s -o /dev/null http://127.0.0.1:$hp/ && return
            kill -0 $pid 2>/dev/null || break   # it exited: a port was taken, try others
            sleep 0.1
        done
        kill $pid 2>/dev/null; wait $pid 2>/dev/null
    done
    fail "the server did not start"; cat stderr; exit 1
}

# ---- without ADMIN_PASSWORD: said at start-up, every login fails ----------
start -u ADMIN_PASSWORD
if grep -q ADMIN_PASSWORD stderr; then ok "start-up names the missing ADMIN_PASSWORD"; else fail "no start-up warning"; fi
expect "no password: a login fails" 401 -d 'user=admin&password=' http://127.0.0.1:$hp/api/login
expect "no password: Basic fails" 401 -u admin: http://127.0.0.1:$hp/api/status
kill $pid; wait $pid 2>/dev/null

start ADMIN_PASSWORD=pw-42
# No plain text kept: the environment the kernel shows is wiped of it.
if [ -n "$emu" ]; then
    echo "skip: /proc/PID/environ is $emu's own (the guest's copy is not visible)"
elif [ -r /proc/$pid/environ ] && ! tr '\0' '\n' </proc/$pid/environ | grep -q 'pw-42'; then
    ok "the password is not in /proc/PID/environ"
else
    fail "the password is still in /proc/$pid/environ"
fi
for scheme in http https; do
    if [ $scheme = http ]; then u=http://127.0.0.1:$hp; c=(); else u=https://127.0.0.1:$tp; c=(--cacert ca.pem); fi
    rm -f jar
    expect "$scheme: the UI at /" 200 "${c[@]}" $u/
    body_has "$scheme: / is the UI with #login-form" 'id="login-form"'
    expect "$scheme: app.js" 200 "${c[@]}" $u/app.js
    expect "$scheme: no credentials is 401" 401 "${c[@]}" $u/api/status
    expect "$scheme: wrong Basic is 401" 401 "${c[@]}" -u admin:nope $u/api/status
    expect "$scheme: another user is 401" 401 "${c[@]}" -u root:pw-42 $u/api/status
    expect "$scheme: Basic for admin" 200 "${c[@]}" -u admin:pw-42 $u/api/status
    body_has "$scheme: status has uptime as a number" '"uptime":[0-9]'
    body_has "$scheme: status has load" '"load":'
    expect "$scheme: bad form login is 401" 401 "${c[@]}" -d 'user=admin&password=pw-4' $u/api/login
    expect "$scheme: JSON login" 200 "${c[@]}" -c jar -H 'Content-Type: application/json' \
        -d '{"user":"admin","password":"pw-42"}' $u/api/login
    expect "$scheme: form login" 200 "${c[@]}" -c jar -D hdr -d 'user=admin&password=pw%2D42' $u/api/login
    cookie=$(grep -i '^Set-Cookie: sid=' hdr | tr -d '\r')
    case $scheme/$cookie in
    http/*"; Secure"*) fail "http: the session cookie has Secure: $cookie" ;;
    https/*"; Secure"*|http/*HttpOnly*) ok "$scheme: session cookie ($cookie)" ;;
    *) fail "$scheme: want a session cookie${scheme#http} with Secure over TLS: '$cookie'" ;;
    esac
    expect "$scheme: a right password of other length is 401" 401 "${c[@]}" -d 'user=admin&password=pw-42x' $u/api/login
    expect "$scheme: the session cookie opens /api" 200 "${c[@]}" -b jar $u/api/wifi
    body_has "$scheme: GET /api/wifi" '"ssid":".*","channel":[0-9]'
    expect "$scheme: PUT /api/wifi" 200 "${c[@]}" -b jar -X PUT -d '{"ssid":"home-'$scheme'","channel":36}' $u/api/wifi
    expect "$scheme: the setting is kept" 200 "${c[@]}" -b jar $u/api/wifi
    body_has "$scheme: ...with its values" '{"ssid":"home-'$scheme'","channel":36}'
    expect "$scheme: empty ssid" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"","channel":6}' $u/api/wifi
    body_has "$scheme: a JSON error" '{"error":'
    # A NUL (\u0000) would cut the stored C string to an empty ssid.
    expect "$scheme: NUL ssid" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"\u0000","channel":1}' $u/api/wifi
    expect "$scheme: ssid with a NUL" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"ab\u0000c","channel":1}' $u/api/wifi
    expect "$scheme: ...nothing stored" 200 "${c[@]}" -b jar $u/api/wifi
    body_has "$scheme: ...the last ssid kept" '{"ssid":"home-'$scheme'","channel":36}'
    expect "$scheme: 33-byte ssid" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"123456789012345678901234567890123","channel":6}' $u/api/wifi
    expect "$scheme: 32-byte ssid" 200 "${c[@]}" -b jar -X PUT -d '{"ssid":"12345678901234567890123456789012","channel":6}' $u/api/wifi
    expect "$scheme: channel 0" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"a","channel":0}' $u/api/wifi
    expect "$scheme: channel 166" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"a","channel":166}' $u/api/wifi
    expect "$scheme: channel 165" 200 "${c[@]}" -b jar -X PUT -d '{"ssid":"a","channel":165}' $u/api/wifi
    expect "$scheme: channel as a string" 400 "${c[@]}" -b jar -X PUT -d '{"ssid":"a","channel":"6"}' $u/api/wifi
    expect "$scheme: not JSON" 400 "${c[@]}" -b jar -X PUT -d 'ssid=a' $u/api/wifi
    expect "$scheme: clients" 200 "${c[@]}" -b jar "$u/api/clients?limit=2"
    body_has "$scheme: a JSON array of two" '^\[{"mac":"[^]]*},{[^]]*}\]$'
    expect "$scheme: a bad limit" 400 "${c[@]}" -b jar "$u/api/clients?limit=x"
    expect "$scheme: kick a bad MAC" 400 "${c[@]}" -b jar -X DELETE $u/api/clients/02:00:00:00:00
    expect "$scheme: kick an unknown MAC" 404 "${c[@]}" -b jar -X DELETE $u/api/clients/02:00:00:00:00:99
    expect "$scheme: a cross-site DELETE" 403 "${c[@]}" -b jar -H 'Sec-Fetch-Site: cross-site' -X DELETE $u/api/clients/02:00:00:00:00:04
    expect "$scheme: logout" 204 "${c[@]}" -b jar -X POST $u/api/logout
    expect "$scheme: the ended session is 401" 401 "${c[@]}" -b jar $u/api/status
done
expect "kick a known client (Basic)" 204 -u admin:pw-42 -X DELETE http://127.0.0.1:$hp/api/clients/02:00:00:00:00:01
expect "...then it is gone" 404 -u admin:pw-42 -X DELETE http://127.0.0.1:$hp/api/clients/02:00:00:00:00:01
expect "MACs compare case-insensitively" 204 -u admin:pw-42 -X DELETE http://127.0.0.1:$hp/api/clients/02:00:00:00:00:0A
expect "logs: none yet is 404" 404 -u admin:pw-42 http://127.0.0.1:$hp/api/logs
printf 'boot\nwan up\n' >log.txt
expect "logs: a small log" 200 -u admin:pw-42 http://127.0.0.1:$hp/api/logs
body_has "logs: its lines" 'wan up'
# A log many times the response buffer (16K) comes whole, in pieces.
head -c 3000000 /dev/urandom | base64 >log.txt; echo END >>log.txt
expect "logs: a 4 MB log" 200 -u admin:pw-42 -D hdr http://127.0.0.1:$hp/api/logs
if cmp -s out log.txt; then ok "logs: the whole file, byte for byte"; else fail "logs: the body is not log.txt ($(wc -c <out) bytes)"; fi
if grep -qi "^Content-Length: $(wc -c <log.txt)" hdr; then ok "logs: with its Content-Length"; else fail "logs: no Content-Length of the file"; fi
# Over HTTPS the file cannot go by sendfile(2): read and encrypted, the same bytes.
expect "logs: over HTTPS" 200 -u admin:pw-42 --cacert ca.pem https://127.0.0.1:$tp/api/logs
if cmp -s out log.txt; then ok "logs: over HTTPS, byte for byte"; else fail "logs: over HTTPS the body is not log.txt ($(wc -c <out) bytes)"; fi
# Range (RFC 9110 §14): one byte range is a 206 of those bytes, past the end a 416.
tail -c +1001 log.txt | head -c 1000 >want
for u in http://127.0.0.1:$hp https://127.0.0.1:$tp; do
    expect "logs: bytes 1000-1999 (${u%%:*})" 206 -u admin:pw-42 --cacert ca.pem -r 1000-1999 -D hdr $u/api/logs
    if cmp -s out want; then ok "logs: the range's bytes"; else fail "logs: the range's body is not bytes 1000-1999 ($(wc -c <out) bytes)"; fi
    if grep -qi "^Content-Range: bytes 1000-1999/$(wc -c <log.txt)" hdr; then ok "logs: its Content-Range"; else fail "logs: no Content-Range: $(grep -i range hdr)"; fi
done
expect "logs: a range past the end" 416 -u admin:pw-42 -H 'Range: bytes=999999999-' http://127.0.0.1:$hp/api/logs

# 401 before any body byte: a client that announces 1 MB and sends nothing.
exec 3<>/dev/tcp/127.0.0.1/$hp
printf 'PUT /api/wifi HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n' >&3
got=$(timeout 3 head -1 <&3 | tr -d '\r')
exec 3<&-
case $got in *" 401 "*) ok "401 before the body is read ($got)" ;; *) fail "no early 401: '$got'" ;; esac

# Throttle: after 5 failures a client is blocked with 429, even with the right password.
for i in 1 2 3 4 5 6; do curl -s -o /dev/null -d 'user=admin&password=x' http://127.0.0.1:$hp/api/login; done
expect "throttled login" 429 -D hdr -d 'user=admin&password=pw-42' http://127.0.0.1:$hp/api/login
if grep -qi '^Retry-After' hdr; then ok "429 has Retry-After"; else fail "429 without Retry-After"; fi

kill $pid; wait $pid 2>/dev/null
[ $fails = 0 ] && echo "all passed" || echo "$fails failed"
[ $fails = 0 ]
