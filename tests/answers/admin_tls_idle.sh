#!/bin/sh
# admin_tls_idle.sh ADMIN_BIN WORKDIR - examples/admin's 8 TLS engines
# (`tls connections 8`) all taken by connections that do nothing: 8 TCP
# connections that never start a handshake, then 8 HTTPS keep-alive
# connections left idle after one request (a browser's pool).  A new HTTPS
# client must be served: the TLS connection idle longest gives up its
# engine (tr_server.c, evict_idle), as the plain pool's do; but never one
# in the middle of a response (a TLS event stream goes on).  Without the
# eviction every newcomer was closed at once, until the handshake (10 s)
# or idle (30 s) deadline.
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

python3 - "$sp" >tls.txt 2>&1 <<'PY'
import socket, ssl, subprocess, sys, threading, time
P = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def victim(what):
    r = subprocess.run(['curl', '-sk', '-m', '3', '-o', '/dev/null', '-w', '%{http_code}',
                        'https://127.0.0.1:%d/style.css' % P], capture_output=True, text=True)
    print(what, r.stdout or '000', flush=True)
def keepalive():
    s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', P)))
    s.sendall(b'GET /style.css HTTP/1.1\r\nHost: a\r\n\r\n')
    s.settimeout(3)
    s.recv(65536)
    return s

# 1. 8 silent TCP connections, older than the grace (1 s).
silent = [socket.create_connection(('127.0.0.1', P)) for _ in range(8)]
time.sleep(1.3)
for _ in range(3):
    victim('silent')
for s in silent:
    s.close()
time.sleep(0.3)

# 2. 8 keep-alive TLS connections, each served once, then idle.
idle = [keepalive() for _ in range(8)]
time.sleep(0.3)
for _ in range(3):
    victim('keepalive')
for s in idle:
    s.close()
time.sleep(0.3)

# 3. An event stream over TLS (mid-response) and 7 idle keep-alives: the
# newcomers take the idle ones' engines, never the stream's.
st = ctx.wrap_socket(socket.create_connection(('127.0.0.1', P)))
st.sendall(b'GET /api/events HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWRtaW46cHc=\r\n\r\n')
st.settimeout(2)
head = st.recv(65536)
idle = [keepalive() for _ in range(7)]
time.sleep(0.3)
for _ in range(8):
    victim('beside a stream')
got = b''
end = time.time() + 2.5
try:
    while time.time() < end and got.count(b'event: status') < 2:
        got += st.recv(65536)
except OSError:
    pass
print('stream', 'head 200' if head.startswith(b'HTTP/1.1 200') else 'head ?',
      'events', min(got.count(b'event: status'), 2), flush=True)
PY
cat tls.txt
n=$(grep -c '^silent 200$' tls.txt)
[ "$n" = 3 ] && ok "8 silent TCP connections: 3 of 3 new HTTPS clients served" || fail "silent: $n of 3 served"
n=$(grep -c '^keepalive 200$' tls.txt)
[ "$n" = 3 ] && ok "8 idle TLS keep-alives: 3 of 3 new HTTPS clients served" || fail "keep-alive: $n of 3 served"
n=$(grep -c '^beside a stream 200$' tls.txt)
[ "$n" = 8 ] && ok "a stream and 7 idle: 8 of 8 new HTTPS clients served" || fail "beside a stream: $n of 8 served"
grep -qx 'stream head 200 events 2' tls.txt && ok "the TLS event stream was not evicted" ||
    fail "the stream: $(grep '^stream' tls.txt)"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hp/style.css")
[ "$code" = 200 ] && ok "plain still served" || fail "plain: $code"
kill -TERM $pid
wait $pid; rc=$?
trap - EXIT
[ "$rc" = 0 ] && ok "clean stop" || fail "exit status $rc"
[ "$fails" = 0 ] && echo "all ok" || echo "$fails failed"
[ "$fails" = 0 ]
