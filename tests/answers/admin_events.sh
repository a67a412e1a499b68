#!/bin/sh
# admin_events.sh ADMIN_BIN WORKDIR - examples/admin's GET /api/events over
# HTTP and HTTPS: text/event-stream, refused (401) without credentials, and
# a `status` event at once and then every second carrying {"uptime": N,
# "load": "..."}.
set -u
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null &&
    openssl req -x509 -new -key key.pem -subj /CN=localhost -days 2 -out cert.pem 2>/dev/null ||
    { echo "FAIL: openssl"; exit 1; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hp=$(port) sp=$(port)
ADMIN_PASSWORD=pw ADMIN_DIR=$work ${TR_E2E_WRAPPER:-} "$bin" --cert cert.pem --key key.pem \
    127.0.0.1:"$hp" 127.0.0.1:"$sp" 2>server.log &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$hp/" && break; sleep 0.05; done

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hp/api/events")
[ "$code" = 401 ] && ok "no credentials: 401" || fail "no credentials: $code"
for url in "http://127.0.0.1:$hp" "https://127.0.0.1:$sp"; do
    # 3.5 s of the stream: the event at once, then one a second.
    curl -skN -u admin:pw -D head.txt --max-time 3.5 "$url/api/events" >events.txt
    grep -qi '^content-type: text/event-stream' head.txt && ok "$url: text/event-stream" ||
        fail "$url: type: $(grep -i content-type head.txt)"
    n=$(grep -c '^event: status$' events.txt)
    [ "$n" -ge 3 ] && [ "$n" -le 5 ] && ok "$url: $n status events in 3.5 s" || fail "$url: $n events"
    if grep '^data: ' events.txt | grep -vqE '^data: \{"uptime": [0-9]+, "load": "[0-9.]+"\}$'; then
        fail "$url: a data line is not the status JSON: $(grep '^data: ' events.txt | head -1)"
    else
        ok "$url: every data line is {\"uptime\": N, \"load\": \"...\"}"
    fi
    a=$(grep '^data: ' events.txt | head -1 | sed 's/.*"uptime": \([0-9]*\).*/\1/')
    b=$(grep '^data: ' events.txt | tail -1 | sed 's/.*"uptime": \([0-9]*\).*/\1/')
    [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] && ok "$url: uptime goes on ($a -> $b)" ||
        fail "$url: uptime $a -> $b"
done
# The first event comes with the head (the handler sends it), not at the
# timer's next tick (up to a second away).
curl -sN -u admin:pw --max-time 0.4 "http://127.0.0.1:$hp/api/events" >first.txt
grep -q '^event: status$' first.txt && ok "the first status event within 0.4 s" || fail "no status event within 0.4 s"
# The server still serves, and stops cleanly.
code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:pw "http://127.0.0.1:$hp/api/status")
[ "$code" = 200 ] && ok "status after the streams" || fail "status after: $code"
kill -TERM $pid
wait $pid; rc=$?
trap - EXIT
[ "$rc" = 0 ] && ok "clean stop" || fail "exit status $rc"
[ "$fails" = 0 ] && echo "all ok" || echo "$fails failed"
[ "$fails" = 0 ]
