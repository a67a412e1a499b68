# armhf-musl.cmake - ARMv7-A hard-float, Thumb-2, musl, statically linked.
# Debian: dpkg --add-architecture armhf && apt-get update &&
#         apt-get install gcc-arm-linux-gnueabihf musl-dev:armhf   (scripts/deps.sh --cross)
#
# musl-dev:armhf ships arm-linux-musleabihf-gcc, a wrapper that runs arm-linux-gnueabihf-gcc with
# -specs /usr/lib/arm-linux-musleabihf/musl-gcc.specs: the specs file puts musl's headers
# (/usr/include/arm-linux-musleabihf) in place of glibc's and links musl's crt1.o, crti.o,
# crtn.o and libc.a from /usr/lib/arm-linux-musleabihf with gcc's own crtbegin, crtend and
# libgcc.  -static makes a binary that needs nothing on the device.
#   cmake -S . -B build-armhf-musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/armhf-musl.cmake \
#         -DTINYROUTE_EXECUTABLE=$PWD/build/gen/tinyroute
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-musleabihf-gcc)
set(CMAKE_C_FLAGS_INIT "-march=armv7-a+fp -mfloat-abi=hard -mthumb")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Programs (tinyroute, re2c) are the build host's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# BearSSL for specs with a TLS listener: Debian's static archive of this
# architecture (libbearssl-dev:armhf), glibc-built but needing little of a
# libc (docs/TLS.md); its headers alone, never glibc's /usr/include.
list(APPEND CMAKE_LIBRARY_PATH /usr/lib/arm-linux-gnueabihf)
list(APPEND CMAKE_INCLUDE_PATH /usr/include/bearssl)

# Runs target programs on the build host (qemu-user), e.g. for CTest.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm)
