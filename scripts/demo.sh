#!/bin/sh
# demo.sh - installs what is missing (scripts/deps.sh), builds the generator
# and examples/admin, and serves the router admin UI: plain HTTP on :8080
# and HTTPS on :8443, with a certificate made at the first run (in
# build/demo/, never committed) and a password it prints.
#   ADMIN_PASSWORD  the password of user admin (default: a random one)
#   HTTP_PORT, HTTPS_PORT  (default 8080, 8443)
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" --target tinyroute admin
./build/gen/tinyroute routes examples/admin/admin.routes
demo=build/demo
mkdir -p "$demo"
if [ ! -s "$demo/cert.pem" ] || [ ! -s "$demo/key.pem" ]; then
    echo "Making a self-signed certificate for localhost in $demo/"
    openssl ecparam -name prime256v1 -genkey -noout -out "$demo/key.pem" 2>/dev/null
    openssl req -x509 -new -key "$demo/key.pem" -subj /CN=localhost -days 365 \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$demo/cert.pem" 2>/dev/null
fi
: "${ADMIN_PASSWORD:=$(openssl rand -hex 8)}"
export ADMIN_PASSWORD
export ADMIN_DIR="${ADMIN_DIR:-$PWD/$demo}"
[ -e "$ADMIN_DIR/log.txt" ] || printf 'demo: admin server started\n' >"$ADMIN_DIR/log.txt"
http=${HTTP_PORT:-8080}
https=${HTTPS_PORT:-8443}
echo
echo "Serving examples/admin:"
echo "  http://127.0.0.1:$http/"
echo "  https://127.0.0.1:$https/   (self-signed: the browser will ask you to accept it)"
echo "User admin, password: $ADMIN_PASSWORD"
echo "From a script:  curl -u admin:$ADMIN_PASSWORD http://127.0.0.1:$http/api/status"
echo "Stop it with Ctrl-C."
exec ./build/examples/admin --cert "$demo/cert.pem" --key "$demo/key.pem" "0.0.0.0:$http" "0.0.0.0:$https"
