# mipsel.cmake - MIPS32r2 little-endian (mipsel), glibc, dynamically linked.
# Debian: apt-get install gcc-mipsel-linux-gnu (scripts/deps.sh --cross).
#   cmake -S . -B build-mipsel -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mipsel.cmake \
#         -DTINYROUTE_EXECUTABLE=$PWD/build/gen/tinyroute
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mipsel)
set(CMAKE_C_COMPILER mipsel-linux-gnu-gcc)

# The target's libraries and headers; programs (tinyroute, re2c) are the
# build host's; packages from both (find_package(tinyroute) is a host tool).
set(CMAKE_FIND_ROOT_PATH /usr/mipsel-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Runs target programs on the build host (qemu-user), e.g. for CTest.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-mipsel -L /usr/mipsel-linux-gnu)
