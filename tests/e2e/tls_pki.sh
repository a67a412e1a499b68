#!/bin/sh
# tls_pki.sh DIR - the test PKI of the end-to-end families over TLS: a CA
# (ca.pem) and an EC P-256 server certificate for localhost and 127.0.0.1
# signed by it (cert.pem, key.pem), made in DIR at every run (a ctest
# fixture): no key is ever committed.
set -eu
dir=$1
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
{
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=tinyroute e2e CA" -days 2 -out ca.pem
    openssl ecparam -name prime256v1 -genkey -noout -out key.pem
    openssl req -new -key key.pem -subj /CN=localhost -out cert.csr
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext
    openssl x509 -req -in cert.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile ext -out cert.pem
} >pki.log 2>&1 || { cat pki.log; exit 1; }
echo "test PKI in $dir"
