#!/bin/sh
# admin_subscribers.sh ADMIN_BIN WORKDIR - examples/admin with 16 clients
# subscribed to GET /api/events at once (16 logged-in tabs), each reading
# its stream: a subscriber holds a request buffer while it stays, and
# admin has 16, so the subscribers are limited (`limit subscribers`, half
# the buffers by default) and the rest get 503 with Retry-After, while
# static files and /api/status are still answered to others.  Without the
# limit the 16 streams held every buffer and every other client hung.
# Over TLS, subscribers take half the engines at most (the rest are kept
# for handshakes: no newcomer may take a stream's engine).
set -u
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null &&
    openssl req -x509 -new -key key.pem -subj /CN=localhost -days 2 -out cert.pem 2>/dev/null ||
    { echo "FAIL: openssl"; exit 1; }
hp=$(port) sp=$(port)
ADMIN_PASSWORD=pw ADMIN_DIR=$work ${TR_E2E_WRAPPER:-} "$bin" --cert cert.pem --key key.pem \
    127.0.0.1:"$hp" 127.0.0.1:"$sp" 2>server.log &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$hp/" && break; sleep 0.05; done

# 16 subscribers, each reading; after 1.5 s the heads are sorted out and
# two other clients are tried while the streams stay open; then the
# subscribers' bytes after 2 more seconds (the 200 streams go on).
python3 - "$hp" >subs.txt 2>&1 <<'PY'
import socket, subprocess, sys, threading, time
P = int(sys.argv[1]); K = 16
got = [b''] * K; stop = False
def sub(i):
    s = socket.create_connection(('127.0.0.1', P))
    s.sendall(b'GET /api/events HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWRtaW46cHc=\r\n\r\n')
    s.settimeout(0.2)
    while not stop:
        try:
            d = s.recv(65536)
            if not d:
                break
            got[i] += d
        except socket.timeout:
            pass
        except OSError:
            break
    s.close()
th = [threading.Thread(target=sub, args=(i,), daemon=True) for i in range(K)]
for t in th:
    t.start()
time.sleep(1.5)
for path, auth in (('/style.css', []), ('/api/status', ['-u', 'admin:pw'])):
    r = subprocess.run(['curl', '-s', '-m', '3', '-o', '/dev/null', '-w', '%{http_code}'] + auth +
                       ['http://127.0.0.1:%d%s' % (P, path)], capture_output=True, text=True)
    print('victim', path, r.stdout or '000')
heads = [g.split(b'\r\n\r\n')[0] for g in got]
ok = [i for i in range(K) if heads[i].startswith(b'HTTP/1.1 200')]
busy = [i for i in range(K) if heads[i].startswith(b'HTTP/1.1 503')]
print('streams', len(ok), 'refused', len(busy), 'other', K - len(ok) - len(busy))
print('retry-after', sum(1 for i in busy if b'\r\nRetry-After: 15' in heads[i]))
before = [len(got[i]) for i in ok]
time.sleep(2.2)
print('streams going on', sum(1 for n, i in zip(before, ok) if len(got[i]) > n))
stop = True
time.sleep(0.3)
PY
cat subs.txt
grep -qx 'victim /style.css 200' subs.txt && ok "GET /style.css answered beside 16 subscribers" ||
    fail "GET /style.css beside 16 subscribers: $(grep 'victim /style.css' subs.txt)"
grep -qx 'victim /api/status 200' subs.txt && ok "GET /api/status answered beside 16 subscribers" ||
    fail "GET /api/status beside 16 subscribers: $(grep 'victim /api/status' subs.txt)"
grep -qx 'streams 8 refused 8 other 0' subs.txt && ok "8 streams (half the 16 buffers), 8 refused with 503" ||
    fail "subscribers: $(grep '^streams [0-9]* refused' subs.txt)"
grep -qx 'retry-after 8' subs.txt && ok "each 503 says Retry-After: 15 (the heartbeat)" ||
    fail "Retry-After: $(grep '^retry-after' subs.txt)"
grep -qx 'streams going on 8' subs.txt && ok "the 8 streams go on" ||
    fail "streams going on: $(grep 'going on' subs.txt)"
# The slots come free: a subscribe after the others left is a stream again.
curl -sN -u admin:pw -D head.txt --max-time 0.5 "http://127.0.0.1:$hp/api/events" >/dev/null
grep -q '^HTTP/1.1 200' head.txt && ok "a subscribe after they left: 200" || fail "after: $(head -1 head.txt)"
# Over TLS a subscriber holds one of the 8 engines too: 4 at most (half),
# so that a new HTTPS client still gets one.
python3 - "$sp" >tls.txt 2>&1 <<'PY'
import socket, ssl, subprocess, sys, time
P = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
ss = []
for _ in range(8):
    s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', P)))
    s.sendall(b'GET /api/events HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWRtaW46cHc=\r\n\r\n')
    s.settimeout(2)
    ss.append(s.recv(65536))
    if not ss[-1].startswith(b'HTTP/1.1 200'):
        s.close()
    else:
        ss[-1] = (ss[-1], s)
n = sum(1 for x in ss if isinstance(x, tuple))
print('tls streams', n, 'refused', sum(1 for x in ss if isinstance(x, bytes) and x.startswith(b'HTTP/1.1 503')))
r = subprocess.run(['curl', '-sk', '-m', '3', '-o', '/dev/null', '-w', '%{http_code}',
                    'https://127.0.0.1:%d/style.css' % P], capture_output=True, text=True)
print('tls victim', r.stdout or '000')
PY
cat tls.txt
grep -qx 'tls streams 4 refused 4' tls.txt && ok "over TLS: 4 streams (half the 8 engines), 4 refused with 503" ||
    fail "over TLS: $(grep '^tls streams' tls.txt)"
grep -qx 'tls victim 200' tls.txt && ok "a new HTTPS client served beside the TLS streams" ||
    fail "HTTPS beside the TLS streams: $(grep '^tls victim' tls.txt)"
kill -TERM $pid
wait $pid; rc=$?
trap - EXIT
[ "$rc" = 0 ] && ok "clean stop" || fail "exit status $rc"
[ "$fails" = 0 ] && echo "all ok" || echo "$fails failed"
[ "$fails" = 0 ]
