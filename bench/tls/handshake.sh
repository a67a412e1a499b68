#!/bin/bash
# bench/tls/handshake.sh [BUILD_DIR] - CPU of one full TLS handshake on the
# server, in instructions (callgrind), ECDHE-ECDSA P-256 against ECDHE-RSA
# 2048, by hand (not a test).  The server is tests/tls's reference_tls
# (x86_64 host build, BearSSL from Debian); N full handshakes (no
# resumption: openssl s_client without -sess_in) minus a run with none,
# divided by N.  Needs valgrind and openssl.
set -eu
build=${1:-build}
srv=$build/tests/tls/reference_tls
n=${N:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
{
    openssl ecparam -name prime256v1 -genkey -noout -out ec.key
    openssl req -x509 -new -key ec.key -subj /CN=localhost -days 1 -out ec.pem
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
    openssl req -x509 -new -key rsa.key -subj /CN=localhost -days 1 -out rsa.pem
} >/dev/null 2>&1

# instructions KEY HANDSHAKES: Ir of the whole server run
instructions() {
    local p=$((20000 + RANDOM % 40000))
    valgrind --tool=callgrind --callgrind-out-file=cg.out "$OLDPWD/$srv" --cert $1.pem --key $1.key \
        127.0.0.1:$((p + 1)) 127.0.0.1:$p 127.0.0.1:$((p + 2)) 2>/dev/null &
    local pid=$!
    until openssl s_client -connect 127.0.0.1:$p </dev/null >/dev/null 2>&1; do sleep 0.5; done
    for _ in $(seq "$2"); do
        openssl s_client -connect 127.0.0.1:$p </dev/null >/dev/null 2>&1
    done
    kill $pid
    wait $pid 2>/dev/null || true
    awk '/^summary:/ { print $2 }' cg.out
}
for k in ec rsa; do
    base=$(instructions $k 0)
    all=$(instructions $k "$n")
    echo "$k: $(((all - base) / n)) instructions a full handshake (N=$n; openssl s_client's default suite)"
done
