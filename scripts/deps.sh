#!/bin/sh
# deps.sh - installs what building and testing tinyroute needs, if missing.
#   scripts/deps.sh            the build and test tools
#   scripts/deps.sh --cross    also the cross compilers, musl and qemu-user
# Debian packages only; nothing is downloaded from anywhere else.
set -eu

packages="cmake make gcc clang re2c lemon libcriterion-dev pkg-config curl valgrind"
if [ "${1:-}" = "--cross" ]; then
    packages="$packages gcc-arm-linux-gnueabihf gcc-aarch64-linux-gnu gcc-mipsel-linux-gnu
              musl-tools qemu-user"
fi

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
