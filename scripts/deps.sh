#!/bin/sh
# deps.sh - installs what building and testing tinyroute needs, if missing.
#   scripts/deps.sh            the build and test tools
#   scripts/deps.sh --cross    also the cross compilers (glibc and musl) for
#                              armhf, arm64 and mipsel, and qemu-user
# Debian packages only; nothing is downloaded from anywhere else.  musl for
# another architecture is that architecture's musl-dev (musl-dev:armhf ...),
# so --cross adds the architectures to dpkg (multiarch) first.
set -eu

# libjsmn-dev: only bench/json (the JSON reader written on jsmn, for comparison).
packages="cmake make gcc clang libclang-rt-dev re2c lemon libcriterion-dev libcrypt-dev pkg-config curl valgrind
          libbearssl-dev openssl
          libjsmn-dev
          zlib1g-dev chromium chromium-driver python3-selenium
          iproute2 procps util-linux"  # the last three: tests/exhaustion/small_buffers.sh
foreign=""
if [ "${1:-}" = "--cross" ]; then
    foreign="armhf arm64 mipsel"
    packages="$packages file qemu-user musl-tools
              gcc-arm-linux-gnueabihf libc6-dev-armhf-cross musl-dev:armhf
              gcc-aarch64-linux-gnu libc6-dev-arm64-cross musl-dev:arm64
              gcc-mipsel-linux-gnu libc6-dev-mipsel-cross musl-dev:mipsel
              libbearssl-dev:armhf libbearssl-dev:arm64 libbearssl-dev:mipsel"
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
for a in $foreign; do
    dpkg --print-foreign-architectures | grep -qx "$a" || $sudo dpkg --add-architecture "$a"
done
# An index that fails to download (a mirror mid-sync) is not fatal as long
# as the packages can still be found: the install below says if not.
$sudo apt-get update -qq || echo "deps.sh: apt-get update reported errors; trying the install anyway" >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
