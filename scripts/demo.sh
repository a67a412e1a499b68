#!/bin/sh
# demo.sh - installs what is missing, builds the generator and the
# reference example, prints its route table and serves it.
#   PORT   where to listen (default 8080)
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" --target tinyroute reference
./build/gen/tinyroute routes examples/reference/reference.routes
port=${PORT:-8080}
echo
echo "Serving examples/reference on 127.0.0.1:$port - try:"
echo "  curl -i http://127.0.0.1:$port/hello/world"
echo "  curl -i http://127.0.0.1:$port/add/40/2"
echo "  curl -i --data-binary 'ping' http://127.0.0.1:$port/echo"
echo "Stop it with Ctrl-C."
exec ./build/examples/reference "127.0.0.1:$port"
