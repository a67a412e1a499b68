# aarch64.cmake - AArch64 (arm64), glibc, dynamically linked.
# Debian: apt-get install gcc-aarch64-linux-gnu (scripts/deps.sh --cross).
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64.cmake \
#         -DTINYROUTE_EXECUTABLE=$PWD/build/gen/tinyroute
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)

# The target's libraries and headers; programs (tinyroute, re2c) are the
# build host's; packages from both (find_package(tinyroute) is a host tool).
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Runs target programs on the build host (qemu-user), e.g. for CTest.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
