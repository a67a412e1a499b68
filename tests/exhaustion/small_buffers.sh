#!/bin/sh
# small_buffers.sh EXHAUSTION_BIN - the exhaustion tests again with the
# socket buffers of a small-memory device: 4 KiB by default, 8 KiB at most
# (net.ipv4.tcp_rmem and tcp_wmem), in a network namespace of their own so
# that nothing else on the machine is touched.  Needs the right to create
# one (root, or user namespaces); without it the test is skipped (77).
# Each scenario once: the memory comparison that runs them all twice is
# the plain run's.
set -eu
bin=$1
if ! unshare -n true 2>/dev/null; then
    echo "small_buffers: cannot create a network namespace; skipped"
    exit 77
fi
exec unshare -n sh -c '
    ip link set lo up &&
    sysctl -qw net.ipv4.tcp_rmem="4096 4096 8192" net.ipv4.tcp_wmem="4096 4096 8192" &&
    exec "$0" --jobs=1 --filter="exhaustion/!(memory*)"' "$bin"
