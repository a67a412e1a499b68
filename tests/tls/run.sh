#!/bin/bash
# run.sh SERVER SERVER_ONE_SUITE WORKDIR - HTTPS end to end (tests/tls).
#
# SERVER is the reference routes with `listen ... redirect`, `listen ...
# tls` twice (IPv4, IPv6), `tls handshake 1s`; SERVER_ONE_SUITE the same
# narrowed to ECDHE-ECDSA-CHACHA20-POLY1305.  A CA, an EC P-256 and an
# RSA-2048 certificate are made here, in WORKDIR, at every run: no key is
# ever committed.  curl and openssl s_client are the clients.
set -u
srv=$1
srv1=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

fails=0
pid=""
# No server outlives the script, however it ends: one left running would
# keep CTest's output pipe open and the test would hang to its timeout.
# And it never writes to CTest's pipe: its stdout goes to server.out.
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    # shellcheck disable=SC2046
    kill $(jobs -p) 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
# A write to a connection the server has closed fails (EPIPE) instead of
# killing the script with SIGPIPE (silently: status 141, server orphaned).
# A handler, not '' (ignored), so that the commands run keep the default.
trap 'echo "SIGPIPE: a write to a connection already closed"' PIPE
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
check() { # description, command...: ok when the command succeeds
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# ---- the test PKI -----------------------------------------------------------
{
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=tinyroute test CA" -days 2 -out ca.pem
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >ext
    openssl ecparam -name prime256v1 -genkey -noout -out ec.key          # SEC1 PEM
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key  # PKCS#8
    openssl ecparam -name secp384r1 -genkey -noout -out p384.key
    openssl ecparam -name prime256v1 -genkey -noout -out ec-other.key    # a key of no certificate
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-other.key
    for k in ec rsa; do
        openssl req -new -key $k.key -subj /CN=localhost -out $k.csr
        openssl x509 -req -in $k.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile ext -out $k.pem
    done
    cat ec.pem ca.pem >ec-chain.pem
    head -c 3000 /dev/urandom | base64 >junk.pem
    # CRLF line ends and text around the objects (RFC 7468 §2, §5.2)
    { echo "subject=/CN=localhost"; sed 's/$/\r/' ec-chain.pem; } >ec-crlf.pem
    sed 's/$/\r/' ec.key >ec-crlf.key
    # a header line inside an object (an encrypted key's)
    sed '1a Proc-Type: 4,ENCRYPTED' ec.key >ec-header.key
} >pki.log 2>&1 || { echo "FAIL: openssl could not make the test PKI"; cat pki.log; exit 1; }

v6=1
[ -e /proc/net/if_inet6 ] || v6=0
# The third listener: [::1] when the machine has IPv6.
third() { if [ $v6 = 1 ]; then echo "[::1]:$1"; else echo "127.0.0.1:$1"; fi; }

port() { echo $((20000 + RANDOM % 40000)); }

# start BIN CERT KEY: the server on three fresh ports, waited for.
start() {
    local bin=$1 cert=$2 key=$3
    for _ in 1 2 3 4 5; do
        p1=$(port); p2=$(port); p3=$(port)
        "$bin" --cert "$cert" --key "$key" 127.0.0.1:$p1 127.0.0.1:$p2 "$(third $p3)" \
            >server.out 2>server.err </dev/null &
        pid=$!
        for _ in $(seq 50); do
            if curl -s -o /dev/null "http://127.0.0.1:$p1/"; then return 0; fi
            kill -0 $pid 2>/dev/null || break
            sleep 0.1
        done
        kill $pid 2>/dev/null
        wait $pid 2>/dev/null
    done
    echo "FAIL: the server did not start"; cat server.err
    exit 1
}
# stop: SIGTERM, and the server's exit waited for (10 s at most, then SIGKILL).
stop() {
    kill $pid
    # (the watchdog's sleep would hold CTest's pipe: not its output)
    ( sleep 10; kill -9 $pid ) >/dev/null 2>&1 &
    local dog=$! rc
    wait $pid 2>/dev/null
    rc=$?
    kill $dog 2>/dev/null
    wait $dog 2>/dev/null
    [ $rc = 137 ] && fail "the server did not exit within 10 s of SIGTERM"
    pid=""
}

c() { curl -sS --max-time 10 --cacert ca.pem "$@"; }
sc() { # s_client to the TLS port with extra options; stdin is the request
    timeout 10 openssl s_client -connect 127.0.0.1:$p2 -servername localhost -CAfile ca.pem "$@" 2>&1
}

# ---- EC certificate with its chain --------------------------------------------
start "$srv" ec-chain.pem ec.key
check "hello over TLS" test "$(c https://localhost:$p2/)" = "Hello, world!"
check "a typed route over TLS" test "$(c https://localhost:$p2/add/40/2)" = "42"
check "a rest route over TLS" test "$(c https://localhost:$p2/files/a/b.txt)" = "path=a/b.txt"
check "404 over TLS" test "$(c -o /dev/null -w '%{http_code}' https://localhost:$p2/nope)" = 404
if [ $v6 = 1 ]; then
    check "the IPv6 TLS listener" test "$(c "https://[::1]:$p3/hello/six")" = "Hello, six!"
fi
check "HSTS on answers over TLS" bash -c "curl -sS --cacert ca.pem -D - -o /dev/null https://localhost:$p2/ | grep -qi '^Strict-Transport-Security: max-age=600'"
check "no HSTS over plain HTTP" bash -c "! curl -sS -D - -o /dev/null http://127.0.0.1:$p1/ | grep -qi Strict-Transport"

# The redirecting listener: 308 to the TLS port, path and query kept.
loc=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$p1/add/1/2?x=%20y")
check "plain listener answers 308 to https ($loc)" test "$loc" = "308 https://localhost:$p2/add/1/2?x=%20y"
check "curl -L follows it to the TLS listener" test "$(c -L http://localhost:$p1/hello/r)" = "Hello, r!"
exec 5<>/dev/tcp/127.0.0.1/$p1
printf 'GET / HTTP/1.0\r\n\r\n' >&5
check "a request without Host is not redirected (400)" bash -c "timeout 5 head -1 <&5 | grep -q '^HTTP/1.1 400'"
exec 5<&-

# Framing: bodies of several records, Content-Length and chunked.
head -c 300000 /dev/urandom >body.bin
c --data-binary @body.bin -H 'Content-Type: application/octet-stream' https://localhost:$p2/echo -o echo1.bin
check "a 300 KB Content-Length body echoed over TLS" cmp -s body.bin echo1.bin
c --data-binary @body.bin -H 'Transfer-Encoding: chunked' https://localhost:$p2/echo -o echo2.bin
check "a 300 KB chunked body echoed over TLS" cmp -s body.bin echo2.bin
check "413 over TLS for a body over its limit" test "$(head -c 1100000 /dev/zero |
    c -o /dev/null -w '%{http_code}' --data-binary @- https://localhost:$p2/echo)" = 413

# Keep-alive: one connection, several requests.
out=$(c -v https://localhost:$p2/ https://localhost:$p2/hello/again 2>&1)
check "keep-alive over TLS reuses the connection" grep -q "Re-using existing connection\|Reusing existing" <<<"$out"

# Pipelined requests in one record, a request split over three records.
out=$( (printf 'GET /hello/a HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: x\r\n\r\n'
        sleep 0.5; printf 'GET /add/1/'; sleep 0.3; printf '2 HTTP/1.1\r\nHost: x\r\n'
        sleep 0.3; printf 'Connection: close\r\n\r\n'; sleep 1) | sc -quiet)
check "pipelined and split requests over TLS (3 answers)" test "$(grep -o 'HTTP/1.1 200' <<<"$out" | wc -l)" = 3
check "close_notify before the close" bash -c "! grep -q 'unexpected eof' <<<'$out'"
check "... in order" bash -c "grep -o 'Hello, a!\|Hello, b!\|^3' <<<'$out' | tr -d '\r' | paste -sd, | grep -qx 'Hello, a!,Hello, b!,3'"

# Session resumption from the cache.
sc -sess_out sess.pem </dev/null >/dev/null
out=$(sc -sess_in sess.pem </dev/null)
check "session resumed" grep -q "^Reused, TLSv1.2" <<<"$out"

# Suites and versions that are not offered.
out=$(sc -tls1_2 -cipher AES128-SHA256 </dev/null)
check "a client with only RSA key exchange gets a handshake failure" bash -c "! grep -q 'Cipher is [A-Z]' <<<'$out' && grep -qi 'alert\|handshake failure\|no cipher' <<<'$out'"
out=$(sc -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA </dev/null)
check "a client with only CBC suites gets a handshake failure" bash -c "! grep -q 'Cipher is [A-Z]' <<<'$out'"
out=$(sc -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null)
check "TLS 1.1 is refused" bash -c "! grep -q 'Cipher is [A-Z]' <<<'$out'"
out=$(sc -tls1_3 </dev/null)
check "TLS 1.3 only is refused (BearSSL has no 1.3)" bash -c "! grep -q 'Cipher is [A-Z]' <<<'$out'"
for s in ECDHE-ECDSA-CHACHA20-POLY1305 ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384; do
    out=$(sc -tls1_2 -cipher $s </dev/null)
    check "suite $s" grep -q "Cipher is $s" <<<"$out"
done
# (A client that offers only X25519 cannot take a P-256 signature: both.)
out=$(sc -tls1_2 -groups X25519:P-256 </dev/null)
check "ECDHE over X25519" grep -q "Server Temp Key: X25519" <<<"$out"
out=$(sc -tls1_2 -groups P-256 </dev/null)
check "ECDHE over P-256" grep -q "Server Temp Key: ECDH, prime256v1" <<<"$out"

# A stalled handshake and one of junk are cut; others are served meanwhile.
# The deadline counts from the connection (t0), not from after the curl:
# under load the curl can take long enough for the 1 s to be mostly gone.
# bash writes the junk request a line at a time (its stdout is line
# buffered), and the server rightly cuts the connection at the first line:
# under load that is often before the second is written, which then fails
# (EPIPE; the SIGPIPE trap above keeps the script alive).
t0=$(date +%s%N)
exec 3<>/dev/tcp/127.0.0.1/$p2
exec 4<>/dev/tcp/127.0.0.1/$p2
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >&4
check "served while a handshake stalls" test "$(c https://localhost:$p2/)" = "Hello, world!"
timeout 3 cat <&4 >/dev/null
check "a plain request to the TLS port is cut at once" test $? -ne 124
timeout 4 cat <&3 >/dev/null
rc=$?
t1=$(date +%s%N)
check "a stalled handshake is cut at its deadline (1 s)" test $rc -ne 124 -a $(((t1 - t0) / 1000000)) -ge 800
exec 3<&- 4<&-
check "served after both" test "$(c https://localhost:$p2/hello/after)" = "Hello, after!"
# SIGTERM does not wait for a handshake that stalls (deadline 1 s, stop grace 5 s).
exec 3<>/dev/tcp/127.0.0.1/$p2
sleep 0.2
t0=$(date +%s%N)
stop
t1=$(date +%s%N)
exec 3<&-
check "SIGTERM closes a stalled handshake at once ($(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -lt 900

# ---- RSA certificate, PKCS#8 key ---------------------------------------------------
start "$srv" rsa.pem rsa.key
check "hello over TLS with an RSA key" test "$(c https://localhost:$p2/)" = "Hello, world!"
out=$(sc -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305 </dev/null)
check "suite ECDHE-RSA-CHACHA20-POLY1305" grep -q "Cipher is ECDHE-RSA-CHACHA20-POLY1305" <<<"$out"
stop

# ---- CRLF PEM files, text around their objects --------------------------------------
start "$srv" ec-crlf.pem ec-crlf.key
check "a chain and key with CRLF line ends and text before them" test "$(c https://localhost:$p2/)" = "Hello, world!"
stop

# ---- one suite ------------------------------------------------------------------------
start "$srv1" ec.pem ec.key
check "the one-suite server serves curl" test "$(c https://localhost:$p2/)" = "Hello, world!"
out=$(sc -tls1_2 </dev/null)
check "... with ECDHE-ECDSA-CHACHA20-POLY1305" grep -q "Cipher is ECDHE-ECDSA-CHACHA20-POLY1305" <<<"$out"
out=$(sc -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 </dev/null)
check "... and nothing else" bash -c "! grep -q 'Cipher is [A-Z]' <<<'$out'"
stop

# ---- start-up errors: exit 1 with the reason; bad command lines: exit 2 ------------------
bad() { # description, expected status, expected message, server arguments...
    local what=$1 want=$2 msg=$3
    shift 3
    local bin=$1
    shift
    "$bin" 127.0.0.1:$(port) 127.0.0.1:$(port) "$(third $(port))" "$@" >out.txt 2>err.txt </dev/null &
    local p=$! rc
    ( sleep 5; kill $p 2>/dev/null ) >/dev/null 2>&1 &
    wait $p
    rc=$?
    if [ $rc = "$want" ] && grep -q "$msg" err.txt; then
        ok "$what: $(head -1 err.txt)"
    else
        fail "$what: status $rc, stderr: $(cat err.txt)"
    fi
}
bad "a missing certificate file" 1 "certificate file nothere.pem: no such file" "$srv" --cert nothere.pem --key ec.key
bad "a missing key file" 1 "key file nothere.key: no such file" "$srv" --cert ec.pem --key nothere.key
bad "a certificate file that is not PEM" 1 "certificate file junk.pem: no certificate in it\|certificate file junk.pem: not PEM" "$srv" --cert junk.pem --key ec.key
bad "a key with a header line (encrypted)" 1 "key file ec-header.key: not PEM" "$srv" --cert ec.pem --key ec-header.key
bad "a certificate for a key" 1 "key file ec.pem: holds a certificate, not a key" "$srv" --cert ec.pem --key ec.pem
bad "a key file without a key" 1 "key file junk.pem: no RSA or EC private key" "$srv" --cert ec.pem --key junk.pem
bad "an EC key that is not the certificate's" 1 "key file ec-other.key: not the key of the certificate" "$srv" --cert ec.pem --key ec-other.key
bad "an RSA key that is not the certificate's" 1 "key file rsa-other.key: not the key of the certificate" "$srv" --cert rsa.pem --key rsa-other.key
bad "an EC key for an RSA certificate" 1 "not the key of the certificate" "$srv" --cert rsa.pem --key ec.key
bad "the CA's key for a chain whose leaf is the server's" 1 "not the key of the certificate" "$srv" --cert ec-chain.pem --key ca.key
bad "an EC key on P-384" 1 "curve other than P-256" "$srv" --cert ec.pem --key p384.key
bad "an RSA key for the EC-only server" 1 "an RSA key, and .tls keys. has no rsa" "$srv1" --cert rsa.pem --key rsa.key
bad "the spec's default paths, absent here" 1 "certificate file /etc/tinyroute-test-none" "$srv" --cert /etc/tinyroute-test-none/cert.pem --key ec.key
bad "--cert without a file" 2 "usage:" "$srv" --key ec.key --cert
bad "a fourth address" 2 "usage:" "$srv" --cert ec.pem --key ec.key 127.0.0.1:1
bad "a bad address" 2 "usage:" "$srv" --cert ec.pem --key ec.key 1.2.3:80

echo "$fails failed"
[ $fails = 0 ]
