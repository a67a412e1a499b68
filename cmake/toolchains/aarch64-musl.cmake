# aarch64-musl.cmake - AArch64 (arm64), musl, statically linked.
# Debian: dpkg --add-architecture arm64 && apt-get update &&
#         apt-get install gcc-aarch64-linux-gnu musl-dev:arm64   (scripts/deps.sh --cross)
#
# musl-dev:arm64 ships aarch64-linux-musl-gcc, a wrapper that runs aarch64-linux-gnu-gcc with
# -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs: the specs file puts musl's headers
# (/usr/include/aarch64-linux-musl) in place of glibc's and links musl's crt1.o, crti.o,
# crtn.o and libc.a from /usr/lib/aarch64-linux-musl with gcc's own crtbegin, crtend and
# libgcc.  -static makes a binary that needs nothing on the device.
#   cmake -S . -B build-aarch64-musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-musl.cmake \
#         -DTINYROUTE_EXECUTABLE=$PWD/build/gen/tinyroute
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-musl-gcc)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Programs (tinyroute, re2c) are the build host's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# BearSSL for specs with a TLS listener: Debian's static archive of this
# architecture (libbearssl-dev:arm64), glibc-built but needing little of a
# libc (docs/TLS.md); its headers alone, never glibc's /usr/include.
list(APPEND CMAKE_LIBRARY_PATH /usr/lib/aarch64-linux-gnu)
list(APPEND CMAKE_INCLUDE_PATH /usr/include/bearssl)

# Runs target programs on the build host (qemu-user), e.g. for CTest.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
